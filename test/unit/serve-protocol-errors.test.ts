// Every stable HTTP error code is documented in docs/serving.md.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CODES } from "../../src/serve/protocol/errors.js";

describe("docs/serving.md", () => {
  it("lists every HTTP error code in its error table", () => {
    const docs = readFileSync(join(import.meta.dirname, "..", "..", "docs", "serving.md"), "utf8");
    const table = new Set([...docs.matchAll(/^\| \d{3} \| `(E_[A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect([...table].sort()).toEqual(Object.values(CODES).sort());
  });
});
