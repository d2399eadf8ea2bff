// Picks the lines that explain a failed Spark run out of thousands of log lines.

const MAX_LINES = 8;
const ERROR_PATTERN = /(\bERROR\b|Exception|Error:|Traceback|Caused by:|error:)/;
const NOISE = /^\s+at |^\s*\.\.\. \d+ more|^\s*$/;

// Keeps a bounded tail of lines and the most telling error lines.
export class FailureSummary {
  private readonly tail: string[] = [];
  private readonly errors: string[] = [];
  private readonly mlshipErrors: string[] = [];
  applicationId: string | null = null;

  add(line: string): void {
    if (line.startsWith("mlship-error: ")) this.mlshipErrors.push(line.slice("mlship-error: ".length));
    else if (ERROR_PATTERN.test(line) && !NOISE.test(line)) push(this.errors, line, 40);
    if (!NOISE.test(line)) push(this.tail, line, 20);
    this.applicationId ??= applicationIdIn(line);
  }

  // The lines to show: the script's own mlship-error lines, else the last error-looking lines, else the tail.
  lines(): string[] {
    if (this.mlshipErrors.length) return this.mlshipErrors.slice(0, MAX_LINES * 2);
    if (this.errors.length) return this.errors.slice(-MAX_LINES);
    return this.tail.slice(-MAX_LINES);
  }
}

function push(list: string[], line: string, max: number): void {
  list.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
  if (list.length > max) list.shift();
}

// Spark application ids as the cluster managers print them.
export function applicationIdIn(line: string): string | null {
  const m =
    /\b(application_\d+_\d+|app-\d{14}-\d{4,}|local-\d{10,}|driver-\d{14}-\d{4,})\b/.exec(line) ??
    /\bspark-app-selector[=:]\s*(\S+)/.exec(line);
  return m ? m[1]! : null;
}
