// A small structural check of a manifest against a CRD's openAPIV3Schema: every field exists, with the right type.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-mlship-pruned"?: boolean;
}

// The vendored schema of one CRD kind (test/fixtures/spark-operator/, see its header for the source and commit).
export function operatorSchema(kind: "sparkapplications" | "scheduledsparkapplications"): { kind: string; apiVersion: string; openAPIV3Schema: Schema } {
  const file = join(import.meta.dirname, "..", "fixtures", "spark-operator", `${kind}.v1beta2.schema.yaml`);
  const vendored = parse(readFileSync(file, "utf8"));
  // A CRD leaves metadata to the API server (ObjectMeta); the fields mlship writes, as Kubernetes types them.
  vendored.openAPIV3Schema.properties.metadata = OBJECT_META;
  return vendored;
}

const OBJECT_META: Schema = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string" },
    namespace: { type: "string" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
  },
};

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v;

// Every place where `value` leaves `schema`: unknown fields, wrong types, values outside an enum, missing required fields.
export function schemaProblems(value: unknown, schema: Schema, path = ""): string[] {
  const at = path || "(root)";
  if (schema["x-mlship-pruned"]) return [`${at}: a field the vendored schema cut (re-vendor it before rendering this)`];
  if (schema["x-kubernetes-int-or-string"]) {
    return typeof value === "string" || Number.isInteger(value) ? [] : [`${at}: expected an integer or a string, got ${typeOf(value)}`];
  }
  const actual = typeOf(value);
  const expected = schema.type;
  const typeOk = expected === undefined || expected === actual || (expected === "number" && actual === "integer");
  if (!typeOk) return [`${at}: expected ${expected}, got ${actual}`];
  const out: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) out.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.minimum !== undefined && typeof value === "number" && value < schema.minimum) out.push(`${at}: below the minimum ${schema.minimum}`);
  if (actual === "array" && schema.items) (value as unknown[]).forEach((v, i) => out.push(...schemaProblems(v, schema.items as Schema, `${path}[${i}]`)));
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) out.push(`${path ? `${path}.` : ""}${r}: required, missing`);
    for (const [k, v] of Object.entries(obj)) {
      const child = schema.properties?.[k] ?? schema.additionalProperties;
      const sub = path ? `${path}.${k}` : k;
      if (child) out.push(...schemaProblems(v, child, sub));
      else if (!schema["x-kubernetes-preserve-unknown-fields"]) out.push(`${sub}: not a field of the schema`);
    }
  }
  return out;
}
