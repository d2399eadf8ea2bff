#!/usr/bin/env node
// Arrow batch route: rows per second for 100k-row Arrow IPC batches POSTed to `mlship serve`
// (/v1/models/churn/predict, Arrow in and out), against the baseline of the same model's column-wise
// scorer (CompiledModel.scoreColumns) in-process on the same rows. Target >= 1M rows/s over HTTP.
// Also the cost of checking each body before decoding it (src/arrow-guard): the same server with the check
// turned off (MLSHIP_BENCH_UNCHECKED_ARROW=1, a bench-only switch) runs alternately with it on; the issue
// allows the check at most 5% of the Arrow batch throughput.
// Usage: node bench/serve-arrow.mjs [--rows 100000] [--runs 10] [--rounds 3] [--store DIR]
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median, quickstartModel, sequentialLatencies, startServe, stopServe } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rows = Number(arg("rows", 100_000));
const runs = Number(arg("runs", 10));
const rounds = Number(arg("rounds", 3));
const storeDir = resolve(arg("store", join(root, "bench", "results", "store")));
const { store, record } = await quickstartModel(root, storeDir);
const { Table, Utf8, Float64, tableToIPC, vectorFromArray } = await import("apache-arrow");
const { loadStoredModel } = await import(join(root, "dist/certify/index.js"));

// The batch: the quickstart columns with varied values, a few nulls and an unseen category.
const pick = (xs, i) => xs[i % xs.length];
const columns = {
  tenure_months: Array.from({ length: rows }, (_, i) => i % 72),
  monthly_charges: Array.from({ length: rows }, (_, i) => 18 + ((i * 7) % 100) + 0.25),
  total_charges: Array.from({ length: rows }, (_, i) => (i % 50 === 0 ? null : ((i * 13) % 8000) + 0.5)),
  support_calls: Array.from({ length: rows }, (_, i) => i % 6),
  contract: Array.from({ length: rows }, (_, i) => pick(["month-to-month", "one-year", "two-year", "month-to-month", "lifetime"], i)),
  payment_method: Array.from({ length: rows }, (_, i) => pick(["electronic_check", "bank_transfer", "credit_card", "mailed_check"], i)),
  region: Array.from({ length: rows }, (_, i) => pick(["north", "south", "east", "west", null], i)),
};
const scorer = await loadStoredModel(store, record.artifacts.prefix);
const vectors = Object.fromEntries(scorer.inputSchema.map((c) => [c.name, vectorFromArray(columns[c.name], c.type === "double" ? new Float64() : new Utf8())]));
const body = Buffer.from(tableToIPC(new Table(vectors), "stream"));

// Baseline: in-process column-wise scoring of the same rows (no HTTP, no Arrow decoding or encoding):
// numeric columns without nulls as Float64Array, as the server hands them over; the others as plain arrays
// (the server hands over coded strings and typed nullable numbers instead, which the scorer reads faster).
for (const [name, col] of Object.entries(columns)) if (col.every((x) => typeof x === "number")) columns[name] = Float64Array.from(col);
for (let i = 0; i < 3; i++) scorer.scoreColumns(columns, rows);
const inProcess = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  scorer.scoreColumns(columns, rows);
  inProcess.push(performance.now() - t0);
}

// The check alone, in-process, on the same body.
const { checkArrowIpc } = await import(join(root, "dist/arrow-guard/index.js"));
for (let i = 0; i < 3; i++) checkArrowIpc(body, { maxRows: 1e9 });
const checkOnly = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  checkArrowIpc(body, { maxRows: 1e9 });
  checkOnly.push(performance.now() - t0);
}

// The route's whole Arrow work in-process (check, decode, score, encode: predictArrow), with the check on and
// off alternately: the same comparison without HTTP and its noise.
const { predictArrow } = await import(join(root, "dist/serve/protocol/arrow.js"));
const { servedVersion } = await import(join(root, "dist/serve/runtime/served.js"));
const served = servedVersion(record, scorer, new Date());
const limits = { maxRows: Math.max(rows, 1), maxColumns: 1000, maxOutputBytes: 2 ** 40 };
const routeChecked = [];
const routeUnchecked = [];
for (let i = 0; i < 3 + 4 * rounds * runs; i++) {
  for (const off of i % 2 === 0 ? [false, true] : [true, false]) {
    const t0 = performance.now();
    predictArrow(served, body, undefined, off ? { ...limits, uncheckedArrow: true } : limits);
    if (i >= 3) (off ? routeUnchecked : routeChecked).push(performance.now() - t0);
  }
}

// Over HTTP: the server as shipped (checked) and the same server with the check off, alternating rounds.
const serveArgs = ["--store", storeDir, "--model", `churn@${record.version}`, "--body-limit", "256mb", "--max-rows", String(Math.max(rows, 1))];
const checked = await startServe(root, serveArgs);
const unchecked = await startServe(root, serveArgs, { MLSHIP_BENCH_UNCHECKED_ARROW: "1" });
const ARROW = "application/vnd.apache.arrow.stream";
const overHttp = [];
const overHttpUnchecked = [];
for (const s of [checked, unchecked]) await sequentialLatencies(s.port, "/v1/models/churn/predict", body, 3, ARROW); // warm-up
// One request to each in turn (the order swapped every time), so load from elsewhere falls on both alike.
for (let i = 0; i < rounds * runs; i++) {
  const pair = i % 2 === 0 ? [checked, unchecked] : [unchecked, checked];
  for (const s of pair) (s === checked ? overHttp : overHttpUnchecked).push(...(await sequentialLatencies(s.port, "/v1/models/churn/predict", body, 1, ARROW)));
}
await stopServe(checked);
await stopServe(unchecked);

const rate = (ms) => (rows / ms) * 1000;
const fmtRate = (ms) => `${(rate(ms) / 1e6).toFixed(2)}M rows/s`;
console.log(`Arrow batches of ${rows} rows (${(body.length / 1e6).toFixed(1)} MB in), median of ${runs} (HTTP: of ${rounds * runs}, the two servers alternating request by request)`);
console.log(`  in-process scoreColumns (baseline)        ${median(inProcess).toFixed(1).padStart(7)} ms   ${fmtRate(median(inProcess))}`);
console.log(`  mlship serve, Arrow in and out over HTTP  ${median(overHttp).toFixed(1).padStart(7)} ms   ${fmtRate(median(overHttp))}`);
console.log(`  the same, body check off (unvalidated)    ${median(overHttpUnchecked).toFixed(1).padStart(7)} ms   ${fmtRate(median(overHttpUnchecked))}`);
console.log(`  the body check alone, in-process          ${median(checkOnly).toFixed(2).padStart(7)} ms`);
console.log(`  predictArrow in-process, checked          ${median(routeChecked).toFixed(1).padStart(7)} ms   ${fmtRate(median(routeChecked))}`);
console.log(`  predictArrow in-process, check off        ${median(routeUnchecked).toFixed(1).padStart(7)} ms   ${fmtRate(median(routeUnchecked))}`);
console.log(`  check's cost in-process: ${(100 * (1 - median(routeUnchecked) / median(routeChecked))).toFixed(1)}% of the route's Arrow throughput`);
const cost = 1 - rate(median(overHttp)) / rate(median(overHttpUnchecked));
console.log(`  check's cost: ${(100 * cost).toFixed(1)}% of Arrow batch throughput over HTTP (checked/unchecked ${(rate(median(overHttp)) / rate(median(overHttpUnchecked))).toFixed(3)}); in-process ${((100 * median(checkOnly)) / median(overHttp)).toFixed(1)}% of a request; limit 5%`);
console.log(`  ratio ${(rate(median(overHttp)) / rate(median(inProcess))).toFixed(2)}x of in-process; ${rate(median(overHttp)) >= 1e6 ? "meets" : "misses"} the 1M rows/s target`);
