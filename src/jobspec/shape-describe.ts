// zod schema -> Shape (shape.ts): the plain description scripts/jobspec-shape.mjs writes to shape.generated.ts.
// Throws on anything the description cannot say, so a new kind of field is noticed when the file is regenerated.
import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { REFINED_BY } from "./refinements.js";
import type { Shape, ShapeCheck } from "./shape.js";

// The parts of zod's internal definitions the description reads.
interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: (string | number | boolean | null)[];
  defaultValue?: unknown;
  checks?: { _zod: { def: CheckDef } }[];
  coerce?: boolean;
  format?: string;
}

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  value?: number;
  inclusive?: boolean;
}

const defOf = (t: z.ZodType): Def => (t as unknown as { _zod: { def: Def } })._zod.def;

// The description of one schema; `at` names it in errors.
export function describeShape(schema: z.ZodType, at = "<root>"): Shape {
  const d = defOf(schema);
  const checks = (d.checks ?? []).map((c) => c._zod.def);
  const plain = (kind: string): void => {
    if (checks.length > 0 || d.coerce) throw new Error(`${at}: ${kind} with checks or coercion is not described`);
  };
  switch (d.type) {
    case "object": {
      if (defOf(d.catchall as z.ZodType)?.type !== "never") throw new Error(`${at}: only strict objects are described`);
      const refine = checks.length > 0 ? REFINED_BY.get(schema) : undefined;
      if (checks.length > 1 || (checks.length === 1 && (checks[0]?.check !== "custom" || refine === undefined))) {
        throw new Error(`${at}: an object check without a name in REFINED_BY (refinements.ts)`);
      }
      const fields = Object.entries(d.shape ?? {}).map(([key, field]): [string, Shape] => {
        if (["unknown", "any"].includes(defOf(field).type)) throw new Error(`${at}.${key}: unknown fields are not described`);
        return [key, describeShape(field, `${at}.${key}`)];
      });
      return refine === undefined ? { type: "object", fields } : { type: "object", fields, refine };
    }
    case "string":
    case "number":
      if (d.coerce || (d.format !== undefined && d.format !== "safeint")) throw new Error(`${at}: ${d.type} format or coercion`);
      return { type: d.type, checks: [...(d.format === "safeint" ? [{ check: "safeint" } as const] : []), ...checks.map((c) => describeCheck(c, at))] };
    case "boolean":
    case "unknown":
      plain(d.type);
      return { type: d.type };
    case "enum":
      plain("enum");
      return { type: "enum", values: Object.values(d.entries ?? {}) };
    case "literal":
      plain("literal");
      return { type: "literal", values: [...(d.values ?? [])] };
    case "union":
      plain("union");
      return { type: "union", options: (d.options ?? []).map((o, i) => describeShape(o, `${at}|${i}`)) };
    case "array":
      plain("array");
      return { type: "array", element: describeShape(d.element as z.ZodType, `${at}[]`) };
    case "record": {
      plain("record");
      const key = defOf(d.keyType as z.ZodType);
      if (key.type !== "string" || (key.checks ?? []).length > 0) throw new Error(`${at}: only records with plain string keys are described`);
      return { type: "record", value: describeShape(d.valueType as z.ZodType, `${at}.<key>`) };
    }
    case "optional":
      plain("optional");
      return { type: "optional", inner: describeShape(d.innerType as z.ZodType, at) };
    case "default": {
      plain("default");
      const value = d.defaultValue;
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) throw new Error(`${at}: a default that JSON cannot hold`);
      return { type: "default", inner: describeShape(d.innerType as z.ZodType, at), value };
    }
    default:
      throw new Error(`${at}: zod type "${d.type}" is not described`);
  }
}

function describeCheck(c: CheckDef, at: string): ShapeCheck {
  if (c.check === "string_format" && c.format === "regex" && c.pattern) return { check: "regex", source: c.pattern.source, flags: c.pattern.flags };
  if (c.check === "min_length" && typeof c.minimum === "number") return { check: "min_length", minimum: c.minimum };
  if ((c.check === "greater_than" || c.check === "less_than") && typeof c.value === "number") {
    return { check: c.check, value: c.value, inclusive: c.inclusive === true };
  }
  if (c.check === "number_format" && c.format === "safeint") return { check: "safeint" };
  throw new Error(`${at}: check "${c.check}" is not described`);
}
