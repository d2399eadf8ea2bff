// `mlship update` against a real `mlship train` (local Spark): nothing new twice (no Spark, no run folder, no version),
// a new file named in the refusal of a mode the algorithm lacks (before Spark), a retried update answered by its child, a rewritten consumed file refused as overlap.
import { beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { mlship, projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { versionInput } from "../helpers/registry-input.js";
import { listInputFiles } from "../../src/ledger/index.js";
import { registerVersion } from "../../src/registry/index.js";
import { LocalStore } from "../../src/store/index.js";
import { updateKey } from "../../src/update/index.js";

const work = tempDir("mlship-update-");
const data = join(work, "data");
const store = join(work, "store");
const env = { MLSHIP_DATA: data };
const runFolders = () => (existsSync(join(store, "runs", "churn")) ? readdirSync(join(store, "runs", "churn")).sort() : []);
const versions = async () => JSON.parse((await mlship(["models", "versions", "churn", "--store", store, "--json"])).stdout);
const updateFrom = (from: string, ...extra: string[]) => mlship(["update", "jobs/quickstart.yaml", "--from", from, "--store", store, "--quiet", ...extra], { env });
const update = (...extra: string[]) => updateFrom("churn@latest", ...extra);

describe("mlship update on a trained quickstart (real local Spark)", () => {
  beforeAll(async () => {
    mkdirSync(join(data, "churn"), { recursive: true });
    copyFileSync(join(projectRoot, "data", "churn", "part-0.parquet"), join(data, "churn", "part-0.parquet"));
    const trained = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--quiet", "--json"], { env });
    expect(trained.exitCode, trained.stderr).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({ ok: true, model: "churn", version: 1 });
  }, 300_000);

  it("nothing new, twice: exit 0, one line / updated false, no run folder and no version", async () => {
    const runsBefore = runFolders();
    expect(runsBefore).toHaveLength(1);
    const text = await update();
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toBe("nothing new since churn@1");
    const json = await update("--json");
    expect(json.exitCode, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, updated: false, parent: { model: "churn", version: 1 }, reason: "nothing-new" });
    expect(runFolders()).toEqual(runsBefore);
    expect((await versions()).versions.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it("the nightly cron script (examples/cron) run twice with nothing new: exit 0 both times, no run, no version", async () => {
    const runsBefore = runFolders();
    for (let i = 0; i < 2; i++) {
      const r = await execa(join(projectRoot, "examples", "cron", "nightly-update.sh"), [], { env: { ...env, MLSHIP_STORE: store, PATH: process.env.PATH ?? "" }, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, updated: false, reason: "nothing-new", parent: { model: "churn", version: 1 } });
    }
    expect(runFolders()).toEqual(runsBefore);
  });

  it("a new file with an update.mode the algorithm lacks: E_UPDATE_MODE (exit 2) naming the file; nothing started", async () => {
    copyFileSync(join(data, "churn", "part-0.parquet"), join(data, "churn", "part-1.parquet"));
    const r = await update("--json", "--set", "update.mode=exact");
    expect(r.exitCode, r.stdout).toBe(2);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe("E_UPDATE_MODE");
    expect(err.message).toBe("churn@1 (logistic_regression): update.mode exact is not a mode of this algorithm (it has: laplace, warm, retrain)");
    expect(err.details).toEqual([`new: ${pathToFileURL(join(data, "churn", "part-1.parquet")).href}`]);
    expect(runFolders()).toHaveLength(1);
  });

  it("a retried update: a child of churn@1 carrying the same update key is the answer, exit 0", async () => {
    const listed = await listInputFiles(pathToFileURL(join(data, "churn")).href, {});
    const files = listed.ok ? listed.files.filter((f) => f.path.endsWith("/part-1.parquet")) : [];
    expect(files).toHaveLength(1);
    const specSha256 = createHash("sha256").update(readFileSync(join(projectRoot, "jobs", "quickstart.yaml"))).digest("hex");
    const key = updateKey({ model: "churn", parentVersion: 1, files, predicate: null, specSha256 });
    const base = versionInput("churn", "retried-run");
    await registerVersion(new LocalStore(store), { ...base, lineage: { ...base.lineage, parentVersion: 1, updateKey: key } });
    const r = await updateFrom("churn@1", "--json");
    expect(r.exitCode, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, updated: false, reason: "retried", version: 2, parent: { model: "churn", version: 1 }, updateKey: key });
    expect((await versions()).versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it("a consumed file rewritten: E_UPDATE_OVERLAP (exit 2) naming it", async () => {
    const consumed = join(data, "churn", "part-0.parquet");
    utimesSync(consumed, new Date(), new Date(Date.now() + 60_000));
    const r = await updateFrom("churn@1");
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(pathToFileURL(consumed).href);
    const json = await updateFrom("churn@1", "--json");
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: "E_UPDATE_OVERLAP", details: [expect.stringContaining(pathToFileURL(consumed).href)] });
    expect(runFolders()).toHaveLength(1);
  });
});
