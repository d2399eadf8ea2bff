// The --job argument of the built-in trainer: the training part of the spec as compact JSON.
import { defaultEncoding, type JobSpec } from "../spec/schema.js";

// Picks exactly the fields docs/portable-model.md lists, in a fixed order, so the JSON is stable.
export function jobJson(spec: JobSpec): string {
  const { model, data } = spec;
  const { features } = model;
  return JSON.stringify({
    name: spec.name,
    model: {
      algorithm: model.algorithm,
      params: model.params,
      label: model.label,
      features: {
        numeric: features.numeric,
        categorical: features.categorical,
        impute: features.impute,
        scale: features.scale,
        categoricalEncoding: features.categoricalEncoding ?? defaultEncoding(model.algorithm),
      },
    },
    data: {
      train: data.train,
      format: data.format,
      options: data.options,
      validation: { fraction: data.validation.fraction, seed: data.validation.seed },
    },
    parity: { rows: spec.parity.rows },
  });
}
