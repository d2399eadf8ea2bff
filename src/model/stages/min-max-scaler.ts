// Spark's MinMaxScalerModel: (x - originalMin) * ((max - min) / range) + min; a constant element (range 0) becomes (min + max) / 2.
import type { MinMaxScalerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn } from "../arrow.js";
import { ModelError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type VectorColumn, withColumns } from "../columns.js";

// Spark precomputes scale / range per element (0 for a constant one) and keeps NaN as it is.
export function compileMinMaxScaler(stage: MinMaxScalerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const src = slots.get(stage.inputCol, "min_max_scaler");
  if (src.info.kind !== "vector") throw new ModelError(`min_max_scaler: input "${stage.inputCol}" is not a vector`);
  const size = src.info.size;
  const originalMin = Float64Array.from(numberColumn(table, "originalMin").map((v) => v ?? Number.NaN));
  const originalMax = Float64Array.from(numberColumn(table, "originalMax").map((v) => v ?? Number.NaN));
  if (originalMin.length !== size || originalMax.length !== size) {
    throw new ModelError(`min_max_scaler: ${originalMin.length} minima for a vector of size ${size}`);
  }
  const targetMin = stage.min;
  const constantOutput = (stage.min + stage.max) / 2;
  const scale = stage.max - stage.min;
  const factor = originalMin.map((lo, i) => {
    const range = originalMax[i]! - lo;
    return range !== 0 ? scale / range : 0;
  });
  const out = slots.define(stage.outputCol, { kind: "vector", size });
  const buffer = new Float64Array(size);
  const row = (vals: Value[]) => {
    const x = vals[src.slot] as Float64Array;
    for (let i = 0; i < size; i++) {
      const v = x[i]!;
      if (Number.isNaN(v)) buffer[i] = v;
      else buffer[i] = factor[i] !== 0 ? (v - originalMin[i]!) * factor[i]! + targetMin : constantOutput;
    }
    vals[out] = buffer;
  };
  const columns: ColumnStageFn = (frame) => {
    const x = (frame.slots[src.slot] as VectorColumn).columns;
    frame.slots[out] = {
      columns: x.map((col, i) => {
        const y = frame.alloc();
        const f = factor[i]!;
        const lo = originalMin[i]!;
        for (let r = 0; r < y.length; r++) {
          const v = col[r]!;
          if (Number.isNaN(v)) y[r] = v;
          else y[r] = f !== 0 ? (v - lo) * f + targetMin : constantOutput;
        }
        return y;
      }),
    };
  };
  return withColumns(row, columns);
}
