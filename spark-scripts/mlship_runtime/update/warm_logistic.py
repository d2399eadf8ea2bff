"""Warm start of a logistic regression: Spark's LogisticRegression fitted on history ∪ new from the parent's
coefficients (setInitialModel, Scala-only, reached through the JVM object), and the two checks that it did start
there, since Spark only logs a warning when it ignores an initial model (docs/updating.md, "Warm")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pyspark.ml.classification import LogisticRegression, LogisticRegressionModel
from pyspark.ml.functions import vector_to_array
from pyspark.ml.stat import Summarizer
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..columns import col
from ..errors import MlshipError

# The first objective Spark records must be the objective at the parent's coefficients to this relative precision;
# the summation order differs (Spark sums blocks in a standardized, centred space), seen equal to ~1e-15.
OBJECTIVE_REL = 1e-8


@dataclass(frozen=True)
class LogisticShape:
    """The shape of a logistic regression's parameters, as Spark compares an initial model with the data."""

    coefficient_sets: int  # rows of coefficientMatrix: 1 (binomial) or the number of classes (multinomial)
    features: int
    intercepts: int
    fit_intercept: bool


def expected_shape(num_classes: int, num_features: int, family: str, fit_intercept: bool) -> LogisticShape:
    """The shape Spark's fit on the data needs: multinomial for family "multinomial", or "auto" with > 2 classes."""
    multinomial = family.lower() == "multinomial" or (family.lower() == "auto" and num_classes > 2)
    sets = num_classes if multinomial else 1
    return LogisticShape(sets, num_features, sets, fit_intercept)


def parent_shape(model: LogisticRegressionModel) -> LogisticShape:
    """The shape of a fitted model's parameters."""
    matrix = model.coefficientMatrix
    return LogisticShape(matrix.numRows, matrix.numCols, model.interceptVector.size, model.getFitIntercept())


def initial_model_problems(parent: LogisticShape, want: LogisticShape) -> list[str]:
    """Why Spark would ignore the parent as initial model (LogisticRegression.createInitialSolution's own test:
    coefficient rows and columns, intercept count, fitIntercept), one problem each; empty when it will use it."""
    problems: list[str] = []
    if (parent.coefficient_sets, parent.features, parent.intercepts) != \
            (want.coefficient_sets, want.features, want.intercepts):
        problems.append(
            f"warm: the parent's coefficients are {parent.coefficient_sets} × {parent.features} "
            f"({parent.intercepts} intercepts), history ∪ new needs {want.coefficient_sets} × {want.features} "
            f"({want.intercepts}); a label class or feature the parent never saw, or a family change "
            "(binomial/multinomial), cannot start from the parent: use the retrain mode")
    if parent.fit_intercept != want.fit_intercept:
        was, asked = str(parent.fit_intercept).lower(), str(want.fit_intercept).lower()
        problems.append(f"warm: the parent was fitted with fitIntercept {was}, the job asks for {asked}; Spark would "
                        "ignore the parent: use the retrain mode")
    return problems


def penalty(coefficients: np.ndarray, std: np.ndarray, reg_param: float, elastic_net: float,
            standardization: bool) -> float:
    """The regularization Spark adds to the loss at `coefficients` (K × p, original space): L2 ½·(1−α)·λ·Σ(β·s)² and
    L1 α·λ·Σ|β·s|, s = σ (the features' weighted std) with standardization, else 1 (0 where σ = 0); intercepts free."""
    scale = std if standardization else (std != 0.0).astype(np.float64)
    scaled = np.asarray(coefficients, dtype=np.float64) * scale[np.newaxis, :]
    l2 = 0.5 * (1.0 - elastic_net) * reg_param * float(np.sum(scaled * scaled))
    l1 = elastic_net * reg_param * float(np.sum(np.abs(scaled)))
    return l2 + l1


def starts_at(first_objective: float, at_parent: float, rel: float = OBJECTIVE_REL) -> bool:
    """Whether the optimizer's first objective is the objective at the parent's coefficients."""
    return abs(first_objective - at_parent) <= rel * max(1.0, abs(at_parent))


def _log_loss(raw: Column, label: Column, multinomial: bool) -> Column:
    """Spark's per-row logistic loss from the margins (rawPrediction): binomial raw = (−m, m), loss
    log(1 + e^m) − y·m; multinomial logsumexp(m) − m_y. Written to stay finite for large margins."""
    m = vector_to_array(raw)
    if not multinomial:
        margin = m[1]
        return F.log1p(F.exp(-F.abs(margin))) + F.greatest(margin, F.lit(0.0)) - label * margin
    top = F.array_max(m)
    lse = top + F.log(F.aggregate(m, F.lit(0.0), lambda acc, v: acc + F.exp(v - top)))
    return lse - F.get(m, label.cast("int"))  # NULL (not an ANSI error) for a class the parent never saw


@dataclass(frozen=True)
class UnionFacts:
    """What one pass over history ∪ new tells about the parent's coefficients there."""

    rows: int
    top_label: float  # the largest label (Spark counts max + 1 classes when the label column has no metadata)
    loss: float  # the weighted mean log loss at the parent's coefficients
    std: np.ndarray  # the features' weighted standard deviation (Spark's summarizer, unbiased)


def loss_at_parent(parent: LogisticRegressionModel, frame: DataFrame, estimator: LogisticRegression) -> UnionFacts:
    """One pass: the parent's mean log loss on `frame` (weighted as the estimator weighs), the row count, the largest
    label and the features' std (the penalty's scale)."""
    raw_col = "__mlship_warm_raw"
    scorer = parent.copy({parent.rawPredictionCol: raw_col, parent.probabilityCol: "", parent.predictionCol: ""})
    weight_col = estimator.getWeightCol() if estimator.isSet(estimator.weightCol) else ""
    weight = col(weight_col).cast("double") if weight_col else F.lit(1.0)
    label = col(estimator.getLabelCol()).cast("double")
    multinomial = parent.coefficientMatrix.numRows > 1
    scored = scorer.transform(frame)
    row = scored.agg(F.sum(weight * _log_loss(F.col(raw_col), label, multinomial)).alias("loss"),
                     F.sum(weight).alias("w"), F.count(F.lit(1)).alias("rows"), F.max(label).alias("top"),
                     Summarizer.metrics("std").summary(col(estimator.getFeaturesCol()), weight).alias("s")).first()
    assert row is not None
    if not row["rows"]:
        raise MlshipError(["warm: history ∪ new has no training rows"], code="data")
    return UnionFacts(rows=int(row["rows"]), top_label=float(row["top"]), loss=float(row["loss"]) / float(row["w"]),
                      std=np.asarray(row["s"]["std"].toArray(), dtype=np.float64))


def num_classes(frame: DataFrame, label_col: str, top_label: float) -> int:
    """The class count Spark's fit uses (MetadataUtils.getNumClasses): the label's nominal or binary ml_attr
    metadata when it has one, else the largest label + 1."""
    meta = frame.schema[label_col].metadata.get("ml_attr", {})
    if meta.get("type") == "nominal" and (meta.get("num_vals") or meta.get("vals")):
        return max(int(meta.get("num_vals") or len(meta["vals"])), int(top_label) + 1)
    if meta.get("type") == "binary":
        return 2
    return int(top_label) + 1


def objective_at_parent(parent: LogisticRegressionModel, facts: UnionFacts, estimator: LogisticRegression) -> float:
    """The objective Spark minimizes, at the parent's coefficients: mean log loss plus the penalty."""
    coefficients = parent.coefficientMatrix.toArray()
    return facts.loss + penalty(coefficients, facts.std, estimator.getRegParam(), estimator.getElasticNetParam(),
                                estimator.getStandardization())


def set_initial_model(estimator: LogisticRegression, parent: LogisticRegressionModel) -> None:
    """LogisticRegression.setInitialModel on the JVM object (PySpark does not expose it); kept until the next fit
    of this estimator object (a copy, as fit(frame, params) makes, drops it)."""
    java: Any = estimator._java_obj  # type: ignore[attr-defined]
    java.setInitialModel(parent._java_obj)  # type: ignore[attr-defined]


def constant_label_fit(model: LogisticRegressionModel) -> bool:
    """Spark's early return without training (every label the same, fitIntercept): objective history [0.0]."""
    return list(model.summary.objectiveHistory) == [0.0]


def check_started_at_parent(model: LogisticRegressionModel, at_parent: float) -> None:
    """Fail the update when Spark's first objective is not the objective at the parent: the initial model was
    ignored (Spark only logs "Initial coefficients will be ignored!")."""
    history = list(model.summary.objectiveHistory)
    if not history:
        raise MlshipError(["warm: Spark recorded no objective history, so the warm start cannot be verified"],
                          code="update")
    if constant_label_fit(model):
        return
    if not starts_at(history[0], at_parent):
        raise MlshipError([f"warm: Spark ignored the parent as initial model: its first objective {history[0]!r} "
                           f"is not the objective at the parent's coefficients {at_parent!r}; use the retrain mode"],
                          code="update")


__all__ = ["LogisticShape", "OBJECTIVE_REL", "UnionFacts", "check_started_at_parent", "constant_label_fit",
           "expected_shape", "initial_model_problems", "loss_at_parent", "num_classes", "objective_at_parent",
           "parent_shape", "penalty", "set_initial_model", "starts_at"]
