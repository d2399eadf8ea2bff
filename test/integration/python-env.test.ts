// The pre-flight check of the driver's Python, with real processes: SPARK_HOME set (as on an edge node) and a python3
// on PATH without numpy fails before any JVM starts, saying what to set; PYSPARK_PYTHON at the project venv trains.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mlship, projectRoot } from "../helpers/cli.js";
import { venvSparkHome } from "../helpers/standalone.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-python-env-");
const bare = join(work, "bare-venv"); // a Python with nothing installed: no numpy, no pyarrow
const venvPython = join(projectRoot, ".venv", "bin", "python");

// The edge node's environment: Spark from SPARK_HOME, the bare venv's python3 first on PATH, no PYSPARK_* of ours.
// (undefined removes a variable this test process may have: Node's spawn skips undefined values.)
const edgeEnv = (extra: Record<string, string> = {}) =>
  ({
    SPARK_HOME: venvSparkHome(),
    PATH: [join(bare, "bin"), process.env.PATH ?? ""].join(delimiter),
    PYSPARK_PYTHON: undefined,
    PYSPARK_DRIVER_PYTHON: undefined,
    MLSHIP_PYTHON_CHECK: undefined,
    ...extra,
  }) as unknown as Record<string, string>;

beforeAll(() => {
  // The project venv's own interpreter (numpy-free without its site-packages), so no network and about a second.
  execFileSync(venvPython, ["-m", "venv", "--without-pip", bare], { stdio: "ignore" });
});

describe("the driver's Python, checked before Spark starts", () => {
  it("SPARK_HOME set and a python3 without numpy on PATH: exit 2, E_PYTHON_ENV, no run started, the interpreter and the fix named", async () => {
    const store = join(work, "store-bare");
    const started = Date.now();
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--json"], { env: edgeEnv() });
    const seconds = (Date.now() - started) / 1000;
    expect(r.exitCode, r.stderr).toBe(2);
    const error = JSON.parse(r.stdout).error;
    expect(error.code).toBe("E_PYTHON_ENV");
    expect(error.message).toContain(join(bare, "bin", "python3"));
    expect(error.message).toContain("python3 on PATH");
    expect(error.message).toContain("No module named 'numpy'");
    expect(error.details.join("\n")).toContain(`set PYSPARK_PYTHON=${venvPython}, or spark.pyspark.python`);
    expect(error.details.join("\n")).toContain("pip install -r spark-scripts/requirements.txt");
    // Nothing reached spark-submit: train writes run.json before it launches Spark, and there is none.
    expect(existsSync(join(store, "runs"))).toBe(false);
    expect(r.stderr).not.toMatch(/spark-submit on/);
    console.log(`pre-flight refusal took ${seconds.toFixed(1)} s`);
  });

  it("the same edge node with PYSPARK_PYTHON at the project venv: the check passes and the run registers", async () => {
    const store = join(work, "store-venv");
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--json"], { env: edgeEnv({ PYSPARK_PYTHON: venvPython }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/driver Python \S+ \(Python 3\.\d+\.\d+; numpy [\d.]+, pyarrow [\d.]+, pyspark 4\.1\.\d+\)/);
    expect(JSON.parse(r.stdout).version).toBe(1);
  });
});
