#!/usr/bin/env node
// Runs every test (vitest: unit + integration; pytest: spark-scripts/) and ends with the plain line
// "N passed, N failed" that CI reads. Exits non-zero when anything failed or nothing ran.
//
// pytest runs alongside vitest, at a lower CPU priority (nice 10), with its output kept in test-results/pytest.log
// and printed after vitest's: vitest's integration files run one at a time and leave a core idle much of the time
// (JVM starts, Node-side certification), which pytest's one Spark session fills. MLSHIP_TEST_SERIAL=1 runs them one
// after the other instead. Arguments are passed to vitest and skip pytest (a subset run).
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const results = join(root, "test-results");
mkdirSync(results, { recursive: true });
const extra = process.argv.slice(2);
const serial = process.env.MLSHIP_TEST_SERIAL === "1";

// A child's exit: its status, or 1 when it died by a signal or could not start.
function run(command, args, stdio) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio });
    child.on("error", (e) => {
      console.error(`${command}: ${e.message}`);
      resolve(1);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

// vitest with its JSON reporter (counted), the default one (for people) and each file's wall time (for the CI budget).
const vitestJson = join(results, "vitest.json");
const fileTimes = join(results, "file-times.json");
function runVitest() {
  const reporters = ["--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`, "--reporter=./test/reporters/file-times.ts"];
  return run(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...reporters, ...extra], "inherit");
}

// The test files that took the most wall time (hooks included), to say where CI's time goes.
function printSlowestFiles(count) {
  if (!existsSync(fileTimes)) return;
  const times = JSON.parse(readFileSync(fileTimes, "utf8"));
  const total = times.reduce((sum, t) => sum + t.seconds, 0);
  console.log(`\nslowest test files (wall seconds, hooks included; all files: ${total.toFixed(0)} s; test-results/file-times.json):`);
  for (const t of times.slice(0, count)) console.log(`${t.seconds.toFixed(1).padStart(8)}  ${t.file}`);
}

// pytest for the PySpark side, its output in a log file (printed later), its counts in JUnit XML.
const junit = join(results, "pytest.xml");
const pytestLog = join(results, "pytest.log");
async function runPytest(quietly) {
  const py = join(root, ".venv", "bin", "python");
  const args = ["-m", "pytest", "spark-scripts/tests", "-q", `--junitxml=${junit}`];
  if (!quietly) return run(py, args, "inherit");
  const log = createWriteStream(pytestLog);
  const opened = new Promise((resolve) => log.on("open", resolve));
  await opened;
  const nice = existsSync("/usr/bin/nice") ? "/usr/bin/nice" : null;
  const status = await run(nice ?? py, nice ? ["-n", "10", py, ...args] : args, ["ignore", log, log]);
  await new Promise((resolve) => log.end(resolve));
  return status;
}

// Results of an earlier run must never be counted as this run's.
for (const file of [vitestJson, fileTimes, junit, pytestLog]) rmSync(file, { force: true });

let vitestStatus;
let pytestStatus = null;
if (extra.length > 0) {
  vitestStatus = await runVitest();
} else if (serial) {
  vitestStatus = await runVitest();
  pytestStatus = await runPytest(false);
} else {
  const pytestRun = runPytest(true);
  vitestStatus = await runVitest();
  console.log("\nvitest done; pytest ran alongside: its output follows (test-results/pytest.log)");
  pytestStatus = await pytestRun;
  if (existsSync(pytestLog)) process.stdout.write(readFileSync(pytestLog, "utf8"));
}

printSlowestFiles(12);

let vPassed = 0;
let vFailed = 0;
let vSkipped = 0;
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, "utf8"));
  vPassed = report.numPassedTests ?? 0;
  vFailed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  vSkipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load has no tests but must count as a failure.
  for (const suite of report.testResults ?? []) if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) vFailed++;
}
if (vitestStatus !== 0 && vFailed === 0) vFailed = 1; // vitest crashed or failed outside a test

let pPassed = 0;
let pFailed = 0;
let pSkipped = 0;
if (pytestStatus !== null) {
  if (existsSync(junit)) {
    const xml = readFileSync(junit, "utf8");
    const m = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? "";
    const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(m)?.[1] ?? 0);
    const total = attr("tests");
    pFailed = attr("failures") + attr("errors");
    pSkipped = attr("skipped");
    pPassed = total - pFailed - pSkipped;
  }
  if (pytestStatus !== 0 && pytestStatus !== 5 && pFailed === 0) pFailed = 1;
}

const passed = vPassed + pPassed;
const failed = vFailed + pFailed;
console.log(`\nvitest: ${vPassed} passed, ${vFailed} failed, ${vSkipped} skipped; pytest: ${pPassed} passed, ${pFailed} failed, ${pSkipped} skipped`);
// The closing line is exactly "N passed, N failed" (CI reads it); skips are counted in the line above.
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
