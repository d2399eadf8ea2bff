// docs/spec.md documents every field of the job spec schema (and no field that does not exist).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALGORITHM_PARAMS, jobSpecSchema } from "../../src/jobspec/schema.js";

const DOC = readFileSync(fileURLToPath(new URL("../../docs/spec.md", import.meta.url)), "utf8");

// zod's definition, as far as this walk needs it.
interface Def {
  type: string;
  innerType?: unknown;
  shape?: Record<string, unknown>;
  keyType?: unknown;
  valueType?: unknown;
  element?: unknown;
  options?: unknown[];
}
const def = (t: unknown): Def => (t as { _zod: { def: Def } })._zod.def;

// Every dotted field path under a schema: through objects, wrappers (default, optional, ...),
// records (`<key>` for the key) and arrays (`[]`, only when elements have fields of their own).
function fieldPaths(t: unknown, prefix: string): string[] {
  const d = def(t);
  switch (d.type) {
    case "optional":
    case "default":
    case "prefault":
    case "nullable":
    case "readonly":
    case "catch":
    case "nonoptional":
      return fieldPaths(d.innerType, prefix);
    case "object":
      return Object.entries(d.shape ?? {}).flatMap(([key, child]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return [path, ...fieldPaths(child, path)];
      });
    case "record":
      return fieldPaths(d.valueType, `${prefix}.<key>`);
    case "array":
      return fieldPaths(d.element, `${prefix}[]`);
    case "union":
      return (d.options ?? []).flatMap((o) => fieldPaths(o, prefix));
    default:
      return [];
  }
}

const paths = fieldPaths(jobSpecSchema, "");

describe("docs/spec.md", () => {
  it("finds the schema's fields (the walk itself works)", () => {
    expect(paths).toContain("spark.executor.memory");
    expect(paths).toContain("data.validation.fraction");
    expect(paths).toContain("promote.when.metric");
    expect(paths.length).toBeGreaterThan(50);
  });

  it.each(paths)("documents %s", (path) => {
    expect(DOC, `add \`${path}\` to docs/spec.md`).toContain(`\`${path}\``);
  });

  it("documents every model parameter of every algorithm", () => {
    for (const [algorithm, params] of Object.entries(ALGORITHM_PARAMS)) {
      expect(DOC).toContain(`\`${algorithm}\``);
      for (const name of Object.keys(params)) expect(DOC, `${algorithm}.${name}`).toContain(`\`${name}\``);
    }
  });

  it("documents no field the schema lacks", () => {
    // the reference tables are the ones headed | field | type | default | example |
    const tables = DOC.split(/\n\s*\n/).filter((block) => block.startsWith("| field | type | default | example |"));
    const documented = tables.flatMap((t) => [...t.matchAll(/^\| `([A-Za-z][\w.]*)` \|/gm)].map((m) => m[1]));
    expect(documented.length).toBeGreaterThan(50);
    const known = new Set(paths);
    expect(documented.filter((p) => p !== undefined && !known.has(p))).toEqual([]);
  });
});
