// Compiles a portable model (descriptor + stage tables) into a fast scorer with no Spark inside.
import type { ArrowTable } from "./arrow.js";
import type { Descriptor, InputColumn, Stage } from "./descriptor.js";
import { ModelError, RowError, SlotMap, type StageFn, type Value } from "./frame.js";
import { compileFeatureStage, compileModelStage, isFeatureStage } from "./compile-table.js";
import { indexerLabels } from "./stages/string-indexer.js";
import type { CompileEnv } from "./stages/source-model.js";
import type { Prediction, PredictFn } from "./algorithms/types.js";
import { inputRules, type InputMode, type InputRule } from "./input/contract.js";
import {
  type BatchResult,
  type ColumnPredictFn,
  type ColumnStageFn,
  type DoubleColumn,
  type InputColumnData,
  type VectorColumn,
  CHUNK_ROWS,
  CodedStrings,
  ColumnFrame,
  NullableNumbers,
  chunkOf,
  columnKernel,
  doubleInput,
  stringInput,
} from "./columns.js";

export type { BatchResult } from "./columns.js";

// One scored row, in plain values that can be serialised as they are.
export interface ScoreResult {
  prediction: number;
  label: string | number;
  probability?: number[];
  rawPrediction?: number[];
}

export interface CompiledModel {
  readonly descriptor: Descriptor;
  readonly inputSchema: readonly InputColumn[];
  // Each categorical input's known values (its StringIndexer's labels, in index order).
  readonly levels: ReadonlyMap<string, readonly string[]>;
  // The input contract's rules for the inputs, in input-schema order (made once per mode).
  inputRules(mode: InputMode): readonly InputRule[];
  scoreRecord(record: Readonly<Record<string, unknown>>): ScoreResult;
  scoreValues(values: readonly Value[]): Prediction;
  // `link`: also fill BatchResult.link (a GLM's eta), as a transfer's source_model stage reads a GLM source's margin.
  // `hidden`: also fill BatchResult.hidden, an MLP's last hidden layer `hidden` wide (a source_model stage's use hidden).
  scoreColumns(columns: Readonly<Record<string, InputColumnData>>, rows: number, options?: { link?: boolean; hidden?: number }): BatchResult;
  // How scoreColumns works: "columns" stage by stage on whole columns, "features" the same but the model
  // row by row, "rows" the whole pipeline row by row (a stage without a batch kernel).
  readonly batchPath: "columns" | "features" | "rows";
  labelOf(prediction: number): string | number;
}

// `sources`: the compiled models embedded by source_model stages, by their folder (load.ts loads them).
export function compileModel(descriptor: Descriptor, tables: ReadonlyMap<string, ArrowTable>, sources: ReadonlyMap<string, CompiledModel> = new Map()): CompiledModel {
  const levels = inputLevels(descriptor, tables);
  const rulesByMode = new Map<InputMode, InputRule[]>();
  const rulesFor = (mode: InputMode): InputRule[] => {
    let rules = rulesByMode.get(mode);
    if (!rules) rulesByMode.set(mode, (rules = inputRules(descriptor.inputSchema, levels, mode)));
    return rules;
  };
  const slots = new SlotMap();
  const inputSlots = descriptor.inputSchema.map((c) => slots.define(c.name, { kind: c.type === "double" ? "double" : "string" }));
  const fns: StageFn[] = [];
  let predict: PredictFn | undefined;
  let featuresSlot = -1;
  for (const stage of descriptor.stages) {
    const table = tables.get(stage.file);
    if (!table) throw new ModelError(`${stage.kind}: stage file ${stage.file} was not loaded`);
    if (predict) throw new ModelError(`${stage.kind}: no stage may follow the model stage`);
    const compiled = compileStage(stage, table, slots, { sources });
    if (typeof compiled === "function") fns.push(compiled);
    else ({ predict, featuresSlot } = compiled);
  }
  if (!predict) throw new ModelError("the pipeline has no model stage");
  const run = predict;
  // Batch kernels: every feature stage needs one for the column-wise path; a model without one is
  // called row by row on the features the kernels assembled.
  const stageKernels = fns.map((fn) => columnKernel<ColumnStageFn>(fn));
  const columnStages = stageKernels.every((k) => k !== undefined) ? (stageKernels as ColumnStageFn[]) : null;
  const ownModelKernel = columnKernel<ColumnPredictFn>(run);
  const modelKernel = ownModelKernel ?? rowByRowModel(run);
  const frame = new ColumnFrame(slots.size); // scratch reused by every batch (scoring is synchronous)
  // Classes per row of probability and rawPrediction; 0 for regression and clustering.
  const width = descriptor.task.endsWith("classification") ? (descriptor.numClasses ?? 2) : 0;
  const labels = descriptor.label.values;
  const vals: Value[] = new Array(slots.size).fill(null);

  const scoreValues = (inputs: readonly Value[]): Prediction => {
    for (let i = 0; i < inputSlots.length; i++) vals[inputSlots[i]!] = inputs[i]!;
    for (let s = 0; s < fns.length; s++) fns[s]!(vals);
    return run(vals[featuresSlot] as Float64Array, vals);
  };
  const labelOf = (p: number): string | number => (labels ? (labels[p] ?? p) : p);
  const inputs: Value[] = new Array(inputSlots.length).fill(null);

  return {
    descriptor,
    inputSchema: descriptor.inputSchema,
    levels,
    inputRules: rulesFor,
    batchPath: !columnStages ? "rows" : ownModelKernel ? "columns" : "features",
    scoreValues,
    labelOf,
    scoreRecord(record) {
      readRecord(rulesFor("strict"), record, inputs);
      const p = scoreValues(inputs);
      const result: ScoreResult = { prediction: p.prediction, label: labelOf(p.prediction) };
      if (p.probability) result.probability = toArray(p.probability);
      if (p.rawPrediction) result.rawPrediction = toArray(p.rawPrediction);
      return result;
    },
    scoreColumns(columns, rows, options) {
      const cols = descriptor.inputSchema.map((c) => {
        const col = columns[c.name];
        if (!col) throw new RowError(c.name, "column is missing");
        if (col.length < rows) throw new RowError(c.name, `column has ${col.length} values, expected ${rows}`);
        return col;
      });
      const out: BatchResult = { rows, width, prediction: new Float64Array(rows) };
      // Only the outputs the model has: linear_svc has a rawPrediction but no probability.
      if (width && descriptor.outputs.probability) out.probability = new Float64Array(rows * width);
      if (width && descriptor.outputs.rawPrediction) out.rawPrediction = new Float64Array(rows * width);
      if (options?.link) out.link = new Float64Array(rows);
      if (options?.hidden) Object.assign(out, { hidden: new Float64Array(rows * options.hidden), hiddenWidth: options.hidden });
      const inputs = columnStages && batchInputs(cols, rows);
      if (inputs) {
        try {
          scoreChunks(columnStages!, inputs, rows, out);
          return out;
        } catch (err) {
          if (!(err instanceof RowError)) throw err;
          // A row cannot be scored: the row path names the first one exactly.
        }
      }
      scoreRows(cols, rows, out);
      return out;
    },
  };

  // Every row through the row path (scoreValues), in order; throws the first row's RowError.
  function scoreRows(given: readonly InputColumnData[], rows: number, out: BatchResult): void {
    const cols = given.map((c) => (c instanceof CodedStrings || c instanceof NullableNumbers ? c.toArray() : c));
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < cols.length; i++) inputs[i] = cols[i]![r] as Value;
      writeRow(scoreValues(inputs), r, out);
    }
  }

  // The batch's input columns in the kernels' forms; null when a column holds values of another type.
  function batchInputs(cols: readonly InputColumnData[], rows: number): (DoubleColumn | CodedStrings)[] | null {
    const out: (DoubleColumn | CodedStrings)[] = [];
    for (let i = 0; i < cols.length; i++) {
      const column = descriptor.inputSchema[i]!.type === "double" ? doubleInput(cols[i]!, rows) : stringInput(cols[i]!, rows);
      if (!column) return null;
      out.push(column);
    }
    return out;
  }

  // The stage kernels and the model kernel over the batch, CHUNK_ROWS rows at a time.
  function scoreChunks(kernels: readonly ColumnStageFn[], batch: readonly (DoubleColumn | CodedStrings)[], rows: number, out: BatchResult): void {
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const end = Math.min(rows, start + CHUNK_ROWS);
      frame.reset(end - start);
      for (let i = 0; i < batch.length; i++) frame.slots[inputSlots[i]!] = chunkOf(batch[i]!, start, end);
      for (const kernel of kernels) kernel(frame);
      modelKernel((frame.slots[featuresSlot] as VectorColumn).columns, frame, out, start);
    }
  }
}

// One row's prediction into a batch result (only the outputs the result has).
function writeRow(p: Prediction, r: number, out: BatchResult): void {
  out.prediction[r] = p.prediction;
  if (p.probability && out.probability) out.probability.set(p.probability, r * out.width);
  if (p.rawPrediction && out.rawPrediction) out.rawPrediction.set(p.rawPrediction, r * out.width);
  if (out.link && p.link !== undefined) out.link[r] = p.link;
  if (out.hidden && p.hidden && p.hidden.length === out.hiddenWidth) out.hidden.set(p.hidden, r * out.hiddenWidth);
}

// A model without a batch kernel on column-major features: each row gathered into one vector and predicted.
function rowByRowModel(predict: PredictFn): ColumnPredictFn {
  return (features, frame, out, at) => {
    const x = new Float64Array(features.length);
    for (let r = 0; r < frame.rows; r++) {
      for (let i = 0; i < x.length; i++) x[i] = features[i]![r]!;
      writeRow(predict(x), at + r, out);
    }
  };
}

// Copies a small typed array into a plain array (a loop beats Array.from's iterator here).
function toArray(values: Float64Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

// Compiles a feature stage into a StageFn, or the model stage into its predict function (tables in compile-table.ts).
function compileStage(stage: Stage, table: ArrowTable, slots: SlotMap, env: CompileEnv): StageFn | { predict: PredictFn; featuresSlot: number } {
  if (isFeatureStage(stage)) return compileFeatureStage(stage, table, slots, env);
  const features = slots.get(stage.featuresCol, stage.kind);
  if (features.info.kind !== "vector" || features.info.size !== stage.numFeatures) {
    throw new ModelError(`${stage.kind}: expects ${stage.numFeatures} features, the pipeline makes ${features.info.kind === "vector" ? features.info.size : "a scalar"}`);
  }
  return { predict: compileModelStage(stage, table, slots), featuresSlot: features.slot };
}

// Reads a record through the input contract's rules into `into`, in schema order; throws RowError listing every
// missing or refused field. Fields the model does not take are the caller's business.
export function readRecord(rules: readonly InputRule[], record: Readonly<Record<string, unknown>>, into: Value[]): void {
  let problems: RowError[] | undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const v = record[rule.column.name];
    const value = v === undefined ? undefined : rule.cast(v);
    if (value !== undefined) into[i] = value;
    else (problems ??= []).push(new RowError(rule.column.name, v === undefined ? "is missing" : rule.why(v)));
  }
  if (problems) throw problems.length === 1 ? problems[0]! : new RecordError(problems);
}

// The known values of each categorical input: the labels of the StringIndexer that reads it.
function inputLevels(descriptor: Descriptor, tables: ReadonlyMap<string, ArrowTable>): Map<string, readonly string[]> {
  const inputs = new Set(descriptor.inputSchema.filter((c) => c.type === "string").map((c) => c.name));
  const out = new Map<string, readonly string[]>();
  for (const stage of descriptor.stages) {
    if (stage.kind !== "string_indexer") continue;
    const table = tables.get(stage.file);
    if (!table) continue;
    for (const [column, labels] of indexerLabels(table)) if (inputs.has(column) && !out.has(column)) out.set(column, labels);
  }
  return out;
}

// Several bad fields of one record.
export class RecordError extends RowError {
  constructor(readonly problems: RowError[]) {
    super(problems.map((p) => p.field).join(", "), problems.map((p) => p.message).join("; "));
    this.name = "RecordError";
  }
}
