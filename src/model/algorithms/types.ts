// What a model stage computes for one row.

export interface Prediction {
  prediction: number;
  probability?: Float64Array;
  rawPrediction?: Float64Array;
}

// Reads the features vector of a row and returns the model's outputs (buffers are reused per call).
export type PredictFn = (features: Float64Array) => Prediction;
