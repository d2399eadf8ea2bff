// The located spark-submit as planRun takes it: its extra environment, its Spark build and the conf it loads (reads the disk).
import type { LocateResult } from "../submit/locate.js";
import { findSparkBuild, readSparkDefaults } from "../submit/index.js";
import type { SparkInstall } from "./plan-run.js";

export function sparkInstallOf(
  located: Extract<LocateResult, { ok: true }>,
  x: { env: Record<string, string | undefined>; cwd: string; propertiesFile: string | undefined },
): SparkInstall {
  const env = { ...x.env, ...located.env };
  const build = findSparkBuild(located, env);
  return { path: located.path, env: located.env, build, defaults: readSparkDefaults({ env, build, propertiesFile: x.propertiesFile, cwd: x.cwd }) };
}
