// Transfer method offset for GBT with real local Spark: a GBT source on the quickstart churn rows, a target boosted on
// from its margin (one region pair, a target-only column) is certified and served over HTTP equal to Spark's parity
// rows; a GBT target from another kind of source is refused before Spark starts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import { mlship, projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { writeRelatedTask } from "../helpers/transfer-data.js";
import { call, parityRows, serveChild } from "../helpers/serve.js";
import { LocalStore } from "../../src/store/index.js";
import { getVersion, type VersionRecord } from "../../src/registry/index.js";
import { loadStoredModel } from "../../src/certify/index.js";

const work = tempDir("mlship-transfer-gbt-");
const storeDir = join(work, "store");
const store = new LocalStore(storeDir);
const data = join(work, "data", "south");
const children: ResultPromise[] = [];


// A GBT spec: the source (no basedOn) or a target boosted on from `basedOn` with maxIter new trees.
function writeSpec(name: string, opts: { algorithm?: string; basedOn?: string; train: string; maxIter: number }): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `name: ${name}
model:
  algorithm: ${opts.algorithm ?? "gbt_classifier"}
  params: { maxIter: ${opts.maxIter}, maxDepth: 3, seed: 7 }
  label: churned
${opts.basedOn ? `  basedOn: ${opts.basedOn}\n  transfer: { method: offset }\n` : ""}  features:
    numeric: [tenure_months, monthly_charges, total_charges, support_calls${opts.basedOn ? ", discount" : ""}]
    categorical: [contract, payment_method, region]
data:
  train: ${opts.train}
  validation: { fraction: 0.25, seed: 3 }
spark:
  master: local[2]
  conf: { spark.sql.shuffle.partitions: 2, spark.ui.enabled: false, spark.ui.showConsoleProgress: false }
parity: { rows: 200 }
`);
  return file;
}

let source: VersionRecord;
let target: VersionRecord;

beforeAll(async () => {
  writeRelatedTask(data); // the quickstart's south and east rows, with a target-only `discount`
  const started = Date.now();
  const s = await mlship(["train", writeSpec("churn-gbt", { train: join(projectRoot, "data", "churn"), maxIter: 8 }), "--store", storeDir, "--quiet", "--json"]);
  expect(s.exitCode, s.stderr).toBe(0);
  source = (await getVersion(store, "churn-gbt", 1))!;
  const t = await mlship(["train", writeSpec("south-gbt", { basedOn: "churn-gbt@1", train: data, maxIter: 4 }), "--store", storeDir, "--quiet", "--json"]);
  expect(t.exitCode, t.stderr).toBe(0);
  console.log(`transfer-offset-gbt.test: the source and offset runs took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  target = (await getVersion(store, "south-gbt", 1))!;
}, 1_200_000); // ~40 s on an idle machine; minutes on a loaded one

afterAll(() => {
  for (const c of children) c.kill("SIGTERM");
});

describe("offset for GBT (real local Spark)", () => {
  it("registers a certified GBT with the source's trees first, lineage.basedOn and transfer.json", () => {
    expect(target.parity.passed).toBe(true);
    expect(target.algorithm).toBe("gbt_classifier");
    expect(target.lineage.basedOn).toEqual({ name: "churn-gbt", version: 1, manifestSha256: source.artifacts.manifestSha256, method: "offset" });
    const doc = JSON.parse(readFileSync(join(storeDir, target.artifacts.prefix, "transfer.json"), "utf8"));
    expect(doc).toMatchObject({ method: "offset", source: { ref: "churn-gbt@1", algorithm: "gbt_classifier" }, targetOnly: { numeric: ["discount"] } });
    expect(doc.facts).toMatchObject({ sourceTrees: 8, treesAdded: 4, trees: 12, targetOnlyInputs: 1 });
  });

  it("serves over HTTP what Spark predicted on the parity rows", async () => {
    const scorer = await loadStoredModel(store, target.artifacts.prefix);
    const parity = parityRows(store, target, scorer.inputSchema);
    const served = await serveChild(["--model", "south-gbt@1", "--store", storeDir], (l) => l.msg === "ready", 120_000);
    children.push(served.child);
    const r = await call(served.url, "POST", "/v1/models/south-gbt/predict", { body: { records: parity.records } });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    let worst = 0;
    r.json.predictions.forEach((p: { prediction: number; probability: number[] }, i: number) => {
      expect(p.prediction).toBe(parity.spark[i]!.prediction);
      p.probability.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - parity.spark[i]!.probability![k]!))));
    });
    expect(worst).toBeLessThanOrEqual(1e-9);
  }, 300_000);

  it("refuses a GBT regressor target from the GBT classifier before Spark starts (exit 2, file:line:col)", async () => {
    const file = writeSpec("kind", { algorithm: "gbt_regressor", basedOn: "churn-gbt@1", train: data, maxIter: 2 });
    const r = await mlship(["validate", file, "--store", storeDir, "--json"]);
    expect(r.exitCode, r.stderr).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe("E_TRANSFER");
    expect(out.error.message).toMatch(/kind\.yaml:7:\d+ model\.transfer\.method: offset for a gbt_regressor boosts on from the trees of a gbt_regressor; churn-gbt@1 is a gbt_classifier/);
  });
});
