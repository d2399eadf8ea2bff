// Spark's MaxAbsScalerModel: x * (maxAbs == 0 ? 1 : 1 / maxAbs), per element.
import type { MaxAbsScalerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn } from "../arrow.js";
import { ModelError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type VectorColumn, withColumns } from "../columns.js";

// Multiplies by the precomputed reciprocal, as Spark does (x / maxAbs may differ in the last bit).
export function compileMaxAbsScaler(stage: MaxAbsScalerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const src = slots.get(stage.inputCol, "max_abs_scaler");
  if (src.info.kind !== "vector") throw new ModelError(`max_abs_scaler: input "${stage.inputCol}" is not a vector`);
  const size = src.info.size;
  const scale = Float64Array.from(numberColumn(table, "maxAbs").map((v) => (v === 0 ? 1 : 1 / (v ?? Number.NaN))));
  if (scale.length !== size) throw new ModelError(`max_abs_scaler: ${scale.length} maxima for a vector of size ${size}`);
  const out = slots.define(stage.outputCol, { kind: "vector", size });
  const buffer = new Float64Array(size);
  const row = (vals: Value[]) => {
    const x = vals[src.slot] as Float64Array;
    for (let i = 0; i < size; i++) buffer[i] = x[i]! * scale[i]!;
    vals[out] = buffer;
  };
  const columns: ColumnStageFn = (frame) => {
    const x = (frame.slots[src.slot] as VectorColumn).columns;
    frame.slots[out] = {
      columns: x.map((col, i) => {
        const y = frame.alloc();
        const s = scale[i]!;
        for (let r = 0; r < y.length; r++) y[r] = col[r]! * s;
        return y;
      }),
    };
  };
  return withColumns(row, columns);
}
