// The new feature stages follow Spark 4.1.1's semantics (checked against its bytecode) on hand-made tables.
import { describe, expect, it } from "vitest";
import { Field, Float64, List, makeVector, Table, vectorFromArray } from "apache-arrow";
import { SlotMap, RowError, type Value } from "../../src/model/frame.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { bucketOf, compileBucketizer, javaBinarySearch } from "../../src/model/stages/bucketizer.js";
import { compileBinarizer } from "../../src/model/stages/binarizer.js";
import { compileMinMaxScaler } from "../../src/model/stages/min-max-scaler.js";
import { compileMaxAbsScaler } from "../../src/model/stages/max-abs-scaler.js";
import { compileNormalizer, pNorm } from "../../src/model/stages/normalizer.js";
import { table } from "../helpers/portable.js";

const f64 = (...v: number[]) => Float64Array.from(v);

// One vector input slot "v" of the given size; returns the slots and a runner for a compiled stage.
function vectorInput(size: number) {
  const slots = new SlotMap();
  const v = slots.define("v", { kind: "vector", size });
  return { slots, v };
}

function splitsTable(columns: string[], splits: number[][]): ArrowTable {
  return new Table({
    column: vectorFromArray(columns),
    splits: vectorFromArray(splits, new List(new Field("item", new Float64(), true))),
  }) as ArrowTable;
}

describe("bucketizer", () => {
  const splits = f64(-Infinity, -1, 0, 1, Infinity);
  it("puts a split value in the bucket it opens, and the last split in the last bucket", () => {
    expect([-5, -1, -0.5, 0, 0.5, 1, 7].map((x) => bucketOf(splits, x, false))).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect(bucketOf(f64(0, 20, 50), 50, false)).toBe(1);
    expect(bucketOf(f64(0, 20, 50), 0, false)).toBe(0);
  });

  it("orders -0.0 below 0.0 as java.util.Arrays.binarySearch does", () => {
    expect(javaBinarySearch(f64(-1, 0, 1), -0)).toBe(-2); // insertion point 1: before 0.0
    expect(bucketOf(splits, -0, false)).toBe(1); // so -0.0 falls in [-1, 0)
    expect(javaBinarySearch(f64(-1, -0, 1), 0)).toBe(-3);
  });

  it("NaN: an extra bucket with keep, a reason otherwise; out of bounds always fails", () => {
    expect(bucketOf(splits, Number.NaN, true)).toBe(4);
    expect(bucketOf(splits, Number.NaN, false)).toBe("NaN has no bucket");
    expect(bucketOf(f64(0, 20, 50), 50.5, true)).toBe("50.5 is outside the bucket bounds [0, 50]");
    expect(bucketOf(f64(0, 20, 50), -1, true)).toMatch(/outside/);
  });

  it.each([
    ["keep", [2, 4, null]],
    ["error", [2, "NaN has no bucket (handleInvalid=error)", null]],
    ["skip", [2, "NaN has no bucket (handleInvalid=skip)", "a null value has no bucket (handleInvalid=skip)"]],
  ] as const)("compiled with handleInvalid=%s: 0.5, NaN, null", (mode, want) => {
    const slots = new SlotMap();
    const x = slots.define("x", { kind: "double" });
    const fn = compileBucketizer({ kind: "bucketizer", file: "b", inputCols: ["x"], outputCols: ["x__bucket"], handleInvalid: mode }, splitsTable(["x"], [[-Infinity, -1, 0, 1, Infinity]]), slots);
    const out = slots.get("x__bucket", "test").slot;
    const got = [0.5, Number.NaN, null].map((v) => {
      const vals: Value[] = [];
      vals[x] = v;
      try {
        fn(vals);
        return vals[out];
      } catch (err) {
        expect(err).toBeInstanceOf(RowError);
        return (err as RowError).message.replace(/^x: /, "");
      }
    });
    expect(got).toEqual(want);
  });
});

describe("binarizer", () => {
  it("1.0 strictly above the threshold; NaN and null give 0.0", () => {
    const slots = new SlotMap();
    const x = slots.define("x", { kind: "double" });
    const fn = compileBinarizer({ kind: "binarizer", file: "b", inputCols: ["x"], outputCols: ["x__binary"] }, table({ column: ["x"], threshold: f64(2.5) }), slots);
    const out = slots.get("x__binary", "test").slot;
    const results = [2.4, 2.5, 2.6, Number.NaN, null, Infinity].map((v) => {
      const vals: Value[] = [];
      vals[x] = v;
      fn(vals);
      return vals[out];
    });
    expect(results).toEqual([0, 0, 1, 0, 0, 1]);
  });
});

describe("min_max_scaler", () => {
  it("rescales to [min, max]; a constant element becomes (min + max) / 2; NaN stays NaN", () => {
    const { slots, v } = vectorInput(3);
    const fn = compileMinMaxScaler({ kind: "min_max_scaler", file: "m", inputCol: "v", outputCol: "o", min: -1, max: 2 }, table({ originalMin: f64(0, 5, -4), originalMax: f64(10, 5, 4) }), slots);
    const vals: Value[] = [];
    vals[v] = f64(2.5, 5, Number.NaN);
    fn(vals);
    const o = vals[slots.get("o", "t").slot] as Float64Array;
    expect(o[0]).toBe((2.5 - 0) * (3 / 10) + -1); // Spark's order: (x - min) * (scale / range) + min
    expect(o[1]).toBe(0.5);
    expect(Number.isNaN(o[2]!)).toBe(true);
  });
});

describe("max_abs_scaler", () => {
  it("multiplies by 1 / maxAbs (1 when maxAbs is 0)", () => {
    const { slots, v } = vectorInput(2);
    const fn = compileMaxAbsScaler({ kind: "max_abs_scaler", file: "m", inputCol: "v", outputCol: "o" }, table({ maxAbs: f64(3, 0) }), slots);
    const vals: Value[] = [];
    vals[v] = f64(-5, 7);
    fn(vals);
    const o = vals[slots.get("o", "t").slot] as Float64Array;
    expect(Array.from(o)).toEqual([-5 * (1 / 3), 7]);
    expect(o[0]).not.toBe(-5 / 3); // the reciprocal product differs from the quotient here, as in Spark
  });
});

describe("normalizer", () => {
  it("p-norms in Spark's order: 1, 2, infinity, general p", () => {
    const x = f64(3, -4, 0);
    expect(pNorm(x, 1)).toBe(7);
    expect(pNorm(x, 2)).toBe(5);
    expect(pNorm(x, Infinity)).toBe(4);
    expect(pNorm(x, 3)).toBe(Math.pow(27 + 64, 1 / 3));
  });

  it("divides by the norm; a zero vector passes unchanged", () => {
    const { slots, v } = vectorInput(2);
    const pTable = new Table({ p: makeVector(f64(Infinity)) }) as ArrowTable;
    const fn = compileNormalizer({ kind: "normalizer", file: "n", inputCol: "v", outputCol: "o", p: "Infinity" }, pTable, slots);
    const o = slots.get("o", "t").slot;
    const vals: Value[] = [];
    vals[v] = f64(2, -8);
    fn(vals);
    expect(Array.from(vals[o] as Float64Array)).toEqual([0.25, -1]);
    vals[v] = f64(0, 0);
    fn(vals);
    expect(Array.from(vals[o] as Float64Array)).toEqual([0, 0]);
  });
});
