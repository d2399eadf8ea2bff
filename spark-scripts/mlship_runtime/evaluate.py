"""Validation metrics with Spark's evaluators: AUC/accuracy/f1/logLoss for classifiers, rmse/mae/r2 for regressors,
silhouette for clustering."""

from __future__ import annotations

import math

from pyspark.ml.evaluation import (BinaryClassificationEvaluator, ClusteringEvaluator,
                                   MulticlassClassificationEvaluator, RegressionEvaluator)
from pyspark.sql import DataFrame


def _finite(value: float) -> float | None:
    """A metric, or None when Spark returned NaN or an infinity (JSON has neither)."""
    value = float(value)
    return value if math.isfinite(value) else None


def evaluate(scored: DataFrame, label: str, task: str, outputs: dict[str, str], *, features: str = "features",
             distance: str = "euclidean") -> dict[str, float | None]:
    """The metrics the doc lists for this task, computed on already-scored rows.

    For clustering, `features` is the model's features column and `distance` its distanceMeasure (euclidean or
    cosine): the silhouette uses the same distance (Spark's squaredEuclidean or cosine).
    """
    if task == "clustering":
        measure = "cosine" if distance == "cosine" else "squaredEuclidean"
        silhouette = ClusteringEvaluator(featuresCol=features, predictionCol=outputs["prediction"],
                                         metricName="silhouette", distanceMeasure=measure)
        return {"silhouette": _finite(silhouette.evaluate(scored))}
    if task == "regression":
        evaluator = RegressionEvaluator(labelCol=label, predictionCol=outputs["prediction"])
        return {m: _finite(evaluator.setMetricName(m).evaluate(scored)) for m in ("rmse", "mae", "r2")}
    metrics: dict[str, float | None] = {}
    if task == "binary_classification":
        auc = BinaryClassificationEvaluator(labelCol=label, rawPredictionCol=outputs["rawPrediction"],
                                            metricName="areaUnderROC")
        metrics["areaUnderROC"] = _finite(auc.evaluate(scored))
    multi = MulticlassClassificationEvaluator(labelCol=label, predictionCol=outputs["prediction"])
    if "probability" in outputs:  # LinearSVC has none, so no logLoss
        multi.setProbabilityCol(outputs["probability"])
    for name in ("accuracy", "f1", "logLoss") if "probability" in outputs else ("accuracy", "f1"):
        metrics[name] = _finite(multi.setMetricName(name).evaluate(scored))
    return metrics
