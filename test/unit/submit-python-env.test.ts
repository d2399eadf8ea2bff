// The Python environment rules of buildPlan: spark.pythonEnv shipped with --archives, no interpreter path of this
// machine reaching a remote driver (YARN, Kubernetes), a local store with a cluster-mode driver, YARN's jars upload.
import { describe, expect, it } from "vitest";
import { buildPlan, parseSparkDefaults, type PlanResult } from "../../src/submit/index.js";
import { makeSpec, OUT, ROOT, RUN_DIR, RUN_ID, SPARK_SUBMIT } from "../helpers/submit-fixtures.js";

const YARN = { HADOOP_CONF_DIR: "/etc/hadoop/conf" };
const K8S = "k8s://https://k8s.example.com:6443";
const K8S_CONF = { "spark.kubernetes.container.image": "ml/spark-py:4.1.1", "spark.kubernetes.file.upload.path": "s3a://b/uploads" };
const VENV_PYTHON = `${ROOT}/.venv/bin/python`;
const ENV_ARCHIVE = { archive: "hdfs:///envs/mlship-py311.tar.gz" };

function planOf(over: Record<string, unknown>, opts: { env?: Record<string, string>; outUri?: string; sparkDefaults?: Record<string, string>; jarsDir?: string } = {}): PlanResult {
  return buildPlan({
    spec: makeSpec(over),
    runId: RUN_ID,
    outUri: opts.outUri ?? OUT,
    projectRoot: ROOT,
    sparkSubmit: SPARK_SUBMIT,
    env: opts.env ?? {},
    runDir: RUN_DIR,
    secrets: [],
    ...(opts.sparkDefaults ? { sparkDefaults: opts.sparkDefaults } : {}),
    ...(opts.jarsDir ? { sparkBuild: { jarsDir: opts.jarsDir, jars: ["spark-core_2.13-4.1.1.jar", "hadoop-client-api-3.4.1.jar"] } } : {}),
  });
}

function ok(r: PlanResult) {
  if (!r.ok) throw new Error(`unexpected problems: ${JSON.stringify(r.problems, null, 2)}`);
  return r.plan;
}

// The values of one option in an argv.
const valuesOf = (argv: string[], flag: string) => argv.flatMap((a, i) => (argv[i - 1] === flag ? [a] : []));

describe("spark.pythonEnv ships a packed environment", () => {
  it("YARN cluster mode: --archives URI#environment, and both interpreters inside it", () => {
    const plan = ok(planOf({ spark: { master: "yarn", deployMode: "cluster", archives: ["hdfs:///x/data.zip#data"], pythonEnv: ENV_ARCHIVE } }, { env: YARN }));
    expect(valuesOf(plan.argv, "--archives")).toEqual(["hdfs:///x/data.zip#data,hdfs:///envs/mlship-py311.tar.gz#environment"]);
    expect(valuesOf(plan.argv, "--conf")).toEqual(expect.arrayContaining(["spark.pyspark.driver.python=./environment/bin/python", "spark.pyspark.python=./environment/bin/python"]));
    expect(plan.warnings.filter((w) => /python/i.test(w))).toEqual([]);
  });

  it("client mode on a cluster: the executors get the shipped one, the local driver keeps this machine's", () => {
    const plan = ok(planOf({ spark: { master: "yarn", pythonEnv: { archive: "s3a://ml/envs/env.tgz#env", python: "./env/bin/python3" } } }, { env: { ...YARN, PYSPARK_PYTHON: "/opt/py/bin/python" } }));
    expect(valuesOf(plan.argv, "--archives")).toEqual(["s3a://ml/envs/env.tgz#env"]);
    expect(valuesOf(plan.argv, "--conf")).toEqual(expect.arrayContaining(["spark.pyspark.driver.python=/opt/py/bin/python", "spark.pyspark.python=./env/bin/python3"]));
    expect(plan.env.PYSPARK_PYTHON).toBe("/opt/py/bin/python");
    expect(plan.unset).toEqual([]);
  });

  it("Kubernetes cluster mode: the image is the environment (no warning); a pythonEnv ships as well", () => {
    const image = ok(planOf({ spark: { master: K8S, deployMode: "cluster", conf: K8S_CONF } }));
    expect(image.warnings.filter((w) => /python/i.test(w))).toEqual([]);
    const shipped = ok(planOf({ spark: { master: K8S, deployMode: "cluster", conf: K8S_CONF, pythonEnv: ENV_ARCHIVE } }));
    expect(valuesOf(shipped.argv, "--archives")).toEqual(["hdfs:///envs/mlship-py311.tar.gz#environment"]);
  });

  it("a local master ignores it, with a warning", () => {
    const plan = ok(planOf({ spark: { pythonEnv: ENV_ARCHIVE } }));
    expect(plan.argv).not.toContain("--archives");
    expect(plan.warnings).toContain("spark.pythonEnv is ignored with a local master (the driver and executors run here: set PYSPARK_PYTHON instead)");
  });

  it.each([
    ["python outside the archive", { ...ENV_ARCHIVE, python: "/usr/bin/python3" }, {}, "spark.pythonEnv.python", 'expected a path inside the unpacked archive such as "./environment/bin/python", got "/usr/bin/python3"'],
    ["not an archive", { archive: "hdfs:///envs/python" }, {}, "spark.pythonEnv.archive", "expected a packed environment ending in .tar.gz"],
    ["an alias the python is not under", { archive: "hdfs:///e.tar.gz#env" }, {}, "spark.pythonEnv.archive", 'unpacks as "env" but python is under "./environment/"'],
    ["and spark.pyspark.python too", ENV_ARCHIVE, { "spark.pyspark.python": "./environment/bin/python" }, "spark.conf.spark.pyspark.python", "spark.pythonEnv sets spark.pyspark.python; set one or the other"],
  ])("refuses %s", (_name, pythonEnv, conf, path, message) => {
    const r = planOf({ spark: { master: "yarn", deployMode: "cluster", pythonEnv, conf } }, { env: YARN });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ path, message: expect.stringContaining(message) }]);
  });
});

describe("no interpreter path of this machine reaches a remote driver", () => {
  // The ambient PYSPARK_* (and the venv's, which locate adds): never in the plan's env, removed from the inherited one.
  it.each([
    ["YARN", { master: "yarn", deployMode: "cluster", pythonEnv: ENV_ARCHIVE }],
    ["Kubernetes", { master: K8S, deployMode: "cluster", conf: K8S_CONF }],
  ])("%s cluster mode", (_name, spark) => {
    const plan = ok(planOf({ spark }, { env: { ...YARN, PYSPARK_PYTHON: VENV_PYTHON, PYSPARK_DRIVER_PYTHON: "/usr/local/bin/python3.11" } }));
    expect(plan.env).toEqual({});
    expect(plan.unset).toEqual(["PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON"]);
    expect(plan.argv.join(" ")).not.toContain(".venv");
    expect(plan.argv.join(" ")).not.toContain("/usr/local/bin/python3.11");
  });

  it("a JAR in cluster mode has no Python driver: nothing is withheld", () => {
    const plan = ok(planOf({ spark: { master: "yarn", deployMode: "cluster" }, entrypoint: { jar: "hdfs:///a.jar", mainClass: "A" } }, { env: { ...YARN, PYSPARK_PYTHON: "/p" } }));
    expect(plan.unset).toEqual([]);
  });

  it("the venv's pip spark-submit, without PYSPARK_PYTHON to find its Spark, gets SPARK_HOME", () => {
    const jarsDir = `${ROOT}/.venv/lib/python3.11/site-packages/pyspark/jars`;
    const plan = ok(planOf({ spark: { master: "yarn", deployMode: "cluster", pythonEnv: ENV_ARCHIVE } }, { env: { ...YARN, PYSPARK_PYTHON: VENV_PYTHON }, jarsDir }));
    expect(plan.env).toEqual({ SPARK_HOME: `${ROOT}/.venv/lib/python3.11/site-packages/pyspark` });
    expect(ok(planOf({ spark: { master: "yarn", deployMode: "cluster", pythonEnv: ENV_ARCHIVE } }, { env: YARN, jarsDir: "/opt/spark/jars" })).env).toEqual({});
  });

  it.each([
    ["the project's venv in spark.pyspark.python", { conf: { "spark.pyspark.python": VENV_PYTHON } }, {}, "spark.conf.spark.pyspark.python"],
    ["a file: URI in spark.pyspark.driver.python", { conf: { "spark.pyspark.driver.python": "file:///usr/bin/python3" } }, {}, "spark.conf.spark.pyspark.driver.python"],
    ["the active virtualenv", { conf: { "spark.pyspark.python": "/home/me/venvs/ml/bin/python" } }, { VIRTUAL_ENV: "/home/me/venvs/ml" }, "spark.conf.spark.pyspark.python"],
    ["this machine's PYSPARK_PYTHON in spark.env", { env: { PYSPARK_PYTHON: "/opt/local-py/bin/python" } }, { PYSPARK_PYTHON: "/opt/local-py/bin/python" }, "spark.env.PYSPARK_PYTHON"],
    ["mlship setup's runtime (MLSHIP_HOME)", { conf: { "spark.pyspark.python": "/srv/mlship-home/python/0123456789ab/bin/python" } }, { MLSHIP_HOME: "/srv/mlship-home" }, "spark.conf.spark.pyspark.python"],
    ["mlship setup's runtime (the default ~/.cache/mlship)", { conf: { "spark.pyspark.python": "/home/me/.cache/mlship/python/0123456789ab/bin/python" } }, { HOME: "/home/me" }, "spark.conf.spark.pyspark.python"],
  ])("refuses %s", (_name, spark, env, path) => {
    const r = planOf({ spark: { master: "yarn", deployMode: "cluster", ...spark } }, { env: { ...YARN, ...env } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ path, message: expect.stringContaining("is an interpreter on this machine") }]);
  });

  it("accepts the nodes' own interpreter (an absolute path every node has, or a relative one), without the no-environment warning", () => {
    for (const python of ["/opt/conda/bin/python", "./environment/bin/python"]) {
      const plan = ok(planOf({ spark: { master: "yarn", deployMode: "cluster", conf: { "spark.pyspark.python": python } } }, { env: YARN }));
      expect(plan.warnings.filter((w) => /python3, which needs numpy/.test(w))).toEqual([]);
    }
  });

  it("YARN cluster mode with nothing shipped: a loud warning that says what to set", () => {
    const plan = ok(planOf({ spark: { master: "yarn", deployMode: "cluster" } }, { env: YARN }));
    expect(plan.warnings).toContain(
      "YARN cluster deploy mode: the remote driver runs the nodes' python3, which needs numpy, pyarrow and the cluster's pyspark; nothing ships them: set spark.pythonEnv { archive: <packed venv URI>, python: ./environment/bin/python } (see docs/operations.md \"Python environment\")",
    );
  });
});

describe("a local store with a remote driver", () => {
  const local = "file:///srv/mlship-store/runs/churn/r/model";
  it.each([
    ["YARN", { master: "yarn", deployMode: "cluster", pythonEnv: ENV_ARCHIVE }],
    ["Kubernetes", { master: K8S, deployMode: "cluster", conf: K8S_CONF }],
  ])("%s cluster mode: an error at store", (_name, spark) => {
    const r = planOf({ spark }, { env: YARN, outUri: local });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ path: "store", message: expect.stringContaining("cannot write a store on this machine (file:///srv/mlship-store/runs/churn/r/model): in cluster deploy mode the driver writes the model on its own node, where mlship cannot verify or register it; use an s3:// store (--store s3://bucket/prefix), or deployMode: client") }]);
  });

  it("client mode on a cluster: still a warning (a shared filesystem works)", () => {
    const plan = ok(planOf({ spark: { master: "yarn" } }, { env: YARN, outUri: local }));
    expect(plan.warnings.some((w) => w.startsWith(`the run output ${local} is on this machine's disk`))).toBe(true);
  });
});

describe("YARN without spark.yarn.archive or spark.yarn.jars", () => {
  const WARNING = expect.stringContaining("neither spark.yarn.archive nor spark.yarn.jars is set");
  it("warns when the defaults were read and set neither", () => {
    expect(ok(planOf({ spark: { master: "yarn" } }, { env: YARN, sparkDefaults: {} })).warnings).toContainEqual(WARNING);
  });
  it.each([
    ["spark-defaults.conf sets spark.yarn.archive", {}, { "spark.yarn.archive": "hdfs:///spark/jars.zip" }],
    ["spark.conf sets spark.yarn.jars", { "spark.yarn.jars": "hdfs:///spark/jars/*.jar" }, {}],
  ])("is quiet when %s", (_name, conf, sparkDefaults) => {
    expect(ok(planOf({ spark: { master: "yarn", conf } }, { env: YARN, sparkDefaults })).warnings).not.toContainEqual(WARNING);
  });
  it("says nothing when the defaults are unknown (validate without a Spark installation), or off YARN", () => {
    expect(ok(planOf({ spark: { master: "yarn" } }, { env: YARN })).warnings).not.toContainEqual(WARNING);
    expect(ok(planOf({}, { sparkDefaults: {} })).warnings).not.toContainEqual(WARNING);
  });
});

describe("parseSparkDefaults", () => {
  it("reads spark-defaults.conf as spark-submit does", () => {
    const text = ["# comment", "! also a comment", "", "spark.yarn.archive   hdfs:///spark/jars.zip", "spark.pyspark.python=/opt/conda/bin/python", "spark.master: yarn", "  spark.flag"].join("\n");
    expect(parseSparkDefaults(text)).toEqual({
      "spark.yarn.archive": "hdfs:///spark/jars.zip",
      "spark.pyspark.python": "/opt/conda/bin/python",
      "spark.master": "yarn",
      "spark.flag": "",
    });
  });
});

describe("mlship plan shows a cluster-mode run's Python as train runs it", () => {
  it("the shipped archive and interpreters in the argv, the withheld variables named, no local interpreter anywhere", async () => {
    const { cliInProcess } = await import("../helpers/cli-in-process.js");
    const venvPython = `${process.cwd()}/.venv/bin/python`;
    const args = ["plan", "jobs/quickstart.yaml", "--store", "s3://ml-models/mlship", "--set", "data.train=s3a://ml-data/churn", "--set", "spark.master=yarn", "--set", "spark.deployMode=cluster"];
    const sets = ["--set", "spark.pythonEnv.archive=hdfs:///envs/mlship.tar.gz"];
    const env = { HADOOP_CONF_DIR: "/etc/hadoop/conf", PYSPARK_PYTHON: venvPython };
    const json = await cliInProcess([...args, ...sets, "--json"], env);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.unset).toEqual(["PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON"]);
    expect(JSON.stringify(out.argv) + JSON.stringify(out.env)).not.toContain(venvPython);
    expect(valuesOf(out.argv, "--archives")).toEqual(["hdfs:///envs/mlship.tar.gz#environment"]);
    const text = await cliInProcess([...args, ...sets], env);
    expect(text.stdout).toContain("# removed from spark-submit's environment (this machine's interpreters never reach a remote driver): PYSPARK_PYTHON, PYSPARK_DRIVER_PYTHON");
    // Without it: the loud warning; with a local store: refused at the spec's store line.
    expect((await cliInProcess(args, env)).stderr).toContain("warning: YARN cluster deploy mode: the remote driver runs the nodes' python3");
    const local = await cliInProcess([...args.slice(0, 2), ...args.slice(4), ...sets, "--store", "/tmp/mlship-local-store"], env);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/ store: a YARN container cannot write a store on this machine/);
  });
});
