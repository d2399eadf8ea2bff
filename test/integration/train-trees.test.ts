// Tree models end to end on real local Spark: each of the six algorithms trains through the built CLI on the
// example data, passes the parity certificate (<= 1e-9, identical labels) and registers a version.
// One spec per task, with the algorithm and small params set by --set, to keep the runs short.
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { mlship, projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-trees-");
const store = join(work, "store");

const SPARK = `spark:
  master: local[2]
  conf:
    spark.sql.shuffle.partitions: 4
    spark.ui.enabled: false
    spark.ui.showConsoleProgress: false
  driver: { memory: 1g }
`;

// Binary churn by default; the multiclass case relabels it (--set model.label=contract).
const churnSpec = join(work, "churn-trees.yaml");
writeFileSync(
  churnSpec,
  `name: churn-trees
model:
  algorithm: decision_tree_classifier
  label: churned
  features:
    numeric: [tenure_months, monthly_charges, total_charges, support_calls]
    categorical: [contract, payment_method, region]
    impute: median
data:
  train: ${join(projectRoot, "data", "churn")}
  validation: { fraction: 0.2, seed: 7 }
${SPARK}parity: { rows: 500 }
`,
);

const houseSpec = join(work, "house-trees.yaml");
writeFileSync(
  houseSpec,
  `name: house-trees
model:
  algorithm: decision_tree_regressor
  label: price
  features:
    numeric: [area_sqm, rooms, age_years, distance_km]
    categorical: [city]
data:
  train: ${join(projectRoot, "data", "house_prices")}
  validation: { fraction: 0.25, seed: 11 }
${SPARK}parity: { rows: 500 }
promote:
  alias: staging
  when: { metric: r2, min: 0.5 }
`,
);

const params = (p: Record<string, number>) => Object.entries(p).flatMap(([k, v]) => ["--set", `model.params.${k}=${v}`]);

interface Trained {
  json: { runId: string; model: string; version: number; metrics: Record<string, number>; parity: { rows: number; maxAbsDiff: number; passed: boolean } };
  portable: string;
  descriptor: { algorithm: string; task: string; numClasses?: number; label: { values: string[] | null }; stages: { kind: string; file: string; [k: string]: unknown }[] };
}

// Trains one job through the CLI; expects a registered, certified version (exit 0, or 3 when the gate is not met).
async function train(spec: string, sets: string[]): Promise<Trained> {
  const r = await mlship(["train", spec, "--store", store, "--json", "--quiet", ...sets]);
  expect([0, 3], r.stderr).toContain(r.exitCode);
  const json = JSON.parse(r.stdout) as Trained["json"];
  expect(json.parity.passed).toBe(true);
  expect(json.parity.rows).toBeGreaterThanOrEqual(200);
  expect(json.parity.maxAbsDiff).toBeLessThanOrEqual(1e-9);
  const job = spec === churnSpec ? "churn-trees" : "house-trees";
  const portable = join(store, "runs", job, json.runId, "model", "portable");
  return { json, portable, descriptor: JSON.parse(readFileSync(join(portable, "descriptor.json"), "utf8")) };
}

// The model stage's node table, as plain rows.
function nodes(t: Trained): { leftCategories: { length: number } | null; numCategories: number; leaf: boolean }[] {
  const stage = t.descriptor.stages.at(-1)!;
  return tableFromIPC(readFileSync(join(t.portable, stage.file))).toArray().map((r) => r.toJSON());
}

describe("mlship train with tree models on real local Spark", () => {
  it("decision_tree_classifier: index encoding, and the exported tree really splits on categories", async () => {
    const t = await train(churnSpec, params({ maxDepth: 5 }));
    expect(t.descriptor).toMatchObject({ algorithm: "decision_tree_classifier", task: "binary_classification", numClasses: 2 });
    expect(t.descriptor.stages.map((s) => s.kind)).toEqual(["imputer", "string_indexer", "vector_assembler", "decision_tree_classifier"]);
    const categorical = nodes(t).filter((n) => n.leftCategories !== null);
    expect(categorical.length).toBeGreaterThan(0);
    // contract has 3 values, payment_method and region 5: plus one category each for unseen and null
    for (const n of categorical) expect([4, 6]).toContain(n.numCategories);
    // (no AUC bound: a single tree's raw prediction is its leaf's class counts, a coarse score to rank by)
    expect(t.json.metrics.accuracy).toBeGreaterThan(0.7);
  });

  it("random_forest_classifier: three classes (contract as the label)", async () => {
    const t = await train(churnSpec, [
      "--set", "model.algorithm=random_forest_classifier",
      "--set", "model.label=contract",
      "--set", "model.features.categorical=[payment_method, region]",
      ...params({ maxDepth: 5, numTrees: 10 }),
    ]);
    expect(t.descriptor).toMatchObject({ algorithm: "random_forest_classifier", task: "multiclass_classification", numClasses: 3 });
    expect(t.descriptor.label.values).toEqual(["month-to-month", "one-year", "two-year"]);
    expect(t.descriptor.stages.at(-1)).toMatchObject({ numTrees: 10, treeWeights: new Array(10).fill(1) });
  });

  it("gbt_classifier: binary churn", async () => {
    const t = await train(churnSpec, ["--set", "model.algorithm=gbt_classifier", ...params({ maxDepth: 5, maxIter: 10 })]);
    expect(t.descriptor.stages.at(-1)).toMatchObject({ kind: "gbt_classifier", numTrees: 10, lossType: "logistic" });
    expect(t.json.metrics.areaUnderROC).toBeGreaterThan(0.6);
  });

  it("decision_tree_regressor: house prices", async () => {
    const t = await train(houseSpec, params({ maxDepth: 5 }));
    expect(t.descriptor).toMatchObject({ algorithm: "decision_tree_regressor", task: "regression" });
    expect(Object.keys(t.json.metrics).sort()).toEqual(["mae", "r2", "rmse"]);
  });

  it("random_forest_regressor: one-hot encoding asked for explicitly", async () => {
    const t = await train(houseSpec, [
      "--set", "model.algorithm=random_forest_regressor",
      "--set", "model.features.categoricalEncoding=onehot",
      ...params({ maxDepth: 5, numTrees: 10 }),
    ]);
    expect(t.descriptor.stages.map((s) => s.kind)).toEqual(["imputer", "string_indexer", "one_hot_encoder", "vector_assembler", "random_forest_regressor"]);
    // one-hot slots are 0/1 features that Spark's trees may split as two categories, nothing wider
    for (const n of nodes(t)) if (n.leftCategories) expect(n.numCategories).toBe(2);
  });

  it("gbt_regressor: house prices", async () => {
    const t = await train(houseSpec, ["--set", "model.algorithm=gbt_regressor", ...params({ maxDepth: 5, maxIter: 10 })]);
    expect(t.descriptor.stages.at(-1)).toMatchObject({ kind: "gbt_regressor", numTrees: 10, lossType: "squared" });
    expect(t.json.metrics.r2).toBeGreaterThan(0.5);
  });
});
