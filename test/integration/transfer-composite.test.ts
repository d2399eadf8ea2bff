// model.basedOn with the feature and offset methods, real local Spark: from the quickstart model, a `feature` target
// (a decision tree reading the source's probability, the source's stages frozen) and a GLM `offset` target (binomial,
// on the source's log-odds, with its own stages: freezeStages false) are certified; their portable models embed the
// source (portable/source/); served over HTTP they answer what Spark predicted on their parity rows, and still do once
// the source is soft-deleted. An MLP source's hidden layer as a target's features (use: hidden), served the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import { mlship } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { writeRelatedTask } from "../helpers/transfer-data.js";
import { quickstartStore } from "../helpers/quickstart-store.js";
import { call, serveChild } from "../helpers/serve.js";
import { numberColumn, readTable, stringColumn } from "../../src/model/arrow.js";
import type { InputColumn } from "../../src/model/descriptor.js";
import { LocalStore } from "../../src/store/index.js";
import { getVersion, type VersionRecord } from "../../src/registry/index.js";
import { loadStoredModel } from "../../src/certify/index.js";

const work = tempDir("mlship-transfer-composite-");
const storeDir = join(work, "store");
const store = new LocalStore(storeDir);
const data = join(work, "data", "south");
const children: ResultPromise[] = [];


// A spec named `name` on the related task's rows: `model` lines (algorithm, params, basedOn, transfer), then the
// features it reads (by default the quickstart's features + discount).
interface SpecShape {
  numeric?: string;
  categorical?: string;
  parityRows?: number;
}
function writeSpec(name: string, model: string, shape: SpecShape = {}): string {
  const { numeric = "tenure_months, monthly_charges, total_charges, support_calls, discount", categorical = "contract, payment_method, region", parityRows = 300 } = shape;
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `name: ${name}
model:
${model}
  label: churned
  features:
    numeric: [${numeric}]
    categorical: [${categorical}]
data:
  train: ${data}
  validation: { fraction: 0.25, seed: 3 }
spark:
  master: local[2]
  conf: { spark.sql.shuffle.partitions: 2, spark.ui.enabled: false, spark.ui.showConsoleProgress: false }
parity: { rows: ${parityRows} }
`);
  return file;
}

// Trains a spec and answers its version 1, timing the run.
async function train(name: string, model: string, shape?: SpecShape): Promise<VersionRecord> {
  const started = Date.now();
  const r = await mlship(["train", writeSpec(name, model, shape), "--store", storeDir, "--quiet", "--json"]);
  expect(r.exitCode, r.stderr).toBe(0);
  console.log(`transfer-composite.test: the ${name} run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return (await getVersion(store, name, 1))!;
}

// A version's parity rows as records, with Spark's prediction of each (a GLM has no probability column).
function parityOf(record: VersionRecord, schema: readonly InputColumn[]) {
  const table = readTable(readFileSync(join(storeDir, record.artifacts.prefix, "parity.arrow")));
  const cols = schema.map((c) => (c.type === "double" ? numberColumn(table, c.name) : stringColumn(table, c.name)));
  const records = Array.from({ length: table.numRows }, (_, r) => Object.fromEntries(schema.map((c, i) => [c.name, cols[i]![r] ?? null])));
  return { records, spark: Array.from(numberColumn(table, "spark_prediction"), (prediction) => ({ prediction: prediction! })) };
}

// POSTs a target's parity rows to a running server: every answer equals Spark's prediction to <= 1e-9.
async function expectServedAsSpark(url: string, target: VersionRecord): Promise<void> {
  const scorer = await loadStoredModel(store, target.artifacts.prefix);
  const parity = parityOf(target, scorer.inputSchema);
  const r = await call(url, "POST", `/v1/models/${target.model}/predict`, { body: { records: parity.records } });
  expect(r.status, r.text.slice(0, 300)).toBe(200);
  let worst = 0;
  r.json.predictions.forEach((p: { prediction: number }, i: number) => (worst = Math.max(worst, Math.abs(p.prediction - parity.spark[i]!.prediction))));
  expect(worst, target.model).toBeLessThanOrEqual(1e-9);
}

let source: VersionRecord;
let stacked: VersionRecord;
let offset: VersionRecord;

beforeAll(async () => {
  await quickstartStore(storeDir); // churn@1 (alias staging), a logistic regression
  source = (await getVersion(store, "churn", 1))!;
  writeRelatedTask(data); // the quickstart's south and east rows, with a target-only `discount`
  stacked = await train("stacked", "  algorithm: decision_tree_classifier\n  params: { maxDepth: 4 }\n  basedOn: churn@staging\n  transfer: { method: feature }");
  offset = await train("offset", "  algorithm: generalized_linear_regression\n  params: { family: binomial, maxIter: 10 }\n  basedOn: churn@staging\n  transfer: { method: offset, freezeStages: false }");
}, 1_800_000); // two Spark runs: ~1 min on an idle machine, minutes on a loaded one

afterAll(() => {
  for (const c of children) c.kill("SIGTERM");
});

describe("feature and offset from churn@staging (real local Spark)", () => {
  it("registers certified targets with lineage.basedOn, transfer.json and the source inside portable/", () => {
    const sha = source.artifacts.manifestSha256;
    expect(stacked.parity.passed).toBe(true);
    expect(offset.parity.passed).toBe(true);
    expect(stacked.lineage.basedOn).toEqual({ name: "churn", version: 1, manifestSha256: sha, method: "feature", use: "probability" });
    expect(offset.lineage.basedOn).toEqual({ name: "churn", version: 1, manifestSha256: sha, method: "offset", family: "binomial" });
    const doc = JSON.parse(readFileSync(join(storeDir, offset.artifacts.prefix, "transfer.json"), "utf8"));
    expect(doc).toMatchObject({ method: "offset", freezeStages: false, use: "margin", family: "binomial", source: { ref: "churn@1", algorithm: "logistic_regression" } });
    for (const target of [stacked, offset]) {
      const manifest = JSON.parse(readFileSync(join(storeDir, target.artifacts.prefix, "MANIFEST.json"), "utf8"));
      const paths = manifest.files.map((f: { path: string }) => f.path);
      expect(paths).toContain("portable/source/descriptor.json");
      const descriptor = JSON.parse(readFileSync(join(storeDir, target.artifacts.prefix, "portable", "descriptor.json"), "utf8"));
      expect(descriptor.stages[0]).toMatchObject({ kind: "source_model", source: "source/", algorithm: "logistic_regression" });
    }
  });

  it("scores whole batches with the source stage's column kernel, equal to the row path", async () => {
    for (const [target, path] of [[stacked, "features"], [offset, "columns"]] as const) {
      const scorer = await loadStoredModel(store, target.artifacts.prefix);
      expect(scorer.batchPath).toBe(path); // a decision tree scores its rows one by one on the column-built features
      const { records } = parityOf(target, scorer.inputSchema);
      const columns = Object.fromEntries(scorer.inputSchema.map((c) => [c.name, records.map((r) => r[c.name] ?? null)]));
      const batch = scorer.scoreColumns(columns, records.length);
      records.forEach((r, i) => expect(batch.prediction[i]).toBe(scorer.scoreRecord(r).prediction));
    }
  });

  it("serves both targets over HTTP as Spark predicted, before and after the source is soft-deleted", async () => {
    const check = async () => {
      const served = await serveChild(["--model", "offset@1", "--model", "stacked@1", "--store", storeDir], (l) => l.msg === "ready", 120_000);
      children.push(served.child);
      for (const target of [offset, stacked]) await expectServedAsSpark(served.url, target);
      served.child.kill("SIGTERM");
      await served.child;
    };
    await check();
    const deleted = await mlship(["models", "delete", "churn@1", "--force", "--store", storeDir]);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(await getVersion(store, "churn", 1)).toBeNull();
    await check(); // serve loads and certifies the targets again: they need nothing of the source
  }, 600_000);
});

// use hidden (issue 13): an MLP source's last hidden layer as the target's extra features. One MLP source
// ([p, 4, 2]) and one logistic-regression target; the target registers only if parity <= 1e-9 holds.
describe("feature with use: hidden from an MLP source (real local Spark)", () => {
  let hidden: VersionRecord;

  beforeAll(async () => {
    const shape = { categorical: "contract", parityRows: 200 };
    await train("mlpsrc", "  algorithm: mlp_classifier\n  params: { hiddenLayers: [4], maxIter: 15, seed: 1 }", { ...shape, numeric: "tenure_months, monthly_charges, support_calls" });
    hidden = await train("hidden", "  algorithm: logistic_regression\n  params: { maxIter: 10 }\n  basedOn: mlpsrc@1\n  transfer: { method: feature, use: hidden }", { ...shape, numeric: "tenure_months, monthly_charges, support_calls, discount" });
  }, 1_200_000);

  it("serves the hidden-layer target over HTTP as Spark predicted", async () => {
    const served = await serveChild(["--model", "hidden@1", "--store", storeDir], (l) => l.msg === "ready", 120_000);
    children.push(served.child);
    await expectServedAsSpark(served.url, hidden);
    served.child.kill("SIGTERM");
    await served.child;
  }, 300_000);

  it("certifies the target, records use hidden and scores the parity rows as Spark did, row and batch alike", async () => {
    expect(hidden.parity.passed).toBe(true);
    expect(hidden.parity.maxAbsDiff).toBeLessThanOrEqual(1e-9);
    expect(hidden.lineage.basedOn).toMatchObject({ name: "mlpsrc", version: 1, method: "feature", use: "hidden" });
    const descriptor = JSON.parse(readFileSync(join(storeDir, hidden.artifacts.prefix, "portable", "descriptor.json"), "utf8"));
    expect(descriptor.stages[0]).toMatchObject({ kind: "source_model", algorithm: "mlp_classifier", use: "hidden", size: 4 });
    const scorer = await loadStoredModel(store, hidden.artifacts.prefix);
    const { records, spark } = parityOf(hidden, scorer.inputSchema);
    const columns = Object.fromEntries(scorer.inputSchema.map((c) => [c.name, records.map((r) => r[c.name] ?? null)]));
    const batch = scorer.scoreColumns(columns, records.length);
    records.forEach((r, i) => {
      const one = scorer.scoreRecord(r);
      expect(one.prediction).toBe(spark[i]!.prediction);
      expect(batch.probability![i * 2 + 1]).toBe(one.probability![1]);
    });
  });
});
