// model.basedOn with real local Spark: a target fine-tuned from the quickstart model (a related task: one region, a
// target-only column) is certified, served over HTTP equal to Spark's parity rows, and still serves once the source
// is soft-deleted; an unusable source is refused by validate, plan and train before Spark starts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import { mlship } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { writeRelatedTask } from "../helpers/transfer-data.js";
import { quickstartStore } from "../helpers/quickstart-store.js";
import { call, parityRows, serveChild } from "../helpers/serve.js";
import { LocalStore } from "../../src/store/index.js";
import { getVersion, registerVersion, type VersionRecord } from "../../src/registry/index.js";
import { loadStoredModel } from "../../src/certify/index.js";

const work = tempDir("mlship-transfer-");
const storeDir = join(work, "store");
const store = new LocalStore(storeDir);
const data = join(work, "data", "south");
const children: ResultPromise[] = [];


// A target spec: the quickstart's features (changed by `features`), basedOn `ref`.
function writeSpec(name: string, ref: string, features = "    numeric: [tenure_months, monthly_charges, total_charges, support_calls, discount]\n    categorical: [contract, payment_method, region]"): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `name: south
model:
  algorithm: logistic_regression
  params: { maxIter: 50, regParam: 0.01 }
  label: churned
  basedOn: ${ref}
  transfer: { method: finetune }
  features:
${features}
    scale: true
data:
  train: ${data}
  validation: { fraction: 0.25, seed: 3 }
spark:
  master: local[2]
  conf: { spark.sql.shuffle.partitions: 2, spark.ui.enabled: false, spark.ui.showConsoleProgress: false }
parity: { rows: 300 }
`);
  return file;
}

let source: VersionRecord;

beforeAll(async () => {
  await quickstartStore(storeDir); // churn@1 (alias staging), trained once per build
  source = (await getVersion(store, "churn", 1))!;
  writeRelatedTask(data); // the quickstart's south and east rows, with a target-only `discount`
  // An uncertified copy of the source, registered under another name.
  const { version: _v, createdAt: _c, ...rest } = source;
  await registerVersion(store, { ...rest, model: "uncertified", parity: { ...rest.parity, passed: false, maxAbsDiff: 1 } });
}, 600_000);

afterAll(() => {
  for (const c of children) c.kill("SIGTERM");
});

describe("refusals before Spark starts", () => {
  it.each([
    ["an unknown reference", () => writeSpec("unknown", "churn@9"), /unknown\.yaml:6:3 model\.basedOn: no model version matches "churn@9"/],
    ["an uncertified source", () => writeSpec("uncertified", "uncertified@1"), /uncertified\.yaml:6:3 model\.basedOn: uncertified@1 is not certified/],
    ["a missing input column", () => writeSpec("missing", "churn@staging", "    numeric: [tenure_months, monthly_charges, total_charges, support_calls]\n    categorical: [contract, payment_method]"), /missing\.yaml:6:3 model\.basedOn: churn@1 reads the categorical column "region", which model\.features does not list/],
    ["a different type", () => writeSpec("typed", "churn@latest", "    numeric: [tenure_months, monthly_charges, total_charges]\n    categorical: [contract, payment_method, region, support_calls]"), /typed\.yaml:6:3 model\.basedOn: column "support_calls" is numeric \(double\) in churn@1 but categorical \(string\)/],
  ])("validate refuses %s (exit 2, E_TRANSFER, file:line:col)", async (_title, make, want) => {
    const r = await mlship(["validate", make(), "--store", storeDir, "--json"]);
    expect(r.exitCode, r.stderr).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe("E_TRANSFER");
    expect(out.error.message).toMatch(want);
  });

  it("plan and train refuse too, and train starts nothing", async () => {
    const file = writeSpec("unknown", "churn@9");
    for (const cmd of ["plan", "train"]) {
      const r = await mlship([cmd, file, "--store", storeDir]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/unknown\.yaml:6:3 model\.basedOn: no model version matches "churn@9"/);
    }
    expect(existsSync(join(storeDir, "runs", "south"))).toBe(false);
  });
});

describe("finetune from churn@staging (real local Spark)", () => {
  let target: VersionRecord;
  beforeAll(async () => {
    const started = Date.now();
    const r = await mlship(["train", writeSpec("south", "churn@staging"), "--store", storeDir, "--quiet", "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    console.log(`transfer.test: the finetune run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    target = (await getVersion(store, "south", 1))!;
  }, 1_200_000); // ~30 s on an idle machine; minutes on a loaded one

  it("registers a certified target with lineage.basedOn and model/transfer.json", () => {
    expect(target.parity.passed).toBe(true);
    expect(target.lineage.basedOn).toEqual({ name: "churn", version: 1, manifestSha256: source.artifacts.manifestSha256, method: "finetune" });
    const doc = JSON.parse(readFileSync(join(storeDir, target.artifacts.prefix, "transfer.json"), "utf8"));
    expect(doc).toMatchObject({ method: "finetune", freezeStages: true, source: { ref: "churn@1" }, targetOnly: { numeric: ["discount"], categorical: [] } });
    expect(doc.facts.objectiveStart).toBeCloseTo(doc.facts.objectiveAtSource, 6);
  });

  it("serves over HTTP what Spark predicted on the parity rows, before and after the source is soft-deleted", async () => {
    const scorer = await loadStoredModel(store, target.artifacts.prefix);
    const parity = parityRows(store, target, scorer.inputSchema);
    const check = async () => {
      const served = await serveChild(["--model", "south@1", "--store", storeDir], (l) => l.msg === "ready", 120_000);
      children.push(served.child);
      const r = await call(served.url, "POST", "/v1/models/south/predict", { body: { records: parity.records } });
      expect(r.status, r.text.slice(0, 300)).toBe(200);
      let worst = 0;
      r.json.predictions.forEach((p: { prediction: number; probability: number[] }, i: number) => {
        expect(p.prediction).toBe(parity.spark[i]!.prediction);
        p.probability.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - parity.spark[i]!.probability![k]!))));
      });
      expect(worst).toBeLessThanOrEqual(1e-9);
      served.child.kill("SIGTERM");
      await served.child;
    };
    await check();
    const deleted = await mlship(["models", "delete", "churn@1", "--force", "--store", storeDir]);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(await getVersion(store, "churn", 1)).toBeNull();
    await check(); // serve loads and certifies the target again: it needs nothing of the source
  }, 600_000);
});
