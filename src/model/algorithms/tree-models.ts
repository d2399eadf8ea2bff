// Spark's tree models (decision tree, random forest, GBT; classification and regression), output for output.
// Each formula follows Spark 4.1.1's own code (checked against its bytecode and parity runs; see
// docs/portable-model.md, "Tree models").
import type { TreeStage } from "../descriptor.js";
import type { ArrowTable } from "../arrow.js";
import { ModelError } from "../frame.js";
import { sparkDot } from "./ddot.js";
import { type Forest, leafOf, readForest } from "./tree-table.js";
import type { Prediction, PredictFn } from "./types.js";

export function compileTreeModel(stage: TreeStage, table: ArrowTable): PredictFn {
  const forest = readForest(stage, table);
  switch (stage.kind) {
    case "decision_tree_regressor":
      return decisionTreeRegressor(forest);
    case "random_forest_regressor":
      return randomForestRegressor(forest);
    case "gbt_regressor":
      return gbtRegressor(forest, gbtMargin(stage, forest));
    case "decision_tree_classifier":
      return decisionTreeClassifier(forest, classes(stage, forest), stage.thresholds ?? null);
    case "random_forest_classifier":
      return randomForestClassifier(forest, classes(stage, forest), stage.thresholds ?? null);
    case "gbt_classifier":
      return gbtClassifier(stage, forest);
  }
}

// numClasses, checked against every leaf's class counts (Spark's raw prediction for a tree is the leaf's counts).
function classes(stage: TreeStage, forest: Forest): number {
  const k = stage.numClasses ?? 0;
  if (!Number.isInteger(k) || k < 2) throw new ModelError(`${stage.kind}: numClasses ${stage.numClasses}`);
  forest.feature.forEach((feature, node) => {
    if (feature < 0 && forest.stats[node]!.length !== k) {
      throw new ModelError(`${stage.kind}: a leaf has ${forest.stats[node]!.length} class counts for ${k} classes`);
    }
  });
  if (stage.thresholds && stage.thresholds.length !== k) throw new ModelError(`${stage.kind}: ${stage.thresholds.length} thresholds for ${k} classes`);
  return k;
}

// DecisionTreeRegressionModel.predict: the leaf's prediction.
function decisionTreeRegressor(f: Forest): PredictFn {
  const out: Prediction = { prediction: 0 };
  return (x) => {
    out.prediction = f.prediction[leafOf(f, 0, x)]!;
    return out;
  };
}

// RandomForestRegressionModel.predict: the trees' predictions summed in order, divided by numTrees (weights ignored).
function randomForestRegressor(f: Forest): PredictFn {
  const out: Prediction = { prediction: 0 };
  return (x) => {
    let sum = 0;
    for (let t = 0; t < f.numTrees; t++) sum += f.prediction[leafOf(f, t, x)]!;
    out.prediction = sum / f.numTrees;
    return out;
  };
}

// The GBT margin Σ weight_t · tree_t(x), summed as Spark's BLAS ddot sums it (ddotLanes: see ddot.ts).
function gbtMargin(stage: TreeStage, f: Forest): (x: Float64Array) => number {
  const lanes = stage.ddotLanes ?? null;
  if (lanes !== null && !(Number.isInteger(lanes) && lanes >= 1 && lanes <= 64)) throw new ModelError(`${stage.kind}: ddotLanes ${lanes}`);
  const dot = sparkDot(lanes);
  const weights = Float64Array.from(stage.treeWeights);
  const predictions = new Float64Array(f.numTrees);
  return (x) => {
    for (let t = 0; t < f.numTrees; t++) predictions[t] = f.prediction[leafOf(f, t, x)]!;
    return dot(predictions, weights, f.numTrees);
  };
}

// GBTRegressionModel.predict: the margin.
function gbtRegressor(f: Forest, margin: (x: Float64Array) => number): PredictFn {
  const out: Prediction = { prediction: 0 };
  return (x) => {
    out.prediction = margin(x);
    return out;
  };
}

// DecisionTreeClassificationModel: raw = the leaf's class counts, probability = raw / Σ raw.
function decisionTreeClassifier(f: Forest, k: number, thresholds: number[] | null): PredictFn {
  const rawPrediction = new Float64Array(k);
  const probability = new Float64Array(k);
  const out: Prediction = { prediction: 0, probability, rawPrediction };
  return (x) => {
    rawPrediction.set(f.stats[leafOf(f, 0, x)]!);
    normalizeInto(rawPrediction, probability);
    out.prediction = predictClass(rawPrediction, probability, thresholds);
    return out;
  };
}

// RandomForestClassificationModel.predictRaw: each tree votes its leaf's class shares (counts / their sum,
// skipped when the sum is 0), added up tree by tree; probability = raw / Σ raw. The shares are divided once here,
// with the same operands Spark divides per row, so they are the same doubles.
function randomForestClassifier(f: Forest, k: number, thresholds: number[] | null): PredictFn {
  const shares = f.stats.map((stats) => {
    const share = new Float64Array(stats.length);
    let total = 0;
    for (let i = 0; i < stats.length; i++) total += stats[i]!;
    if (total !== 0) for (let i = 0; i < stats.length; i++) share[i] = stats[i]! / total;
    return share;
  });
  const rawPrediction = new Float64Array(k);
  const probability = new Float64Array(k);
  const out: Prediction = { prediction: 0, probability, rawPrediction };
  return (x) => {
    rawPrediction.fill(0);
    for (let t = 0; t < f.numTrees; t++) {
      const share = shares[leafOf(f, t, x)]!;
      for (let i = 0; i < k; i++) rawPrediction[i] = rawPrediction[i]! + share[i]!;
    }
    normalizeInto(rawPrediction, probability);
    out.prediction = predictClass(rawPrediction, probability, thresholds);
    return out;
  };
}

// GBTClassificationModel: raw = [-m, m]; LogLoss.computeProbability on raw[0] gives p0 = 1 / (1 + exp(-2 · raw[0])),
// then p1 = 1 - p0; prediction = argmax(raw), i.e. 1 when m > 0.
function gbtClassifier(stage: TreeStage, f: Forest): PredictFn {
  if (stage.numClasses !== 2) throw new ModelError(`gbt_classifier: numClasses ${stage.numClasses}, expected 2`);
  if (stage.lossType !== "logistic") throw new ModelError(`gbt_classifier: lossType ${JSON.stringify(stage.lossType)}, expected "logistic"`);
  if (stage.thresholds && stage.thresholds.length !== 2) throw new ModelError(`gbt_classifier: ${stage.thresholds.length} thresholds for 2 classes`);
  const margin = gbtMargin(stage, f);
  const thresholds = stage.thresholds ?? null;
  const rawPrediction = new Float64Array(2);
  const probability = new Float64Array(2);
  const out: Prediction = { prediction: 0, probability, rawPrediction };
  return (x) => {
    const m = margin(x);
    rawPrediction[0] = -m;
    rawPrediction[1] = m;
    const p0 = 1.0 / (1.0 + Math.exp(-2.0 * rawPrediction[0]));
    probability[0] = p0;
    probability[1] = 1.0 - p0;
    out.prediction = predictClass(rawPrediction, probability, thresholds);
    return out;
  };
}

// ProbabilisticClassificationModel.normalizeToProbabilitiesInPlace: each value divided by the left-to-right sum.
function normalizeInto(raw: Float64Array, prob: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < raw.length; i++) sum += raw[i]!;
  for (let i = 0; i < raw.length; i++) prob[i] = raw[i]! / sum;
}

// ProbabilisticClassificationModel.raw2prediction: without thresholds, the first index of the largest raw value
// (DenseVector.argmax); with them, the first index of the largest probability / threshold.
function predictClass(raw: Float64Array, prob: Float64Array, thresholds: number[] | null): number {
  if (!thresholds) {
    let best = 0;
    let bestValue = raw[0]!;
    for (let i = 1; i < raw.length; i++) {
      if (raw[i]! > bestValue) {
        bestValue = raw[i]!;
        best = i;
      }
    }
    return best;
  }
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < prob.length; i++) {
    const v = prob[i]! / thresholds[i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}
