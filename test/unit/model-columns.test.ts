// The column-wise batch scorer (scoreColumns) gives, bit for bit, what the row path (scoreValues) gives:
// random batches with nulls, NaN, zeros and unseen categories through every feature stage kind and the
// linear models (each with its own batch kernel), plus models scored row by row on assembled features.
import { describe, expect, it } from "vitest";
import { Dictionary, Field, Float64, Int32, Int64, List, makeVector, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray, type DataType, type Vector } from "apache-arrow";
import { compileModel, RowError, type CompiledModel, type Value } from "../../src/model/index.js";
import { CHUNK_ROWS, CodedStrings, NullableNumbers, stringInput } from "../../src/model/columns.js";
import { predictArrow } from "../../src/serve/protocol/arrow.js";
import { servedVersion } from "../../src/serve/runtime/served.js";
import type { VersionRecord } from "../../src/registry/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import type { Stage } from "../../src/model/descriptor.js";
import { descriptor, linearTable, table } from "../helpers/portable.js";

const lists = (rows: number[][]) => vectorFromArray(rows, new List(new Field("item", new Float64(), true)));

// A small seeded generator (mulberry32), so a failure can be replayed.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Numbers with the shapes that matter: nulls, NaN, exact zeros (sparse rows), -0, large and small values.
function numbers(rand: () => number, rows: number, opts: { nulls?: boolean; nan?: boolean; lo?: number; hi?: number } = {}): (number | null)[] {
  const lo = opts.lo ?? -50;
  const hi = opts.hi ?? 50;
  return Array.from({ length: rows }, () => {
    const u = rand();
    if (opts.nulls !== false && u < 0.06) return null;
    if (opts.nan && u < 0.09) return Number.NaN;
    if (u < 0.25) return 0;
    if (u < 0.27) return -0;
    if (u < 0.3) return (rand() - 0.5) * 1e12;
    return lo + rand() * (hi - lo);
  });
}

function categories(rand: () => number, rows: number, words: string[], nulls = true): (string | null)[] {
  return Array.from({ length: rows }, () => {
    const u = rand();
    if (nulls && u < 0.05) return null;
    if (u < 0.1) return `unseen-${Math.floor(rand() * 3)}`;
    return words[Math.floor(rand() * words.length)]!;
  });
}

// Every row of scoreColumns against scoreValues, compared with Object.is (so -0 and NaN count); returns the
// first difference, or null.
function firstDifference(m: CompiledModel, columns: Record<string, (number | string | null)[] | Float64Array>, rows: number): string | null {
  const batch = m.scoreColumns(columns, rows);
  const values: Value[] = new Array(m.inputSchema.length);
  for (let r = 0; r < rows; r++) {
    m.inputSchema.forEach((c, i) => (values[i] = columns[c.name]![r] as Value));
    const p = m.scoreValues(values);
    if (!Object.is(batch.prediction[r], p.prediction)) return `row ${r} prediction ${batch.prediction[r]} != ${p.prediction}`;
    for (const [name, got] of [["probability", batch.probability], ["rawPrediction", batch.rawPrediction]] as const) {
      const want = p[name];
      if (!want) {
        if (got) return `row ${r}: the batch has ${name}, the row has none`;
        continue;
      }
      if (!got) return `row ${r}: the batch has no ${name}`;
      for (let k = 0; k < want.length; k++) {
        if (!Object.is(got[r * batch.width + k], want[k])) return `row ${r} ${name}[${k}] ${got[r * batch.width + k]} != ${want[k]}`;
      }
    }
  }
  return null;
}

const ROWS = 3000;

// The quickstart's shape: numeric inputs imputed, assembled and scaled; categories indexed and one-hot encoded.
function quickstartLike(model: Stage & { featuresCol: string }, modelTable: ArrowTable, opts: { numeric?: number; task?: "binary_classification" | "multiclass_classification" | "regression"; numClasses?: number; indexer?: "keep" | "error"; rawOnly?: boolean } = {}) {
  const numeric = Array.from({ length: opts.numeric ?? 4 }, (_, i) => `n${i}`);
  // 4 numeric inputs: 4 + 2 + 3 = 9 features with handleInvalid=keep (dropLast), of which a row has up to 6 nonzero.
  const cats = { contract: ["monthly", "yearly"], region: ["north", "south", "east"] };
  const catNames = Object.keys(cats) as (keyof typeof cats)[];
  const indexer = opts.indexer ?? "keep";
  const sizes = catNames.map((c) => cats[c].length + (indexer === "keep" ? 1 : 0)); // handleInvalid=keep adds the unseen index
  const tables = new Map<string, ArrowTable>([
    ["imp", table(Object.fromEntries(numeric.map((n, i) => [n, [i + 0.5]])))],
    ["si", table({ column: catNames.flatMap((c) => cats[c].map(() => c)), index: Int32Array.from(catNames.flatMap((c) => cats[c].map((_, i) => i))), label: catNames.flatMap((c) => cats[c]) })],
    ["ohe", table({ column: catNames.map((c) => `${c}__idx`), size: Int32Array.from(sizes) })],
    ["va1", table({ column: numeric.map((n) => `${n}__imp`), size: Int32Array.from(numeric.map(() => 1)) })],
    ["ss", table({ mean: Float64Array.from(numeric.map((_, i) => i * 1.25 - 2)), std: Float64Array.from(numeric.map((_, i) => (i === 1 ? 0 : 0.5 + i))) })],
    ["va2", table({ column: ["scaled", ...catNames.map((c) => `${c}__ohe`)], size: Int32Array.from([numeric.length, ...sizes.map((s) => s - 1)]) })],
    ["m", modelTable],
  ]);
  const d = descriptor({
    algorithm: model.kind,
    task: opts.task ?? "binary_classification",
    numClasses: opts.task === "regression" ? undefined : (opts.numClasses ?? 2),
    outputs: opts.task === "regression" ? { prediction: "prediction" } : opts.rawOnly ? { prediction: "prediction", rawPrediction: "rawPrediction" } : { prediction: "prediction", probability: "probability", rawPrediction: "rawPrediction" },
    inputSchema: [...numeric.map((name) => ({ name, type: "double" as const, role: "numeric" as const })), ...catNames.map((name) => ({ name, type: "string" as const, role: "categorical" as const }))],
    stages: [
      { kind: "imputer", file: "imp", inputCols: numeric, outputCols: numeric.map((n) => `${n}__imp`), strategy: "median", missingValue: "NaN" },
      { kind: "string_indexer", file: "si", inputCols: catNames, outputCols: catNames.map((c) => `${c}__idx`), handleInvalid: indexer },
      { kind: "one_hot_encoder", file: "ohe", inputCols: catNames.map((c) => `${c}__idx`), outputCols: catNames.map((c) => `${c}__ohe`), dropLast: true, handleInvalid: "error" },
      { kind: "vector_assembler", file: "va1", inputCols: numeric.map((n) => `${n}__imp`), outputCol: "numeric", handleInvalid: "error" },
      { kind: "standard_scaler", file: "ss", inputCol: "numeric", outputCol: "scaled", withMean: true, withStd: true },
      { kind: "vector_assembler", file: "va2", inputCols: ["scaled", ...catNames.map((c) => `${c}__ohe`)], outputCol: "features", handleInvalid: "error" },
      model,
    ],
  });
  const numFeatures = numeric.length + sizes.reduce((s, n) => s + n - 1, 0);
  const batch = (seed: number, rows = ROWS) => {
    const rand = random(seed);
    const columns: Record<string, (number | string | null)[] | Float64Array> = {};
    numeric.forEach((n, i) => (columns[n] = i === 0 ? Float64Array.from(numbers(rand, rows, { nulls: false }) as number[]) : numbers(rand, rows, { nan: i === 2 })));
    catNames.forEach((c) => (columns[c] = categories(rand, rows, cats[c])));
    return columns;
  };
  return { model: compileModel(d, tables), numFeatures, batch };
}

// Coefficients with magnitudes far apart, so different orders of addition give different doubles.
function coefficients(seed: number, n: number): number[] {
  const rand = random(seed);
  return Array.from({ length: n }, (_, i) => (rand() - 0.5) * 10 ** ((i % 5) - 2));
}

describe("scoreColumns is bit for bit the row path: linear models with their batch kernels", () => {
  // numeric 4 -> 4 + 2 + 3 = 9 features: some rows are stored dense (nnz >= 5), others sparse.
  for (const lanes of [undefined, null, 1, 4, 8]) {
    it(`binomial logistic regression, ddotLanes ${String(lanes)}`, () => {
      const coef = coefficients(1, 9);
      const lr = quickstartLike({ kind: "logistic_regression", file: "m", featuresCol: "features", numClasses: 2, numFeatures: 9, isMultinomial: false, threshold: 0.4, ...(lanes === undefined ? {} : { ddotLanes: lanes, sparseCoefficients: false }) }, linearTable([0.3], [coef]));
      expect(lr.numFeatures).toBe(9);
      expect(lr.model.batchPath).toBe("columns");
      expect(firstDifference(lr.model, lr.batch(11), ROWS)).toBeNull();
    });
  }

  it("the dense rows are summed lane-wise there: the test data tells the two sums apart", () => {
    const coef = coefficients(2, 9);
    const stage = (lanes: number | undefined) => ({ kind: "logistic_regression" as const, file: "m", featuresCol: "features", numClasses: 2, numFeatures: 9, isMultinomial: false, threshold: 0.5, ...(lanes ? { ddotLanes: lanes, sparseCoefficients: false } : {}) });
    const lanes = quickstartLike(stage(4), linearTable([0.3], [coef]));
    const plain = quickstartLike(stage(undefined), linearTable([0.3], [coef]));
    const a = lanes.model.scoreColumns(lanes.batch(5), ROWS).rawPrediction!;
    const b = plain.model.scoreColumns(plain.batch(5), ROWS).rawPrediction!;
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
    expect(differ).toBeGreaterThan(0);
  });

  it("sparse coefficients: the plain sum throughout", () => {
    const lr = quickstartLike({ kind: "logistic_regression", file: "m", featuresCol: "features", numClasses: 2, numFeatures: 9, isMultinomial: false, threshold: 0.5, ddotLanes: 4, sparseCoefficients: true }, linearTable([-1], [coefficients(3, 9)]));
    expect(firstDifference(lr.model, lr.batch(12), ROWS)).toBeNull();
  });

  it("the quickstart's 17 features (never stored dense) with 8 lanes", () => {
    const lr = quickstartLike({ kind: "logistic_regression", file: "m", featuresCol: "features", numClasses: 2, numFeatures: 17, isMultinomial: false, threshold: 0.5, ddotLanes: 8, sparseCoefficients: false }, linearTable([0.1], [coefficients(4, 17)]), { numeric: 12 });
    expect(lr.numFeatures).toBe(17);
    expect(firstDifference(lr.model, lr.batch(13), ROWS)).toBeNull();
  });

  it("multinomial logistic regression with thresholds", () => {
    const k = 3;
    const lr = quickstartLike(
      { kind: "logistic_regression", file: "m", featuresCol: "features", numClasses: k, numFeatures: 9, isMultinomial: true, threshold: null, thresholds: [0.5, 0.2, 0.3], ddotLanes: 2, sparseCoefficients: false } as Stage & { featuresCol: string },
      linearTable([0.1, -0.2, 0.05], [coefficients(5, 9), coefficients(6, 9), coefficients(7, 9)]),
      { task: "multiclass_classification", numClasses: k },
    );
    expect(lr.model.batchPath).toBe("columns");
    expect(firstDifference(lr.model, lr.batch(14), ROWS)).toBeNull();
  });

  it("linear regression, linear SVC and GLMs", () => {
    const lin = quickstartLike({ kind: "linear_regression", file: "m", featuresCol: "features", numFeatures: 9, ddotLanes: 4, sparseCoefficients: false }, linearTable([2.5], [coefficients(8, 9)]), { task: "regression" });
    expect(firstDifference(lin.model, lin.batch(15), ROWS)).toBeNull();
    const svc = quickstartLike({ kind: "linear_svc", file: "m", featuresCol: "features", numFeatures: 9, numClasses: 2, threshold: 0.1, ddotLanes: 8, sparseCoefficients: false } as Stage & { featuresCol: string }, linearTable([0.2], [coefficients(9, 9)]), { rawOnly: true });
    expect(svc.model.batchPath).toBe("columns");
    expect(firstDifference(svc.model, svc.batch(16), ROWS)).toBeNull();
    for (const [family, link] of [["binomial", "logit"], ["poisson", "log"], ["gaussian", "identity"], ["binomial", "probit"], ["gamma", "inverse"]] as const) {
      const glm = quickstartLike(
        { kind: "generalized_linear_regression", file: "m", featuresCol: "features", numFeatures: 9, family, link, linkPower: null, variancePower: null, ddotLanes: 4, sparseCoefficients: false } as Stage & { featuresCol: string },
        linearTable([0.01], [coefficients(10, 9).map((c) => c / 10)]),
        { task: "regression" },
      );
      expect(firstDifference(glm.model, glm.batch(17), ROWS), `${family}/${link}`).toBeNull();
    }
  });
});

// Numeric inputs through bucketizer, imputer (a missingValue that is not NaN), binarizer, then a vector scaled
// by min-max, max-abs and normalised, into the given model.
function featureStages(model: Stage & { featuresCol: string }, modelTable: ArrowTable, opts: { p: number; task: "binary_classification" | "multiclass_classification" | "regression" | "clustering"; numClasses?: number; bucketInvalid?: "keep" | "error"; vaInvalid?: "keep" | "error" }) {
  const inputs = ["a", "b", "c", "d"];
  const tables = new Map<string, ArrowTable>([
    ["bk", new Table({ column: vectorFromArray(["a"]), splits: lists([[Number.NEGATIVE_INFINITY, -10, 0, 10, Number.POSITIVE_INFINITY]]) }) as ArrowTable],
    ["imp", table({ a__b: [1.5], b: [-3], c: [7] })],
    ["bin", table({ column: ["d"], threshold: [0.5] })],
    ["va", table({ column: ["a__b__i", "b__i", "c__i", "d__bin", "d"], size: Int32Array.from([1, 1, 1, 1, 1]) })],
    ["mm", table({ originalMin: [0, -50, -50, 0, -50], originalMax: [4, 50, -50, 1, 50] })],
    ["ma", table({ maxAbs: [1, 0, 2, 4, 0.5] })],
    ["nz", table({ p: [opts.p] })],
    ["m", modelTable],
  ]);
  const d = descriptor({
    algorithm: model.kind,
    task: opts.task,
    numClasses: opts.numClasses,
    label: { column: opts.task === "clustering" ? null : "y", values: null },
    outputs: opts.task === "regression" || opts.task === "clustering" ? { prediction: "prediction" } : { prediction: "prediction", probability: "probability", rawPrediction: "rawPrediction" },
    inputSchema: inputs.map((name) => ({ name, type: "double" as const, role: "numeric" as const })),
    stages: [
      { kind: "bucketizer", file: "bk", inputCols: ["a"], outputCols: ["a__b"], handleInvalid: opts.bucketInvalid ?? "keep" },
      { kind: "imputer", file: "imp", inputCols: ["a__b", "b", "c"], outputCols: ["a__b__i", "b__i", "c__i"], strategy: "mean", missingValue: -3 },
      { kind: "binarizer", file: "bin", inputCols: ["d"], outputCols: ["d__bin"] },
      { kind: "vector_assembler", file: "va", inputCols: ["a__b__i", "b__i", "c__i", "d__bin", "d"], outputCol: "v", handleInvalid: opts.vaInvalid ?? "keep" },
      { kind: "min_max_scaler", file: "mm", inputCol: "v", outputCol: "v_mm", min: -1, max: 1 },
      { kind: "max_abs_scaler", file: "ma", inputCol: "v_mm", outputCol: "v_ma" },
      { kind: "normalizer", file: "nz", inputCol: "v_ma", outputCol: "features", p: opts.p === Number.POSITIVE_INFINITY ? "Infinity" : opts.p },
      model,
    ],
  });
  const batch = (seed: number, rows = ROWS) => {
    const rand = random(seed);
    const cols: Record<string, (number | null)[]> = Object.fromEntries(inputs.map((n) => [n, numbers(rand, rows, { nan: n !== "a" })]));
    for (let r = 0; r < rows; r += 7) cols.b![r] = -3; // the imputer's missingValue
    return cols;
  };
  return { model: compileModel(d, tables), batch };
}

describe("scoreColumns is bit for bit the row path: every other feature stage", () => {
  for (const p of [1, 2, 3, Number.POSITIVE_INFINITY]) {
    it(`bucketizer, imputer (missingValue -3), binarizer, min-max, max-abs, normalizer p=${p} -> logistic regression`, () => {
      const m = featureStages({ kind: "logistic_regression", file: "m", featuresCol: "features", numClasses: 2, numFeatures: 5, isMultinomial: false, threshold: 0.5, ddotLanes: 4, sparseCoefficients: false }, linearTable([0.1], [coefficients(20, 5)]), { p, task: "binary_classification", numClasses: 2 });
      expect(m.model.batchPath).toBe("columns");
      expect(firstDifference(m.model, m.batch(21), ROWS)).toBeNull();
    });
  }

  it("models without a batch kernel are predicted row by row on the assembled features: k-means, naive Bayes, MLP", () => {
    const kmeans = featureStages(
      { kind: "kmeans", file: "m", featuresCol: "features", numFeatures: 5, k: 3, distanceMeasure: "euclidean", ddotLanes: 4 } as Stage & { featuresCol: string },
      new Table({ cluster: makeVector(Int32Array.from([0, 1, 2])), center: lists([[0, 0, 0, 0, 0], [0.5, -0.5, 0.1, 0.2, 0.3], [-0.4, 0.4, 0.4, -0.1, 0]]) }) as ArrowTable,
      { p: 2, task: "clustering" },
    );
    expect(kmeans.model.batchPath).toBe("features");
    expect(firstDifference(kmeans.model, kmeans.batch(22), ROWS)).toBeNull();
    const mlp = featureStages(
      { kind: "mlp_classifier", file: "m", featuresCol: "features", numFeatures: 5, numClasses: 2, layers: [5, 3, 2], thresholds: null } as Stage & { featuresCol: string },
      new Table({
        layer: makeVector(Int32Array.from([0, 1])),
        numIn: makeVector(Int32Array.from([5, 3])),
        numOut: makeVector(Int32Array.from([3, 2])),
        weights: lists([coefficients(23, 15), coefficients(24, 6)]),
        bias: lists([[0.1, -0.2, 0.3], [0.05, -0.05]]),
      }) as ArrowTable,
      { p: 1, task: "binary_classification", numClasses: 2 },
    );
    expect(firstDifference(mlp.model, mlp.batch(24), ROWS)).toBeNull();
  });

  it("input columns of numbers in a plain array and in a Float64Array give the same answers", () => {
    const m = featureStages({ kind: "linear_regression", file: "m", featuresCol: "features", numFeatures: 5, ddotLanes: null, sparseCoefficients: false }, linearTable([1], [coefficients(25, 5)]), { p: 2, task: "regression" });
    const cols = m.batch(26);
    const typed = { ...cols, c: Float64Array.from(cols.c!.map((v) => v ?? Number.NaN)) };
    expect(Array.from(m.model.scoreColumns(typed, ROWS).prediction)).toEqual(Array.from(m.model.scoreColumns({ ...cols, c: Array.from(typed.c) }, ROWS).prediction));
  });
});

describe("a batch with a row that cannot be scored fails as the row path does, on the first such row", () => {
  // The first row the row path refuses, and its error.
  function firstRowError(model: CompiledModel, cols: Record<string, (number | string | null)[] | Float64Array>, rows: number) {
    const values: Value[] = new Array(model.inputSchema.length);
    for (let r = 0; r < rows; r++) {
      model.inputSchema.forEach((c, i) => (values[i] = cols[c.name]![r] as Value));
      try {
        model.scoreValues(values);
      } catch (err) {
        return { r, message: (err as Error).message };
      }
    }
    return null;
  }
  const lin = { kind: "linear_regression", file: "m", featuresCol: "features", numFeatures: 5, ddotLanes: null, sparseCoefficients: false } as const;

  it.each([
    ["an unseen category with handleInvalid=error (string indexer)", "si"],
    ["a NaN with handleInvalid=error (vector assembler)", "va"],
    ["NaN with handleInvalid=error (bucketizer)", "bk"],
  ])("%s", (_label, which) => {
    const rows = 60;
    let model: CompiledModel;
    let cols: Record<string, (number | string | null)[] | Float64Array>;
    if (which === "si") {
      const m = quickstartLike({ kind: "logistic_regression", file: "m", featuresCol: "features", numClasses: 2, numFeatures: 7, isMultinomial: false, threshold: 0.5 }, linearTable([0], [coefficients(29, 7)]), { indexer: "error" });
      model = m.model;
      cols = m.batch(30, rows);
      cols.contract = (cols.contract as (string | null)[]).map((v) => (v === null || v.startsWith("unseen") ? "monthly" : v));
      cols.region = (cols.region as (string | null)[]).map((v, r) => (r === 23 || r === 40 ? "nowhere" : v === null || v.startsWith("unseen") ? "north" : v));
    } else {
      const m = featureStages(lin, linearTable([1], [coefficients(27, 5)]), { p: 2, task: "regression", bucketInvalid: "error", vaInvalid: "error" });
      model = m.model;
      cols = m.batch(28, rows);
      cols.a = (cols.a as (number | null)[]).map(() => 1);
      for (const c of ["b", "c", "d"]) cols[c] = (cols[c] as (number | null)[]).map((v) => (v === null || Number.isNaN(v) ? 2 : v));
      (cols[which === "bk" ? "a" : "b"] as (number | null)[])[31] = Number.NaN;
      (cols.a as (number | null)[])[45] = Number.NaN;
    }
    const first = firstRowError(model, cols, rows);
    expect(first?.r).toBe(which === "si" ? 23 : 31);
    expect(() => model.scoreColumns(cols, rows)).toThrow(RowError);
    expect(() => model.scoreColumns(cols, rows)).toThrow(first!.message);
    // the same batch without the bad rows scores column-wise, as the rows do
    const good = Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Array.from(v as ArrayLike<number | string | null>).slice(0, 20)]));
    expect(firstDifference(model, good, 20)).toBeNull();
  });
});

describe("the column forms the Arrow route hands over", () => {
  it("CodedStrings and NullableNumbers score as the plain arrays they stand for", () => {
    const m = quickstartLike({ kind: "logistic_regression", file: "m", featuresCol: "features", numClasses: 2, numFeatures: 9, isMultinomial: false, threshold: 0.5, ddotLanes: 4, sparseCoefficients: false }, linearTable([0.3], [coefficients(40, 9)]));
    const plain = m.batch(41);
    const n1 = plain.n1 as (number | null)[];
    const coded = {
      ...plain,
      n1: new NullableNumbers(Float64Array.from(n1, (v) => v ?? Number.NaN), Uint8Array.from(n1, (v) => (v === null ? 1 : 0))),
      contract: stringInput(plain.contract as (string | null)[], ROWS)!,
      region: stringInput(plain.region as (string | null)[], ROWS)!,
    };
    expect(coded.contract.words.length).toBeGreaterThan(2); // the words and the unseen values
    expect(coded.contract.toArray()).toEqual(plain.contract);
    const a = m.model.scoreColumns(plain, ROWS);
    const b = m.model.scoreColumns(coded, ROWS);
    expect(Array.from(b.prediction)).toEqual(Array.from(a.prediction));
    expect(Array.from(b.probability!)).toEqual(Array.from(a.probability!));
    expect(firstDifference(m.model, plain, ROWS)).toBeNull();
  });

  // The quickstart-like model served, and a batch of `rows` rows as an Arrow stream built from the given vectors.
  const served = (model: CompiledModel) => servedVersion({ model: "churn", version: 1 } as VersionRecord, model, new Date(0));

  it("decodes utf8 (many distinct values), dictionary, int and nullable columns over several record batches exactly", () => {
    const m = quickstartLike({ kind: "logistic_regression", file: "m", featuresCol: "features", numClasses: 2, numFeatures: 9, isMultinomial: false, threshold: 0.5, ddotLanes: 8, sparseCoefficients: false }, linearTable([0.3], [coefficients(42, 9)]));
    const rows = 2 * CHUNK_ROWS + 777;
    const plain = m.batch(43, rows) as Record<string, (number | string | null)[] | Float64Array>;
    // region: thousands of distinct values that share lengths and first and last bytes, plus the real ones
    plain.region = (plain.region as (string | null)[]).map((v, r) => (r % 3 === 0 ? `zone-${String(r).padStart(6, "0")}-x` : v));
    plain.n3 = (plain.n3 as (number | null)[]).map((v) => (v === null || Number.isNaN(v) ? v : Math.round(v)));
    const cut = [0, 1000, 1001, rows]; // three record batches, one of them a single row
    const parts = cut.slice(1).map((end, k) => {
      const vectors: Record<string, Vector> = {};
      for (const c of m.model.inputSchema) {
        const type = c.name === "n3" ? new Int64() : c.name === "n2" ? new Int32() : c.name === "contract" ? new Dictionary(new Utf8(), new Int32()) : c.type === "string" ? new Utf8() : new Float64();
        let values = Array.from(plain[c.name]!).slice(cut[k], end) as (number | string | null)[];
        if (c.name === "n3") values = values.map((v) => (v === null || Number.isNaN(v as number) ? null : BigInt(v as number))) as never;
        if (c.name === "n2") values = values.map((v) => (v === null || Number.isNaN(v as number) ? null : Math.trunc(v as number) % 100000));
        vectors[c.name] = vectorFromArray(values as never, type as DataType);
      }
      return new Table(vectors);
    });
    const table = parts[0]!.concat(parts[1]!, parts[2]!);
    expect(table.batches.length).toBe(3);
    const out = tableFromIPC(predictArrow(served(m.model), tableToIPC(table, "stream")).bytes);
    expect(out.numRows).toBe(rows);
    // what the row path gives for the same values (NaN and null in int columns both arrive as null)
    const expected = { ...plain } as Record<string, (number | string | null)[]>;
    expected.n2 = Array.from(plain.n2 as (number | null)[], (v) => (v === null || Number.isNaN(v) ? null : Math.trunc(v) % 100000));
    expected.n3 = Array.from(plain.n3 as (number | null)[], (v) => (v === null || Number.isNaN(v) ? null : v));
    const values: Value[] = new Array(m.model.inputSchema.length);
    const probability = out.getChild("probability")!;
    for (let r = 0; r < rows; r++) {
      m.model.inputSchema.forEach((c, i) => (values[i] = expected[c.name]![r] as Value));
      const p = m.model.scoreValues(values);
      if (out.getChild("prediction")!.get(r) !== p.prediction || !Object.is(probability.get(r)!.get(1), p.probability![1])) {
        expect.fail(`row ${r}: ${out.getChild("prediction")!.get(r)} ${probability.get(r)!.get(1)} != ${p.prediction} ${p.probability![1]}`);
      }
    }
  });

  it("decodes each utf8 value to its own word, among thousands that share length and first and last bytes", () => {
    // word -> its index (string indexer, keep) -> prediction = index, so the answer names the word each row decoded to
    const labels = Array.from({ length: 3000 }, (_, i) => `w-${String(i).padStart(5, "0")}-z`);
    const d = descriptor({
      algorithm: "linear_regression",
      task: "regression",
      outputs: { prediction: "prediction" },
      inputSchema: [{ name: "word", type: "string", role: "categorical" }],
      stages: [
        { kind: "string_indexer", file: "si", inputCols: ["word"], outputCols: ["idx"], handleInvalid: "keep" },
        { kind: "vector_assembler", file: "va", inputCols: ["idx"], outputCol: "features", handleInvalid: "error" },
        { kind: "linear_regression", file: "m", featuresCol: "features", numFeatures: 1, ddotLanes: null, sparseCoefficients: false },
      ],
    });
    const model = compileModel(d, new Map<string, ArrowTable>([
      ["si", table({ column: labels.map(() => "word"), index: Int32Array.from(labels.map((_, i) => i)), label: labels })],
      ["va", table({ column: ["idx"], size: Int32Array.from([1]) })],
      ["m", linearTable([0], [[1]])],
    ]));
    const rand = random(50);
    const words = Array.from({ length: 20000 }, (_, r) => (r % 97 === 0 ? null : r % 89 === 0 ? "w-99999-z" : labels[Math.floor(rand() * labels.length)]!));
    const out = tableFromIPC(predictArrow(served(model), tableToIPC(new Table({ word: vectorFromArray(words, new Utf8()) }), "stream")).bytes);
    const got = Array.from({ length: words.length }, (_, r) => out.getChild("prediction")!.get(r));
    expect(got).toEqual(words.map((w) => (w === null || !labels.includes(w) ? labels.length : labels.indexOf(w))));
  });

  it("CodedStrings hands out its rows as the row path takes them", () => {
    const c = new CodedStrings(Int32Array.from([1, -1, 0, 1]), ["a", "b"]);
    expect(c.toArray()).toEqual(["b", null, "a", "b"]);
    expect(c.slice(1, 3).toArray()).toEqual([null, "a"]);
    expect(stringInput(["x", null, 3 as unknown as string], 3)).toBeNull(); // not a string: the row path decides
  });
});
