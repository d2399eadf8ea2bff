// The attempt loop of one run: which failures run again, the waits, the logs kept, the memory raised, the stops.
import { describe, expect, it } from "vitest";
import type { LaunchResult } from "../../src/launch/index.js";
import { FailureSummary } from "../../src/launch/index.js";
import { runAttempts, type AttemptEntry, type AttemptLoopInput } from "../../src/runs/attempts.js";
import { runDeadline, RunTimedOut } from "../../src/runs/deadline.js";
import type { JobSpec } from "../../src/jobspec/schema.js";
import type { RetryPolicy } from "../../src/retry/policy.js";

const SPEC = { name: "churn", spark: { conf: {}, driver: { memory: "1g" }, executor: {} } } as unknown as JobSpec;
const T0 = new Date("2026-12-07T10:00:00Z");

// A finished attempt whose log had these lines.
function ended(exitCode: number, ...lines: string[]): LaunchResult {
  const summary = new FailureSummary();
  for (const l of lines) summary.add(l);
  return { exitCode, signal: null, interrupted: null, summary: summary.lines(), driverFailure: summary.driverFailure(), hints: summary.hints, applicationId: null, startedAt: T0, endedAt: T0 };
}

const LOST = "ERROR TaskSchedulerImpl: Lost executor 0 on 127.0.0.1: Remote RPC client disassociated.";
const NO_EXECUTOR = "mlship-error[E_NO_EXECUTOR]: no executor for 20 s while a Spark job waited";
const OOM = "java.lang.OutOfMemoryError: Java heap space";
const DATA = "mlship-error[E_DATA]: label column 'nope' is not in the data";

function harness(results: LaunchResult[], policy: Partial<RetryPolicy> = {}, signal = new AbortController().signal) {
  const logs: string[] = [];
  const waits: number[] = [];
  const specs: JobSpec[] = [];
  const recorded: AttemptEntry[] = [];
  const messages: string[] = [];
  let cleared = 0;
  const input: AttemptLoopInput = {
    policy: { attempts: 3, backoffSeconds: 5, onOutOfMemory: null, runSeconds: null, noExecutorSeconds: null, ...policy },
    spec: SPEC,
    signal,
    timedOut: () => false,
    runOnce: async (spec) => {
      specs.push(spec);
      return { result: results.shift()!, log: new Uint8Array() };
    },
    keepLog: async (key) => void logs.push(key),
    beforeRetry: async () => void cleared++,
    recordAttempt: async (e) => void recorded.push({ ...e }),
    progress: (m) => void messages.push(m),
    sleep: async (ms) => void waits.push(ms),
    redact: (s) => s,
  };
  return { input, logs, waits, specs, recorded, messages, cleared: () => cleared };
}

describe("the attempts of a run", () => {
  it("a transient failure runs again after the backoff; the earlier log is kept as attempt-1/driver.log", async () => {
    const h = harness([ended(1, LOST, NO_EXECUTOR), ended(0)]);
    const out = await runAttempts(h.input);
    expect(out.failure).toBeNull();
    expect(h.logs).toEqual(["attempt-1/driver.log", "driver.log"]);
    expect(h.waits).toEqual([5000]);
    expect(h.cleared()).toBe(1);
    expect(out.attempts.map((a) => [a.attempt, a.cause ?? null, a.code ?? null])).toEqual([[1, "transient", "E_NO_EXECUTOR"], [2, null, null]]);
    expect(h.recorded).toHaveLength(2);
    expect(h.messages[0]).toMatch(/^attempt 1 of 3 failed \(transient: E_NO_EXECUTOR\); next attempt in 5s/);
  });

  it("stops after the last attempt, doubling the waits, and says what to change", async () => {
    const h = harness([ended(1, LOST), ended(1, LOST), ended(1, LOST)]);
    const out = await runAttempts(h.input);
    expect(h.waits).toEqual([5000, 10000]);
    expect(out.attempts).toHaveLength(3);
    expect(out.failure?.classified.cause).toBe("transient");
    expect(out.failure?.decision.why).toMatch(/on every one of 3 attempts: check the cluster/);
    expect(h.logs).toEqual(["attempt-1/driver.log", "attempt-2/driver.log", "driver.log"]);
  });

  it("a data error runs once, whatever retry.attempts says", async () => {
    const h = harness([ended(1, DATA)], { attempts: 5 });
    const out = await runAttempts(h.input);
    expect(out.attempts).toEqual([expect.objectContaining({ attempt: 1, cause: "data", code: "E_DATA", message: "label column 'nope' is not in the data", log: "driver.log" })]);
    expect(out.failure?.decision.why).toMatch(/^not retried: a data problem/);
    expect(h.waits).toEqual([]);
  });

  it("out of memory runs again only with onOutOfMemory, with the memory raised", async () => {
    const without = harness([ended(1, OOM)]);
    expect((await runAttempts(without.input)).failure?.decision.why).toMatch(/set retry.onOutOfMemory/);
    const h = harness([ended(1, OOM), ended(0)], { onOutOfMemory: 1.5 });
    const out = await runAttempts(h.input);
    expect(out.failure).toBeNull();
    expect(h.specs[1]!.spark.driver.memory).toBe("1536m");
    expect(h.specs[1]!.spark.executor.memory).toBe("1536m");
    expect(out.attempts[1]!.memory).toEqual({ driver: "1536m", executor: "1536m" });
  });

  it("a stop during the wait ends the run as stopped, with no further attempt", async () => {
    const controller = new AbortController();
    const h = harness([ended(1, LOST), ended(0)], {}, controller.signal);
    h.input.sleep = async () => controller.abort(new Error("replaced"));
    const out = await runAttempts(h.input);
    expect(out.attempts).toHaveLength(1);
    expect(out.result.interrupted).toBe("SIGTERM");
    expect(out.failure?.classified.cause).toBe("interrupted");
  });
});

describe("a run's deadline", () => {
  it("aborts with RunTimedOut when timeout.run passes, and tells", () => {
    let fire: () => void = () => undefined;
    const fakeTimer = ((fn: () => void) => ((fire = fn), 0)) as unknown as typeof setTimeout;
    const d = runDeadline(60, undefined, fakeTimer);
    expect(d.signal.aborted).toBe(false);
    fire();
    expect(d.signal.aborted).toBe(true);
    expect(d.timedOut()).toBe(true);
    expect(d.signal.reason).toBeInstanceOf(RunTimedOut);
    d.clear();
  });

  it("follows the caller's stop, which is not a timeout", () => {
    const outer = new AbortController();
    const d = runDeadline(null, outer.signal);
    outer.abort(new Error("replaced by run X"));
    expect(d.signal.aborted).toBe(true);
    expect(d.timedOut()).toBe(false);
    expect((d.signal.reason as Error).message).toBe("replaced by run X");
    d.clear();
  });
});
