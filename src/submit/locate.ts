// Finds spark-submit: $SPARK_HOME/bin, then the project's .venv (pip pyspark), then PATH.
import { delimiter, join } from "node:path";

export type SparkSubmitSource = "SPARK_HOME" | "venv" | "PATH";

export type LocateResult =
  | { ok: true; path: string; source: SparkSubmitSource; env: Record<string, string> }
  | { ok: false; message: string };

export interface LocateInput {
  env: Record<string, string | undefined>;
  projectRoot: string;
  exists: (path: string) => boolean; // passed in so this stays pure
}

const FIX = "run `npm run setup` (installs Spark into .venv) or set SPARK_HOME to a Spark 4 installation";

export function findSparkSubmit({ env, projectRoot, exists }: LocateInput): LocateResult {
  const home = env.SPARK_HOME;
  if (home) {
    // No fallback: a SPARK_HOME that is set but wrong also breaks the venv's spark-submit script,
    // which execs "$SPARK_HOME/bin/spark-class" whenever SPARK_HOME is set.
    const path = join(home, "bin", "spark-submit");
    return exists(path)
      ? { ok: true, path, source: "SPARK_HOME", env: {} }
      : { ok: false, message: `SPARK_HOME is ${home}, but ${path} does not exist: fix or unset SPARK_HOME, or ${FIX}` };
  }

  const venvBin = join(projectRoot, ".venv", "bin");
  const venvSubmit = join(venvBin, "spark-submit");
  if (exists(venvSubmit)) {
    // pip's spark-submit finds pyspark with `python3` unless PYSPARK_PYTHON says which Python to use;
    // point it at the venv's own so it (and the driver) see pyspark and pyarrow.
    const python = join(venvBin, "python");
    const hasInterpreter = Boolean(env.PYSPARK_PYTHON || env.PYSPARK_DRIVER_PYTHON);
    const extra: Record<string, string> = !hasInterpreter && exists(python) ? { PYSPARK_PYTHON: python } : {};
    return { ok: true, path: venvSubmit, source: "venv", env: extra };
  }

  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const path = join(dir, "spark-submit");
    if (exists(path)) return { ok: true, path, source: "PATH", env: {} };
  }
  return { ok: false, message: `spark-submit was not found (no SPARK_HOME, no ${venvSubmit}, none on PATH): ${FIX}` };
}
