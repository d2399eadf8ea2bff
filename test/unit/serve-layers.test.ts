// src/serve's layers import one way: http/ → protocol/ → runtime/; index.ts only re-exports.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const serve = join(import.meta.dirname, "..", "..", "src", "serve");
const LAYERS = ["runtime", "protocol", "http"] as const; // lowest first

// Every relative import (static, type-only, re-export or dynamic) of one source file.
const importsOf = (text: string) => [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1]!);

describe("serve layers", () => {
  it.each(LAYERS.map((layer, rank) => [layer, LAYERS.slice(rank + 1)] as const))("%s/ imports none of %j", (layer, above) => {
    const upward = readdirSync(join(serve, layer))
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => importsOf(readFileSync(join(serve, layer, f), "utf8")).filter((p) => above.some((a) => p.startsWith(`../${a}/`))).map((p) => `${layer}/${f} -> ${p}`));
    expect(upward).toEqual([]);
  });

  it("index.ts only re-exports", () => {
    const lines = readFileSync(join(serve, "index.ts"), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("//"));
    expect(lines.filter((l) => !/^export \{[^}]*\} from "\.\/(http|protocol|runtime)\/index\.js";$/.test(l))).toEqual([]);
  });
});
