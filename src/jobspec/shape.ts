// A plain-data description of the job spec schema (what shape-parse.ts checks a spec against without zod).
// shape.generated.ts holds the description of jobSpecSchema; shape-describe.ts derives it from the zod schema.

// A check on a string or number, as zod applies it.
export type ShapeCheck =
  | { check: "regex"; source: string; flags: string }
  | { check: "min_length"; minimum: number }
  | { check: "safeint" }
  | { check: "greater_than"; value: number; inclusive: boolean }
  | { check: "less_than"; value: number; inclusive: boolean };

export type Shape =
  | { type: "object"; fields: [string, Shape][]; refine?: string } // strict: other keys are not allowed
  | { type: "string"; checks: ShapeCheck[] }
  | { type: "number"; checks: ShapeCheck[] }
  | { type: "boolean" }
  | { type: "unknown" }
  | { type: "enum"; values: (string | number)[] }
  | { type: "literal"; values: (string | number | boolean | null)[] }
  | { type: "union"; options: Shape[] }
  | { type: "array"; element: Shape }
  | { type: "record"; value: Shape } // string keys
  | { type: "optional"; inner: Shape }
  | { type: "default"; inner: Shape; value: unknown };
