// Training with an S3 store and s3a:// data on real local Spark against a real S3 server (moto): Spark itself
// reads the data and writes the artifacts through s3a (hadoop-aws), pyarrow writes the portable files, and
// mlship verifies, certifies and registers from S3. Secrets stay off every command line and out of every record.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { mlship, mlshipChild, projectRoot } from "../helpers/cli.js";
import { commandLines, pidsMentioning } from "../helpers/processes.js";
import { startS3Server, uniquePrefix, type S3TestServer } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/tmp.js";
import { openStore, type Store } from "../../src/store/index.js";

const work = tempDir("mlship-train-s3-");
// Distinctive credentials (moto accepts any), so a leak cannot hide among ordinary words.
const SECRET = `s3cr3t-${randomBytes(12).toString("hex")}`;
const ACCESS_KEY = `AKIAMLSHIP${randomBytes(5).toString("hex").toUpperCase()}`;

let server: S3TestServer;
let env: Record<string, string>;
let storeUri: string;
let dataUri: string;
let store: Store;

// Command lines of the processes that are spark-submit (its launcher script or its JVM).
const sparkSubmitCmdlines = (): string[] =>
  commandLines()
    .map((p) => p.argv.join(" "))
    .filter((cmd) => cmd.includes("SparkSubmit") || cmd.includes("spark-submit"));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function writeSpec(name: string): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
model:
  algorithm: logistic_regression
  params: { maxIter: 50, regParam: 0.01 }
  label: churned
  features:
    numeric: [tenure_months, monthly_charges, total_charges, support_calls]
    categorical: [contract, payment_method, region]
    impute: median
    scale: true
data:
  train: ${dataUri}
  validation: { fraction: 0.2, seed: 7 }
spark:
  master: local[2]
  conf:
    spark.sql.shuffle.partitions: 4
    spark.ui.enabled: false
    spark.ui.showConsoleProgress: false
  driver: { memory: 1g }
store: ${storeUri}
parity: { rows: 300 }
promote:
  alias: staging
  when: { metric: areaUnderROC, min: 0.7 }
`,
  );
  return file;
}

beforeAll(async () => {
  server = await startS3Server();
  env = { ...server.env, AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET };
  const base = `s3://${server.bucket}/${uniquePrefix("train")}`;
  storeUri = `${base}/store`;
  dataUri = `${base.replace(/^s3:/, "s3a:")}/data/churn`;
  store = openStore(storeUri, "/", env);
  // The training data lives in S3 only; Spark reads it through s3a.
  const data = openStore(`${base}/data`, "/", env);
  for (const f of readdirSync(join(projectRoot, "data", "churn")).filter((n) => n.endsWith(".parquet"))) {
    await data.put(`churn/${f}`, readFileSync(join(projectRoot, "data", "churn", f)));
  }
});

afterAll(async () => {
  await server?.stop();
});

describe("mlship train with an S3 store", () => {
  it("trains from s3a:// data into S3, registers the version, and never shows the secret", async () => {
    const spec = writeSpec("churn-s3");

    const plan = await mlship(["plan", spec, "--json"], { env });
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).not.toContain(SECRET);

    // Watch spark-submit's command lines for the whole run.
    const seen: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.push(...sparkSubmitCmdlines());
        await sleep(100);
      }
    })();
    const r = await mlship(["train", spec, "--json", "--quiet"], { env });
    watching = false;
    await watcher;
    expect([0, 3], r.stdout + r.stderr.slice(-2000)).toContain(r.exitCode);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((c) => c.includes("org.apache.hadoop:hadoop-aws:"))).toBe(true);
    for (const cmd of seen) expect(cmd).not.toContain(SECRET);

    const out = JSON.parse(r.stdout) as { runId: string; model: string; version: number; parity: { passed: boolean; maxAbsDiff: number } };
    expect(out.parity.passed).toBe(true);
    expect(out.parity.maxAbsDiff).toBeLessThanOrEqual(1e-9);

    const show = await mlship(["models", "show", "churn-s3", "--json", "--store", storeUri], { env });
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).toContain(`"version": ${out.version}`);

    // The ledger: the S3 objects Spark read, with their ETags, as s3:// paths.
    const shown = JSON.parse(show.stdout);
    const dataKeys = readdirSync(join(projectRoot, "data", "churn")).filter((n) => n.endsWith(".parquet"));
    expect(shown.lineage.inputFiles).toEqual(
      dataKeys.map((f) => ({ path: `${dataUri.replace(/^s3a:/, "s3:")}/${f}`, size: readFileSync(join(projectRoot, "data", "churn", f)).length, etag: expect.stringMatching(/^[0-9a-f]{32}$/) })),
    );
    expect(shown.ledger).toMatchObject({ files: dataKeys.length, watermark: null });

    // The registered artifacts are in S3, written by Spark (spark/) and pyarrow (portable/, MANIFEST.json).
    const runPrefix = `runs/churn-s3/${out.runId}`;
    const keys = await store.list(runPrefix);
    for (const k of ["run.json", "driver.log", "model/MANIFEST.json", "model/metrics.json", "model/parity.arrow", "model/portable/descriptor.json", "model/spark/metadata/part-00000"]) {
      expect(keys.some((key) => key.startsWith(`${runPrefix}/${k}`)), `${k} in\n${keys.join("\n")}`).toBe(true);
    }
    expect(keys.some((k) => k.startsWith(`${runPrefix}/eventlog/`)), keys.join("\n")).toBe(true);
    const version = await store.get(`registry/churn-s3/versions/${out.version}.json`);
    expect(version.ok).toBe(true);

    // The secret is in no record the run left behind.
    for (const k of keys.filter((k) => !k.includes("/model/"))) {
      const got = await store.get(k);
      expect(got.ok && Buffer.from(got.body).toString("latin1").includes(SECRET), k).toBe(false);
    }
    const record = await store.get(`${runPrefix}/run.json`);
    expect(record.ok && JSON.parse(Buffer.from(record.body).toString("utf8")).status).toBe("succeeded");
  });

  it("updates the S3 version from one new S3 object with a contract level it never saw (laplace): the level appended, shift measured", async () => {
    const parent = JSON.parse((await mlship(["models", "show", "churn-s3@latest", "--json", "--store", storeUri], { env })).stdout) as { version: number; artifacts: { prefix: string } };
    const local = join(work, "part-new.parquet");
    execFileSync(join(projectRoot, ".venv", "bin", "python"), ["-c", `
import pyarrow.parquet as pq, pyarrow as pa, pyarrow.compute as pc, sys
t = pq.read_table(sys.argv[1]).slice(0, 3000)
contract = t["contract"].to_pylist()
contract[:300] = ["weekly"] * 300
t = t.set_column(t.schema.get_field_index("contract"), "contract", pa.array(contract, pa.string()))
pq.write_table(t, sys.argv[2])
`, join(projectRoot, "data", "churn", "part-0.parquet"), local]);
    await openStore(`${dataUri.replace(/^s3a:/, "s3:").replace(/\/churn$/, "")}`, "/", env).put("churn/part-new.parquet", readFileSync(local));

    const r = await mlship(["update", writeSpec("churn-s3"), "--from", `churn-s3@${parent.version}`, "--json", "--quiet"], { env });
    expect([0, 3], r.stdout + r.stderr.slice(-2000)).toContain(r.exitCode);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, updated: true, mode: "laplace", parent: { version: parent.version }, parity: { passed: true }, rows: { new: 3000 } });
    const child = JSON.parse((await mlship(["models", "show", `churn-s3@${out.version}`, "--json", "--store", storeUri], { env })).stdout);
    expect(child.lineage.inputFiles).toEqual([{ path: `${dataUri.replace(/^s3a:/, "s3:")}/part-new.parquet`, size: readFileSync(local).length, etag: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    expect(child.lineage.parentVersion).toBe(parent.version);
    // The StringIndexer grows: "weekly" (first seen in the new training rows) is appended after the parent's levels,
    // which keep their order and so their meaning (docs/updating.md "Appended levels").
    const parentShown = JSON.parse((await mlship(["models", "show", `churn-s3@${parent.version}`, "--json", "--store", storeUri], { env })).stdout);
    const levelsOf = (shown: { inputs: { name: string; levels: string[] | null }[] }) => shown.inputs.find((i) => i.name === "contract")!.levels!;
    expect(levelsOf(child)).toEqual([...levelsOf(parentShown), "weekly"]);
    expect(child.update.facts.appendedLevels).toEqual([expect.objectContaining({ column: "contract", levels: ["weekly"] })]);
    const contract = child.update.shifts.find((s: { feature: string }) => s.feature === "contract");
    expect(contract.psi).toBeGreaterThan(0.1);
  }, 600_000);

  it("a Spark job killed while writing the model registers nothing and records the failure", async () => {
    const spec = writeSpec("churn-s3-kill");
    const child = mlshipChild(["train", spec, "--json", "--quiet"], { env });
    // Wait for the native model's first files in S3, then SIGKILL the Python driver mid-write.
    let runId: string | undefined;
    let killed: number[] = [];
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const keys = await store.list("runs/churn-s3-kill");
      const modelKey = keys.find((k) => /\/model\/spark\//.test(k));
      if (modelKey) {
        runId = modelKey.split("/")[2];
        killed = pidsMentioning("mlship_train.py", runId!);
        for (const pid of killed) process.kill(pid, "SIGKILL");
        break;
      }
      await sleep(200);
    }
    const r = await child;
    expect(runId, String(r.stderr)).toBeDefined();
    expect(killed.length).toBeGreaterThan(0);
    expect(r.exitCode).toBe(1);
    const registry = await store.list("registry/churn-s3-kill");
    expect(registry).toEqual([]);
    const keys = await store.list(`runs/churn-s3-kill/${runId}`);
    expect(keys).not.toContain(`runs/churn-s3-kill/${runId}/model/MANIFEST.json`);
    const record = await store.get(`runs/churn-s3-kill/${runId}/run.json`);
    expect(record.ok).toBe(true);
    const doc = JSON.parse(Buffer.from(record.ok ? record.body : new Uint8Array()).toString("utf8")) as { status: string; error?: string };
    expect(["failed", "killed"]).toContain(doc.status);
    expect(doc.error).toMatch(/nothing registered/);
  });
});
