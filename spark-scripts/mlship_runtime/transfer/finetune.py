"""The `finetune` transfer method (docs/transfer.md): the target's estimator started from the source's parameters.

MLP: the source's hidden layers copied (weights of target-only inputs start at zero), a new output layer sized for
the target's labels (seeded), trained with initialWeights. Logistic regression with the source's label set: Spark's
fit from the source's coefficients (zeros for target-only inputs), the warm start of `mlship update` (update/warm.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pyspark.ml.common import _py2java
from pyspark.ml.linalg import DenseMatrix
from pyspark.ml.classification import (LogisticRegression, LogisticRegressionModel,
                                       MultilayerPerceptronClassificationModel)
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from ..algorithms import build_estimator
from ..columns import col, label_column
from ..errors import MlshipError
from ..job import TrainJob
from ..mlp import feature_count
from ..update import warm_logistic as L
from ..update.retrain import fit, spark_estimator
from ..update.spark_models import java_vector, jvm, like, new_uid

DEFAULT_SEED = 42  # the output layer's seed when model.params has no `seed`


@dataclass(frozen=True)
class Finetuned:
    """The target's fitted predictor and what the method reports (recorded in model/transfer.json)."""

    predictor: Any
    facts: dict[str, Any] = field(default_factory=dict)


def affine_shapes(layers: list[int]) -> list[tuple[int, int]]:
    """(numIn, numOut) of each affine layer of an MLP with these layer sizes."""
    return [(layers[i], layers[i + 1]) for i in range(len(layers) - 1)]


def split_weights(layers: list[int], weights: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Spark's flat MLP weights cut per affine layer: (W numOut × numIn, b numOut); W is stored column-major."""
    out: list[tuple[np.ndarray, np.ndarray]] = []
    at = 0
    for n_in, n_out in affine_shapes(layers):
        w = np.asarray(weights[at:at + n_in * n_out], dtype=np.float64).reshape((n_out, n_in), order="F")
        at += n_in * n_out
        b = np.asarray(weights[at:at + n_out], dtype=np.float64)
        at += n_out
        out.append((w, b))
    if at != len(weights):
        raise ValueError(f"{len(weights)} weights for layers {layers}, which take {at}")
    return out


def join_weights(parts: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The inverse of split_weights: one flat vector in Spark's order."""
    return np.concatenate([np.concatenate([w.flatten(order="F"), b]) for w, b in parts])


def mlp_initial_weights(source_layers: list[int], source_weights: np.ndarray, extra_inputs: int, classes: int,
                        seed: int) -> tuple[list[int], np.ndarray]:
    """The target's layers [inputs + extra, *hidden, classes] and its initial weights: the source's hidden layers
    as they are (the first layer's weights from target-only inputs zero), a new output layer drawn with `seed`
    (Glorot uniform, zero bias)."""
    if len(source_layers) < 3:
        raise MlshipError([f"finetune: the source MLP has layers {source_layers}, no hidden layer to copy"],
                          code="data")
    parts = split_weights(source_layers, source_weights)
    hidden = parts[:-1]
    w0, b0 = hidden[0]
    hidden[0] = (np.hstack([w0, np.zeros((w0.shape[0], extra_inputs))]), b0)
    n_in = source_layers[-2]
    bound = math.sqrt(6.0 / (n_in + classes))
    rng = np.random.default_rng(seed)
    output = (rng.uniform(-bound, bound, size=(classes, n_in)), np.zeros(classes))
    layers = [source_layers[0] + extra_inputs, *source_layers[1:-1], classes]
    return layers, join_weights([*hidden, output])


def finetune_mlp(job: TrainJob, source: MultilayerPerceptronClassificationModel, train: DataFrame,
                 extra_inputs: int) -> Finetuned:
    """MultilayerPerceptronClassifier on the target's rows from the source's hidden layers."""
    estimator = spark_estimator(build_estimator(job.algorithm, job.params, label_column(job.label)))
    top = train.agg(F.max(col(estimator.getLabelCol()).cast("double")).alias("top")).first()
    if top is None or top["top"] is None:
        raise MlshipError(["finetune: no labelled training rows"], code="data")
    classes = int(top["top"]) + 1
    source_layers = [int(v) for v in source.getLayers()]
    width = feature_count(train, estimator.getFeaturesCol())
    if width != source_layers[0] + extra_inputs:
        raise MlshipError([f"finetune: the target's features are {width} wide, the source's input layer "
                           f"{source_layers[0]} plus {extra_inputs} target-only"], code="data")
    seed = int(job.params.get("seed", DEFAULT_SEED))  # type: ignore[arg-type]
    layers, weights = mlp_initial_weights(source_layers, source.weights.toArray(), extra_inputs, classes, seed)
    estimator.setLayers(layers).setInitialWeights(weights.tolist())
    model = fit(estimator, train, job.algorithm)
    facts: dict[str, Any] = {"layers": layers, "sourceLayers": source_layers, "outputLayerSeed": seed,
                             "targetOnlyInputs": extra_inputs}
    if model.hasSummary:
        history = list(model.summary().objectiveHistory)
        facts.update(iterations=int(model.summary().totalIterations), objectiveStart=history[0],
                     objectiveEnd=history[-1])
    return Finetuned(predictor=model, facts=facts)


def padded_coefficients(matrix: np.ndarray, extra_inputs: int) -> np.ndarray:
    """The source's coefficient matrix (K × p) with zero columns for the target-only inputs (K × (p + extra))."""
    return np.hstack([np.asarray(matrix, dtype=np.float64), np.zeros((matrix.shape[0], extra_inputs))])


def start_model(spark: SparkSession, source: LogisticRegressionModel, extra_inputs: int) -> LogisticRegressionModel:
    """The source's logistic regression, or with target-only inputs the same model with zero coefficients for
    them (Spark's LogisticRegressionModel constructor through the JVM)."""
    if extra_inputs == 0:
        return source
    matrix = padded_coefficients(source.coefficientMatrix.toArray(), extra_inputs)
    # Spark requires a binomial model's 1 × p matrix row major (isTransposed), as its own fit makes it.
    rows = _py2java(spark.sparkContext, DenseMatrix(matrix.shape[0], matrix.shape[1], matrix.flatten(order="C").tolist(),
                                                    isTransposed=True))
    java = jvm(spark).org.apache.spark.ml.classification.LogisticRegressionModel(
        new_uid("logreg"), rows, java_vector(spark, source.interceptVector.toArray()),
        int(source.numClasses), bool(matrix.shape[0] > 1))
    return like(LogisticRegressionModel, java, source)


def finetune_logistic(spark: SparkSession, job: TrainJob, source: LogisticRegressionModel, train: DataFrame,
                      extra_inputs: int) -> Finetuned:
    """LogisticRegression on the target's rows from the source's coefficients; refused when the label set or the
    family makes Spark ignore them, and checked after the fit that it started there."""
    start = start_model(spark, source, extra_inputs)
    estimator: LogisticRegression = build_estimator(job.algorithm, job.params, label_column(job.label))  # type: ignore[assignment]
    facts = L.loss_at_parent(start, train, estimator)
    classes = L.num_classes(train, estimator.getLabelCol(), facts.top_label)
    want = L.expected_shape(classes, int(facts.std.size), estimator.getFamily(), estimator.getFitIntercept())
    problems = [p.replace("warm: the parent", "finetune: the source").replace("history ∪ new", "the target")
                .replace("use the retrain mode", "train without model.basedOn")
                for p in L.initial_model_problems(L.parent_shape(start), want)]
    if problems:
        raise MlshipError(problems, code="data")
    at_source = L.objective_at_parent(start, facts, estimator)
    L.set_initial_model(estimator, start)
    model: LogisticRegressionModel = fit(estimator, train, job.algorithm)  # type: ignore[assignment]
    L.check_started_at_parent(model, at_source)
    history = list(model.summary.objectiveHistory)
    return Finetuned(predictor=model, facts={
        "iterations": int(model.summary.totalIterations), "objectiveAtSource": at_source,
        "objectiveStart": history[0], "objectiveEnd": history[-1], "targetOnlyInputs": extra_inputs})


__all__ = ["Finetuned", "affine_shapes", "finetune_logistic", "finetune_mlp", "join_weights", "mlp_initial_weights",
           "padded_coefficients", "split_weights", "start_model"]
