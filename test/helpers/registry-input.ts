// A minimal version record input for registry tests.
import type { VersionRecord } from "../../src/registry/index.js";

export function versionInput(model: string, runId = "r1"): Omit<VersionRecord, "version" | "createdAt"> {
  return {
    model,
    algorithm: "logistic_regression",
    task: "binary_classification",
    artifacts: { store: "x", prefix: `runs/${model}/${runId}/model`, manifestSha256: "0".repeat(64), files: 3, bytes: 10 },
    metrics: { areaUnderROC: 0.8 },
    parity: { rows: 200, maxAbsDiff: 0, tolerance: 1e-9, labelMismatches: 0, passed: true },
    lineage: { runId, job: model, specFile: "jobs/x.yaml", specSha256: "a".repeat(64), gitCommit: null, data: { train: "d", format: "parquet" } },
  };
}
