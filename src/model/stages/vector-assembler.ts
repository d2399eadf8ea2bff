// Spark's VectorAssembler: concatenates doubles and vectors into one vector.
import type { VectorAssemblerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn, stringColumn } from "../arrow.js";
import { ModelError, RowError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type DoubleColumn, type VectorColumn, rowFails, withColumns } from "../columns.js";

export function compileVectorAssembler(stage: VectorAssemblerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const names = stringColumn(table, "column");
  const sizes = numberColumn(table, "size");
  const parts = stage.inputCols.map((input) => {
    const src = slots.get(input, "vector_assembler");
    const size = src.info.kind === "vector" ? src.info.size : src.info.kind === "double" ? 1 : -1;
    if (size < 0) throw new ModelError(`vector_assembler: input "${input}" is a string column`);
    const at = names.indexOf(input);
    if (at >= 0 && sizes[at] !== size) {
      throw new ModelError(`vector_assembler: "${input}" has size ${size} here but ${sizes[at]} in Spark's model`);
    }
    return { input, slot: src.slot, vector: src.info.kind === "vector", size };
  });
  const total = parts.reduce((n, p) => n + p.size, 0);
  const outSlot = slots.define(stage.outputCol, { kind: "vector", size: total });
  const buffer = new Float64Array(total);
  // Batch: the inputs' arrays themselves, no copy (nulls are already NaN, which keep wants).
  const columns: ColumnStageFn = (frame) => {
    const out: Float64Array[] = [];
    for (const p of parts) {
      const src = frame.slots[p.slot]!;
      if (p.vector) {
        out.push(...(src as VectorColumn).columns);
        continue;
      }
      const { values } = src as DoubleColumn;
      if (stage.handleInvalid !== "keep") for (let r = 0; r < frame.rows; r++) if (values[r]! !== values[r]!) rowFails(p.input);
      out.push(values);
    }
    frame.slots[outSlot] = { columns: out };
  };
  const row = (vals: Value[]) => {
    let at = 0;
    for (const p of parts) {
      const v = vals[p.slot];
      if (p.vector) {
        const vec = v as Float64Array;
        for (let i = 0; i < p.size; i++) buffer[at + i] = vec[i]!; // small vectors: a loop beats set()
      } else {
        if (v === null || Number.isNaN(v as number)) {
          if (stage.handleInvalid === "keep") buffer[at] = Number.NaN;
          else throw new RowError(p.input, `a missing value cannot be assembled (handleInvalid=${stage.handleInvalid})`);
        } else buffer[at] = v as number;
      }
      at += p.size;
    }
    vals[outSlot] = buffer;
  };
  return withColumns(row, columns);
}
