// Spark's BLAS ddot, reproduced bit for bit: Spark 4 uses netlib's VectorBLAS, whose ddot keeps one
// fused-multiply-add accumulator per SIMD lane, adds the lanes in order, then the leftover elements.
// JavaScript has no Math.fma, so fma is computed exactly: Dekker's product and a correctly rounded sum where
// their intermediate steps can neither overflow nor underflow (all ordinary operands), exact integer
// arithmetic (exact-dot.ts) for the rest, so every finite input gives Java's double, infinities included.
import { exactDot } from "./exact-dot.js";

// Splits a double into high and low halves whose products are exact (Veltkamp).
const SPLITTER = 134217729; // 2^27 + 1

// The rounding error of a * b: a * b = p + productError(a, b, p) exactly (barring overflow and underflow).
function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (((p - ah * bh) - al * bh) - ah * bl);
}

// The correctly rounded sum of a few doubles (Shewchuk's partials with round-half-even, as Python's math.fsum).
const partials = new Float64Array(64);
export function exactSum(values: ArrayLike<number>, count = values.length): number {
  let n = 0;
  for (let k = 0; k < count; k++) {
    let x = values[k]!;
    if (!Number.isFinite(x)) return naiveSum(values, count); // inf/NaN: no exactness to keep
    let i = 0;
    for (let j = 0; j < n; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    if (i >= partials.length) return naiveSum(values, count);
    partials[i] = x;
    n = i + 1;
  }
  if (n === 0) return 0;
  let top = n - 1;
  let hi = partials[top]!;
  let lo = 0;
  while (top > 0) {
    const x = hi;
    const y = partials[--top]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Round half to even across the remaining partials, as fsum does.
  if (top > 0 && ((lo < 0 && partials[top - 1]! < 0) || (lo > 0 && partials[top - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

function naiveSum(values: ArrayLike<number>, count: number): number {
  let s = 0;
  for (let k = 0; k < count; k++) s += values[k]!;
  return s;
}

// Where Dekker's product is exact and cannot overflow: Veltkamp's split multiplies an operand by 2^27 + 1
// (finite below 2^996), the product must stay clear of the top of the range, and its rounding error is a
// double only when |a · b| is far enough above the subnormals (2^-969; 2^-960 leaves a margin).
const SPLIT_LIMIT = 2 ** 996;
const PRODUCT_HIGH = 2 ** 990; // also keeps any sum of up to 2^32 such products finite (exactSum)
const PRODUCT_LOW = 2 ** -960;
const ADDEND_HIGH = 2 ** 1022; // p + error + c cannot overflow while |p| < 2^990 and |c| < 2^1022

// True when x · y can go through Dekker's product (productError is exact and nothing overflows).
function dekkerSafe(x: number, y: number, p: number): boolean {
  const ap = Math.abs(p);
  return ap < PRODUCT_HIGH && ap >= PRODUCT_LOW && Math.abs(x) < SPLIT_LIMIT && Math.abs(y) < SPLIT_LIMIT;
}

const terms = new Float64Array(3);
const factorA = new Float64Array(1);
const factorB = new Float64Array(1);
// Java's Math.fma: a * b + c with a single rounding, for every double operand.
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (Math.abs(c) < ADDEND_HIGH && dekkerSafe(a, b, p)) {
    terms[0] = p;
    terms[1] = productError(a, b, p);
    terms[2] = c;
    return exactSum(terms, 3);
  }
  return fmaBeyond(a, b, c, p); // kept out of line so that fma stays small enough to inline
}

// fma for the operands dekkerSafe refuses (p = a * b rounded).
function fmaBeyond(a: number, b: number, c: number, p: number): number {
  // A zero, infinite or NaN factor makes p the exact product (or NaN as Java has it): one IEEE add is fused.
  if (a === 0 || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return p + c;
  if (!Number.isFinite(c)) return c; // a finite product plus ±Infinity (or NaN)
  // Finite operands whose product overflows, underflows or is too large to split: exact arithmetic.
  factorA[0] = a;
  factorB[0] = b;
  return exactDot(factorA, factorB, 1, c);
}

// A dot product of n elements as Spark computes it: with `lanes` (VectorBLAS's DoubleVector.SPECIES_MAX
// length on the Spark JVM), lane j accumulates fma over elements j, j + lanes, … up to the last full
// vector, the lanes are added in order, then the rest is added one product at a time. With `lanes` null
// (another BLAS), the correctly rounded dot product, which is as close as any order can get.
export function sparkDot(lanes: number | null): (x: Float64Array, y: Float64Array, n: number) => number {
  if (lanes === null) {
    let buf = new Float64Array(128);
    return (x, y, n) => {
      if (buf.length < 2 * n) buf = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const a = x[i]!, b = y[i]!;
        const p = a * b;
        buf[2 * i] = p;
        if (dekkerSafe(a, b, p)) buf[2 * i + 1] = productError(a, b, p);
        else if (a === 0 || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) buf[2 * i + 1] = 0; // p is exact (or NaN)
        else return exactProducts(x, y, n);
      }
      return exactSum(buf, 2 * n);
    };
  }
  const acc = new Float64Array(lanes);
  return (x, y, n) => {
    const bound = n - (n % lanes);
    acc.fill(0);
    for (let i = 0; i < bound; i += lanes) {
      for (let j = 0; j < lanes; j++) acc[j] = fma(x[i + j]!, y[i + j]!, acc[j]!);
    }
    let sum = 0;
    for (let j = 0; j < lanes; j++) sum += acc[j]!;
    for (let i = bound; i < n; i++) sum += x[i]! * y[i]!;
    return sum;
  };
}

// The correctly rounded dot product of finite operands whose products Dekker cannot split; an infinite or
// NaN operand anywhere gives the IEEE sum of the products instead (no exactness to keep).
function exactProducts(x: Float64Array, y: Float64Array, n: number): number {
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) {
      let s = 0;
      for (let k = 0; k < n; k++) s += x[k]! * y[k]!;
      return s;
    }
  }
  return exactDot(x, y, n, 0);
}
