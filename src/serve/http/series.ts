// The status page's charts: per second and per model version, requests, errors and a latency histogram, kept for
// the last WINDOW seconds in a ring (bounded memory whatever the traffic). Each worker records its own seconds;
// GET /status/series merges every worker's into one document (sums of counts, percentiles of the summed bins).
import type { ServedVersion } from "../runtime/served.js";

export const SERIES_WINDOW_SECONDS = 300;
export const LATEST_SECONDS = 10; // the charts' text alternative: figures over the last complete seconds

// Latency bins: bin i holds [MIN * RATIO^i, MIN * RATIO^(i+1)) seconds (the first also less, the last also more),
// so a percentile read from the bins is within 10% of the true one from 10 us to about 2 minutes.
const MIN_SECONDS = 1e-5;
const RATIO = 1.2;
export const BINS = 90;
const LOG_RATIO = Math.log(RATIO);

// Not traffic: the page's own requests, scrapers and health probes.
const QUIET_ROUTES = new Set(["/", "/status.json", "/status/series", "/metrics", "/v2/health/live", "/v2/health/ready"]);

// The series of requests not answered by a model version (unknown paths, unknown models, server metadata).
export const OTHER = "other";

// The bin a latency (seconds) falls in.
export function binOf(seconds: number): number {
  if (!(seconds > MIN_SECONDS)) return 0;
  return Math.min(BINS - 1, Math.floor(Math.log(seconds / MIN_SECONDS) / LOG_RATIO));
}

// The geometric middle of a bin, in milliseconds.
export function binMiddleMs(bin: number): number {
  return MIN_SECONDS * RATIO ** (bin + 0.5) * 1000;
}

interface Cell {
  requests: number;
  errors: number;
  bins: Uint32Array;
}

// One worker's seconds, as sent between workers (plain JSON): bins as [bin, count] pairs of the non-empty ones.
export interface WorkerSeries {
  worker: number;
  samples: { second: number; key: string; model: string | null; version: number | null; requests: number; errors: number; bins: [number, number][] }[];
}

export class SeriesStats {
  private readonly cells: (Map<ServedVersion | null, Cell> | undefined)[] = new Array(SERIES_WINDOW_SECONDS);
  private readonly secondOf = new Float64Array(SERIES_WINDOW_SECONDS).fill(-1);

  constructor(private readonly worker: number) {}

  // Records one answered request under the version that answered it (null: not a model's answer).
  record(served: ServedVersion | null, route: string, status: number, seconds: number, nowMs: number): void {
    if (QUIET_ROUTES.has(route)) return;
    const second = Math.floor(nowMs / 1000);
    const i = second % SERIES_WINDOW_SECONDS;
    let byVersion = this.cells[i];
    if (this.secondOf[i] !== second || !byVersion) {
      byVersion = this.cells[i] = new Map();
      this.secondOf[i] = second;
    }
    let c = byVersion.get(served);
    if (!c) byVersion.set(served, (c = { requests: 0, errors: 0, bins: new Uint32Array(BINS) }));
    c.requests++;
    if (status >= 400) c.errors++;
    c.bins[binOf(seconds)]!++;
  }

  // This worker's seconds within the window that ends at `nowMs`.
  figures(nowMs: number): WorkerSeries {
    const now = Math.floor(nowMs / 1000);
    const samples: WorkerSeries["samples"] = [];
    for (let i = 0; i < SERIES_WINDOW_SECONDS; i++) {
      const second = this.secondOf[i]!;
      const byVersion = this.cells[i];
      if (!byVersion || second <= now - SERIES_WINDOW_SECONDS || second > now) continue;
      for (const [served, c] of byVersion) {
        const bins: [number, number][] = [];
        c.bins.forEach((n, b) => n && bins.push([b, n]));
        samples.push({ second, key: served?.tag ?? OTHER, model: served?.model ?? null, version: served?.version ?? null, requests: c.requests, errors: c.errors, bins });
      }
    }
    return { worker: this.worker, samples };
  }
}

// A point of a chart: [unix second, requests, errors, p50 ms, p95 ms, p99 ms] (the percentiles null without requests).
export type Point = [number, number, number, number | null, number | null, number | null];

export interface SeriesDocument {
  stepSeconds: 1;
  windowSeconds: number;
  now: number; // unix seconds; points end at the last complete second, now - 1
  since: number | null; // the first second with traffic in the window
  series: {
    key: string; // "churn@2", or "other"
    model: string | null;
    version: number | null;
    points: Point[]; // seconds with traffic only, oldest first
    latest: { seconds: number; requests: number; errors: number; ratePerSecond: number; errorsPerSecond: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };
  }[];
}

// 3 significant digits: a chart's figure, not a measurement's.
const round = (x: number) => Number(x.toPrecision(3));

// The p-th percentile (0-100) of the latencies in `bins`, in ms; null when empty.
export function percentileMs(bins: ArrayLike<number>, p: number): number | null {
  let total = 0;
  for (let b = 0; b < bins.length; b++) total += bins[b]!;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b]!;
    if (seen >= rank) return round(binMiddleMs(b));
  }
  return null;
}

// Merges every worker's seconds into the document GET /status/series answers.
export function seriesDocument(all: WorkerSeries[], nowMs: number): SeriesDocument {
  const now = Math.floor(nowMs / 1000);
  const last = now - 1;
  type Acc = { key: string; model: string | null; version: number | null; seconds: Map<number, Cell> };
  const byKey = new Map<string, Acc>();
  let since: number | null = null;
  for (const w of all) {
    for (const s of w.samples) {
      if (s.second > last || s.second <= now - SERIES_WINDOW_SECONDS) continue;
      since = since === null ? s.second : Math.min(since, s.second);
      let acc = byKey.get(s.key);
      if (!acc) byKey.set(s.key, (acc = { key: s.key, model: s.model, version: s.version, seconds: new Map() }));
      let c = acc.seconds.get(s.second);
      if (!c) acc.seconds.set(s.second, (c = { requests: 0, errors: 0, bins: new Uint32Array(BINS) }));
      c.requests += s.requests;
      c.errors += s.errors;
      for (const [b, n] of s.bins) if (b >= 0 && b < BINS) c.bins[b]! += n;
    }
  }
  const series = [...byKey.values()].sort(bySeries).map((acc) => {
    const seconds = [...acc.seconds.entries()].sort((a, b) => a[0] - b[0]);
    const points = seconds.map(([second, c]): Point => [second, c.requests, c.errors, percentileMs(c.bins, 50), percentileMs(c.bins, 95), percentileMs(c.bins, 99)]);
    const recent = { requests: 0, errors: 0, bins: new Uint32Array(BINS) };
    for (const [second, c] of seconds) {
      if (second <= last - LATEST_SECONDS) continue;
      recent.requests += c.requests;
      recent.errors += c.errors;
      c.bins.forEach((n, b) => (recent.bins[b]! += n));
    }
    return {
      key: acc.key,
      model: acc.model,
      version: acc.version,
      points,
      latest: {
        seconds: LATEST_SECONDS,
        requests: recent.requests,
        errors: recent.errors,
        ratePerSecond: round(recent.requests / LATEST_SECONDS),
        errorsPerSecond: round(recent.errors / LATEST_SECONDS),
        p50Ms: percentileMs(recent.bins, 50),
        p95Ms: percentileMs(recent.bins, 95),
        p99Ms: percentileMs(recent.bins, 99),
      },
    };
  });
  return { stepSeconds: 1, windowSeconds: SERIES_WINDOW_SECONDS, now, since, series };
}

// Models by name, then versions in order; "other" last.
function bySeries(a: { model: string | null; version: number | null }, b: { model: string | null; version: number | null }): number {
  if (a.model === null || b.model === null) return a.model === null ? (b.model === null ? 0 : 1) : -1;
  return a.model < b.model ? -1 : a.model > b.model ? 1 : (a.version ?? 0) - (b.version ?? 0);
}
