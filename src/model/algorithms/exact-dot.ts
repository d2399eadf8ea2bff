// Exact arithmetic on doubles with BigInt, for the operands where Dekker's product (ddot.ts) would overflow or
// underflow: Σ x_i · y_i + c computed exactly, then rounded once to the nearest double (ties to even), with
// overflow to ±Infinity and gradual underflow as IEEE 754 rounds (so fma here is Java's Math.fma). Slow, and
// only reached by operands beyond about 1e290 or products below about 1e-289.

const view = new DataView(new ArrayBuffer(8));

// A finite double as m · 2^e: m an integer (with the sign), e the exponent of its last mantissa bit.
function decompose(x: number): { m: bigint; e: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) m |= 1n << 52n; // the implicit leading bit of a normal number
  return { m: hi >>> 31 ? -m : m, e: (biased === 0 ? 1 : biased) - 1075 };
}

// 2^q as a double, exactly, for -1074 <= q <= 1023.
function pow2(q: number): number {
  if (q < -1022) return pow2(-1022) * pow2(q + 1022); // a subnormal: the product of two exact powers is exact
  view.setUint32(0, (q + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

// The double nearest to t · 2^e (ties to even); +0 for an exact zero (IEEE's sum of opposite values).
function roundToDouble(t: bigint, e: number): number {
  if (t === 0n) return 0;
  const negative = t < 0n;
  let m = negative ? -t : t;
  const bits = m.toString(2).length;
  let q = Math.max(bits - 53 + e, -1074); // the exponent of the last bit a double keeps
  if (q > e) {
    const shift = BigInt(q - e);
    const rest = m & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    m >>= shift;
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
    if (m === 1n << 53n) {
      m = 1n << 52n;
      q += 1;
    }
  } else {
    m <<= BigInt(e - q);
  }
  // Now m < 2^53 (and >= 2^52 unless subnormal); m · 2^q is a double unless it reaches 2^1024.
  const magnitude = q > 971 ? Number.POSITIVE_INFINITY : Number(m) * pow2(q);
  return negative ? -magnitude : magnitude;
}

// Σ x[i] · y[i] (i < n) + c, for finite operands, with one rounding at the end.
export function exactDot(x: ArrayLike<number>, y: ArrayLike<number>, n: number, c: number): number {
  const ms: bigint[] = [];
  const es: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = decompose(x[i]!);
    const b = decompose(y[i]!);
    ms.push(a.m * b.m);
    es.push(a.e + b.e);
  }
  const last = decompose(c);
  ms.push(last.m);
  es.push(last.e);
  let low = es[0]!;
  for (const e of es) if (e < low) low = e;
  let total = 0n;
  for (let i = 0; i < ms.length; i++) total += ms[i]! << BigInt(es[i]! - low);
  return roundToDouble(total, low);
}
