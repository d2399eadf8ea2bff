// The Python a run's driver and executors use on a cluster: spark.pythonEnv shipped with --archives, and no local path sent to a remote driver. Pure.
import { isAbsolute, join } from "node:path";
import type { SparkSpec } from "../jobspec/schema.js";
import { confValue, isLocalPath, problem, warn, type RuleContext } from "./context.js";
import type { ClusterManager } from "./master.js";
import { mlshipHome } from "../setup/home.js";

export const PYTHON_CONF = "spark.pyspark.python";
export const DRIVER_PYTHON_CONF = "spark.pyspark.driver.python";
export const PYTHON_ENV_VARS = ["PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON"] as const;

// What Spark unpacks from --archives (Utils.unpack: .tar.gz, .tgz, .tar, .zip, .jar).
const ARCHIVE = /\.(tar\.gz|tgz|tar|zip|jar)(#[^/#]+)?$/i;
const RELATIVE_PYTHON = /^\.\/([^/]+)\/\S+$/;

const SEE = 'see docs/operations.md "Python environment"';

// What spark.pythonEnv adds to a run: an --archives entry and the interpreter confs, or why it cannot.
export type ShippedEnv =
  | { ok: true; archive: string; conf: Record<string, string> }
  | { ok: false; path: string; message: string };

// The interpreter the local (client-mode) driver runs when no conf names one, as PythonRunner picks it.
export function localDriverPython(env: Record<string, string | undefined>): string {
  return env.PYSPARK_DRIVER_PYTHON || env.PYSPARK_PYTHON || "python3";
}

// spark.pythonEnv → `--archives URI#alias` and spark.pyspark.python (+ the driver's: the shipped one in cluster
// mode, the local one in client mode, which would otherwise fall back to the shipped relative path).
export function shipEnv(spark: SparkSpec, env: Record<string, string | undefined>): ShippedEnv | undefined {
  const pe = spark.pythonEnv;
  if (pe === undefined) return undefined;
  const rel = RELATIVE_PYTHON.exec(pe.python);
  if (!rel) {
    return { ok: false, path: "spark.pythonEnv.python", message: `expected a path inside the unpacked archive such as "./environment/bin/python", got "${pe.python}"` };
  }
  const alias = rel[1] as string;
  if (!ARCHIVE.test(pe.archive)) {
    return { ok: false, path: "spark.pythonEnv.archive", message: `expected a packed environment ending in .tar.gz, .tgz, .tar or .zip (venv-pack, conda-pack), got "${pe.archive}"` };
  }
  const hash = pe.archive.indexOf("#");
  if (hash >= 0 && pe.archive.slice(hash + 1) !== alias) {
    return { ok: false, path: "spark.pythonEnv.archive", message: `unpacks as "${pe.archive.slice(hash + 1)}" but python is under "./${alias}/": make them agree` };
  }
  for (const key of [PYTHON_CONF, DRIVER_PYTHON_CONF]) {
    if (confValue(spark, key) !== undefined && !(key === DRIVER_PYTHON_CONF && spark.deployMode === "client")) {
      return { ok: false, path: `spark.conf.${key}`, message: `spark.pythonEnv sets ${key}; set one or the other` };
    }
  }
  const archive = hash >= 0 ? pe.archive : `${pe.archive}#${alias}`;
  const driver = spark.deployMode === "cluster" ? pe.python : (confValue(spark, DRIVER_PYTHON_CONF) ?? localDriverPython({ ...env, ...spark.env }));
  return { ok: true, archive, conf: { [PYTHON_CONF]: pe.python, [DRIVER_PYTHON_CONF]: driver } };
}

// Whether the run ships spark.pythonEnv: on a cluster only (a local master runs everything here).
export const shipsEnv = (spark: SparkSpec, manager: ClusterManager | undefined): boolean =>
  spark.pythonEnv !== undefined && manager !== undefined && manager !== "local";

// True for an interpreter path that names a file of this machine: a file: URI, the project's tree, the active
// venv, the runtime `mlship setup` made (under MLSHIP_HOME), or the interpreter this environment gives PySpark. A relative path (./environment/bin/python) or a path
// every node has (/usr/bin/python3, /opt/conda/bin/python) is the nodes' own.
export function isLocalInterpreter(value: string, x: { projectRoot: string; env: Record<string, string | undefined> }): boolean {
  if (/^file:/i.test(value)) return true;
  if (!isAbsolute(value)) return false;
  const runtimes = mlshipHome(x.env, x.env.HOME ?? "");
  const mine = [x.projectRoot, x.env.VIRTUAL_ENV, x.env.CONDA_PREFIX, isAbsolute(runtimes) ? runtimes : undefined].filter((p): p is string => Boolean(p));
  if (mine.some((dir) => value === dir || value.startsWith(join(dir, "/")))) return true;
  return PYTHON_ENV_VARS.some((k) => x.env[k] === value);
}

// Cluster deploy mode: no interpreter path of this machine reaches the remote driver; the built-in trainer's
// driver gets an environment (spark.pythonEnv, an explicit node interpreter, or the Kubernetes image) or a warning.
export function checkPythonEnv(ctx: RuleContext & { projectRoot: string }): void {
  const { spark, manager: m } = ctx;
  if (m === undefined) return;
  if (spark.pythonEnv !== undefined && m === "local") {
    warn(ctx, "spark.pythonEnv is ignored with a local master (the driver and executors run here: set PYSPARK_PYTHON instead)");
  }
  if (!ctx.cluster || m === "local" || ctx.app?.kind === "jar") return;
  const local = (v: string) => isLocalInterpreter(v, { projectRoot: ctx.projectRoot, env: ctx.env });
  const fix = `ship one with spark.pythonEnv (a packed venv) or name the nodes' interpreter; ${SEE}`;
  for (const key of [PYTHON_CONF, DRIVER_PYTHON_CONF]) {
    const v = confValue(spark, key);
    if (v !== undefined && local(v)) problem(ctx, `spark.conf.${key}`, `"${v}" is an interpreter on this machine; a cluster-mode driver runs elsewhere: ${fix}`);
  }
  for (const key of PYTHON_ENV_VARS) {
    const v = spark.env[key];
    if (v !== undefined && local(v)) problem(ctx, `spark.env.${key}`, `"${v}" is an interpreter on this machine, and spark-submit forwards ${key} to a cluster-mode driver: ${fix}`);
  }
  if (ctx.app?.kind !== "builtin" || spark.pythonEnv !== undefined) return;
  if (confValue(spark, PYTHON_CONF) !== undefined || confValue(spark, DRIVER_PYTHON_CONF) !== undefined) return;
  // Kubernetes: the container image is the environment (checkKubernetes requires one); standalone refuses Python here.
  if (m !== "yarn") return;
  warn(
    ctx,
    `YARN cluster deploy mode: the remote driver runs the nodes' python3, which needs numpy, pyarrow and the ` +
      `cluster's pyspark; nothing ships them: set spark.pythonEnv { archive: <packed venv URI>, python: ./environment/bin/python } (${SEE})`,
  );
}

// A local store with a remote driver: the driver writes the model on its own node, which mlship cannot verify.
export function checkRemoteDriverStore(ctx: RuleContext): void {
  const m = ctx.manager;
  // A local master has no remote driver; standalone refuses cluster mode for Python before this matters (checkDeployMode).
  if (!ctx.cluster || m === undefined || m === "local" || m === "standalone" || ctx.app?.kind !== "builtin") return;
  if (!isLocalPath(ctx.outUri)) return;
  const who = m === "kubernetes" ? "the pods" : "a YARN container";
  problem(
    ctx,
    "store",
    `${who} cannot write a store on this machine (${ctx.outUri}): in cluster deploy mode the driver writes the model on its own ` +
      "node, where mlship cannot verify or register it; use an s3:// store (--store s3://bucket/prefix), or deployMode: client",
  );
}

const YARN_JARS = ["spark.yarn.archive", "spark.yarn.jars"];

// YARN without spark.yarn.archive/jars uploads the whole of $SPARK_HOME/jars on every run. Known only when the
// defaults were read (train, plan); `validate` without a Spark installation says nothing.
export function checkYarnJars(ctx: RuleContext & { sparkDefaults: Record<string, string> | undefined }): void {
  if (ctx.manager !== "yarn" || ctx.sparkDefaults === undefined) return;
  const set = (k: string) => confValue(ctx.spark, k) !== undefined || Boolean(ctx.sparkDefaults?.[k]);
  if (YARN_JARS.some(set)) return;
  warn(
    ctx,
    "neither spark.yarn.archive nor spark.yarn.jars is set, so spark-submit uploads all of Spark's jars to YARN on every run: " +
      "upload them once (e.g. a zip of $SPARK_HOME/jars on HDFS) and set spark.yarn.archive in spark-defaults.conf or spark.conf",
  );
}
