#!/usr/bin/env node
// Writes the V8 code cache bin/mlship loads with the bundle (dist/mlship.cjs.v8cache), after running the commands
// people start most often in this one process (help, validate, plan), so the cache holds the functions each of them
// compiles whichever command runs first after a build. Without it the first command's functions alone are cached.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import Module from "node:module";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(root, "dist", "mlship.cjs");
const cacheFile = `${bundle}.v8cache`;

// Compiled exactly as bin/mlship compiles it, or V8 would reject the cache.
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "utf8")), {
  filename: bundle,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const mod = { exports: {} };
script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));

const store = fs.mkdtempSync(path.join(os.tmpdir(), "mlship-warm-"));
const quiet = { write: () => true };
const context = { cwd: root, env: process.env, stdout: quiet, stderr: quiet, isTTY: false, projectRoot: root, now: () => new Date() };
const spec = path.join(root, "jobs", "quickstart.yaml");
const runs = [["--help"], ["plan", "--help"], ...(fs.existsSync(spec) ? [["validate", spec], ["plan", spec, "--store", store], ["plan", spec, "--store", store, "--json"]] : [])];
try {
  for (const argv of runs) await mod.exports.main(argv, context);
  fs.writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
  fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
} finally {
  fs.rmSync(store, { recursive: true, force: true });
}
