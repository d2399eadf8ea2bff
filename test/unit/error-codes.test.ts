// The error catalogue (src/error-codes.ts) is the one list of codes: src/, the Spark driver and the docs agree with it.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, EXIT, exitCodeOf, type ErrorCode, type ErrorCodeEntry } from "../../src/error-codes.js";
import { FatalError, SpecError, StoreRecordError, UserError } from "../../src/errors.js";
import { CODES as HTTP_CODES } from "../../src/serve/protocol/errors.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");
const entries = Object.entries(ERROR_CODES) as [ErrorCode, ErrorCodeEntry][];
const codes = entries.map(([code]) => code);
const driverCodes = entries.filter(([, e]) => e.driver).map(([code]) => code);
const httpCodes = new Set<string>(Object.values(HTTP_CODES));

// Quoted code literals ("E_DATA", 'E_DATA', `E_DATA`) in the files under a folder with an extension.
function codesIn(dir: string, ext: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(ext)) continue;
    for (const m of read(join(dir, file)).matchAll(/["'`](E_[A-Z][A-Z_]*)["'`]/g)) found.set(m[1]!, [...(found.get(m[1]!) ?? []), join(dir, file)]);
  }
  return found;
}

// The body of a markdown section, from its heading to the next heading of the same or a higher level.
function section(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const start = markdown.split("\n").findIndex((l) => l.trim() === heading);
  if (start < 0) return "";
  const rest = markdown.split("\n").slice(start + 1);
  const end = rest.findIndex((l) => new RegExp(`^#{1,${level}} `).test(l));
  return rest.slice(0, end < 0 ? undefined : end).join("\n");
}

describe("the error catalogue", () => {
  it("has every code that src/ uses (the HTTP API's codes are src/serve/protocol/errors.ts's own table)", () => {
    const missing = [...codesIn("src", ".ts")].filter(([code]) => !(code in ERROR_CODES) && !httpCodes.has(code)).map(([code, files]) => `${code} (${files.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("has no code that nothing uses", () => {
    const used = new Set([...codesIn("src", ".ts").keys(), ...codesIn("spark-scripts/mlship_runtime", ".py").keys()]);
    const unused = codes.filter((code) => !used.has(code));
    expect(unused).toEqual([]);
  });

  it("lists exactly the codes the Spark driver prints (spark-scripts/mlship_runtime/errors.py)", () => {
    const printed = [...codesIn("spark-scripts/mlship_runtime", "errors.py").keys()].sort();
    expect(printed).toEqual([...driverCodes].sort());
    for (const code of driverCodes) expect(exitCodeOf(code)).toBe(EXIT.failed);
  });

  it("gives every code an exit code mlship documents, and a one-line meaning", () => {
    for (const [code, e] of entries) {
      expect(Object.values(EXIT), code).toContain(e.exit);
      expect(e.exit, code).not.toBe(EXIT.ok);
      expect(e.meaning.includes("\n") || e.meaning.length === 0, code).toBe(false);
    }
  });

  it("is where the error classes take their exit codes from", () => {
    expect(new UserError("x").exitCode).toBe(EXIT.usage);
    expect(new UserError("x", "E_NOT_FOUND")).toMatchObject({ code: "E_NOT_FOUND", exitCode: ERROR_CODES.E_NOT_FOUND.exit });
    expect(new SpecError([], "E_PLAN")).toMatchObject({ code: "E_PLAN", exitCode: EXIT.usage });
    expect(new FatalError("x", "E_DATA")).toMatchObject({ code: "E_DATA", exitCode: EXIT.failed });
    expect(new FatalError("x", "E_KILLED").exitCode).toBe(EXIT.interrupted);
    expect(new StoreRecordError("k", ["bad"])).toMatchObject({ code: "E_STORE_RECORD", exitCode: EXIT.failed });
  });
});

describe("the docs", () => {
  const table = section(read("docs/operations.md"), "## Error codes");
  const rows = [...table.matchAll(/^\| `(E_[A-Z_]+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const);

  it("docs/operations.md's Error codes section has every code with its exit code, and no other", () => {
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(entries.map(([code, e]) => [code, e.exit])));
    expect(rows.length).toBe(codes.length);
  });

  it("README.md's Exit codes section has every exit code and links to the error codes", () => {
    const readme = section(read("README.md"), "## Exit codes");
    for (const exit of Object.values(EXIT)) expect(readme, `exit ${exit}`).toMatch(new RegExp(`^\\| ${exit} \\|`, "m"));
    expect(readme).toContain("docs/operations.md#error-codes");
  });
});
