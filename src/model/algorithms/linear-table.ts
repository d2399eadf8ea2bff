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

// features · coefficients for every row of a column-major batch, each row summed as sparkLinearDot sums it.
// `dense` marks the rows Spark holds dense (denseRows); null when none is or when the plain sum applies.
export type LinearDotColumns = (features: readonly Float64Array[], coefficients: Float64Array, rows: number, dense: Uint8Array | null, out: Float64Array) => void;

// The batch form of sparkLinearDot: the plain sums column by column (row r still adds element 0 first, then
// 1, …, as dot does), then the rows Spark holds dense recomputed one at a time with the lane-wise ddot.
export function sparkLinearDotColumns(stage: DotFields, kind: string): { dot: LinearDotColumns; denseRows: (features: readonly Float64Array[], rows: number) => Uint8Array | null } {
  if (stage.ddotLanes === undefined || stage.sparseCoefficients) return { dot: plainDotColumns, denseRows: () => null };
  const lanes = stage.ddotLanes;
  if (lanes !== null && !(Number.isInteger(lanes) && lanes >= 1 && lanes <= 64)) throw new ModelError(`${kind}: ddotLanes ${lanes}`);
  const denseDot = sparkDot(lanes);
  const dot: LinearDotColumns = (features, coefficients, rows, dense, out) => {
    plainDotColumns(features, coefficients, rows, null, out);
    if (dense === null) return;
    const n = features.length;
    const x = new Float64Array(n);
    for (let r = 0; r < rows; r++) {
      if (dense[r] !== 1) continue;
      for (let i = 0; i < n; i++) x[i] = features[i]![r]!;
      out[r] = denseDot(x, coefficients, n);
    }
  };
  return { dot, denseRows: storedDenseRows };
}

// Four elements per pass over the rows (fewer loads and stores of the sums), each row still adding them one
// at a time in element order.
function plainDotColumns(features: readonly Float64Array[], coefficients: Float64Array, rows: number, _dense: Uint8Array | null, out: Float64Array): void {
  out.fill(0);
  const n = features.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = features[i]!, x1 = features[i + 1]!, x2 = features[i + 2]!, x3 = features[i + 3]!;
    const c0 = coefficients[i]!, c1 = coefficients[i + 1]!, c2 = coefficients[i + 2]!, c3 = coefficients[i + 3]!;
    for (let r = 0; r < rows; r++) {
      let s = out[r]!;
      s += x0[r]! * c0;
      s += x1[r]! * c1;
      s += x2[r]! * c2;
      s += x3[r]! * c3;
      out[r] = s;
    }
  }
  for (; i < n; i++) {
    const col = features[i]!;
    const c = coefficients[i]!;
    for (let r = 0; r < rows; r++) out[r] = out[r]! + col[r]! * c;
  }
}

// storedDense for every row of a column-major batch; null when no row is dense.
function storedDenseRows(features: readonly Float64Array[], rows: number): Uint8Array | null {
  const n = features.length;
  // 12·nnz + 28 >= 8·n + 12  <=>  nnz >= (8·n - 16) / 12
  const least = Math.ceil((8 * n - 16) / 12);
  if (least > n) return null;
  const nnz = new Int32Array(rows);
  for (const col of features) for (let r = 0; r < rows; r++) if (col[r] !== 0) nnz[r] = nnz[r]! + 1;
  let any = false;
  const dense = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    if (nnz[r]! >= least) {
      dense[r] = 1;
      any = true;
    }
  }
  return any ? dense : null;
}
