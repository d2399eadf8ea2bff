// The serving pieces that need no HTTP: flags, sizes, the token check, and both request formats on a small hand-made model.
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { bearerCheck } from "../../src/serve/auth.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CODES } from "../../src/serve/errors.js";
import { thrown } from "../helpers/thrown.js";
import { DEFAULT_TIMEOUTS, clientProblem } from "../../src/serve/connection.js";
import { redactUrl } from "../../src/serve/log.js";
import { infer } from "../../src/serve/oip.js";
import { parseDuration, parseServeOptions, parseSize } from "../../src/serve/options.js";
import { predictRecords } from "../../src/serve/records.js";
import { predictArrow } from "../../src/serve/arrow.js";
import { Catalogue } from "../../src/serve/catalogue.js";
import { StatusStats, statusDocument } from "../../src/serve/status.js";
import { Float64, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from "apache-arrow";
import { servedVersion } from "../../src/serve/served.js";
import type { VersionRecord } from "../../src/registry/index.js";
import { descriptor, linearTable, table } from "../helpers/portable.js";

// x (numeric, imputed) + color (indexed with `handleInvalid`, one-hot) -> binomial LR, with text labels.
function served(handleInvalid: "keep" | "error" = "keep") {
  const keep = handleInvalid === "keep";
  const tables = new Map<string, ArrowTable>([
    ["imp", table({ x: [2.5] })],
    ["si", table({ column: ["color", "color"], index: Int32Array.from([0, 1]), label: ["red", "blue"] })],
    ["ohe", table({ column: ["color__idx"], size: Int32Array.from([keep ? 3 : 2]) })],
    ["va", table({ column: ["x__imp", "color__ohe"], size: Int32Array.from([1, keep ? 2 : 1]) })],
    ["lr", linearTable([0.5], [[2, -1, ...(keep ? [3] : [])]])],
  ]);
  const d = descriptor({
    label: { column: "y", values: ["stay", "leave"] },
    inputSchema: [
      { name: "x", type: "double", role: "numeric" },
      { name: "color", type: "string", role: "categorical" },
    ],
    stages: [
      { kind: "imputer", file: "imp", inputCols: ["x"], outputCols: ["x__imp"], strategy: "mean", missingValue: "NaN" },
      { kind: "string_indexer", file: "si", inputCols: ["color"], outputCols: ["color__idx"], handleInvalid },
      { kind: "one_hot_encoder", file: "ohe", inputCols: ["color__idx"], outputCols: ["color__ohe"], dropLast: true, handleInvalid: "error" },
      { kind: "vector_assembler", file: "va", inputCols: ["x__imp", "color__ohe"], outputCol: "features", handleInvalid: "error" },
      { kind: "logistic_regression", file: "lr", featuresCol: "features", numClasses: 2, numFeatures: keep ? 3 : 2, isMultinomial: false, threshold: 0.5 },
    ],
  });
  const record = { model: "toy", version: 3, createdAt: "2026-01-01T00:00:00Z" } as VersionRecord;
  return servedVersion(record, compileModel(d, tables), new Date(0));
}

const STRICT = { mode: "strict", onInvalid: "fail" } as const;


describe("serve flags", () => {
  it("parses sizes", () => {
    expect(parseSize("8mb")).toBe(8 * 1024 * 1024);
    expect(parseSize("512KB")).toBe(512 * 1024);
    expect(parseSize("1048576")).toBe(1048576);
    expect(parseSize("1.5m")).toBe(1.5 * 1024 * 1024);
    expect(parseSize("lots")).toBeNull();
  });

  it("applies the defaults and reports every bad flag at once", () => {
    expect(parseServeOptions({ model: ["churn@staging"] })).toEqual({
      ok: true,
      flags: {
        models: ["churn@staging"],
        port: 8080,
        host: "127.0.0.1",
        pollIntervalMs: 5000,
        bodyLimit: 8 * 1024 * 1024,
        workers: 1,
        inputs: { mode: "lenient", onInvalid: "fail" },
        timeouts: { requestMs: 30_000, headersMs: 10_000, idleMs: 10_000, keepAliveMs: 72_000 },
        limits: { maxRows: 1_000_000, maxColumns: 1000, maxOutputBytes: 256 * 1024 * 1024 },
      },
    });
    const bad = parseServeOptions({ port: "http", pollInterval: "-1", bodyLimit: "12", host: " ", workers: "0", onInvalid: "drop", maxRows: "0", maxColumns: "many", maxOutput: "1b" });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.split(/[ :]/)[0])).toEqual(["--model", "--port", "--host", "--poll-interval", "--body-limit", "--workers", "--on-invalid", "--max-rows", "--max-columns", "--max-output"]);
  });

  it("takes --workers as a number or auto (one per CPU)", () => {
    const workers = (w: string, cpus = 6) => {
      const r = parseServeOptions({ model: ["m@1"], workers: w }, cpus);
      return r.ok ? r.flags.workers : null;
    };
    expect(workers("3")).toBe(3);
    expect(workers("auto")).toBe(6);
    expect(workers("auto", 0)).toBe(1);
    expect(workers("1.5")).toBeNull();
    expect(workers("many")).toBeNull();
  });
});

describe("serve timeouts", () => {
  it.each([
    ["30s", 30_000],
    ["500ms", 500],
    ["1.5", 1500],
    ["2m", 120_000],
    [" 10S ", 10_000],
    ["1h", 3_600_000],
    ["soon", null],
    ["-1s", null],
    ["10 days", null],
  ])("parses the duration %j as %j ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  const timeouts = (raw: Record<string, string>) => parseServeOptions({ model: ["m@1"], ...raw });
  it("takes the four timeouts, and shortens the default headers timeout to a shorter request timeout", () => {
    expect(timeouts({ requestTimeout: "5s", idleTimeout: "1s", keepAliveTimeout: "2m", headersTimeout: "2s" })).toMatchObject({ ok: true, flags: { timeouts: { requestMs: 5000, headersMs: 2000, idleMs: 1000, keepAliveMs: 120_000 } } });
    expect(timeouts({ requestTimeout: "3s" })).toMatchObject({ ok: true, flags: { timeouts: { requestMs: 3000, headersMs: 3000 } } });
  });

  it("reports every bad timeout at once", () => {
    const bad = timeouts({ requestTimeout: "0", idleTimeout: "soon", keepAliveTimeout: "2h", headersTimeout: "50ms" });
    expect(!bad.ok && bad.problems.map((p) => p.split(":")[0])).toEqual(["--request-timeout", "--headers-timeout", "--idle-timeout", "--keep-alive-timeout"]);
    const longer = timeouts({ requestTimeout: "5s", headersTimeout: "6s" });
    expect(!longer.ok && longer.problems).toEqual([expect.stringMatching(/^--headers-timeout: must not be longer than --request-timeout/)]);
  });

  it.each([
    ["ERR_HTTP_REQUEST_TIMEOUT", true, 408, "E_REQUEST_TIMEOUT", /whole request did not arrive within 30s \(--request-timeout\)/],
    ["ERR_HTTP_REQUEST_TIMEOUT", false, 408, "E_REQUEST_TIMEOUT", /headers did not arrive within 10s \(--headers-timeout\)/],
    ["HPE_HEADER_OVERFLOW", false, 431, "E_HEADERS_TOO_LARGE", /larger than \d+ bytes/],
    ["HPE_INVALID_EOF_STATE", true, 400, "E_INCOMPLETE_REQUEST", /before the whole request arrived/],
    ["HPE_INVALID_CHUNK_SIZE", true, 400, "E_BAD_HTTP", /not valid HTTP\/1\.1: Invalid character in chunk size \(HPE_INVALID_CHUNK_SIZE\)/],
  ])("answers Node's %s (headers in: %s) with %i %s", (code, headersIn, status, errorCode, message) => {
    const err = Object.assign(new Error("Parse Error"), { code, reason: "Invalid character in chunk size" });
    expect(clientProblem(err, DEFAULT_TIMEOUTS, headersIn)).toMatchObject({ status, code: errorCode, message: expect.stringMatching(message) });
  });
});

describe("logs", () => {
  it.each([
    ["/v1/models/churn/predict?api_key=SECRET", "/v1/models/churn/predict?<redacted>"],
    ["/v2/models/churn?", "/v2/models/churn?<redacted>"],
    ["/v2/health/live", "/v2/health/live"],
  ])("redacts the query string of %s", (url, shown) => expect(redactUrl(url)).toBe(shown));
});

describe("docs/serving.md", () => {
  it("lists every HTTP error code in its error table", () => {
    const docs = readFileSync(join(import.meta.dirname, "..", "..", "docs", "serving.md"), "utf8");
    const table = new Set([...docs.matchAll(/^\| \d{3} \| `(E_[A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect([...table].sort()).toEqual(Object.values(CODES).sort());
  });
});

describe("bearer token check", () => {
  const check = bearerCheck("abc123");
  it.each([
    [undefined, false],
    ["", false],
    ["Bearer", false],
    ["Bearer ", false],
    ["Bearer abc12", false],
    ["Bearer abc1234", false],
    ["Token abc123", false],
    ["Bearer abc123", true],
    ["bearer abc123", true],
    ["BEARER  abc123 ", true],
  ])("%j -> %s", (header, ok) => expect(check(header)).toBe(ok));
});

describe("JSON records route", () => {
  it("writes the same JSON that JSON.stringify would, with the class's label", () => {
    const v = served();
    const out = predictRecords(v, { records: [{ x: 1, color: "red" }, { x: null, color: "green" }] });
    expect(out.rows).toBe(2);
    const expected = [v.scorer.scoreRecord({ x: 1, color: "red" }), v.scorer.scoreRecord({ x: null, color: "green" })].map((r) => ({
      label: ["stay", "leave"][r.prediction],
      prediction: r.prediction,
      probability: r.probability,
      rawPrediction: r.rawPrediction,
    }));
    expect(out.text).toBe(JSON.stringify({ model: "toy", version: 3, predictions: expected }));
  });

  it("refuses a category that handleInvalid=error refuses, naming the field", () => {
    const e = thrown(() => predictRecords(served("error"), { records: [{ x: 1, color: "green" }] }));
    expect(e).toMatchObject({ status: 400, code: "E_BAD_INPUT" });
    expect(e.fields).toEqual([{ field: "records[0].color", reason: 'the unseen value "green" cannot be indexed (handleInvalid=error)' }]);
  });

  it("caps the listed problems at 100 and counts the rest", () => {
    const e = thrown(() => predictRecords(served(), { records: Array.from({ length: 150 }, () => ({ x: "1" })) }, STRICT));
    expect(e.fields).toHaveLength(100);
    expect(e.message).toBe("300 problems in records (the first 100 are listed)");
  });
});

describe("OIP infer", () => {
  it("answers tensors with text labels as BYTES", () => {
    const v = served();
    const out = infer(v, {
      id: "r1",
      inputs: [
        { name: "x", shape: [2], datatype: "FP32", data: [1, 0] },
        { name: "color", shape: [2, 1], datatype: "BYTES", data: ["red", null] },
      ],
    });
    const body = JSON.parse(out.text);
    expect(body).toMatchObject({ model_name: "toy", model_version: "3", id: "r1" });
    const p0 = v.scorer.scoreRecord({ x: 1, color: "red" });
    const p1 = v.scorer.scoreRecord({ x: 0, color: null });
    expect(body.outputs).toEqual([
      { name: "prediction", shape: [2], datatype: "FP64", data: [p0.prediction, p1.prediction] },
      { name: "label", shape: [2], datatype: "BYTES", data: [p0.label, p1.label] },
      { name: "probability", shape: [2, 2], datatype: "FP64", data: [...p0.probability!, ...p1.probability!] },
      { name: "raw_prediction", shape: [2, 2], datatype: "FP64", data: [...p0.rawPrediction!, ...p1.rawPrediction!] },
    ]);
  });

  it("names the row and input of a row the scorer refuses", () => {
    const e = thrown(() =>
      infer(served("error"), {
        inputs: [
          { name: "x", shape: [2], datatype: "FP64", data: [1, 2] },
          { name: "color", shape: [2], datatype: "BYTES", data: ["red", "green"] },
        ],
      }),
    );
    expect(e.fields).toEqual([{ field: "color", reason: 'row 1: the unseen value "green" cannot be indexed (handleInvalid=error)' }]);
  });

  it("reports a wrongly typed tensor once, not also as missing (strict inputs)", () => {
    const e = thrown(() =>
      infer(
        served(),
        {
          inputs: [
            { name: "x", shape: [1], datatype: "BYTES", data: ["1"] },
            { name: "color", shape: [1], datatype: "BYTES", data: ["red"] },
          ],
        },
        STRICT,
      ),
    );
    expect(e.fields!.map((f) => f.field)).toEqual(["inputs[0].datatype"]);
  });
});

describe("Arrow batches", () => {
  const batch = (x: (number | null)[], color: (string | null)[]) => tableToIPC(new Table({ x: vectorFromArray(x, new Float64()), color: vectorFromArray(color, new Utf8()) }), "stream");

  it("answers text labels as a utf8 column and scores as the JSON route does", () => {
    const v = served();
    const out = tableFromIPC(predictArrow(v, batch([1, null, 4], ["red", "blue", null])).bytes);
    const viaJson = JSON.parse(predictRecords(v, { records: [{ x: 1, color: "red" }, { x: null, color: "blue" }, { x: 4, color: null }] }).text).predictions;
    expect(Array.from({ length: 3 }, (_, r) => out.getChild("label")!.get(r))).toEqual(viaJson.map((p: { label: string }) => p.label));
    expect(Array.from({ length: 3 }, (_, r) => [...out.getChild("probability")!.get(r)!.toArray()])).toEqual(viaJson.map((p: { probability: number[] }) => p.probability));
    expect(String(out.schema.fields.find((f) => f.name === "label")!.type)).toBe("Utf8");
  });

  it("names every row the scorer refuses (handleInvalid=error)", () => {
    const e = thrown(() => predictArrow(served("error"), batch([1, 2, 3], ["green", "red", "mauve"])));
    expect(e.status).toBe(400);
    expect(e.fields).toEqual([
      { field: "color", reason: 'row 0: the unseen value "green" cannot be indexed (handleInvalid=error)' },
      { field: "color", reason: 'row 2: the unseen value "mauve" cannot be indexed (handleInvalid=error)' },
    ]);
  });
});

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
