// The input contract: how a value sent on any route (JSON, OIP v2, Arrow, a predict file) becomes the value
// the pipeline takes. Lenient (the default) casts as Spark casts a column of the training type; strict takes
// only the pipeline's own types. Both refuse what Spark could not score the same way (±Infinity, text that is
// not a number). Documented in docs/serving.md ("Input contract").
import type { InputColumn } from "../descriptor.js";
import type { Value } from "../frame.js";
import { decimalScale, numberToSparkString, parseSparkDouble, parseSparkInteger, sourceKind, type SourceKind } from "./spark-cast.js";

export type InputMode = "lenient" | "strict";
export const INPUT_MODES: readonly InputMode[] = ["lenient", "strict"];

// One input column's rule: cast() gives the pipeline's value, or undefined when refused (why() says why).
export interface InputRule {
  readonly column: InputColumn;
  readonly sparkType: string; // the training data's type of the column
  readonly levels: readonly string[] | null; // a categorical input's known values, in index order
  cast(v: unknown): Value | undefined;
  why(v: unknown): string;
  // Whether a cast value is a category the model never saw (it goes to handleInvalid's bucket, or is refused).
  unseen(v: Value): boolean;
}

const NUMERIC_KINDS = new Set<SourceKind>(["double", "float", "integer", "decimal"]);

// The rules of a model's inputs, in input-schema order.
export function inputRules(schema: readonly InputColumn[], levels: ReadonlyMap<string, readonly string[]>, mode: InputMode): InputRule[] {
  return schema.map((c) => (c.type === "double" ? numericRule(c, mode) : categoricalRule(c, levels.get(c.name) ?? null, mode)));
}

// A numeric input: finite numbers and NaN (Spark's missing-value marker for the Imputer) as they are; lenient
// also parses text as Spark's CAST does and takes booleans as 1/0.
function numericRule(column: InputColumn, mode: InputMode): InputRule {
  const lenient = mode === "lenient";
  const cast = (v: unknown): Value | undefined => {
    if (typeof v === "number") return v === Infinity || v === -Infinity ? undefined : v;
    if (v === null) return null;
    if (!lenient) return undefined;
    if (typeof v === "string") {
      const n = parseSparkDouble(v);
      return n === undefined || n === Infinity || n === -Infinity ? undefined : n;
    }
    if (typeof v === "boolean") return v ? 1 : 0;
    return undefined;
  };
  const why = (v: unknown): string => {
    if (typeof v === "number" || (typeof v === "string" && Math.abs(parseSparkDouble(v) ?? 0) === Infinity)) {
      return `is not a finite number (${describe(v)}); send a finite number, or null when the value is missing`;
    }
    if (!lenient && (typeof v === "string" || typeof v === "boolean")) return `expected a number or null, got ${describe(v)} (strict inputs: no casts)`;
    if (typeof v === "string") return `expected a number or null, got ${describe(v)}, which is not a number`;
    return `expected a number or null, got ${describe(v)}`;
  };
  return { column, sparkType: column.sparkType ?? "double", levels: null, cast, why, unseen: () => false };
}

// A categorical input: text as it is; lenient casts numbers and booleans to text as Spark cast the training
// column (a double 1 is the level "1.0"), and numeric text ("1") to the level of its number.
function categoricalRule(column: InputColumn, levels: readonly string[] | null, mode: InputMode): InputRule {
  const sparkType = column.sparkType ?? "string";
  const kind = sourceKind(sparkType);
  const scale = decimalScale(sparkType);
  const lenient = mode === "lenient";
  const known = new Set(levels ?? []);
  // Known levels by numeric value: Spark's text of a number can differ from ours in rare many-digit cases
  // (JDK 17's Double.toString), so a number that is a known level is matched by value.
  const byValue = new Map<number, string>();
  if (NUMERIC_KINDS.has(kind)) {
    for (const level of levels ?? []) {
      const n = parseSparkDouble(level);
      if (n !== undefined && n !== 0 && Number.isFinite(n) && !byValue.has(n)) byValue.set(n, level);
    }
  }
  const levelOf = (n: number): string | undefined => {
    if (n === Infinity || n === -Infinity) return undefined;
    const text = numberToSparkString(n, kind, scale);
    if (text === undefined || known.has(text) || n === 0) return text; // 0.0 and -0.0 are distinct levels
    return byValue.get(n) ?? text;
  };
  const cast = (v: unknown): Value | undefined => {
    if (typeof v === "string") {
      if (!lenient || !NUMERIC_KINDS.has(kind) || known.has(v)) return v;
      const n = kind === "integer" ? parseSparkInteger(v) : parseSparkDouble(v);
      return n === undefined || Number.isNaN(n) ? v : (levelOf(n) ?? v);
    }
    if (v === null) return null;
    if (!lenient) return undefined;
    if (typeof v === "number") return levelOf(v);
    if (typeof v === "boolean") return kind === "boolean" || kind === "string" || kind === "other" ? String(v) : undefined;
    return undefined;
  };
  const why = (v: unknown): string => {
    const example = levels && levels.length ? ` such as ${JSON.stringify(levels[0])}` : "";
    if (!lenient) return `expected a string or null, got ${describe(v)} (strict inputs: no casts; the levels are strings${example})`;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return `is not a finite number (${describe(v)})`;
      return `got ${describe(v)}, which a ${sparkType} column cannot hold; the levels are${example || " strings"}`;
    }
    return `expected a string, a number or null, got ${describe(v)}`;
  };
  const unseen = (v: Value): boolean => typeof v === "string" && levels !== null && !known.has(v);
  return { column, sparkType, levels, cast, why, unseen };
}

// A value as a reason names it.
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return `${typeof v} ${JSON.stringify(v)}`;
}
