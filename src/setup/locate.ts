// The spark-submit a command runs, found on this machine: findSparkSubmit with `mlship setup`'s runtime and the clone test read from disk.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { FatalError, UserError } from "../errors.js";
import { findSparkSubmit, type LocateResult } from "../submit/index.js";
import { COMPLETE_MARKER, mlshipHome, RUNTIME_REQUIREMENTS, runtimeDir, runtimeKey } from "./home.js";

export interface RuntimePlace {
  home: string; // MLSHIP_HOME
  key: string; // the hash of the runtime requirements
  dir: string; // $MLSHIP_HOME/python/<key>
  requirements: string; // the requirements file
}

// Where `mlship setup` puts (or has put) the runtime for this installation's requirements; undefined when the file is missing.
export function runtimePlace(env: Record<string, string | undefined>, projectRoot: string): RuntimePlace | undefined {
  const requirements = join(projectRoot, RUNTIME_REQUIREMENTS);
  let text: string;
  try {
    text = readFileSync(requirements, "utf8");
  } catch {
    return undefined;
  }
  const home = mlshipHome(env, homedir());
  const key = runtimeKey(text);
  return { home, key, dir: runtimeDir(home, key), requirements };
}

// A clone has scripts/setup.mjs (`npm run setup`); an installed package does not ship it.
export const isClone = (projectRoot: string): boolean => existsSync(join(projectRoot, "scripts", "setup.mjs"));

// findSparkSubmit on this machine: SPARK_HOME, a clone's .venv, the setup runtime, PATH.
export function locateSpark(env: Record<string, string | undefined>, projectRoot: string): LocateResult {
  const place = runtimePlace(env, projectRoot);
  return findSparkSubmit({
    env,
    projectRoot,
    exists: existsSync,
    runtime: place && { dir: place.dir, marker: COMPLETE_MARKER },
    clone: isClone(projectRoot),
  });
}

// The error for no spark-submit: a wrong SPARK_HOME fails (E_NO_SPARK); no runtime at all is a set-up step not taken (E_NO_RUNTIME, exit 2).
export function noSparkError(message: string, env: Record<string, string | undefined>): Error {
  return env.SPARK_HOME ? new FatalError(message, "E_NO_SPARK") : new UserError(message, "E_NO_RUNTIME");
}
