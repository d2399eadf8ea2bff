// Reads the Spark driver's own failure out of its output: lines `mlship-error[E_DATA]: message`
// (spark-scripts/mlship_train.py), whose code is one of the catalogue's driver codes (src/error-codes.ts).
import { isDriverErrorCode, type DriverErrorCode } from "../error-codes.js";

export interface DriverErrorLine {
  code: string | null; // null for a line without a code (`mlship-error: message`, as older drivers print)
  message: string;
}

export interface DriverFailure {
  code: DriverErrorCode | "E_RUN_FAILED"; // E_RUN_FAILED when the driver printed no code mlship knows
  problems: string[]; // at least one, each one line
}

const LINE = /^mlship-error(?:\[(E_[A-Z][A-Z_]*)\])?: (.*)$/;

// One driver error line as its code and message; null for any other line.
export function parseDriverErrorLine(line: string): DriverErrorLine | null {
  const m = LINE.exec(line);
  return m ? { code: m[1] ?? null, message: m[2]!.trim() } : null;
}

// The driver's failure: the code of its last error line and every problem it printed with that code; null when it printed none.
export function driverFailure(lines: readonly DriverErrorLine[]): DriverFailure | null {
  const last = lines.at(-1);
  if (!last) return null;
  const problems = lines.filter((l) => l.code === last.code).map((l) => l.message);
  return { code: last.code !== null && isDriverErrorCode(last.code) ? last.code : "E_RUN_FAILED", problems };
}
