#!/usr/bin/env node
// A short run's JVM settings on `train`: the quickstart (logistic regression) and churn-forest (a 20-tree forest) on
// their 10,000 rows, trained with mlship's short-run settings (the default for small input: the JIT's fast tier, no
// whole-stage code generation) against the settings every train had before (C2 JIT, code generation), interleaved.
// Prints wall and CPU seconds (the whole process tree, from /usr/bin/time) and the ratios. Both sides run without the
// driver's class-data archive (MLSHIP_CLASS_ARCHIVE=off): the long side sets the driver's Java options, which turns
// it off, so the short side must not have it either.
// Usage: node bench/short-run.mjs [runs=2]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 2);
const TIME = "/usr/bin/time";
if (!existsSync(TIME)) throw new Error("this bench needs /usr/bin/time (Debian package `time`) to count the CPU of Spark's processes");

// The settings a train had before small input made it a short run: the JIT's full tiers and code generation.
const LONG = ["--set", "spark.conf.spark.sql.codegen.wholeStage=true", "--set", "spark.driver.javaOptions=-XX:TieredStopAtLevel=4"];
const settings = { long: LONG, short: [] };
const jobs = ["jobs/quickstart.yaml", "jobs/churn-forest.yaml"];

// One train into a fresh store: wall and CPU seconds of mlship and every process it started.
function train(job, extra) {
  const dir = mkdtempSync(join(tmpdir(), "mlship-bench-short-"));
  const out = join(dir, "time.txt");
  try {
    const r = spawnSync(TIME, ["-f", "%e %U %S", "-o", out, process.execPath, join(root, "bin", "mlship"), "train", job, "--store", join(dir, "store"), "--quiet", ...extra], { cwd: root, encoding: "utf8", env: { ...process.env, MLSHIP_CLASS_ARCHIVE: "off" } });
    if (r.status !== 0 && r.status !== 3) throw new Error(`mlship train ${job} ${extra.join(" ")} exited ${r.status}:\n${r.stderr}`);
    const [wall, user, sys] = readFileSync(out, "utf8").trim().split("\n").at(-1).split(" ").map(Number);
    return { wall, cpu: user + sys };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`train with the short run's settings against the long ones, ${runs} interleaved runs each (load average at start ${loadavg()[0].toFixed(1)})`);
for (const job of jobs) {
  const got = { long: [], short: [] };
  for (let i = 0; i < runs; i++) for (const [name, extra] of Object.entries(settings)) got[name].push(train(job, extra));
  const m = (name, key) => median(got[name].map((t) => t[key]));
  console.log(`  ${job}`);
  for (const name of ["long", "short"]) console.log(`    ${name.padEnd(5)} wall ${m(name, "wall").toFixed(1)} s   cpu ${m(name, "cpu").toFixed(1)} s`);
  console.log(`    long / short: wall ${(m("long", "wall") / m("short", "wall")).toFixed(2)}x   cpu ${(m("long", "cpu") / m("short", "cpu")).toFixed(2)}x`);
}
console.log(`load average at end ${loadavg()[0].toFixed(1)}`);
