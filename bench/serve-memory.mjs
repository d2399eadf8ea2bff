#!/usr/bin/env node
// Memory: resident set size of `mlship serve` with 10 model versions loaded (pinned churn@1 … churn@10)
// against the same server with 1 version (the baseline). The 10 versions are registry copies of the
// quickstart version in a scratch copy of the store, each loaded, certified and warmed separately.
// Usage: node bench/serve-memory.mjs [--versions 10] [--store DIR]
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { quickstartModel, sequentialLatencies, startServe, stopServe, SAMPLE_RECORD } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const count = Number(arg("versions", 10));
const sourceStore = resolve(arg("store", join(root, "bench", "results", "store")));
const { record } = await quickstartModel(root, sourceStore);

const scratch = mkdtempSync(join(tmpdir(), "mlship-bench-memory-"));
const storeDir = join(scratch, "store");
cpSync(join(sourceStore, record.artifacts.prefix), join(storeDir, record.artifacts.prefix), { recursive: true });
const { LocalStore } = await import(join(root, "dist/store/index.js"));
const { registerVersion } = await import(join(root, "dist/registry/index.js"));
const store = new LocalStore(storeDir);
const { version: _v, createdAt: _c, ...rest } = record;
for (let i = 0; i < count; i++) await registerVersion(store, rest);

// RSS (from /proc) of a server with the given versions, after each answered 200 requests.
async function rssWith(versions) {
  const server = await startServe(root, ["--store", storeDir, ...versions.flatMap((v) => ["--model", `churn@${v}`])]);
  const body = JSON.stringify({ records: [SAMPLE_RECORD] });
  for (const v of versions) await sequentialLatencies(server.port, `/v1/models/churn/versions/${v}/predict`, body, 200);
  await new Promise((r) => setTimeout(r, 1000));
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.proc.pid}/status`, "utf8"))[1]);
  await stopServe(server);
  return kb / 1024;
}

const one = await rssWith([1]);
const all = await rssWith(Array.from({ length: count }, (_, i) => i + 1));
rmSync(scratch, { recursive: true, force: true });
console.log(`resident set size of mlship serve (quickstart logistic regression pipeline)`);
console.log(`  1 version loaded (baseline)   ${one.toFixed(1).padStart(7)} MB`);
console.log(`  ${String(count).padStart(2)} versions loaded           ${all.toFixed(1).padStart(7)} MB`);
console.log(`  ratio ${(all / one).toFixed(2)}x; about ${((all - one) / (count - 1)).toFixed(2)} MB per extra version`);
