// Path rules for what Spark reads: local data paths become absolute file:// URIs.
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// A relative local data path is resolved against the working directory, so the driver finds it from anywhere.
export function absoluteDataPath(path: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  return pathToFileURL(isAbsolute(path) ? path : resolve(cwd, path)).href;
}

// The name prefix of a run's private scratch folder in the temp directory (mkdtemp adds six characters).
export const RUN_DIR_PREFIX = "mlship-run-";
