// Scores every row of a Frame with a compiled model, each cell read through the input contract (the same
// rules as every serving route; CSV cells are text, so numeric CSV columns are always parsed).
import type { CompiledModel } from "../model/index.js";
import { RowError, type Value } from "../model/index.js";
import type { InputMode, InputRule } from "../model/input/contract.js";
import type { FileFormat, Frame } from "./formats.js";

export interface ScoredFrame {
  frame: Frame; // the input columns followed by the model's outputs
  invalid: { row: number; message: string }[];
  unseen: Record<string, number>; // unseen categorical values per input
}

// A cell as the contract takes it: CSV's empty cell is null (as when Spark reads CSV); bigint as a number.
function cell(value: unknown, csv: boolean): unknown {
  if (value === undefined || (csv && value === "")) return null;
  return typeof value === "bigint" ? Number(value) : value;
}

export function scoreFrame(model: CompiledModel, input: Frame, onInvalid: "fail" | "skip", mode: InputMode = "lenient", format: FileFormat = "arrow"): ScoredFrame {
  const csv = format === "csv";
  const lenient = model.inputRules("lenient");
  // CSV has no types: its numeric columns are parsed from text whatever the mode.
  const rules: InputRule[] = model.inputRules(mode).map((rule, i) => (csv && rule.column.type === "double" ? lenient[i]! : rule));
  const sources = rules.map((r) => input.columns[input.names.indexOf(r.column.name)]!);
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
  const unseen: Record<string, number> = {};
  const values: Value[] = new Array(rules.length);
  for (let r = 0; r < input.rows; r++) {
    try {
      for (let i = 0; i < rules.length; i++) {
        const given = cell(sources[i]![r], csv);
        const v = rules[i]!.cast(given);
        if (v === undefined) throw new RowError(rules[i]!.column.name, rules[i]!.why(given));
        values[i] = v;
      }
      const p = model.scoreValues(values);
      for (let i = 0; i < rules.length; i++) if (rules[i]!.unseen(values[i]!)) unseen[rules[i]!.column.name] = (unseen[rules[i]!.column.name] ?? 0) + 1;
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
  const types = input.types ? [...input.types, ...names.slice(input.names.length).map(() => null)] : undefined;
  return { frame: { names, columns, rows: keep.length, ...(types ? { types } : {}) }, invalid, unseen };
}
