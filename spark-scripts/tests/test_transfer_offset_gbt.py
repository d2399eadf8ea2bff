"""The offset transfer method for GBT (docs/transfer.md): the target's first trees are the source's, unchanged, and
its margin is the source's margin plus its new trees'; with the source's own rows and parameters the new trees are
the rounds Spark's longer boost grows."""

from __future__ import annotations

import numpy as np
import pytest
from pyspark.ml.classification import GBTClassificationModel
from pyspark.ml.functions import vector_to_array
from pyspark.sql import functions as F

from mlship_runtime.errors import MlshipError
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.train import fit_pipeline
from mlship_runtime.transfer.offset_gbt import offset_gbt
from mlship_runtime.transfer.stages import frozen_feature_stages
from mlship_runtime.update.tree_models import java_trees, tree_ensemble_model

SOURCE_FEATURES = Features(numeric=["x0", "x1"], categorical=["cat"])
TARGET_FEATURES = Features(numeric=["x0", "x1", "x2"], categorical=["cat"])
SOURCE_INPUTS = ["x0", "x1", "cat"]
SCHEMA = "x0 double, x1 double, x2 double, cat string, label double"


def _rows(seed: int, n: int, beta: list[float], classes: int) -> list[tuple]:
    """n rows: x0..x2, a category, and a label with `classes` values cut from a noisy linear score."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, size=(n, 3))
    cat = rng.choice(np.array(["a", "b", "c"]), n)
    score = x @ np.array(beta) + (cat == "a") * 0.5 + rng.normal(0, 0.5, n)
    label = np.digitize(score, np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1]))
    return [(float(a), float(b), float(c), str(k), float(y)) for (a, b, c), k, y in zip(x, cat, label)]


def _job(algorithm: str, features: Features, params: dict) -> TrainJob:
    return TrainJob(name="t", algorithm=algorithm, label="label", features=features, train_path="unused",
                    params=params)


def _margins(model, frame) -> np.ndarray:
    """A GBT's (or a pipeline ending in one) margin per row: the classifier's rawPrediction[1], the regressor's
    prediction."""
    scored = model.transform(frame)
    column = vector_to_array(F.col("rawPrediction"))[1] if "rawPrediction" in scored.columns else F.col("prediction")
    return np.array([r[0] for r in scored.select(column).collect()])


def _body(tree) -> str:
    """A Java tree's splits and leaves (toDebugString without its header line, which names uid and width)."""
    return str(tree.toDebugString()).split("\n", 1)[1]


def test_keeps_the_source_trees_and_adds_the_targets(spark) -> None:
    source_rows = spark.createDataFrame(_rows(1, 500, [1.0, -1.0, 0.0], 2), SCHEMA)
    target_rows = spark.createDataFrame(_rows(2, 300, [1.4, -0.5, 0.9], 2), SCHEMA)
    source = fit_pipeline(_job("gbt_classifier", SOURCE_FEATURES, {"maxIter": 4, "maxDepth": 3, "seed": 3}),
                          source_rows)
    stages, extra = frozen_feature_stages(source, TARGET_FEATURES, SOURCE_INPUTS, target_rows)
    features = stages.transform(target_rows).cache()
    job = _job("gbt_classifier", TARGET_FEATURES, {"maxIter": 3, "maxDepth": 2, "stepSize": 0.2, "seed": 5})
    got = offset_gbt(spark, job, source.stages[-1], features, extra_inputs=1)
    target, src = got.predictor, source.stages[-1]
    assert got.facts == {"sourceTrees": 4, "treesAdded": 3, "trees": 7, "stepSize": 0.2, "lossType": "logistic",
                         "targetOnlyInputs": 1}
    assert isinstance(target, GBTClassificationModel) and target.numFeatures == src.numFeatures + 1
    assert list(target.treeWeights) == [*src.treeWeights, 0.2, 0.2, 0.2]
    trees = java_trees(target)
    assert [_body(t) for t in trees[:4]] == [_body(t) for t in java_trees(src)]  # unchanged
    assert max(int(t.depth()) for t in trees[4:]) <= 2  # the target's own tree parameters
    # The margin on a target row: the source's (its own pipeline on the row) plus the new trees'.
    new_only = tree_ensemble_model(spark, target, trees[4:], [0.2] * 3)
    source_margin = _margins(source, target_rows)
    diff = np.abs(_margins(target, features) - (source_margin + _margins(new_only, features)))
    assert diff.max() <= 1e-9
    assert np.abs(_margins(new_only, features)).max() > 0.01  # the new trees learned something
    features.unpersist()


def test_with_the_sources_rows_and_params_it_is_sparks_longer_boost(spark) -> None:
    """Boosting 2 rounds on from a 3-round regressor, on its own rows with its own parameters, is Spark's 5-round fit:
    the gradients are Spark's own."""
    rows = spark.createDataFrame(_rows(3, 400, [1.0, 0.5, -0.7], 6), SCHEMA)
    common = {"maxDepth": 3, "seed": 11, "subsamplingRate": 0.8}
    short = fit_pipeline(_job("gbt_regressor", SOURCE_FEATURES, {"maxIter": 3, **common}), rows)
    long = fit_pipeline(_job("gbt_regressor", SOURCE_FEATURES, {"maxIter": 5, **common}), rows)
    stages, extra = frozen_feature_stages(short, SOURCE_FEATURES, SOURCE_INPUTS, rows)
    features = stages.transform(rows).cache()
    got = offset_gbt(spark, _job("gbt_regressor", SOURCE_FEATURES, {"maxIter": 2, **common}), short.stages[-1],
                     features, extra_inputs=0)
    assert not extra and list(got.predictor.treeWeights) == list(long.stages[-1].treeWeights)
    diff = np.abs(_margins(got.predictor, features) - _margins(long.stages[-1], features))
    assert diff.max() <= 1e-9
    features.unpersist()


def test_refuses_another_kind_of_source(spark) -> None:
    rows = spark.createDataFrame(_rows(4, 200, [1.0, 0.0, 0.0], 2), SCHEMA)
    source = fit_pipeline(_job("gbt_regressor", SOURCE_FEATURES, {"maxIter": 2}), rows)
    with pytest.raises(MlshipError, match="offset for GBT keeps the kind"):
        offset_gbt(spark, _job("gbt_classifier", SOURCE_FEATURES, {"maxIter": 2}), source.stages[-1],
                   source.transform(rows), extra_inputs=0)
