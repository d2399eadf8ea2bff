// model.basedOn: the spec's own checks (loadSpec) and the pure compatibility of a source version with a target spec.
import { describe, expect, it } from "vitest";
import { SpecError } from "../../src/errors.js";
import { loadSpec } from "../../src/jobspec/index.js";
import type { InputColumn } from "../../src/model/descriptor.js";
import type { VersionRecord } from "../../src/registry/index.js";
import { sourceHiddenLayers, transferProblems, type TransferTarget } from "../../src/transfer/compat.js";
import { transferDetail } from "../../src/transfer/compat-stacking.js";
import { defaultTransferMethod } from "../../src/transfer/methods.js";
import { versionInput } from "../helpers/registry-input.js";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { tempDir } from "../helpers/tmp.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const FILE = "jobs/target.yaml";
const spec = (...model: string[]) =>
  ["name: target", "model:", "  algorithm: logistic_regression", "  label: churned", "  features:", "    numeric: [tenure]", ...model, "data:", "  train: data/x"].join("\n") + "\n";

async function problemsOf(text: string) {
  try {
    await loadSpec({ file: FILE, text, env: {} });
  } catch (err) {
    if (err instanceof SpecError) return err.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe("the spec's transfer fields", () => {
  it("accepts basedOn alone, with finetune as the default", async () => {
    const loaded = await loadSpec({ file: FILE, text: spec("  basedOn: churn@production"), env: {} });
    expect(loaded.spec.model.basedOn).toBe("churn@production");
    expect(loaded.spec.model.transfer).toBeUndefined();
    expect(await problemsOf(spec("  basedOn: churn@3", "  transfer: { method: finetune, freezeStages: true }"))).toEqual([]);
  });

  it("accepts freezeStages false for feature and a GLM offset (their target embeds the whole source)", async () => {
    expect(await problemsOf(spec("  basedOn: churn@3", "  transfer: { method: feature, freezeStages: false }"))).toEqual([]);
    expect(await problemsOf(spec("  basedOn: churn@3", "  transfer: { method: feature, use: hidden }"))).toEqual([]);
    const glm = spec("  basedOn: churn@3", "  params: { family: binomial }", "  transfer: { method: offset, freezeStages: false }").replace("logistic_regression", "generalized_linear_regression");
    expect(await problemsOf(glm)).toEqual([]);
  });

  it.each([
    ["offset for an algorithm without an offset", spec("  basedOn: churn@3", "  transfer:", "    method: offset"), /^9:13 model\.transfer\.method: transfer method "offset" trains generalized_linear_regression or gbt_classifier or gbt_regressor on the source's margin, not logistic_regression/],
    ["use without the feature method", spec("  basedOn: churn@3", "  transfer:", "    use: margin"), /^9:10 model\.transfer\.use: use is for the feature method/],
    ["freezeStages false with finetune", spec("  basedOn: churn@3", "  transfer:", "    freezeStages: false"), /^9:19 model\.transfer\.freezeStages: freezeStages: false is for the feature method and a GLM offset .*finetune starts from the source's parameters/],
    ["transfer without basedOn", spec("  transfer: { method: finetune }"), /^7:3 model\.transfer: expected model\.basedOn/],
    ["a malformed reference", spec("  basedOn: churn@x@y"), /^7:12 model\.basedOn: malformed reference/],
    ["an unknown method", spec("  basedOn: churn@3", "  transfer: { method: stacking }"), /model\.transfer\.method/],
  ])("refuses %s", async (_title, text, want) => {
    const problems = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(want);
  });

  it("defaults the method by the target's algorithm (offset for GBT and GLM, finetune for LR and MLP, feature else)", async () => {
    expect(["gbt_classifier", "gbt_regressor", "generalized_linear_regression", "logistic_regression", "mlp_classifier", "random_forest_classifier", "linear_regression"].map(defaultTransferMethod))
      .toEqual(["offset", "offset", "offset", "finetune", "finetune", "feature", "feature"]);
    // So basedOn alone is a valid spec for any of them (the store check then judges the source).
    for (const algorithm of ["gbt_classifier", "random_forest_classifier"]) {
      expect(await problemsOf(spec("  basedOn: churn@3").replace("logistic_regression", algorithm))).toEqual([]);
    }
  });

  it("refuses finetune for an algorithm it does not take, and layers for an MLP", async () => {
    expect(await problemsOf(spec("  basedOn: churn@3", "  transfer: { method: finetune }").replace("logistic_regression", "gbt_classifier"))).toEqual([
      '8:23 model.transfer.method: transfer method "finetune" takes logistic_regression or mlp_classifier, not gbt_classifier',
    ]);
    const mlp = spec("  basedOn: churn@3", "  params: { layers: [3, 4, 2] }").replace("logistic_regression", "mlp_classifier");
    expect((await problemsOf(mlp)).join("\n")).toMatch(/model\.params\.layers: expected hiddenLayers with finetune/);
  });
});

const INPUTS: InputColumn[] = [
  { name: "tenure", type: "double", role: "numeric" },
  { name: "contract", type: "string", role: "categorical" },
];
const target = (over: Partial<TransferTarget> = {}): TransferTarget => ({
  algorithm: "logistic_regression",
  numeric: ["tenure", "age"],
  categorical: ["contract"],
  params: {},
  method: "finetune",
  ...over,
});
const record = (over: Partial<VersionRecord> = {}): VersionRecord => ({ ...versionInput("churn"), version: 3, createdAt: "2026-12-07T00:00:00Z", ...over });
const found = (r: VersionRecord = record(), inputs: InputColumn[] | null = INPUTS) => ({ found: true as const, ref: "churn@3", record: r, inputs });

describe("transferProblems", () => {
  it("accepts a certified source whose inputs the target covers, with target-only columns", () => {
    expect(transferProblems(target(), found())).toEqual([]);
  });

  it.each([
    ["an unknown reference", target(), { found: false as const, ref: "churn@9", location: "/s" }, "model.basedOn", /no model version matches "churn@9" in \/s/],
    ["an uncertified source", target(), found(record({ parity: { rows: 200, maxAbsDiff: 1, tolerance: 1e-9, labelMismatches: 3, passed: false } })), "model.basedOn", /churn@3 is not certified/],
    ["a missing input column", target({ categorical: [] }), found(), "model.basedOn", /reads the categorical column "contract", which model\.features does not list/],
    ["a different type", target({ numeric: ["tenure", "contract"], categorical: [] }), found(), "model.basedOn", /column "contract" is categorical \(string\) in churn@3 but numeric \(double\)/],
    ["no input schema", target(), found(record(), null), "model.basedOn", /has no input schema/],
    ["another algorithm", target({ algorithm: "mlp_classifier", params: { hiddenLayers: [4] } }), found(), "model.transfer.method", /finetune keeps the algorithm/],
    ["a source finetune does not take", target(), found(record({ algorithm: "gbt_classifier" })), "model.transfer.method", /finetune starts from a logistic_regression or mlp_classifier; churn@3 is a gbt_classifier/],
    ["offset for a target without an offset", target({ method: "offset" }), found(), "model.transfer.method", /offset trains a generalized_linear_regression \(family binomial or poisson\)/],
  ])("refuses %s", (_title, t, source, path, message) => {
    const problems = transferProblems(t, source);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe(path);
    expect(problems[0]!.message).toMatch(message);
  });

  it("reports every problem at once", () => {
    const bad = record({ parity: { ...record().parity, passed: false } });
    expect(transferProblems(target({ numeric: [], categorical: [] }), found(bad)).map((p) => p.path)).toEqual(["model.basedOn", "model.basedOn", "model.basedOn"]);
  });

  it("checks an MLP's hidden layers against the source's fitted layers", () => {
    const mlp = record({ algorithm: "mlp_classifier", params: { stage: "MultilayerPerceptronClassificationModel", params: { layers: [9, 16, 8, 2] } } });
    expect(sourceHiddenLayers(mlp)).toEqual([16, 8]);
    expect(transferProblems(target({ algorithm: "mlp_classifier", params: { hiddenLayers: [16, 8] } }), found(mlp))).toEqual([]);
    const wrong = transferProblems(target({ algorithm: "mlp_classifier", params: { hiddenLayers: [4] } }), found(mlp));
    expect(wrong).toEqual([{ path: "model.params.hiddenLayers", message: "finetune copies the hidden layers of churn@3, [16, 8]; got [4]" }]);
  });
});

describe("feature and offset against the source", () => {
  const glm = (family: string) => target({ method: "offset", algorithm: "generalized_linear_regression", params: { family } });
  const glmSource = (family: string, link?: string) =>
    record({ algorithm: "generalized_linear_regression", task: "regression", params: { stage: "GeneralizedLinearRegressionModel", params: { family, ...(link ? { link } : {}) } } });

  it("accepts feature from any classifier or regressor with the output it reads, and offset of a matching family", () => {
    expect(transferProblems(target({ method: "feature", algorithm: "gbt_classifier" }), found())).toEqual([]);
    expect(transferProblems(target({ method: "feature", use: "margin" }), found(record({ algorithm: "gbt_classifier" })))).toEqual([]);
    expect(transferProblems(target({ method: "feature" }), found(record({ algorithm: "random_forest_regressor", task: "regression" })))).toEqual([]);
    const mlp = record({ algorithm: "mlp_classifier", params: { stage: "MultilayerPerceptronClassificationModel", params: { layers: [9, 4, 2] } } });
    expect(transferProblems(target({ method: "feature", use: "hidden" }), found(mlp))).toEqual([]);
    expect(transferDetail("feature", mlp, "hidden", {}, "logistic_regression")).toEqual({ use: "hidden" });
    expect(transferProblems(glm("binomial"), found())).toEqual([]);
    expect(transferProblems(glm("binomial"), found(record({ algorithm: "gbt_classifier" })))).toEqual([]);
    expect(transferProblems(glm("poisson"), found(glmSource("poisson")))).toEqual([]);
  });

  it.each([
    ["probability of a regressor", target({ method: "feature", use: "probability" }), record({ algorithm: "linear_regression", task: "regression" }), "model.transfer.use", /use: probability needs a classifier with probabilities; churn@3 is a linear_regression/],
    ["probability of a linear SVC", target({ method: "feature" }), record({ algorithm: "linear_svc" }), "model.transfer.method", /needs a classifier with probabilities/],
    ["the margin of a random forest", target({ method: "feature", use: "margin" }), record({ algorithm: "random_forest_classifier" }), "model.transfer.use", /use: margin reads a link-scale score/],
    ["a composite source", target({ method: "feature" }), record({ lineage: { ...record().lineage, basedOn: { name: "a", version: 1, manifestSha256: "x", method: "feature" } } }), "model.basedOn", /embeds its own source/],
    ["a gaussian GLM offset", glm("gaussian"), record(), "model.transfer.method", /offset takes a GLM of family binomial or poisson; this spec's family is gaussian/],
    ["a family mismatch", glm("poisson"), record(), "model.basedOn", /offset with family poisson starts from a binary generalized_linear_regression; churn@3 is a binary classification logistic_regression/],
    ["a source GLM of another family", glm("binomial"), glmSource("poisson"), "model.basedOn", /needs a source GLM of family binomial with the logit link/],
    ["a multiclass source", glm("binomial"), record({ task: "multiclass_classification" }), "model.basedOn", /starts from a binary/],
    ["hidden of a logistic regression", target({ method: "feature", use: "hidden" }), record(), "model.transfer.use", /use: hidden reads an mlp_classifier's last hidden layer; churn@3 is a logistic_regression/],
    ["hidden of an MLP without a hidden layer", target({ method: "feature", use: "hidden" }), record({ algorithm: "mlp_classifier", params: { stage: "MultilayerPerceptronClassificationModel", params: { layers: [9, 2] } } }), "model.transfer.use", /use: hidden reads the last hidden layer; churn@3 has none/],
    ["hidden of an MLP with no recorded layers", target({ method: "feature", use: "hidden" }), record({ algorithm: "mlp_classifier" }), "model.transfer.use", /use: hidden needs the source's fitted layers/],
    ["use with offset", target({ method: "offset", algorithm: "generalized_linear_regression", params: { family: "binomial" }, use: "probability" }), record(), "model.transfer.use", /offset always reads the source's margin/],
  ])("refuses %s", (_title, t, source, path, message) => {
    const problems = transferProblems(t, found(source));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe(path);
    expect(problems[0]!.message).toMatch(message);
  });

  it("records feature's resolved use and offset's family", () => {
    expect(transferDetail("feature", record(), undefined, {}, "decision_tree_classifier")).toEqual({ use: "probability" });
    expect(transferDetail("feature", record({ task: "regression" }), undefined, {}, "linear_regression")).toEqual({ use: "prediction" });
    expect(transferDetail("offset", record(), undefined, { family: "binomial" }, "generalized_linear_regression")).toEqual({ family: "binomial" });
    expect(transferDetail("offset", record({ algorithm: "gbt_classifier" }), undefined, {}, "gbt_classifier")).toEqual({}); // no family: it boosts on
    expect(transferDetail("finetune", record(), undefined, {}, "logistic_regression")).toEqual({});
  });
});

describe("the CLI's store check", () => {
  it("validate refuses an unknown source in an empty store, and render refuses basedOn (no transfer block for the operator)", async () => {
    const dir = tempDir("mlship-transfer-unit-");
    const file = join(dir, "t.yaml");
    writeFileSync(file, spec("  basedOn: churn@9"));
    const v = await cliInProcess(["validate", file, "--store", join(dir, "store")]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/t\.yaml:7:3 model\.basedOn: no model version matches "churn@9"/);
    const r = await cliInProcess(["render", file, "--target", "spark-operator", "--image", "x/y:1", "--store", join(dir, "store")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model\.basedOn: `mlship render` does not yet carry model\.basedOn/);
  });
});
