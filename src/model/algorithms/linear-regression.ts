// Spark's LinearRegressionModel: coefficients · x + intercept, the dot product summed as Spark sums it.
import type { LinearRegressionStage } from "../descriptor.js";
import type { ArrowTable } from "../arrow.js";
import { readLinearTable, sparkLinearDot } from "./linear-table.js";
import type { Prediction, PredictFn } from "./types.js";

export function compileLinearRegression(stage: LinearRegressionStage, table: ArrowTable): PredictFn {
  const n = stage.numFeatures;
  const { intercepts, coefficients } = readLinearTable(table, n, "linear_regression");
  const coef = coefficients[0]!;
  const intercept = intercepts[0]!;
  const dot = sparkLinearDot(stage, "linear_regression");
  const out: Prediction = { prediction: 0 };
  return (x) => {
    out.prediction = dot(x, coef, n) + intercept;
    return out;
  };
}
