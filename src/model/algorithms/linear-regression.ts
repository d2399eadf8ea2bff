// Spark's LinearRegressionModel: coefficients · x + intercept, the dot product summed as Spark sums it.
import type { LinearRegressionStage } from "../descriptor.js";
import type { ArrowTable } from "../arrow.js";
import { readLinearTable, sparkLinearDot, sparkLinearDotColumns } from "./linear-table.js";
import { type ColumnPredictFn, withColumns } from "../columns.js";
import type { Prediction, PredictFn } from "./types.js";

export function compileLinearRegression(stage: LinearRegressionStage, table: ArrowTable): PredictFn {
  const n = stage.numFeatures;
  const { intercepts, coefficients } = readLinearTable(table, n, "linear_regression");
  const coef = coefficients[0]!;
  const intercept = intercepts[0]!;
  const dot = sparkLinearDot(stage, "linear_regression");
  const out: Prediction = { prediction: 0 };
  const predict = (x: Float64Array) => {
    out.prediction = dot(x, coef, n) + intercept;
    return out;
  };
  const batch = sparkLinearDotColumns(stage, "linear_regression");
  const columns: ColumnPredictFn = (features, frame, result, at) => {
    const rows = frame.rows;
    const sums = frame.alloc();
    batch.dot(features, coef, rows, batch.denseRows(features, rows), sums);
    for (let r = 0; r < rows; r++) result.prediction[at + r] = sums[r]! + intercept;
  };
  return withColumns(predict, columns);
}
