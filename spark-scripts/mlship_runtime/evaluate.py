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


def score_column(outputs: dict[str, str]) -> str:
    """The column whose element 1 ranks rows for areaUnderROC: the probability when the model has one.

    The evaluator ranks by element 1 of the vector alone. rawPrediction[1] orders rows like the probability of
    class 1 only for some models (a margin: logistic regression, GBT, linear SVC); naive Bayes' raw values are
    per-class log-likelihoods, a decision tree's are class counts and a perceptron's are pre-softmax outputs,
    so their rawPrediction[1] ranks rows wrongly. Linear SVC has no probability; its margin is the score.
    """
    return outputs.get("probability", outputs["rawPrediction"])


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
        auc = BinaryClassificationEvaluator(labelCol=label, rawPredictionCol=score_column(outputs),
                                            metricName="areaUnderROC")
        metrics["areaUnderROC"] = _finite(auc.evaluate(scored))
    multi = MulticlassClassificationEvaluator(labelCol=label, predictionCol=outputs["prediction"])
    if "probability" in outputs:  # LinearSVC has none, so no logLoss
        multi.setProbabilityCol(outputs["probability"])
    for name in ("accuracy", "f1", "logLoss") if "probability" in outputs else ("accuracy", "f1"):
        metrics[name] = _finite(multi.setMetricName(name).evaluate(scored))
    return metrics
