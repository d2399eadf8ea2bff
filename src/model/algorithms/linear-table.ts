// Reads the shared "row, intercept, coefficients" table of linear models into dense arrays.
import { type ArrowTable, listColumn, numberColumn } from "../arrow.js";
import { ModelError } from "../frame.js";
import { sparkDot } from "./ddot.js";

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

// Plain left-to-right dot product: Spark's BLAS.dot when either vector is sparse (it sums the nonzero
// products in index order, the same double as summing every product).
export function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

// What a linear stage's descriptor says about Spark's dot product (docs/portable-model.md, "Linear models").
export interface DotFields {
  ddotLanes?: number | null;
  sparseCoefficients?: boolean;
}

export type LinearDot = (x: Float64Array, coefficients: Float64Array, n: number) => number;

// True when Spark holds a features vector with these values dense: VectorAssembler returns
// Vector.compressed, which is sparse when 12·nnz + 28 bytes < 8·n + 12 bytes (nnz counts values != 0, NaN too).
export function storedDense(x: Float64Array, n: number): boolean {
  let nnz = 0;
  for (let i = 0; i < n; i++) if (x[i] !== 0) nnz++;
  return 12 * nnz + 28 >= 8 * n + 12;
}

// features · coefficients as Spark sums it: dense features with dense coefficients go through BLAS ddot/gemv
// (lane-wise fma with ddotLanes, ddot.ts); a sparse operand gives the plain sum. Exports older than ddotLanes
// get the plain sum throughout.
export function sparkLinearDot(stage: DotFields, kind: string): LinearDot {
  if (stage.ddotLanes === undefined || stage.sparseCoefficients) return dot;
  const lanes = stage.ddotLanes;
  if (lanes !== null && !(Number.isInteger(lanes) && lanes >= 1 && lanes <= 64)) throw new ModelError(`${kind}: ddotLanes ${lanes}`);
  const dense = sparkDot(lanes);
  return (x, coefficients, n) => (storedDense(x, n) ? dense(x, coefficients, n) : dot(x, coefficients, n));
}
