// Scores every row of a Frame with a compiled model; coerces CSV text to the input schema's types.
import type { CompiledModel } from "../model/index.js";
import { RowError, type Value } from "../model/index.js";
import type { Frame } from "./formats.js";

export interface ScoredFrame {
  frame: Frame; // the input columns followed by the model's outputs
  invalid: { row: number; message: string }[];
}

// Turns one cell into the value the scorer expects: numbers for double columns, strings for string ones.
export function coerce(value: unknown, type: "double" | "string"): Value | undefined {
  if (value === null || value === undefined || value === "") return null;
  if (type === "double") {
    if (typeof value === "number") return value;
    if (typeof value === "string") {
      const n = Number(value);
      return Number.isNaN(n) && value.trim() !== "NaN" ? undefined : n;
    }
    return undefined;
  }
  return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

export function scoreFrame(model: CompiledModel, input: Frame, onInvalid: "fail" | "skip"): ScoredFrame {
  const schema = model.inputSchema;
  const sources = schema.map((c) => input.columns[input.names.indexOf(c.name)]!);
  const { task, outputs } = model.descriptor;
  const classifier = task === "binary_classification" || task === "multiclass_classification";
  // Each output the model has: linear_svc has raw_prediction without probability; regression and clustering neither.
  const withProbability = classifier && Boolean(outputs.probability);
  const withRaw = classifier && Boolean(outputs.rawPrediction);
  const keep: number[] = [];
  const prediction: number[] = [];
  const label: (string | number)[] = [];
  const probability: number[][] = [];
  const raw: number[][] = [];
  const invalid: ScoredFrame["invalid"] = [];
  const values: Value[] = new Array(schema.length);
  for (let r = 0; r < input.rows; r++) {
    try {
      for (let i = 0; i < schema.length; i++) {
        const v = coerce(sources[i]![r], schema[i]!.type);
        if (v === undefined) throw new RowError(schema[i]!.name, `expected ${schema[i]!.type === "double" ? "a number" : "a string"}, got ${JSON.stringify(sources[i]![r])}`);
        values[i] = v;
      }
      const p = model.scoreValues(values);
      keep.push(r);
      prediction.push(p.prediction);
      label.push(model.labelOf(p.prediction));
      if (withProbability) probability.push(Array.from(p.probability!));
      if (withRaw) raw.push(Array.from(p.rawPrediction!));
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      invalid.push({ row: r + 1, message: err.message });
      if (onInvalid === "fail" && invalid.length >= 10) break;
    }
  }
  const names = [...input.names, "prediction", "label", ...(withProbability ? ["probability"] : []), ...(withRaw ? ["raw_prediction"] : [])];
  const columns = [...input.columns.map((col) => keep.map((r) => col[r])), prediction, label, ...(withProbability ? [probability] : []), ...(withRaw ? [raw] : [])];
  return { frame: { names, columns, rows: keep.length }, invalid };
}
