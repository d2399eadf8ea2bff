// Naive Bayes and multilayer perceptron scorers on hand-built models: the formulas of docs/portable-model.md,
// written out independently here with small numbers, plus the row and model checks and the spec's params.
import { describe, expect, it } from "vitest";
import { Field, Float64, List, makeVector, Table, vectorFromArray } from "apache-arrow";
import { compileModel, ModelError } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import type { MlpStage, NaiveBayesStage } from "../../src/model/descriptor.js";
import { loadSpecText } from "../../src/jobspec/index.js";
import { jobJson } from "../../src/submit/job-json.js";
import { descriptor, table } from "../helpers/portable.js";
import { modelSpecText, specProblems } from "../helpers/model-spec.js";

const lists = (rows: number[][]) => vectorFromArray(rows, new List(new Field("item", new Float64(), true)));

// Three numeric inputs a, b, c assembled into `features`, then the model stage reading them.
function model(stage: NaiveBayesStage | MlpStage, stageTable: ArrowTable) {
  const tables = new Map<string, ArrowTable>([
    ["va", table({ column: ["a", "b", "c"], size: Int32Array.from([1, 1, 1]) })],
    ["model", stageTable],
  ]);
  const d = descriptor({
    algorithm: stage.kind,
    task: stage.numClasses === 2 ? "binary_classification" : "multiclass_classification",
    numClasses: stage.numClasses,
    inputSchema: ["a", "b", "c"].map((name) => ({ name, type: "double" as const, role: "numeric" as const })),
    stages: [{ kind: "vector_assembler", file: "va", inputCols: ["a", "b", "c"], outputCol: "features", handleInvalid: "keep" }, stage],
  });
  return compileModel(d, tables);
}

const PI = [Math.log(0.3), Math.log(0.7)];
const THETA = [
  [Math.log(0.5), Math.log(0.3), Math.log(0.2)],
  [Math.log(0.1), Math.log(0.6), Math.log(0.3)],
];
const SIGMA = [
  [1.5, 0.5, 2.0],
  [0.8, 1.2, 0.3],
];

function naiveBayes(modelType: NaiveBayesStage["modelType"], extra: Partial<NaiveBayesStage> = {}) {
  const stage: NaiveBayesStage = { kind: "naive_bayes", file: "model", featuresCol: "features", numFeatures: 3, numClasses: 2, modelType, thresholds: null, ddotLanes: null, ...extra };
  const nbTable = new Table({
    class: makeVector(Int32Array.from([0, 1])),
    pi: makeVector(Float64Array.from(PI)),
    theta: lists(THETA),
    sigma: lists(modelType === "gaussian" ? SIGMA : [[], []]),
  }) as ArrowTable;
  return model(stage, nbTable);
}

const softmax = (raw: number[]) => {
  const max = Math.max(...raw);
  const e = raw.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
};
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe("naive Bayes", () => {
  const x = [2, 0, 5];

  it("multinomial: raw = pi + theta · x, probability = softmax(raw), prediction = argmax", () => {
    const r = naiveBayes("multinomial").scoreRecord({ a: x[0], b: x[1], c: x[2] });
    const raw = PI.map((p, c) => p + dot(THETA[c]!, x));
    expect(r.rawPrediction![0]).toBeCloseTo(raw[0]!, 12);
    expect(r.rawPrediction![1]).toBeCloseTo(raw[1]!, 12);
    softmax(raw).forEach((p, c) => expect(r.probability![c]).toBeCloseTo(p, 12));
    expect(r.prediction).toBe(raw[1]! > raw[0]! ? 1 : 0);
  });

  it("complement: raw = theta · x minus its log-sum-exp", () => {
    const r = naiveBayes("complement").scoreRecord({ a: x[0], b: x[1], c: x[2] });
    const t = THETA.map((row) => dot(row, x));
    const lse = Math.log(t.reduce((s, v) => s + Math.exp(v), 0));
    t.forEach((v, c) => expect(r.rawPrediction![c]).toBeCloseTo(v - lse, 12));
  });

  it("bernoulli: raw = pi + Σ over features of log θ when x = 1, log(1 - θ) when x = 0", () => {
    const flags = [1, 0, 1];
    const r = naiveBayes("bernoulli").scoreRecord({ a: flags[0], b: flags[1], c: flags[2] });
    PI.forEach((p, c) => {
      const expected = p + THETA[c]!.reduce((s, t, j) => s + (flags[j] ? t : Math.log(1 - Math.exp(t))), 0);
      expect(r.rawPrediction![c]).toBeCloseTo(expected, 12);
    });
  });

  it("gaussian: raw = pi - (Σ (x - θ)² / σ² + Σ log σ²) / 2", () => {
    const v = [0.5, -1.25, 2];
    const r = naiveBayes("gaussian").scoreRecord({ a: v[0], b: v[1], c: v[2] });
    PI.forEach((p, c) => {
      const s = v.reduce((acc, xj, j) => acc + (xj - THETA[c]![j]!) ** 2 / SIGMA[c]![j]!, 0);
      const logVar = SIGMA[c]!.reduce((acc, s2) => acc + Math.log(s2), 0);
      expect(r.rawPrediction![c]).toBeCloseTo(p - (s + logVar) / 2, 12);
    });
  });

  it("thresholds pick the argmax of probability / threshold", () => {
    const plain = naiveBayes("multinomial").scoreRecord({ a: 2, b: 0, c: 5 });
    const biased = naiveBayes("multinomial", { thresholds: plain.prediction === 0 ? [1, 1e-6] : [1e-6, 1] }).scoreRecord({ a: 2, b: 0, c: 5 });
    expect(biased.prediction).toBe(1 - plain.prediction);
  });

  it("refuses rows Spark refuses: negative features (multinomial), values other than 0/1 (bernoulli)", () => {
    expect(() => naiveBayes("multinomial").scoreRecord({ a: 1, b: -0.5, c: 0 })).toThrow(/non-negative features, got -0.5 at index 1/);
    expect(() => naiveBayes("complement").scoreRecord({ a: 1, b: -0.5, c: 0 })).toThrow(/non-negative/);
    expect(() => naiveBayes("bernoulli").scoreRecord({ a: 1, b: 2, c: 0 })).toThrow(/0\/1 features, got 2 at index 1/);
    expect(naiveBayes("gaussian").scoreRecord({ a: 1, b: -2, c: 0 }).rawPrediction).toHaveLength(2);
  });

  it("sums dense rows in SIMD lanes with fused multiply-adds, sparse rows left to right (both close to the plain sum)", () => {
    const dense = { a: 3, b: 1, c: 4 }; // 3 nonzeros of 3: dense
    const lanes = naiveBayes("multinomial", { ddotLanes: 2 }).scoreRecord(dense);
    const exact = naiveBayes("multinomial", { ddotLanes: null }).scoreRecord(dense);
    lanes.rawPrediction!.forEach((v, c) => expect(v).toBeCloseTo(exact.rawPrediction![c]!, 13));
  });

  it("rejects a table that does not match the descriptor", () => {
    const bad = new Table({ class: makeVector(Int32Array.from([0])), pi: makeVector(Float64Array.from([0])), theta: lists([[0, 0, 0]]), sigma: lists([[]]) }) as ArrowTable;
    const stage: NaiveBayesStage = { kind: "naive_bayes", file: "model", featuresCol: "features", numFeatures: 3, numClasses: 2, modelType: "multinomial" };
    expect(() => model(stage, bad)).toThrow(ModelError);
    expect(() => naiveBayes("poisson" as NaiveBayesStage["modelType"])).toThrow(/unknown modelType/);
  });
});

describe("multilayer perceptron", () => {
  // layers [3, 2, 2]: W1 (2 x 3) and b1, sigmoid, W2 (2 x 2) and b2; weights column-major as Spark stores them.
  const W1 = [
    [0.5, -1, 0.25],
    [-0.75, 0.5, 1],
  ];
  const B1 = [0.1, -0.2];
  const W2 = [
    [1.5, -2],
    [-1, 2.5],
  ];
  const B2 = [0.05, -0.05];
  const colMajor = (w: number[][]) => w[0]!.flatMap((_, i) => w.map((row) => row[i]!));
  const mlpTable = (w1 = colMajor(W1)) =>
    new Table({
      layer: makeVector(Int32Array.from([0, 1])),
      numIn: makeVector(Int32Array.from([3, 2])),
      numOut: makeVector(Int32Array.from([2, 2])),
      weights: lists([w1, colMajor(W2)]),
      bias: lists([B1, B2]),
    }) as ArrowTable;
  const stage: MlpStage = { kind: "mlp_classifier", file: "model", featuresCol: "features", numFeatures: 3, numClasses: 2, layers: [3, 2, 2], thresholds: null };

  it("raw = W2 · sigmoid(W1 · x + b1) + b2, probability = softmax(raw), prediction = argmax(raw)", () => {
    const x = [1, 2, -0.5];
    const hidden = W1.map((row, r) => 1 / (1 + Math.exp(-(dot(row, x) + B1[r]!))));
    const raw = W2.map((row, r) => dot(row, hidden) + B2[r]!);
    const result = model(stage, mlpTable()).scoreRecord({ a: x[0], b: x[1], c: x[2] });
    raw.forEach((v, c) => expect(result.rawPrediction![c]).toBeCloseTo(v, 14));
    softmax(raw).forEach((p, c) => expect(result.probability![c]).toBeCloseTo(p, 14));
    expect(result.prediction).toBe(raw[1]! > raw[0]! ? 1 : 0);
  });

  it("reads weights column-major (a row-major reading gives other outputs)", () => {
    const x = { a: 1, b: 2, c: -0.5 };
    const right = model(stage, mlpTable()).scoreRecord(x).rawPrediction!;
    const wrong = model(stage, mlpTable(W1.flat())).scoreRecord(x).rawPrediction!;
    expect(wrong[0]).not.toBeCloseTo(right[0]!, 6);
  });

  it("rejects layers that do not chain from numFeatures to numClasses", () => {
    expect(() => model({ ...stage, numFeatures: 3, numClasses: 3 }, mlpTable())).toThrow(/3 classes/);
    const short = new Table({ layer: makeVector(Int32Array.from([0])), numIn: makeVector(Int32Array.from([3])), numOut: makeVector(new Int32Array([2])), weights: lists([[1, 2]]), bias: lists([[0, 0]]) }) as ArrowTable;
    expect(() => model(stage, short)).toThrow(ModelError);
  });
});


describe("spec: mlp_classifier and naive_bayes params", () => {
  const specText = (algorithm: string, params: string) => modelSpecText(algorithm, params);
  const problems = specProblems;

  it("accepts hiddenLayers as a list of integers and passes it to Spark's job JSON", () => {
    const { spec } = loadSpecText({ file: "m.yaml", text: specText("mlp_classifier", "{ hiddenLayers: [8, 4], maxIter: 50 }"), env: {} });
    expect(JSON.parse(jobJson(spec)).model.params).toEqual({ hiddenLayers: [8, 4], maxIter: 50 });
    expect(problems(specText("naive_bayes", "{ modelType: complement, smoothing: 0.5 }"))).toEqual([]);
  });

  it.each([
    ["mlp_classifier", "{ hiddenLayers: 8 }", /model\.params\.hiddenLayers: expected a list of integers, got/],
    ["mlp_classifier", "{ maxIter: [5] }", /model\.params\.maxIter: expected an integer, got a list/],
    ["mlp_classifier", "{ hiddenLayers: [8.5] }", /model\.params\.hiddenLayers/],
    ["naive_bayes", "{ modelTyp: gaussian }", /unknown parameter "modelTyp" for naive_bayes/],
  ])("%s with params %s is a spec error", (algorithm, params, pattern) => {
    expect(problems(specText(algorithm, params)).join("\n")).toMatch(pattern);
  });
});
