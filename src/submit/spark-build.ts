// Finds the jars/ folder of the Spark installation a spark-submit belongs to, and lists it (reads the disk).
import { readdirSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import type { LocateResult } from "./locate.js";
import type { SparkBuild } from "./types.js";

// Lists a folder's .jar names, or undefined when it cannot be read.
function jarsIn(dir: string): string[] | undefined {
  try {
    return readdirSync(dir).filter((n) => n.endsWith(".jar")).sort();
  } catch {
    return undefined;
  }
}

// Where pip's pyspark keeps its jars inside a virtualenv (.venv/lib/python3.X/site-packages/pyspark/jars).
function venvJarsDirs(venv: string): string[] {
  try {
    return readdirSync(join(venv, "lib"))
      .filter((n) => n.startsWith("python"))
      .map((n) => join(venv, "lib", n, "site-packages", "pyspark", "jars"));
  } catch {
    return [];
  }
}

// The Spark build of a located spark-submit: SPARK_HOME/jars, the venv's pyspark/jars, or ../jars of the real file.
export function findSparkBuild(located: Extract<LocateResult, { ok: true }>, env: Record<string, string | undefined>): SparkBuild | undefined {
  const candidates: string[] = [];
  if (located.source === "SPARK_HOME" && env.SPARK_HOME) candidates.push(join(env.SPARK_HOME, "jars"));
  const bin = dirname(located.path);
  if (located.source === "venv" || located.source === "MLSHIP_HOME") candidates.push(...venvJarsDirs(dirname(bin)));
  try {
    candidates.push(join(dirname(dirname(realpathSync(located.path))), "jars"));
  } catch {
    /* a dangling path: nothing to add */
  }
  candidates.push(join(dirname(bin), "jars"));
  for (const dir of candidates) {
    const jars = jarsIn(dir);
    if (jars !== undefined && jars.length > 0) return { jarsDir: dir, jars };
  }
  return candidates[0] === undefined ? undefined : { jarsDir: candidates[0], jars: [] };
}
