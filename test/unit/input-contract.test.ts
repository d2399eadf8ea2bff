// The input contract (docs/serving.md "Input contract"): Spark's casts, and the same answer on every route
// (JSON, OIP v2, Arrow, predict) for a categorical column read from the training data as numbers.
import { describe, expect, it } from "vitest";
import { Bool, Float64, Int64, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type Vector } from "apache-arrow";
import { compileModel } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { inputRules } from "../../src/model/input/contract.js";
import { javaDoubleString, javaFloatString, numberToSparkString, parseSparkDouble } from "../../src/model/input/spark-cast.js";
import { inputsMetadata } from "../../src/model/input/metadata.js";
import { thrown } from "../helpers/thrown.js";
import { infer, modelMetadata } from "../../src/serve/protocol/oip.js";
import { predictRecords } from "../../src/serve/protocol/records.js";
import { predictArrow } from "../../src/serve/protocol/arrow.js";
import { servedVersion } from "../../src/serve/runtime/served.js";
import { scoreFrame } from "../../src/predict/score.js";
import type { VersionRecord } from "../../src/registry/index.js";
import { descriptor, linearTable, table } from "../helpers/portable.js";

describe("Spark's casts", () => {
  // What Spark 4.1 printed for CAST(x AS STRING) on Java 17 (spark.sql("select cast(1e7D as string)")).
  it.each([
    [1, "1.0"],
    [2, "2.0"],
    [0.5, "0.5"],
    [1e7, "1.0E7"],
    [9999999, "9999999.0"],
    [1e-3, "0.001"],
    [9.99e-4, "9.99E-4"],
    [1e-4, "1.0E-4"],
    [0.1, "0.1"],
    [123456789.123, "1.23456789123E8"],
    [1e21, "1.0E21"],
    [-0, "-0.0"],
    [1e300, "1.0E300"],
    [100, "100.0"],
    [12345678.9, "1.23456789E7"],
    [4.9e-324, "4.9E-324"],
  ])("double %d -> %s", (x, spark) => expect(javaDoubleString(x)).toBe(spark));

  it("formats floats, integers and decimals as Spark casts them", () => {
    expect(javaFloatString(0.1)).toBe("0.1");
    expect(javaFloatString(1.5)).toBe("1.5");
    expect(javaFloatString(1e7)).toBe("1.0E7");
    expect(numberToSparkString(3, "integer")).toBe("3");
    expect(numberToSparkString(3.5, "integer")).toBeUndefined();
    expect(numberToSparkString(1.5, "decimal", 2)).toBe("1.50");
    expect(numberToSparkString(7, "string")).toBe("7");
    expect(numberToSparkString(true as unknown as number, "boolean")).toBeUndefined();
  });

  it("parses text as Spark's CAST to double does", () => {
    expect(parseSparkDouble(" 1 ")).toBe(1);
    expect(parseSparkDouble("1e3")).toBe(1000);
    expect(parseSparkDouble("1d")).toBe(1);
    expect(parseSparkDouble(".5")).toBe(0.5);
    expect(parseSparkDouble("NaN")).toBeNaN();
    expect(parseSparkDouble("-Infinity")).toBe(-Infinity);
    expect(parseSparkDouble("abc")).toBeUndefined();
    expect(parseSparkDouble("")).toBeUndefined();
    expect(parseSparkDouble("0x10")).toBeUndefined();
  });
});

describe("input rules", () => {
  const levels = new Map([
    ["sex", ["2.0", "1.0", "9.999999999999999E22"]],
    ["n", ["3", "4"]],
    ["city", ["Oslo"]],
  ]);
  const schema = [
    { name: "age", type: "double", role: "numeric", sparkType: "bigint" },
    { name: "sex", type: "string", role: "categorical", sparkType: "double" },
    { name: "n", type: "string", role: "categorical", sparkType: "int" },
    { name: "city", type: "string", role: "categorical", sparkType: "string" },
  ] as const;
  const [age, sex, n, city] = inputRules(schema as never, levels, "lenient");
  const strict = inputRules(schema as never, levels, "strict");

  it("casts a number for a categorical column read as double to Spark's level text", () => {
    expect(sex!.cast(1)).toBe("1.0");
    expect(sex!.cast(2.0)).toBe("2.0");
    expect(sex!.cast("1")).toBe("1.0");
    expect(sex!.cast("1.0")).toBe("1.0");
    expect(sex!.cast(" 2 ")).toBe("2.0");
    expect(sex!.cast(3)).toBe("3.0"); // unseen, but Spark's text for it
    expect(sex!.unseen("3.0")).toBe(true);
    expect(sex!.unseen("1.0")).toBe(false);
    expect(sex!.cast(1e23)).toBe("9.999999999999999E22"); // JDK 17's text, matched by value
    expect(sex!.cast(Infinity)).toBeUndefined();
    expect(sex!.cast(null)).toBeNull();
  });

  it("casts integers and booleans by the training column's type", () => {
    expect(n!.cast(3)).toBe("3");
    expect(n!.cast("4")).toBe("4");
    expect(n!.cast(3.5)).toBeUndefined();
    expect(n!.why(3.5)).toContain("int column cannot hold");
    expect(city!.cast(true)).toBe("true");
    expect(city!.cast(12)).toBe("12");
    expect(city!.cast("Oslo")).toBe("Oslo");
  });

  it("numeric inputs: finite numbers, NaN, numeric text and booleans; never ±Infinity", () => {
    expect(age!.cast(41)).toBe(41);
    expect(age!.cast(Number.NaN)).toBeNaN();
    expect(age!.cast("41.5")).toBe(41.5);
    expect(age!.cast(true)).toBe(1);
    expect(age!.cast(Infinity)).toBeUndefined();
    expect(age!.why(Infinity)).toContain("not a finite number");
    expect(age!.cast("1e400")).toBeUndefined();
    expect(age!.cast("forty")).toBeUndefined();
    expect(age!.why("forty")).toContain("not a number");
    expect(age!.cast({})).toBeUndefined();
  });

  it("strict inputs take only the pipeline's types", () => {
    expect(strict[0]!.cast("41")).toBeUndefined();
    expect(strict[0]!.cast(41)).toBe(41);
    expect(strict[1]!.cast(1)).toBeUndefined();
    expect(strict[1]!.why(1)).toContain('"2.0"');
    expect(strict[1]!.cast("1")).toBe("1"); // text as it is: unseen
  });
});

// sex (categorical, read as double: levels "2.0", "1.0"; handleInvalid=keep) + bmi (numeric) -> linear regression.
function model(handleInvalid: "keep" | "error" = "keep") {
  const keep = handleInvalid === "keep";
  const tables = new Map<string, ArrowTable>([
    ["imp", table({ bmi: [25] })],
    ["si", table({ column: ["sex", "sex"], index: Int32Array.from([0, 1]), label: ["2.0", "1.0"] })],
    ["ohe", table({ column: ["sex__idx"], size: Int32Array.from([keep ? 3 : 2]) })],
    ["va", table({ column: ["bmi__imp", "sex__ohe"], size: Int32Array.from([1, keep ? 3 : 2]) })],
    ["lr", linearTable([10], [[2, 5, -7, ...(keep ? [11] : [])]])],
  ]);
  const d = descriptor({
    algorithm: "linear_regression",
    task: "regression",
    label: { column: "y", values: null },
    outputs: { prediction: "prediction" },
    inputSchema: [
      { name: "bmi", type: "double", role: "numeric", sparkType: "double" },
      { name: "sex", type: "string", role: "categorical", sparkType: "double" },
    ],
    stages: [
      { kind: "imputer", file: "imp", inputCols: ["bmi"], outputCols: ["bmi__imp"], strategy: "mean", missingValue: "NaN" },
      { kind: "string_indexer", file: "si", inputCols: ["sex"], outputCols: ["sex__idx"], handleInvalid },
      { kind: "one_hot_encoder", file: "ohe", inputCols: ["sex__idx"], outputCols: ["sex__ohe"], dropLast: false, handleInvalid: "error" },
      { kind: "vector_assembler", file: "va", inputCols: ["bmi__imp", "sex__ohe"], outputCol: "features", handleInvalid: "error" },
      { kind: "linear_regression", file: "lr", featuresCol: "features", numFeatures: keep ? 4 : 3 } as never,
    ],
  });
  delete (d as { numClasses?: number }).numClasses;
  return servedVersion({ model: "diabetes", version: 1, createdAt: "2026-01-01T00:00:00Z" } as VersionRecord, compileModel(d, tables), new Date(0));
}


const arrow = (columns: Record<string, Vector>) => tableToIPC(new Table(columns), "stream");

describe("every route casts a numeric categorical as Spark does", () => {
  const v = model();
  // Spark's answers: the level text "1.0" is what Spark indexed; 10 + 2*bmi + 5*[sex=2.0] - 7*[sex=1.0].
  const byText = v.scorer.scoreRecord({ bmi: 30, sex: "1.0" }).prediction;
  const unseen = v.scorer.scoreRecord({ bmi: 30, sex: "unseen" }).prediction;

  it("the expected answers differ for a known and an unseen level", () => expect(byText).not.toBe(unseen));

  it("JSON records: 1, 1.0, \"1\" and \"1.0\" all score as the level \"1.0\"", () => {
    for (const sex of [1, 1.0, "1", "1.0"]) {
      const out = JSON.parse(predictRecords(v, { records: [{ bmi: 30, sex }] }).text);
      expect(out.predictions[0].prediction).toBe(byText);
    }
  });

  it("OIP: an FP64 tensor for the categorical input", () => {
    const out = JSON.parse(
      infer(v, {
        inputs: [
          { name: "bmi", shape: [1], datatype: "FP64", data: [30] },
          { name: "sex", shape: [1], datatype: "FP64", data: [1] },
        ],
      }).text,
    );
    expect(out.outputs[0].data).toEqual([byText]);
  });

  it("Arrow: a float64, an int64 or a utf8 column for the categorical input; utf8 or bool for the numeric one", () => {
    const cases = [
      { bmi: vectorFromArray([30], new Float64()), sex: vectorFromArray([1], new Float64()) },
      { bmi: vectorFromArray([30], new Float64()), sex: vectorFromArray([1n], new Int64()) },
      { bmi: vectorFromArray(["30"], new Utf8()), sex: vectorFromArray(["1"], new Utf8()) },
    ];
    for (const c of cases) {
      const out = tableFromIPC(predictArrow(v, arrow(c)).bytes);
      expect(out.getChild("prediction")!.get(0)).toBe(byText);
    }
    const flags = tableFromIPC(predictArrow(v, arrow({ bmi: vectorFromArray([true], new Bool()), sex: vectorFromArray(["1.0"], new Utf8()) })).bytes);
    expect(flags.getChild("prediction")!.get(0)).toBe(v.scorer.scoreRecord({ bmi: 1, sex: "1.0" }).prediction);
  });

  it("predict: a float64 column from an Arrow file and a number from JSON lines", () => {
    const frame = { names: ["bmi", "sex", "id"], columns: [[30, 30], [1, 1.0], [1n, 9007199254740993n]], rows: 2 };
    const scored = scoreFrame(v.scorer, frame, "fail");
    expect(scored.invalid).toEqual([]);
    expect(scored.frame.columns[3]).toEqual([byText, byText]);
    expect(scored.frame.columns[2]).toEqual([1n, 9007199254740993n]); // carried through exactly
    const csv = scoreFrame(v.scorer, { names: ["bmi", "sex"], columns: [["30"], ["1"]], rows: 1 }, "fail", "strict", "csv");
    expect(csv.frame.columns[2]).toEqual([unseen]); // strict: the text "1" is not the level "1.0"
  });
});

describe("one contract on every route: refusals, extra fields, strict mode, on_invalid", () => {
  const v = model("error");

  it("refuses ±Infinity (1e400 in JSON) with a per-field reason on every route", () => {
    const e1 = thrown(() => predictRecords(v, { records: [{ bmi: JSON.parse("1e400"), sex: "1.0" }] }));
    expect(e1.fields).toEqual([{ field: "records[0].bmi", reason: expect.stringContaining("not a finite number") }]);
    const e2 = thrown(() =>
      infer(v, { inputs: [{ name: "bmi", shape: [1], datatype: "FP64", data: [-Infinity] }, { name: "sex", shape: [1], datatype: "BYTES", data: ["1.0"] }] }),
    );
    expect(e2.fields).toEqual([{ field: "bmi", reason: expect.stringMatching(/^row 0: is not a finite number/) }]);
    const e3 = thrown(() => predictArrow(v, arrow({ bmi: vectorFromArray([1, Infinity], new Float64()), sex: vectorFromArray(["1.0", "2.0"], new Utf8()) })));
    expect(e3.fields).toEqual([{ field: "bmi", reason: expect.stringMatching(/^row 1: is not a finite number/) }]);
    const csv = scoreFrame(v.scorer, { names: ["bmi", "sex"], columns: [["Infinity"], ["1.0"]], rows: 1 }, "fail", "lenient", "csv");
    expect(csv.invalid).toEqual([{ row: 1, message: expect.stringContaining("not a finite number") }]);
  });

  it("lenient ignores fields the model does not take; strict refuses them", () => {
    expect(() => predictRecords(v, { records: [{ bmi: 30, sex: "1.0", id: 7 }] })).not.toThrow();
    const e = thrown(() => predictRecords(v, { records: [{ bmi: 30, sex: "1.0", id: 7 }] }, { mode: "strict", onInvalid: "fail" }));
    expect(e.fields).toEqual([{ field: "records[0].id", reason: expect.stringContaining("unknown field") }]);
    expect(() => predictArrow(v, arrow({ bmi: vectorFromArray([30], new Float64()), sex: vectorFromArray(["1.0"], new Utf8()), id: vectorFromArray([1], new Float64()) }))).not.toThrow();
    const strictArrow = thrown(() =>
      predictArrow(v, arrow({ bmi: vectorFromArray(["30"], new Utf8()), sex: vectorFromArray([1], new Float64()), id: vectorFromArray([1], new Float64()) }), { mode: "strict", onInvalid: "fail" }),
    );
    expect(strictArrow.fields!.map((f) => f.field).sort()).toEqual(["bmi", "id", "sex"]);
  });

  it("on_invalid=skip answers the good rows and names the bad ones, on every route", () => {
    const skip = { mode: "lenient", onInvalid: "skip" } as const;
    const good = v.scorer.scoreRecord({ bmi: 30, sex: "1.0" }).prediction;
    const json = predictRecords(v, { records: [{ bmi: 30, sex: "1.0" }, { bmi: "x", sex: "1.0" }, { bmi: 30, sex: "7.0" }] }, skip);
    const body = JSON.parse(json.text);
    expect(body.predictions).toEqual([{ label: good, prediction: good }, null, null]);
    expect(body.invalid.map((p: { record: number; field: string }) => [p.record, p.field])).toEqual([
      [1, "bmi"],
      [2, "sex"],
    ]);
    expect(json.skipped).toBe(2);

    const oip = infer(
      v,
      { inputs: [{ name: "bmi", shape: [3], datatype: "FP64", data: [30, Infinity, 30] }, { name: "sex", shape: [3], datatype: "BYTES", data: ["1.0", "1.0", "7.0"] }] },
      skip,
    );
    const o = JSON.parse(oip.text);
    expect(o.parameters.rows).toEqual([0]);
    expect(o.parameters.invalid.map((p: { row: number }) => p.row)).toEqual([1, 2]);
    expect(o.outputs[0]).toEqual({ name: "prediction", shape: [1], datatype: "FP64", data: [good] });

    const out = predictArrow(v, arrow({ bmi: vectorFromArray([30, Infinity, 30], new Float64()), sex: vectorFromArray(["1.0", "1.0", "7.0"], new Utf8()) }), skip);
    const t = tableFromIPC(out.bytes);
    expect(t.getChild("prediction")!.toArray()[0]).toBe(good);
    expect([t.getChild("prediction")!.get(1), t.getChild("prediction")!.get(2)]).toEqual([null, null]);
    expect(JSON.parse(t.schema.metadata.get("mlship.invalid")!).map((p: { reason: string }) => p.reason.slice(0, 5))).toEqual(["row 1", "row 2"]);
    expect(out.skipped).toBe(2);
  });

  it("counts unseen categorical values (handleInvalid=keep) per input", () => {
    const keep = model("keep");
    const json = predictRecords(keep, { records: [{ bmi: 30, sex: 3 }, { bmi: 30, sex: 1 }, { bmi: 30, sex: "x" }] });
    expect(json.unseen.byInput).toEqual(new Map([["sex", 2]]));
    const a = predictArrow(keep, arrow({ bmi: vectorFromArray([1, 2, 3], new Float64()), sex: vectorFromArray([3, 1, 3], new Float64()) }));
    expect(a.unseen.byInput).toEqual(new Map([["sex", 2]]));
  });

  it("exposes each input's levels and training type in the metadata", () => {
    expect(inputsMetadata(v.scorer)).toEqual([
      { name: "bmi", role: "numeric", type: "double", sparkType: "double", levels: null },
      { name: "sex", role: "categorical", type: "string", sparkType: "double", levels: ["2.0", "1.0"] },
    ]);
    const meta = modelMetadata(v, [1], null) as { inputs: unknown[] };
    expect(meta.inputs[1]).toEqual({ name: "sex", datatype: "BYTES", shape: [-1], parameters: { role: "categorical", sparkType: "double", levels: ["2.0", "1.0"] } });
  });
});

describe("bad input to the new inputs", () => {
  it("?on_invalid= takes fail or skip; anything else is a reason, answered 400 by the routes", async () => {
    const { requestPolicy } = await import("../../src/serve/protocol/inputs.js");
    const { DEFAULT_POLICY } = await import("../../src/serve/runtime/options.js");
    expect(requestPolicy(DEFAULT_POLICY, { on_invalid: "skip" })).toEqual({ mode: "lenient", onInvalid: "skip" });
    expect(requestPolicy(DEFAULT_POLICY, {})).toBe(DEFAULT_POLICY);
    expect(requestPolicy(DEFAULT_POLICY, { on_invalid: ["skip", "fail"] })).toMatch(/^on_invalid: expected "fail" or "skip"/);
    expect(requestPolicy(DEFAULT_POLICY, { on_invalid: "drop" })).toMatch(/got "drop"/);
  });

  it("predict refuses a damaged or empty parquet input with E_INPUT (exit 2), naming the file", async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { readFrame } = await import("../../src/predict/read.js");
    const dir = mkdtempSync(join(tmpdir(), "mlship-parquet-"));
    writeFileSync(join(dir, "bad.parquet"), "PAR1 this is not parquet PAR1");
    await expect(readFrame(join(dir, "bad.parquet"), "parquet")).rejects.toMatchObject({ code: "E_INPUT", message: expect.stringContaining("bad.parquet is not valid parquet") });
    mkdirSync(join(dir, "empty.parquet"));
    await expect(readFrame(join(dir, "empty.parquet"), "parquet")).rejects.toMatchObject({ code: "E_INPUT", message: expect.stringContaining("without .parquet files") });
    await expect(readFrame(join(dir, "missing.parquet"), "parquet")).rejects.toMatchObject({ code: "E_INPUT", message: expect.stringContaining("ENOENT") });
  });
});
