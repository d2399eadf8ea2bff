// The precompiled check: a spec's plain value against the schema's Shape (shape.ts), without building zod.
// It accepts exactly what zod accepts and gives zod's output (defaults filled, fields in schema order), or says
// "rejected" without saying why: the loader then runs zod, whose issues make the spec's error messages.
import { REFINEMENTS } from "./refinements.js";
import type { Shape, ShapeCheck } from "./shape.js";

const REJECTED: unique symbol = Symbol("rejected");
type Parsed = unknown | typeof REJECTED;

export type ShapeResult = { ok: true; value: unknown } | { ok: false };

// Parses a value as zod would; { ok: false } for anything zod would not accept.
export function parseByShape(shape: Shape, value: unknown): ShapeResult {
  const out = parse(shape, value);
  return out === REJECTED ? { ok: false } : { ok: true, value: out };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parse(shape: Shape, value: unknown): Parsed {
  switch (shape.type) {
    case "object":
      return parseObject(shape, value);
    case "string":
      return typeof value === "string" && shape.checks.every((c) => passes(c, value)) ? value : REJECTED;
    case "number":
      return typeof value === "number" && Number.isFinite(value) && shape.checks.every((c) => passes(c, value)) ? value : REJECTED;
    case "boolean":
      return typeof value === "boolean" ? value : REJECTED;
    case "unknown":
      return value;
    case "enum":
    case "literal":
      return (shape.values as unknown[]).includes(value) ? value : REJECTED;
    case "union":
      for (const option of shape.options) {
        const out = parse(option, value);
        if (out !== REJECTED) return out;
      }
      return REJECTED;
    case "array": {
      if (!Array.isArray(value)) return REJECTED;
      const out: unknown[] = [];
      for (const item of value) {
        const parsed = parse(shape.element, item);
        if (parsed === REJECTED) return REJECTED;
        out.push(parsed);
      }
      return out;
    }
    case "record": {
      if (!isObject(value) || Object.getPrototypeOf(value) !== Object.prototype) return REJECTED;
      const out: Record<string, unknown> = {};
      for (const key of Reflect.ownKeys(value)) {
        if (typeof key !== "string" || key === "__proto__") return REJECTED;
        const parsed = parse(shape.value, value[key]);
        if (parsed === REJECTED) return REJECTED;
        out[key] = parsed;
      }
      return out;
    }
    case "optional":
      return value === undefined && shape.inner.type !== "default" ? undefined : parse(shape.inner, value);
    case "default": {
      if (value === undefined) return structuredClone(shape.value);
      const out = parse(shape.inner, value);
      return out === undefined ? structuredClone(shape.value) : out;
    }
  }
}

// A strict object: no other keys, every field parsed in schema order (absent optional fields stay absent).
function parseObject(shape: Extract<Shape, { type: "object" }>, value: unknown): Parsed {
  if (!isObject(value)) return REJECTED;
  const known = new Set(shape.fields.map(([key]) => key));
  for (const key in value) if (!known.has(key) || key === "__proto__") return REJECTED;
  const out: Record<string, unknown> = {};
  for (const [key, field] of shape.fields) {
    const present = key in value;
    const parsed = parse(field, value[key]);
    if (parsed === REJECTED) return REJECTED;
    if (parsed !== undefined) out[key] = parsed;
    else if (present) out[key] = undefined;
  }
  if (shape.refine !== undefined) {
    const refine = REFINEMENTS[shape.refine];
    if (!refine || refine(out as never) !== undefined) return REJECTED;
  }
  return out;
}

const patterns = new Map<string, RegExp>();

function passes(c: ShapeCheck, value: string | number): boolean {
  switch (c.check) {
    case "regex": {
      const key = `${c.flags}/${c.source}`;
      let re = patterns.get(key);
      if (!re) patterns.set(key, (re = new RegExp(c.source, c.flags)));
      re.lastIndex = 0;
      return typeof value === "string" && re.test(value);
    }
    case "min_length":
      return typeof value === "string" && value.length >= c.minimum;
    case "safeint":
      return Number.isSafeInteger(value);
    case "greater_than":
      return typeof value === "number" && (c.inclusive ? value >= c.value : value > c.value);
    case "less_than":
      return typeof value === "number" && (c.inclusive ? value <= c.value : value < c.value);
  }
}
