// `mlship serve` flags → a checked configuration; every bad flag reported at once.
// The types and defaults of that configuration live here too, at the bottom layer, so every layer can read them.
import type { InputMode } from "../../model/input/contract.js";

export interface RawServeOptions {
  store?: string;
  model?: string[];
  port?: string;
  host?: string;
  tokenFile?: string;
  pollInterval?: string;
  bodyLimit?: string;
  workers?: string;
  maxRows?: string;
  maxColumns?: string;
  maxOutput?: string;
  jsonLogs?: boolean;
  accessLog?: boolean;
  strictInputs?: boolean;
  onInvalid?: string;
  requestTimeout?: string;
  headersTimeout?: string;
  idleTimeout?: string;
  keepAliveTimeout?: string;
}

export interface ServeFlags {
  models: string[];
  port: number;
  host: string;
  pollIntervalMs: number;
  bodyLimit: number;
  workers: number; // 1: one process; more: a node:cluster primary and this many workers
  inputs: InputPolicy; // --strict-inputs, --on-invalid
  timeouts: Timeouts;
  limits: RequestLimits;
  accessLog?: true; // --access-log (or MLSHIP_ACCESS_LOG=1): one log line per answered request
}

// How the predict routes treat inputs (src/serve/protocol/inputs.ts): the input contract's mode, and whether
// a batch with rows that cannot be scored is refused or scored without them.
export type OnInvalid = "fail" | "skip";
export const ON_INVALID: readonly OnInvalid[] = ["fail", "skip"];

export interface InputPolicy {
  mode: InputMode;
  onInvalid: OnInvalid;
}

export const DEFAULT_POLICY: InputPolicy = { mode: "lenient", onInvalid: "fail" };

// The connection timeouts (src/serve/http/connection.ts applies them).
export interface Timeouts {
  requestMs: number; // the whole request, headers and body, must arrive within this
  headersMs: number; // the request line and headers must arrive within this (at most requestMs)
  idleMs: number; // a request partly received, then nothing for this long: 408
  keepAliveMs: number; // an idle keep-alive connection is closed after this
}

// keepAliveMs stays longer than common load balancers' idle timeouts (AWS ALB: 60 s), so the balancer closes first.
export const DEFAULT_TIMEOUTS: Timeouts = { requestMs: 30_000, headersMs: 10_000, idleMs: 10_000, keepAliveMs: 72_000 };

// The work one request may ask for, whatever its body claims (docs/serving.md "Limits").
export interface RequestLimits {
  maxRows: number; // rows of one Arrow request
  maxColumns: number; // Arrow fields of one request, nested ones included
  maxOutputBytes: number; // the answer's size, estimated from rows and outputs before scoring
  // Skip the Arrow body check: only bench/serve-arrow.mjs sets it (MLSHIP_BENCH_UNCHECKED_ARROW=1, read once at
  // start-up and logged as a warning), to measure the check's cost against a server without it.
  uncheckedArrow?: boolean;
}

export const DEFAULTS = { port: 8080, host: "127.0.0.1", pollIntervalSeconds: 5, bodyLimit: "8mb", workers: "1", maxRows: 1_000_000, maxColumns: 1000, maxOutput: "256mb" } as const;

// A default 8 MB body holds at most about 1M rows of a single double column (8 bytes a row), so
// 1,000,000 rows refuses no honest default-sized request; the quickstart columns take ~70 bytes a row.
export const DEFAULT_LIMITS: RequestLimits = { maxRows: DEFAULTS.maxRows, maxColumns: DEFAULTS.maxColumns, maxOutputBytes: 256 * 1024 ** 2 };

// `cpus` is the number of CPUs ("auto"), passed in so the parse stays pure.
export function parseServeOptions(raw: RawServeOptions, cpus = 1): { ok: true; flags: ServeFlags } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const models = raw.model ?? [];
  if (models.length === 0) problems.push("--model is required: NAME@ALIAS (follows the alias) or NAME@VERSION (pinned), e.g. --model churn@staging");
  const port = Number(raw.port ?? DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port: expected a port number 0-65535 (0 picks a free one), got "${raw.port}"`);
  const host = raw.host ?? DEFAULTS.host;
  if (host.trim() === "") problems.push("--host: expected an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
  const poll = Number(raw.pollInterval ?? DEFAULTS.pollIntervalSeconds);
  if (!Number.isFinite(poll) || poll < 0.05 || poll > 86_400) problems.push(`--poll-interval: expected seconds between 0.05 and 86400, got "${raw.pollInterval}"`);
  const bodyLimit = parseSize(raw.bodyLimit ?? DEFAULTS.bodyLimit);
  if (bodyLimit === null || bodyLimit < 1024) problems.push(`--body-limit: expected a size of at least 1kb like "8mb" or "512kb", got "${raw.bodyLimit}"`);
  const workersText = (raw.workers ?? DEFAULTS.workers).trim();
  const workers = workersText === "auto" ? Math.max(1, cpus) : Number(workersText);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) problems.push(`--workers: expected a number of processes 1-256 or "auto" (one per CPU), got "${raw.workers}"`);
  const onInvalid = raw.onInvalid ?? "fail";
  if (!(ON_INVALID as readonly string[]).includes(onInvalid)) problems.push(`--on-invalid: expected fail or skip, got "${onInvalid}"`);
  const timeouts = parseTimeouts(raw, problems);
  const maxRows = Number(raw.maxRows ?? DEFAULTS.maxRows);
  if (!Number.isSafeInteger(maxRows) || maxRows < 1) problems.push(`--max-rows: expected a number of rows of at least 1, got "${raw.maxRows}"`);
  const maxColumns = Number(raw.maxColumns ?? DEFAULTS.maxColumns);
  if (!Number.isSafeInteger(maxColumns) || maxColumns < 1 || maxColumns > 1_000_000) problems.push(`--max-columns: expected a number of columns 1-1000000, got "${raw.maxColumns}"`);
  const maxOutputBytes = parseSize(raw.maxOutput ?? DEFAULTS.maxOutput);
  if (maxOutputBytes === null || maxOutputBytes < 1024) problems.push(`--max-output: expected a size of at least 1kb like "256mb", got "${raw.maxOutput}"`);
  if (problems.length) return { ok: false, problems };
  const limits = { maxRows, maxColumns, maxOutputBytes: maxOutputBytes! };
  const inputs: InputPolicy = { mode: raw.strictInputs ? "strict" : "lenient", onInvalid: onInvalid as OnInvalid };
  return { ok: true, flags: { models, port, host, pollIntervalMs: Math.round(poll * 1000), bodyLimit: bodyLimit!, workers, inputs, timeouts, limits, ...(raw.accessLog ? { accessLog: true as const } : {}) } };
}

// The four connection timeouts (src/serve/http/connection.ts); the headers must not be allowed longer than the whole request.
function parseTimeouts(raw: RawServeOptions, problems: string[]): Timeouts {
  const one = (flag: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms !== null && ms >= 100 && ms <= 3_600_000) return ms;
    problems.push(`${flag}: expected a duration from 100ms to 1h like "30s", "500ms" or "2m", got "${text}"`);
    return fallback;
  };
  const t: Timeouts = {
    requestMs: one("--request-timeout", raw.requestTimeout, DEFAULT_TIMEOUTS.requestMs),
    headersMs: one("--headers-timeout", raw.headersTimeout, DEFAULT_TIMEOUTS.headersMs),
    idleMs: one("--idle-timeout", raw.idleTimeout, DEFAULT_TIMEOUTS.idleMs),
    keepAliveMs: one("--keep-alive-timeout", raw.keepAliveTimeout, DEFAULT_TIMEOUTS.keepAliveMs),
  };
  if (t.headersMs > t.requestMs) {
    if (raw.headersTimeout === undefined) t.headersMs = t.requestMs; // a short --request-timeout shortens the default
    else problems.push(`--headers-timeout: must not be longer than --request-timeout (${raw.headersTimeout} > ${raw.requestTimeout ?? "30s"})`);
  }
  return t;
}

const DURATION_UNITS: Record<string, number> = { "": 1000, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

// "30s", "500ms", "2m", "1.5" (seconds) → milliseconds; null when it is not a duration.
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  return m ? Math.round(Number(m[1]) * DURATION_UNITS[(m[2] ?? "").toLowerCase()]!) : null;
}

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

// "8mb", "512kb", "1048576" → bytes; null when it is not a size.
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : null;
}
