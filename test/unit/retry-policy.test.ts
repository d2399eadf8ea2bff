// Timeouts and retries by cause: durations, the spec's fields, backoff, the decision per cause, the memory raise.
import { describe, expect, it } from "vitest";
import { SpecError } from "../../src/errors.js";
import { loadSpec } from "../../src/jobspec/index.js";
import { formatDuration, parseDuration } from "../../src/retry/duration.js";
import { backoffSeconds, decide, describePolicy, retryPolicy, type RetryPolicy } from "../../src/retry/policy.js";
import { raiseMemory, raiseSize, sizeMiB } from "../../src/retry/memory.js";
import type { JobSpec } from "../../src/jobspec/schema.js";

const FILE = "jobs/churn.yaml";
const BASE = ["name: churn", "model:", "  algorithm: logistic_regression", "  label: churned", "  features:", "    numeric: [tenure]", "data:", "  train: data/churn/"];

async function load(...extra: string[]): Promise<JobSpec> {
  return (await loadSpec({ file: FILE, text: [...BASE, ...extra].join("\n") + "\n", env: {} })).spec;
}

async function problems(...extra: string[]): Promise<string[]> {
  try {
    await load(...extra);
  } catch (err) {
    if (err instanceof SpecError) return err.message.split("\n");
    throw err;
  }
  throw new Error("expected the spec to fail");
}

describe("durations", () => {
  it.each([
    ["90s", 90],
    ["10m", 600],
    ["2h", 7200],
    ["1.5h", 5400],
    ["45", 45],
    [30, 30],
    [0.5, 0.5],
  ])("%j is %d seconds", (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(["", "10 minutes", "2x", "-5s", "0s", 0, -1, "8d", 8 * 24 * 3600, null, true])("%j is not a duration", (text) => expect(parseDuration(text)).toBeNull());

  it("reads back for people", () => {
    expect([formatDuration(0.5), formatDuration(45), formatDuration(90), formatDuration(600), formatDuration(5400)]).toEqual(["0.5s", "45s", "1m30s", "10m", "1h30m"]);
  });
});

describe("the spec's timeout: and retry:", () => {
  it("takes durations as text or seconds, with retry's defaults", async () => {
    const spec = await load("timeout: { run: 2h, noExecutor: 90 }", "retry: { attempts: 3 }");
    expect(spec.timeout).toEqual({ run: "2h", noExecutor: 90 });
    expect(spec.retry).toEqual({ attempts: 3, backoff: "30s" });
    expect(retryPolicy(spec)).toEqual({ attempts: 3, backoffSeconds: 30, onOutOfMemory: null, runSeconds: 7200, noExecutorSeconds: 90 });
  });

  it("without them: one attempt, no limits", async () => {
    expect(retryPolicy(await load())).toEqual({ attempts: 1, backoffSeconds: 30, onOutOfMemory: null, runSeconds: null, noExecutorSeconds: null });
  });

  it("reports every bad field at its place", async () => {
    const got = await problems("timeout: { run: 10 minutes, noExecutor: 0 }", "retry: { attempts: 0, backoff: 2x, onOutOfMemory: 1 }", "");
    expect(got).toEqual([
      'jobs/churn.yaml:9:12 timeout.run: expected a duration like "90s", "10m", "2h" or a number of seconds (more than 0, at most a week), got "10 minutes"',
      'jobs/churn.yaml:9:29 timeout.noExecutor: expected a duration like "90s", "10m", "2h" or a number of seconds (more than 0, at most a week), got 0',
      "jobs/churn.yaml:10:10 retry.attempts: expected a number >= 1, got 0",
      'jobs/churn.yaml:10:23 retry.backoff: expected a duration like "90s", "10m", "2h" or a number of seconds (more than 0, at most a week), got "2x"',
      "jobs/churn.yaml:10:36 retry.onOutOfMemory: expected a number > 1, got 1",
    ]);
  });

  it("refuses unknown fields with a suggestion", async () => {
    expect(await problems("retry: { attempt: 3 }")).toEqual([expect.stringMatching(/^jobs\/churn\.yaml:9:10 retry\.attempt: unknown field "attempt".*attempts/)]);
  });

  it("is described for `mlship plan`", async () => {
    expect(describePolicy(retryPolicy(await load("timeout: { run: 1h, noExecutor: 2m }", "retry: { attempts: 4, backoff: 10s, onOutOfMemory: 1.5 }")))).toBe(
      "timeout.run 1h; timeout.noExecutor 2m; retry: 4 attempts for transient failures and out of memory (memory ×1.5 each retry), waiting 10s, 20s, 40s",
    );
    expect(describePolicy(retryPolicy(await load()))).toBe("");
  });
});

const policy = (p: Partial<RetryPolicy> = {}): RetryPolicy => ({ attempts: 3, backoffSeconds: 30, onOutOfMemory: null, runSeconds: null, noExecutorSeconds: null, ...p });

describe("backoff", () => {
  it("doubles from the first wait, capped at 10 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffSeconds(policy(), a))).toEqual([30, 60, 120, 240, 480, 600, 600]);
  });
  it("a first wait longer than the cap stays as it is", () => {
    expect([1, 2].map((a) => backoffSeconds(policy({ backoffSeconds: 900 }), a))).toEqual([900, 900]);
  });
});

describe("the decision after a failed attempt", () => {
  it("retries transient failures while attempts are left, then says what to change", () => {
    expect(decide(policy(), 1, "transient")).toEqual({ retry: true, waitSeconds: 30, raiseMemoryBy: null });
    expect(decide(policy(), 2, "transient")).toEqual({ retry: true, waitSeconds: 60, raiseMemoryBy: null });
    expect(decide(policy(), 3, "transient")).toMatchObject({ retry: false, why: expect.stringContaining("on every one of 3 attempts: check the cluster") });
    expect(decide(policy({ attempts: 1 }), 1, "transient")).toMatchObject({ retry: false, why: expect.stringContaining("retry.attempts: 3 retries transient failures") });
  });

  it("retries out of memory only with onOutOfMemory, raising memory", () => {
    expect(decide(policy(), 1, "oom")).toMatchObject({ retry: false, why: expect.stringContaining("raise spark.executor.memory") });
    expect(decide(policy(), 1, "oom")).toMatchObject({ why: expect.stringContaining("set retry.onOutOfMemory") });
    expect(decide(policy({ onOutOfMemory: 1.5 }), 1, "oom")).toEqual({ retry: true, waitSeconds: 30, raiseMemoryBy: 1.5 });
  });

  it.each(["data", "spec", "timeout", "interrupted", "unknown"] as const)("never retries %s", (cause) => {
    expect(decide(policy({ attempts: 10, onOutOfMemory: 2 }), 1, cause)).toMatchObject({ retry: false, why: expect.stringMatching(/^not retried: /) });
  });
});

describe("raising memory on an out-of-memory retry", () => {
  it.each([
    ["1g", 1024],
    ["512m", 512],
    ["1.5gb", 1536],
    ["2048", 2048],
    ["1048576k", 1024],
  ])("%s is %d MiB", (size, mib) => expect(sizeMiB(size)).toBe(mib));

  it("raises in whole MiB", () => {
    expect(raiseSize("1g", 1.5)).toBe("1536m");
    expect(raiseSize("1000m", 1.33)).toBe("1330m");
    expect(raiseSize("lots", 2)).toBe("lots");
  });

  it("raises the spec's fields, or Spark's 1g default, or spark.conf where it sets them", async () => {
    const plain = raiseMemory(await load(), 1.5);
    expect([plain.driver, plain.executor, plain.spec.spark.driver.memory, plain.spec.spark.executor.memory]).toEqual(["1536m", "1536m", "1536m", "1536m"]);
    const set = await load("spark:", "  driver: { memory: 2g }", "  conf: { spark.executor.memory: 4g }");
    const raised = raiseMemory(set, 2);
    expect(raised.spec.spark.driver.memory).toBe("4096m");
    expect(raised.spec.spark.conf["spark.executor.memory"]).toBe("8192m");
    expect(raised.spec.spark.executor.memory).toBeUndefined();
    expect(set.spark.driver.memory).toBe("2g"); // the original is untouched
  });
});
