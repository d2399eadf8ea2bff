// Spark's ImputerModel: replaces null, NaN and missingValue by the fitted surrogate.
import type { ImputerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn } from "../arrow.js";
import { ModelError, SlotMap, type StageFn, type Value, isMissing } from "../frame.js";
import { type ColumnStageFn, type DoubleColumn, withColumns } from "../columns.js";

export function compileImputer(stage: ImputerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const missingValue = stage.missingValue === "NaN" ? Number.NaN : stage.missingValue;
  const pairs = stage.inputCols.map((input, i) => {
    const src = slots.get(input, "imputer");
    if (src.info.kind !== "double") throw new ModelError(`imputer: input "${input}" is not a double column`);
    const surrogate = numberColumn(table, input)[0];
    if (surrogate === null || surrogate === undefined) throw new ModelError(`imputer: no surrogate for "${input}"`);
    const out = stage.outputCols[i];
    if (out === undefined) throw new ModelError("imputer: inputCols and outputCols differ in length");
    return { from: src.slot, to: slots.define(out, { kind: "double" }), surrogate };
  });
  const row = (vals: Value[]) => {
    for (const p of pairs) {
      const v = vals[p.from] as number | null;
      vals[p.to] = isMissing(v, missingValue) ? p.surrogate : v;
    }
  };
  // Batch: nulls are NaN in a DoubleColumn, so with missingValue NaN one test covers both.
  const columns: ColumnStageFn = (frame) => {
    for (const p of pairs) {
      const { values, nulls } = frame.slots[p.from] as DoubleColumn;
      const out = frame.alloc();
      const s = p.surrogate;
      if (Number.isNaN(missingValue)) {
        for (let r = 0; r < out.length; r++) {
          const v = values[r]!;
          out[r] = v !== v ? s : v;
        }
      } else {
        for (let r = 0; r < out.length; r++) {
          const v = values[r]!;
          out[r] = v === missingValue || (nulls !== null && nulls[r] === 1) ? s : v;
        }
      }
      frame.slots[p.to] = { values: out, nulls: null };
    }
  };
  return withColumns(row, columns);
}
