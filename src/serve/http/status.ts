// Figures for the status page: recent latencies, requests per second, per-model counts. Each worker keeps
// its own raw figures (cheap to record); the page's JSON merges the raw figures of every worker.
import type { Catalogue, Slot } from "../runtime/catalogue.js";

const RING = 2048; // latencies kept for the percentiles: the most recent requests
const SECONDS = 60; // per-second request counts kept for the rate
export const RATE_WINDOW_SECONDS = 10;

// Routes of the page itself (and of scrapers) do not count as traffic.
const QUIET_ROUTES = new Set(["/", "/status.json", "/status/series", "/metrics"]);

// One worker's raw figures, as sent between workers (plain JSON).
export interface WorkerFigures {
  worker: number;
  pid: number;
  startedAt: string;
  requests: number;
  errors: number;
  latenciesMs: number[]; // the most recent, at most RING
  secondCounts: [number, number][]; // [unix second, requests answered in it]
  models: { ref: string; version: number | null; requests: number; errors: number; loadedAt: string | null }[];
}

export class StatusStats {
  private readonly ring = new Float64Array(RING);
  private recorded = 0;
  private requests = 0;
  private errors = 0;
  private readonly seconds = new Float64Array(SECONDS);
  private readonly secondOf = new Float64Array(SECONDS);
  private readonly bySlot = new Map<Slot, { requests: number; errors: number }>();
  private readonly startedAt: string;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly worker: number,
    now: Date,
  ) {
    this.startedAt = now.toISOString();
    for (const s of catalogue.slots) this.bySlot.set(s, { requests: 0, errors: 0 });
  }

  // Records one answered request (called once the response has gone out).
  record(slot: Slot | null, route: string, status: number, seconds: number, nowMs: number): void {
    if (QUIET_ROUTES.has(route)) return;
    const failed = status >= 400;
    this.requests++;
    if (failed) this.errors++;
    this.ring[this.recorded++ % RING] = seconds * 1000;
    const second = Math.floor(nowMs / 1000);
    const i = second % SECONDS;
    if (this.secondOf[i] !== second) {
      this.secondOf[i] = second;
      this.seconds[i] = 0;
    }
    this.seconds[i]!++;
    const counts = slot && this.bySlot.get(slot);
    if (counts) {
      counts.requests++;
      if (failed) counts.errors++;
    }
  }

  // This worker's raw figures.
  figures(): WorkerFigures {
    const n = Math.min(this.recorded, RING);
    const secondCounts: [number, number][] = [];
    for (let i = 0; i < SECONDS; i++) if (this.seconds[i]! > 0) secondCounts.push([this.secondOf[i]!, this.seconds[i]!]);
    return {
      worker: this.worker,
      pid: process.pid,
      startedAt: this.startedAt,
      requests: this.requests,
      errors: this.errors,
      latenciesMs: Array.from(this.ring.subarray(0, n)),
      secondCounts,
      models: this.catalogue.slots.map((s) => ({ ref: s.ref, version: s.current?.version ?? null, requests: this.bySlot.get(s)!.requests, errors: this.bySlot.get(s)!.errors, loadedAt: s.current?.loadedAt ?? null })),
    };
  }
}

// The document GET /status.json answers.
export interface StatusDocument {
  server: { name: "mlship"; version: string; startedAt: string; uptimeSeconds: number; workers: number };
  models: { ref: string; model: string; alias: string | null; version: number | null; versions: number[]; ready: boolean; loadedAt: string | null; requests: number; errors: number }[];
  traffic: { requests: number; errors: number; ratePerSecond: number; windowSeconds: number; latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null; samples: number } };
  workers: { worker: number; pid: number; requests: number; versions: (number | null)[] }[];
}

// Merges every worker's figures with the answering worker's catalogue into the status document.
export function statusDocument(catalogue: Catalogue, all: WorkerFigures[], serverVersion: string, nowMs: number): StatusDocument {
  const latencies = all.flatMap((w) => w.latenciesMs).sort((a, b) => a - b);
  const pick = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! : null);
  const now = Math.floor(nowMs / 1000);
  let recent = 0;
  for (const w of all) for (const [second, count] of w.secondCounts) if (second > now - RATE_WINDOW_SECONDS && second <= now) recent += count;
  const startedAt = all.map((w) => w.startedAt).sort()[0] ?? new Date(nowMs).toISOString();
  return {
    server: { name: "mlship", version: serverVersion, startedAt, uptimeSeconds: Math.round((nowMs - Date.parse(startedAt)) / 1000), workers: all.length },
    models: catalogue.slots.map((s, i) => {
      const per = all.map((w) => w.models[i]);
      return {
        ref: s.ref,
        model: s.model,
        alias: s.aliasLabel || null,
        version: s.current?.version ?? null,
        versions: [...new Set(per.flatMap((m) => (m?.version == null ? [] : [m.version])))].sort((a, b) => a - b),
        ready: s.current !== null,
        loadedAt: s.current?.loadedAt ?? null,
        requests: per.reduce((sum, m) => sum + (m?.requests ?? 0), 0),
        errors: per.reduce((sum, m) => sum + (m?.errors ?? 0), 0),
      };
    }),
    traffic: {
      requests: all.reduce((sum, w) => sum + w.requests, 0),
      errors: all.reduce((sum, w) => sum + w.errors, 0),
      ratePerSecond: Math.round((recent / RATE_WINDOW_SECONDS) * 10) / 10,
      windowSeconds: RATE_WINDOW_SECONDS,
      latencyMs: { p50: pick(50), p90: pick(90), p99: pick(99), max: latencies.at(-1) ?? null, samples: latencies.length },
    },
    workers: all.map((w) => ({ worker: w.worker, pid: w.pid, requests: w.requests, versions: w.models.map((m) => m.version) })).sort((a, b) => a.worker - b.worker),
  };
}
