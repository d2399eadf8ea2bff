// model.basedOn: the spec's own checks (loadSpec) and the pure compatibility of a source version with a target spec.
import { describe, expect, it } from "vitest";
import { SpecError } from "../../src/errors.js";
import { loadSpec } from "../../src/jobspec/index.js";
import type { InputColumn } from "../../src/model/descriptor.js";
import type { VersionRecord } from "../../src/registry/index.js";
import { sourceHiddenLayers, transferProblems, type TransferTarget } from "../../src/transfer/compat.js";
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

  it.each([
    ["feature", spec("  basedOn: churn@3", "  transfer:", "    method: feature"), /"feature" is not yet implemented/],
    ["freezeStages false", spec("  basedOn: churn@3", "  transfer:", "    freezeStages: false"), /^9:19 model\.transfer\.freezeStages: freezeStages: false is not yet implemented/],
    ["transfer without basedOn", spec("  transfer: { method: finetune }"), /^7:3 model\.transfer: expected model\.basedOn/],
    ["a malformed reference", spec("  basedOn: churn@x@y"), /^7:12 model\.basedOn: malformed reference/],
    ["an unknown method", spec("  basedOn: churn@3", "  transfer: { method: stacking }"), /model\.transfer\.method/],
  ])("refuses %s", async (_title, text, want) => {
    const problems = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(want);
  });

  it("refuses finetune for an algorithm it does not take, and layers for an MLP", async () => {
    expect(await problemsOf(spec("  basedOn: churn@3").replace("logistic_regression", "gbt_classifier"))).toEqual([
      '7:12 model.basedOn: transfer method "finetune" takes logistic_regression or mlp_classifier, not gbt_classifier',
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
    ["a method not yet implemented", target({ method: "offset" }), found(), "model.transfer.method", /not yet implemented/],
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
