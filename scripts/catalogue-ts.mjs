#!/usr/bin/env node
// Writes src/catalogue/catalogue.generated.ts from spark-scripts/mlship_runtime/catalogue.json, as a typed `as const`
// literal (a JSON import would widen names to string). `--check` only says whether the file is current (exit 1 if not).
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CATALOGUE_JSON = join(root, "spark-scripts", "mlship_runtime", "catalogue.json");
export const CATALOGUE_TS = join(root, "src", "catalogue", "catalogue.generated.ts");

// The TypeScript module for a catalogue.json text: the algorithms in file order, and their names as a tuple.
export function renderCatalogueTs(jsonText) {
  const { algorithms } = JSON.parse(jsonText);
  return [
    "// Generated from spark-scripts/mlship_runtime/catalogue.json by scripts/catalogue-ts.mjs (npm run build): do not edit.",
    "// test/unit/catalogue.test.ts fails when this file is not current.",
    "",
    `export const ALGORITHM_NAMES = ${JSON.stringify(Object.keys(algorithms))} as const;`,
    "",
    // One line an algorithm: the JSON is the file to read; this copy only has to type-check.
    "export const CATALOGUE = {",
    ...Object.entries(algorithms).map(([name, entry]) => `  ${JSON.stringify(name)}: ${JSON.stringify(entry)},`),
    "} as const;",
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const want = renderCatalogueTs(readFileSync(CATALOGUE_JSON, "utf8"));
  let have = "";
  try {
    have = readFileSync(CATALOGUE_TS, "utf8");
  } catch {}
  if (process.argv.includes("--check")) {
    if (have !== want) {
      console.error(`${CATALOGUE_TS} is stale: run node scripts/catalogue-ts.mjs`);
      process.exit(1);
    }
  } else if (have !== want) writeFileSync(CATALOGUE_TS, want);
}
