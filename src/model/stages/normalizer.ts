// Spark's Normalizer: x / ||x||_p (p = 1, 2, Infinity or any p >= 1); a zero vector passes unchanged.
import type { NormalizerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn } from "../arrow.js";
import { ModelError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type VectorColumn, withColumns } from "../columns.js";

// The p-norm in Spark's order of operations (mllib Vectors.norm): a left-to-right sum; pow for other p.
export function pNorm(x: Float64Array, p: number): number {
  let acc = 0;
  if (p === 1) {
    for (let i = 0; i < x.length; i++) acc += Math.abs(x[i]!);
    return acc;
  }
  if (p === 2) {
    for (let i = 0; i < x.length; i++) acc += x[i]! * x[i]!;
    return Math.sqrt(acc);
  }
  if (p === Number.POSITIVE_INFINITY) {
    for (let i = 0; i < x.length; i++) {
      const a = Math.abs(x[i]!);
      if (a > acc) acc = a;
    }
    return acc;
  }
  for (let i = 0; i < x.length; i++) acc += Math.pow(Math.abs(x[i]!), p);
  return Math.pow(acc, 1 / p);
}

export function compileNormalizer(stage: NormalizerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const src = slots.get(stage.inputCol, "normalizer");
  if (src.info.kind !== "vector") throw new ModelError(`normalizer: input "${stage.inputCol}" is not a vector`);
  const p = numberColumn(table, "p")[0];
  if (p === null || p === undefined || !(p >= 1)) throw new ModelError(`normalizer: p must be at least 1, got ${String(p)}`);
  const size = src.info.size;
  const out = slots.define(stage.outputCol, { kind: "vector", size });
  const buffer = new Float64Array(size);
  const row = (vals: Value[]) => {
    const x = vals[src.slot] as Float64Array;
    const norm = pNorm(x, p);
    for (let i = 0; i < size; i++) buffer[i] = norm !== 0 ? x[i]! / norm : x[i]!;
    vals[out] = buffer;
  };
  const columns: ColumnStageFn = (frame) => {
    const x = (frame.slots[src.slot] as VectorColumn).columns;
    const norms = pNormColumns(x, frame.rows, p);
    frame.slots[out] = {
      columns: x.map((col) => {
        const y = frame.alloc();
        for (let r = 0; r < y.length; r++) y[r] = norms[r] !== 0 ? col[r]! / norms[r]! : col[r]!;
        return y;
      }),
    };
  };
  return withColumns(row, columns);
}

// pNorm of every row of a column-major batch, each row accumulated in pNorm's order (element 0 first).
function pNormColumns(x: readonly Float64Array[], rows: number, p: number): Float64Array {
  const acc = new Float64Array(rows);
  for (const col of x) {
    if (p === 1) for (let r = 0; r < rows; r++) acc[r] = acc[r]! + Math.abs(col[r]!);
    else if (p === 2) for (let r = 0; r < rows; r++) acc[r] = acc[r]! + col[r]! * col[r]!;
    else if (p === Number.POSITIVE_INFINITY) {
      for (let r = 0; r < rows; r++) {
        const a = Math.abs(col[r]!);
        if (a > acc[r]!) acc[r] = a;
      }
    } else for (let r = 0; r < rows; r++) acc[r] = acc[r]! + Math.pow(Math.abs(col[r]!), p);
  }
  if (p === 2) for (let r = 0; r < rows; r++) acc[r] = Math.sqrt(acc[r]!);
  else if (p !== 1 && p !== Number.POSITIVE_INFINITY) for (let r = 0; r < rows; r++) acc[r] = Math.pow(acc[r]!, 1 / p);
  return acc;
}
