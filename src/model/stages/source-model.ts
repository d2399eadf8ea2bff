// A transfer's source model (kind source_model, docs/transfer.md): the embedded source's own scorer on the row's
// inputs, writing the output the target reads (P(class 1) or every class's probability, the margin, the prediction,
// an MLP's last hidden layer).
import type { MlpStage, SourceModelStage } from "../descriptor.js";
import { type ArrowTable, numberColumn } from "../arrow.js";
import { ModelError, type SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type DoubleColumn, type InputColumnData, CodedStrings, NullableNumbers, withColumns } from "../columns.js";
import type { Prediction } from "../algorithms/types.js";
import type { BatchResult, CompiledModel } from "../compile.js";

// What a feature stage's compiler may need besides its table: the embedded models, by their folder.
export interface CompileEnv {
  sources: ReadonlyMap<string, CompiledModel>;
}

const REGRESSORS = new Set(["linear_regression", "generalized_linear_regression", "decision_tree_regressor", "random_forest_regressor", "gbt_regressor"]);
const MARGINS = new Set(["logistic_regression", "gbt_classifier", "linear_svc"]);

// Where the stage's output comes from, per row: one value (a double) or `width` values (a vector).
type Pick = { from: "prediction" | "link" | "hidden" } | { from: "probability" | "rawPrediction"; index: number; scale: number } | { from: "probability" | "rawPrediction"; all: true };

// The source output `use` names, as the Spark side computes it (transfer/source_stage.py); refuses what it has not.
// `hiddenWidth`: an MLP source's last hidden layer's width (use hidden: `width` must be it).
export function sourcePick(algorithm: string, numClasses: number | undefined, use: string, width: number, hiddenWidth?: number): Pick {
  if (!Number.isSafeInteger(width) || width < 1) throw new ModelError(`source_model: size ${JSON.stringify(width)} is not a positive integer`);
  if (use === "hidden") {
    if (algorithm !== "mlp_classifier" || !hiddenWidth) throw new ModelError(`source_model: use hidden reads an mlp_classifier's last hidden layer; the ${algorithm} source has none`);
    if (width !== hiddenWidth) throw new ModelError(`source_model: size ${width} for use hidden, but the source's last hidden layer has ${hiddenWidth} units`);
    return { from: "hidden" };
  }
  const classes = numClasses ?? 0;
  const wide = classes > 2 && width === classes;
  if (use === "prediction" && width === 1) return { from: "prediction" };
  if (use === "probability" && classes >= 2 && !REGRESSORS.has(algorithm) && algorithm !== "linear_svc") {
    if (wide) return { from: "probability", all: true };
    if (classes === 2 && width === 1) return { from: "probability", index: 1, scale: 1 };
  }
  if (use === "margin") {
    if (algorithm === "generalized_linear_regression" && width === 1) return { from: "link" };
    if (REGRESSORS.has(algorithm) && width === 1) return { from: "prediction" };
    if (MARGINS.has(algorithm)) {
      if (wide && algorithm === "logistic_regression") return { from: "rawPrediction", all: true };
      // GBT: rawPrediction is [-m, m] and P(1) = 1 / (1 + exp(-2m)): the log-odds is 2m.
      if (classes === 2 && width === 1) return { from: "rawPrediction", index: 1, scale: algorithm === "gbt_classifier" ? 2.0 : 1.0 };
    }
  }
  throw new ModelError(`source_model: a ${algorithm} source has no "${use}" output ${width} wide`);
}

export function compileSourceModel(stage: SourceModelStage, table: ArrowTable, slots: SlotMap, env: CompileEnv): StageFn {
  const model = env.sources.get(stage.source);
  if (!model) throw new ModelError(`source_model: the embedded model "${stage.source}" was not loaded`);
  const width = stage.size;
  if (numberColumn(table, "size")[0] !== width) throw new ModelError(`source_model: size ${width} in the descriptor, ${numberColumn(table, "size")[0]} in its table`);
  const { algorithm, numClasses } = model.descriptor;
  const pick = sourcePick(algorithm, numClasses, stage.use, width, mlpHiddenWidth(model));
  const inputs = model.inputSchema.map((c) => {
    const found = slots.get(c.name, "source_model");
    if (found.info.kind !== c.type) throw new ModelError(`source_model: input "${c.name}" is ${c.type} in the source, ${found.info.kind} here`);
    return found.slot;
  });
  const outSlot = slots.define(stage.outputCol, width === 1 ? { kind: "double" } : { kind: "vector", size: width });
  const values: Value[] = new Array(inputs.length).fill(null);
  const vector = new Float64Array(width);

  // One row: the source's scoreValues on the inputs; a vector output copied (the source reuses its buffers).
  const row = (vals: Value[]) => {
    for (let i = 0; i < inputs.length; i++) values[i] = vals[inputs[i]!]!;
    const p = model.scoreValues(values);
    if (width === 1) vals[outSlot] = one(p, pick);
    else {
      vector.set(pick.from === "hidden" ? hiddenOf(p.hidden, width) : pick.from === "probability" ? p.probability! : p.rawPrediction!);
      vals[outSlot] = vector;
    }
  };
  // A chunk: the source's own scoreColumns on the chunk's input columns (its batch path, when it has one).
  const columns: ColumnStageFn = (frame) => {
    const given: Record<string, InputColumnData> = {};
    model.inputSchema.forEach((c, i) => (given[c.name] = asInput(frame.slots[inputs[i]!] as DoubleColumn | CodedStrings)));
    const rows = frame.rows;
    const result = model.scoreColumns(given, rows, pick.from === "link" ? { link: true } : pick.from === "hidden" ? { hidden: width } : undefined);
    if (pick.from === "hidden" && !result.hidden) throw new ModelError("source_model: the source's batch path gave no hidden layer");
    if (width === 1) {
      const out = frame.alloc();
      for (let r = 0; r < rows; r++) out[r] = oneOf(result, pick, r);
      frame.slots[outSlot] = { values: out, nulls: null };
    } else {
      const all = pick.from === "hidden" ? result.hidden! : pick.from === "probability" ? result.probability! : result.rawPrediction!;
      const stride = pick.from === "hidden" ? width : result.width;
      const cols: Float64Array[] = [];
      for (let k = 0; k < width; k++) {
        const col = frame.alloc();
        for (let r = 0; r < rows; r++) col[r] = all[r * stride + k]!;
        cols.push(col);
      }
      frame.slots[outSlot] = { columns: cols };
    }
  };
  return withColumns(row, columns);
}

// The one double `pick` reads from a row's prediction.
function one(p: Prediction, pick: Pick): number {
  if (pick.from === "prediction") return p.prediction;
  if (pick.from === "link") return p.link!;
  if (pick.from === "hidden") return hiddenOf(p.hidden, 1)[0]!;
  if ("index" in pick) return (pick.from === "probability" ? p.probability! : p.rawPrediction!)[pick.index]! * pick.scale;
  throw new ModelError("source_model: a vector output read as one value");
}

// The one double `pick` reads from row r of a batch result.
function oneOf(result: BatchResult, pick: Pick, r: number): number {
  if (pick.from === "prediction") return result.prediction[r]!;
  if (pick.from === "link") return result.link![r]!;
  if (pick.from === "hidden") return result.hidden![r]!;
  if ("index" in pick) return (pick.from === "probability" ? result.probability! : result.rawPrediction!)[r * result.width + pick.index]! * pick.scale;
  throw new ModelError("source_model: a vector output read as one value");
}

// An MLP source's last hidden layer width: the second-to-last of its model stage's layers (compileMlp checked them
// against its weights); undefined for another source or an MLP without a hidden layer.
function mlpHiddenWidth(model: CompiledModel): number | undefined {
  const stage = model.descriptor.stages.at(-1);
  if (stage?.kind !== "mlp_classifier") return undefined;
  const layers = (stage as MlpStage).layers;
  return layers.length >= 3 ? layers[layers.length - 2] : undefined;
}

// A row's hidden layer, checked against the width the stage writes.
function hiddenOf(hidden: Float64Array | undefined, width: number): Float64Array {
  if (!hidden || hidden.length !== width) throw new ModelError(`source_model: the source gave ${hidden?.length ?? "no"} hidden units, expected ${width}`);
  return hidden;
}

// A frame's input column as scoreColumns takes it.
function asInput(col: DoubleColumn | CodedStrings): InputColumnData {
  if (col instanceof CodedStrings) return col;
  return col.nulls ? new NullableNumbers(col.values, col.nulls) : col.values;
}
