// Spark's NaiveBayesModel (multinomial, complement, bernoulli, gaussian), output for output. Each formula follows
// Spark 4.1.1's bytecode (docs/portable-model.md, "Naive Bayes"): rawPrediction is a log-likelihood per class,
// probability its softmax (Utils.softmax), prediction the raw argmax unless thresholds are set.
import type { NaiveBayesStage } from "../descriptor.js";
import { type ArrowTable, listColumn, numberColumn } from "../arrow.js";
import { ModelError, RowError } from "../frame.js";
import { sparkDot } from "./ddot.js";
import type { Prediction, PredictFn } from "./types.js";

const MODEL_TYPES = ["multinomial", "complement", "bernoulli", "gaussian"] as const;

interface NaiveBayesParams {
  pi: Float64Array;
  theta: Float64Array[]; // one row per class
  sigma: Float64Array[]; // gaussian only
}

export function compileNaiveBayes(stage: NaiveBayesStage, table: ArrowTable): PredictFn {
  if (!(MODEL_TYPES as readonly string[]).includes(stage.modelType)) throw new ModelError(`naive_bayes: unknown modelType ${JSON.stringify(stage.modelType)}`);
  const lanes = stage.ddotLanes ?? null;
  if (lanes !== null && !(Number.isInteger(lanes) && lanes >= 1 && lanes <= 64)) throw new ModelError(`naive_bayes: ddotLanes ${lanes}`);
  const p = readNaiveBayesTable(stage, table);
  const k = stage.numClasses;
  const n = stage.numFeatures;
  const thresholds = stage.thresholds ?? null;
  if (thresholds && thresholds.length !== k) throw new ModelError(`naive_bayes: ${thresholds.length} thresholds for ${k} classes`);
  const rawPrediction = new Float64Array(k);
  const probability = new Float64Array(k);
  const out: Prediction = { prediction: 0, probability, rawPrediction };
  const predictRaw = rawFunction(stage, p, sparkGemv(lanes));
  return (x) => {
    predictRaw(x, n, rawPrediction);
    softmaxInto(rawPrediction, probability);
    out.prediction = predictClass(rawPrediction, probability, thresholds);
    return out;
  };
}

// Reads the (class, pi, theta, sigma) table into arrays, checking every shape against the descriptor.
function readNaiveBayesTable(stage: NaiveBayesStage, table: ArrowTable): NaiveBayesParams {
  const k = stage.numClasses;
  if (!Number.isInteger(k) || k < 2) throw new ModelError(`naive_bayes: numClasses ${k}`);
  const classes = numberColumn(table, "class");
  const pis = numberColumn(table, "pi");
  const thetas = listColumn(table, "theta");
  const sigmas = listColumn(table, "sigma");
  if (classes.length !== k) throw new ModelError(`naive_bayes: ${classes.length} class rows for ${k} classes`);
  const out: NaiveBayesParams = { pi: new Float64Array(k), theta: new Array(k), sigma: new Array(k) };
  const gaussian = stage.modelType === "gaussian";
  classes.forEach((c, i) => {
    if (c === null || c < 0 || c >= k || out.theta[c]) throw new ModelError(`naive_bayes: bad class index ${c}`);
    const theta = thetas[i];
    const sigma = sigmas[i] ?? new Float64Array(0);
    if (!theta || theta.length !== stage.numFeatures) throw new ModelError(`naive_bayes: class ${c} has ${theta?.length ?? 0} theta values, expected ${stage.numFeatures}`);
    if (sigma.length !== (gaussian ? stage.numFeatures : 0)) throw new ModelError(`naive_bayes: class ${c} has ${sigma.length} sigma values`);
    out.pi[c] = pis[i] ?? Number.NaN;
    out.theta[c] = theta;
    out.sigma[c] = sigma;
  });
  return out;
}

// y[c] = alpha · (A[c] · x) + beta · y[c] over the rows of a row-major matrix, as Spark's BLAS.gemv computes it.
// VectorAssembler hands Spark a sparse vector when 1.5 · (nonzeros + 1) < size (Vector.compressed); for those Spark
// sums the nonzero products in index order, which is the plain loop's double. A dense vector goes to netlib's dgemv
// "T", which sums each row like its ddot (SIMD lanes of fused multiply-adds, see ddot.ts).
type Gemv = (rows: Float64Array[], x: Float64Array, n: number, beta: number, y: Float64Array) => void;

function sparkGemv(lanes: number | null): Gemv {
  const dot = sparkDot(lanes);
  return (rows, x, n, beta, y) => {
    let nonzeros = 0;
    for (let i = 0; i < n; i++) if (x[i] !== 0) nonzeros++;
    const sparse = 1.5 * (nonzeros + 1.0) < n;
    for (let c = 0; c < rows.length; c++) {
      const row = rows[c]!;
      if (sparse) {
        let sum = 0;
        for (let i = 0; i < n; i++) if (x[i] !== 0) sum += x[i]! * row[i]!;
        y[c] = sum * 1.0 + beta * y[c]!; // Spark: sum * alpha + beta * y, alpha = 1
      } else {
        const sum = dot(x, row, n);
        y[c] = beta !== 0 ? 1.0 * sum + beta * y[c]! : 1.0 * sum;
      }
    }
  };
}

// The model type's predictRaw, writing the k log-likelihoods into `raw`.
function rawFunction(stage: NaiveBayesStage, p: NaiveBayesParams, gemv: Gemv): (x: Float64Array, n: number, raw: Float64Array) => void {
  const k = stage.numClasses;
  switch (stage.modelType) {
    case "multinomial":
      return (x, n, raw) => {
        requireNonNegative(x, n, stage.featuresCol);
        raw.set(p.pi);
        gemv(p.theta, x, n, 1.0, raw);
      };
    case "complement":
      return (x, n, raw) => {
        requireNonNegative(x, n, stage.featuresCol);
        raw.fill(0);
        gemv(p.theta, x, n, 0.0, raw);
        // Spark: log-sum-exp shifted by the max (scipy's logsumexp), then subtracted from each entry.
        let max = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < k; c++) if (raw[c]! > max) max = raw[c]!;
        let sumExp = 0.0;
        for (let c = 0; c < k; c++) sumExp += Math.exp(raw[c]! - max);
        const logSumExp = Math.log(sumExp) + max;
        for (let c = 0; c < k; c++) raw[c] = raw[c]! - logSumExp;
      };
    case "bernoulli": {
      // Spark's lazy vals: thetaMinusNegTheta = θ - log1p(-exp θ); piMinusThetaSum = π + Σ_j log1p(-exp θ_j), summed
      // by gemv against a dense vector of ones.
      const n = stage.numFeatures;
      const negTheta = p.theta.map((row) => row.map((v) => Math.log1p(-Math.exp(v))));
      const thetaMinusNegTheta = p.theta.map((row) => row.map((v) => v - Math.log1p(-Math.exp(v))));
      const piMinusThetaSum = Float64Array.from(p.pi);
      sparkGemvDense(gemv, negTheta, n, piMinusThetaSum);
      return (x, n, raw) => {
        requireZeroOne(x, n, stage.featuresCol);
        raw.set(piMinusThetaSum);
        gemv(thetaMinusNegTheta, x, n, 1.0, raw);
      };
    }
    case "gaussian": {
      // logVarSum(c) = Σ_j log σ²(c, j), summed in order; raw(c) = π(c) - (Σ_j (x_j - θ(c, j))² / σ²(c, j) + logVarSum(c)) / 2.
      const logVarSum = p.sigma.map((row) => row.reduce((s, v) => s + Math.log(v), 0));
      return (x, n, raw) => {
        for (let c = 0; c < k; c++) {
          const theta = p.theta[c]!;
          const sigma = p.sigma[c]!;
          let s = 0.0;
          for (let j = 0; j < n; j++) {
            const d = x[j]! - theta[j]!;
            s += (d * d) / sigma[j]!;
          }
          raw[c] = p.pi[c]! - (s + logVarSum[c]!) / 2;
        }
      };
    }
  }
}

// gemv against a dense all-ones vector (always Spark's dense path, whatever its width).
function sparkGemvDense(gemv: Gemv, rows: Float64Array[], n: number, y: Float64Array): void {
  const ones = new Float64Array(n).fill(1.0);
  // A vector of ones is never "sparse" by the compressed rule, so the gemv takes the dense path.
  gemv(rows, ones, n, 1.0, y);
}

// Spark's NaiveBayes.requireNonnegativeValues: multinomial and complement refuse a negative feature.
function requireNonNegative(x: Float64Array, n: number, featuresCol: string): void {
  for (let i = 0; i < n; i++) {
    if (!(x[i]! >= 0)) throw new RowError(featuresCol, `naive Bayes needs non-negative features, got ${x[i]} at index ${i}`);
  }
}

// Spark's NaiveBayes.requireZeroOneBernoulliValues: bernoulli takes 0 or 1 only.
function requireZeroOne(x: Float64Array, n: number, featuresCol: string): void {
  for (let i = 0; i < n; i++) {
    if (x[i] !== 0 && x[i] !== 1) throw new RowError(featuresCol, `Bernoulli naive Bayes needs 0/1 features, got ${x[i]} at index ${i}`);
  }
}

// Spark's Utils.softmax (NaiveBayesModel.raw2probabilityInPlace): max from -Double.MaxValue, exp(raw - max),
// then scaled by 1 / sum (BLAS dscal); a +Infinity entry takes all the probability.
export function softmaxInto(raw: Float64Array, prob: Float64Array): void {
  let max = -Number.MAX_VALUE;
  for (let c = 0; c < raw.length; c++) {
    const v = raw[c]!;
    if (v === Number.POSITIVE_INFINITY) {
      for (let j = 0; j < raw.length; j++) prob[j] = 0.0 * raw[j]!; // dscal by 0: -Infinity becomes NaN, as in Spark
      prob[c] = 1;
      return;
    }
    if (v > max) max = v;
  }
  let sum = 0.0;
  for (let c = 0; c < raw.length; c++) {
    const e = Math.exp(raw[c]! - max);
    prob[c] = e;
    sum += e;
  }
  const scale = 1.0 / sum;
  for (let c = 0; c < prob.length; c++) prob[c] = scale * prob[c]!;
}

// ProbabilisticClassificationModel: without thresholds the prediction is rawPrediction's argmax (first of equals);
// with thresholds, the argmax of probability / threshold.
export function predictClass(raw: Float64Array, prob: Float64Array, thresholds: readonly number[] | null): number {
  if (!thresholds) {
    let best = 0;
    for (let c = 1; c < raw.length; c++) if (raw[c]! > raw[best]!) best = c;
    return best;
  }
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < prob.length; c++) {
    const v = prob[c]! / thresholds[c]!;
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}
