// What a model stage computes for one row.
import type { Value } from "../frame.js";

export interface Prediction {
  prediction: number;
  probability?: Float64Array;
  rawPrediction?: Float64Array;
  link?: number; // a GLM's link-scale prediction (eta), read by a transfer's source_model stage
  hidden?: Float64Array; // an MLP's last hidden layer's activations, read by a source_model stage with use hidden
}

// Reads the features vector of a row and returns the model's outputs (buffers are reused per call).
// `vals`: the row's slots, for a model that reads a column besides its features (a GLM's offsetCol).
export type PredictFn = (features: Float64Array, vals?: readonly Value[]) => Prediction;
