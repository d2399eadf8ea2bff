// Spark's GeneralizedLinearRegressionModel: prediction = family.project(link.unlink(x · β + intercept)), each step
// as Spark 4.1.1 computes it (checked against its bytecode; docs/portable-model.md, "Linear models").
import type { GeneralizedLinearRegressionStage } from "../descriptor.js";
import type { ArrowTable } from "../arrow.js";
import { ModelError, type SlotMap } from "../frame.js";
import type { DoubleColumn } from "../columns.js";
import { readLinearTable, sparkLinearDot, sparkLinearDotColumns } from "./linear-table.js";
import { type ColumnPredictFn, withColumns } from "../columns.js";
import { normalCdf } from "./glm-normal-cdf.js";
import type { Prediction, PredictFn } from "./types.js";
import type { Value } from "../frame.js";

// GeneralizedLinearRegression.epsilon: the bound Family.project keeps means away from.
const EPSILON = 1e-16;
const MAX = Number.MAX_VALUE;

export function compileGeneralizedLinearRegression(stage: GeneralizedLinearRegressionStage, table: ArrowTable, slots?: SlotMap): PredictFn {
  const n = stage.numFeatures;
  const { intercepts, coefficients } = readLinearTable(table, n, stage.kind);
  const coef = coefficients[0]!;
  const intercept = intercepts[0]!;
  const dot = sparkLinearDot(stage, stage.kind);
  const unlink = unlinkOf(stage);
  const project = projectOf(stage.family);
  const out: Prediction = { prediction: 0, link: 0 };
  const offsetSlot = offsetSlotOf(stage, slots);
  const predict = (x: Float64Array, vals?: readonly Value[]) => {
    // predictLink: BLAS.dot + intercept + offset; offset 0.0 without an offsetCol (only a transfer offset sets one).
    const eta = dot(x, coef, n) + intercept + (offsetSlot < 0 ? 0.0 : (vals![offsetSlot] as number));
    out.link = eta;
    out.prediction = project(unlink(eta));
    return out;
  };
  const batch = sparkLinearDotColumns(stage, stage.kind);
  const columns: ColumnPredictFn = (features, frame, result, at) => {
    const rows = frame.rows;
    const sums = frame.alloc();
    batch.dot(features, coef, rows, batch.denseRows(features, rows), sums);
    const offset = offsetSlot < 0 ? null : (frame.slots[offsetSlot] as DoubleColumn).values;
    const link = result.link;
    for (let r = 0; r < rows; r++) {
      const eta = sums[r]! + intercept + (offset === null ? 0.0 : offset[r]!);
      if (link) link[at + r] = eta;
      result.prediction[at + r] = project(unlink(eta));
    }
  };
  return withColumns(predict, columns);
}

// The slot of the stage's offsetCol (a double column an earlier stage writes), or -1 without one.
function offsetSlotOf(stage: GeneralizedLinearRegressionStage, slots: SlotMap | undefined): number {
  if (!stage.offsetCol) return -1;
  if (!slots) throw new ModelError(`${stage.kind}: offsetCol "${stage.offsetCol}" needs the pipeline's columns`);
  const found = slots.get(stage.offsetCol, stage.kind);
  if (found.info.kind !== "double") throw new ModelError(`${stage.kind}: offsetCol "${stage.offsetCol}" is not a double column`);
  return found.slot;
}

// Link.unlink, the inverse of the link function.
function unlinkOf(stage: GeneralizedLinearRegressionStage): (eta: number) => number {
  switch (stage.link) {
    case "identity":
      return (eta) => eta;
    case "log":
      return Math.exp;
    case "inverse":
      return (eta) => 1.0 / eta;
    case "logit":
      return (eta) => 1.0 / (1.0 + Math.exp(-1.0 * eta));
    case "probit":
      return normalCdf; // breeze's Gaussian(0, 1).cdf
    case "cloglog":
      return (eta) => 1.0 - Math.exp(-1.0 * Math.exp(eta));
    case "sqrt":
      return (eta) => eta * eta;
    case "power": {
      const power = stage.linkPower;
      if (typeof power !== "number" || !Number.isFinite(power)) throw new ModelError(`${stage.kind}: power link without a linkPower`);
      if (power === 0) return Math.exp;
      const exponent = 1.0 / power;
      return (eta) => Math.pow(eta, exponent);
    }
    default:
      throw new ModelError(`${stage.kind}: unknown link ${JSON.stringify(stage.link)}`);
  }
}

// Family.project: keeps the fitted mean inside the family's domain.
function projectOf(family: string): (mu: number) => number {
  switch (family) {
    case "gaussian":
      return (mu) => (mu === Number.NEGATIVE_INFINITY ? -MAX : mu === Number.POSITIVE_INFINITY ? MAX : mu);
    case "binomial":
      return (mu) => (mu < EPSILON ? EPSILON : mu > 1.0 - EPSILON ? 1.0 - EPSILON : mu);
    case "poisson":
    case "gamma":
    case "tweedie": // Poisson and Gamma are Tweedie families in Spark and share its project
      return (mu) => (mu < EPSILON ? EPSILON : mu === Number.POSITIVE_INFINITY ? MAX : mu);
    default:
      throw new ModelError(`generalized_linear_regression: unknown family ${JSON.stringify(family)}`);
  }
}
