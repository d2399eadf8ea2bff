// The standard normal CDF as Spark's probit link computes it: breeze's Gaussian(0, 1).cdf(x) =
// 0.5 · (1 + erf(x / √2)), with Apache Commons Math 3.6.1's Erf.erf = ±P(1/2, x², 1e-15, 10000), the regularized
// gamma function by its series or its continued fraction (same algorithm and constants; Math.exp/log stand in
// for Commons' FastMath, a difference of an ulp or so).

const SQRT2 = Math.sqrt(2.0);
const LOG_GAMMA_HALF = 0.5723649429247001; // ln Γ(1/2) = ln √π
const EPSILON = 1.0e-15;
const MAX_ITERATIONS = 10000;
const SMALL = 1e-50; // ContinuedFraction's stand-in for 0

// breeze.stats.distributions.Gaussian(0, 1).cdf.
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / (SQRT2 * 1.0)));
}

// org.apache.commons.math3.special.Erf.erf.
export function erf(x: number): number {
  if (Math.abs(x) > 40) return x > 0 ? 1 : -1;
  const ret = regularizedGammaP(0.5, x * x);
  return x < 0 ? -ret : ret;
}

// Gamma.regularizedGammaP for a = 1/2.
function regularizedGammaP(a: number, x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return 0;
  if (x >= a + 1) return 1.0 - regularizedGammaQ(a, x);
  let n = 0.0;
  let an = 1.0 / a;
  let sum = an;
  while (Math.abs(an / sum) > EPSILON && n < MAX_ITERATIONS && sum < Number.POSITIVE_INFINITY) {
    n += 1.0;
    an *= x / (a + n);
    sum += an;
  }
  if (sum === Number.POSITIVE_INFINITY) return 1.0;
  return Math.exp(-x + Math.log(x) * a - LOG_GAMMA_HALF) * sum;
}

// Gamma.regularizedGammaQ for x >= a + 1: the continued fraction, evaluated by ContinuedFraction (modified Lentz).
function regularizedGammaQ(a: number, x: number): number {
  const getA = (k: number) => 2.0 * k + 1.0 - a + x;
  const getB = (k: number) => k * (a - k);
  let hPrev = getA(0);
  if (Math.abs(hPrev) <= SMALL) hPrev = SMALL;
  let dPrev = 0.0;
  let cPrev = hPrev;
  let hN = hPrev;
  for (let k = 1; k < MAX_ITERATIONS; k++) {
    const ak = getA(k);
    const bk = getB(k);
    let dN = ak + bk * dPrev;
    if (Math.abs(dN) <= SMALL) dN = SMALL;
    let cN = ak + bk / cPrev;
    if (Math.abs(cN) <= SMALL) cN = SMALL;
    dN = 1 / dN;
    const deltaN = cN * dN;
    hN = hPrev * deltaN;
    if (!Number.isFinite(hN)) return Number.NaN;
    if (Math.abs(deltaN - 1.0) < EPSILON) break;
    dPrev = dN;
    cPrev = cN;
    hPrev = hN;
  }
  return Math.exp(-x + Math.log(x) * a - LOG_GAMMA_HALF) * (1.0 / hN);
}
