// What `npm pack` ships: only what runs (no tests, no source maps, no V8 caches, no tsc output), with the Apache-2.0 LICENSE,
// and an engines range every dependency in the lockfile accepts.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import semver from "semver";

const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string }; license: string; scripts: Record<string, string> };

interface Packed {
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

// --ignore-scripts: the list comes from package.json's `files` and what is on disk; `prepare` (the build) is not run here.
const packed = (): Packed => JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }))[0];

describe("the npm package", () => {
  const p = packed();
  const paths = p.files.map((f) => f.path);

  it("ships no tests, source maps, code caches, tsc output or Python caches", () => {
    const unwanted = paths.filter((f) => /(^|\/)tests?\/|\.test\.|\.map$|\.v8cache$|__pycache__|\.pyc$|^src\/|^scripts\/(?!prepare\.mjs$)|^bench\//.test(f) || (f.startsWith("dist/") && !/^dist\/[\w-]+\.cjs$/.test(f)));
    expect(unwanted).toEqual([]);
  });

  it("ships what runs: the entry, the Spark side, the runtime requirements, the schema, the docs, LICENSE and README", () => {
    for (const f of ["bin/mlship", "bin/package.json", "spark-scripts/mlship_train.py", "spark-scripts/mlship_runtime/catalogue.json", "spark-scripts/conf/log4j2.properties", "spark-scripts/requirements-runtime.txt", "schema/mlship-job.schema.json", "docs/operations.md", "LICENSE", "README.md"]) {
      expect(paths, f).toContain(f);
    }
    expect(paths.some((f) => f.startsWith("spark-scripts/mlship_runtime/update/"))).toBe(true);
  });

  it("carries the Apache License 2.0 text its license field names", () => {
    expect(pkg.license).toBe("Apache-2.0");
    const text = readFileSync(join(root, "LICENSE"), "utf8");
    expect(text).toContain("Apache License\n                           Version 2.0, January 2004");
    expect(text).toContain("END OF TERMS AND CONDITIONS");
  });

  it("stays small (the built bundle is under 1.2 MB; the whole tarball under 1.5 MB, 4 MB unpacked)", () => {
    expect(p.size).toBeLessThan(1.5e6);
    expect(p.unpackedSize).toBeLessThan(4e6);
  });

  it("builds dist/ for git installs with `prepare`", () => {
    expect(pkg.scripts.prepare).toBe("node scripts/prepare.mjs");
  });

  it("has an engines range every locked dependency accepts", () => {
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    const refused = Object.entries(lock.packages)
      .filter(([path, info]) => path !== "" && !Array.isArray(info.engines) && info.engines?.node !== undefined && !semver.subset(pkg.engines.node, info.engines.node))
      .map(([path, info]) => `${path} wants node ${(info.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
    expect(lowest).toBe("20.19.0");
  });
});
