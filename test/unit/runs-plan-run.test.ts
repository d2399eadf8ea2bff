// One plan path: validate refuses what plan and train refuse, at its place in the spec; plan prints the argv train runs.
import { describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { tempDir } from "../helpers/tmp.js";
import { loadSpec } from "../../src/jobspec/index.js";
import { LocalStore } from "../../src/store/index.js";
import { trainJob } from "../../src/runs/train.js";

const root = join(import.meta.dirname, "..", "..");
const work = tempDir("mlship-plan-run-");

// A spec file in the work folder; returns its path.
function spec(name: string, lines: string[]): string {
  const file = join(work, name);
  writeFileSync(file, [...lines, ""].join("\n"));
  return file;
}

const BASE = ["name: churn", "model:", "  algorithm: logistic_regression", "  label: churned", "  features: { numeric: [tenure] }", "data:", "  train: data/churn/"];

describe("validate runs every check that needs no cluster", () => {
  it("refuses a store no backend serves, at the store field", async () => {
    const file = spec("ftp.yaml", [...BASE, "store: ftp://example/models"]);
    const r = await cliInProcess(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:8:1 store: unsupported store "ftp://example/models"`);
    expect(r.stdout).toBe("");
    // plan and train refuse it the same way, before any Spark starts.
    for (const command of ["plan", "train"]) {
      const refused = await cliInProcess([command, file, "--json"], { SPARK_HOME: join(work, "no-spark") });
      expect(refused.code).toBe(2);
      expect(JSON.parse(refused.stdout).error.problems).toEqual([expect.objectContaining({ file, line: 8, col: 1, path: "store" })]);
    }
  });

  it("refuses cluster deploy mode for the Python trainer on a standalone master, at spark.deployMode", async () => {
    const file = spec("standalone.yaml", [...BASE, "spark:", "  master: spark://host:7077", "  deployMode: cluster"]);
    const r = await cliInProcess(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:10:3 spark.deployMode: Spark does not support cluster deploy mode for Python applications on standalone clusters`);
    // train refuses it as plan does, at the same place, before it looks for Spark.
    const train = await cliInProcess(["train", file, "--json"], { SPARK_HOME: join(work, "no-spark") });
    expect(train.code).toBe(2);
    expect(JSON.parse(train.stdout).error).toMatchObject({ code: "E_PLAN", problems: [{ file, line: 10, col: 3, path: "spark.deployMode" }] });
  });

  it("reports every plan problem at once with positions and dotted paths, secrets masked, in --json too", async () => {
    const file = spec("many.yaml", [
      ...BASE,
      "spark:",
      "  master: spark://host:7077",
      "  deployMode: cluster",
      "  conf:",
      "    spark.driver.extraJavaOptions: -Dpw=${DB_PASSWORD}",
      "store: ftp://example/models",
    ]);
    const env = { DB_PASSWORD: "hunter2-secret" };
    const r = await cliInProcess(["validate", file, "--json"], env);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toContain(env.DB_PASSWORD);
    const error = JSON.parse(r.stdout).error;
    expect(error.code).toBe("E_PLAN");
    expect(error.problems.map((p: { line: number; col: number; path: string }) => `${p.line}:${p.col} ${p.path}`)).toEqual([
      "10:3 spark.deployMode",
      "12:5 spark.conf.spark.driver.extraJavaOptions",
      "13:1 store",
    ]);
    // plan refuses the same spec with the same problems.
    const plan = await cliInProcess(["plan", file, "--json"], env);
    expect(plan.code).toBe(2);
    expect(JSON.parse(plan.stdout).error.problems).toEqual(error.problems);
  });

  it("still says ok for the example jobs", async () => {
    const r = await cliInProcess(["validate", "jobs/quickstart.yaml"]);
    expect(r).toMatchObject({ code: 0, stdout: "jobs/quickstart.yaml: ok (job churn, logistic_regression)\n" });
  });
});

describe("plan prints exactly the argv train runs", () => {
  // Run-specific parts: the run id (a new one per run) and train's private mkdtemp folder (XXXXXX in plan).
  const mask = (argv: string[]) =>
    argv.map((a) => a.replace(/\d{8}T\d{6}Z-[0-9a-f]{6}/g, "<RUN_ID>").replace(/mlship-run-[A-Za-z0-9]{6}/g, "mlship-run-<TMP>"));

  it("for the quickstart job, through plan --json and through train's launch of spark-submit", async () => {
    // A stand-in Spark installation: spark-submit records the argv it was given and fails, so nothing is registered.
    const home = join(work, "spark");
    const got = join(work, "argv.txt");
    mkdirSync(join(home, "bin"), { recursive: true });
    mkdirSync(join(home, "jars"), { recursive: true });
    writeFileSync(join(home, "jars", "hadoop-client-api-3.4.1.jar"), "");
    writeFileSync(join(home, "bin", "spark-submit"), `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > '${got}'\nexit 1\n`);
    chmodSync(join(home, "bin", "spark-submit"), 0o755);
    // MLSHIP_PYTHON_CHECK=off: the stand-in Spark has no Python to check (src/pyenv/preflight.ts); this test is about the argv.
    // MLSHIP_HOME: the driver's class-data archive (in plan and train alike when Java is on PATH) stays in the temp folder.
    const env = { PATH: process.env.PATH ?? "", SPARK_HOME: home, MLSHIP_PYTHON_CHECK: "off", MLSHIP_HOME: join(work, "home") };
    const storeDir = join(work, "store");

    const plan = await cliInProcess(["plan", "jobs/quickstart.yaml", "--json", "--store", storeDir], env);
    expect(plan.code, plan.stderr).toBe(0);
    const planned: string[] = JSON.parse(plan.stdout).argv;

    const store = new LocalStore(storeDir);
    const loaded = await loadSpec({ file: "jobs/quickstart.yaml", path: join(root, "jobs", "quickstart.yaml"), env, sets: [] });
    const world = { cwd: root, env, projectRoot: root, store, now: () => new Date("2026-11-27T08:00:00Z"), onLine: () => undefined, progress: () => undefined };
    await expect(trainJob(world, loaded, [])).rejects.toThrow(/Spark job failed/);
    const launched = readFileSync(got, "utf8").trimEnd().split("\n");
    const runs = await store.list("runs/churn");
    const recorded: string[] = JSON.parse(readFileSync(join(storeDir, runs.find((k) => k.endsWith("/run.json"))!), "utf8")).argv;

    expect(mask(launched)).toEqual(mask(planned));
    expect(recorded).toEqual(launched);
    // The event log settings train adds are in what plan prints.
    expect(planned).toContain("spark.eventLog.enabled=true");
  });
});
