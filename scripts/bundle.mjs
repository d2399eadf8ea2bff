#!/usr/bin/env node
// Bundles the CLI into one CommonJS file (dist/mlship.cjs) so `mlship` starts fast: one file to read,
// and bin/mlship can keep a V8 code cache for it. Heavy libraries that only some commands need stay
// external and load lazily (apache-arrow, fastify, prom-client, the AWS SDK).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// Node built-ins loaded on first use instead of at start-up. commander requires child_process (and with it net,
// dgram and streams) only to run executable subcommands, which mlship has none of. Its stand-in is a CommonJS proxy.
const LAZY_BUILTINS = ["child_process"];
const lazyBuiltin = (name) => `const load = () => require("node:${name}");
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => ({ ...Reflect.getOwnPropertyDescriptor(load(), key), configurable: true }),
});`;
// Built-ins that ES modules import by name: a proxy would not do (esbuild's namespace copy reads every key, which
// loads the module), so the stand-in is an ES module of functions that load the built-in when first called. A name
// that is not a function (fs/promises' `constants`) is left out, and importing it fails the build. fs/promises: the
// stores import it at the top, and `plan` and `validate` load the store modules without reading a file through them.
const LAZY_ESM_BUILTINS = ["fs/promises"];
const lazyEsmBuiltin = async (name) => {
  const names = Object.entries(await import(`node:${name}`)).filter(([key, value]) => key !== "default" && typeof value === "function");
  return [`const load = () => require("node:${name}");`, ...names.map(([key]) => `export function ${key}(...args) { return load().${key}(...args); }`)].join("\n");
};
const LAZY_NAMES = [...LAZY_BUILTINS, ...LAZY_ESM_BUILTINS];

// Libraries bundled into a file of their own (dist/<name>.cjs), loaded when a module that imports one is first
// evaluated. zod is half the bundle (~450 KB) and neither `--help` nor `plan` of a valid spec uses it (the spec's
// precompiled check, src/jobspec/shape-parse.ts); every command pays for the bundle's size, in reading it and in
// loading its code cache. bin/mlship loads a chunk with its own code cache, as it loads the bundle. log-update (and its
// ANSI helpers, ~40 KB) draws the status line of `train` and `update` on a terminal only.
const CHUNKS = ["zod", "log-update"];
const chunkStandIn = (name) => `const load = globalThis[Symbol.for("mlship.loadChunk")];
module.exports = load ? load(${JSON.stringify(name)}) : require("./${name}.cjs");`;

// Start-up trims: modules the bundle would otherwise evaluate on every run although the command does not use them.
const startupTrims = {
  name: "startup-trims",
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(node:)?(${LAZY_NAMES.join("|")})$`) }, (args) =>
      // The stand-in's own require() is the real built-in.
      args.namespace === "lazy-builtin" ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ""), namespace: "lazy-builtin" },
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, async (args) => ({
      contents: LAZY_ESM_BUILTINS.includes(args.path) ? await lazyEsmBuiltin(args.path) : lazyBuiltin(args.path),
      loader: "js",
    }));
    b.onResolve({ filter: new RegExp(`^(${CHUNKS.join("|")})$`) }, (args) => ({ path: args.path, namespace: "chunk" }));
    b.onResolve({ filter: /^\.\/[\w-]+\.cjs$/ }, (args) => (args.namespace === "chunk" ? { path: args.path, external: true } : undefined));
    b.onLoad({ filter: /.*/, namespace: "chunk" }, (args) => ({ contents: chunkStandIn(args.path), loader: "js" }));
  },
};

// zod re-exports every message locale (z.locales); mlship uses only English, which zod imports on its own.
const zodLocalesTrim = {
  name: "zod-locales",
  setup(b) {
    b.onResolve({ filter: /[\\/]locales[\\/]index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "startup-trims" } : undefined));
    b.onLoad({ filter: /^zod-locales$/, namespace: "startup-trims" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

// The chunks: each library as one CommonJS file exporting what the package exports.
for (const name of CHUNKS) {
  await build({
    stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: root, loader: "js" },
    outfile: join(root, "dist", `${name}.cjs`),
    bundle: true,
    minify: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    plugins: [zodLocalesTrim],
  });
}

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

// The code cache, warmed by the common commands (a fresh process: the cache must come from a clean heap).
execFileSync(process.execPath, [join(root, "scripts", "warm-cache.mjs")], { stdio: "inherit" });
