// Feature stages on real local Spark: every stage and option combination of model.features trains a small logistic
// regression through the product's own run_training/export (one Spark session for all cases), and the TypeScript
// scorer must reproduce Spark's outputs on >= 1000 parity rows: max |diff| <= 1e-9, identical labels. The data has
// nulls and NaN in numeric inputs, nulls and unseen categories in categorical ones, and exact split/threshold values.
import { beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { caseJob, certifyCase, trainMany, type CaseOutcome, type TrainCase } from "../helpers/train-many.js";
import { projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { folderReader, loadPortableModel } from "../../src/model/load.js";
import { RowError } from "../../src/model/frame.js";

const work = tempDir("mlship-parity-stages-");
const data = join(work, "data");
const python = join(projectRoot, ".venv", "bin", "python");

// 3000 rows: x1 (normal, 5% null, 4% NaN, exact -1/0/1/-0.0), x2 (0..100, 6% null, exact split values), x4 (counts,
// 5% null, exact 2.5), k (constant, some null), neg (mostly negative), c1 (5 categories, 6% null, 4% one-off values
// that are unseen when they land in validation), c2 (3 categories, never null), y (0/1 from a noisy logit).
const GENERATE = `
import math, random, sys
import pyarrow as pa, pyarrow.parquet as pq
rnd = random.Random(20261127)
n = 3000
cols = {k: [] for k in ("x1", "x2", "x4", "k", "neg", "c1", "c2", "y")}
for i in range(n):
    u = rnd.random()
    x1 = None if u < 0.05 else math.nan if u < 0.09 else rnd.choice([-1.0, 0.0, 1.0, -0.0]) if u < 0.15 else rnd.gauss(0, 1.5)
    u = rnd.random()
    x2 = None if u < 0.06 else rnd.choice([0.0, 20.0, 50.0, 80.0, 100.0]) if u < 0.14 else rnd.uniform(0, 100)
    u = rnd.random()
    x4 = None if u < 0.05 else 2.5 if u < 0.1 else float(rnd.randint(0, 6))
    k = None if rnd.random() < 0.03 else 5.0
    neg = rnd.uniform(-50, 10)
    u = rnd.random()
    c1 = None if u < 0.06 else f"rare_{i}" if u < 0.10 else rnd.choices("abcde", [5, 4, 3, 2, 1])[0]
    c2 = rnd.choice(["p", "q", "r"])
    logit = (0.8 * (x1 if x1 is not None and not math.isnan(x1) else 0) + 0.03 * ((x2 or 50) - 50)
             + (1.0 if c1 in ("a", "b") else -0.5) + 0.3 * (x4 or 0) - 0.02 * neg + (0.4 if c2 == "p" else 0) - 1)
    y = 1.0 if rnd.random() < 1 / (1 + math.exp(-logit)) else 0.0
    for key, v in zip(cols, (x1, x2, x4, k, neg, c1, c2, y)):
        cols[key].append(v)
types = {"c1": pa.utf8(), "c2": pa.utf8()}
table = pa.table({k: pa.array(v, types.get(k, pa.float64())) for k, v in cols.items()})
pq.write_table(table, sys.argv[1] + "/part-0.parquet")
`;

const NUMERIC = ["x1", "x2", "x4", "k", "neg"];

// A logistic regression case on the generated data with the given model.features options.
function stageCase(name: string, features: Record<string, unknown>): TrainCase {
  const model = {
    algorithm: "logistic_regression",
    params: { maxIter: 15, regParam: 0.01 },
    label: "y",
    features: { numeric: NUMERIC, categorical: ["c1"], impute: "mean", scale: "none", categoricalEncoding: "onehot", ...features },
  };
  return { case: name, job: caseJob(name, model, { train: data }) };
}

// Each option at least once; cases combine options that do not interact, to keep the Spark fits few.
const CASES: TrainCase[] = [
  stageCase("standard-no-mean-normalize-1", { scale: "standard", scaleOptions: { withMean: false, withStd: true }, normalize: 1 }),
  stageCase("standard-boolean-median", { scale: true, impute: "median" }),
  stageCase("minmax-mode-normalize-inf", { scale: "minmax", scaleOptions: { min: -1, max: 2 }, impute: "mode", normalize: "inf" }),
  stageCase("maxabs-normalize-3", { scale: "maxabs", normalize: 3 }),
  stageCase("indexer-skip", { indexer: { handleInvalid: "skip" }, onehot: { dropLast: false } }),
  stageCase("indexer-error", { categorical: ["c2"], indexer: { handleInvalid: "error" }, onehot: { handleInvalid: "keep" } }),
  stageCase("bucketize-keep", {
    bucketize: { x1: ["-inf", -1, 0, 1, "inf"], x2: [0, 20, 50, 80, 100] },
    impute: "mode",
    indexer: { stringOrderType: "frequencyAsc" },
    onehot: { dropLast: false, handleInvalid: "keep" },
  }),
  stageCase("buckets-skip", { bucketize: { x1: ["-inf", -1, 0, 1, "inf"] }, quantiles: { x2: 5 }, bucketOptions: { handleInvalid: "skip", relativeError: 0.01 } }),
  stageCase("bucketize-error", { bucketize: { x2: [0, 20, 50, 80, 100] }, bucketOptions: { handleInvalid: "error" } }),
  stageCase("quantiles-keep", { quantiles: { x1: 4, x2: 3 }, categorical: ["c1", "c2"], indexer: { stringOrderType: "alphabetDesc" } }),
  stageCase("binarize-alphabet-asc", { binarize: { x4: 2.5, x1: 0 }, indexer: { stringOrderType: "alphabetAsc" }, onehot: { handleInvalid: "keep" } }),
  stageCase("everything", {
    impute: "median",
    scale: "standard",
    normalize: 2,
    bucketize: { x2: [0, 20, 50, 80, 100] },
    quantiles: { neg: 4 },
    binarize: { x4: 2.5 },
    categorical: ["c1", "c2"],
    onehot: { handleInvalid: "keep" },
  }),
];

// The stage kinds each case must export, in order (proves the options really built the stages).
const ENCODE = ["string_indexer", "one_hot_encoder"];
const KINDS: Record<string, string[]> = {
  "standard-no-mean-normalize-1": ["imputer", ...ENCODE, "vector_assembler", "standard_scaler", "normalizer", "vector_assembler"],
  "minmax-mode-normalize-inf": ["imputer", ...ENCODE, "vector_assembler", "min_max_scaler", "normalizer", "vector_assembler"],
  "maxabs-normalize-3": ["imputer", ...ENCODE, "vector_assembler", "max_abs_scaler", "normalizer", "vector_assembler"],
  "bucketize-keep": ["bucketizer", "imputer", ...ENCODE, "vector_assembler"],
  "buckets-skip": ["bucketizer", "bucketizer", "imputer", ...ENCODE, "vector_assembler"],
  "quantiles-keep": ["bucketizer", "imputer", ...ENCODE, "vector_assembler"],
  "binarize-alphabet-asc": ["binarizer", "imputer", ...ENCODE, "vector_assembler"],
  everything: ["bucketizer", "bucketizer", "binarizer", "imputer", ...ENCODE, "vector_assembler", "standard_scaler", "normalizer", "vector_assembler"],
};

let outcomes: Map<string, CaseOutcome>;

// Rows of a case's parity sample, as plain objects.
function paritySample(name: string): Record<string, unknown>[] {
  return tableFromIPC(readFileSync(join(work, name, "model", "parity.arrow"))).toArray().map((r) => r.toJSON());
}

function descriptorOf(name: string): { stages: { kind: string; [k: string]: unknown }[] } {
  return JSON.parse(readFileSync(join(work, name, "model", "portable", "descriptor.json"), "utf8"));
}

const scorer = (name: string) => loadPortableModel(folderReader(join(work, name, "model", "portable")));
const record = (over: Record<string, unknown>) => ({ x1: 0.5, x2: 30, x4: 1, k: 5, neg: -3, c1: "a", c2: "p", ...over });

describe("feature stages: TypeScript parity with Spark 4.1.1", () => {
  beforeAll(async () => {
    await execa("mkdir", ["-p", data]);
    await execa(python, ["-c", GENERATE, data]);
    outcomes = await trainMany(CASES, work);
  }, 1_200_000); // about 2.5 min on an idle 2-core machine; far more while other Spark jobs share it

  it.each(CASES.map((c) => c.case))("%s: >= 1000 rows, max |diff| <= 1e-9, identical labels", async (name) => {
    const outcome = outcomes.get(name)!;
    expect(outcome.problems).toEqual([]);
    expect(outcome.ok).toBe(true);
    const report = await certifyCase(work, name, 1e-9);
    expect(report.errors).toEqual([]);
    expect(report.rows).toBeGreaterThanOrEqual(1000);
    expect(report.labelMismatches).toBe(0);
    expect(report.maxAbsDiff).toBeLessThanOrEqual(1e-9);
    expect(report.passed).toBe(true);
    if (KINDS[name]) expect(descriptorOf(name).stages.map((s) => s.kind).slice(0, -1)).toEqual(KINDS[name]);
  });

  it("the parity samples really hold the edge values: null and NaN numbers, null and unseen categories, exact splits", () => {
    const rows = paritySample("bucketize-keep");
    const seen = new Set(["a", "b", "c", "d", "e"]);
    expect(rows.filter((r) => r.x1 === null).length).toBeGreaterThan(10);
    expect(rows.filter((r) => typeof r.x1 === "number" && Number.isNaN(r.x1)).length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.c1 === null).length).toBeGreaterThan(10);
    expect(rows.filter((r) => typeof r.c1 === "string" && !seen.has(r.c1)).length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.x2 === 100 || r.x2 === 20).length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.x4 === 2.5).length).toBeGreaterThan(10);
  });

  it("skip: Spark dropped the invalid rows from the sample, and the scorer refuses them with a reason", async () => {
    expect(paritySample("indexer-skip").some((r) => r.c1 === null)).toBe(false);
    expect(paritySample("buckets-skip").some((r) => r.x1 === null || Number.isNaN(r.x1))).toBe(false);
    const indexer = await scorer("indexer-skip");
    expect(() => indexer.scoreRecord(record({ c1: "never-seen" }))).toThrow(RowError);
    expect(() => indexer.scoreRecord(record({ c1: null }))).toThrow(/handleInvalid=skip/);
    const bucket = await scorer("buckets-skip");
    expect(() => bucket.scoreRecord(record({ x1: Number.NaN }))).toThrow(/x1: NaN has no bucket \(handleInvalid=skip\)/);
    expect(() => bucket.scoreRecord(record({ x1: null }))).toThrow(RowError);
    expect(bucket.scoreRecord(record({})).probability).toHaveLength(2);
  });

  it("error: an unseen category or an out-of-bounds value is a row error naming the column", async () => {
    const indexer = await scorer("indexer-error");
    expect(() => indexer.scoreRecord(record({ c2: "s" }))).toThrow(/c2: the unseen value "s" cannot be indexed \(handleInvalid=error\)/);
    const bucket = await scorer("bucketize-error");
    expect(() => bucket.scoreRecord(record({ x2: 100.5 }))).toThrow(/x2: 100.5 is outside the bucket bounds \[0, 100\]/);
    expect(bucket.scoreRecord(record({ x2: 100 })).probability).toHaveLength(2);
  });

  it("exports the options Spark fitted with (min/max, p, handleInvalid, dropLast)", () => {
    const minmax = descriptorOf("minmax-mode-normalize-inf").stages.find((s) => s.kind === "min_max_scaler");
    expect(minmax).toMatchObject({ min: -1, max: 2 });
    expect(descriptorOf("minmax-mode-normalize-inf").stages.find((s) => s.kind === "normalizer")).toMatchObject({ p: "Infinity" });
    for (const stage of descriptorOf("buckets-skip").stages.slice(0, 2)) expect(stage).toMatchObject({ kind: "bucketizer", handleInvalid: "skip" });
    expect(descriptorOf("indexer-skip").stages.find((s) => s.kind === "one_hot_encoder")).toMatchObject({ dropLast: false });
    expect(descriptorOf("indexer-error").stages.find((s) => s.kind === "string_indexer")).toMatchObject({ handleInvalid: "error" });
  });
});
