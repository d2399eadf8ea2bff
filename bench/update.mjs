#!/usr/bin/env node
// mlship update against a full retrain, per mode, as the history grows: history H = 1x, 4x, 16x of a base size
// (50k, 200k, 800k rows), new data fixed (50k rows). For each mode and H: train the parent on the history, then time
// `mlship update` (the new rows only) and `mlship train` on history ∪ new (a full retrain), and score both on the
// same evaluation rows. Targets: update at 16x within 1.3x of update at 1x (flat in history); at 16x the update at
// least 5x faster than the retrain. Usage: node bench/update.mjs [base=50000] [modes=exact,laplace,continue,streaming] [scales=1,4,16]
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeCommand } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const base = Number(process.argv[2] ?? 50_000);
const modes = (process.argv[3] ?? "exact,laplace,continue,streaming").split(",");
const NEW_ROWS = base;
const EVAL_ROWS = 20_000;
const SCALES = (process.argv[4] ?? "1,4,16").split(",").map(Number);
const bin = join(root, "bin", "mlship");
const python = join(root, ".venv", "bin", "python");
const work = mkdtempSync(join(tmpdir(), "mlship-bench-update-"));

// One algorithm per mode, on the same generated columns.
const MODELS = {
  exact: { algorithm: "linear_regression", params: "{ regParam: 0.01, solver: normal }", label: "y", metric: "rmse" },
  laplace: { algorithm: "logistic_regression", params: "{ regParam: 0.01, maxIter: 100 }", label: "churned", metric: "auc" },
  continue: { algorithm: "gbt_classifier", params: "{ maxIter: 20, maxDepth: 4 }", label: "churned", metric: "auc" },
  streaming: { algorithm: "kmeans", params: "{ k: 5, seed: 1 }", label: null, metric: null },
};

function spec(dir, mode) {
  const m = MODELS[mode];
  const file = join(dir, `${mode}.yaml`);
  writeFileSync(file, [
    `name: bench-${mode}`,
    "model:",
    `  algorithm: ${m.algorithm}`,
    `  params: ${m.params}`,
    ...(m.label ? [`  label: ${m.label}`] : []),
    "  features:",
    "    numeric: [x1, x2, x3, x4, x5, x6, x7, x8]",
    ...(m.label ? ["    categorical: [c]"] : []),
    "    scale: true",
    "data:",
    `  train: ${join(dir, "data")}`,
    "  validation: { fraction: 0.2, seed: 5 }",
    "spark:",
    "  master: local[2]",
    "  conf: { spark.sql.shuffle.partitions: 4, spark.ui.enabled: false, spark.ui.showConsoleProgress: false }",
    "  driver: { memory: 4g }",
    `update: { mode: ${mode} }`,
    "",
  ].join("\n"));
  return file;
}

const run = (args) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });
  if (r.status !== 0 && r.status !== 3) throw new Error(`mlship ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
};
const timed = (args) => {
  try {
    return timeCommand(process.execPath, [bin, ...args], { cwd: root });
  } catch (err) {
    if (/exited 3/.test(String(err))) throw new Error(`${err}: a timed run must register (exit 0); exit 3 is not expected here`);
    throw err;
  }
};

// AUC of scores against 0/1 labels (ties averaged), and RMSE.
function auc(scores, labels) {
  const order = scores.map((s, i) => [s, labels[i]]).sort((a, b) => a[0] - b[0]);
  let rank = 0, pos = 0, sum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const avg = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (order[k][1] === 1) { sum += avg; pos++; }
    rank = j;
    i = j;
  }
  const neg = rank - pos;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}
const rmse = (p, y) => Math.sqrt(p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / p.length);

function quality(dir, store, ref, mode) {
  const m = MODELS[mode];
  if (!m.metric) return null;
  const out = join(dir, `${ref.replace("@", "-")}.jsonl`);
  run(["predict", ref, "-i", join(dir, "eval.arrow"), "-o", out, "--store", store]);
  const rows = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const y = rows.map((r) => r[m.label]);
  return m.metric === "rmse" ? rmse(rows.map((r) => r.prediction), y) : auc(rows.map((r) => r.probability[1]), y);
}

const results = [];
for (const scale of SCALES) {
  const history = base * scale;
  const dir = join(work, `h${scale}`);
  const data = join(dir, "data");
  const made = spawnSync(python, [join(root, "bench", "update-data.py"), data, String(history), String(NEW_ROWS), String(EVAL_ROWS), String(scale)], { stdio: "inherit" });
  if (made.status !== 0) throw new Error("generating the data failed");
  for (const mode of modes) {
    const file = spec(dir, mode);
    const parentStore = join(dir, `store-${mode}`);
    const fullStore = join(dir, `full-${mode}`);
    rmSync(join(data, "new.parquet"), { force: true });
    run(["train", file, "--quiet", "--store", parentStore]);
    copyFileSync(join(dir, "new.parquet"), join(data, "new.parquet"));
    const update = timed(["update", file, "--from", `bench-${mode}@1`, "--quiet", "--store", parentStore]);
    const retrain = timed(["train", file, "--quiet", "--store", fullStore]);
    const child = quality(dir, parentStore, `bench-${mode}@2`, mode);
    const full = quality(dir, fullStore, `bench-${mode}@1`, mode);
    results.push({ mode, scale, history, update, retrain, child, full });
    console.log(`${mode.padEnd(9)} H=${String(history).padStart(7)}  update ${(update / 1000).toFixed(1)} s  retrain ${(retrain / 1000).toFixed(1)} s  ratio ${(retrain / update).toFixed(2)}x` +
      (child === null ? "" : `  ${MODELS[mode].metric} update ${child.toFixed(5)} full ${full.toFixed(5)}`));
  }
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nmlship update vs full retrain; new data ${NEW_ROWS} rows; times in seconds`);
// One row per mode over the scales that ran; the two ratios need 1x and 16x.
const shown = SCALES.map((k) => `H=${k}x upd`.padStart(9));
console.log(`mode     ${shown.join(" ")}  16x/1x (<=1.3)  retrain@16x  retrain/update@16x (>=5)`);
for (const mode of modes) {
  const r = Object.fromEntries(results.filter((x) => x.mode === mode).map((x) => [x.scale, x]));
  const s = (ms) => (ms / 1000).toFixed(1).padStart(9);
  const cells = SCALES.map((k) => (r[k] ? s(r[k].update) : "-".padStart(9)));
  const flat = r[1] && r[16] ? `${(r[16].update / r[1].update).toFixed(2).padStart(8)}x` : "        -";
  const speed = r[16] ? `${s(r[16].retrain)}     ${(r[16].retrain / r[16].update).toFixed(2).padStart(8)}x` : "";
  console.log(`${mode.padEnd(8)} ${cells.join(" ")}   ${flat}      ${speed}`);
}
console.log("\nquality on the same evaluation rows (drawn like the new data): update vs full retrain");
for (const x of results.filter((r) => r.child !== null)) {
  const rel = Math.abs(x.child - x.full) / Math.abs(x.full);
  console.log(`${x.mode.padEnd(9)} H=${String(x.history).padStart(7)}  ${MODELS[x.mode].metric} ${x.child.toFixed(5)} vs ${x.full.toFixed(5)}  (relative gap ${(rel * 100).toFixed(3)}%)`);
}
rmSync(work, { recursive: true, force: true });
