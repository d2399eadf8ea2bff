"""The `warm` update mode: logistic regression and MLP refitted on history ∪ new starting from the parent's
parameters, to reach the cold fit's optimum in fewer iterations (docs/updating.md, "Warm: logistic regression and
MLP")."""

from __future__ import annotations

from typing import Any

from pyspark.ml.classification import (LogisticRegression, LogisticRegressionModel,
                                       MultilayerPerceptronClassificationModel)
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import col
from ..errors import MlshipError
from ..mlp import SizedMultilayerPerceptron, feature_count
from . import warm_logistic as L
from .modes import UpdateInput, UpdateResult, register
from .retrain import estimator_like, fit, history_and_new, spark_estimator

WARM_ALGORITHMS = ("logistic_regression", "mlp_classifier")


def _parent_is(inp: UpdateInput, model_class: type) -> None:
    """Refuse a parent whose predictor is not of the class the job's algorithm fits."""
    if not isinstance(inp.predictor, model_class):
        raise MlshipError([f"warm: the parent's predictor is a {type(inp.predictor).__name__}, the job fits "
                           f"{inp.job.algorithm} ({model_class.__name__}); use the retrain mode"], code="update")


def warm_logistic_regression(inp: UpdateInput) -> UpdateResult:
    """LogisticRegression on history ∪ new from the parent's coefficients: refuse before fitting what Spark would
    ignore, and after fitting check that Spark's first objective is the objective at the parent."""
    _parent_is(inp, LogisticRegressionModel)
    parent: LogisticRegressionModel = inp.predictor  # type: ignore[assignment]
    _, union = history_and_new(inp)
    estimator: LogisticRegression = estimator_like(inp.job, parent)  # type: ignore[assignment]
    facts = L.loss_at_parent(parent, union, estimator)  # one pass: rows, classes, loss at the parent, std
    classes = L.num_classes(union, estimator.getLabelCol(), facts.top_label)
    want = L.expected_shape(classes, int(facts.std.size), estimator.getFamily(), estimator.getFitIntercept())
    problems = L.initial_model_problems(L.parent_shape(parent), want)
    if problems:
        raise MlshipError(problems, code="update")
    at_parent = L.objective_at_parent(parent, facts, estimator)
    new_rows = inp.new_train.count()
    inp.log(f"warm: fitting logistic_regression on {facts.rows - new_rows} history + {new_rows} new rows from the "
            f"parent's coefficients (objective there {at_parent:.6g})")
    L.set_initial_model(estimator, parent)
    model: LogisticRegressionModel = fit(estimator, union, inp.job.algorithm)  # type: ignore[assignment]
    L.check_started_at_parent(model, at_parent)
    history = list(model.summary.objectiveHistory)
    return UpdateResult(predictor=model, state_tables=None, facts={
        "iterations": int(model.summary.totalIterations), "historyRows": facts.rows - new_rows, "newRows": new_rows,
        "objectiveAtParent": at_parent, "objectiveStart": history[0], "objectiveEnd": history[-1]})


def mlp_layers(estimator: Any, union: DataFrame, top_label: float) -> list[int]:
    """The layers the job's estimator uses on history ∪ new: hiddenLayers sized as SizedMultilayerPerceptron does
    ([features, *hidden, largest label + 1]), or the spec's own `layers`."""
    if isinstance(estimator, SizedMultilayerPerceptron):
        return [feature_count(union, estimator.inner.getFeaturesCol()), *estimator.hidden, int(top_label) + 1]
    return [int(v) for v in estimator.getLayers()]


def warm_mlp(inp: UpdateInput) -> UpdateResult:
    """MultilayerPerceptronClassifier on history ∪ new with initialWeights = the parent's weights; the layers must
    be the parent's (a new class or feature changes them, and the weights would not fit)."""
    _parent_is(inp, MultilayerPerceptronClassificationModel)
    parent: MultilayerPerceptronClassificationModel = inp.predictor  # type: ignore[assignment]
    _, union = history_and_new(inp)
    estimator = estimator_like(inp.job, parent)
    inner = spark_estimator(estimator)
    counted = union.agg(F.count(F.lit(1)).alias("rows"),
                        F.max(col(inner.getLabelCol()).cast("double")).alias("top")).first()
    if counted is None or not counted["rows"]:
        raise MlshipError(["warm: history ∪ new has no training rows"], code="data")
    layers, parent_layers = mlp_layers(estimator, union, float(counted["top"])), [int(v) for v in parent.getLayers()]
    if layers != parent_layers:
        raise MlshipError([f"warm: history ∪ new needs the layers {layers}, the parent has {parent_layers}; a label "
                           "class or feature the parent never saw, or other hidden layers, cannot start from the "
                           "parent's weights: use the retrain mode"], code="update")
    new_rows = inp.new_train.count()
    inp.log(f"warm: fitting mlp_classifier {layers} on {counted['rows'] - new_rows} history + {new_rows} new rows "
            "from the parent's weights")
    # Spark uses initialWeights whenever it is set (FeedForwardTrainer.setWeights); it never ignores it silently.
    inner.setLayers(layers).setInitialWeights(parent.weights)
    model: MultilayerPerceptronClassificationModel = fit(inner, union, inp.job.algorithm)  # type: ignore[assignment]
    facts: dict[str, Any] = {"historyRows": int(counted["rows"]) - new_rows, "newRows": new_rows}
    if model.hasSummary:
        summary = model.summary()  # a method on this model class (a property on LogisticRegressionModel)
        history = list(summary.objectiveHistory)
        facts.update(iterations=int(summary.totalIterations), objectiveStart=history[0], objectiveEnd=history[-1])
    return UpdateResult(predictor=model, state_tables=None, facts=facts)


@register("warm")
def warm(inp: UpdateInput) -> UpdateResult:
    """The warm start of the job's algorithm; any other algorithm is refused (no silent fallback to retrain)."""
    if inp.job.algorithm == "logistic_regression":
        return warm_logistic_regression(inp)
    if inp.job.algorithm == "mlp_classifier":
        return warm_mlp(inp)
    raise MlshipError([f"warm: {inp.job.algorithm} has no warm start (only {' and '.join(WARM_ALGORITHMS)}); use "
                       "the retrain mode"], code="update")


__all__ = ["WARM_ALGORITHMS", "mlp_layers", "warm", "warm_logistic_regression", "warm_mlp"]
