// The parity certificate: Spark's outputs against the row path, and the batch path against the row path.
import { describe, expect, it } from "vitest";
import { Float64, Table, tableToIPC, vectorFromArray } from "apache-arrow";
import { checkParity } from "../../src/certify/parity.js";
import { compileModel, type CompiledModel } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { descriptor, linearTable, table } from "../helpers/portable.js";

const ROWS = 300;

// y = 10 + 3a - 2b: a vector assembler into a linear regression.
function model(): CompiledModel {
  const tables = new Map<string, ArrowTable>([
    ["va", table({ column: ["a", "b"], size: Int32Array.from([1, 1]) })],
    ["lr", linearTable([10], [[3, -2]])],
  ]);
  return compileModel(
    descriptor({
      algorithm: "linear_regression",
      task: "regression",
      inputSchema: [
        { name: "a", type: "double", role: "numeric" },
        { name: "b", type: "double", role: "numeric" },
      ],
      stages: [
        { kind: "vector_assembler", file: "va", inputCols: ["a", "b"], outputCol: "features", handleInvalid: "error" },
        { kind: "linear_regression", file: "lr", featuresCol: "features", numFeatures: 2 },
      ],
    }),
    tables,
  );
}

// A parity.arrow whose Spark predictions are `spark(row)`.
function parityFile(spark: (a: number, b: number) => number): Uint8Array {
  const a = Array.from({ length: ROWS }, (_, i) => i / 7);
  const b = Array.from({ length: ROWS }, (_, i) => (i % 13) - 6);
  return tableToIPC(
    new Table({
      a: vectorFromArray(a, new Float64()),
      b: vectorFromArray(b, new Float64()),
      spark_prediction: vectorFromArray(a.map((x, i) => spark(x, b[i]!)), new Float64()),
    }),
    "file",
  );
}

describe("checkParity", () => {
  it("passes when both paths give Spark's answers", () => {
    const r = checkParity(model(), parityFile((a, b) => 10 + 3 * a + -2 * b), 1e-9);
    expect(r.errors).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.rows).toBe(ROWS);
  });

  it("fails when Spark differs by more than the tolerance, naming the worst row", () => {
    const r = checkParity(model(), parityFile((a, b) => 10 + 3 * a + -2 * b + (a > 40 ? 1e-6 : 0)), 1e-9);
    expect(r.passed).toBe(false);
    expect(r.maxAbsDiff).toBeGreaterThan(1e-9);
    expect(r.worst?.output).toBe("prediction");
  });

  it("fails when the batch path (scoreColumns) differs from the row path by one bit", () => {
    const m = model();
    const skewed: CompiledModel = {
      ...m,
      scoreValues: m.scoreValues,
      scoreColumns(columns, rows) {
        const out = m.scoreColumns(columns, rows);
        out.prediction[123] = out.prediction[123]! + Number.EPSILON * 64;
        return out;
      },
    };
    const r = checkParity(skewed, parityFile((a, b) => 10 + 3 * a + -2 * b), 1e-9);
    expect(r.passed).toBe(false);
    expect(r.errors).toEqual([expect.stringMatching(/^row 123: batch scoring gives prediction .*, row scoring /)]);
  });
});
