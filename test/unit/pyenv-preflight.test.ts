// The driver-Python pre-flight: which interpreter Spark will run, the probe's command and answer, the verdict, and the
// edge with stand-in interpreters (shell scripts that answer as the probe would).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { childEnvironment, driverPython, resolvedConf } from "../../src/pyenv/interpreter.js";
import { parseProbe, PROBE_SCRIPT, probeCommand, sparkHomeZips, sparkVersionOfRelease, verdict, type ProbeFacts } from "../../src/pyenv/probe.js";
import { preflight, preflightApplies } from "../../src/pyenv/preflight.js";
import { pipLine, sparkVersionFrom } from "../../src/pyenv/spark-version.js";
import { makeSpec } from "../helpers/submit-fixtures.js";
import { tempDir } from "../helpers/tmp.js";

describe("driverPython: Spark's PythonRunner order", () => {
  it.each([
    ["driver conf first", { "spark.pyspark.driver.python": "/a", "spark.pyspark.python": "/b" }, { PYSPARK_DRIVER_PYTHON: "/c", PYSPARK_PYTHON: "/d" }, "/a", "spark.pyspark.driver.python"],
    ["then spark.pyspark.python", { "spark.pyspark.python": "/b" }, { PYSPARK_DRIVER_PYTHON: "/c", PYSPARK_PYTHON: "/d" }, "/b", "spark.pyspark.python"],
    ["then PYSPARK_DRIVER_PYTHON", {}, { PYSPARK_DRIVER_PYTHON: "/c", PYSPARK_PYTHON: "/d" }, "/c", "PYSPARK_DRIVER_PYTHON"],
    ["then PYSPARK_PYTHON", {}, { PYSPARK_PYTHON: "/d" }, "/d", "PYSPARK_PYTHON"],
    ["an empty variable is set, as sys.env.get sees it", {}, { PYSPARK_PYTHON: "" }, "", "PYSPARK_PYTHON"],
    ["else python3 on PATH", {}, {}, "python3", "python3 on PATH (no spark.pyspark.python, PYSPARK_PYTHON or PYSPARK_DRIVER_PYTHON is set)"],
  ])("%s", (_name, conf, env, python, from) => {
    expect(driverPython(conf, env)).toEqual({ python, from });
  });

  it("reads --conf from the options only (not the application's arguments), over the defaults file", () => {
    const argv = ["spark-submit", "--master", "local[2]", "--conf", "spark.pyspark.python=/x/python", "--verbose", "--conf", "a=b=c", "app.py", "--conf", "spark.pyspark.driver.python=/no"];
    expect(resolvedConf(argv, { "spark.pyspark.python": "/defaults", "spark.yarn.archive": "hdfs:///a.zip" })).toEqual({
      "spark.pyspark.python": "/x/python",
      "spark.yarn.archive": "hdfs:///a.zip",
      a: "b=c",
    });
  });

  it("the child's environment: inherited, the plan's on top, withheld ones removed", () => {
    expect(childEnvironment({ A: "1", PYSPARK_PYTHON: "/venv/python", B: "1" }, { B: "2" }, ["PYSPARK_PYTHON"])).toEqual({ A: "1", B: "2" });
  });
});

describe("the probe", () => {
  it("runs the interpreter with Spark's PYTHONPATH (SPARK_HOME's zips first, when they exist)", () => {
    const zips = sparkHomeZips("/opt/spark", ["py4j-0.10.9.9-src.zip", "pyspark.zip", "README"]);
    expect(zips).toEqual(["/opt/spark/python/lib/pyspark.zip", "/opt/spark/python/lib/py4j-0.10.9.9-src.zip"]);
    expect(sparkHomeZips(undefined, ["pyspark.zip"])).toEqual([]);
    const cmd = probeCommand("/usr/bin/python3", { PATH: "/bin", PYTHONPATH: "/mine" }, zips);
    expect(cmd).toEqual({ file: "/usr/bin/python3", args: ["-c", PROBE_SCRIPT], env: { PATH: "/bin", PYTHONPATH: "/opt/spark/python/lib/pyspark.zip:/opt/spark/python/lib/py4j-0.10.9.9-src.zip:/mine" } });
    expect(probeCommand("python3", { PATH: "/bin" }, []).env).toEqual({ PATH: "/bin" });
  });

  it("reads only its marked line, and refuses a bad shape", () => {
    const facts = { python: "3.11.7", executable: "/v/bin/python", modules: { numpy: "2.2.6", pyarrow: null, pyspark: "4.1.1" }, errors: { pyarrow: "ModuleNotFoundError: No module named 'pyarrow'" } };
    expect(parseProbe(`noise from sitecustomize\nmlship-probe ${JSON.stringify(facts)}\n`)).toEqual(facts);
    expect(parseProbe("mlship-probe {not json")).toBeUndefined();
    expect(parseProbe(`mlship-probe ${JSON.stringify({ ...facts, modules: { numpy: 2 } })}`)).toBeUndefined();
    expect(parseProbe("nothing")).toBeUndefined();
  });

  it("reads a RELEASE file's version", () => {
    expect(sparkVersionOfRelease("Spark 3.5.1 built for Hadoop 3.3.4\nBuild flags: -B\n")).toBe("3.5.1");
    expect(sparkVersionOfRelease("")).toBeUndefined();
  });
});

const facts = (over: Partial<ProbeFacts["modules"]> = {}, errors: Record<string, string> = {}): ProbeFacts => ({
  python: "3.11.7",
  executable: "/usr/bin/python3.11",
  modules: { numpy: "2.2.6", pyarrow: "21.0.0", pyspark: "4.1.1", ...over },
  errors,
});
const PATH_PYTHON = { python: "python3", from: "python3 on PATH (…)" };
const base = { driver: PATH_PYTHON, sparkVersion: "4.1.1", needs: ["numpy", "pyarrow"] as ("numpy" | "pyarrow")[], suggestion: "/opt/mlship/.venv/bin/python" };

describe("the verdict", () => {
  it("passes with every module and the same major.minor (4.1.0 against 4.1.1)", () => {
    expect(verdict({ ...base, outcome: { ok: true, facts: facts({ pyspark: "4.1.0" }) } })).toEqual({
      ok: true,
      summary: "driver Python /usr/bin/python3.11 (Python 3.11.7; numpy 2.2.6, pyarrow 21.0.0, pyspark 4.1.0)",
      warnings: [],
    });
  });

  it("a missing module: the interpreter, where it came from, the import errors, and exactly what to set", () => {
    const v = verdict({ ...base, outcome: { ok: true, facts: facts({ numpy: null, pyarrow: null }, { numpy: "ModuleNotFoundError: No module named 'numpy'", pyarrow: "ModuleNotFoundError: No module named 'pyarrow'" }) } });
    expect(v).toEqual({
      ok: false,
      message:
        "the driver's Python python3 (/usr/bin/python3.11), from python3 on PATH (…), cannot run this job before Spark starts: ModuleNotFoundError: No module named 'numpy'; ModuleNotFoundError: No module named 'pyarrow'",
      details: ["set PYSPARK_PYTHON=/opt/mlship/.venv/bin/python, or spark.pyspark.python in the spec's spark.conf, to a Python with numpy and pyarrow and pyspark 4.1: pip install -r spark-scripts/requirements.txt"],
    });
  });

  it("another major.minor: both versions and two ways out", () => {
    const v = verdict({ ...base, suggestion: undefined, outcome: { ok: true, facts: facts({ pyspark: "3.5.1" }) } });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.message).toContain("imports pyspark 3.5.1, but the Spark that runs is 4.1.1");
    expect(v.details[0]).toContain("set PYSPARK_PYTHON=/path/to/venv/bin/python");
    expect(v.details[0]).toContain("(pip install pyspark==4.1.1), or point SPARK_HOME at a Spark 3.5");
  });

  it("a user script needs pyspark only; an unknown Spark version is not compared", () => {
    expect(verdict({ ...base, needs: [], sparkVersion: undefined, outcome: { ok: true, facts: facts({ numpy: null, pyarrow: null, pyspark: "3.5.0" }) } }).ok).toBe(true);
  });

  it("an interpreter that cannot run is refused; one that does not answer in time is a warning", () => {
    const gone = verdict({ ...base, driver: { python: "/opt/py/bin/python", from: "PYSPARK_PYTHON" }, outcome: { ok: false, reason: "not-found", detail: "no such file or command" } });
    expect(gone).toMatchObject({ ok: false, message: "the driver's Python /opt/py/bin/python, from PYSPARK_PYTHON, cannot be run: no such file or command" });
    const slow = verdict({ ...base, outcome: { ok: false, reason: "timeout", detail: "30 s" } });
    expect(slow).toMatchObject({ ok: true, warnings: [expect.stringContaining("did not answer the pre-flight check in time (30 s)")] });
  });
});

describe("preflight (the one process, with stand-in interpreters)", () => {
  const dir = tempDir("mlship-preflight-");
  // A stand-in interpreter: prints the given probe line (or fails), whatever it is asked.
  const interpreter = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const line = (m: Partial<ProbeFacts["modules"]>) => `echo 'mlship-probe ${JSON.stringify(facts(m))}'`;
  const home = join(dir, "spark");
  mkdirSync(join(home, "python", "lib"), { recursive: true });
  writeFileSync(join(home, "python", "lib", "pyspark.zip"), "");
  const build = { jarsDir: join(home, "jars"), jars: ["spark-core_2.13-4.1.1.jar"] };
  const run = (env: Record<string, string>, spec = makeSpec(), argv: string[] = ["spark-submit", "app.py"]) =>
    preflight({ spec, plan: { argv, env: {}, unset: [] }, env, defaults: {}, build, projectRoot: join(dir, "no-project") }, dir);

  it("passes a good interpreter, and gives it Spark's PYTHONPATH", async () => {
    const seen = join(dir, "pythonpath.txt");
    const good = interpreter("good", `printf '%s' "$PYTHONPATH" > '${seen}'\n${line({})}`);
    expect(await run({ PYSPARK_PYTHON: good, SPARK_HOME: home })).toMatchObject({ ok: true, summary: expect.stringContaining("pyspark 4.1.1") });
    expect(readFileSync(seen, "utf8")).toBe(join(home, "python", "lib", "pyspark.zip"));
  });

  it("refuses a pyspark of another minor, and a conf's interpreter wins over PYSPARK_PYTHON", async () => {
    const old = interpreter("old", line({ pyspark: "4.0.1" }));
    const good = interpreter("good2", line({}));
    const v = await run({ PYSPARK_PYTHON: good }, makeSpec(), ["spark-submit", "--conf", `spark.pyspark.python=${old}`, "app.py"]);
    expect(v).toMatchObject({ ok: false, message: expect.stringContaining(`${old} (/usr/bin/python3.11), from spark.pyspark.python, imports pyspark 4.0.1, but the Spark that runs is 4.1.1`) });
  });

  it("refuses an interpreter that does not exist, or exits with an error", async () => {
    expect(await run({ PYSPARK_PYTHON: join(dir, "missing") })).toMatchObject({ ok: false, message: expect.stringContaining("cannot be run: no such file or command") });
    const broken = interpreter("broken", "echo 'Fatal Python error: init_fs_encoding' >&2; exit 1");
    expect(await run({ PYSPARK_PYTHON: broken })).toMatchObject({ ok: false, message: expect.stringContaining("failed the pre-flight check: Fatal Python error: init_fs_encoding") });
  });

  it("does not apply to cluster mode, to a JAR, or with MLSHIP_PYTHON_CHECK=off", async () => {
    expect(preflightApplies(makeSpec(), {})).toBe(true);
    expect(preflightApplies(makeSpec({ entrypoint: { script: "train.py" } }), {})).toBe(true);
    expect(preflightApplies(makeSpec({ spark: { master: "yarn", deployMode: "cluster" } }), {})).toBe(false);
    expect(preflightApplies(makeSpec({ entrypoint: { jar: "a.jar", mainClass: "A" } }), {})).toBe(false);
    expect(await run({ PYSPARK_PYTHON: join(dir, "missing"), MLSHIP_PYTHON_CHECK: "off" })).toBeUndefined();
  });
});

describe("bring your own Spark: the pairing with SPARK_HOME's version", () => {
  const byos = tempDir("mlship-byos-");
  it("reads the version from the spark-core jar first, else the RELEASE file, and says where", () => {
    expect(sparkVersionFrom({ jarsDir: "/opt/spark/jars", jars: ["a.jar", "spark-core_2.12-3.5.1.jar"], releaseFile: "/opt/spark/RELEASE", release: "Spark 3.5.0 built for Hadoop 3.3.4" })).toEqual({ version: "3.5.1", from: "spark-core_2.12-3.5.1.jar in /opt/spark/jars" });
    expect(sparkVersionFrom({ jars: [], releaseFile: "/opt/spark/RELEASE", release: "Spark 3.5.0 built for Hadoop 3.3.4\n" })).toEqual({ version: "3.5.0", from: "/opt/spark/RELEASE" });
    expect(sparkVersionFrom({ jars: [], release: undefined })).toBeUndefined();
  });

  it.each([
    ["the pinned Spark: the project's pins", "4.1.1", "pip install -r spark-scripts/requirements.txt"],
    ["another patch of the pinned minor: the pins still pair", "4.1.0", "pip install -r spark-scripts/requirements.txt"],
    ["an unknown Spark: the pins", undefined, "pip install -r spark-scripts/requirements.txt"],
    ["another Spark: its own pyspark", "3.5.1", "pip install numpy pyarrow pyspark==3.5.1"],
  ])("the pip line: %s", (_name, spark, line) => {
    expect(pipLine(spark, "4.1.1", ["numpy", "pyarrow"])).toBe(line);
  });

  it("a SPARK_HOME of another minor: the versions, where the Spark version was read, and exactly what to install", () => {
    const v = verdict({ ...base, sparkVersion: "3.5.1", sparkFrom: "/opt/spark/RELEASE", pinnedPyspark: "4.1.1", outcome: { ok: true, facts: facts({ pyspark: "4.1.1" }) } });
    expect(v).toEqual({
      ok: false,
      message: "the driver's Python python3 (/usr/bin/python3.11), from python3 on PATH (…), imports pyspark 4.1.1, but the Spark that runs is 3.5.1 (/opt/spark/RELEASE): the driver and the JVM must be the same major.minor",
      details: ["set PYSPARK_PYTHON=/opt/mlship/.venv/bin/python, or spark.pyspark.python in the spec's spark.conf, to a Python with numpy and pyarrow and pyspark 3.5: pip install numpy pyarrow pyspark==3.5.1, or point SPARK_HOME at a Spark 4.1"],
    });
  });

  it("preflight: a SPARK_HOME with no jars is read from its RELEASE file; the project's pin picks the pip line", async () => {
    const dir = byos;
    const home = join(dir, "spark");
    mkdirSync(join(home, "bin"), { recursive: true });
    writeFileSync(join(home, "RELEASE"), "Spark 3.5.2 built for Hadoop 3.3.4\n");
    mkdirSync(join(dir, "project", "spark-scripts"), { recursive: true });
    writeFileSync(join(dir, "project", "spark-scripts", "requirements.txt"), "pyspark==4.1.1\nnumpy==2.2.6\n");
    const py = join(dir, "py");
    writeFileSync(py, `#!/bin/sh\necho 'mlship-probe ${JSON.stringify(facts())}'\n`);
    chmodSync(py, 0o755);
    const v = await preflight({ spec: makeSpec(), plan: { argv: ["spark-submit", "app.py"], env: {}, unset: [] }, env: { PYSPARK_PYTHON: py, SPARK_HOME: home }, defaults: {}, build: { jarsDir: join(home, "jars"), jars: [] }, projectRoot: join(dir, "project") }, dir);
    expect(v).toMatchObject({ ok: false, message: expect.stringContaining(`but the Spark that runs is 3.5.2 (${join(home, "RELEASE")})`), details: [expect.stringContaining("pip install numpy pyarrow pyspark==3.5.2")] });
  });
});
