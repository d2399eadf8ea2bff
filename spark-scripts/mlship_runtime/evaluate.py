"""Validation metrics with Spark's evaluators: AUC/accuracy/f1/logLoss for classifiers, rmse/mae/r2 for regressors,
silhouette for clustering."""

from __future__ import annotations

import math
from typing import Any

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
        # One RegressionMetrics (one Spark job) for the three: what evaluate() computes once per metric.
        summary = _java_metrics(evaluator, scored)
        return {"rmse": _finite(summary.rootMeanSquaredError()), "mae": _finite(summary.meanAbsoluteError()),
                "r2": _finite(summary.r2())}
    metrics: dict[str, float | None] = {}
    if task == "binary_classification":
        auc = BinaryClassificationEvaluator(labelCol=label, rawPredictionCol=score_column(outputs),
                                            metricName="areaUnderROC")
        metrics["areaUnderROC"] = _finite(auc.evaluate(scored))
    multi = MulticlassClassificationEvaluator(labelCol=label, predictionCol=outputs["prediction"])
    if "probability" in outputs:  # LinearSVC has none, so no logLoss
        multi.setProbabilityCol(outputs["probability"])
    # One MulticlassMetrics for the three (its confusion counts computed once): what evaluate() picks per metric,
    # f1 being its weightedFMeasure and logLoss its logLoss(eps). getMetrics keeps the probability for logLoss only.
    summary = _java_metrics(multi.setMetricName("logLoss" if "probability" in outputs else "accuracy"), scored)
    metrics["accuracy"] = _finite(summary.accuracy())
    metrics["f1"] = _finite(summary.weightedFMeasure())
    if "probability" in outputs:
        metrics["logLoss"] = _finite(summary.logLoss(float(multi.getEps())))
    return metrics


def _java_metrics(evaluator: Any, scored: DataFrame) -> Any:
    """The evaluator's own metrics object (mllib's RegressionMetrics or MulticlassMetrics, through the JVM): every
    metric of it from one pass, where each evaluate() call makes a new one."""
    evaluator._transfer_params_to_java()
    return evaluator._java_obj.getMetrics(scored._jdf)
