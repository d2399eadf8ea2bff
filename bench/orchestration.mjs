#!/usr/bin/env node
// Orchestration overhead: `mlship train jobs/quickstart.yaml` against a direct spark-submit of the same
// script, data and conf (argv from `mlship plan --json`), interleaved, N runs each. Target <= 1.10x.
// Usage: node bench/orchestration.mjs [runs=3]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, median, timeCommand } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 3);
const work = mkdtempSync(join(tmpdir(), "mlship-bench-orch-"));
const bin = join(root, "bin", "mlship");
const store = join(work, "store");
// The job description mlship writes to a private file at run time (plan --json names the file, never shows it).
const { loadSpec } = await import(join(root, "dist/jobspec/index.js"));
const { jobJson } = await import(join(root, "dist/submit/index.js"));
const { absoluteDataPath } = await import(join(root, "dist/runs/paths.js"));
const loaded = await loadSpec({ file: "jobs/quickstart.yaml", path: join(root, "jobs/quickstart.yaml"), env: process.env });
const jobFile = join(work, "job.json");
writeFileSync(jobFile, jobJson({ ...loaded.spec, data: { ...loaded.spec.data, train: absoluteDataPath(loaded.spec.data.train, root) } }));

// One untimed train first, so the driver's class-data archive exists and both sides map it (a direct run of a plan
// that writes one would leave its temporary file behind: only mlship renames it into place).
try {
  timeCommand(process.execPath, [bin, "train", "jobs/quickstart.yaml", "--quiet", "--store", store], { cwd: root });
} catch (err) {
  if (!/exited 3/.test(String(err))) throw err;
}
const mlship = [];
const direct = [];
for (let i = 0; i < runs; i++) {
  // Direct: the very argv mlship would run, with the output redirected to a scratch folder.
  const planned = spawnSync(process.execPath, [bin, "plan", "jobs/quickstart.yaml", "--json", "--store", store], { cwd: root, encoding: "utf8" });
  if (planned.status !== 0) throw new Error(planned.stderr);
  const { argv, env } = JSON.parse(planned.stdout);
  const out = argv.indexOf("--out");
  argv[out + 1] = pathToFileURL(join(work, `direct-${i}`)).href;
  argv[argv.indexOf("--job-file") + 1] = jobFile;
  direct.push(timeCommand(argv[0], argv.slice(1), { cwd: root, env: { ...process.env, ...env } }));
  try {
    mlship.push(timeCommand(process.execPath, [bin, "train", "jobs/quickstart.yaml", "--quiet", "--store", store], { cwd: root }));
  } catch (err) {
    // exit 3 (registered, not promoted) still measures a full run
    if (!/exited 3/.test(String(err))) throw err;
  }
}
rmSync(work, { recursive: true, force: true });
const d = median(direct);
const m = median(mlship);
console.log(`orchestration overhead, median of ${runs} interleaved runs each`);
console.log(`  spark-submit direct        ${fmt(d)}   (${direct.map(fmt).join(", ")})`);
console.log(`  mlship train               ${fmt(m)}   (${mlship.map(fmt).join(", ")})`);
console.log(`  ratio ${(m / d).toFixed(3)}x (target <= 1.10x); mlship adds ${fmt(m - d)} for plan, verify, certify, register`);
