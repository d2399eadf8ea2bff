#!/usr/bin/env node
// Start-up: `mlship --help` and `mlship plan jobs/quickstart.yaml` against `node -e 0`, medians of N runs.
// Target: <= 1.5x. Usage: node bench/startup.mjs [runs=20]
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt, interleave, median } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 20);
const node = process.execPath;
const bin = join(root, "bin", "mlship");
const [base, help, plan] = interleave(
  [
    [node, ["-e", "0"]],
    [node, [bin, "--help"]],
    [node, [bin, "plan", "jobs/quickstart.yaml"], { cwd: root }],
  ],
  runs,
);
const b = median(base);
console.log(`start-up, median of ${runs} runs each`);
console.log(`  node -e 0                  ${fmt(b)}`);
console.log(`  mlship --help              ${fmt(median(help))}   ratio ${(median(help) / b).toFixed(2)}x (target <= 1.5x)`);
console.log(`  mlship plan quickstart     ${fmt(median(plan))}   ratio ${(median(plan) / b).toFixed(2)}x (target <= 1.5x)`);
