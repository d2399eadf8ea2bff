// The TypeScript scorer follows Spark's documented stage semantics on small hand-made models.
import { describe, expect, it } from "vitest";
import { compileModel, ModelError, RowError } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { descriptor, linearTable, table } from "../helpers/portable.js";

// x (numeric, imputed) + color (indexed, one-hot with dropLast) -> features -> binomial LR.
function churnLike(opts: { handleInvalid?: "keep" | "error" | "skip"; scale?: boolean } = {}) {
  const tables = new Map<string, ArrowTable>([
    ["imp", table({ x: [2.5] })],
    ["si", table({ column: ["color", "color"], index: Int32Array.from([0, 1]), label: ["red", "blue"] })],
    ["ohe", table({ column: ["color__idx"], size: Int32Array.from([opts.handleInvalid === "keep" ? 3 : 2]) })],
    ["va", table({ column: ["x__imp", "color__ohe"], size: Int32Array.from([1, opts.handleInvalid === "keep" ? 2 : 1]) })],
    ["lr", linearTable([0.5], [[2, -1, ...(opts.handleInvalid === "keep" ? [3] : [])]])],
  ]);
  const width = opts.handleInvalid === "keep" ? 3 : 2;
  const d = descriptor({
    inputSchema: [
      { name: "x", type: "double", role: "numeric" },
      { name: "color", type: "string", role: "categorical" },
    ],
    stages: [
      { kind: "imputer", file: "imp", inputCols: ["x"], outputCols: ["x__imp"], strategy: "mean", missingValue: "NaN" },
      { kind: "string_indexer", file: "si", inputCols: ["color"], outputCols: ["color__idx"], handleInvalid: opts.handleInvalid ?? "keep" },
      { kind: "one_hot_encoder", file: "ohe", inputCols: ["color__idx"], outputCols: ["color__ohe"], dropLast: true, handleInvalid: "error" },
      { kind: "vector_assembler", file: "va", inputCols: ["x__imp", "color__ohe"], outputCol: "features", handleInvalid: "error" },
      { kind: "logistic_regression", file: "lr", featuresCol: "features", numClasses: 2, numFeatures: width, isMultinomial: false, threshold: 0.5 },
    ],
  });
  return compileModel(d, tables);
}

const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));

describe("binomial logistic regression pipeline", () => {
  it("scores a known row exactly as the formula says", () => {
    const m = churnLike({ handleInvalid: "keep" });
    const r = m.scoreRecord({ x: 1, color: "red" });
    const margin = 0.5 + 2 * 1 - 1 * 1; // red = index 0 -> one-hot [1, 0]
    expect(r.rawPrediction).toEqual([-margin, margin]);
    expect(r.probability![1]).toBeCloseTo(sigmoid(margin), 15);
    expect(r.probability![0]! + r.probability![1]!).toBeCloseTo(1, 15);
    expect(r.prediction).toBe(1);
  });

  it("imputes null and NaN with the surrogate", () => {
    const m = churnLike({ handleInvalid: "keep" });
    const withNull = m.scoreRecord({ x: null, color: "blue" });
    const withValue = m.scoreRecord({ x: 2.5, color: "blue" });
    expect(withNull).toEqual(withValue);
    expect(m.scoreValues([Number.NaN, "blue"]).rawPrediction![1]).toBe(withValue.rawPrediction![1]);
  });

  it("maps unseen and null categories to the extra index with handleInvalid=keep (all-zero one-hot after dropLast)", () => {
    const m = churnLike({ handleInvalid: "keep" });
    const unseen = m.scoreRecord({ x: 0, color: "green" });
    const missing = m.scoreRecord({ x: 0, color: null });
    expect(unseen.rawPrediction![1]).toBe(0.5); // index 2 of size 3 with dropLast -> [0, 0]
    expect(missing).toEqual(unseen);
  });

  it("refuses unseen categories with handleInvalid=error, naming the field", () => {
    const m = churnLike({ handleInvalid: "error" });
    expect(() => m.scoreRecord({ x: 0, color: "green" })).toThrow(RowError);
    expect(() => m.scoreRecord({ x: 0, color: "green" })).toThrow(/color: the unseen value "green"/);
  });

  it("reports every wrongly typed or missing field of a record at once", () => {
    const m = churnLike();
    expect(() => m.scoreRecord({ x: "7" })).toThrow(/x, color/);
  });

  it("scores columns in a batch the same as row by row", () => {
    const m = churnLike({ handleInvalid: "keep" });
    const xs = [1, null, 3, -2];
    const colors = ["red", "blue", "green", null];
    const batch = m.scoreColumns({ x: xs, color: colors }, 4);
    xs.forEach((x, i) => {
      const r = m.scoreRecord({ x, color: colors[i] });
      expect(batch.prediction[i]).toBe(r.prediction);
      expect(Array.from(batch.probability!.subarray(i * 2, i * 2 + 2))).toEqual(r.probability);
    });
  });
});

describe("multinomial logistic regression", () => {
  const tables = new Map<string, ArrowTable>([
    ["va", table({ column: ["a", "b"], size: Int32Array.from([1, 1]) })],
    ["lr", linearTable([0.1, -0.2, 0.3], [[1, 0], [0, 1], [-1, -1]])],
  ]);
  const make = (thresholds: number[] | null) =>
    compileModel(
      descriptor({
        task: "multiclass_classification",
        numClasses: 3,
        label: { column: "y", values: ["cat", "dog", "fish"] },
        inputSchema: [
          { name: "a", type: "double", role: "numeric" },
          { name: "b", type: "double", role: "numeric" },
        ],
        stages: [
          { kind: "vector_assembler", file: "va", inputCols: ["a", "b"], outputCol: "features", handleInvalid: "error" },
          { kind: "logistic_regression", file: "lr", featuresCol: "features", numClasses: 3, numFeatures: 2, isMultinomial: true, thresholds },
        ],
      }),
      tables,
    );

  it("computes softmax probabilities and maps the prediction to its label", () => {
    const r = make(null).scoreRecord({ a: 2, b: 1 });
    const margins = [0.1 + 2, -0.2 + 1, 0.3 - 3];
    const exps = margins.map((v) => Math.exp(v - Math.max(...margins)));
    const sum = exps.reduce((s, v) => s + v, 0);
    expect(r.rawPrediction).toEqual(margins);
    r.probability!.forEach((p, i) => expect(p).toBeCloseTo(exps[i]! / sum, 15));
    expect(r.prediction).toBe(0);
    expect(r.label).toBe("cat");
  });

  it("divides by thresholds before the argmax", () => {
    const r = make([1, 0.01, 1]).scoreRecord({ a: 2, b: 1 });
    expect(r.label).toBe("dog");
  });

  it("rejects a null in a column that the assembler must take as is", () => {
    expect(() => make(null).scoreRecord({ a: null, b: 1 })).toThrow(/a: a missing value cannot be assembled/);
  });
});

// Inputs a, b assembled into `features`, then a logistic regression with these rows (multinomial when more than one).
function logistic(intercepts: number[], coefficients: number[][], threshold = 0.5) {
  const k = intercepts.length;
  const tables = new Map<string, ArrowTable>([
    ["va", table({ column: ["a", "b"], size: Int32Array.from([1, 1]) })],
    ["lr", linearTable(intercepts, coefficients)],
  ]);
  return compileModel(
    descriptor({
      task: k > 1 ? "multiclass_classification" : "binary_classification",
      numClasses: Math.max(2, k),
      inputSchema: [
        { name: "a", type: "double", role: "numeric" },
        { name: "b", type: "double", role: "numeric" },
      ],
      stages: [
        { kind: "vector_assembler", file: "va", inputCols: ["a", "b"], outputCol: "features", handleInvalid: "keep" },
        k > 1
          ? { kind: "logistic_regression", file: "lr", featuresCol: "features", numClasses: k, numFeatures: 2, isMultinomial: true, thresholds: null }
          : { kind: "logistic_regression", file: "lr", featuresCol: "features", numClasses: 2, numFeatures: 2, isMultinomial: false, threshold },
      ],
    }),
    tables,
  );
}

// Spark 4.1.1's ProbabilisticClassificationModel.transform predicts with raw2prediction when rawPredictionCol is
// set (mlship always sets it): a binomial model compares the margin with log(t / (1 - t)), a multinomial one
// takes rawPrediction's DenseVector.argmax; Utils.softmax scales every value by 0 at the first +Infinity.
describe("logistic regression's prediction and softmax at the edges, as Spark's transform has them", () => {
  const both = (m: ReturnType<typeof logistic>, a: number, b: number) => {
    const row = m.scoreValues([a, b]);
    const batch = m.scoreColumns({ a: [a], b: [b] }, 1);
    return { row: { prediction: row.prediction, probability: Array.from(row.probability!) }, batch: { prediction: batch.prediction[0], probability: Array.from(batch.probability!) } };
  };

  it("binomial: a margin of 1e-17 is above the raw threshold 0 (class 1), though 1 - p0 rounds to exactly 0.5", () => {
    const got = both(logistic([1e-17], [[0, 0]]), 1, 1);
    expect(got.row).toEqual({ prediction: 1, probability: [0.5, 0.5] });
    expect(got.batch).toEqual(got.row);
    // threshold 0.7: margin log(0.7 / 0.3) decides; 1 just above it is class 1
    expect(both(logistic([Math.log(0.7 / 0.3) + 1e-9], [[0, 0]], 0.7), 1, 1).row.prediction).toBe(1);
  });

  it("multinomial: the argmax of rawPrediction, even where the probabilities tie", () => {
    const got = both(logistic([1e-20, 2e-20, -1000], [[0, 0], [0, 0], [0, 0]]), 1, 1);
    expect(got.row.probability[0]).toBe(got.row.probability[1]); // exp(1e-20 - 2e-20) rounds to 1
    expect(got.row.prediction).toBe(1);
    expect(got.batch).toEqual(got.row);
  });

  it("multinomial: +Infinity takes probability 1 and the other values are scaled by 0 (NaN for ±Infinity)", () => {
    const got = both(logistic([0, 0, 0], [[1, 1], [-1, -1], [1, 0]]), 1.7e308, 1.7e308); // raw [+Inf, -Inf, 1.7e308]
    expect(got.row).toEqual({ prediction: 0, probability: [1, Number.NaN, 0] });
    expect(got.batch).toEqual(got.row);
  });
});

describe("linear regression with a standard scaler", () => {
  it("scales by (x - mean) / std with a zero std giving 0", () => {
    const tables = new Map<string, ArrowTable>([
      ["va", table({ column: ["a", "b"], size: Int32Array.from([1, 1]) })],
      ["sc", table({ mean: Float64Array.from([1, 5]), std: Float64Array.from([2, 0]) })],
      ["lr", linearTable([10], [[3, 100]])],
    ]);
    const m = compileModel(
      descriptor({
        algorithm: "linear_regression",
        task: "regression",
        inputSchema: [
          { name: "a", type: "double", role: "numeric" },
          { name: "b", type: "double", role: "numeric" },
        ],
        stages: [
          { kind: "vector_assembler", file: "va", inputCols: ["a", "b"], outputCol: "raw", handleInvalid: "error" },
          { kind: "standard_scaler", file: "sc", inputCol: "raw", outputCol: "features", withMean: true, withStd: true },
          { kind: "linear_regression", file: "lr", featuresCol: "features", numFeatures: 2 },
        ],
      }),
      tables,
    );
    const r = m.scoreRecord({ a: 5, b: 123 });
    expect(r.prediction).toBe(10 + 3 * ((5 - 1) * 0.5) + 100 * 0);
    expect(r.probability).toBeUndefined();
  });
});

describe("compile-time checks", () => {
  it("refuses a model whose feature width differs from the pipeline's", () => {
    const tables = new Map<string, ArrowTable>([
      ["va", table({ column: ["a"], size: Int32Array.from([1]) })],
      ["lr", linearTable([0], [[1, 2]])],
    ]);
    const d = descriptor({
      algorithm: "linear_regression",
      task: "regression",
      inputSchema: [{ name: "a", type: "double", role: "numeric" }],
      stages: [
        { kind: "vector_assembler", file: "va", inputCols: ["a"], outputCol: "features", handleInvalid: "error" },
        { kind: "linear_regression", file: "lr", featuresCol: "features", numFeatures: 2 },
      ],
    });
    expect(() => compileModel(d, tables)).toThrow(ModelError);
  });

  it("refuses a stage that reads a column nobody produces", () => {
    const d = descriptor({
      inputSchema: [{ name: "a", type: "double", role: "numeric" }],
      stages: [{ kind: "vector_assembler", file: "va", inputCols: ["nope"], outputCol: "features", handleInvalid: "error" }],
    });
    expect(() => compileModel(d, new Map([["va", table({ column: ["nope"], size: Int32Array.from([1]) })]]))).toThrow(/"nope" is not produced/);
  });
});
