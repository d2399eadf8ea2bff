// Linear-family scorers on hand-built models: Spark's dense/sparse dot rule, GLM links and clamps, the probit CDF,
// linear SVC (raw prediction, no probability) and k-means (nearest center, euclidean and cosine).
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import type { GeneralizedLinearRegressionStage, KMeansStage, LinearSvcStage, Stage } from "../../src/model/descriptor.js";
import { dot, sparkLinearDot, storedDense } from "../../src/model/algorithms/linear-table.js";
import { sparkDot } from "../../src/model/algorithms/ddot.js";
import { erf, normalCdf } from "../../src/model/algorithms/glm-normal-cdf.js";
import { RowError } from "../../src/model/frame.js";
import { descriptor, linearTable, table } from "../helpers/portable.js";
import { Field, Float64, List, makeVector, Table, vectorFromArray } from "apache-arrow";
import { loadSpecText } from "../../src/jobspec/index.js";
import { jobJson } from "../../src/submit/job-json.js";

// Numeric inputs x0..x(n-1) assembled into `features`, then the model stage reading table "m".
function model(n: number, stage: Stage, m: ArrowTable, task: "regression" | "binary_classification" | "clustering", outputs: Record<string, string>) {
  const names = Array.from({ length: n }, (_, i) => `x${i}`);
  const tables = new Map<string, ArrowTable>([
    ["va", table({ column: names, size: Int32Array.from(names.map(() => 1)) })],
    ["m", m],
  ]);
  const d = descriptor({
    algorithm: stage.kind,
    task,
    numClasses: task === "binary_classification" ? 2 : undefined,
    label: { column: task === "clustering" ? null : "y", values: null },
    inputSchema: names.map((name) => ({ name, type: "double" as const, role: "numeric" as const })),
    outputs: outputs as { prediction: string },
    stages: [{ kind: "vector_assembler", file: "va", inputCols: names, outputCol: "features", handleInvalid: "keep" }, stage],
  });
  return compileModel(d, tables);
}

describe("Spark's dot product for linear models", () => {
  it("a features vector is stored dense when 12·nnz + 28 >= 8·n + 12 bytes (Vector.compressed)", () => {
    const x = new Float64Array(10);
    for (let i = 0; i < 5; i++) x[i] = 1;
    expect(storedDense(x, 10)).toBe(false); // 88 < 92
    x[5] = Number.NaN; // NaN is not 0, so it counts
    expect(storedDense(x, 10)).toBe(true); // 100 >= 92
  });

  // Values whose lane-wise fma sum differs from the left-to-right sum.
  const x = Float64Array.from([1e16, 3, -1e16, 1.5, 0.1, 0.7, 0.3, 2, 5, 7]);
  const c = Float64Array.from([1, 1, 1, 1, 1.1, 0.9, 1.3, 0.7, 1, 1]);

  it("dense features and dense coefficients sum lane by lane; anything sparse sums in order", () => {
    expect(sparkDot(4)(x, c, 10)).not.toBe(dot(x, c, 10)); // the test data does tell the two apart
    expect(sparkLinearDot({ ddotLanes: 4, sparseCoefficients: false }, "t")(x, c, 10)).toBe(sparkDot(4)(x, c, 10));
    expect(sparkLinearDot({ ddotLanes: 4, sparseCoefficients: true }, "t")(x, c, 10)).toBe(dot(x, c, 10));
    expect(sparkLinearDot({}, "t")(x, c, 10)).toBe(dot(x, c, 10)); // an export from before ddotLanes
    const sparse = Float64Array.from([1e16, 0, -1e16, 0, 0, 0, 0, 2, 0, 0]);
    expect(sparkLinearDot({ ddotLanes: 4, sparseCoefficients: false }, "t")(sparse, c, 10)).toBe(dot(sparse, c, 10));
  });

  it("linear regression uses it", () => {
    const m = model(10, { kind: "linear_regression", file: "m", featuresCol: "features", numFeatures: 10, ddotLanes: 4, sparseCoefficients: false }, linearTable([0.5], [[...c]]), "regression", { prediction: "prediction" });
    expect(m.scoreValues([...x]).prediction).toBe(sparkDot(4)(x, c, 10) + 0.5);
  });
});

describe("the probit link's normal CDF", () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-2, 0.022750131948179195],
    [3, 0.9986501019683699],
    [-6, 9.865876450376946e-10],
  ])("Φ(%d)", (z, want) => {
    expect(Math.abs(normalCdf(z) - want)).toBeLessThan(1e-15);
  });
  it("erf is odd and saturates beyond 40", () => {
    expect(erf(-0.3)).toBe(-erf(0.3));
    expect(erf(41)).toBe(1);
    expect(Math.abs(erf(0.5) - 0.5204998778130465)).toBeLessThan(1e-15);
  });
});

describe("generalized linear regression", () => {
  const glm = (family: GeneralizedLinearRegressionStage["family"], link: GeneralizedLinearRegressionStage["link"], linkPower: number | null = null) =>
    model(
      1,
      { kind: "generalized_linear_regression", file: "m", featuresCol: "features", numFeatures: 1, family, link, linkPower, variancePower: null, ddotLanes: null, sparseCoefficients: false },
      linearTable([0.25], [[2]]),
      "regression",
      { prediction: "prediction" },
    );
  const eta = (x: number) => 2 * x + 0.25;

  it.each([
    ["gaussian", "identity", null, (e: number) => e],
    ["gaussian", "log", null, Math.exp],
    ["gamma", "inverse", null, (e: number) => 1 / e],
    ["binomial", "logit", null, (e: number) => 1 / (1 + Math.exp(-e))],
    ["binomial", "cloglog", null, (e: number) => 1 - Math.exp(-Math.exp(e))],
    ["poisson", "sqrt", null, (e: number) => e * e],
    ["tweedie", "power", 0.3, (e: number) => Math.pow(e, 1 / 0.3)],
  ] as const)("%s / %s", (family, link, power, unlink) => {
    const m = glm(family, link, power);
    for (const x of [0.1, 0.7, 1.3]) expect(m.scoreValues([x]).prediction).toBe(unlink(eta(x)));
  });

  it("probit goes through the normal CDF", () => {
    expect(glm("binomial", "probit").scoreValues([0.2]).prediction).toBe(normalCdf(eta(0.2)));
  });

  it("family.project keeps means in the family's domain", () => {
    expect(glm("binomial", "logit").scoreValues([-40]).prediction).toBe(1e-16);
    expect(glm("binomial", "logit").scoreValues([40]).prediction).toBe(1 - 1e-16);
    expect(glm("gamma", "identity").scoreValues([-3]).prediction).toBe(1e-16);
    expect(glm("poisson", "log").scoreValues([1e6]).prediction).toBe(Number.MAX_VALUE);
    expect(glm("gaussian", "identity").scoreValues([-3]).prediction).toBe(eta(-3));
  });
});

describe("linear SVC", () => {
  const svc = (threshold: number) =>
    model(
      2,
      { kind: "linear_svc", file: "m", featuresCol: "features", numFeatures: 2, numClasses: 2, threshold, ddotLanes: null, sparseCoefficients: false } satisfies LinearSvcStage,
      linearTable([-1], [[1, 2]]),
      "binary_classification",
      { prediction: "prediction", rawPrediction: "rawPrediction" },
    );

  it("rawPrediction is [-m, m]; prediction is 1 when m > threshold; no probability", () => {
    const p = svc(0).scoreRecord({ x0: 1, x1: 0.5 }); // m = 1 + 1 - 1 = 1
    expect(p).toEqual({ prediction: 1, label: 1, rawPrediction: [-1, 1] });
    expect(svc(1).scoreValues([1, 0.5]).prediction).toBe(0); // not strictly above
    const batch = svc(0).scoreColumns({ x0: [1, 0], x1: [0.5, 0] }, 2);
    expect(batch.probability).toBeUndefined();
    expect(Array.from(batch.rawPrediction!)).toEqual([-1, 1, 1, -1]);
    expect(Array.from(batch.prediction)).toEqual([1, 0]);
  });
});

describe("k-means", () => {
  const centers = (rows: number[][]) =>
    new Table({ cluster: makeVector(Int32Array.from(rows.map((_, i) => i))), center: vectorFromArray(rows, new List(new Field("item", new Float64(), true))) }) as ArrowTable;
  const kmeans = (distanceMeasure: KMeansStage["distanceMeasure"], rows: number[][]) =>
    model(2, { kind: "kmeans", file: "m", featuresCol: "features", numFeatures: 2, k: rows.length, distanceMeasure, ddotLanes: null }, centers(rows), "clustering", { prediction: "prediction" });

  it("euclidean: the nearest center, the first on a tie", () => {
    const m = kmeans("euclidean", [[0, 0], [10, 0], [0, 10], [10, 0]]);
    expect(m.scoreValues([1, 1]).prediction).toBe(0);
    expect(m.scoreValues([9, 1]).prediction).toBe(1);
    expect(m.scoreValues([2, 9]).prediction).toBe(2);
    expect(m.scoreRecord({ x0: 9, x1: 0 })).toEqual({ prediction: 1, label: 1 });
  });

  it("cosine: the smallest angle, whatever the length; a zero vector is refused as Spark refuses it", () => {
    const m = kmeans("cosine", [[1, 0], [0, 1]]);
    expect(m.scoreValues([100, 1]).prediction).toBe(0);
    expect(m.scoreValues([0.01, 0.02]).prediction).toBe(1);
    expect(() => m.scoreValues([0, 0])).toThrow(RowError);
  });

  it("a batch has predictions and no probability or raw prediction", () => {
    const b = kmeans("euclidean", [[0, 0], [10, 0]]).scoreColumns({ x0: [1, 9], x1: [0, 0] }, 2);
    expect(Array.from(b.prediction)).toEqual([0, 1]);
    expect(b.width).toBe(0);
    expect(b.probability).toBeUndefined();
  });
});

describe("the spec's label rule for clustering", () => {
  const specText = (algorithm: string, label: string | null) =>
    [`name: t`, `model:`, `  algorithm: ${algorithm}`, ...(label ? [`  label: ${label}`] : []), `  features: { numeric: [a, b] }`, `data: { train: data/t }`, ""].join("\n");
  const load = (text: string) => {
    try {
      return { spec: loadSpecText({ file: "t.yaml", text, env: {} }).spec, problems: [] as string[] };
    } catch (err) {
      return { spec: undefined, problems: ((err as { problems?: { path: string; message: string }[] }).problems ?? []).map((p) => `${p.path}: ${p.message}`) };
    }
  };

  it("kmeans needs no label, and the job JSON has none", () => {
    const { spec, problems } = load(specText("kmeans", null));
    expect(problems).toEqual([]);
    expect(JSON.parse(jobJson(spec!)).model.label).toBeUndefined();
  });
  it("kmeans refuses a label; every other algorithm requires one", () => {
    expect(load(specText("kmeans", "y")).problems).toEqual([expect.stringMatching(/^model\.label: expected no label for kmeans/)]);
    expect(load(specText("generalized_linear_regression", null)).problems).toEqual(["model.label: expected a string, got nothing (the field is required)"]);
    expect(load(specText("linear_svc", "y")).problems).toEqual([]);
  });
});
