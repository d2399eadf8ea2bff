#!/usr/bin/env node
// The driver JVM's class-data archive: `mlship train jobs/quickstart.yaml` with the archive against without it
// (MLSHIP_CLASS_ARCHIVE=off), interleaved, wall and CPU time (the children's, from /proc/self/stat on Linux), medians
// and the ratio; plus the one run that writes the archive. Usage: node bench/class-archive.mjs [runs=2]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 2);
const bin = join(root, "bin", "mlship");
const work = mkdtempSync(join(tmpdir(), "mlship-bench-cds-"));
const home = join(work, "home"); // a fresh MLSHIP_HOME: the first run writes its archive
const TICKS = 100; // USER_HZ on Linux

// CPU seconds of this process's waited-for children (and theirs), or NaN off Linux.
function childCpu() {
  if (!existsSync("/proc/self/stat")) return NaN;
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / TICKS; // cutime, cstime
}

// One quickstart train into its own store: wall and CPU seconds.
function train(env, name) {
  const cpu0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, "train", "jobs/quickstart.yaml", "--quiet", "--store", join(work, name)], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 3) throw new Error(`mlship train exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { wall, cpu: childCpu() - cpu0 };
}

const show = (label, t) => console.log(`  ${label.padEnd(28)} ${t.wall.toFixed(1).padStart(6)} s wall ${t.cpu.toFixed(1).padStart(6)} s CPU`);
try {
  console.log(`class-data archive, mlship train jobs/quickstart.yaml, ${runs} runs each interleaved (load average ${loadavg().map((l) => l.toFixed(1)).join(" ")})`);
  show("writing the archive (once)", train({ MLSHIP_HOME: home }, "write"));
  const off = [];
  const on = [];
  for (let i = 0; i < runs; i++) {
    off.push(train({ MLSHIP_HOME: home, MLSHIP_CLASS_ARCHIVE: "off" }, `off-${i}`));
    show(`without (run ${i + 1})`, off.at(-1));
    on.push(train({ MLSHIP_HOME: home }, `on-${i}`));
    show(`with (run ${i + 1})`, on.at(-1));
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  console.log(`  median wall ${m(on, "wall").toFixed(1)} s with, ${m(off, "wall").toFixed(1)} s without: ratio ${(m(on, "wall") / m(off, "wall")).toFixed(2)}`);
  console.log(`  median CPU  ${m(on, "cpu").toFixed(1)} s with, ${m(off, "cpu").toFixed(1)} s without: ratio ${(m(on, "cpu") / m(off, "cpu")).toFixed(2)}`);
  console.log(`  (load average now ${loadavg().map((l) => l.toFixed(1)).join(" ")})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
