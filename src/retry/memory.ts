// Raising a run's driver and executor memory by a factor (retry.onOutOfMemory), on the spec the next attempt plans.
import type { JobSpec } from "../jobspec/schema.js";

const SPARK_DEFAULT_MEMORY = "1g"; // spark.driver.memory and spark.executor.memory when neither the spec nor its conf sets them
const MIB_PER_UNIT: Record<string, number> = { k: 1 / 1024, m: 1, g: 1024, t: 1024 ** 2, p: 1024 ** 3 };

// MiB of a Spark size ("512m", "4g", "1.5gb", "2048" = MiB); null when it is not one.
export function sizeMiB(size: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([kmgtp])?b?$/i.exec(size.trim());
  if (!m) return null;
  return Number(m[1]) * MIB_PER_UNIT[(m[2] ?? "m").toLowerCase()]!;
}

// A size raised by `factor`, in whole MiB ("1g" × 1.5 = "1536m"); an unreadable size is returned as it is.
export function raiseSize(size: string, factor: number): string {
  const mib = sizeMiB(size);
  return mib === null ? size : `${Math.ceil(mib * factor)}m`;
}

export interface RaisedMemory {
  spec: JobSpec;
  driver: string; // the new spark.driver.memory
  executor: string; // the new spark.executor.memory
}

// The spec with spark.driver.memory and spark.executor.memory raised by `factor`: where the spec sets them
// (spark.conf first, as Spark reads it last), else on Spark's 1g default.
export function raiseMemory(spec: JobSpec, factor: number): RaisedMemory {
  const conf = { ...spec.spark.conf };
  const raise = (confKey: string, field: string | undefined): { field: string | undefined; value: string } => {
    const inConf = conf[confKey];
    if (inConf !== undefined) {
      conf[confKey] = raiseSize(String(inConf), factor);
      return { field, value: String(conf[confKey]) };
    }
    const value = raiseSize(field ?? SPARK_DEFAULT_MEMORY, factor);
    return { field: value, value };
  };
  const driver = raise("spark.driver.memory", spec.spark.driver.memory);
  const executor = raise("spark.executor.memory", spec.spark.executor.memory);
  const spark = {
    ...spec.spark,
    conf,
    driver: { ...spec.spark.driver, ...(driver.field !== undefined ? { memory: driver.field } : {}) },
    executor: { ...spec.spark.executor, ...(executor.field !== undefined ? { memory: executor.field } : {}) },
  };
  return { spec: { ...spec, spark }, driver: driver.value, executor: executor.value };
}
