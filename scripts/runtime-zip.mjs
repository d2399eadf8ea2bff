// spark-scripts/build/mlship_runtime.zip (shipped with --py-files to a cluster-mode driver): when it is stale, and
// how it is packed. Shared by scripts/setup.mjs and scripts/prepare.mjs.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// Newest modification time of any file under dir (0 when absent).
export function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

export const runtimeZip = (root) => join(root, "spark-scripts", "build", "mlship_runtime.zip");
const runtimeDir = (root) => join(root, "spark-scripts", "mlship_runtime");

// Whether the zip is missing or older than a file of the runtime package.
export function runtimeZipStale(root) {
  const zip = runtimeZip(root);
  return !existsSync(zip) || statSync(zip).mtimeMs < newestMtime(runtimeDir(root));
}

const PACK = [
  "import os, sys, zipfile",
  "src, out = sys.argv[1], sys.argv[2]",
  "os.makedirs(os.path.dirname(out), exist_ok=True)",
  "with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:",
  "    for d, _, files in os.walk(src):",
  "        for f in sorted(files):",
  "            if f.endswith(('.py', '.json')): p = os.path.join(d, f); z.write(p, os.path.relpath(p, os.path.dirname(src)))",
].join("\n");

// Packs the runtime package's .py and .json files with `python`; answers spawnSync's result.
export function packRuntimeZip(root, python) {
  return spawnSync(python, ["-c", PACK, runtimeDir(root), runtimeZip(root)], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}
