// `mlship models diff`: the pure comparison of two version records, and the command on a local store.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffVersions, flatten } from "../../src/registry/diff.js";
import { registerVersion, type VersionRecord } from "../../src/registry/index.js";
import { LocalStore } from "../../src/store/index.js";
import { redactedSpec } from "../../src/runs/effective-spec.js";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { versionInput } from "../helpers/registry-input.js";

const spec = (regParam: number, memory: string) => ({ name: "churn", model: { algorithm: "logistic_regression", params: { regParam }, label: "y" }, spark: { master: "local[*]", executor: { memory } } });
const record = (version: number, over: Partial<VersionRecord>): VersionRecord => ({ ...versionInput("churn", `run-${version}`), version, createdAt: `2026-12-0${version}T00:00:00Z`, ...over });

describe("diffVersions", () => {
  const a = record(1, { spec: spec(0.01, "2g"), params: { stage: "LogisticRegressionModel", params: { regParam: 0.01, maxIter: 100, tol: 1e-6 } }, metrics: { areaUnderROC: 0.8, accuracy: 0.7 } });
  const b = record(2, { spec: spec(0.3, "2g"), params: { stage: "LogisticRegressionModel", params: { regParam: 0.3, maxIter: 100, tol: 1e-6 } }, metrics: { areaUnderROC: 0.85, accuracy: 0.7 } });

  it("names each differing field once per section, with metric deltas, and counts the equal ones", () => {
    const d = diffVersions(a, b);
    const bySection = (s: string) => d.rows.filter((r) => r.section === s).map((r) => [r.field, r.a, r.b]);
    expect(bySection("params")).toEqual([["regParam", 0.01, 0.3]]);
    expect(d.same.params).toBe(3); // stage, maxIter, tol
    expect(bySection("spec")).toEqual([["model.params.regParam", 0.01, 0.3]]);
    const auc = d.rows.find((r) => r.field === "areaUnderROC")!;
    expect(auc.delta).toBeCloseTo(0.05, 12);
    expect(d.rows.some((r) => r.field === "accuracy")).toBe(false);
    expect(bySection("lineage").map((r) => r[0])).toEqual(["createdAt", "runId", "version"]);
    expect(d.missing).toEqual({ a: [], b: [] });
  });

  it("says which sections a record registered before they were kept lacks, instead of inventing differences", () => {
    const old = record(3, {});
    const d = diffVersions(old, b);
    expect(d.missing).toEqual({ a: ["params", "spec"], b: [] });
    expect(d.rows.some((r) => r.section === "params" || r.section === "spec")).toBe(false);
  });

  it("a field present on one side only shows as missing on the other", () => {
    const d = diffVersions(a, record(4, { ...b, version: 4, params: { stage: "LogisticRegressionModel", params: { regParam: 0.01, maxIter: 100, tol: 1e-6, threshold: 0.4 } } }));
    expect(d.rows.find((r) => r.field === "threshold")).toMatchObject({ section: "params", a: undefined, b: 0.4 });
  });

  it("flattens maps into dotted fields and keeps lists whole", () => {
    expect(flatten({ a: { b: 1, c: { d: "x" } }, e: [1, 2], f: {} })).toEqual({ "a.b": 1, "a.c.d": "x", e: [1, 2], f: {} });
  });
});

describe("redactedSpec", () => {
  it("replaces every secret value, in values and in keys, and keeps everything else", () => {
    const redact = (s: string) => s.replaceAll("hunter2hunter2", "***");
    const out = redactedSpec({ spark: { env: { DB_PASSWORD: "hunter2hunter2", MODE: "x" }, conf: { "spark.a": "pre-hunter2hunter2-post" } }, parity: { rows: 1000 }, list: ["hunter2hunter2"] }, redact);
    expect(out).toEqual({ spark: { env: { DB_PASSWORD: "***", MODE: "x" }, conf: { "spark.a": "pre-***-post" } }, parity: { rows: 1000 }, list: ["***"] });
    expect(JSON.stringify(out)).not.toContain("hunter2");
  });
});

describe("mlship models diff", () => {
  it("prints the differing fields per section, takes a bare number for the same model, and --json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlship-diff-"));
    const store = new LocalStore(dir);
    await registerVersion(store, { ...versionInput("churn", "run-1"), spec: spec(0.01, "2g"), params: { stage: "LogisticRegressionModel", params: { regParam: 0.01 } }, metrics: { areaUnderROC: 0.8 } });
    await registerVersion(store, { ...versionInput("churn", "run-2"), spec: spec(0.3, "4g"), params: { stage: "LogisticRegressionModel", params: { regParam: 0.3 } }, metrics: { areaUnderROC: 0.75 } });

    const text = await cliInProcess(["models", "diff", "churn@1", "2", "--store", dir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^churn@1 vs churn@2$/m);
    expect(text.stdout).toMatch(/^params: 1 differ, 1 the same$/m);
    expect(text.stdout).toMatch(/^\s+regParam\s+0\.01\s+0\.3$/m);
    expect(text.stdout).toMatch(/^\s+spark\.executor\.memory\s+2g\s+4g$/m);
    expect(text.stdout).toMatch(/^\s+areaUnderROC\s+0\.8\s+0\.75\s+-0\.05/m);

    const json = await cliInProcess(["models", "diff", "churn@1", "churn@latest", "--store", dir, "--json"]);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ a: "churn@1", b: "churn@2", notKept: { a: [], b: [] } });
    expect(doc.differences).toContainEqual({ section: "params", field: "regParam", a: 0.01, b: 0.3 });

    const missing = await cliInProcess(["models", "diff", "churn@1", "churn@9", "--store", dir]);
    expect(missing.code).toBe(2); // E_NOT_FOUND
    expect(missing.stderr).toMatch(/no model version matches "churn@9"/);
  });
});
