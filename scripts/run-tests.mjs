#!/usr/bin/env node
// Runs every test (vitest: unit + integration; pytest: spark-scripts/) and ends with the plain
// line "N passed, N failed" that CI reads. Exits non-zero when anything failed or nothing ran.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const results = join(root, "test-results");
mkdirSync(results, { recursive: true });
const extra = process.argv.slice(2);

// vitest with its JSON reporter (counted) and the default one (for people).
const vitestJson = join(results, "vitest.json");
const vitest = spawnSync(
  process.execPath,
  [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`, ...extra],
  { cwd: root, stdio: "inherit" },
);
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
if (vitest.status !== 0 && vFailed === 0) vFailed = 1; // vitest crashed or failed outside a test

// pytest for the PySpark side, summarised from its JUnit XML.
let pPassed = 0;
let pFailed = 0;
let pSkipped = 0;
if (extra.length === 0) {
  const junit = join(results, "pytest.xml");
  const py = join(root, ".venv", "bin", "python");
  const pytest = spawnSync(py, ["-m", "pytest", "spark-scripts/tests", "-q", `--junitxml=${junit}`], { cwd: root, stdio: "inherit" });
  if (existsSync(junit)) {
    const xml = readFileSync(junit, "utf8");
    const m = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? "";
    const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(m)?.[1] ?? 0);
    const total = attr("tests");
    pFailed = attr("failures") + attr("errors");
    pSkipped = attr("skipped");
    pPassed = total - pFailed - pSkipped;
  }
  if (pytest.status !== 0 && pytest.status !== 5 && pFailed === 0) pFailed = 1;
}

const passed = vPassed + pPassed;
const failed = vFailed + pFailed;
console.log(`\nvitest: ${vPassed} passed, ${vFailed} failed, ${vSkipped} skipped; pytest: ${pPassed} passed, ${pFailed} failed, ${pSkipped} skipped`);
// The closing line is exactly "N passed, N failed" (CI reads it); skips are counted in the line above.
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
