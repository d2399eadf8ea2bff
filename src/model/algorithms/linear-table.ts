// Reads the shared "row, intercept, coefficients" table of linear models into dense arrays.
import { type ArrowTable, listColumn, numberColumn } from "../arrow.js";
import { ModelError } from "../frame.js";

export interface LinearParams {
  intercepts: Float64Array; // one per row of the coefficient matrix
  coefficients: Float64Array[]; // row-major: coefficients[row][feature]
}

export function readLinearTable(table: ArrowTable, numFeatures: number, stage: string): LinearParams {
  const rows = numberColumn(table, "row");
  const intercepts = numberColumn(table, "intercept");
  const coefs = listColumn(table, "coefficients");
  const order = rows.map((r, i) => ({ r: r ?? i, i })).sort((a, b) => a.r - b.r);
  const out: LinearParams = { intercepts: new Float64Array(order.length), coefficients: [] };
  order.forEach(({ i }, k) => {
    const c = coefs[i];
    if (!c || c.length !== numFeatures) {
      throw new ModelError(`${stage}: row ${k} has ${c?.length ?? 0} coefficients, expected ${numFeatures}`);
    }
    out.intercepts[k] = intercepts[i] ?? 0;
    out.coefficients.push(c);
  });
  return out;
}

// Plain left-to-right dot product (Spark's BLAS.dot on dense vectors sums in the same order).
export function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}
