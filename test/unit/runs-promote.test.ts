// The promotion gate as a pure decision: min/max, notWorseThanCurrentBy in each metric's direction, parity; and the spec field.
import { describe, expect, it } from "vitest";
import { decideGate, type Gate } from "../../src/runs/promote.js";
import { METRIC_DIRECTIONS, metricDirection, type VersionRecord } from "../../src/registry/index.js";
import { SpecError } from "../../src/errors.js";
import { loadSpec } from "../../src/jobspec/index.js";
import { versionInput } from "../helpers/registry-input.js";

const version = (n: number, metrics: Record<string, number>, parityPassed = true): VersionRecord => {
  const base = versionInput("m", `run-${n}`);
  return { ...base, version: n, createdAt: "2026-01-01T00:00:00.000Z", metrics, parity: { ...base.parity, passed: parityPassed } };
};
const gate = (when: NonNullable<Gate["when"]>): Gate => ({ alias: "production", when });

describe("notWorseThanCurrentBy", () => {
  // [metric, candidate, current, margin, promoted]
  it.each([
    ["areaUnderROC", 0.85, 0.86, 0.02, true], // worse by 0.01, within 0.02
    ["areaUnderROC", 0.83, 0.86, 0.02, false], // worse by 0.03
    ["areaUnderROC", 0.9, 0.86, 0, true], // better
    ["areaUnderROC", 0.86, 0.86, 0, true], // equal, zero margin
    ["r2", 0.7, 0.8, 0.05, false],
    ["accuracy", 0.795, 0.8, 0.01, true],
    ["rmse", 10.5, 10, 1, true], // lower is better: worse by 0.5, within 1
    ["rmse", 12, 10, 1, false], // worse by 2
    ["rmse", 8, 10, 0, true], // better
    ["mae", 3.2, 3, 0.1, false],
    ["logLoss", 0.40, 0.45, 0, true],
  ] as const)("%s: candidate %s vs current %s, margin %s -> promoted %s", (metric, mine, theirs, margin, promoted) => {
    const d = decideGate(gate({ metric, notWorseThanCurrentBy: margin }), version(2, { [metric]: mine }), version(1, { [metric]: theirs }));
    expect(d.passed).toBe(promoted);
    const check = d.checks.find((c) => c.check === "notWorseThanCurrentBy")!;
    expect(check.passed).toBe(promoted);
    expect(check.detail).toContain(`current version 1`);
    expect(check.detail).toContain(`(${METRIC_DIRECTIONS[metric]} is better)`);
    if (!promoted) expect(d.reason).toMatch(/more than the margin/);
  });

  it("passes when the alias points nowhere yet, saying so", () => {
    const d = decideGate(gate({ metric: "areaUnderROC", notWorseThanCurrentBy: 0 }), version(1, { areaUnderROC: 0.5 }), null);
    expect(d.passed).toBe(true);
    expect(d.reason).toMatch(/no current version/);
  });

  it("passes when the current version lacks the metric, saying so", () => {
    const d = decideGate(gate({ metric: "areaUnderROC", notWorseThanCurrentBy: 0 }), version(2, { areaUnderROC: 0.5 }), version(1, { r2: 0.9 }));
    expect(d).toMatchObject({ passed: true });
    expect(d.reason).toMatch(/current version 1 has no areaUnderROC/);
  });

  it("combines with min: both must hold, and the reason names every failed check", () => {
    const d = decideGate(gate({ metric: "areaUnderROC", min: 0.8, notWorseThanCurrentBy: 0.01 }), version(2, { areaUnderROC: 0.75 }), version(1, { areaUnderROC: 0.9 }));
    expect(d.passed).toBe(false);
    expect(d.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(["min", "notWorseThanCurrentBy"]);
    expect(d.reason).toMatch(/areaUnderROC 0\.75 < min 0\.8; .*worse by 0\.15/);
  });
});

describe("the other checks", () => {
  it("refuses a version whose parity certificate did not pass, even with no metric condition", () => {
    const d = decideGate({ alias: "production" }, version(2, {}, false), null);
    expect(d).toMatchObject({ passed: false });
    expect(d.checks).toEqual([expect.objectContaining({ check: "parity", passed: false })]);
  });

  it("records the passed parity certificate in the decision", () => {
    const d = decideGate({ alias: "production" }, version(2, {}), null);
    expect(d.passed).toBe(true);
    expect(d.reason).toMatch(/parity certificate passed \(200 rows/);
  });

  it.each([
    [{ metric: "areaUnderROC", min: 0.9 }, 0.85, false],
    [{ metric: "areaUnderROC", min: 0.85 }, 0.85, true],
    [{ metric: "rmse", max: 10 }, 10.5, false],
    [{ metric: "rmse", max: 10 }, 9, true],
  ] as const)("%j with value %s -> %s", (when, value, passed) => {
    expect(decideGate(gate(when), version(2, { [when.metric]: value }), null).passed).toBe(passed);
  });

  it("refuses when the run did not compute the gate's metric", () => {
    const d = decideGate(gate({ metric: "r2", min: 0 }), version(2, { areaUnderROC: 0.9 }), null);
    expect(d).toMatchObject({ passed: false });
    expect(d.reason).toMatch(/metric r2 was not computed by version 2 \(it has: areaUnderROC\)/);
  });
});

describe("metric directions", () => {
  it("knows the metrics mlship computes and nothing else", () => {
    for (const m of ["areaUnderROC", "areaUnderPR", "accuracy", "f1", "r2", "weightedPrecision", "weightedRecall", "silhouette"]) expect(metricDirection(m)).toBe("higher");
    for (const m of ["rmse", "mse", "mae", "logLoss"]) expect(metricDirection(m)).toBe("lower");
    expect(metricDirection("toString")).toBeUndefined();
    expect(metricDirection("precisionByLabel")).toBeUndefined();
  });
});

describe("spec: promote.when.notWorseThanCurrentBy", () => {
  const text = (when: string) =>
    ["name: churn", "model:", "  algorithm: logistic_regression", "  label: churned", "  features:", "    numeric: [tenure]", "data:", "  train: data/churn/", "promote:", "  alias: production", `  when: ${when}`, ""].join("\n");

  it("loads a margin for a metric with a known direction", async () => {
    const loaded = await loadSpec({ file: "j.yaml", text: text("{ metric: rmse, notWorseThanCurrentBy: 0.5 }"), env: {} });
    expect(loaded.spec.promote?.when).toEqual({ metric: "rmse", notWorseThanCurrentBy: 0.5 });
  });

  it.each([
    ["{ metric: precisionByLabel, notWorseThanCurrentBy: 0.1 }", /j\.yaml:11:\d+ promote\.when\.metric: .*notWorseThanCurrentBy needs a metric whose better direction mlship knows/],
    ["{ metric: r2, notWorseThanCurrentBy: -0.1 }", /promote\.when\.notWorseThanCurrentBy: expected a number >= 0, got -0\.1/],
  ])("rejects %s", async (when, message) => {
    const err = await loadSpec({ file: "j.yaml", text: text(when), env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).message).toMatch(message);
  });
});
