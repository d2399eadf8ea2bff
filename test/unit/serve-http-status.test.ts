// The status page's figures: traffic per model, the page's own requests left out, workers merged.
import { describe, expect, it } from "vitest";
import { Catalogue } from "../../src/serve/runtime/catalogue.js";
import { StatusStats, statusDocument } from "../../src/serve/http/status.js";
import { served } from "../helpers/served-toy.js";

describe("status figures", () => {
  it("counts traffic per model, leaves out the page's own requests, and merges workers", () => {
    const v = served();
    const slot = { ref: "toy@3", model: "toy", target: { kind: "version" as const, version: 3 }, aliasLabel: "", current: null };
    const catalogue = new Catalogue([slot]);
    catalogue.swap(slot, v);
    const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
    const one = new StatusStats(catalogue, 1, new Date(t0));
    const two = new StatusStats(catalogue, 2, new Date(t0));
    for (let i = 1; i <= 100; i++) one.record(slot, "/v1/models/:name/predict", 200, i / 1000, t0 + 1000 + i);
    two.record(slot, "/v1/models/:name/predict", 400, 0.5, t0 + 2000);
    two.record(null, "/status.json", 200, 0.001, t0 + 2000);
    two.record(null, "/", 200, 0.001, t0 + 2000);
    const doc = statusDocument(catalogue, [two.figures(), one.figures()], "1.2.3", t0 + 5000);
    expect(doc.server).toMatchObject({ version: "1.2.3", workers: 2, uptimeSeconds: 5 });
    expect(doc.models).toEqual([{ ref: "toy@3", model: "toy", alias: null, version: 3, versions: [3], ready: true, loadedAt: v.loadedAt, requests: 101, errors: 1 }]);
    expect(doc.traffic).toMatchObject({ requests: 101, errors: 1, ratePerSecond: 10.1, windowSeconds: 10 });
    expect(doc.traffic.latencyMs).toEqual({ p50: 51, p90: 91, p99: 100, max: 500, samples: 101 });
    expect(doc.workers.map((w) => [w.worker, w.requests])).toEqual([
      [1, 100],
      [2, 1],
    ]);
    expect(statusDocument(catalogue, [one.figures()], "1.2.3", t0 + 60_000).traffic.ratePerSecond).toBe(0); // the window has passed
  });
});
