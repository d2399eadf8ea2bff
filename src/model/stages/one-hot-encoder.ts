// Spark's OneHotEncoderModel: index -> one-hot vector (dropLast, handleInvalid=keep adds a slot).
import type { OneHotEncoderStage } from "../descriptor.js";
import { type ArrowTable, numberColumn, stringColumn } from "../arrow.js";
import { ModelError, RowError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type DoubleColumn, rowFails, withColumns } from "../columns.js";

export function compileOneHotEncoder(stage: OneHotEncoderStage, table: ArrowTable, slots: SlotMap): StageFn {
  const names = stringColumn(table, "column");
  const sizes = numberColumn(table, "size");
  const keep = stage.handleInvalid === "keep";
  const cols = stage.inputCols.map((input, i) => {
    const src = slots.get(input, "one_hot_encoder");
    if (src.info.kind !== "double") throw new ModelError(`one_hot_encoder: input "${input}" is not a numeric column`);
    const at = names.indexOf(input);
    const categorySize = at >= 0 ? sizes[at] : null;
    if (categorySize === null || categorySize === undefined) throw new ModelError(`one_hot_encoder: no category size for "${input}"`);
    const configured = categorySize + (keep ? 1 : 0);
    const length = configured - (stage.dropLast ? 1 : 0);
    const out = stage.outputCols[i];
    if (out === undefined) throw new ModelError("one_hot_encoder: inputCols and outputCols differ in length");
    const buffer = new Float64Array(length);
    return { input, from: src.slot, to: slots.define(out, { kind: "vector", size: length }), categorySize, length, buffer };
  });
  // Batch: one zeroed column per vector element, a 1 where the row's index falls (nulls are NaN: invalid).
  const columns: ColumnStageFn = (frame) => {
    for (const c of cols) {
      const values = (frame.slots[c.from] as DoubleColumn).values;
      const out = Array.from({ length: c.length }, () => frame.alloc().fill(0));
      for (let r = 0; r < frame.rows; r++) {
        const v = values[r]!;
        let idx = v;
        if (!(Number.isInteger(v) && v >= 0 && v < c.categorySize)) {
          if (!keep) rowFails(c.input);
          idx = c.categorySize;
        }
        if (idx < c.length) out[idx]![r] = 1;
      }
      frame.slots[c.to] = { columns: out };
    }
  };
  const row = (vals: Value[]) => {
    for (const c of cols) {
      const v = vals[c.from] as number;
      let idx = v;
      if (!(Number.isInteger(v) && v >= 0 && v < c.categorySize)) {
        if (!keep) throw new RowError(c.input, `category index ${v} is out of range 0..${c.categorySize - 1} (handleInvalid=error)`);
        idx = c.categorySize;
      }
      c.buffer.fill(0);
      if (idx < c.length) c.buffer[idx] = 1;
      vals[c.to] = c.buffer;
    }
  };
  return withColumns(row, columns);
}
