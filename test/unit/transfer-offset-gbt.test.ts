// Transfer method offset for a GBT target: the spec accepts it, the store check takes a source of the same GBT kind.
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../src/jobspec/index.js";
import type { InputColumn } from "../../src/model/descriptor.js";
import type { VersionRecord } from "../../src/registry/index.js";
import { transferProblems, type TransferTarget } from "../../src/transfer/compat.js";
import { isOffsetGbt } from "../../src/transfer/offset-gbt.js";
import { versionInput } from "../helpers/registry-input.js";

const INPUTS: InputColumn[] = [{ name: "tenure", type: "double", role: "numeric" }];
const target = (algorithm: string): TransferTarget => ({ algorithm, numeric: ["tenure", "age"], categorical: [], params: { maxIter: 10 }, method: "offset" });
const source = (algorithm: string) => {
  const record: VersionRecord = { ...versionInput("churn"), algorithm, version: 3, createdAt: "2026-12-07T00:00:00Z" };
  return { found: true as const, ref: "churn@3", record, inputs: INPUTS };
};

describe("offset for GBT", () => {
  it("is a method the spec accepts with a GBT target", async () => {
    const text = ["name: t", "model:", "  algorithm: gbt_classifier", "  label: churned", "  basedOn: churn@3", "  transfer: { method: offset }", "  features:", "    numeric: [tenure]", "data:", "  train: data/x", ""].join("\n");
    const loaded = await loadSpec({ file: "t.yaml", text, env: {} });
    expect(loaded.spec.model.transfer?.method).toBe("offset");
  });

  it.each(["gbt_classifier", "gbt_regressor"])("takes a %s source for the same target, with target-only columns", (algorithm) => {
    expect(transferProblems(target(algorithm), source(algorithm))).toEqual([]);
  });

  it.each([
    ["gbt_classifier", "gbt_regressor"],
    ["gbt_regressor", "gbt_classifier"],
    ["gbt_classifier", "logistic_regression"],
    ["gbt_regressor", "random_forest_regressor"],
  ])("refuses a %s target from a %s source, at model.transfer.method", (to, from) => {
    expect(transferProblems(target(to), source(from))).toEqual([
      { path: "model.transfer.method", message: `offset for a ${to} boosts on from the trees of a ${to}; churn@3 is a ${from}` },
    ]);
  });

  it("leaves a GBT source with another target to the other offset checks, and finetune alone", () => {
    expect(isOffsetGbt({ algorithm: "gbt_classifier", method: "offset" })).toBe(true);
    expect(isOffsetGbt({ algorithm: "glm", method: "offset" })).toBe(false);
    expect(isOffsetGbt({ algorithm: "gbt_classifier", method: "finetune" })).toBe(false);
  });
});
