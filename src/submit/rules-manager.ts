// Rules that depend on the cluster manager and deploy mode, following `spark-submit --help` (Spark 4).
import type { SparkSpec } from "../jobspec/schema.js";
import { isPythonApp } from "./app.js";
import { MANAGER_NAMES, problem, warn, type RuleContext } from "./context.js";
import type { ClusterManager } from "./master.js";

// A setting spark-submit honours only on some cluster managers (the help text's section headings).
interface ManagerOnly {
  path: string;
  flag: string;
  set: (s: SparkSpec) => boolean;
  on: ClusterManager[]; // where it applies; elsewhere it is silently dropped by spark-submit
  instead?: Partial<Record<ClusterManager, string>>; // what to use there instead
  local?: string; // why it is harmless with a local master (a warning, not an error)
}

const MANAGER_ONLY: ManagerOnly[] = [
  {
    path: "spark.executor.memory",
    flag: "--executor-memory",
    set: (s) => s.executor.memory !== undefined,
    on: ["standalone", "yarn", "kubernetes"],
    local: "executors run inside the driver; size it with spark.driver.memory",
  },
  {
    path: "spark.executor.cores",
    flag: "--executor-cores",
    set: (s) => s.executor.cores !== undefined,
    on: ["standalone", "yarn", "kubernetes"],
    local: "the thread count comes from the master, e.g. local[4]",
  },
  {
    // Help: "Spark on YARN and Kubernetes only: --num-executors NUM".
    path: "spark.executor.instances",
    flag: "--num-executors",
    set: (s) => s.executor.instances !== undefined,
    on: ["yarn", "kubernetes"],
    instead: {
      standalone:
        "on a standalone cluster set spark.totalExecutorCores instead (executors = totalExecutorCores / executor.cores)",
    },
    local: "a local master runs one executor inside the driver",
  },
  {
    // Help: "Spark standalone only: --total-executor-cores NUM".
    path: "spark.totalExecutorCores",
    flag: "--total-executor-cores",
    set: (s) => s.totalExecutorCores !== undefined,
    on: ["standalone"],
    instead: {
      yarn: "on YARN set spark.executor.instances and spark.executor.cores instead",
      kubernetes: "on Kubernetes set spark.executor.instances and spark.executor.cores instead",
    },
    local: "the thread count comes from the master, e.g. local[4]",
  },
  {
    // Help: "Spark on YARN only: --queue QUEUE_NAME".
    path: "spark.queue",
    flag: "--queue",
    set: (s) => s.queue !== undefined,
    on: ["yarn"],
    local: "there is no scheduler queue without YARN",
  },
  {
    // Help: "Spark on YARN and Kubernetes only: --principal, --keytab". spark-submit also logs in
    // from a keytab with a local master (to read kerberized HDFS), so local is allowed too.
    path: "spark.principal",
    flag: "--principal",
    set: (s) => s.principal !== undefined,
    on: ["yarn", "kubernetes", "local"],
  },
  {
    path: "spark.keytab",
    flag: "--keytab",
    set: (s) => s.keytab !== undefined,
    on: ["yarn", "kubernetes", "local"],
  },
];

// Names a list of managers for a message: "YARN and Kubernetes".
function managerList(ms: ClusterManager[]): string {
  const names = ms.filter((m) => m !== "local").map((m) => (m === "standalone" ? "standalone clusters" : MANAGER_NAMES[m]));
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
}

// Settings that the chosen cluster manager does not support: errors on a cluster, warnings on local.
export function checkManagerOnly(ctx: RuleContext): void {
  const m = ctx.manager;
  if (m === undefined) return;
  for (const rule of MANAGER_ONLY) {
    if (!rule.set(ctx.spark) || rule.on.includes(m)) continue;
    if (m === "local") {
      warn(ctx, `${rule.path} is ignored with a local master (${rule.local ?? "it is for clusters"})`);
      continue;
    }
    const instead = rule.instead?.[m];
    problem(
      ctx,
      rule.path,
      `${rule.flag} applies only to ${managerList(rule.on)}, not to ${MANAGER_NAMES[m]}${instead ? `; ${instead}` : ""}`,
    );
  }
}

// Deploy-mode rules spark-submit itself enforces ("Fail fast" checks in SparkSubmit) and --driver-cores.
export function checkDeployMode(ctx: RuleContext): void {
  const { manager: m, cluster, spark } = ctx;
  if (m === undefined) return;
  if (cluster && m === "local") {
    problem(
      ctx,
      "spark.deployMode",
      `cluster deploy mode is not compatible with a local master ("${spark.master}"); use deployMode: client`,
    );
  }
  if (cluster && m === "standalone" && ctx.app !== undefined && isPythonApp(ctx.app)) {
    problem(
      ctx,
      "spark.deployMode",
      "Spark does not support cluster deploy mode for Python applications on standalone clusters; use deployMode: client",
    );
  }
  // Help: "Cluster deploy mode only: --driver-cores NUM"; in client mode spark-submit drops it.
  if (spark.driver.cores !== undefined && !cluster) {
    const why = "--driver-cores applies only in cluster deploy mode (in client mode the driver is the spark-submit process)";
    if (m === "local") warn(ctx, `spark.driver.cores is ignored with a local master: ${why}`);
    else problem(ctx, "spark.driver.cores", `${why}; set deployMode: cluster or drop driver.cores`);
  }
}

// Kerberos pairs: a keytab without its principal (or the reverse) and --proxy-user alongside them.
export function checkKerberos(ctx: RuleContext): void {
  const { principal, keytab, proxyUser } = ctx.spark;
  if (keytab !== undefined && principal === undefined) {
    problem(ctx, "spark.principal", "spark.keytab needs spark.principal, the Kerberos principal the keytab is for");
  }
  if (principal !== undefined && keytab === undefined) {
    problem(ctx, "spark.keytab", "spark.principal needs spark.keytab, the full path to the principal's keytab file");
  }
  // Help: "--proxy-user NAME ... This argument does not work with --principal / --keytab."
  if (proxyUser !== undefined && (principal !== undefined || keytab !== undefined)) {
    problem(ctx, "spark.proxyUser", "--proxy-user does not work with --principal / --keytab; use one or the other");
  }
}

// YARN finds the ResourceManager through HADOOP_CONF_DIR or YARN_CONF_DIR; spark-submit refuses without.
export function checkYarnEnv(ctx: RuleContext): void {
  if (ctx.manager !== "yarn") return;
  const has = (k: string) => Boolean(ctx.env[k] ?? ctx.spark.env[k]);
  if (has("HADOOP_CONF_DIR") || has("YARN_CONF_DIR")) return;
  // A warning: $SPARK_HOME/conf/spark-env.sh (sourced by spark-submit) often sets it on edge nodes.
  warn(
    ctx,
    "spark.master is yarn but neither HADOOP_CONF_DIR nor YARN_CONF_DIR is set; spark-submit fails unless " +
      "$SPARK_HOME/conf/spark-env.sh sets one (or set it in spark.env)",
  );
}
