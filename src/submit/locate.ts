// Finds spark-submit: $SPARK_HOME/bin, then the project's .venv (pip pyspark), then the runtime `mlship setup` made, then PATH.
import { delimiter, join } from "node:path";

export type SparkSubmitSource = "SPARK_HOME" | "venv" | "MLSHIP_HOME" | "PATH";

export type LocateResult =
  | { ok: true; path: string; source: SparkSubmitSource; env: Record<string, string> }
  | { ok: false; message: string };

export interface LocateInput {
  env: Record<string, string | undefined>;
  projectRoot: string;
  exists: (path: string) => boolean; // passed in so this stays pure
  // The folder `mlship setup` makes for the current runtime requirements ($MLSHIP_HOME/python/<key>); used once complete.
  runtime?: { dir: string; marker: string } | undefined;
  // Whether mlship runs from a clone (the fix is `npm run setup`) or an installed package (`mlship setup`); default: a clone.
  clone?: boolean;
}

const FIX = "run `npm run setup` (installs Spark into .venv) or set SPARK_HOME to a Spark 4 installation";
const SETUP_FIX = "run `mlship setup` (installs Spark and the Python packages once per user) or set SPARK_HOME to a Spark 4 installation";

// The PYSPARK_PYTHON a virtualenv's pip spark-submit needs (its own Python), unless the user chose one.
function venvInterpreter(venvBin: string, env: LocateInput["env"], exists: LocateInput["exists"]): Record<string, string> {
  // pip's spark-submit finds pyspark with `python3` unless PYSPARK_PYTHON says which Python to use;
  // point it at the venv's own so it (and the driver) see pyspark and pyarrow.
  const python = join(venvBin, "python");
  const hasInterpreter = Boolean(env.PYSPARK_PYTHON || env.PYSPARK_DRIVER_PYTHON);
  return !hasInterpreter && exists(python) ? { PYSPARK_PYTHON: python } : {};
}

export function findSparkSubmit({ env, projectRoot, exists, runtime, clone = true }: LocateInput): LocateResult {
  const fix = clone ? FIX : SETUP_FIX;
  const home = env.SPARK_HOME;
  if (home) {
    // No fallback: a SPARK_HOME that is set but wrong also breaks the venv's spark-submit script,
    // which execs "$SPARK_HOME/bin/spark-class" whenever SPARK_HOME is set.
    const path = join(home, "bin", "spark-submit");
    return exists(path)
      ? { ok: true, path, source: "SPARK_HOME", env: {} }
      : { ok: false, message: `SPARK_HOME is ${home}, but ${path} does not exist: fix or unset SPARK_HOME, or ${fix}` };
  }

  const venvBin = join(projectRoot, ".venv", "bin");
  const venvSubmit = join(venvBin, "spark-submit");
  if (exists(venvSubmit)) return { ok: true, path: venvSubmit, source: "venv", env: venvInterpreter(venvBin, env, exists) };

  // A folder without its marker is half-built (or being built): never used.
  const runtimeBin = runtime && exists(join(runtime.dir, runtime.marker)) ? join(runtime.dir, "bin") : undefined;
  if (runtimeBin && exists(join(runtimeBin, "spark-submit"))) {
    return { ok: true, path: join(runtimeBin, "spark-submit"), source: "MLSHIP_HOME", env: venvInterpreter(runtimeBin, env, exists) };
  }

  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const path = join(dir, "spark-submit");
    if (exists(path)) return { ok: true, path, source: "PATH", env: {} };
  }
  const tried = clone ? `no ${venvSubmit}` : `no runtime in ${runtime?.dir ?? "MLSHIP_HOME"}`;
  return { ok: false, message: `spark-submit was not found (no SPARK_HOME, ${tried}, none on PATH): ${fix}` };
}
