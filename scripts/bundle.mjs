#!/usr/bin/env node
// Bundles the CLI into one CommonJS file (dist/mlship.cjs) so `mlship` starts fast: one file to read,
// and bin/mlship can keep a V8 code cache for it. Heavy libraries that only some commands need stay
// external and load lazily (apache-arrow, fastify, prom-client, the AWS SDK).
import { build } from "esbuild";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// Start-up trims: modules the bundle would evaluate on every run although no command uses them.
const startupTrims = {
  name: "startup-trims",
  setup(b) {
    // commander requires node:child_process (with net, dgram and streams behind it) only to run executable
    // subcommands, which mlship has none of: load it on first use instead.
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: "lazy-child-process", namespace: "startup-trims" } : undefined));
    b.onLoad({ filter: /^lazy-child-process$/, namespace: "startup-trims" }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, key) => require("node:child_process")[key] });',
      loader: "js",
    }));
    // zod re-exports every message locale (z.locales); mlship uses only English, which zod imports on its own.
    b.onResolve({ filter: /[\\/]locales[\\/]index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "startup-trims" } : undefined));
    b.onLoad({ filter: /^zod-locales$/, namespace: "startup-trims" }, () => ({ contents: "export {};", loader: "js" }));
  },
};
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
  plugins: [startupTrims],
  external: ["apache-arrow", "fastify", "prom-client", "@aws-sdk/*"],
  // Code written for ESM reads import.meta.url; the bundle maps it to where dist/cli/main.js would be.
  define: { "import.meta.url": "__mlshipModuleUrl", "import.meta.dirname": "__mlshipModuleDir" },
  banner: {
    js: "const __mlshipModuleDir = require('path').join(__dirname, 'cli'); const __mlshipModuleUrl = require('url').pathToFileURL(require('path').join(__mlshipModuleDir, 'main.js')).href;",
  },
});
