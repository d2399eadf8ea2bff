#!/usr/bin/env node
// Writes src/jobspec/shape.generated.ts: the plain description of the job spec's zod schema (src/jobspec/shape.ts)
// that the loader checks specs against without building zod. Run it after changing src/jobspec/schema-define.ts;
// `--check` only says whether the file is current (exit 1 if not). test/unit/jobspec-shape.test.ts checks it too.
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SHAPE_TS = join(root, "src", "jobspec", "shape.generated.ts");

// The module text for a Shape.
export function renderShapeTs(shape) {
  return [
    "// Generated from src/jobspec/schema-define.ts by scripts/jobspec-shape.mjs: do not edit.",
    "// test/unit/jobspec-shape.test.ts fails when this file is not current.",
    'import type { Shape } from "./shape.js";',
    "",
    `export const JOB_SPEC_SHAPE: Shape = ${JSON.stringify(shape, null, 1).replace(/\n\s*/g, " ")};`,
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // The TypeScript sources, bundled in memory (the zod schema is TypeScript; dist/ may be stale).
  const entry = `import { specSchemas } from "./src/jobspec/schema-define.ts"; import { describeShape } from "./src/jobspec/shape-describe.ts";
export const shape = describeShape(specSchemas().jobSpecSchema);`;
  const out = await build({ stdin: { contents: entry, resolveDir: root, loader: "ts" }, bundle: true, write: false, format: "esm", platform: "node", logLevel: "warning" });
  const { shape } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
  const want = renderShapeTs(shape);
  let have = "";
  try {
    have = readFileSync(SHAPE_TS, "utf8");
  } catch {
    /* not written yet */
  }
  if (process.argv.includes("--check")) {
    if (have !== want) {
      console.error(`${SHAPE_TS} is not current: run node scripts/jobspec-shape.mjs`);
      process.exit(1);
    }
  } else if (have !== want) {
    writeFileSync(SHAPE_TS, want);
  }
}
