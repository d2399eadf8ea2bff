// The conf spark-submit loads besides --conf: the spec's --properties-file, else the installation's spark-defaults.conf.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { SparkBuild } from "./types.js";

// Parses a Spark properties file as spark-submit does (java.util.Properties): `key value`, `key=value` or
// `key:value`, `#`/`!` comments; trailing backslash continuations are rare in these files and not joined.
export function parseSparkDefaults(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const m = /^([^\s=:]+)\s*[\s=:]\s*(.*)$/.exec(line);
    if (m) out[m[1] as string] = (m[2] as string).trim();
    else out[line] = "";
  }
  return out;
}

// The folder spark-submit reads spark-defaults.conf from: SPARK_CONF_DIR, else SPARK_HOME/conf, else the build's.
export function sparkConfDir(env: Record<string, string | undefined>, build: SparkBuild | undefined): string | undefined {
  if (env.SPARK_CONF_DIR) return env.SPARK_CONF_DIR;
  if (env.SPARK_HOME) return join(env.SPARK_HOME, "conf");
  return build ? join(dirname(build.jarsDir), "conf") : undefined;
}

// Reads the conf file spark-submit will load for this run ({} when there is none or it cannot be read).
export function readSparkDefaults(x: { env: Record<string, string | undefined>; build: SparkBuild | undefined; propertiesFile: string | undefined; cwd: string }): Record<string, string> {
  const dir = sparkConfDir(x.env, x.build);
  const file = x.propertiesFile !== undefined ? resolve(x.cwd, x.propertiesFile) : dir !== undefined ? join(dir, "spark-defaults.conf") : undefined;
  if (file === undefined) return {};
  try {
    return parseSparkDefaults(readFileSync(file, "utf8"));
  } catch {
    return {};
  }
}
