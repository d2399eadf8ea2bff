// Spark's Binarizer on double columns: 1.0 when x > threshold, else 0.0 (NaN and null give 0.0).
import type { BinarizerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn, stringColumn } from "../arrow.js";
import { ModelError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type DoubleColumn, withColumns } from "../columns.js";

// Spark 4.1 compiles it to `when(!isnan(x) && x > t, 1.0).otherwise(0.0)`, so a null is 0.0 rather than null.
export function compileBinarizer(stage: BinarizerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const names = stringColumn(table, "column");
  const thresholds = numberColumn(table, "threshold");
  const cols = stage.inputCols.map((input, i) => {
    const src = slots.get(input, "binarizer");
    if (src.info.kind !== "double") throw new ModelError(`binarizer: input "${input}" is not a double column`);
    const threshold = thresholds[names.indexOf(input)];
    if (threshold === null || threshold === undefined) throw new ModelError(`binarizer: no threshold for "${input}"`);
    const out = stage.outputCols[i];
    if (out === undefined) throw new ModelError("binarizer: inputCols and outputCols differ in length");
    return { from: src.slot, to: slots.define(out, { kind: "double" }), threshold };
  });
  const row = (vals: Value[]) => {
    for (const c of cols) {
      const v = vals[c.from] as number | null;
      vals[c.to] = v !== null && v > c.threshold ? 1 : 0;
    }
  };
  // Batch: nulls are NaN in a DoubleColumn, and NaN > t is false.
  const columns: ColumnStageFn = (frame) => {
    for (const c of cols) {
      const { values } = frame.slots[c.from] as DoubleColumn;
      const out = frame.alloc();
      for (let r = 0; r < out.length; r++) out[r] = values[r]! > c.threshold ? 1 : 0;
      frame.slots[c.to] = { values: out, nulls: null };
    }
  };
  return withColumns(row, columns);
}
