#!/usr/bin/env node
// `npm run bench`: runs every benchmark in bench/ one after another (each prints its baseline and ratio).
// Each runs with its defaults. Exits 1 when any of them failed.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
const NOT_BENCHES = new Set(["lib.mjs", "raw-server.mjs", "run-all.mjs"]);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs") && !NOT_BENCHES.has(f))
  .sort();
const failed = [];
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const r = spawnSync(process.execPath, [join(dir, bench)], { stdio: "inherit" });
  if (r.status !== 0) failed.push(`${bench} (exit ${r.status ?? r.signal})`);
}
console.log(`\n${benches.length - failed.length} of ${benches.length} benchmarks ran${failed.length ? `; failed: ${failed.join(", ")}` : ""}`);
process.exit(failed.length ? 1 : 0);
