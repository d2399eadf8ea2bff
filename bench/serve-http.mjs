#!/usr/bin/env node
// Single-row predictions over HTTP (keep-alive, 32 connections, wrk): `mlship serve` with one worker
// against a minimal raw node:http server that runs the same compiled scorer on the same JSON body.
// Targets: >= 0.7x the raw server's requests/s, p99 <= 5 ms. Needs wrk (Debian: apt-get install wrk).
// Usage: node bench/serve-http.mjs [--seconds 10] [--store DIR]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { quickstartModel } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg("seconds", 10));
const storeDir = resolve(arg("store", join(root, "bench", "results", "store")));
if (spawnSync("wrk", ["--version"]).error) {
  console.error("wrk is not installed (Debian: apt-get install wrk)");
  process.exit(1);
}

const { record } = await quickstartModel(root, storeDir);

const body = JSON.stringify({
  records: [{ tenure_months: 12, monthly_charges: 70.5, total_charges: 846.0, support_calls: 2, contract: "month-to-month", payment_method: "electronic_check", region: "north" }],
});
const work = mkdtempSync(join(tmpdir(), "mlship-bench-http-"));
const lua = join(work, "post.lua");
writeFileSync(lua, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`);

// wrk's summary: requests/s and the 99th percentile latency in ms.
function runWrk(url) {
  const r = spawnSync("wrk", ["-t1", "-c32", `-d${seconds}s`, "--latency", "-s", lua, url], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(r.stdout);
  const p99ms = Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]];
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
  return { rps, p99ms, non2xx };
}

// Baseline in its own process (wrk runs synchronously here, so nothing may serve from this process).
const rawProc = spawn(process.execPath, [join(root, "bench", "raw-server.mjs"), storeDir, record.artifacts.prefix], { stdio: ["ignore", "pipe", "inherit"] });
const rawPort = await new Promise((resolvePort) => {
  let text = "";
  rawProc.stdout.on("data", (d) => {
    text += d.toString();
    const m = /"port":(\d+)/.exec(text);
    if (m) resolvePort(Number(m[1]));
  });
});

const serve = spawn(process.execPath, [join(root, "bin/mlship"), "serve", "--store", storeDir, "--model", `churn@${record.version}`, "--port", "0", "--json-logs"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
const servePort = await new Promise((resolvePort, reject) => {
  let text = "";
  const onData = (d) => {
    text += d.toString();
    const m = /"url":"http:\/\/[^"]*:(\d+)"/.exec(text);
    if (m) resolvePort(Number(m[1]));
  };
  serve.stdout.on("data", onData);
  serve.stderr.on("data", onData);
  serve.on("exit", (code) => reject(new Error(`mlship serve exited ${code}: ${text}`)));
});
for (let i = 0; i < 100; i++) {
  const r = await fetch(`http://127.0.0.1:${servePort}/v2/health/ready`).catch(() => null);
  if (r?.status === 200) break;
  await new Promise((r) => setTimeout(r, 100));
}

// Warm both, then measure each once (sequentially, so they never share the CPU).
runWrk(`http://127.0.0.1:${rawPort}/`);
const base = runWrk(`http://127.0.0.1:${rawPort}/`);
runWrk(`http://127.0.0.1:${servePort}/v1/models/churn/predict`);
const mine = runWrk(`http://127.0.0.1:${servePort}/v1/models/churn/predict`);
serve.kill("SIGTERM");
rawProc.kill("SIGTERM");

console.log(`single-row predictions, wrk -t1 -c32 -d${seconds}s, keep-alive`);
console.log(`  raw node:http + same scorer   ${base.rps.toFixed(0).padStart(7)} req/s   p99 ${base.p99ms.toFixed(2)} ms   non-2xx ${base.non2xx}`);
console.log(`  mlship serve (1 worker)       ${mine.rps.toFixed(0).padStart(7)} req/s   p99 ${mine.p99ms.toFixed(2)} ms   non-2xx ${mine.non2xx}`);
console.log(`  ratio ${(mine.rps / base.rps).toFixed(2)}x (target >= 0.7x), p99 ${mine.p99ms <= 5 ? "<=" : ">"} 5 ms`);
process.exit(0);
