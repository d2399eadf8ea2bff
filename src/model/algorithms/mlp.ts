// Spark's MultilayerPerceptronClassificationModel, output for output (Spark 4.1.1 bytecode; docs/portable-model.md,
// "Multilayer perceptron"): affine layers with sigmoid between them; rawPrediction is the last affine layer's
// output, probability its softmax (SoftmaxLayerModelWithCrossEntropyLoss), prediction the raw argmax; `hidden` the
// last hidden layer's sigmoid outputs (a transfer's use hidden), absent without a hidden layer.
import type { MlpStage } from "../descriptor.js";
import { type ArrowTable, listColumn, numberColumn } from "../arrow.js";
import { ModelError } from "../frame.js";
import { predictClass } from "./naive-bayes.js";
import type { Prediction, PredictFn } from "./types.js";

interface AffineLayer {
  numIn: number;
  numOut: number;
  weights: Float64Array; // numOut x numIn, column-major: weights[r + i * numOut]
  bias: Float64Array;
}

export function compileMlp(stage: MlpStage, table: ArrowTable): PredictFn {
  const layers = readMlpTable(stage, table);
  const k = stage.numClasses;
  const thresholds = stage.thresholds ?? null;
  if (thresholds && thresholds.length !== k) throw new ModelError(`mlp_classifier: ${thresholds.length} thresholds for ${k} classes`);
  const activations = layers.map((l) => new Float64Array(l.numOut));
  const probability = new Float64Array(k);
  const last = layers.length - 1;
  const out: Prediction = { prediction: 0, probability, rawPrediction: activations[last]! };
  if (last >= 1) out.hidden = activations[last - 1]!;
  return (x) => {
    let input = x;
    for (let l = 0; l <= last; l++) {
      const output = activations[l]!;
      affine(layers[l]!, input, output);
      if (l < last) sigmoidInPlace(output);
      input = output;
    }
    softmaxInto(input, probability);
    out.prediction = predictClass(input, probability, thresholds);
    return out;
  };
}

// Reads the (layer, numIn, numOut, weights, bias) rows and checks that they chain from numFeatures to numClasses.
function readMlpTable(stage: MlpStage, table: ArrowTable): AffineLayer[] {
  const index = numberColumn(table, "layer");
  const numIn = numberColumn(table, "numIn");
  const numOut = numberColumn(table, "numOut");
  const weights = listColumn(table, "weights");
  const bias = listColumn(table, "bias");
  const order = index.map((l, i) => ({ l: l ?? i, i })).sort((a, b) => a.l - b.l);
  const layers = order.map(({ i }) => ({ numIn: numIn[i] ?? 0, numOut: numOut[i] ?? 0, weights: weights[i] ?? new Float64Array(0), bias: bias[i] ?? new Float64Array(0) }));
  if (layers.length === 0) throw new ModelError("mlp_classifier: no layers");
  layers.forEach((layer, l) => {
    const expectIn = l === 0 ? stage.numFeatures : layers[l - 1]!.numOut;
    if (layer.numIn !== expectIn) throw new ModelError(`mlp_classifier: layer ${l} takes ${layer.numIn} inputs, expected ${expectIn}`);
    if (layer.weights.length !== layer.numIn * layer.numOut || layer.bias.length !== layer.numOut) {
      throw new ModelError(`mlp_classifier: layer ${l} has ${layer.weights.length} weights and ${layer.bias.length} biases for ${layer.numIn} x ${layer.numOut}`);
    }
  });
  if (layers.at(-1)!.numOut !== stage.numClasses) throw new ModelError(`mlp_classifier: the last layer has ${layers.at(-1)!.numOut} outputs for ${stage.numClasses} classes`);
  // The descriptor's layers name the widths a reader of the descriptor trusts (a source_model stage's hidden width).
  const chain = [stage.numFeatures, ...layers.map((l) => l.numOut)];
  if (!Array.isArray(stage.layers) || stage.layers.join(",") !== chain.join(",")) throw new ModelError(`mlp_classifier: layers ${JSON.stringify(stage.layers)} in the descriptor, [${chain.join(", ")}] in its table`);
  return layers;
}

// AffineLayerModel.eval for one row: output := b, then BLAS dgemm(1.0, W, x, 1.0, output). For one column and
// numOut · numIn < 1e6, netlib's Java dgemm "NN" sums W[r, i] · x[i] left to right from 0 with no fused
// multiply-add, then writes 1.0 · sum + 1.0 · b[r].
function affine(layer: AffineLayer, x: Float64Array, output: Float64Array): void {
  const { numIn, numOut, weights, bias } = layer;
  for (let r = 0; r < numOut; r++) {
    let sum = 0.0;
    for (let i = 0; i < numIn; i++) sum = weights[r + i * numOut]! * x[i]! + sum;
    output[r] = 1.0 * sum + 1.0 * bias[r]!;
  }
}

// SigmoidFunction: 1 / (1 + exp(-x)).
function sigmoidInPlace(v: Float64Array): void {
  for (let i = 0; i < v.length; i++) v[i] = 1.0 / (1 + Math.exp(-v[i]!));
}

// SoftmaxLayerModelWithCrossEntropyLoss.eval: max from -Double.MaxValue, exp(x - max), each divided by the sum.
function softmaxInto(raw: Float64Array, prob: Float64Array): void {
  let max = -Number.MAX_VALUE;
  for (let c = 0; c < raw.length; c++) if (raw[c]! > max) max = raw[c]!;
  let sum = 0.0;
  for (let c = 0; c < raw.length; c++) {
    const e = Math.exp(raw[c]! - max);
    prob[c] = e;
    sum += e;
  }
  for (let c = 0; c < prob.length; c++) prob[c] = prob[c]! / sum;
}
