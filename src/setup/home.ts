// Where `mlship setup` keeps the Python runtime: MLSHIP_HOME (default: the user's cache directory), one folder per runtime requirements.
import { createHash } from "node:crypto";
import { isAbsolute, join } from "node:path";

// The runtime requirements, relative to the mlship installation; their hash names the runtime's folder.
export const RUNTIME_REQUIREMENTS = join("spark-scripts", "requirements-runtime.txt");
// Written last into a complete runtime (before the rename that makes it appear); a folder without it is never used.
export const COMPLETE_MARKER = ".mlship-runtime.json";

// MLSHIP_HOME, else $XDG_CACHE_HOME/mlship, else ~/.cache/mlship (the XDG rule: a relative XDG_CACHE_HOME is ignored). Pure.
export function mlshipHome(env: Record<string, string | undefined>, homeDir: string): string {
  if (env.MLSHIP_HOME) return env.MLSHIP_HOME;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homeDir, ".cache"), "mlship");
}

// The requirement lines, in order, without comments and blank lines. Pure.
export function requirementLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter((line) => line !== "");
}

// The runtime's key: the first 12 hex digits of the sha256 of the requirement lines (a comment edit keeps the key). Pure.
export function runtimeKey(requirementsText: string): string {
  return createHash("sha256").update(requirementLines(requirementsText).join("\n")).digest("hex").slice(0, 12);
}

// The runtime's folder for a key: $MLSHIP_HOME/python/<key>. Pure.
export const runtimeDir = (home: string, key: string): string => join(home, "python", key);
