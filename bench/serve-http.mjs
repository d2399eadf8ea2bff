#!/usr/bin/env node
// Single-row predictions over HTTP (keep-alive, 32 connections, wrk with one thread): `mlship serve` with one
// worker against a minimal raw node:http server that parses the same JSON body and runs the same compiled
// scorer. Targets: >= 0.7x the raw server's requests/s, p99 <= 5 ms. Needs wrk (Debian: apt-get install wrk).
// The servers run on one core and wrk on another (taskset), so wrk never takes CPU from the server it
// measures; each server is warmed up first, then each round runs raw and serve back to back (in reverse
// order every other round); the medians, the median of the rounds' ratios and the servers' CPU time per
// request (steadier than req/s on a shared machine) are reported. --reference adds the issue's reference server (JSON.parse + a 32-feature dot
// product, bench/raw-server.mjs --dot32), to compare the machine with the issue's figure.
// Usage: node bench/serve-http.mjs [--seconds 10] [--warmup 5] [--rounds 3] [--connections 32]
// [--server-cpu 0] [--wrk-cpu 1] [--no-pin] [--reference] [--store DIR]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median, quickstartModel, SAMPLE_RECORD } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg("seconds", 10));
const warmupSeconds = Number(arg("warmup", 5));
const rounds = Number(arg("rounds", 3));
const connections = Number(arg("connections", 32));
const serverCpu = arg("server-cpu", "0");
const wrkCpu = arg("wrk-cpu", "1");
const storeDir = resolve(arg("store", join(root, "bench", "results", "store")));
if (spawnSync("wrk", ["--version"]).error) {
  console.error("wrk is not installed (Debian: apt-get install wrk)");
  process.exit(1);
}
const canPin = !process.argv.includes("--no-pin") && availableParallelism() >= 2 && !spawnSync("taskset", ["-c", "0", "true"]).error;
if (!canPin) console.log("note: not pinning (--no-pin, one core, or no taskset): wrk and the server share the CPU, so both figures are low");
// A command line, run on the given core when pinning.
const pinned = (cpu, cmd, args) => (canPin ? ["taskset", ["-c", cpu, cmd, ...args]] : [cmd, args]);

const { record } = await quickstartModel(root, storeDir);

const work = mkdtempSync(join(tmpdir(), "mlship-bench-http-"));
// A wrk script that POSTs `body` as JSON; returns its path.
function postScript(name, body) {
  const path = join(work, `${name}.lua`);
  writeFileSync(path, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(JSON.stringify(body))}\nwrk.headers["Content-Type"] = "application/json"\n`);
  return path;
}
const recordLua = postScript("record", { records: [SAMPLE_RECORD] });

const toMs = (value, unit) => Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];

const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;
// CPU seconds (user + system) a process has used so far, from /proc (Linux; null elsewhere).
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime, stime
  } catch {
    return null;
  }
}

// One wrk run against the server process `pid`: requests/s, p50 and p99 latency in ms, the server's CPU
// microseconds per request (steady under load from other processes, unlike requests/s), and the
// count of answers that were not 2xx.
function runWrk({ url, lua, pid }, duration) {
  const [cmd, args] = pinned(wrkCpu, "wrk", ["-t1", `-c${connections}`, `-d${duration}s`, "--latency", "-s", lua, url]);
  const cpuBefore = cpuSeconds(pid);
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  const cpuAfter = cpuSeconds(pid);
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const requests = Number(/(\d+) requests in/.exec(r.stdout)[1]);
  const cpuUsPerRequest = cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1e6) / requests;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)[1]);
  const p50 = /50%\s+([\d.]+)(us|ms|s)/.exec(r.stdout);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(r.stdout);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
  const errors = /Socket errors:.*/.exec(r.stdout)?.[0] ?? null;
  return { rps, p50ms: toMs(p50[1], p50[2]), p99ms: toMs(p99[1], p99[2]), cpuUsPerRequest, non2xx, errors };
}

// Starts a server process (pinned) and resolves with its port, found in its output by `portPattern`.
function startServer(args, portPattern, readyPattern) {
  const [cmd, argv] = pinned(serverCpu, process.execPath, args);
  const proc = spawn(cmd, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const port = new Promise((resolvePort, reject) => {
    let text = "";
    const onData = (d) => {
      text += d.toString();
      const m = portPattern.exec(text);
      if (m && readyPattern.test(text)) resolvePort(Number(m[1]));
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.on("exit", (code) => reject(new Error(`${args.slice(0, 2).join(" ")} exited ${code}: ${text}`)));
  });
  return { proc, port };
}

const raw = startServer([join(root, "bench", "raw-server.mjs"), storeDir, record.artifacts.prefix], /"port":(\d+)/, /"port"/);
const serve = startServer([join(root, "bin/mlship"), "serve", "--store", storeDir, "--model", `churn@${record.version}`, "--port", "0", "--workers", "1", "--json-logs"], /"url":"http:\/\/[^"]*:(\d+)"/, /"msg":"ready"/);
const reference = process.argv.includes("--reference") ? startServer([join(root, "bench", "raw-server.mjs"), "--dot32"], /"port":(\d+)/, /"port"/) : null;
const targets = [
  { name: "raw node:http + same scorer", url: `http://127.0.0.1:${await raw.port}/`, lua: recordLua, pid: raw.proc.pid, runs: [] },
  { name: "mlship serve (1 worker)", url: `http://127.0.0.1:${await serve.port}/v1/models/churn/predict`, lua: recordLua, pid: serve.proc.pid, runs: [] },
];
if (reference) {
  const features = Array.from({ length: 32 }, (_, i) => Math.round(Math.sin(i + 1) * 1e6) / 1e3);
  targets.push({ name: "reference: JSON + 32-dot", url: `http://127.0.0.1:${await reference.port}/`, lua: postScript("dot32", { features }), pid: reference.proc.pid, runs: [] });
}

const loadBefore = loadavg();
for (const t of targets) runWrk(t, warmupSeconds); // JIT, inline caches, heap sizes settle
// Rounds alternate the order (raw, serve, …; then …, serve, raw) so a load that drifts hits both alike.
for (let i = 0; i < rounds; i++) for (const t of i % 2 ? [...targets].reverse() : targets) t.runs.push(runWrk(t, seconds));
const loadAfter = loadavg();
for (const server of [raw, serve, reference]) server?.proc.kill("SIGTERM");
rmSync(work, { recursive: true, force: true });

const summary = targets.map((t) => ({
  ...t,
  rps: median(t.runs.map((r) => r.rps)),
  p50ms: median(t.runs.map((r) => r.p50ms)),
  p99ms: median(t.runs.map((r) => r.p99ms)),
  cpuUs: t.runs.some((r) => r.cpuUsPerRequest === null) ? null : median(t.runs.map((r) => r.cpuUsPerRequest)),
  non2xx: t.runs.reduce((n, r) => n + r.non2xx, 0),
}));
const [base, mine] = summary; // the reference, if any, is not part of the ratio
// Each round's ratio is of two runs next to each other in time; their median resists a load that comes and goes.
const roundRatios = mine.runs.map((r, i) => r.rps / base.runs[i].rps);
const ratio = median(roundRatios);
console.log(`single-row predictions, wrk -t1 -c${connections}, keep-alive, ${warmupSeconds} s warm-up, median of ${rounds} rounds of ${seconds} s`);
console.log(canPin ? `servers on cpu ${serverCpu}, wrk on cpu ${wrkCpu}` : "not pinned");
console.log(`load average before ${loadBefore.map((x) => x.toFixed(2)).join(" ")}, after ${loadAfter.map((x) => x.toFixed(2)).join(" ")}`);
for (const s of summary) {
  const cpu = s.cpuUs === null ? "" : `   server CPU ${s.cpuUs.toFixed(1)} us/request`;
  console.log(`  ${s.name.padEnd(30)} ${s.rps.toFixed(0).padStart(7)} req/s   p50 ${s.p50ms.toFixed(2)} ms   p99 ${s.p99ms.toFixed(2)} ms${cpu}   non-2xx ${s.non2xx}`);
  console.log(`    rounds: ${s.runs.map((r) => `${r.rps.toFixed(0)} req/s p99 ${r.p99ms.toFixed(2)} ms ${r.cpuUsPerRequest?.toFixed(1) ?? "?"} us`).join("; ")}${s.runs.some((r) => r.errors) ? `; ${s.runs.find((r) => r.errors).errors}` : ""}`);
}
if (base.cpuUs !== null && mine.cpuUs !== null) console.log(`  CPU per request: raw / serve = ${(base.cpuUs / mine.cpuUs).toFixed(2)}x (about the ratio requests/s would have, each with a quiet core)`);
const bestP99 = Math.min(...mine.runs.map((r) => r.p99ms));
console.log(`  ratio ${ratio.toFixed(2)}x, median of the rounds' ${roundRatios.map((r) => r.toFixed(2)).join(", ")} (target >= 0.7x: ${ratio >= 0.7 ? "met" : "NOT met"})`);
console.log(`  mlship p99 ${mine.p99ms.toFixed(2)} ms, best round ${bestP99.toFixed(2)} ms (target <= 5 ms: ${mine.p99ms <= 5 ? "met" : "NOT met"}; raw server's own p99 ${base.p99ms.toFixed(2)} ms)`);
if (summary.some((s) => s.non2xx)) {
  console.error("some answers were not 2xx: the figures do not measure predictions");
  process.exit(1);
}
process.exit(0);
