// Spark's Bucketizer (and fitted QuantileDiscretizer): the bucket index of x among sorted splits.
import type { BucketizerStage } from "../descriptor.js";
import { type ArrowTable, listColumn, stringColumn } from "../arrow.js";
import { ModelError, RowError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type ColumnStageFn, type DoubleColumn, rowFails, withColumns } from "../columns.js";

// java.util.Arrays.binarySearch(double[], double): equal values are ordered by bit pattern, so -0.0 < 0.0.
export function javaBinarySearch(a: Float64Array, key: number): number {
  let low = 0;
  let high = a.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const midVal = a[mid]!;
    if (midVal < key) low = mid + 1;
    else if (midVal > key) high = mid - 1;
    else if (Object.is(midVal, key)) return mid;
    else if (Object.is(midVal, -0)) low = mid + 1; // (-0.0, 0.0)
    else high = mid - 1; // (0.0, -0.0)
  }
  return -(low + 1);
}

// Bucketizer.binarySearchForBuckets: NaN is bucket splits.length - 1 with keep; x == last split is the last bucket;
// values outside [first, last] fail whatever handleInvalid says. Returns the bucket, or a reason it has none.
export function bucketOf(splits: Float64Array, x: number, keepInvalid: boolean): number | string {
  if (Number.isNaN(x)) return keepInvalid ? splits.length - 1 : "NaN has no bucket";
  if (x === splits[splits.length - 1]) return splits.length - 2;
  const idx = javaBinarySearch(splits, x);
  if (idx >= 0) return idx;
  const insertAt = -idx - 1;
  if (insertAt === 0 || insertAt === splits.length) return `${x} is outside the bucket bounds [${splits[0]}, ${splits[splits.length - 1]}]`;
  return insertAt - 1;
}

export function compileBucketizer(stage: BucketizerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const names = stringColumn(table, "column");
  const allSplits = listColumn(table, "splits");
  const mode = stage.handleInvalid;
  const keep = mode === "keep";
  const cols = stage.inputCols.map((input, i) => {
    const src = slots.get(input, "bucketizer");
    if (src.info.kind !== "double") throw new ModelError(`bucketizer: input "${input}" is not a double column`);
    const splits = allSplits[names.indexOf(input)];
    if (!splits || splits.length < 3) throw new ModelError(`bucketizer: no splits (at least 3) for "${input}"`);
    const out = stage.outputCols[i];
    if (out === undefined) throw new ModelError("bucketizer: inputCols and outputCols differ in length");
    return { input, from: src.slot, to: slots.define(out, { kind: "double" }), splits };
  });
  // Batch: a null stays null (NaN, marked in nulls) for the imputer, as in the row path.
  const columns: ColumnStageFn = (frame) => {
    for (const c of cols) {
      const { values, nulls } = frame.slots[c.from] as DoubleColumn;
      const out = frame.alloc();
      for (let r = 0; r < out.length; r++) {
        if (nulls !== null && nulls[r] === 1) {
          if (mode === "skip") rowFails(c.input);
          out[r] = Number.NaN;
          continue;
        }
        const bucket = bucketOf(c.splits, values[r]!, keep);
        if (typeof bucket === "string") rowFails(c.input);
        out[r] = bucket;
      }
      frame.slots[c.to] = { values: out, nulls };
    }
  };
  const row = (vals: Value[]) => {
    for (const c of cols) {
      const v = vals[c.from] as number | null;
      if (v === null) {
        // Spark's skip drops rows with null or NaN (na.drop); keep and error pass null through for the imputer.
        if (mode === "skip") throw new RowError(c.input, "a null value has no bucket (handleInvalid=skip)");
        vals[c.to] = null;
        continue;
      }
      const bucket = bucketOf(c.splits, v, keep);
      if (typeof bucket === "string") throw new RowError(c.input, `${bucket} (handleInvalid=${mode})`);
      vals[c.to] = bucket;
    }
  };
  return withColumns(row, columns);
}
