// The extra environment for spark-submit: spark.env, plus the PySpark interpreters mlship was given.
import type { SparkSpec } from "../spec/schema.js";

// Passed through only when set, so a plan never invents an interpreter.
const PASS_THROUGH = ["PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON"] as const;

// spark.env wins over the ambient values: the spec is the more specific source.
export function childEnv(spark: SparkSpec, env: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const key of PASS_THROUGH) {
    const value = env[key];
    if (value !== undefined && value !== "") merged[key] = value;
  }
  Object.assign(merged, spark.env);
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(merged).sort()) sorted[key] = merged[key] as string;
  return sorted;
}
