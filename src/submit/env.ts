// The extra environment for spark-submit: spark.env, plus the PySpark interpreters mlship was given.
import type { SparkSpec } from "../jobspec/schema.js";

// The variable naming the supervising CLI's pid for a local driver's watchdog (spark-scripts/mlship_runtime/supervisor.py).
export const SUPERVISOR_PID_ENV = "MLSHIP_SUPERVISOR_PID";

// Passed through only when set, so a plan never invents an interpreter.
const PASS_THROUGH = ["PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON"] as const;

// spark.env wins over the ambient values: the spec is the more specific source.
// `quietLog4j` (a log4j2 file) is given to a local driver through SPARK_SUBMIT_OPTS unless the user set that.
// `supervisorPid` (the CLI's own pid, for a local built-in driver) is mlship's and wins over both.
// `remoteDriver`: cluster deploy mode, where spark-submit forwards PYSPARK_* to the driver (YARN's Client, the
// Kubernetes driver step): this machine's interpreters are not passed (withheldEnv removes the inherited ones).
export function childEnv(
  spark: SparkSpec,
  env: Record<string, string | undefined>,
  quietLog4j?: string,
  supervisorPid?: number,
  remoteDriver = false,
): Record<string, string> {
  const merged: Record<string, string> = {};
  if (quietLog4j && !env.SPARK_SUBMIT_OPTS && spark.env.SPARK_SUBMIT_OPTS === undefined) {
    merged.SPARK_SUBMIT_OPTS = `-Dlog4j2.configurationFile=file:${quietLog4j}`;
  }
  for (const key of remoteDriver ? [] : PASS_THROUGH) {
    const value = env[key];
    if (value !== undefined && value !== "") merged[key] = value;
  }
  Object.assign(merged, spark.env);
  if (supervisorPid !== undefined) merged[SUPERVISOR_PID_ENV] = String(supervisorPid);
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(merged).sort()) sorted[key] = merged[key] as string;
  return sorted;
}

// The inherited variables a cluster-mode run removes: PYSPARK_* name this machine's interpreters (unless spark.env sets them).
export function withheldEnv(spark: SparkSpec, remoteDriver: boolean): string[] {
  return remoteDriver ? PASS_THROUGH.filter((k) => spark.env[k] === undefined) : [];
}
