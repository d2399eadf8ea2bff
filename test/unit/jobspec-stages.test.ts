// model.features stage options: validate-time refusals with file:line:col (SQLTransformer & co. before any Spark),
// transform checks, and the --job JSON those options become.
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SpecError, type SpecProblem } from "../../src/errors.js";
import { loadSpec } from "../../src/jobspec/index.js";
import { jobJson } from "../../src/submit/job-json.js";
import { main } from "../../src/cli/main.js";
import type { Context } from "../../src/cli/context.js";
import { tempDir } from "../helpers/tmp.js";

const FILE = "jobs/stages.yaml";

// A valid spec whose model.features block is `features` (lines 6.. of the file, indented by 4).
function spec(...features: string[]): string {
  return [
    "name: stages", // 1
    "model:", // 2
    "  algorithm: logistic_regression", // 3
    "  label: y", // 4
    "  features:", // 5
    "    numeric: [age, income]", // 6
    "    categorical: [city]", // 7
    ...features.map((l) => `    ${l}`), // 8..
    "data:",
    "  train: data/x/",
    "",
  ].join("\n");
}

async function problemsOf(text: string): Promise<SpecProblem[]> {
  try {
    await loadSpec({ file: FILE, text, env: {} });
  } catch (err) {
    if (err instanceof SpecError) return err.problems;
    throw err;
  }
  throw new Error("expected the spec to fail");
}

const at = (p: SpecProblem) => `${p.file}:${p.line}:${p.col} ${p.path}: ${p.message}`;

describe("model.features.stages: refused at validate time, naming the stage", () => {
  it("SQLTransformer cannot be exported: the message names it and lists the exportable stages", async () => {
    const problems = await problemsOf(spec("stages:", "  - SQLTransformer: { statement: 'SELECT * FROM __THIS__' }"));
    expect(problems).toHaveLength(1);
    expect(at(problems[0]!)).toMatch(/^jobs\/stages\.yaml:9:9 model\.features\.stages\.0\.SQLTransformer: SQLTransformer cannot be exported to the portable model .*; exportable stages: VectorAssembler, StandardScaler, MinMaxScaler, MaxAbsScaler, StringIndexer, OneHotEncoder, Imputer, Bucketizer, QuantileDiscretizer, Normalizer, Binarizer$/);
  });

  it("reports every unexportable stage at once, each at its own position", async () => {
    const problems = await problemsOf(spec("stages:", "  - Word2Vec: { vectorSize: 3 }", "  - org.apache.spark.ml.feature.PCA: { k: 2 }"));
    expect(problems.map((p) => [p.line, p.col, p.message.split(" ")[0]])).toEqual([
      [9, 9, "Word2Vec"],
      [10, 9, "org.apache.spark.ml.feature.PCA"],
    ]);
  });

  it("an exportable stage points to the model.features option that builds it", async () => {
    const [p] = await problemsOf(spec("stages:", "  - MinMaxScaler: {}"));
    expect(p!.message).toBe("expected the model.features options instead of an explicit stage list (the built-in trainer builds its own stages): for MinMaxScaler use model.features.scale: minmax");
  });

  it("an item that is not a one-key map", async () => {
    const [p] = await problemsOf(spec("stages:", "  - { Bucketizer: {}, Binarizer: {} }"));
    expect(p).toMatchObject({ line: 9, col: 9, path: "model.features.stages.0" });
    expect(p!.message).toMatch(/^expected a map of one Spark stage class/);
  });
});

describe("per-column transforms and scaler options", () => {
  it.each([
    ["a transform on a column that is not numeric", ["bucketize: { city: [0, 1, 2] }"], 8, 18, "model.features.bucketize.city", 'expected a column of model.features.numeric, got "city"'],
    ["two transforms on one column", ["quantiles: { age: 4 }", "binarize: { age: 30 }"], 9, 17, "model.features.binarize.age", 'expected one transform per column, got "age" in both quantiles and binarize'],
    ["splits not increasing", ["bucketize: { age: [0, 30, 30, 90] }"], 8, 31, "model.features.bucketize.age.2", "expected strictly increasing splits, got 30 after 30"],
    ["too few splits", ["bucketize: { age: ['-inf', inf] }"], 8, 23, "model.features.bucketize.age", "expected at least 3 splits (2 buckets), got 2"],
    ["min/max with the standard scaler", ["scale: standard", "scaleOptions: { min: -1 }"], 9, 21, "model.features.scaleOptions.min", 'expected model.features.scale: minmax for min, got scale "standard"'],
    ["min not below max", ["scale: minmax", "scaleOptions: { min: 2, max: 1 }"], 9, 29, "model.features.scaleOptions.max", "expected max greater than min, got min 2 and max 1"],
  ])("%s", async (_title, lines, line, col, path, message) => {
    const problems = await problemsOf(spec(...lines));
    expect(problems.map((p) => [p.line, p.col, p.path, p.message])).toEqual([[line, col, path, message]]);
  });

  it.each([
    ["an unknown scaler", ["scale: robust"], "model.features.scale"],
    ["normalize below 1", ["normalize: 0.5"], "model.features.normalize"],
    ["an unknown handleInvalid", ["indexer: { handleInvalid: ignore }"], "model.features.indexer.handleInvalid"],
    ["one-hot skip (Spark's OneHotEncoder has no skip)", ["onehot: { handleInvalid: skip }"], "model.features.onehot.handleInvalid"],
    ["one quantile bucket", ["quantiles: { age: 1 }"], "model.features.quantiles.age"],
  ])("schema: %s", async (_title, lines, path) => {
    const problems = await problemsOf(spec(...lines));
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]!.line).toBe(8);
  });

  it("the options reach the --job JSON resolved, with infinities as text", async () => {
    const { spec: loaded } = await loadSpec({
      file: FILE,
      env: {},
      text: spec("scale: minmax", "scaleOptions: { min: -1, max: 1 }", "normalize: inf", "indexer: { handleInvalid: skip }", "bucketize: { age: ['-inf', 18, 65, inf] }", "binarize: { income: 1000 }"),
    });
    const features = (JSON.parse(jobJson(loaded)) as { model: { features: Record<string, unknown> } }).model.features;
    expect(features).toEqual({
      numeric: ["age", "income"],
      categorical: ["city"],
      impute: "mean",
      scale: "minmax",
      categoricalEncoding: "onehot",
      scaleOptions: { withMean: true, withStd: true, min: -1, max: 1 },
      normalize: "inf",
      indexer: { handleInvalid: "skip", stringOrderType: "frequencyDesc" },
      bucketize: { age: ["-inf", 18, 65, "inf"] },
      binarize: { income: 1000 },
    });
  });

  it("default options stay out of the JSON; scale standard/none travel as true/false, as before", async () => {
    for (const [value, wire] of [["true", true], ["standard", true], ["false", false], ["none", false], ["maxabs", "maxabs"]] as const) {
      const { spec: loaded } = await loadSpec({ file: FILE, env: {}, text: spec(`scale: ${value}`) });
      const features = (JSON.parse(jobJson(loaded)) as { model: { features: Record<string, unknown> } }).model.features;
      expect(features).toEqual({ numeric: ["age", "income"], categorical: ["city"], impute: "mean", scale: wire, categoricalEncoding: "onehot" });
    }
  });
});

describe("mlship train refuses an unexportable stage before Spark starts", () => {
  it("exits 2 naming SQLTransformer, fast, without launching spark-submit", async () => {
    const work = tempDir("mlship-spec-stages-");
    const file = join(work, "sql.yaml");
    writeFileSync(file, spec("stages:", "  - SQLTransformer: { statement: 'SELECT * FROM __THIS__' }"));
    let stdout = "";
    let stderr = "";
    // PATH is empty and SPARK_HOME points nowhere: had mlship tried to start Spark, the error would be another one.
    const ctx: Context = {
      cwd: work,
      env: { PATH: "", SPARK_HOME: join(work, "no-spark") },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      isTTY: false,
      projectRoot: join(import.meta.dirname, "..", ".."),
      now: () => new Date("2026-11-27T08:00:00Z"),
    };
    const started = Date.now();
    const code = await main(["train", file, "--store", join(work, "store"), "--json"], ctx);
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(15_000); // module loading only (slow under vitest on a busy machine)
    const error = (JSON.parse(stdout) as { error: { problems: { line: number; col: number; path: string; message: string }[] } }).error;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 9, col: 9, path: "model.features.stages.0.SQLTransformer" });
    expect(error.problems[0]!.message).toMatch(/^SQLTransformer cannot be exported to the portable model/);
    expect(stderr).not.toMatch(/spark-submit/i);
  });
});
