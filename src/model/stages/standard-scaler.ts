// Spark's StandardScalerModel: (x - mean) * (std == 0 ? 0 : 1/std), each part when enabled.
import type { StandardScalerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn } from "../arrow.js";
import { ModelError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type VectorColumn, withColumns } from "../columns.js";

export function compileStandardScaler(stage: StandardScalerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const src = slots.get(stage.inputCol, "standard_scaler");
  if (src.info.kind !== "vector") throw new ModelError(`standard_scaler: input "${stage.inputCol}" is not a vector`);
  const size = src.info.size;
  const mean = Float64Array.from(numberColumn(table, "mean").map((v) => v ?? 0));
  const scale = Float64Array.from(numberColumn(table, "std").map((v) => (v === 0 || v === null ? 0 : 1 / v)));
  if (mean.length !== size || scale.length !== size) {
    throw new ModelError(`standard_scaler: ${mean.length} means for a vector of size ${size}`);
  }
  const out = slots.define(stage.outputCol, { kind: "vector", size });
  const buffer = new Float64Array(size);
  const { withMean, withStd } = stage;
  const row = (vals: Value[]) => {
    const x = vals[src.slot] as Float64Array;
    for (let i = 0; i < size; i++) {
      let v = x[i]!;
      if (withMean) v -= mean[i]!;
      if (withStd) v *= scale[i]!;
      buffer[i] = v;
    }
    vals[out] = buffer;
  };
  const columns: ColumnStageFn = (frame) => {
    const x = (frame.slots[src.slot] as VectorColumn).columns;
    frame.slots[out] = {
      columns: x.map((col, i) => {
        const y = frame.alloc();
        const m = mean[i]!;
        const s = scale[i]!;
        for (let r = 0; r < y.length; r++) {
          let v = col[r]!;
          if (withMean) v -= m;
          if (withStd) v *= s;
          y[r] = v;
        }
        return y;
      }),
    };
  };
  return withColumns(row, columns);
}
