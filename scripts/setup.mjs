#!/usr/bin/env node
// Idempotent set-up: npm packages, the TypeScript build, the Python venv with pinned
// pyspark/pyarrow/numpy, the example data, a Java >= 17 check, and (as root, via apt-get) Debian's
// chromium and wrk for the status page test and the HTTP benchmarks. Uses only Node built-ins,
// so it runs on a fresh clone before `npm ci`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { newestMtime, packRuntimeZip, runtimeZipStale } from "./runtime-zip.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quiet = process.argv.includes("--quiet");
const say = (msg) => process.stderr.write(`setup: ${msg}\n`);
const note = (msg) => quiet || say(msg);

// Runs a command with inherited output; stops set-up with its message on failure.
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: opts.capture ? "pipe" : ["ignore", "inherit", "inherit"], encoding: "utf8", ...opts });
  if (r.error || r.status !== 0) {
    if (opts.allowFail) return r;
    say(`failed: ${cmd} ${args.join(" ")}${r.error ? ` (${r.error.message})` : ""}`);
    process.exit(1);
  }
  return r;
}

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

function checkJava() {
  const javaHome = process.env.JAVA_HOME;
  const java = javaHome ? join(javaHome, "bin", "java") : "java";
  const r = spawnSync(java, ["-version"], { encoding: "utf8" });
  const text = `${r.stderr ?? ""}${r.stdout ?? ""}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = m ? (Number(m[1]) === 1 ? Number(m[2]) : Number(m[1])) : 0;
  if (r.error || major < 17) {
    say(
      r.error
        ? `Java was not found (${java}). Spark 4 needs Java 17 or newer: install it (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME.`
        : `Java ${major} found at ${java}, but Spark 4 needs Java 17 or newer: install it or point JAVA_HOME at one.`,
    );
    process.exit(1);
  }
}

function ensureNpm() {
  const stamp = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs) return;
  note("installing npm packages (npm ci)");
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
}

function ensureBuild() {
  const stamp = join(root, "dist", ".build-stamp");
  const catalogue = join(root, "spark-scripts", "mlship_runtime", "catalogue.json");
  const srcTime = Math.max(newestMtime(join(root, "src")), statSync(join(root, "tsconfig.json")).mtimeMs, statSync(catalogue).mtimeMs);
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= srcTime) return;
  note("building TypeScript (the algorithm catalogue, the spec's shape, tsc, then the CLI bundle)");
  run(process.execPath, [join(root, "scripts", "catalogue-ts.mjs")]);
  run(process.execPath, [join(root, "scripts", "jobspec-shape.mjs")]);
  run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]);
  run(process.execPath, [join(root, "scripts", "bundle.mjs")]);
  writeFileSync(stamp, new Date().toISOString());
}

// Finds a Python >= 3.10 to create the venv with.
function findPython() {
  for (const candidate of [process.env.MLSHIP_PYTHON, "python3.11", "python3.12", "python3", "python"].filter(Boolean)) {
    const r = spawnSync(candidate, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
    if (r.status === 0) {
      const [maj, min] = r.stdout.trim().split(".").map(Number);
      if (maj === 3 && min >= 10) return candidate;
    }
  }
  say("Python 3.10 or newer was not found; install python3 (with venv) or set MLSHIP_PYTHON.");
  process.exit(1);
}

function ensureVenv() {
  const venv = join(root, ".venv");
  const py = join(venv, "bin", "python");
  const reqs = join(root, "spark-scripts", "requirements.txt");
  const stamp = join(venv, ".mlship-requirements.sha256");
  const want = sha256(reqs);
  if (existsSync(py) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) return;
  if (!existsSync(py)) {
    note("creating the Python venv (.venv)");
    run(findPython(), ["-m", "venv", venv]);
  }
  note("installing pinned Python packages (pyspark, pyarrow, numpy, pytest); the first time downloads ~450 MB");
  run(py, ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", reqs]);
  writeFileSync(stamp, `${want}\n`);
}

function ensureExampleData() {
  const out = join(root, "data");
  const gen = join(root, "spark-scripts", "examples", "generate_data.py");
  const stamp = join(out, ".generator.sha256");
  const want = sha256(gen);
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) return;
  note("generating the example data (data/)");
  run(join(root, ".venv", "bin", "python"), [gen, "--out", out]);
  writeFileSync(stamp, `${want}\n`);
}

// Debian's chromium (the page tests drive it with playwright-core, test/helpers/browser.ts) and wrk (the HTTP benchmarks).
// Installed with apt-get only on Linux, as root, with apt-get present (Debian/Ubuntu); otherwise a message says what is missing,
// and the Chromium test fails naming it.
function ensureBrowserAndWrk() {
  const missing = [];
  if (!existsSync("/usr/bin/chromium")) missing.push("chromium");
  if (spawnSync("wrk", ["--version"]).error) missing.push("wrk");
  if (missing.length === 0) return;
  const canApt = process.platform === "linux" && process.getuid?.() === 0 && !spawnSync("apt-get", ["--version"], { stdio: "ignore" }).error;
  if (!canApt) {
    say(`${missing.join(" and ")} not installed; the status page test needs /usr/bin/chromium and the HTTP benchmarks need wrk (Debian: sudo apt-get install -y --no-install-recommends chromium wrk)`);
    return;
  }
  note(`installing ${missing.join(" and ")} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { stdio: quiet ? "ignore" : ["ignore", "inherit", "inherit"], env });
  let r = install();
  if (r.status !== 0) {
    spawnSync("apt-get", ["update", "-q"], { stdio: quiet ? "ignore" : ["ignore", "inherit", "inherit"], env }); // package lists can be stale or absent
    r = install();
  }
  if (r.status !== 0) say(`apt-get could not install ${missing.join(" and ")}; the status page test and the HTTP benchmarks will fail until they are installed`);
}

// The runtime package as a zip, shipped with --py-files when the driver runs on the cluster.
function ensureRuntimeZip() {
  if (!runtimeZipStale(root)) return;
  note("packing spark-scripts/build/mlship_runtime.zip");
  const r = packRuntimeZip(root, join(root, ".venv", "bin", "python"));
  if (r.error || r.status !== 0) {
    say(`failed: packing spark-scripts/build/mlship_runtime.zip${r.error ? ` (${r.error.message})` : ""}`);
    process.exit(1);
  }
}

checkJava();
ensureNpm();
ensureBuild();
ensureVenv();
ensureRuntimeZip();
ensureExampleData();
ensureBrowserAndWrk();
note("ready");
