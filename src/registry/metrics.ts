// Which way is better for each metric mlship knows: the one table the gate and the listings use.

export type MetricDirection = "higher" | "lower";

// higher: a larger value is a better model; lower: a smaller one is (errors and losses).
export const METRIC_DIRECTIONS: Readonly<Record<string, MetricDirection>> = {
  areaUnderROC: "higher",
  areaUnderPR: "higher",
  accuracy: "higher",
  f1: "higher",
  r2: "higher",
  weightedPrecision: "higher",
  weightedRecall: "higher",
  rmse: "lower",
  mse: "lower",
  mae: "lower",
  logLoss: "lower",
  silhouette: "higher",
};

// The direction of a metric, or undefined for one mlship does not know.
export function metricDirection(metric: string): MetricDirection | undefined {
  return Object.hasOwn(METRIC_DIRECTIONS, metric) ? METRIC_DIRECTIONS[metric] : undefined;
}

// The metric shown first for a version: the first of these it has, else its first metric.
const KEY_METRICS = ["areaUnderROC", "r2", "accuracy", "f1", "rmse", "mae", "silhouette"];

// The name of a version's headline metric, or undefined when it has none.
export function keyMetric(metrics: Record<string, number>): string | undefined {
  return KEY_METRICS.find((m) => m in metrics) ?? Object.keys(metrics)[0];
}
