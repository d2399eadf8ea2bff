// The precompiled check (src/jobspec/shape-parse.ts) and zod agree: shape.generated.ts describes the current schema,
// and on the example specs and every one-field change of them the check accepts exactly what zod accepts, with
// exactly zod's output (defaults, field order).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYamlText } from "yaml";
import { jobSpecSchema } from "../../src/jobspec/schema.js";
import { describeShape } from "../../src/jobspec/shape-describe.js";
import { JOB_SPEC_SHAPE } from "../../src/jobspec/shape.generated.js";
import { parseByShape } from "../../src/jobspec/shape-parse.js";
import type { Shape } from "../../src/jobspec/shape.js";

const jobsDir = fileURLToPath(new URL("../../jobs/", import.meta.url));
const examples = readdirSync(jobsDir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => {
    const { profiles: _, ...spec } = parseYamlText(readFileSync(jobsDir + f, "utf8")) as Record<string, unknown>;
    return [f, spec] as const;
  });

// Values a field can be changed to: each kind of YAML value, bounds, near-misses of the rules.
const CANDIDATES: unknown[] = [undefined, null, "", "x", "4g", "lots", "a:b", "a:b:c", "-inf", "inf", "keep", "mean", "standard", "accuracy",
  "areaUnderROC", "logistic_regression", "kmeans", 0, -1, 1, 2, 0.5, 1.5, 1e-7, 1e-9, 199, 200, 2 ** 53, 1e300, Number.NaN, Infinity, true, false,
  [], [1, 2], ["a"], [""], ["a:b:c"], [1.5], {}, { a: 1 }, { a: "b" }, { a: [1] }, { metric: "areaUnderROC", notWorseThanCurrentBy: 0.1 },
  { metric: "nonsense", notWorseThanCurrentBy: 0.1 }, { metric: "nonsense", min: 0.5 }];

// Every field path the shape names (through optional/default, into objects; records and arrays by one sample key).
function fieldPaths(shape: Shape, prefix: string[]): string[][] {
  if (shape.type === "optional" || shape.type === "default") return fieldPaths(shape.inner, prefix);
  if (shape.type === "object") return shape.fields.flatMap(([key, field]) => [[...prefix, key], ...fieldPaths(field, [...prefix, key])]);
  if (shape.type === "record") return [[...prefix, "k"], ...fieldPaths(shape.value, [...prefix, "k"])];
  return [];
}

function withValue(spec: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(spec) as Record<string, unknown>;
  let cur = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof cur[key] !== "object" || cur[key] === null || Array.isArray(cur[key])) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

function expectSameAsZod(spec: unknown): void {
  const zod = jobSpecSchema.safeParse(spec);
  const quick = parseByShape(JOB_SPEC_SHAPE, spec);
  expect(quick.ok, JSON.stringify(spec)).toBe(zod.success);
  if (quick.ok && zod.success) expect(quick.value).toStrictEqual(zod.data);
}

describe("the precompiled check", () => {
  it("describes the current schema (else run node scripts/jobspec-shape.mjs)", () => {
    expect(describeShape(jobSpecSchema)).toStrictEqual(JOB_SPEC_SHAPE);
  });

  it.each(examples)("accepts %s as zod does, with zod's output", (_, spec) => {
    expect(parseByShape(JOB_SPEC_SHAPE, spec).ok).toBe(true);
    expectSameAsZod(spec);
  });

  it.each(examples)("agrees with zod on every one-field change of %s", (_, spec) => {
    const paths = fieldPaths(JOB_SPEC_SHAPE, []);
    expect(paths.length).toBeGreaterThan(60);
    for (const path of paths) for (const value of CANDIDATES) expectSameAsZod(withValue(spec, path, value));
    for (const path of [[], ...paths]) expectSameAsZod(withValue(spec, [...path, "unknownField"], 1));
  });

  it("agrees with zod on values that are not maps", () => {
    for (const value of CANDIDATES) expectSameAsZod(value);
  });
});
