"""The `streaming` update mode (k-means): Spark's streaming k-means rule applied once, to the new rows as one
batch, from the parent's centres and the cluster masses in its training state (docs/updating.md,
"Streaming: k-means")."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from pyspark.ml.clustering import KMeansModel
from pyspark.sql import SparkSession

from ..errors import MlshipError
from .cluster_sums import cluster_sums
from .modes import UpdateInput, UpdateResult, register
from .spark_models import java_doubles, jvm, like, new_uid
from .streaming_rule import ClusterSums, child_rows, masses_table, read_masses, streaming_rule

MASSES = "cluster_masses"
# Spark's own StreamingKMeansModel is a KMeansModel(centres), whose training cost and iteration count are these.
NO_TRAINING_COST, NO_ITERATIONS = 0.0, -1


def kmeans_model(spark: SparkSession, parent: KMeansModel, centres: np.ndarray) -> KMeansModel:
    """An ml KMeansModel(uid, mllib KMeansModel(centres, distanceMeasure, trainingCost, numIter)) with the parent's
    parameters (featuresCol, predictionCol, k, distanceMeasure, weightCol, ...)."""
    j = jvm(spark)
    gateway = spark.sparkContext._gateway  # type: ignore[attr-defined]
    vectors = gateway.new_array(j.org.apache.spark.mllib.linalg.Vector, len(centres))
    for i, centre in enumerate(np.asarray(centres, dtype=np.float64)):
        vectors[i] = j.org.apache.spark.mllib.linalg.Vectors.dense(java_doubles(spark, centre))
    old = j.org.apache.spark.mllib.clustering.KMeansModel(vectors, parent.getDistanceMeasure(), NO_TRAINING_COST,
                                                          NO_ITERATIONS)
    return like(KMeansModel, j.org.apache.spark.ml.clustering.KMeansModel(new_uid("kmeans"), old), parent)


def _weight_col(model: KMeansModel) -> str | None:
    """The model's weight column when one is set."""
    if model.isSet(model.weightCol) and model.getWeightCol():
        return str(model.getWeightCol())
    return None


def _checked_decay(decay: Any) -> float:
    """update.decay as a float in [0, 1]."""
    if isinstance(decay, bool) or not isinstance(decay, (int, float)) or not math.isfinite(decay) or not (
            0.0 <= decay <= 1.0):
        raise MlshipError([f"update.decay: expected a number from 0 to 1 (1 keeps the whole history), got {decay!r}"],
                          code="update")
    return float(decay)


def _check_parent(inp: UpdateInput) -> KMeansModel:
    """The parent's KMeansModel, refusing what Spark's streaming rule does not cover."""
    model = inp.predictor
    if not isinstance(model, KMeansModel):
        raise MlshipError([f"update.mode streaming is for kmeans; the parent's model is a {type(model).__name__}"],
                          code="update")
    if model.getDistanceMeasure() != "euclidean":
        raise MlshipError([f"update.mode streaming: the parent k-means uses distanceMeasure "
                           f"{model.getDistanceMeasure()}; Spark's streaming rule is defined for euclidean only. "
                           f"Use update.mode retrain"], code="update")
    if not inp.state.has(MASSES):
        raise MlshipError(["update.mode streaming: the parent's training state has no cluster masses "
                           "(state/cluster_masses.arrow); `mlship train SPEC` makes a fresh, updatable version"],
                          code="update")
    return model


@register("streaming")
def streaming(inp: UpdateInput) -> UpdateResult:
    """The child k-means: each new training row goes to its closest parent centre (the parent's own predict), and
    each centre moves by Spark's rule c ← (c·n·a + x̄·m)/(n·a + m), n ← n·a + m, a = update.decay."""
    parent = _check_parent(inp)
    decay = _checked_decay(inp.options.decay)
    centres = np.array([np.asarray(c, dtype=np.float64) for c in parent.clusterCenters()])
    k, d = centres.shape
    parent_rows, masses = read_masses(inp.state.read(MASSES), k)
    weight = _weight_col(parent)
    assigned = parent.transform(inp.new_train)
    rows, sum_w, sum_wx, invalid = cluster_sums(assigned, parent.getPredictionCol(), parent.getFeaturesCol(),
                                                weight, k, d)
    if invalid:
        raise MlshipError([f"{invalid} new training rows have a weight ({weight}) that is null, NaN, infinite or "
                           f"negative; k-means needs weights of 0 or more"], code="data")
    step = streaming_rule(centres, masses, ClusterSums(rows, sum_w, sum_wx), decay)
    if step.split is not None:
        inp.log(f"streaming: cluster {step.split[0]} is dying (its mass fell below 1e-8 of the largest); as Spark's "
                f"streaming k-means does, cluster {step.split[1]} was split in two and took its place")
    inp.log(f"streaming: {int(rows.sum())} new rows (mass {float(sum_w.sum()):.6g}) moved {int((sum_w > 0).sum())} "
            f"of {k} centres, decay {decay:g}")
    facts = {"decay": decay, "newRows": int(rows.sum()), "newMass": float(sum_w.sum()),
             "centresMoved": int((sum_w > 0).sum()),
             "largestShift": float(np.linalg.norm(step.centres - centres, axis=1).max(initial=0.0)),
             "split": None if step.split is None else {"dying": step.split[0], "largest": step.split[1]}}
    table = masses_table(child_rows(parent_rows, rows, step.split), step.masses)
    return UpdateResult(predictor=kmeans_model(inp.spark, parent, step.centres), state_tables={MASSES: table},
                        facts=facts)


__all__ = ["kmeans_model", "streaming"]
