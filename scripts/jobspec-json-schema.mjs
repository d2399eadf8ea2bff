#!/usr/bin/env node
// Writes schema/mlship-job.schema.json: the job spec as a JSON Schema for editors (src/jobspec/json-schema.ts), with
// descriptions from docs/spec.md. Run after changing the spec's schema or docs/spec.md (`npm run build` does);
// `--check` only says whether the file is current (exit 1 if not). test/unit/jobspec-json-schema.test.ts checks it too.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(root, "schema", "mlship-job.schema.json");

// The TypeScript sources, bundled in memory (the zod schema is TypeScript; dist/ may be stale).
const entry = `import { jobSpecJsonSchema, fieldDocs } from "./src/jobspec/json-schema.ts";
export const render = (doc) => JSON.stringify(jobSpecJsonSchema(fieldDocs(doc)), null, 2) + "\\n";`;
const out = await build({ stdin: { contents: entry, resolveDir: root, loader: "ts" }, bundle: true, write: false, format: "esm", platform: "node", logLevel: "warning" });
const { render } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
const want = render(readFileSync(join(root, "docs", "spec.md"), "utf8"));
let have = "";
try {
  have = readFileSync(OUT, "utf8");
} catch {
  /* not written yet */
}
if (process.argv.includes("--check")) {
  if (have !== want) {
    console.error(`${OUT} is not current: run node scripts/jobspec-json-schema.mjs`);
    process.exit(1);
  }
} else if (have !== want) {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, want);
}
