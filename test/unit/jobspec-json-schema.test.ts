// The job spec's JSON Schema (schema/mlship-job.schema.json): current, valid for a standard validator (ajv,
// draft 2020-12), accepting every spec the project ships and refusing the bad-spec table's schema errors.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parseAllDocuments, parse } from "yaml";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../helpers/cli.js";
import { cases } from "../helpers/bad-specs.js";
import { cliInProcess } from "../helpers/cli-in-process.js";

const schemaText = readFileSync(join(projectRoot, "schema", "mlship-job.schema.json"), "utf8");
const schema = JSON.parse(schemaText);
const ajv = new Ajv2020({ allErrors: true, strict: false }); // strict off: editors' keywords (markdownDescription)
const validate = ajv.compile(schema);
const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

// Every job spec the project ships: jobs/*.yaml, and the ```yaml blocks of docs/ and README.md that are specs.
function shippedSpecs(): { where: string; text: string }[] {
  const found = readdirSync(join(projectRoot, "jobs"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => ({ where: `jobs/${f}`, text: readFileSync(join(projectRoot, "jobs", f), "utf8") }));
  const pages = [...readdirSync(join(projectRoot, "docs")).map((f) => `docs/${f}`), "README.md"].filter((f) => f.endsWith(".md"));
  for (const page of pages) {
    const md = readFileSync(join(projectRoot, page), "utf8");
    for (const [i, m] of [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].entries()) {
      const doc = parse(m[1]!);
      if (doc && typeof doc === "object" && "name" in doc && "model" in doc) found.push({ where: `${page} yaml block ${i + 1}`, text: m[1]! });
    }
  }
  return found;
}

// Bad specs a JSON Schema cannot refuse: rules across fields, or about values the loader resolves first.
const BEYOND_SCHEMA = new Set([
  "no feature columns", // at least one of numeric/categorical: a rule across two lists
  "column both numeric and categorical",
  "label is also a feature",
  "column listed twice",
  "index encoding asked of a linear model",
  "missing label: at the parent map", // required for every algorithm but kmeans (catalogue), checked by the loader
  "cluster deploy mode with a local master",
  "entrypoint with both script and jar",
  "entrypoint jar without mainClass",
  "promote gate with min above max",
]);

describe("the job spec's JSON Schema", () => {
  it("is current (scripts/jobspec-json-schema.mjs --check)", () => {
    expect(() => execFileSync(process.execPath, [join(projectRoot, "scripts", "jobspec-json-schema.mjs"), "--check"], { cwd: projectRoot, stdio: "pipe" })).not.toThrow();
  });

  it("describes fields from docs/spec.md and lists each algorithm's params", () => {
    const model = schema.properties.model.properties;
    expect(model.algorithm.description).toMatch(/logistic_regression/);
    expect(schema.properties.spark.properties.executor.properties.memory.description).toBeTruthy();
    const lr = schema.allOf.find((c: { if: { properties: { model: { properties: { algorithm: { const: string } } } } } }) => c.if.properties.model.properties.algorithm.const === "logistic_regression");
    expect(Object.keys(lr.then.properties.model.properties.params.properties)).toContain("regParam");
  });

  it.each(shippedSpecs())("accepts $where", ({ text }) => {
    expect(text.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=\S*mlship-job\.schema\.json$/);
    expect(errorsOf(parse(text))).toEqual([]);
  });

  it("accepts ${VAR} references where a number or boolean goes, and a partial profile", () => {
    const doc = parse(`name: churn
model: { algorithm: gbt_classifier, label: y, features: { numeric: [a] }, params: { maxIter: "\${ITER}" } }
data: { train: data/x, validation: { fraction: "\${FRACTION:-0.2}" } }
profiles:
  cluster: { spark: { master: "spark://h:7077", executor: { memory: 4g } } }
  dev:
`);
    expect(errorsOf(doc)).toEqual([]);
  });

  const schemaCases = cases.filter((c) => {
    if (c.opts || /\$\{|!secret|![a-z]/.test(c.text)) return false; // --set, --profile, env and tags are the loader's
    if (parseAllDocuments(c.text).some((d) => "errors" in d && d.errors.length > 0) || parseAllDocuments(c.text).length !== 1) return false; // YAML syntax
    return true;
  });

  it.each(schemaCases)("refuses: $title", ({ title, text }) => {
    const doc = parse(text);
    const errors = doc === null || typeof doc !== "object" || Array.isArray(doc) ? ["not a map"] : errorsOf(doc);
    if (BEYOND_SCHEMA.has(title)) expect(errors, "the loader's own rule; if the schema refuses it now, drop it from BEYOND_SCHEMA").toEqual([]);
    else expect(errors.length, title).toBeGreaterThan(0);
  });

  it("is printed by `mlship schema`, the same document", async () => {
    const r = await cliInProcess(["schema"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(schema);
  });

  it("`mlship schema -o` into a missing folder: exit 2 naming the path, not a stack", async () => {
    const r = await cliInProcess(["schema", "-o", "/nonexistent-mlship-dir/x.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write \/nonexistent-mlship-dir\/x\.json: its folder does not exist/);
  });
});
