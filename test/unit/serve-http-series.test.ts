// The status page's chart series: per second and per version, bounded to the window, merged over workers,
// percentiles read from log-scale bins within 10%.
import { describe, expect, it } from "vitest";
import { BINS, binMiddleMs, binOf, percentileMs, SERIES_WINDOW_SECONDS, SeriesStats, seriesDocument } from "../../src/serve/http/series.js";
import type { ServedVersion } from "../../src/serve/runtime/served.js";

const v1 = { model: "churn", version: 1, tag: "churn@1" } as ServedVersion;
const v2 = { model: "churn", version: 2, tag: "churn@2" } as ServedVersion;
const PREDICT = "/v1/models/:name/predict";
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("latency bins", () => {
  it.each([0.00002, 0.0004, 0.003, 0.05, 0.9, 7, 60])("put %f s in a bin whose middle is within 10%", (s) => {
    expect(Math.abs(binMiddleMs(binOf(s)) - s * 1000) / (s * 1000)).toBeLessThan(0.1);
  });

  it("clamps the very small and the very large", () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(Number.NaN)).toBe(0);
    expect(binOf(1e6)).toBe(BINS - 1);
  });

  it("reads percentiles from the bins", () => {
    const bins = new Uint32Array(BINS);
    for (let i = 1; i <= 100; i++) bins[binOf(i / 1000)]!++;
    for (const [p, want] of [[50, 50], [95, 95], [99, 99]] as const) expect(Math.abs(percentileMs(bins, p)! - want) / want).toBeLessThan(0.1);
    expect(percentileMs(new Uint32Array(BINS), 50)).toBeNull();
  });
});

describe("series", () => {
  it("counts requests and errors per second and version, leaves out the page, probes and scrapers, and merges workers", () => {
    const one = new SeriesStats(1);
    const two = new SeriesStats(2);
    for (let i = 0; i < 10; i++) one.record(v1, PREDICT, 200, 0.001, T0 + i * 10);
    one.record(v1, PREDICT, 400, 0.0005, T0 + 500);
    two.record(v1, PREDICT, 200, 0.002, T0 + 900);
    two.record(v2, PREDICT, 500, 0.2, T0 + 1500);
    two.record(null, "unmatched", 404, 0.0001, T0 + 1500);
    for (const route of ["/", "/status.json", "/status/series", "/metrics", "/v2/health/ready", "/v2/health/live"]) one.record(null, route, 200, 0.001, T0);
    const doc = seriesDocument([one.figures(T0 + 3000), two.figures(T0 + 3000)], T0 + 3000);
    const s0 = T0 / 1000;
    expect(doc).toMatchObject({ stepSeconds: 1, windowSeconds: SERIES_WINDOW_SECONDS, now: s0 + 3, since: s0 });
    expect(doc.series.map((s) => s.key)).toEqual(["churn@1", "churn@2", "other"]);
    const [a, b, other] = doc.series;
    expect(a!.points.map((p) => p.slice(0, 3))).toEqual([[s0, 12, 1]]);
    expect(a!.points[0]![3]).toBeCloseTo(1, 0); // p50 about 1 ms
    expect(b!.points.map((p) => p.slice(0, 3))).toEqual([[s0 + 1, 1, 1]]);
    expect(other).toMatchObject({ model: null, version: null, points: [[s0 + 1, 1, 1, expect.any(Number), expect.any(Number), expect.any(Number)]] });
    expect(a!.latest).toMatchObject({ seconds: 10, requests: 12, errors: 1, ratePerSecond: 1.2, errorsPerSecond: 0.1 });
    expect(b!.latest.p99Ms! / 200).toBeCloseTo(1, 0);
  });

  it("leaves out the second still running, and seconds past the window", () => {
    const s = new SeriesStats(1);
    s.record(v1, PREDICT, 200, 0.001, T0);
    s.record(v1, PREDICT, 200, 0.001, T0 + 5000);
    const at = (ms: number) => seriesDocument([s.figures(ms)], ms);
    expect(at(T0 + 5200).series[0]!.points.map((p) => p[0])).toEqual([T0 / 1000]); // second 5 is not over yet
    expect(at(T0 + 6000).series[0]!.points.map((p) => p[0])).toEqual([T0 / 1000, T0 / 1000 + 5]);
    expect(at(T0 + 6000).series[0]!.latest.requests).toBe(2);
    expect(at(T0 + 20_000).series[0]!.latest.requests).toBe(0); // out of the latest 10 s
    expect(at(T0 + SERIES_WINDOW_SECONDS * 1000 + 1000).series[0]!.points.map((p) => p[0])).toEqual([T0 / 1000 + 5]);
  });

  it("keeps at most one window of seconds, however long it runs", () => {
    const s = new SeriesStats(1);
    for (let sec = 0; sec < 3 * SERIES_WINDOW_SECONDS; sec++) s.record(sec % 2 ? v1 : v2, PREDICT, 200, 0.001, T0 + sec * 1000);
    const samples = s.figures(T0 + 3 * SERIES_WINDOW_SECONDS * 1000).samples;
    expect(samples.length).toBe(SERIES_WINDOW_SECONDS - 1); // the ring holds the window; the oldest second fell out
    expect(seriesDocument([], T0)).toEqual({ stepSeconds: 1, windowSeconds: SERIES_WINDOW_SECONDS, now: T0 / 1000, since: null, series: [] });
  });
});
