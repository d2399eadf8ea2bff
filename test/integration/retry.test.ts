// Timeouts and retries by cause on real Spark: a worker killed mid-run on a private standalone cluster
// (timeout.noExecutor ends the attempt as E_NO_EXECUTOR, a new worker joins, the retry registers), a data error
// that is never retried, and timeout.run stopping a local run.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mlship, mlshipChild } from "../helpers/cli.js";
import { startStandalone, type StandaloneCluster } from "../helpers/standalone.js";
import { tempDir } from "../helpers/tmp.js";
import { waitFor } from "../helpers/wait.js";

const work = tempDir("mlship-retry-");
const runRecord = (store: string, runId: string) => JSON.parse(readFileSync(join(store, "runs", "churn", runId, "run.json"), "utf8"));
const runIdIn = (text: string) => /run (\S+): spark-submit/.exec(text)?.[1] ?? "";


describe("retries on a standalone cluster that loses its worker", () => {
  let cluster: StandaloneCluster;
  beforeAll(async () => {
    cluster = await startStandalone({ workers: 1, cores: 1 }); // private: this test kills its worker
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it("the first attempt fails E_NO_EXECUTOR (transient), a new worker joins, the second attempt registers", async () => {
    const store = join(work, "lost-worker");
    const started = Date.now();
    const sets = [`spark.master=${cluster.masterUrl}`, "timeout.noExecutor=20s", "retry.attempts=2", "retry.backoff=2s"];
    const child = mlshipChild(["train", "jobs/quickstart.yaml", "--store", store, ...sets.flatMap((s) => ["--set", s])]);
    let output = "";
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    onTestFailed(() => console.log(`retry: the CLI's output:\n${output.split("\n").filter((l) => /mlship|ERROR|WARN/.test(l)).slice(-60).join("\n")}`));
    // The worker (and its executor) dies as soon as the application exists: every job of the attempt now waits.
    expect(await waitFor(() => /spark application app-\d+-\d+/.test(output), 120_000), output).toBe(true);
    await cluster.workers[0]!.kill();
    expect(await waitFor(() => /attempt 1 of 2 failed \(transient: E_NO_EXECUTOR\)/.test(output), 120_000), output).toBe(true);
    await cluster.addWorker();
    const r = await child;
    expect(r.exitCode, output).toBe(0);
    console.log(`retry: lost worker, two attempts, registered in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const record = runRecord(store, runIdIn(output));
    expect(record).toMatchObject({ status: "succeeded", registeredVersion: 1 });
    expect(record.attempts).toEqual([
      expect.objectContaining({ attempt: 1, cause: "transient", code: "E_NO_EXECUTOR", exitCode: 1, log: "attempt-1/driver.log", message: expect.stringContaining("no executor for 20 s") }),
      expect.objectContaining({ attempt: 2, exitCode: 0, log: "driver.log" }),
    ]);
    expect(record.attempts[1].cause).toBeUndefined();
    const runDir = join(store, "runs", "churn", record.runId);
    expect(readFileSync(join(runDir, "attempt-1", "driver.log"), "utf8")).toContain("mlship-error[E_NO_EXECUTOR]");
    expect(readFileSync(join(runDir, "driver.log"), "utf8")).not.toContain("mlship-error");
    const show = await mlship(["runs", "show", record.runId, "--store", store]);
    expect(show.stdout).toMatch(/attempt 1 +transient E_NO_EXECUTOR exit 1: no executor for 20 s/);
  }, 900_000); // ~90 s on an idle machine; much more when the CI host is shared
});

describe("causes that are never retried, on local Spark", () => {
  it("a data error with retry.attempts: 3 runs once and says why it was not retried", async () => {
    const store = join(work, "data-error");
    const started = Date.now();
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--set", "model.label=no_such_column", "--set", "retry.attempts=3", "--set", "retry.backoff=1s"]);
    console.log(`retry: data error, one attempt, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/no_such_column/);
    expect(r.stderr).toMatch(/not retried: a data problem fails the same way every time/);
    expect(r.stderr).not.toMatch(/attempt 2/);
    const record = runRecord(store, runIdIn(r.stderr));
    expect(record).toMatchObject({ status: "failed", errorCode: "E_DATA" });
    expect(record.attempts).toEqual([expect.objectContaining({ attempt: 1, cause: "data", code: "E_DATA", log: "driver.log" })]);
  }, 180_000);

  it("timeout.run stops a run, recorded timed-out with E_TIMEOUT; nothing registered", async () => {
    const store = join(work, "timeout");
    const started = Date.now();
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--set", "timeout.run=3s", "--set", "retry.attempts=3"]);
    console.log(`retry: timeout.run 3s, stopped and recorded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/exceeded timeout\.run \(3s\); Spark was stopped; nothing registered/);
    const record = runRecord(store, runIdIn(r.stderr));
    expect(record).toMatchObject({ status: "timed-out", errorCode: "E_TIMEOUT" });
    expect(record.attempts).toEqual([expect.objectContaining({ attempt: 1, cause: "timeout", code: "E_TIMEOUT" })]);
    expect(existsSync(join(store, "registry"))).toBe(false);
  }, 180_000);
});
