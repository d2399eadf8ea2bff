// Spark's KMeansModel.predict: the index of the closest cluster center (mllib DistanceMeasure.findClosest), with
// Spark's distance formulas: euclidean by MLUtils.fastSquaredDistance, cosine as 1 - x·c / ‖x‖ / ‖c‖. The lowest
// distance wins, the first center on a tie. Spark also skips centers that the triangle inequality rules out; that
// changes nothing but the work done, except between distances equal to the last few bits.
import type { KMeansStage } from "../descriptor.js";
import { type ArrowTable, listColumn, numberColumn } from "../arrow.js";
import { ModelError, RowError } from "../frame.js";
import { dot, sparkLinearDot } from "./linear-table.js";
import type { Prediction, PredictFn } from "./types.js";

// MLUtils.EPSILON (the machine epsilon Spark computes) and fastSquaredDistance's default precision.
const EPSILON = 2.220446049250313e-16;
const PRECISION = 1e-6;

export function compileKMeans(stage: KMeansStage, table: ArrowTable): PredictFn {
  const centers = readCenters(stage, table);
  const n = stage.numFeatures;
  const norms = Float64Array.from(centers, (c) => norm2(c, n));
  // Centers are dense: a dense point goes through BLAS ddot, a sparse one sums in index order.
  const product = sparkLinearDot({ ddotLanes: stage.ddotLanes ?? null, sparseCoefficients: false }, stage.kind);
  const distance = stage.distanceMeasure === "cosine" ? cosine : stage.distanceMeasure === "euclidean" ? euclidean : null;
  if (!distance) throw new ModelError(`${stage.kind}: unknown distanceMeasure ${JSON.stringify(stage.distanceMeasure)}`);
  const out: Prediction = { prediction: 0 };
  return (x) => {
    const xNorm = norm2(x, n);
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let i = 0; i < centers.length; i++) {
      const d = distance(x, xNorm, centers[i]!, norms[i]!, n, product);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    out.prediction = best;
    return out;
  };
}

type Distance = (x: Float64Array, xNorm: number, c: Float64Array, cNorm: number, n: number, product: typeof dot) => number;

// EuclideanDistanceMeasure.distance's square, by MLUtils.fastSquaredDistance: ‖x‖² + ‖c‖² - 2 x·c when that is
// precise enough, else the exact squared distance.
const euclidean: Distance = (x, xNorm, c, cNorm, n, product) => {
  const sumSquaredNorm = xNorm * xNorm + cNorm * cNorm;
  const normDiff = xNorm - cNorm;
  const precisionBound1 = (2.0 * EPSILON * sumSquaredNorm) / (normDiff * normDiff + EPSILON);
  if (precisionBound1 < PRECISION) return sumSquaredNorm - 2.0 * product(x, c, n);
  // (Spark's sparse-vector branch tries the formula once more; a dense center makes that rarely differ.)
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - c[i]!;
    s += d * d;
  }
  return s;
};

// CosineDistanceMeasure.distance; Spark refuses a zero vector (its norm must be positive).
const cosine: Distance = (x, xNorm, c, cNorm, n, product) => {
  if (!(xNorm > 0)) throw new RowError("features", "cosine distance needs a features vector that is not all zeros");
  return 1 - product(x, c, n) / xNorm / cNorm;
};

// Vectors.norm(v, 2): the square root of the sum of squares, in order.
function norm2(v: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

// The center table: one (cluster, center) row per cluster, any order.
function readCenters(stage: KMeansStage, table: ArrowTable): Float64Array[] {
  const ids = numberColumn(table, "cluster");
  const rows = listColumn(table, "center");
  const centers: Float64Array[] = new Array(rows.length);
  rows.forEach((center, i) => {
    const id = ids[i];
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= rows.length || centers[id]) {
      throw new ModelError(`${stage.kind}: cluster ids must be 0..${rows.length - 1}, each once`);
    }
    if (!center || center.length !== stage.numFeatures) {
      throw new ModelError(`${stage.kind}: center ${id} has ${center?.length ?? 0} values, expected ${stage.numFeatures}`);
    }
    centers[id] = center;
  });
  if (centers.length === 0 || centers.length !== stage.k) throw new ModelError(`${stage.kind}: ${centers.length} centers for k = ${stage.k}`);
  return centers;
}
