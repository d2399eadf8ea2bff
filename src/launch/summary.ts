// Picks the lines that explain a failed Spark run out of thousands of log lines.
import { driverFailure, parseDriverErrorLine, type DriverErrorLine, type DriverFailure } from "./driver-error.js";
import { causeHint, type CauseHint } from "./cause.js";

const MAX_LINES = 8;
const MAX_DRIVER_ERRORS = 100; // a driver printing more is not telling mlship anything more
const MAX_HINTS = 10; // the first lines that told a cause (cause.ts), one per distinct match
const ERROR_PATTERN = /(\bERROR\b|Exception|Error:|Traceback|Caused by:|error:)/;
const NOISE = /^\s+at |^\s*\.\.\. \d+ more|^\s*$/;

// Keeps a bounded tail of lines and the most telling error lines.
export class FailureSummary {
  private readonly tail: string[] = [];
  private readonly errors: string[] = [];
  private readonly driverErrors: DriverErrorLine[] = [];
  readonly hints: CauseHint[] = [];
  applicationId: string | null = null;

  add(line: string): void {
    const driverError = parseDriverErrorLine(line);
    if (driverError) push(this.driverErrors, { ...driverError, message: cut(driverError.message) }, MAX_DRIVER_ERRORS);
    else if (ERROR_PATTERN.test(line) && !NOISE.test(line)) push(this.errors, cut(line), 40);
    if (!NOISE.test(line)) push(this.tail, cut(line), 20);
    const hint = this.hints.length < MAX_HINTS && !NOISE.test(line) ? causeHint(line) : null;
    if (hint && !this.hints.some((h) => h.match === hint.match)) this.hints.push({ ...hint, match: cut(hint.match) });
    this.applicationId ??= applicationIdIn(line);
  }

  // The lines to show: the script's own mlship-error lines, else the last error-looking lines, else the tail.
  lines(): string[] {
    if (this.driverErrors.length) return this.driverErrors.slice(0, MAX_LINES * 2).map((e) => e.message);
    if (this.errors.length) return this.errors.slice(-MAX_LINES);
    return this.tail.slice(-MAX_LINES);
  }

  // The script's own failure (code and problems) from its mlship-error lines, if it printed any.
  driverFailure(): DriverFailure | null {
    return driverFailure(this.driverErrors);
  }
}

function push<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.shift();
}

const cut = (line: string) => (line.length > 500 ? `${line.slice(0, 500)}…` : line);

// Spark application ids as the cluster managers print them.
export function applicationIdIn(line: string): string | null {
  const m =
    /\b(application_\d+_\d+|app-\d{14}-\d{4,}|local-\d{10,}|driver-\d{14}-\d{4,})\b/.exec(line) ??
    /\bspark-app-selector[=:]\s*(\S+)/.exec(line);
  return m ? m[1]! : null;
}
