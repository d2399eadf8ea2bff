// Spark's LinearSVCModel: margin m = x · β + intercept, rawPrediction [-m, m], prediction 1 when m > threshold.
// There is no probability (Spark's LinearSVC has none).
import type { LinearSvcStage } from "../descriptor.js";
import type { ArrowTable } from "../arrow.js";
import { ModelError } from "../frame.js";
import { readLinearTable, sparkLinearDot, sparkLinearDotColumns } from "./linear-table.js";
import { type ColumnPredictFn, withColumns } from "../columns.js";
import type { Prediction, PredictFn } from "./types.js";

export function compileLinearSvc(stage: LinearSvcStage, table: ArrowTable): PredictFn {
  const n = stage.numFeatures;
  const { intercepts, coefficients } = readLinearTable(table, n, stage.kind);
  if (coefficients.length !== 1) throw new ModelError(`${stage.kind}: expected one coefficient row, got ${coefficients.length}`);
  const coef = coefficients[0]!;
  const intercept = intercepts[0]!;
  const threshold = stage.threshold;
  if (typeof threshold !== "number") throw new ModelError(`${stage.kind}: threshold ${JSON.stringify(threshold)}`);
  const dot = sparkLinearDot(stage, stage.kind);
  const rawPrediction = new Float64Array(2);
  const out: Prediction = { prediction: 0, rawPrediction };
  const predict = (x: Float64Array) => {
    const margin = dot(x, coef, n) + intercept;
    rawPrediction[0] = -margin;
    rawPrediction[1] = margin;
    out.prediction = rawPrediction[1] > threshold ? 1 : 0; // raw2prediction
    return out;
  };
  const batch = sparkLinearDotColumns(stage, stage.kind);
  const columns: ColumnPredictFn = (features, frame, result, at) => {
    const rows = frame.rows;
    const margins = frame.alloc();
    batch.dot(features, coef, rows, batch.denseRows(features, rows), margins);
    for (let r = 0; r < rows; r++) {
      const margin = margins[r]! + intercept;
      if (result.rawPrediction) {
        result.rawPrediction[result.width * (at + r)] = -margin;
        result.rawPrediction[result.width * (at + r) + 1] = margin;
      }
      result.prediction[at + r] = margin > threshold ? 1 : 0;
    }
  };
  return withColumns(predict, columns);
}
