#!/usr/bin/env node
// The naive alternative: the same model answered by Spark local mode, one `transform` of a one-row
// DataFrame per request (bench/spark-transform.py), against `mlship serve` answering single-row JSON
// requests over HTTP one after another. Reports both latencies and the ratio (expect >= 100x).
// Usage: node bench/serve-spark.mjs [--requests 200] [--store DIR]
import { spawnSync } from "node:child_process";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median, percentile, quickstartModel, sequentialLatencies, startServe, stopServe, SAMPLE_RECORD } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const requests = Number(arg("requests", 200));
const storeDir = resolve(arg("store", join(root, "bench", "results", "store")));
const { record } = await quickstartModel(root, storeDir);
const modelDir = join(storeDir, record.artifacts.prefix);

// Baseline first, alone on the machine: a Spark session answering each request with transform().
const python = join(root, ".venv", "bin", "python");
const spark = spawnSync(python, [join(root, "bench", "spark-transform.py"), modelDir, String(requests), JSON.stringify(SAMPLE_RECORD)], {
  encoding: "utf8",
  env: { ...process.env, PYSPARK_PYTHON: python },
  maxBuffer: 64 * 1024 * 1024,
});
if (spark.status !== 0) throw new Error(`spark-transform.py failed (exit ${spark.status}):\n${spark.stderr.slice(-3000)}`);
const sparkMs = JSON.parse(spark.stdout.trim().split("\n").at(-1)).latenciesMs;

const server = await startServe(root, ["--store", storeDir, "--model", `churn@${record.version}`]);
const body = JSON.stringify({ records: [SAMPLE_RECORD] });
await sequentialLatencies(server.port, "/v1/models/churn/predict", body, 500); // warm-up
const mineMs = await sequentialLatencies(server.port, "/v1/models/churn/predict", body, Math.max(2000, requests));
await stopServe(server);

const row = (name, xs) => `  ${name.padEnd(40)} median ${median(xs).toFixed(3).padStart(9)} ms   p99 ${percentile(xs, 99).toFixed(3).padStart(9)} ms   (${xs.length} requests)`;
console.log("single-row predictions, one request at a time");
console.log(row("Spark local[1] transform per request", sparkMs));
console.log(row("mlship serve over HTTP (keep-alive)", mineMs));
console.log(`  ratio ${(median(sparkMs) / median(mineMs)).toFixed(0)}x lower median latency with mlship (expect >= 100x); p99 ratio ${(percentile(sparkMs, 99) / percentile(mineMs, 99)).toFixed(0)}x`);
