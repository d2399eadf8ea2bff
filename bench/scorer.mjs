#!/usr/bin/env node
// Scorer throughput for the quickstart pipeline: single-row calls and 100k-row batches, in rows/s.
// Target: >= 500k rows/s single-row. Needs a trained quickstart model (trains one if the store has none).
// Usage: node bench/scorer.mjs [--store DIR]
import { quickstartModel } from "./lib.mjs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const storeArg = process.argv.indexOf("--store");
const storeDir = resolve(storeArg > 0 ? process.argv[storeArg + 1] : join(root, "bench", "results", "store"));
const { loadPortableModel } = await import(join(root, "dist/model/index.js"));
const { numberColumn, stringColumn, readTable } = await import(join(root, "dist/model/arrow.js"));

const { store, record } = await quickstartModel(root, storeDir);
const prefix = record.artifacts.prefix;
const model = await loadPortableModel(async (rel) => {
  const got = await store.get(`${prefix}/portable/${rel}`);
  return got.body;
});

// Inputs: the parity sample's rows (real data shapes: nulls, rare categories), cycled.
const parity = await store.get(`${prefix}/parity.arrow`);
const table = readTable(parity.body);
const cols = model.inputSchema.map((c) => [c.name, c.type === "double" ? numberColumn(table, c.name) : stringColumn(table, c.name)]);
const sampleRows = table.numRows;
const records = Array.from({ length: sampleRows }, (_, i) => Object.fromEntries(cols.map(([name, values]) => [name, values[i]])));

function bench(label, fn, rowsPerCall, seconds = 2) {
  // warm up, then measure for a fixed time
  for (let i = 0; i < 2000; i++) fn(i);
  let calls = 0;
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(seconds * 1e9);
  let now = t0;
  while (now < deadline) {
    for (let i = 0; i < 1000; i++) fn(calls++);
    now = process.hrtime.bigint();
  }
  const secs = Number(now - t0) / 1e9;
  const rate = (calls * rowsPerCall) / secs;
  console.log(`  ${label.padEnd(34)} ${(rate / 1e3).toFixed(0).padStart(7)}k rows/s   ${((secs / (calls * rowsPerCall)) * 1e6).toFixed(3)} us/row`);
  return rate;
}

console.log(`scorer: churn@${record.version} (${model.descriptor.stages.map((s) => s.kind).join(" -> ")})`);
const single = bench("single row, scoreRecord (JSON-like)", (i) => model.scoreRecord(records[i % sampleRows]), 1);
const values = records.map((r) => model.inputSchema.map((c) => r[c.name]));
bench("single row, scoreValues (positional)", (i) => model.scoreValues(values[i % sampleRows]), 1);

const batchRows = 100_000;
const batchCols = Object.fromEntries(cols.map(([name, v]) => [name, Array.from({ length: batchRows }, (_, i) => v[i % sampleRows])]));
const batchRate = (() => {
  model.scoreColumns(batchCols, batchRows);
  const times = [];
  for (let k = 0; k < 10; k++) {
    const t0 = process.hrtime.bigint();
    model.scoreColumns(batchCols, batchRows);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  const rate = batchRows / times[5];
  console.log(`  ${"100k-row batch, scoreColumns".padEnd(34)} ${(rate / 1e3).toFixed(0).padStart(7)}k rows/s   median of 10 batches`);
  return rate;
})();
console.log(`ratio single-row vs target 500k rows/s: ${(single / 500_000).toFixed(2)}x; MLeap's published ~24 us/row = ~42k rows/s: ${(single / (1e6 / 24)).toFixed(1)}x`);
console.log(`batch: ${(batchRate / 1e6).toFixed(2)}M rows/s`);
