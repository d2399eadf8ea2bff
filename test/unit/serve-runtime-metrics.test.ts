// ServeMetrics' hand-kept latency histogram must expose exactly what a prom-client Histogram observing the same durations would.
import { describe, expect, it } from "vitest";
import { AggregatorRegistry, Histogram, Registry } from "prom-client";
import type { Slot } from "../../src/serve/runtime/catalogue.js";
import { LATENCY_BUCKETS, ServeMetrics } from "../../src/serve/runtime/metrics.js";
import type { ServedVersion } from "../../src/serve/runtime/served.js";

const slot = { model: "churn", aliasLabel: "staging" } as Slot;
const v1 = { version: 1 } as ServedVersion;
const v2 = { version: 2 } as ServedVersion;
const ROUTE = "/v1/models/:name/predict";
// Durations on, between and beyond the bucket bounds (seconds).
const DURATIONS = [0.00005, 0.0001, 0.0003, 0.001, 0.0049, 0.005, 0.2, 1, 3.5];

// The lines of one metric family in Prometheus text.
const family = (text: string, name: string) => text.split("\n").filter((l) => l.startsWith(name));

// A plain prom-client histogram with the same name, buckets and labels, observing `samples`.
async function reference(samples: [ServedVersion, number][]): Promise<string> {
  const registry = new Registry();
  const h = new Histogram({
    name: "mlship_request_duration_seconds",
    help: "x",
    labelNames: ["model", "version", "alias", "route"],
    buckets: [...LATENCY_BUCKETS],
    registers: [registry],
  });
  for (const [v, seconds] of samples) h.observe({ model: "churn", version: `${v.version}`, alias: "staging", route: ROUTE }, seconds);
  return registry.metrics();
}

describe("ServeMetrics latency histogram", () => {
  it("exposes the same buckets, sum and count as prom-client's Histogram", async () => {
    const m = new ServeMetrics();
    const samples: [ServedVersion, number][] = [];
    DURATIONS.forEach((s, i) => samples.push([i % 3 === 0 ? v2 : v1, s]));
    samples.forEach(([v, s], i) => m.request(slot, v, ROUTE, i % 4 === 0 ? 400 : 200, s, i % 4 === 0 ? "E_BAD_INPUT" : null, 1));
    const mine = family(await m.registry.metrics(), "mlship_request_duration_seconds");
    const theirs = family(await reference(samples), "mlship_request_duration_seconds");
    expect(mine.length).toBe(2 * (LATENCY_BUCKETS.length + 3)); // two series: the bounds, +Inf, sum, count
    expect(new Set(mine)).toEqual(new Set(theirs));
    expect(mine).toContain(`mlship_request_duration_seconds_bucket{le="+Inf",model="churn",version="1",alias="staging",route="${ROUTE}"} 6`);
  });

  it("merges the workers' histograms by summing, and reset zeroes them", async () => {
    const workers = [new ServeMetrics(), new ServeMetrics()];
    workers.forEach((m, w) => DURATIONS.forEach((s) => m.request(slot, v1, ROUTE, 200, s * (w + 1), null, 1)));
    const merged = await AggregatorRegistry.aggregate(await Promise.all(workers.map((m) => m.registry.getMetricsAsJSON()))).metrics();
    const both: [ServedVersion, number][] = [...DURATIONS.map((s): [ServedVersion, number] => [v1, s]), ...DURATIONS.map((s): [ServedVersion, number] => [v1, s * 2])];
    const theirs = family(await reference(both), "mlship_request_duration_seconds");
    // The sum may differ in the last digit (added in another order); compare it numerically.
    const sumOf = (lines: string[]) => Number(lines.find((l) => l.includes("_sum"))!.split(" ").at(-1));
    const mine = family(merged, "mlship_request_duration_seconds");
    expect(mine.filter((l) => !l.includes("_sum"))).toEqual(expect.arrayContaining(theirs.filter((l) => !l.includes("_sum"))));
    expect(sumOf(mine)).toBeCloseTo(sumOf(theirs), 12);
    workers[0]!.registry.resetMetrics();
    expect(family(await workers[0]!.registry.metrics(), "mlship_request_duration_seconds_count")).toEqual([`mlship_request_duration_seconds_count{model="churn",version="1",alias="staging",route="${ROUTE}"} 0`]);
  });
});

describe("ServeMetrics info series", () => {
  it("has latency buckets past 1 s, up to 10 s", () => {
    expect(LATENCY_BUCKETS.filter((b) => b > 1)).toEqual([2.5, 5, 10]);
  });

  it("exports mlship_build_info and a mlship_model_info series per version in service, moved by a swap", async () => {
    const m = new ServeMetrics("1.2.3");
    const text = async () => (await m.registry.metrics()).split("\n");
    expect(await text()).toContain(`mlship_build_info{version="1.2.3",node="${process.versions.node}"} 1`);
    const pinned = { model: "churn", aliasLabel: "" } as Slot;
    m.versionLoaded(slot, v1);
    m.versionLoaded(pinned, v2);
    expect((await text()).filter((l) => l.startsWith("mlship_model_info{"))).toEqual(['mlship_model_info{model="churn",alias="staging",version="1"} 1', 'mlship_model_info{model="churn",alias="",version="2"} 1']);
    m.versionLoaded(slot, v2); // the hot swap of churn@staging to version 2
    expect((await text()).filter((l) => l.startsWith("mlship_model_info{"))).toEqual(['mlship_model_info{model="churn",alias="",version="2"} 1', 'mlship_model_info{model="churn",alias="staging",version="2"} 1']);
  });

  it("merges the workers' info series without summing them", async () => {
    const workers = [new ServeMetrics("1.2.3"), new ServeMetrics("1.2.3")];
    workers.forEach((m) => m.versionLoaded(slot, v1));
    const merged = (await AggregatorRegistry.aggregate(await Promise.all(workers.map((m) => m.registry.getMetricsAsJSON()))).metrics()).split("\n");
    expect(merged).toContain('mlship_model_info{model="churn",alias="staging",version="1"} 1');
    expect(merged).toContain(`mlship_build_info{version="1.2.3",node="${process.versions.node}"} 1`);
  });
});

describe("docs/serving.md", () => {
  it("lists every mlship_ metric in its Metrics table", async () => {
    const { readFileSync } = await import("node:fs");
    const docs = readFileSync(new URL("../../docs/serving.md", import.meta.url), "utf8");
    const documented = new Set([...docs.matchAll(/^\| `(mlship_[a-z_]+)` \|/gm)].map((m) => m[1]));
    const names = (await new ServeMetrics().registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => n.startsWith("mlship_"));
    expect(names.filter((n) => !documented.has(n))).toEqual([]);
    expect(names.length).toBeGreaterThan(8);
  });
});
