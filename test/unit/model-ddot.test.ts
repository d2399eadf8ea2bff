// Spark's dense dot product (ddot.ts) on extreme operands: every finite input must give Java's Math.fma and
// netlib's VectorBLAS ddot to the bit, infinities and signed zeros included. The expected bit patterns come
// from the JVM itself (test/helpers/DdotOracle.java, on the blas jar Spark 4.1.1 ships); the property checks
// compare the exact-integer path with Dekker's path where both apply.
import { describe, expect, it } from "vitest";
import { fma, sparkDot } from "../../src/model/algorithms/ddot.js";
import { exactDot } from "../../src/model/algorithms/exact-dot.js";

const view = new DataView(new ArrayBuffer(8));
const fromBits = (hex: string) => {
  view.setBigUint64(0, BigInt(hex));
  return view.getFloat64(0);
};
const toBits = (x: number) => {
  view.setFloat64(0, x);
  return "0x" + view.getBigUint64(0).toString(16).padStart(16, "0");
};

// DdotOracle's output: a, b, c, Math.fma(a, b, c).
const FMA = `
0x7e37e43c8800759c 0x400d99999999999a 0x0000000000000000 0x7e561984ca9a0664
0x7fee42d130773b76 0x3fe0000000000000 0xffe1ccf385ebc8a0 0xffb55c576d815728
0x7fe1ccf385ebc8a0 0x4004000000000000 0xffee42d130773b76 0x7fdc7b1f3cac7434
0x7fefffffffffffff 0x3ff0000000000001 0xffefffffffffffff 0x7cafffffffffffff
0x7fee42d130773b76 0x7fee42d130773b76 0xffe1ccf385ebc8a0 0x7ff0000000000000
0xffee42d130773b76 0x7fee42d130773b76 0x7fe1ccf385ebc8a0 0xfff0000000000000
0x7e37e43c8800759c 0xc202a05f20000000 0x7fe1ccf385ebc8a0 0xfff0000000000000
0xffe1ccf385ebc8a0 0x3ff000001ad7f29b 0x7fee42d130773b76 0x7fd8ebbb195c4e57
0x7e47e43c8800759c 0x421bf08eb0000000 0x7e231cfd3999f7b0 0x7ff0000000000000
0x7fe1ccf385ebc8a0 0x4202a05f20000000 0xfff0000000000000 0xfff0000000000000
0x16687e92154ef7ac 0x271efcabefa5cc93 0x000012688b70e62b 0x000012688b70fde3
0x1eb67e9c127b6e74 0x1eb67e9c127b6e74 0x80000000000007e8 0x0000000000000000
0x0000000000000003 0x3fe0000000000000 0x0000000000000000 0x0000000000000002
0x0000000000000005 0x3fe0000000000000 0x0000000000000000 0x0000000000000002
0x96687e92154ef7ac 0x16687e92154ef7ac 0x0000000000000000 0x8000000000000000
0x16687e92154ef7ac 0x16687e92154ef7ac 0x8000000000000000 0x0000000000000000
0x01a56e1fc2f8f359 0x01a56e1fc2f8f359 0x3ddb7cdfd9d7bdbb 0x3ddb7cdfd9d7bdbb
0x6974e718d7d7625a 0x01a56e1fc2f8f359 0x2b2bff2ee48e0530 0x2b3bff2ee48e0530
0x01b01297d23ab683 0x39c95a5efea6b347 0x8000000000001da6 0x8000000000001da6
0x7e37e43c8800759c 0x01a56e1fc2f8f359 0xbff0000000000000 0x3c965b33bdd7ee78
0x4008000000000000 0x401c000000000000 0xc035000000000000 0x0000000000000000
0x3fb999999999999a 0x4024000000000000 0xbff0000000000000 0x3c90000000000000`
  .trim()
  .split("\n")
  .map((line) => line.split(" ") as [string, string, string, string]);

// DdotOracle's VectorBLAS.ddot of its 8 rows (8 lanes, 24 elements: three full vectors).
const DOT = ["0xfe30f06961730384", "0x7ff0000000000000", "0xfff0000000000000", "0xfe359913e77d57e3", "0xfff8000000000000", "0x40919f3b645a1caa", "0x7ff0000000000000", "0xfff0000000000000"];

// The oracle's rows: ordinary alternating features with extreme values put in (same formulas as DdotOracle.java).
function oracleRows(): { coef: Float64Array; rows: Float64Array[] } {
  const coef = Float64Array.from({ length: 24 }, (_, j) => (j % 3 === 0 ? -1 : 1) * (0.37 + j * 0.113));
  const rows = Array.from({ length: 8 }, (_, r) => Float64Array.from({ length: 24 }, (_, j) => (j % 2 === 0 ? 1 : -1) * (1000 + 37 * j + r)));
  const max = Number.MAX_VALUE;
  const put: [number, number, number][] = [
    [0, 3, 1e300], [1, 3, -1e308], [1, 11, 1.7e308], [2, 0, 1.7e308], [2, 8, 1.7e308], [2, 16, -1.7e308],
    [3, 5, 1e300], [3, 13, -1e300], [4, 2, 1e308], [4, 10, 1e308], [4, 18, 1e308], [4, 23, -1e308],
    [5, 1, 1e-300], [5, 9, 1e-320], [6, 7, max], [6, 15, -max], [7, 6, 1.7e308], [7, 22, -1.7e308],
  ];
  for (const [r, j, v] of put) rows[r]![j] = v;
  return { coef, rows };
}

// A deterministic stream of doubles with mantissas and exponents spread out (xorshift).
function randomDoubles(seed: number, lowExp: number, highExp: number): () => number {
  let s = seed >>> 0;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return () => (next() < 0.5 ? -1 : 1) * (1 + next()) * 2 ** Math.floor(lowExp + next() * (highExp - lowExp));
}

describe("fma is Java's Math.fma for every double", () => {
  it.each(FMA.map((c) => [fromBits(c[0]), fromBits(c[1]), fromBits(c[2]), c[3]] as const))("fma(%d, %d, %d)", (a, b, c, want) => {
    expect(toBits(fma(a, b, c))).toBe(want);
  });

  it("the exact-integer path rounds as Dekker's product does on ordinary operands", () => {
    const draw = randomDoubles(7, -60, 60);
    const one = new Float64Array(1);
    const other = new Float64Array(1);
    for (let i = 0; i < 5000; i++) {
      const a = draw(), b = draw();
      const c = i % 3 === 0 ? -a * b : draw(); // cancellation too
      one[0] = a;
      other[0] = b;
      expect(exactDot(one, other, 1, c), `${a} ${b} ${c}`).toBe(fma(a, b, c));
    }
  });

  it("scaling a factor past the split limit by a power of two changes nothing", () => {
    const draw = randomDoubles(11, -20, 20);
    for (let i = 0; i < 2000; i++) {
      const a = draw(), b = draw(), c = draw();
      // a · 2^1000 cannot be split by Veltkamp; b · 2^-1000 stays normal; the product is the same number.
      expect(fma(a * 2 ** 1000, b * 2 ** -1000, c)).toBe(fma(a, b, c));
      // the whole fma scaled to the top of the range (results near 1e300) and to the bottom (near 1e-300)
      expect(fma(a * 2 ** 500, b * 2 ** 480, c * 2 ** 980)).toBe(fma(a, b, c) * 2 ** 980);
      // (scaled down only when the result stays a normal number, where scaling by 2^-980 is exact)
      if (Math.abs(fma(a, b, c)) >= 2 ** -40) expect(fma(a * 2 ** -500, b * 2 ** -480, c * 2 ** -980)).toBe(fma(a, b, c) * 2 ** -980);
    }
  });
});

describe("Spark's lane-wise ddot on extreme features", () => {
  const { coef, rows } = oracleRows();
  it.each(rows.map((x, r) => [r, x] as const))("row %i equals VectorBLAS.ddot", (r, x) => {
    expect(toBits(sparkDot(8)(x, coef, 24))).toBe(DOT[r]);
  });

  it("the correctly rounded dot (no lanes) is finite where the exact sum is, and never NaN from finite operands", () => {
    const exact = sparkDot(null);
    const x = Float64Array.from([1e300, 3, -1e300, 2]);
    const y = Float64Array.from([7, 1, 7, 1]);
    expect(exact(x, y, 4)).toBe(5);
    expect(exact(Float64Array.from([1.7e308, -1.7e308]), Float64Array.from([2, 1.5]), 2)).toBe(0.5 * 1.7e308);
    expect(exact(Float64Array.from([1.7e308, 1.7e308]), Float64Array.from([2, 2]), 2)).toBe(Number.POSITIVE_INFINITY);
    expect(exact(Float64Array.from([1e-200, 1]), Float64Array.from([1e-200, 1]), 2)).toBe(1);
  });
});
