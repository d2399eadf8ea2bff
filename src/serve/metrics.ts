// Prometheus metrics (prom-client), labelled by model, version and alias. The hot path bumps plain
// numbers in a cached series and observes one pre-labelled histogram child; the counters are filled
// from those numbers when /metrics is scraped (prom-client's collect), so a request does not pay
// prom-client's per-call label hashing three times over.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Slot } from "./catalogue.js";
import type { ServedVersion } from "./served.js";

type ModelLabels = { model: string; version: string; alias: string };

interface Series {
  labels: ModelLabels & { route: string; status: string; code: string };
  requests: number;
  rows: number;
  latency: Histogram.Internal<"model" | "version" | "alias" | "route">;
}

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly series = new Map<string, Series>();
  private readonly latency = new Histogram({
    name: "mlship_request_duration_seconds",
    help: "time from request start until the answer is handed to the socket",
    labelNames: ["model", "version", "alias", "route"],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  // With --workers N, /metrics merges the workers: sums, except this gauge (the highest version any worker answers with).
  private readonly version = new Gauge({ name: "mlship_model_version", help: "the version each served model reference answers with", labelNames: ["model", "alias"], registers: [this.registry], aggregator: "max" });
  private readonly swaps = new Counter({ name: "mlship_model_swaps_total", help: "hot swaps by outcome (swapped, refused)", labelNames: ["model", "alias", "outcome"], registers: [this.registry] });

  constructor() {
    const all = () => this.series.values();
    new Counter({
      name: "mlship_requests_total",
      help: "HTTP requests answered",
      labelNames: ["model", "version", "alias", "route", "status"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of all()) this.inc({ model: s.labels.model, version: s.labels.version, alias: s.labels.alias, route: s.labels.route, status: s.labels.status }, s.requests);
      },
    });
    new Counter({
      name: "mlship_request_errors_total",
      help: "HTTP requests answered with a 4xx or 5xx, by error code",
      labelNames: ["model", "version", "alias", "route", "status", "code"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of all()) if (s.labels.code) this.inc(s.labels, s.requests);
      },
    });
    new Counter({
      name: "mlship_rows_scored_total",
      help: "rows scored (records or tensor rows)",
      labelNames: ["model", "version", "alias"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of all()) if (s.rows) this.inc({ model: s.labels.model, version: s.labels.version, alias: s.labels.alias }, s.rows);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  // Records one answered request; `slot`/`served` are null for routes not about one model.
  request(slot: Slot | null, served: ServedVersion | null, route: string, status: number, seconds: number, code: string | null, rows = 0): void {
    const last = this.last;
    const s =
      last && last.slot === slot && last.served === served && last.route === route && last.status === status && last.code === code
        ? last.series // steady traffic repeats the same series: skip building its key
        : this.seriesFor(slot, served, route, status, code);
    s.requests++;
    s.rows += rows;
    s.latency.observe(seconds);
  }

  private last: { slot: Slot | null; served: ServedVersion | null; route: string; status: number; code: string | null; series: Series } | null = null;

  private seriesFor(slot: Slot | null, served: ServedVersion | null, route: string, status: number, code: string | null): Series {
    const version = served ? served.version : "";
    const key = slot ? `${slot.model}\u0000${version}\u0000${slot.aliasLabel}\u0000${route}\u0000${status}\u0000${code ?? ""}` : `\u0000\u0000\u0000${route}\u0000${status}\u0000${code ?? ""}`;
    let s = this.series.get(key);
    if (!s) {
      const m: ModelLabels = { model: slot?.model ?? "", version: `${version}`, alias: slot?.aliasLabel ?? "" };
      s = { labels: { ...m, route, status: `${status}`, code: code ?? "" }, requests: 0, rows: 0, latency: this.latency.labels({ ...m, route }) };
      this.series.set(key, s);
    }
    this.last = { slot, served, route, status, code, series: s };
    return s;
  }

  versionLoaded(slot: Slot, served: ServedVersion): void {
    this.version.labels(slot.model, slot.aliasLabel).set(served.version);
  }

  swapped(slot: Slot, outcome: "swapped" | "refused"): void {
    this.swaps.labels(slot.model, slot.aliasLabel, outcome).inc();
  }
}
