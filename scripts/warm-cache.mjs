#!/usr/bin/env node
// Writes the V8 code caches bin/mlship loads with the bundle (dist/mlship.cjs.v8cache) and its chunks (dist/zod.cjs.v8cache),
// after running the commands people start most often in this one process (help, validate, plan; a bad spec for zod), so the cache holds the functions each of them
// compiles whichever command runs first after a build. Without it the first command's functions alone are cached.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import Module from "node:module";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const scripts = []; // [file, vm.Script]

// Compiled exactly as bin/mlship compiles it, or V8 would reject the cache.
function loadBundle(file) {
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), {
    filename: file,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  scripts.push([file, script]);
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  return mod.exports;
}
globalThis[Symbol.for("mlship.loadChunk")] = (name) => loadBundle(path.join(dist, `${name}.cjs`));
const cli = loadBundle(path.join(dist, "mlship.cjs"));

const store = fs.mkdtempSync(path.join(os.tmpdir(), "mlship-warm-"));
const quiet = { write: () => true };
const context = { cwd: root, env: process.env, stdout: quiet, stderr: quiet, isTTY: false, projectRoot: root, now: () => new Date() };
const spec = path.join(root, "jobs", "quickstart.yaml");
// A spec with problems and a --set: the paths that load zod (dist/zod.cjs), so its cache is warm too.
const badSpec = path.join(store, "bad.yaml");
fs.writeFileSync(badSpec, "name: 1\nmodel: { algorithm: nope, features: {} }\ndata: { train: '' }\n");
const specRuns = [["validate", spec], ["plan", spec, "--store", store], ["plan", spec, "--store", store, "--json"], ["validate", badSpec], ["plan", spec, "--store", store, "--set", "spark.master=local[1]"]];
const runs = [["--help"], ["plan", "--help"], ...(fs.existsSync(spec) ? specRuns : [])];
try {
  for (const argv of runs) await cli.main(argv, context);
  for (const [file, script] of scripts) {
    fs.writeFileSync(`${file}.v8cache.${process.pid}`, script.createCachedData());
    fs.renameSync(`${file}.v8cache.${process.pid}`, `${file}.v8cache`);
  }
} finally {
  fs.rmSync(store, { recursive: true, force: true });
}
