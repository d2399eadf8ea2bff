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
