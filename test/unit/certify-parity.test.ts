// The parity certificate: Spark's outputs against the row path, and the batch path against the row path.
import { describe, expect, it } from "vitest";
import { Float64, Table, tableToIPC, vectorFromArray } from "apache-arrow";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_ROWS_KEY, checkParity, MIN_DATA_ROWS, MIN_PARITY_ROWS, parityRefusal } from "../../src/certify/parity.js";
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

// A parity.arrow of `rows` rows whose Spark predictions are `spark(row)`; `allRows` sets the schema metadata.
function parityFile(spark: (a: number, b: number) => number, rows = ROWS, allRows?: boolean): Uint8Array {
  const a = Array.from({ length: rows }, (_, i) => i / 7);
  const b = Array.from({ length: rows }, (_, i) => (i % 13) - 6);
  const t = new Table({
    a: vectorFromArray(a, new Float64()),
    b: vectorFromArray(b, new Float64()),
    spark_prediction: vectorFromArray(a.map((x, i) => spark(x, b[i]!)), new Float64()),
  });
  if (allRows !== undefined) t.schema.metadata.set(ALL_ROWS_KEY, String(allRows));
  return tableToIPC(t, "file");
}

const exact = (a: number, b: number) => 10 + 3 * a + -2 * b;

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

  it("counts the same infinity on both sides as no difference, and different ones as failing", () => {
    const rows = 250;
    const file = (infinity: number) => {
      const a = Array.from({ length: rows }, (_, i) => (i < 5 ? 1e308 : i)); // 3 × 1e308 overflows, in Spark as here
      const b = Array.from({ length: rows }, () => 1);
      const t = new Table({
        a: vectorFromArray(a, new Float64()),
        b: vectorFromArray(b, new Float64()),
        spark_prediction: vectorFromArray(a.map((x, i) => (i < 5 ? infinity : exact(x, b[i]!))), new Float64()),
      });
      return tableToIPC(t, "file");
    };
    expect(checkParity(model(), file(Infinity), 1e-9)).toMatchObject({ passed: true, maxAbsDiff: 0 });
    expect(checkParity(model(), file(-Infinity), 1e-9).passed).toBe(false);
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

describe("the parity sample's size", () => {
  it("certifies a small data set on every row (105 rows, the sample holds them all)", () => {
    const r = checkParity(model(), parityFile(exact, 105, true), 1e-9);
    expect(r).toMatchObject({ rows: 105, allRows: true, minRows: MIN_DATA_ROWS, passed: true, errors: [] });
  });

  it("refuses a short sample that does not hold every row, saying only that", () => {
    for (const marker of [false, undefined]) {
      const r = checkParity(model(), parityFile(exact, 105, marker), 1e-9);
      expect(r).toMatchObject({ allRows: false, minRows: MIN_PARITY_ROWS, passed: false, labelMismatches: 0 });
      expect(r.maxAbsDiff).toBeLessThanOrEqual(1e-9);
      const { message, details } = parityRefusal(r);
      expect(message).toBe(`parity certificate failed: the parity sample has 105 rows and not every row of the data; at least ${MIN_PARITY_ROWS} are needed (export_pipeline: pass df_train)`);
      expect(details).toEqual([]); // no "worst" row where nothing disagrees beyond the tolerance
    }
  });

  it("refuses a complete sample below the floor, naming the count and the floor", () => {
    const r = checkParity(model(), parityFile(exact, MIN_DATA_ROWS - 1, true), 1e-9);
    expect(r.passed).toBe(false);
    expect(parityRefusal(r).message).toBe(
      `parity certificate failed: the parity sample holds every row Spark scored, ${MIN_DATA_ROWS - 1}; at least ${MIN_DATA_ROWS} are needed: train on more rows`,
    );
  });

  it("names only the condition that failed: a difference above the tolerance, with the worst row", () => {
    const r = checkParity(model(), parityFile((a, b) => exact(a, b) + (a > 40 ? 1e-6 : 0)), 1e-9);
    const { message, details } = parityRefusal(r);
    expect(message).toMatch(/^parity certificate failed: max \|Δ\| [0-9.e-]+ > tolerance 1e-9$/);
    expect(message).not.toMatch(/rows|label/);
    expect(details).toEqual([expect.stringMatching(/^worst: row \d+ prediction: Spark /)]);
  });

  it("keeps the Python side's numbers and metadata key (spark-scripts/mlship_runtime/export/parity.py)", () => {
    const py = readFileSync(join(import.meta.dirname, "..", "..", "spark-scripts", "mlship_runtime", "export", "parity.py"), "utf8");
    expect(py).toMatch(new RegExp(`^MIN_PARITY_ROWS = ${MIN_PARITY_ROWS}$`, "m"));
    expect(py).toMatch(new RegExp(`^MIN_DATA_ROWS = ${MIN_DATA_ROWS}$`, "m"));
    expect(py).toMatch(new RegExp(`^ALL_ROWS_KEY = "${ALL_ROWS_KEY}"$`, "m"));
  });
});
