// The algorithm catalogue (spark-scripts/mlship_runtime/catalogue.json) and the TypeScript side agree: the generated
// module is current, the spec accepts each algorithm with exactly its params, each portable kind has a scorer, the
// docs name each algorithm. spark-scripts/tests/test_catalogue.py checks the Spark side against the same file.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ALGORITHM_PARAMS, ALGORITHMS, CATALOGUE, CLUSTERING_ALGORITHMS, TREE_ALGORITHMS, UPDATE_MODES, defaultEncoding, type Algorithm } from "../../src/catalogue/index.js";
import { MODEL_COMPILERS } from "../../src/model/compile-table.js";
import { MODEL_STAGE_KINDS, TREE_STAGE_KINDS } from "../../src/model/descriptor.js";
import { modelSpecText, specProblems } from "../helpers/model-spec.js";
import { CATALOGUE_JSON, CATALOGUE_TS, renderCatalogueTs } from "../../scripts/catalogue-ts.mjs";

const read = (path: string): string => readFileSync(path, "utf8");
const doc = (name: string): string => read(fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)));
const JSON_TEXT = read(CATALOGUE_JSON);

// The catalogue's own rules (docs/portable-model.md, "The algorithm catalogue").
const TASKS = ["binary_classification", "multiclass_classification", "regression", "clustering"] as const;
const entrySchema = z.strictObject({
  tasks: z.array(z.enum(TASKS)).min(1),
  label: z.enum(["classes", "two_classes", "numbers", "none"]),
  featureValues: z.union([z.literal("any"), z.record(z.string(), z.string())]),
  sparkEstimator: z.string().regex(/^pyspark\.ml\.\w+\.\w+$/),
  sparkModel: z.string().regex(/^pyspark\.ml\.\w+\.\w+Model$/),
  params: z.record(z.string(), z.enum(["number", "integer", "boolean", "string", "integers"])),
  mlshipParams: z.array(z.string()).optional(),
  defaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  defaultEncoding: z.enum(["onehot", "index"]),
  exporter: z.enum(["linear", "kmeans", "trees", "bayes", "mlp"]),
  portableKinds: z.array(z.string()).length(1),
  updateModes: z.array(z.enum(["exact", "laplace", "warm", "continue", "streaming", "retrain"])).min(1),
  note: z.string().optional(),
});
const catalogueSchema = z.strictObject({ $comment: z.string(), algorithms: z.record(z.string(), entrySchema) });

// A value of a param type, as YAML flow text.
const SAMPLE: Record<string, string> = { number: "0.5", integer: "3", boolean: "true", string: "auto", integers: "[4]" };

// The spec text for an algorithm with the given params (no label for clustering).
function specText(algorithm: Algorithm, params: Record<string, string>): string {
  const flow = `{ ${Object.entries(params).map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
  return modelSpecText(algorithm, flow, { label: !(CLUSTERING_ALGORITHMS as readonly string[]).includes(algorithm) });
}
const problems = specProblems;

describe("the algorithm catalogue", () => {
  it("has the shape docs/portable-model.md describes", () => {
    const parsed = catalogueSchema.safeParse(JSON.parse(JSON_TEXT));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it("is what src/catalogue/catalogue.generated.ts holds (run node scripts/catalogue-ts.mjs when not)", () => {
    expect(read(CATALOGUE_TS)).toBe(renderCatalogueTs(JSON_TEXT));
  });

  it("gives the spec code its lists", () => {
    expect(ALGORITHMS).toEqual(Object.keys(JSON.parse(JSON_TEXT).algorithms));
    expect(TREE_ALGORITHMS.every((a) => defaultEncoding(a) === "index")).toBe(true);
    expect(ALGORITHMS.filter((a) => defaultEncoding(a) === "index")).toEqual(TREE_ALGORITHMS);
    expect(CLUSTERING_ALGORITHMS).toEqual(ALGORITHMS.filter((a) => (CATALOGUE[a].tasks as readonly string[]).includes("clustering")));
  });

  it.each(ALGORITHMS)("%s: the spec accepts it with each of its params", (algorithm) => {
    const params = ALGORITHM_PARAMS[algorithm];
    const given = Object.fromEntries(Object.entries(params).map(([name, type]) => [name, SAMPLE[type] ?? ""]));
    expect(problems(specText(algorithm, given))).toEqual([]);
    expect(problems(specText(algorithm, { notAParamOfAnyAlgorithm: "1" }))).toEqual([expect.stringMatching(/^model\.params\.notAParamOfAnyAlgorithm: unknown parameter/)]);
  });

  it.each(ALGORITHMS)("%s: each portable kind has a scorer and a descriptor stage kind", (algorithm) => {
    for (const kind of CATALOGUE[algorithm].portableKinds) {
      expect(Object.hasOwn(MODEL_COMPILERS, kind), kind).toBe(true);
      expect(MODEL_STAGE_KINDS).toContain(kind);
      if (CATALOGUE[algorithm].exporter === "trees") expect(TREE_STAGE_KINDS).toContain(kind);
    }
  });

  it("leaves no model stage kind outside the catalogue", () => {
    expect([...MODEL_STAGE_KINDS].sort()).toEqual(ALGORITHMS.flatMap((a) => CATALOGUE[a].portableKinds).sort());
  });

  it.each(ALGORITHMS)("%s: docs/spec.md lists it under model.algorithm, docs/portable-model.md names its kinds", (algorithm) => {
    const row = doc("spec.md").split("\n").find((line) => line.startsWith("| `model.algorithm` |")) ?? "";
    expect(row).toContain(`\`${algorithm}\``);
    for (const kind of CATALOGUE[algorithm].portableKinds) expect(doc("portable-model.md")).toContain(`\`${kind}\``);
  });
});

describe("update modes", () => {
  it("every algorithm's catalogue updateModes are modes the spec accepts (UPDATE_MODES), ending with retrain", () => {
    for (const algorithm of ALGORITHMS) {
      const modes = CATALOGUE[algorithm].updateModes as readonly string[];
      for (const mode of modes) expect(UPDATE_MODES as readonly string[], `${algorithm}: ${mode}`).toContain(mode);
      expect(modes.at(-1), algorithm).toBe("retrain");
    }
  });

  it("every mode the spec accepts is some algorithm's", () => {
    const used = new Set(ALGORITHMS.flatMap((a) => CATALOGUE[a].updateModes as readonly string[]));
    expect([...UPDATE_MODES].filter((m) => !used.has(m))).toEqual([]);
  });
});
