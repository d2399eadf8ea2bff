// Spark's Normalizer: x / ||x||_p (p = 1, 2, Infinity or any p >= 1); a zero vector passes unchanged.
import type { NormalizerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn } from "../arrow.js";
import { ModelError, SlotMap, type StageFn, type Value } from "../frame.js";

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
  return (vals: Value[]) => {
    const x = vals[src.slot] as Float64Array;
    const norm = pNorm(x, p);
    for (let i = 0; i < size; i++) buffer[i] = norm !== 0 ? x[i]! / norm : x[i]!;
    vals[out] = buffer;
  };
}
