// The attempts of one run (one run id): launch, classify the failure, decide by its cause (src/retry/), keep each
// attempt's log, wait, launch again, raising memory after an out-of-memory failure when the spec asks.
import type { JobSpec } from "../jobspec/schema.js";
import { classifyAttempt, type Cause, type Classified, type LaunchResult } from "../launch/index.js";
import { decide, type RetryDecision, type RetryPolicy } from "../retry/policy.js";
import { raiseMemory } from "../retry/memory.js";
import { formatDuration } from "../retry/duration.js";

// One attempt as run.json keeps it (`attempts`).
export interface AttemptEntry {
  attempt: number; // 1-based
  startedAt: string;
  endedAt: string;
  exitCode: number | null;
  signal?: string | null;
  cause?: Cause; // for a failed attempt
  code?: string; // its error code (the driver's, or E_RUN_FAILED / E_TIMEOUT / E_KILLED)
  message?: string; // its first problem line (redacted)
  log?: string; // where its driver log is kept, relative to the run's folder
  memory?: { driver: string; executor: string }; // the memory it ran with, when a retry raised it
}

export interface AttemptLoopInput {
  policy: RetryPolicy;
  spec: JobSpec; // the spec of the first attempt
  signal: AbortSignal; // aborted: no more attempts (the run was stopped, or timeout.run passed)
  timedOut: () => boolean; // whether `signal` was aborted by timeout.run
  runOnce: (spec: JobSpec, attempt: number) => Promise<{ result: LaunchResult; log: Uint8Array }>;
  keepLog: (key: string, log: Uint8Array) => Promise<void>; // key relative to the run's folder
  beforeRetry: () => Promise<void>; // e.g. clear the failed attempt's partial output
  recordAttempt: (entry: AttemptEntry) => Promise<void>; // appended to run.json
  progress: (message: string) => void;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>; // resolves early when signal aborts
  redact: (text: string) => string;
}

export interface AttemptLoopOutcome {
  result: LaunchResult; // the last attempt's
  attempts: AttemptEntry[];
  failure: { classified: Classified; decision: RetryDecision & { retry: false } } | null; // null: the last attempt's Spark succeeded
  timedOut: boolean;
}

export const LAST_LOG = "driver.log";
export const attemptLog = (attempt: number) => `attempt-${attempt}/driver.log`;

// Runs attempts until one succeeds or the policy says stop; the last attempt's log is driver.log, earlier ones
// attempt-N/driver.log.
export async function runAttempts(input: AttemptLoopInput): Promise<AttemptLoopOutcome> {
  const attempts: AttemptEntry[] = [];
  let spec = input.spec;
  let memory: AttemptEntry["memory"];
  for (let attempt = 1; ; attempt++) {
    const { result, log } = await input.runOnce(spec, attempt);
    const entry: AttemptEntry = { attempt, startedAt: result.startedAt.toISOString(), endedAt: result.endedAt.toISOString(), exitCode: result.exitCode, signal: result.signal, ...(memory ? { memory } : {}) };
    attempts.push(entry);
    const ok = result.exitCode === 0 && !result.interrupted;
    const classified = ok ? null : classify(result, input.timedOut());
    const decision = classified ? decide(input.policy, attempt, classified.cause) : null;
    if (classified) Object.assign(entry, { cause: classified.cause, code: codeOf(result, classified), message: input.redact(firstProblem(result)) });
    const retrying = decision?.retry === true && !input.signal.aborted;
    entry.log = retrying ? attemptLog(attempt) : LAST_LOG;
    await input.keepLog(entry.log, log);
    await input.recordAttempt(entry);
    if (!classified || !decision) return { result, attempts, failure: null, timedOut: false };
    if (!retrying || !decision.retry) {
      // A retry the run's stop (or timeout.run) pre-empted ends as that stop.
      const stopped = decision.retry ? decide(input.policy, attempt, input.timedOut() ? "timeout" : "interrupted") : decision;
      return { result, attempts, failure: { classified, decision: stopped as RetryDecision & { retry: false } }, timedOut: input.timedOut() };
    }
    input.progress(`attempt ${attempt} of ${input.policy.attempts} failed (${classified.cause}: ${input.redact(classified.evidence ?? "see the log")}); next attempt in ${formatDuration(decision.waitSeconds)}; its log: ${entry.log}`);
    if (decision.raiseMemoryBy !== null) {
      const raised = raiseMemory(spec, decision.raiseMemoryBy);
      spec = raised.spec;
      memory = { driver: raised.driver, executor: raised.executor };
      input.progress(`out of memory: attempt ${attempt + 1} runs with spark.driver.memory=${raised.driver} spark.executor.memory=${raised.executor} (retry.onOutOfMemory ×${decision.raiseMemoryBy})`);
    }
    await input.beforeRetry();
    await input.sleep(decision.waitSeconds * 1000, input.signal);
    if (input.signal.aborted) {
      const cause = input.timedOut() ? "timeout" : "interrupted";
      const reason: unknown = input.signal.reason;
      const interrupted = result.interrupted ?? (reason instanceof SignalStop ? reason.signal : "SIGTERM");
      return { result: { ...result, interrupted }, attempts, failure: { classified: { cause, evidence: null }, decision: decide(input.policy, attempt, cause) as RetryDecision & { retry: false } }, timedOut: input.timedOut() };
    }
  }
}

// An attempt's cause: timeout.run and stops first, then what the driver and the log said.
function classify(result: LaunchResult, timedOut: boolean): Classified {
  return classifyAttempt({
    exitCode: result.exitCode,
    signal: result.signal ?? result.interrupted,
    interrupted: result.interrupted !== null,
    timedOut,
    driverCode: result.driverFailure?.code ?? null,
    hints: result.hints,
    lines: result.summary,
  });
}

function codeOf(result: LaunchResult, c: Classified): string {
  if (c.cause === "timeout") return "E_TIMEOUT";
  if (c.cause === "interrupted") return "E_KILLED";
  return result.driverFailure?.code ?? "E_RUN_FAILED";
}

const firstProblem = (result: LaunchResult): string => (result.driverFailure?.problems[0] ?? result.summary.at(-1) ?? `exit code ${result.exitCode ?? result.signal}`).slice(0, 500);

// The abort reason of a run stopped by a signal while no Spark ran (a retry's wait).
export class SignalStop extends Error {
  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`stopped by ${signal}`);
    this.name = "SignalStop";
  }
}

// A wait that ends early when `signal` aborts, or on SIGINT/SIGTERM (no Spark runs to forward them to).
export function abortableSleep(ms: number, signal: AbortSignal, onSignal: (sig: "SIGINT" | "SIGTERM") => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      process.off("SIGINT", sigint);
      process.off("SIGTERM", sigterm);
      resolve();
    };
    const sigint = () => (onSignal("SIGINT"), done());
    const sigterm = () => (onSignal("SIGTERM"), done());
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    process.on("SIGINT", sigint);
    process.on("SIGTERM", sigterm);
    if (signal.aborted) done();
  });
}
