// Spark's LogisticRegressionModel (binomial and multinomial), with its exact output rules.
import type { LogisticRegressionStage } from "../descriptor.js";
import type { ArrowTable } from "../arrow.js";
import { ModelError } from "../frame.js";
import { type LinearDot, readLinearTable, sparkLinearDot, sparkLinearDotColumns } from "./linear-table.js";
import { type ColumnPredictFn, withColumns } from "../columns.js";
import type { Prediction, PredictFn } from "./types.js";

export function compileLogisticRegression(stage: LogisticRegressionStage, table: ArrowTable): PredictFn {
  const n = stage.numFeatures;
  const { intercepts, coefficients } = readLinearTable(table, n, "logistic_regression");
  // Binomial: BLAS.dot; multinomial: BLAS.gemv, whose dense kernel sums each class row as ddot does.
  const dot = sparkLinearDot(stage, "logistic_regression");
  const predict = stage.isMultinomial ? multinomial(stage, intercepts, coefficients, n, dot) : binomial(stage, intercepts, coefficients, n, dot);
  return withColumns(predict, batchKernel(stage, intercepts, coefficients));
}

// The batch form: margins column by column (sparkLinearDotColumns), then each row's outputs as the row path computes them.
function batchKernel(stage: LogisticRegressionStage, intercepts: Float64Array, coefficients: Float64Array[]): ColumnPredictFn {
  const { dot, denseRows } = sparkLinearDotColumns(stage, "logistic_regression");
  if (!stage.isMultinomial) {
    const coef = coefficients[0]!;
    const intercept = intercepts[0]!;
    const threshold = stage.thresholds?.length === 2 ? binaryThreshold(stage.thresholds) : (stage.threshold ?? 0.5);
    return (features, frame, out, at) => {
      const rows = frame.rows;
      const margins = frame.alloc();
      dot(features, coef, rows, denseRows(features, rows), margins);
      const { prediction, probability, rawPrediction, width } = out;
      for (let r = 0; r < rows; r++) {
        const margin = margins[r]! + intercept;
        const p0 = 1.0 / (1.0 + Math.exp(margin));
        const o = (at + r) * width;
        if (rawPrediction) {
          rawPrediction[o] = -margin;
          rawPrediction[o + 1] = margin;
        }
        if (probability) {
          probability[o] = p0;
          probability[o + 1] = 1.0 - p0;
        }
        prediction[at + r] = 1.0 - p0 > threshold ? 1 : 0;
      }
    };
  }
  const k = coefficients.length;
  const thresholds = stage.thresholds ?? null;
  const raw = new Float64Array(k);
  const prob = new Float64Array(k);
  return (features, frame, out, at) => {
    const rows = frame.rows;
    const dense = denseRows(features, rows);
    const margins = coefficients.map((coef) => {
      const m = frame.alloc();
      dot(features, coef, rows, dense, m);
      return m;
    });
    for (let r = 0; r < rows; r++) {
      let maxIdx = 0;
      for (let c = 0; c < k; c++) {
        const m = intercepts[c]! + margins[c]![r]!;
        raw[c] = m;
        if (m > raw[maxIdx]!) maxIdx = c;
      }
      softmaxInto(raw, prob, maxIdx);
      out.prediction[at + r] = argmax(prob, thresholds);
      if (out.rawPrediction) out.rawPrediction.set(raw, (at + r) * out.width);
      if (out.probability) out.probability.set(prob, (at + r) * out.width);
    }
  };
}

function binomial(stage: LogisticRegressionStage, intercepts: Float64Array, coefficients: Float64Array[], n: number, dot: LinearDot): PredictFn {
  const coef = coefficients[0];
  if (!coef || coefficients.length !== 1) throw new ModelError("logistic_regression: a binomial model has exactly one coefficient row");
  const intercept = intercepts[0]!;
  const threshold = stage.thresholds?.length === 2 ? binaryThreshold(stage.thresholds) : (stage.threshold ?? 0.5);
  const probability = new Float64Array(2);
  const rawPrediction = new Float64Array(2);
  const out: Prediction = { prediction: 0, probability, rawPrediction };
  return (x) => {
    const margin = dot(x, coef, n) + intercept;
    rawPrediction[0] = -margin;
    rawPrediction[1] = margin;
    // Spark computes the class-0 probability from rawPrediction[0] and derives class 1 from it.
    const p0 = 1.0 / (1.0 + Math.exp(margin));
    probability[0] = p0;
    probability[1] = 1.0 - p0;
    out.prediction = probability[1]! > threshold ? 1 : 0;
    return out;
  };
}

// Spark maps thresholds [t0, t1] to the binary threshold 1 / (1 + t0 / t1).
function binaryThreshold([t0, t1]: number[]): number {
  return 1.0 / (1.0 + t0! / t1!);
}

function multinomial(stage: LogisticRegressionStage, intercepts: Float64Array, coefficients: Float64Array[], n: number, dot: LinearDot): PredictFn {
  const k = coefficients.length;
  if (k !== stage.numClasses) throw new ModelError(`logistic_regression: ${k} coefficient rows for ${stage.numClasses} classes`);
  const thresholds = stage.thresholds ?? null;
  const probability = new Float64Array(k);
  const rawPrediction = new Float64Array(k);
  const out: Prediction = { prediction: 0, probability, rawPrediction };
  return (x) => {
    let maxIdx = 0;
    for (let c = 0; c < k; c++) {
      const m = intercepts[c]! + dot(x, coefficients[c]!, n);
      rawPrediction[c] = m;
      if (m > rawPrediction[maxIdx]!) maxIdx = c;
    }
    softmaxInto(rawPrediction, probability, maxIdx);
    out.prediction = argmax(probability, thresholds);
    return out;
  };
}

// Spark's raw2probabilityInPlace for multinomial: exp(m - max), then scaled by 1/sum.
function softmaxInto(raw: Float64Array, prob: Float64Array, maxIdx: number): void {
  const max = raw[maxIdx]!;
  if (max === Number.POSITIVE_INFINITY) {
    prob.fill(0);
    prob[maxIdx] = 1;
    return;
  }
  let sum = 0;
  for (let c = 0; c < raw.length; c++) {
    const e = Math.exp(raw[c]! - max);
    prob[c] = e;
    sum += e;
  }
  const inv = 1.0 / sum;
  for (let c = 0; c < prob.length; c++) prob[c] = prob[c]! * inv;
}

// Spark's probability2prediction: argmax of probability (divided by thresholds when set), first wins ties.
function argmax(prob: Float64Array, thresholds: number[] | null): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < prob.length; c++) {
    // Spark divides by the threshold as is: a 0 threshold gives +Infinity (or NaN for p = 0).
    const v = thresholds ? prob[c]! / thresholds[c]! : prob[c]!;
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}
