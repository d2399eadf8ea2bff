// A small hand-made served model, and the strict input policy, for the serve unit tests.
import { compileModel } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { servedVersion } from "../../src/serve/runtime/served.js";
import type { VersionRecord } from "../../src/registry/index.js";
import { descriptor, linearTable, table } from "./portable.js";

// x (numeric, imputed) + color (indexed with `handleInvalid`, one-hot) -> binomial LR, with text labels.
export function served(handleInvalid: "keep" | "error" = "keep") {
  const keep = handleInvalid === "keep";
  const tables = new Map<string, ArrowTable>([
    ["imp", table({ x: [2.5] })],
    ["si", table({ column: ["color", "color"], index: Int32Array.from([0, 1]), label: ["red", "blue"] })],
    ["ohe", table({ column: ["color__idx"], size: Int32Array.from([keep ? 3 : 2]) })],
    ["va", table({ column: ["x__imp", "color__ohe"], size: Int32Array.from([1, keep ? 2 : 1]) })],
    ["lr", linearTable([0.5], [[2, -1, ...(keep ? [3] : [])]])],
  ]);
  const d = descriptor({
    label: { column: "y", values: ["stay", "leave"] },
    inputSchema: [
      { name: "x", type: "double", role: "numeric" },
      { name: "color", type: "string", role: "categorical" },
    ],
    stages: [
      { kind: "imputer", file: "imp", inputCols: ["x"], outputCols: ["x__imp"], strategy: "mean", missingValue: "NaN" },
      { kind: "string_indexer", file: "si", inputCols: ["color"], outputCols: ["color__idx"], handleInvalid },
      { kind: "one_hot_encoder", file: "ohe", inputCols: ["color__idx"], outputCols: ["color__ohe"], dropLast: true, handleInvalid: "error" },
      { kind: "vector_assembler", file: "va", inputCols: ["x__imp", "color__ohe"], outputCol: "features", handleInvalid: "error" },
      { kind: "logistic_regression", file: "lr", featuresCol: "features", numClasses: 2, numFeatures: keep ? 3 : 2, isMultinomial: false, threshold: 0.5 },
    ],
  });
  const record = { model: "toy", version: 3, createdAt: "2026-01-01T00:00:00Z" } as VersionRecord;
  return servedVersion(record, compileModel(d, tables), new Date(0));
}

export const STRICT = { mode: "strict", onInvalid: "fail" } as const;
