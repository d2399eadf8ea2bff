// The serving pieces that need no HTTP: flags, sizes, the token check, and both request formats on a small hand-made model.
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { bearerCheck } from "../../src/serve/auth.js";
import { HttpError } from "../../src/serve/errors.js";
import { infer } from "../../src/serve/oip.js";
import { parseServeOptions, parseSize } from "../../src/serve/options.js";
import { predictRecords } from "../../src/serve/records.js";
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

const thrown = (f: () => unknown): HttpError => {
  try {
    f();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error("expected an HttpError");
};

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
      flags: { models: ["churn@staging"], port: 8080, host: "127.0.0.1", pollIntervalMs: 5000, bodyLimit: 8 * 1024 * 1024 },
    });
    const bad = parseServeOptions({ port: "http", pollInterval: "-1", bodyLimit: "12", host: " " });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.split(/[ :]/)[0])).toEqual(["--model", "--port", "--host", "--poll-interval", "--body-limit"]);
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
    const e = thrown(() => predictRecords(served(), { records: Array.from({ length: 150 }, () => ({ x: "1" })) }));
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

  it("reports a wrongly typed tensor once, not also as missing", () => {
    const e = thrown(() =>
      infer(served(), {
        inputs: [
          { name: "x", shape: [1], datatype: "BYTES", data: ["1"] },
          { name: "color", shape: [1], datatype: "BYTES", data: ["red"] },
        ],
      }),
    );
    expect(e.fields!.map((f) => f.field)).toEqual(["inputs[0].datatype", "inputs[0].data[0]"]);
  });
});
