// Reading the zod schema's shape: which keys an object allows, where records start.
import type { z } from "zod";
import type { PathSeg } from "./tree.js";

// The parts of zod's internal definition we look at.
interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
}

function def(t: z.ZodType): Def {
  return (t as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly", "catch", "nonoptional"]);

// The schema under optional/default/... wrappers.
export function unwrap(t: z.ZodType): z.ZodType {
  let cur = t;
  for (let d = def(cur); WRAPPERS.has(d.type) && d.innerType; d = def(cur)) cur = d.innerType;
  return cur;
}

// The kind of schema: "object", "record", "array", "string", ...
export function kindOf(t: z.ZodType): string {
  return def(unwrap(t)).type;
}

// The schema of one child (object field, record value or array element).
export function childSchema(t: z.ZodType, seg: PathSeg): z.ZodType | undefined {
  const d = def(unwrap(t));
  if (d.type === "object") return Object.hasOwn(d.shape ?? {}, String(seg)) ? d.shape?.[String(seg)] : undefined;
  if (d.type === "record") return d.valueType;
  if (d.type === "array") return d.element;
  return undefined;
}

// The schema at a path, or undefined when the path leaves the schema.
export function schemaAt(t: z.ZodType, path: readonly PathSeg[]): z.ZodType | undefined {
  let cur: z.ZodType | undefined = t;
  for (const seg of path) {
    if (!cur) return undefined;
    cur = childSchema(cur, seg);
  }
  return cur;
}

// The field names an object schema allows (empty for anything else).
export function objectKeys(t: z.ZodType | undefined): string[] {
  if (!t) return [];
  const d = def(unwrap(t));
  return d.type === "object" ? Object.keys(d.shape ?? {}) : [];
}
