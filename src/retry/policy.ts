// The spec's timeout: and retry: as numbers, and the one decision after a failed attempt: retry (after how long,
// raising memory?) or stop, with what to change.
import type { JobSpec } from "../jobspec/schema.js";
import type { Cause } from "../launch/cause.js";
import { formatDuration, parseDuration } from "./duration.js";

export const DEFAULT_BACKOFF_SECONDS = 30;
export const BACKOFF_CAP_SECONDS = 600; // doubling stops here (or at the first wait, when that is longer)

export interface RetryPolicy {
  attempts: number; // 1: no retry
  backoffSeconds: number; // the wait before the second attempt; doubled before each later one
  onOutOfMemory: number | null; // memory factor on an OOM retry; null: OOM does not retry
  runSeconds: number | null; // timeout.run: the whole run, retries and waits included
  noExecutorSeconds: number | null; // timeout.noExecutor: a Spark job with no executor (the driver watches)
}

// The policy a spec asks for (its durations were checked when it loaded).
export function retryPolicy(spec: Pick<JobSpec, "timeout" | "retry">): RetryPolicy {
  const { timeout, retry } = spec;
  return {
    attempts: retry?.attempts ?? 1,
    backoffSeconds: parseDuration(retry?.backoff) ?? DEFAULT_BACKOFF_SECONDS,
    onOutOfMemory: retry?.onOutOfMemory ?? null,
    runSeconds: parseDuration(timeout?.run),
    noExecutorSeconds: parseDuration(timeout?.noExecutor),
  };
}

// The wait after failed attempt `attempt` (1-based): backoff, 2×backoff, 4×… up to the cap.
export function backoffSeconds(policy: Pick<RetryPolicy, "backoffSeconds">, attempt: number): number {
  const cap = Math.max(BACKOFF_CAP_SECONDS, policy.backoffSeconds);
  return Math.min(cap, policy.backoffSeconds * 2 ** Math.max(0, attempt - 1));
}

export type RetryDecision =
  | { retry: true; waitSeconds: number; raiseMemoryBy: number | null }
  | { retry: false; why: string }; // why not, and what to change

// After attempt `attempt` failed with `cause`: another attempt, or why not and what to change.
export function decide(policy: RetryPolicy, attempt: number, cause: Cause): RetryDecision {
  const left = attempt < policy.attempts;
  const wait = () => backoffSeconds(policy, attempt);
  switch (cause) {
    case "transient":
      if (left) return { retry: true, waitSeconds: wait(), raiseMemoryBy: null };
      return {
        retry: false,
        why: policy.attempts > 1
          ? `a transient failure (a lost worker or executor, preemption, store throttling or a dropped connection) on every one of ${policy.attempts} attempts: check the cluster and the store; retry.attempts: ${policy.attempts + 2} allows more`
          : "a transient failure (a lost worker or executor, preemption, store throttling or a dropped connection): check the cluster; retry.attempts: 3 retries transient failures",
      };
    case "oom":
      if (policy.onOutOfMemory === null) return { retry: false, why: "out of memory: raise spark.executor.memory (or spark.driver.memory for a local master), or set retry.onOutOfMemory (e.g. 1.5) to retry with more" };
      if (left) return { retry: true, waitSeconds: wait(), raiseMemoryBy: policy.onOutOfMemory };
      return { retry: false, why: `out of memory on every one of ${policy.attempts} attempts, memory raised ×${policy.onOutOfMemory} each time: raise spark.executor.memory / spark.driver.memory, or repartition the data` };
    case "data":
      return { retry: false, why: "not retried: a data problem fails the same way every time; fix the data or the spec's columns" };
    case "spec":
      return { retry: false, why: "not retried: a spec problem fails the same way every time; fix the spec" };
    case "timeout":
      return { retry: false, why: "not retried: timeout.run covers the whole run, retries included; raise timeout.run or give the job more resources" };
    case "interrupted":
      return { retry: false, why: "not retried: the run was stopped" };
    case "unknown":
      return { retry: false, why: "not retried: the cause is not one mlship knows to be transient; read the driver log" };
  }
}

// The policy in a line, for `mlship plan` ("" when the spec sets neither timeout: nor retry:).
export function describePolicy(policy: RetryPolicy): string {
  const parts: string[] = [];
  if (policy.runSeconds !== null) parts.push(`timeout.run ${formatDuration(policy.runSeconds)}`);
  if (policy.noExecutorSeconds !== null) parts.push(`timeout.noExecutor ${formatDuration(policy.noExecutorSeconds)}`);
  if (policy.attempts > 1) {
    const waits = Array.from({ length: policy.attempts - 1 }, (_, i) => formatDuration(backoffSeconds(policy, i + 1)));
    parts.push(`retry: ${policy.attempts} attempts for transient failures${policy.onOutOfMemory !== null ? ` and out of memory (memory ×${policy.onOutOfMemory} each retry)` : ""}, waiting ${waits.join(", ")}`);
  }
  return parts.join("; ");
}
