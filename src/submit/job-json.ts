// The --job argument of the built-in trainer: the training part of the spec as compact JSON.
import { defaultEncoding } from "../catalogue/index.js";
import { scalerOf } from "../jobspec/scalers.js";
import type { JobSpec } from "../jobspec/schema.js";
import type { TransferBlock, UpdateBlock } from "./types.js";
import { parseDuration } from "../retry/duration.js";

type Features = JobSpec["model"]["features"];

// Picks exactly the fields docs/portable-model.md lists, in a fixed order, so the JSON is stable.
export function jobJson(spec: JobSpec, update?: UpdateBlock, transfer?: TransferBlock): string {
  const { model, data } = spec;
  return JSON.stringify({
    name: spec.name,
    model: {
      algorithm: model.algorithm,
      params: model.params,
      label: model.label,
      features: featuresJson(model.features, model.algorithm),
    },
    data: {
      train: data.train,
      format: data.format,
      options: data.options,
      validation: { fraction: data.validation.fraction, seed: data.validation.seed, ...(data.validation.key !== undefined ? { key: data.validation.key } : {}) },
      ...(data.partitionColumn !== undefined ? { partitionColumn: data.partitionColumn } : {}),
    },
    parity: { rows: spec.parity.rows },
    ...(update ? { update } : {}),
    ...(transfer ? { transfer } : {}),
    ...watchJson(spec),
  });
}

// timeout.noExecutor in seconds, for the driver's executor watch (spark-scripts/mlship_runtime/executor_watch.py).
function watchJson(spec: JobSpec): { timeout?: { noExecutorSeconds: number } } {
  const seconds = parseDuration(spec.timeout?.noExecutor);
  return seconds === null ? {} : { timeout: { noExecutorSeconds: seconds } };
}

// model.features for the trainer. The stage options appear only when they differ from their defaults (which
// mlship_train.py applies the same way), so a plain spec keeps its short JSON; `scale` stays true/false for
// standard/none. Infinite splits travel as "-inf"/"inf" (JSON has no infinity).
function featuresJson(features: Features, algorithm: JobSpec["model"]["algorithm"]): Record<string, unknown> {
  const scaler = scalerOf(features.scale);
  const out: Record<string, unknown> = {
    numeric: features.numeric,
    categorical: features.categorical,
    impute: features.impute,
    scale: scaler === "standard" ? true : scaler === "none" ? false : scaler,
    categoricalEncoding: features.categoricalEncoding ?? defaultEncoding(algorithm),
  };
  const options = features.scaleOptions;
  if (Object.values(options).some((v) => v !== undefined)) {
    out.scaleOptions = { withMean: options.withMean ?? true, withStd: options.withStd ?? true, min: options.min ?? 0, max: options.max ?? 1 };
  }
  if (features.normalize !== undefined) out.normalize = features.normalize;
  const { indexer, onehot, bucketOptions } = features;
  if (indexer.handleInvalid !== "keep" || indexer.stringOrderType !== "frequencyDesc") out.indexer = { handleInvalid: indexer.handleInvalid, stringOrderType: indexer.stringOrderType };
  if (!onehot.dropLast || onehot.handleInvalid !== "error") out.onehot = { dropLast: onehot.dropLast, handleInvalid: onehot.handleInvalid };
  if (Object.keys(features.bucketize).length) out.bucketize = features.bucketize;
  if (Object.keys(features.quantiles).length) out.quantiles = features.quantiles;
  if (Object.keys(features.binarize).length) out.binarize = features.binarize;
  if (bucketOptions.handleInvalid !== "keep" || bucketOptions.relativeError !== 0.001) {
    out.bucketOptions = { handleInvalid: bucketOptions.handleInvalid, relativeError: bucketOptions.relativeError };
  }
  return out;
}
