#!/usr/bin/env node
// Bundles the CLI into one CommonJS file (dist/mlship.cjs) so `mlship` starts fast: one file to read,
// and bin/mlship can keep a V8 code cache for it. Heavy libraries that only some commands need stay
// external and load lazily (apache-arrow, fastify, prom-client, the AWS SDK).
import { build } from "esbuild";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [join(root, "src", "cli", "main.ts")],
  outfile: join(root, "dist", "mlship.cjs"),
  bundle: true,
  minify: true,
  sourcemap: "linked",
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  external: ["apache-arrow", "fastify", "prom-client", "@aws-sdk/*"],
  // Code written for ESM reads import.meta.url; the bundle maps it to where dist/cli/main.js would be.
  define: { "import.meta.url": "__mlshipModuleUrl", "import.meta.dirname": "__mlshipModuleDir" },
  banner: {
    js: "const __mlshipModuleDir = require('path').join(__dirname, 'cli'); const __mlshipModuleUrl = require('url').pathToFileURL(require('path').join(__mlshipModuleDir, 'main.js')).href;",
  },
});
