// Prometheus metrics (prom-client), labelled by model, version and alias. The hot path bumps plain
// numbers in a cached series: counters and latency buckets. prom-client reads them when /metrics is
// scraped (the counters' collect, the histogram's get), so a request pays no label hashing at all
// (a labelled prom-client histogram child still hashes and validates its labels on every observe, ~2 us).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValueWithName } from "prom-client";
import type { Slot } from "./catalogue.js";
import type { ServedVersion } from "./served.js";

type ModelLabels = { model: string; version: string; alias: string };
type LatencyLabel = "model" | "version" | "alias" | "route" | "le"; // "le": the bucket bound, added on export
type LatencyLabels = ModelLabels & { route: string };

// Seconds; past 1 s so slow answers (a large batch, a stalled client reading the answer) are told apart up to 10 s.
export const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5, 5, 10] as const;

// One latency series: the count in each bucket (not cumulative; above the last bound only in `count`), sum and count.
interface LatencyCells {
  labels: LatencyLabels;
  counts: Float64Array;
  sum: number;
  count: number;
}

interface Series {
  labels: ModelLabels & { route: string; status: string; code: string };
  requests: number;
  rows: number;
  latency: LatencyCells;
}

// Adds one observed duration to its series.
function observe(cells: LatencyCells, seconds: number): void {
  for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
    if (seconds <= LATENCY_BUCKETS[i]!) {
      cells.counts[i]!++;
      break;
    }
  }
  cells.sum += seconds;
  cells.count++;
}

// A prom-client histogram whose series live in plain cells bumped by the hot path; it answers /metrics
// (and the --workers merge) with exactly the values a prom-client Histogram would give.
class CellHistogram extends Histogram<LatencyLabel> {
  declare readonly name: string; // set by prom-client's constructor; its typings leave them out
  declare readonly help: string;
  readonly cells = new Map<string, LatencyCells>();

  // The cells of one label set, created empty on first use.
  cellsFor(labels: LatencyLabels): LatencyCells {
    const key = `${labels.model}\u0000${labels.version}\u0000${labels.alias}\u0000${labels.route}`;
    let c = this.cells.get(key);
    if (!c) {
      c = { labels, counts: new Float64Array(LATENCY_BUCKETS.length), sum: 0, count: 0 };
      this.cells.set(key, c);
    }
    return c;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<LatencyLabel>>> {
    const values: MetricValueWithName<LatencyLabel>[] = [];
    const bucket = `${this.name}_bucket`;
    for (const c of this.cells.values()) {
      let acc = 0;
      for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
        acc += c.counts[i]!;
        values.push({ labels: { le: LATENCY_BUCKETS[i]!, ...c.labels }, value: acc, metricName: bucket });
      }
      values.push({ labels: { le: "+Inf", ...c.labels }, value: c.count, metricName: bucket });
      values.push({ labels: { ...c.labels }, value: c.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...c.labels }, value: c.count, metricName: `${this.name}_count` });
    }
    // The shape prom-client's Histogram returns (its typings also ask for the constructor's collect option).
    return { name: this.name, help: this.help, type: "histogram" as const, values, aggregator: "sum" as const } as unknown as MetricObjectWithValues<MetricValueWithName<LatencyLabel>>;
  }

  // The registry formats from this when present (prom-client's own is the unsplayed form of get()).
  getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<LatencyLabel>>> {
    return this.get();
  }

  // Zeroes every series (prom-client's resetMetrics); also called by prom-client's constructor, before `cells` exists.
  override reset(): void {
    for (const c of this.cells?.values() ?? []) {
      c.counts.fill(0);
      c.sum = 0;
      c.count = 0;
    }
  }
}

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly series = new Map<string, Series>();
  private readonly latency = new CellHistogram({
    name: "mlship_request_duration_seconds",
    help: "time from request start until the answer is handed to the socket",
    labelNames: ["model", "version", "alias", "route"],
    buckets: [...LATENCY_BUCKETS],
    registers: [this.registry],
  });
  // With --workers N, /metrics merges the workers: sums, except this gauge (the highest version any worker answers with).
  private readonly version = new Gauge({ name: "mlship_model_version", help: "the version each served model reference answers with", labelNames: ["model", "alias"], registers: [this.registry], aggregator: "max" });
  // 1 for each version in service, with the version as a label (mlship_model_version's value, for joins in queries).
  private readonly info = new Gauge({ name: "mlship_model_info", help: "1 for each model version in service", labelNames: ["model", "alias", "version"], registers: [this.registry], aggregator: "max" });
  private readonly infoVersion = new Map<Slot, number>();
  private readonly swaps = new Counter({ name: "mlship_model_swaps_total", help: "hot swaps by outcome (swapped, refused)", labelNames: ["model", "alias", "outcome"], registers: [this.registry] });
  private readonly unseenValues = new Counter({
    name: "mlship_unseen_values_total",
    help: "categorical input values the model never saw in training (scored as its handleInvalid says), by input",
    labelNames: ["model", "version", "alias", "input"],
    registers: [this.registry],
  });
  private readonly skippedRows = new Counter({
    name: "mlship_rows_skipped_total",
    help: "rows left out of an answer with on_invalid=skip because they could not be scored",
    labelNames: ["model", "version", "alias"],
    registers: [this.registry],
  });

  constructor(serverVersion = "unknown") {
    const all = () => this.series.values();
    new Gauge({ name: "mlship_build_info", help: "1, labelled with the mlship version and the Node.js version", labelNames: ["version", "node"], registers: [this.registry], aggregator: "max" })
      .labels(serverVersion, process.versions.node)
      .set(1);
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
    observe(s.latency, seconds);
  }

  private last: { slot: Slot | null; served: ServedVersion | null; route: string; status: number; code: string | null; series: Series } | null = null;

  private seriesFor(slot: Slot | null, served: ServedVersion | null, route: string, status: number, code: string | null): Series {
    const version = served ? served.version : "";
    const key = slot ? `${slot.model}\u0000${version}\u0000${slot.aliasLabel}\u0000${route}\u0000${status}\u0000${code ?? ""}` : `\u0000\u0000\u0000${route}\u0000${status}\u0000${code ?? ""}`;
    let s = this.series.get(key);
    if (!s) {
      const m: ModelLabels = { model: slot?.model ?? "", version: `${version}`, alias: slot?.aliasLabel ?? "" };
      s = { labels: { ...m, route, status: `${status}`, code: code ?? "" }, requests: 0, rows: 0, latency: this.latency.cellsFor({ ...m, route }) };
      this.series.set(key, s);
    }
    this.last = { slot, served, route, status, code, series: s };
    return s;
  }

  // Counts one request's unseen categorical values and skipped rows (both rare: labels hashed only then).
  inputs(slot: Slot, served: ServedVersion, unseen: ReadonlyMap<string, number>, skipped: number): void {
    for (const [input, n] of unseen) this.unseenValues.labels(slot.model, `${served.version}`, slot.aliasLabel, input).inc(n);
    if (skipped) this.skippedRows.labels(slot.model, `${served.version}`, slot.aliasLabel).inc(skipped);
  }

  // A version went into service for `slot` (at start-up or by a hot swap): the version gauge and the info series move.
  versionLoaded(slot: Slot, served: ServedVersion): void {
    this.version.labels(slot.model, slot.aliasLabel).set(served.version);
    const before = this.infoVersion.get(slot);
    if (before !== undefined && before !== served.version) this.info.remove(slot.model, slot.aliasLabel, `${before}`);
    this.info.labels(slot.model, slot.aliasLabel, `${served.version}`).set(1);
    this.infoVersion.set(slot, served.version);
  }

  swapped(slot: Slot, outcome: "swapped" | "refused"): void {
    this.swaps.labels(slot.model, slot.aliasLabel, outcome).inc();
  }
}
