// End to end on real local Spark: both example jobs train, certify and register; bad runs register nothing.
import { describe, expect, it, beforeAll } from "vitest";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { mlship, projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-e2e-");
const storeOf = (name: string) => join(work, name);
const versionsOf = (store: string, model: string) => {
  const dir = join(store, "registry", model, "versions");
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
};

describe("mlship train on real local Spark", () => {
  const store = storeOf("main");
  let quickstart: { exitCode: number; json: any; stderr: string };

  beforeAll(async () => {
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--json", "--quiet"]);
    quickstart = { exitCode: r.exitCode, json: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
  });

  it("trains the quickstart job, passes the parity certificate and registers version 1", () => {
    expect(quickstart.exitCode, quickstart.stderr).toBe(0);
    const j = quickstart.json;
    expect(j).toMatchObject({ ok: true, model: "churn", version: 1, parity: { passed: true } });
    expect(j.parity.rows).toBeGreaterThanOrEqual(200);
    expect(j.parity.maxAbsDiff).toBeLessThanOrEqual(1e-9);
    expect(j.metrics.areaUnderROC).toBeGreaterThan(0.7); // the generated label has real signal
    expect(j.promotion).toMatchObject({ alias: "staging", promoted: true });
  });

  it("records the run and the version with lineage", async () => {
    const show = await mlship(["models", "show", "churn@staging", "--store", store, "--json"]);
    expect(show.exitCode, show.stderr).toBe(0);
    const v = JSON.parse(show.stdout);
    expect(v).toMatchObject({ model: "churn", version: 1, aliases: ["staging"], lineage: { job: "churn", specFile: "jobs/quickstart.yaml" } });
    expect(v.lineage.specSha256).toMatch(/^[0-9a-f]{64}$/);
    const run = JSON.parse(readFileSync(join(store, "runs", "churn", v.lineage.runId, "run.json"), "utf8"));
    expect(run).toMatchObject({ status: "succeeded", exitCode: 0, registeredVersion: 1 });
    expect(run.argv.join(" ")).toContain("mlship_train.py");
    expect(readFileSync(join(store, "runs", "churn", v.lineage.runId, "driver.log"), "utf8")).toContain("mlship: ");
    const list = await mlship(["models", "list", "--store", store, "--json"]);
    expect(JSON.parse(list.stdout).models).toEqual([expect.objectContaining({ model: "churn", latest: 1, aliases: { staging: 1 } })]);
  });

  it("records the input file Spark read in the version's lineage (the ledger), and models show counts it", async () => {
    const show = await mlship(["models", "show", "churn@1", "--store", store, "--json"]);
    const v = JSON.parse(show.stdout);
    const part = join(projectRoot, "data", "churn", "part-0.parquet");
    expect(v.lineage.inputFiles).toEqual([{ path: `file://${part}`, size: statSync(part).size, mtime: statSync(part).mtime.toISOString() }]);
    expect(v.lineage.watermark).toBeUndefined();
    expect(v.ledger).toEqual({ files: 1, bytes: statSync(part).size, watermark: null });
    const text = await mlship(["models", "show", "churn@1", "--store", store]);
    expect(text.stdout).toMatch(/^ {2}consumed {4}1 input file \(\d+ bytes\)$/m);
  });

  it("registers the version's update modes, with its training state listed in the MANIFEST", async () => {
    const v = JSON.parse((await mlship(["models", "show", "churn@1", "--store", store, "--json"])).stdout);
    expect(v.updateModes).toEqual(["laplace", "warm", "retrain"]); // logistic regression, L2 only: its Hessian is exported
    const model = join(store, v.artifacts.prefix);
    const listed = JSON.parse(readFileSync(join(model, "MANIFEST.json"), "utf8")).files.map((f: { path: string }) => f.path);
    const state = JSON.parse(readFileSync(join(model, "state", "state.json"), "utf8"));
    expect(state).toMatchObject({ formatVersion: 1, algorithm: "logistic_regression", updateModes: ["laplace", "warm", "retrain"] });
    expect(listed).toContain("state/state.json");
    for (const f of state.files) expect(listed).toContain(f.path);
    expect(state.stages.filter((s: { state: string }) => s.state === "merge").length).toBeGreaterThan(0);
    const text = await mlship(["models", "show", "churn@1", "--store", store]);
    expect(text.stdout).toContain("  updatable   laplace, warm, retrain");
  });

  it("trains the regression job with its certificate passing", async () => {
    const r = await mlship(["train", "jobs/house-prices.yaml", "--store", store, "--json", "--quiet"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ model: "house-prices", version: 1, parity: { passed: true } });
    expect(j.metrics.r2).toBeGreaterThan(0.5);
    expect(Object.keys(j.metrics).sort()).toEqual(["mae", "r2", "rmse"]);
    const v = JSON.parse((await mlship(["models", "show", "house-prices@1", "--store", store, "--json"])).stdout);
    expect(v.updateModes).toEqual(["exact", "retrain"]); // the moments are exported
    const listed = JSON.parse(readFileSync(join(store, v.artifacts.prefix, "MANIFEST.json"), "utf8")).files.map((f: { path: string }) => f.path);
    expect(listed).toEqual(expect.arrayContaining(["state/state.json", "state/moments.arrow", "state/moments_totals.arrow"]));
  });

  it("fails a job whose label column does not exist: exit 1, E_DATA in --json and run.json, nothing registered, no secret leaked", async () => {
    // One Spark run for both: the spec passes a secret from the environment into Spark's conf, and --verbose makes
    // spark-submit print its conf; the driver's error code travels into --json, run.json and `runs show`.
    const secret = "ak-9f8e7d6c5b4a3210";
    const spec = join(work, "missing-label.yaml");
    writeFileSync(
      spec,
      readFileSync(join(projectRoot, "jobs", "quickstart.yaml"), "utf8")
        .replace("label: churned", "label: churn_flag")
        .replace("spark.sql.shuffle.partitions: 4", "spark.sql.shuffle.partitions: 4\n    spark.mlship.note: \"${MLSHIP_API_KEY}\"")
        .replace("${MLSHIP_DATA:-data}", join(projectRoot, "data")),
    );
    const s = storeOf("missing-label");
    const r = await mlship(["train", spec, "--store", s, "--json", "--quiet", "--set", "spark.verbose=true"], { env: { MLSHIP_API_KEY: secret } });
    expect(r.exitCode, r.stderr).toBe(1);
    const error = JSON.parse(r.stdout);
    expect(error).toMatchObject({ ok: false, error: { code: "E_DATA", message: expect.stringMatching(/^label column "churn_flag" not found in the training data/) } });
    expect(error.error.details.at(-1)).toMatch(/^Spark job failed \(exit code 1\); nothing registered\. Log: .*driver\.log$/);
    expect(versionsOf(s, "churn")).toEqual([]);
    const runId = readdirSync(join(s, "runs", "churn"))[0]!;
    const runDir = join(s, "runs", "churn", runId);
    const runJson = readFileSync(join(runDir, "run.json"), "utf8");
    expect(JSON.parse(runJson)).toMatchObject({ status: "failed", exitCode: 1, errorCode: "E_DATA", error: expect.stringMatching(/^label column "churn_flag" not found/) });
    const log = readFileSync(join(runDir, "driver.log"), "utf8");
    expect(log).toMatch(/spark\.mlship\.note,\s*\*\*\*/); // spark-submit --verbose printed it, redacted by value
    // The secret-bearing conf is not on the command line at all: it went to a 0600 properties file.
    expect(JSON.parse(runJson).argv).toContain("--properties-file");
    expect(runJson).not.toContain("spark.mlship.note=");
    const show = await mlship(["runs", "show", runId, "--store", s]);
    expect(show.stdout).toMatch(/error\s+label column "churn_flag" not found.* \(E_DATA\)$/m);
    for (const text of [r.stdout, r.stderr, log, runJson, show.stdout]) expect(text).not.toContain(secret);
  });

  it("refuses an artifact corrupted after the run (one byte flipped): exit 1, nothing registered", async () => {
    // A SPARK_HOME whose spark-submit runs the real one, then flips one byte of a stage file it wrote.
    const home = join(work, "corrupting-spark-home");
    mkdirSync(join(home, "bin"), { recursive: true });
    const script = `#!/usr/bin/env bash
set -e
unset SPARK_HOME # the real spark-submit finds its own home
"${join(projectRoot, ".venv", "bin", "spark-submit")}" "$@"
out=""; prev=""
for a in "$@"; do [ "$prev" = "--out" ] && out="$a"; prev="$a"; done
dir="\${out#file://}"
f=$(ls "$dir"/portable/stages/*.arrow | head -n 1)
python3 - "$f" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[len(b) // 2] ^= 0x01; open(p, 'wb').write(bytes(b))
PY
`;
    writeFileSync(join(home, "bin", "spark-submit"), script);
    chmodSync(join(home, "bin", "spark-submit"), 0o755);
    const s = storeOf("corrupt");
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", s, "--quiet"], {
      env: { SPARK_HOME: home, PYSPARK_PYTHON: join(projectRoot, ".venv", "bin", "python") },
    });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/artifacts failed verification/);
    expect(r.stderr).toMatch(/portable\/stages\/.*\.arrow: sha256 does not match MANIFEST.json/);
    expect(versionsOf(s, "churn")).toEqual([]);
  });
});

describe("the input ledger on partitioned data", () => {
  // Two day= partitions, each a copy of the churn data; data.partitionColumn names the partition column.
  const data = join(work, "churn-by-day");
  for (const day of ["2026-12-01", "2026-12-02"]) {
    mkdirSync(join(data, `day=${day}`), { recursive: true });
    copyFileSync(join(projectRoot, "data", "churn", "part-0.parquet"), join(data, `day=${day}`, "part-0.parquet"));
  }
  writeFileSync(join(data, "_SUCCESS"), "");
  const spec = join(work, "churn-by-day.yaml");
  writeFileSync(
    spec,
    readFileSync(join(projectRoot, "jobs", "quickstart.yaml"), "utf8")
      .replace("train: ${MLSHIP_DATA:-data}/churn", `train: ${data}\n  partitionColumn: day`)
      .replace(/^promote:[\s\S]*?(?=^\S)/m, ""),
  );

  it("records every partition file and the watermark max(day)", async () => {
    const s = storeOf("by-day");
    const r = await mlship(["train", spec, "--store", s, "--json", "--quiet"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const v = JSON.parse((await mlship(["models", "show", "churn@1", "--store", s, "--json"])).stdout);
    expect(v.lineage.inputFiles.map((f: { path: string }) => f.path)).toEqual([`file://${data}/day=2026-12-01/part-0.parquet`, `file://${data}/day=2026-12-02/part-0.parquet`]);
    expect(v.lineage.watermark).toEqual({ column: "day", value: "2026-12-02" });
    expect(v.ledger).toMatchObject({ files: 2, watermark: { column: "day", value: "2026-12-02" } });
    const text = await mlship(["models", "show", "churn@1", "--store", s]);
    expect(text.stdout).toContain('  watermark   day = "2026-12-02"');
  });

  it("refuses a run whose input files changed while Spark ran: exit 1, nothing registered, the reason recorded", async () => {
    // A SPARK_HOME whose spark-submit runs the real one, then drops a new partition into the data.
    const home = join(work, "appending-spark-home");
    mkdirSync(join(home, "bin"), { recursive: true });
    const late = join(data, "day=2026-12-03");
    writeFileSync(
      join(home, "bin", "spark-submit"),
      `#!/usr/bin/env bash
set -e
unset SPARK_HOME
"${join(projectRoot, ".venv", "bin", "spark-submit")}" "$@"
mkdir -p "${late}" && cp "${join(data, "day=2026-12-01", "part-0.parquet")}" "${late}/part-0.parquet"
`,
    );
    chmodSync(join(home, "bin", "spark-submit"), 0o755);
    const s = storeOf("changed-inputs");
    const r = await mlship(["train", spec, "--store", s, "--quiet"], { env: { SPARK_HOME: home, PYSPARK_PYTHON: join(projectRoot, ".venv", "bin", "python") } });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the input files changed while Spark was reading them/);
    expect(r.stderr).toContain(`added: file://${late}/part-0.parquet`);
    expect(versionsOf(s, "churn")).toEqual([]);
    const runDir = join(s, "runs", "churn", readdirSync(join(s, "runs", "churn"))[0]!);
    expect(JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"))).toMatchObject({ status: "failed", errorCode: "E_INPUT_CHANGED", error: expect.stringMatching(/input files changed/) });
  });
});
