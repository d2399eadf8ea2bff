// Small helpers shared by the benchmarks: timing commands, medians, percentiles, printing.
import { spawnSync } from "node:child_process";

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// Wall time of one command in milliseconds; throws when it fails.
export function timeCommand(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: opts.stdio ?? "ignore", encoding: "utf8", ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr ?? ""}`);
  return ms;
}

// Runs the commands interleaved (a, b, a, b, …) so drift affects all alike; returns each one's timings.
export function interleave(commands, runs) {
  const times = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach(([cmd, args, opts], k) => times[k].push(timeCommand(cmd, args, opts)));
  return times;
}

export const fmt = (ms) => `${ms.toFixed(1)} ms`;

// The newest churn version in a local store, training the quickstart job into it first when it has none.
export async function quickstartModel(root, storeDir) {
  const { join } = await import("node:path");
  const { LocalStore } = await import(join(root, "dist/store/index.js"));
  const { resolveModelRef } = await import(join(root, "dist/registry/index.js"));
  const store = new LocalStore(storeDir);
  let record = await resolveModelRef(store, "churn@latest");
  if (!record) {
    console.log(`no churn model in ${storeDir}; training the quickstart job once…`);
    const r = spawnSync(process.execPath, [join(root, "bin/mlship"), "train", "jobs/quickstart.yaml", "--quiet", "--store", storeDir], { cwd: root, stdio: "inherit" });
    if (r.status !== 0 && r.status !== 3) throw new Error(`training the quickstart job failed (exit ${r.status})`);
    record = await resolveModelRef(store, "churn@latest");
  }
  return { store, record };
}

// Starts `mlship serve` (the built CLI) on a free port and waits until it is ready; returns the process and its port.
export async function startServe(root, args, env = {}) {
  const { spawn } = await import("node:child_process");
  const { join } = await import("node:path");
  const proc = spawn(process.execPath, [join(root, "bin/mlship"), "serve", "--port", "0", "--json-logs", ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });
  let text = "";
  const port = await new Promise((resolvePort, reject) => {
    proc.stderr.on("data", (d) => {
      text += d.toString();
      const m = /"url":"http:\/\/[^"]*:(\d+)"/.exec(text);
      if (m && /"msg":"ready"/.test(text)) resolvePort(Number(m[1]));
    });
    proc.on("exit", (code) => reject(new Error(`mlship serve exited ${code}: ${text}`)));
  });
  return { proc, port, logs: () => text };
}

// Stops a process started by startServe and waits for it to exit.
export function stopServe(server) {
  return new Promise((resolve) => {
    if (server.proc.exitCode !== null) return resolve();
    server.proc.on("exit", () => resolve());
    server.proc.kill("SIGTERM");
  });
}

// Sends `n` requests one after another on one keep-alive connection; returns each latency in ms.
export async function sequentialLatencies(port, path, body, n, contentType = "application/json") {
  const { Agent, request } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = request({ host: "127.0.0.1", port, path, method: "POST", agent, headers: { "content-type": contentType, "content-length": Buffer.byteLength(body) } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(new Error(`${path} answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`));
          resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: Buffer.concat(chunks) });
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  const out = [];
  for (let i = 0; i < n; i++) out.push((await once()).ms);
  agent.destroy();
  return out;
}

// The quickstart record every serving benchmark sends.
export const SAMPLE_RECORD = { tenure_months: 12, monthly_charges: 70.5, total_charges: 846.0, support_calls: 2, contract: "month-to-month", payment_method: "electronic_check", region: "north" };
