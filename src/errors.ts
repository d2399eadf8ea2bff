// The few error classes mlship throws, each with a stable code whose exit code comes from the catalogue (src/error-codes.ts).
import { exitCodeOf, type CodeWithExit, type ExitCode } from "./error-codes.js";

export { EXIT, type ExitCode } from "./error-codes.js";

// One located problem in a spec: "file:line:col path: message".
export interface SpecProblem {
  file: string;
  line: number; // 1-based; 0 when the problem has no place in a file (e.g. --set)
  col: number; // 1-based
  path: string; // dotted path, e.g. spark.executor.memory
  message: string; // what was expected, what was found
}

// Formats one problem the way editors and terminals link it.
export function formatProblem(p: SpecProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

// The user asked for something wrong (bad flag, bad spec, unknown model): exit 2.
export class UserError extends Error {
  readonly exitCode: ExitCode;
  readonly details: string[];
  constructor(
    message: string,
    readonly code: CodeWithExit<2> = "E_USAGE",
    options?: { cause?: unknown; details?: string[] },
  ) {
    super(message, options);
    this.name = "UserError";
    this.exitCode = exitCodeOf(code);
    this.details = options?.details ?? [];
  }
}

// A spec that failed to load or validate (E_SPEC), or that the run's plan refuses (E_PLAN); carries every problem at once.
export class SpecError extends UserError {
  constructor(
    readonly problems: SpecProblem[],
    code: "E_SPEC" | "E_PLAN" | "E_TRANSFER" = "E_SPEC",
  ) {
    super(problems.map(formatProblem).join("\n"), code);
    this.name = "SpecError";
  }
}

// An operation failed (Spark job, checksum, parity, store): exit 1, 4 for a run the job's lease refused (E_RUN_LOCKED),
// 5 for a run `runs kill` found already ended (E_RUN_ENDED), or 130 for an interrupted run (E_KILLED).
export class FatalError extends Error {
  readonly exitCode: ExitCode;
  readonly details: string[];
  constructor(
    message: string,
    readonly code: CodeWithExit<1 | 4 | 5 | 130>,
    options?: { cause?: unknown; details?: string[] },
  ) {
    super(message, options);
    this.name = "FatalError";
    this.exitCode = exitCodeOf(code);
    this.details = options?.details ?? [];
  }
}

// A record in the store that is not what mlship writes (cut short, not JSON, the wrong shape): names its key and
// what is wrong; exit 1. Listings catch it per record, so one damaged record does not hide the others.
export class StoreRecordError extends FatalError {
  constructor(
    readonly key: string,
    readonly problems: string[],
    where?: string,
  ) {
    super(`damaged store record ${key}${where ? ` in ${where}` : ""}: ${problems.join("; ")} (see: mlship store check)`, "E_STORE_RECORD");
    this.name = "StoreRecordError";
  }
}
