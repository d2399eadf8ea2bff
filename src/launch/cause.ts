// Why a Spark attempt failed, as a cause a retry policy acts on: from its exit, the driver's code and its log lines.

export type Cause = (typeof CAUSES)[number];
export const CAUSES = ["transient", "oom", "data", "spec", "timeout", "interrupted", "unknown"] as const;

// A log line that tells a cause, with the words that told it.
export interface CauseHint {
  cause: "transient" | "oom";
  match: string;
}

// Spark 4 / Hadoop / YARN / Kubernetes / Python wordings. OOM is tested first: an executor killed for its memory is
// also "lost", and raising memory (not waiting) is what helps.
const OOM: RegExp[] = [
  /java\.lang\.OutOfMemoryError(?::[^\n]{0,60})?/,
  /Container killed by YARN for exceeding (?:physical |virtual )?memory limits/,
  /Container killed[^\n]{0,80}exceed(?:ing|ed|s) memory limits?/i,
  /\bOOMKilled\b/,
  /\bMemoryError\b/, // Python's own (the driver's E_DRIVER line names it: "unexpected MemoryError")
  /_ArrayMemoryError|Unable to allocate [\d.]+ [KMGTP]iB/, // numpy's
  /Not enough memory to build and broadcast the table/,
];
// Exit 137 (SIGKILL) is an OOM only when the log also speaks of memory.
const EXIT_137 = /\b(?:exit(?:ed)? (?:code|status)(?: is)?:? ?137|exitCode[=:] ?137)\b/i;
const MEMORY_WORDS = /memory (?:limit|usage|used)|oom[- ]?kill|container OOM|out of memory|memoryOverhead/i;

const TRANSIENT: RegExp[] = [
  /ExecutorLostFailure/,
  /Lost executor \S+ on \S+/,
  /Executor lost:? \S*/i,
  /\b[Ww]orker (?:\S+ )?(?:lost|removed)\b|Removing worker \S+/,
  /Remote RPC client disassociated/,
  /\b(?:[Pp]reempt(?:ed|ion))\b[^\n]{0,40}/,
  /(?<![.\w])(?:Executor)?[Dd]ecommission(?:ed|ing)?\b[^\n]{0,40}/, // not a setting's name (spark.decommission.enabled)
  /The executor with id \S+ was deleted by a user or the framework/,
  /FetchFailedException/,
  /\bSlowDown\b|Slow Down|Please reduce your request rate|AWSServiceThrottledException|Status Code: 503|\b503 Service Unavailable\b/,
  /Connection reset(?: by peer)?/,
  /java\.net\.UnknownHostException:?\s?\S*/,
  /java\.net\.SocketTimeoutException/,
];

// The cause a single log line tells, if any (OOM before transient).
export function causeHint(line: string): CauseHint | null {
  for (const re of OOM) {
    const m = re.exec(line);
    if (m) return { cause: "oom", match: m[0].trim() };
  }
  if (EXIT_137.test(line) && MEMORY_WORDS.test(line)) return { cause: "oom", match: line.trim().slice(0, 120) };
  for (const re of TRANSIENT) {
    const m = re.exec(line);
    if (m) return { cause: "transient", match: m[0].trim() };
  }
  return null;
}

// The driver's own codes (src/error-codes.ts) and what they mean for a retry.
const DATA_CODES = new Set(["E_DATA", "E_UPDATE", "E_INPUT_CHANGED", "E_PARITY", "E_ARTIFACTS"]);
const SPEC_CODES = new Set(["E_JOB", "E_NOT_PORTABLE", "E_EXPORT"]);
const TRANSIENT_CODES = new Set(["E_NO_EXECUTOR"]);

// What is known of a finished attempt.
export interface AttemptOutcome {
  exitCode: number | null;
  signal: string | null;
  interrupted: boolean; // stopped by a signal or a newer run
  timedOut: boolean; // stopped by timeout.run
  driverCode: string | null; // the code of the driver's mlship-error lines, if it printed any
  hints: readonly CauseHint[]; // what its log lines told (causeHint), in order
  lines?: readonly string[]; // other telling lines (the failure summary), checked for hints too
}

export interface Classified {
  cause: Cause;
  evidence: string | null; // the code or the words that decided it
}

// The cause of a failed attempt. The driver's data and spec codes win (retrying cannot fix them); then memory,
// then a lost executor/worker/store connection; an exit with nothing telling is `unknown` (never retried).
export function classifyAttempt(o: AttemptOutcome): Classified {
  if (o.timedOut) return { cause: "timeout", evidence: "timeout.run" };
  if (o.interrupted) return { cause: "interrupted", evidence: o.signal };
  const code = o.driverCode;
  if (code && DATA_CODES.has(code)) return { cause: "data", evidence: code };
  if (code && SPEC_CODES.has(code)) return { cause: "spec", evidence: code };
  if (code && TRANSIENT_CODES.has(code)) return { cause: "transient", evidence: code };
  const hints = [...o.hints, ...(o.lines ?? []).map(causeHint).filter((h): h is CauseHint => h !== null)];
  const oom = hints.find((h) => h.cause === "oom");
  if (oom) return { cause: "oom", evidence: oom.match };
  if (o.exitCode === 137 && hints.length === 0 && (o.lines ?? []).some((l) => MEMORY_WORDS.test(l))) return { cause: "oom", evidence: "exit 137" };
  const transient = hints.find((h) => h.cause === "transient");
  if (transient) return { cause: "transient", evidence: transient.match };
  // E_FIT is Spark's own refusal of the fit (a parameter, the data's shape) unless the log showed a lost executor.
  if (code === "E_FIT") return { cause: "spec", evidence: code };
  return { cause: "unknown", evidence: code };
}
