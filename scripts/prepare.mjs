#!/usr/bin/env node
// npm's `prepare` (npm ci/install in a clone, npm pack, `npm install git+…`): makes what the package runs from, when stale:
// the CLI bundle (dist/*.cjs) and spark-scripts/build/mlship_runtime.zip. Cheap when both are current; Node built-ins,
// esbuild (a devDependency, present wherever prepare runs) and a python3 for the zip.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const say = (msg) => process.stderr.write(`prepare: ${msg}\n`);
// An installed package (the file ships, in case npm runs `prepare` there) has nothing to build from.
if (!existsSync(join(root, "src"))) process.exit(0);

const { newestMtime, packRuntimeZip, runtimeZip, runtimeZipStale } = await import("./runtime-zip.mjs"); // not shipped: after the check above
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.error || r.status !== 0) {
    say(`failed: ${cmd} ${args.join(" ")}${r.error ? ` (${r.error.message})` : ""}`);
    process.exit(1);
  }
}

// The bundle, from src/ (the generated sources are committed; `npm run build` also runs tsc for the tests).
const bundle = join(root, "dist", "mlship.cjs");
const sources = Math.max(newestMtime(join(root, "src")), mtime(join(root, "package.json")), mtime(join(root, "spark-scripts", "mlship_runtime", "catalogue.json")));
if (mtime(bundle) < sources || !existsSync(join(root, "dist", "zod.cjs"))) {
  say("bundling the CLI (dist/mlship.cjs)");
  run(process.execPath, [join(root, "scripts", "bundle.mjs")]);
}

// The runtime package as a zip (shipped with --py-files to a cluster-mode driver), as scripts/setup.mjs packs it.
if (runtimeZipStale(root)) {
  const python = [join(root, ".venv", "bin", "python"), "python3"].find((p) => p === "python3" || existsSync(p));
  const r = packRuntimeZip(root, python);
  // Without Python the package still runs everything but cluster deploy mode, which needs the zip; say so, do not fail.
  if (r.error || r.status !== 0) say(`could not pack ${runtimeZip(root)} with ${python}; cluster deploy mode needs it (install python3 and run npm run prepare)`);
}
