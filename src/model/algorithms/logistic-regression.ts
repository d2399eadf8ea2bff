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
    const rawThreshold = binaryRawThreshold(stage);
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
        prediction[at + r] = margin > rawThreshold ? 1 : 0;
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
      for (let c = 0; c < k; c++) raw[c] = intercepts[c]! + margins[c]![r]!;
      softmaxInto(raw, prob);
      out.prediction[at + r] = multinomialPrediction(raw, prob, thresholds);
      if (out.rawPrediction) out.rawPrediction.set(raw, (at + r) * out.width);
      if (out.probability) out.probability.set(prob, (at + r) * out.width);
    }
  };
}

function binomial(stage: LogisticRegressionStage, intercepts: Float64Array, coefficients: Float64Array[], n: number, dot: LinearDot): PredictFn {
  const coef = coefficients[0];
  if (!coef || coefficients.length !== 1) throw new ModelError("logistic_regression: a binomial model has exactly one coefficient row");
  const intercept = intercepts[0]!;
  const rawThreshold = binaryRawThreshold(stage);
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
    out.prediction = margin > rawThreshold ? 1 : 0;
    return out;
  };
}

// Spark's transform predicts from rawPrediction (raw2prediction); a binomial model predicts 1 when the margin
// exceeds log(t / (1 - t)) (-Infinity for t = 0, +Infinity for t = 1), t the threshold, or 1 / (1 + t0 / t1)
// when thresholds [t0, t1] are set (LogisticRegressionModel._binaryThresholds).
function binaryRawThreshold(stage: LogisticRegressionStage): number {
  const [t0, t1] = stage.thresholds ?? [];
  const t = stage.thresholds?.length === 2 ? 1.0 / (1.0 + t0! / t1!) : (stage.threshold ?? 0.5);
  return t === 0 ? Number.NEGATIVE_INFINITY : t === 1 ? Number.POSITIVE_INFINITY : Math.log(t / (1.0 - t));
}

function multinomial(stage: LogisticRegressionStage, intercepts: Float64Array, coefficients: Float64Array[], n: number, dot: LinearDot): PredictFn {
  const k = coefficients.length;
  if (k !== stage.numClasses) throw new ModelError(`logistic_regression: ${k} coefficient rows for ${stage.numClasses} classes`);
  const thresholds = stage.thresholds ?? null;
  const probability = new Float64Array(k);
  const rawPrediction = new Float64Array(k);
  const out: Prediction = { prediction: 0, probability, rawPrediction };
  return (x) => {
    for (let c = 0; c < k; c++) rawPrediction[c] = intercepts[c]! + dot(x, coefficients[c]!, n);
    softmaxInto(rawPrediction, probability);
    out.prediction = multinomialPrediction(rawPrediction, probability, thresholds);
    return out;
  };
}

// Spark's raw2probabilityInPlace for multinomial (ml.impl.Utils.softmax): the max is taken from -MAX_VALUE
// (NaN and -Infinity never raise it); at the first +Infinity every value is scaled by 0 (BLAS dscal: NaN
// for an infinite or NaN value, a signed 0 for a finite one) and that class gets 1; otherwise exp(m - max),
// each scaled by 1/sum.
function softmaxInto(raw: Float64Array, prob: Float64Array): void {
  let max = -Number.MAX_VALUE;
  for (let c = 0; c < raw.length; c++) {
    const v = raw[c]!;
    if (v === Number.POSITIVE_INFINITY) {
      for (let j = 0; j < raw.length; j++) prob[j] = raw[j]! * 0.0;
      prob[c] = 1;
      return;
    }
    if (v > max) max = v;
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

// Spark's raw2prediction for a multinomial model: without thresholds rawPrediction's DenseVector.argmax (the
// first of equals; it starts from element 0, so a NaN there keeps class 0); with thresholds
// probability2prediction, the first largest probability[k] / thresholds[k] scanning from -Infinity.
function multinomialPrediction(raw: Float64Array, prob: Float64Array, thresholds: number[] | null): number {
  let best = 0;
  let bestValue = thresholds ? Number.NEGATIVE_INFINITY : raw[0]!;
  for (let c = 0; c < prob.length; c++) {
    // Spark divides by the threshold as is: a 0 threshold gives +Infinity (or NaN for p = 0).
    const v = thresholds ? prob[c]! / thresholds[c]! : raw[c]!;
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}
