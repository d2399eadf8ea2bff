"""The finetune transfer method's mechanics (docs/transfer.md): the MLP's hidden layers copied and its output layer
sized for the target's labels; the logistic regression's fit starting at the source's coefficients; the source's
feature stages frozen, target-only columns with stages of their own."""

from __future__ import annotations

import numpy as np
import pytest

from mlship_runtime.job import Features, TrainJob
from mlship_runtime.train import fit_pipeline
from mlship_runtime.transfer.finetune import (finetune_logistic, finetune_mlp, join_weights, mlp_initial_weights,
                                              split_weights)
from mlship_runtime.transfer.stages import frozen_feature_stages, target_only

SOURCE_FEATURES = Features(numeric=["x0", "x1"], categorical=["cat"], scale="standard")
TARGET_FEATURES = Features(numeric=["x0", "x1", "x2"], categorical=["cat"], scale="standard")
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


def test_weights_split_and_join_in_sparks_order() -> None:
    layers = [3, 2, 2]
    flat = np.arange(3 * 2 + 2 + 2 * 2 + 2, dtype=float)
    parts = split_weights(layers, flat)
    assert parts[0][0].shape == (2, 3) and parts[0][0][1, 0] == 1.0 and parts[0][0][0, 1] == 2.0  # column-major
    assert list(parts[0][1]) == [6.0, 7.0]
    assert np.array_equal(join_weights(parts), flat)
    with pytest.raises(ValueError):
        split_weights(layers, flat[:-1])


def test_mlp_initial_weights_copy_hidden_layers_and_size_the_output() -> None:
    source_layers = [4, 5, 3, 2]
    flat = np.random.default_rng(1).normal(size=4 * 5 + 5 + 5 * 3 + 3 + 3 * 2 + 2)
    layers, weights = mlp_initial_weights(source_layers, flat, extra_inputs=2, classes=4, seed=7)
    assert layers == [6, 5, 3, 4]
    src, got = split_weights(source_layers, flat), split_weights(layers, weights)
    assert np.array_equal(got[0][0][:, :4], src[0][0]) and not got[0][0][:, 4:].any()  # target-only inputs: zero
    assert np.array_equal(got[0][1], src[0][1])
    assert np.array_equal(got[1][0], src[1][0]) and np.array_equal(got[1][1], src[1][1])
    assert got[2][0].shape == (4, 3) and not got[2][1].any()  # the new output layer, zero bias
    again = mlp_initial_weights(source_layers, flat, extra_inputs=2, classes=4, seed=7)[1]
    assert np.array_equal(weights, again)  # seeded
    assert not np.array_equal(weights, mlp_initial_weights(source_layers, flat, 2, 4, seed=8)[1])


@pytest.fixture(scope="module")
def frames(spark):
    """Source rows (3 classes) and target rows (a related task, 4 classes for the MLP)."""
    source = spark.createDataFrame(_rows(1, 600, [1.0, -1.0, 0.0], 3), SCHEMA)
    target = spark.createDataFrame(_rows(2, 300, [1.2, -0.6, 0.8], 4), SCHEMA)
    return source, target


def test_frozen_stages_keep_the_source_and_add_target_only_columns(frames) -> None:
    source_rows, target_rows = frames
    source = fit_pipeline(_job("logistic_regression", SOURCE_FEATURES, {"maxIter": 5}), source_rows)
    stages, extra = frozen_feature_stages(source, TARGET_FEATURES, ["x0", "x1", "cat"], target_rows)
    assert (extra.numeric, extra.categorical) == (["x2"], [])
    assert all(a is b for a, b in zip(stages.stages, source.stages[:-2]))  # the same fitted objects
    width = stages.transform(target_rows).first()["features"].size
    assert width == source.stages[-1].numFeatures + 1
    same, none = frozen_feature_stages(source, SOURCE_FEATURES, ["x0", "x1", "cat"], target_rows)
    assert not none and len(same.stages) == len(source.stages) - 1
    assert target_only(TARGET_FEATURES, ["x0", "x1", "x2", "cat"]).numeric == []


def test_finetune_mlp_starts_from_the_source_hidden_layers(frames) -> None:
    source_rows, target_rows = frames
    source = fit_pipeline(_job("mlp_classifier", SOURCE_FEATURES, {"hiddenLayers": [4], "maxIter": 30, "seed": 3}),
                          source_rows)
    stages, _ = frozen_feature_stages(source, TARGET_FEATURES, ["x0", "x1", "cat"], target_rows)
    features = stages.transform(target_rows)
    job = _job("mlp_classifier", TARGET_FEATURES, {"hiddenLayers": [4], "maxIter": 0, "seed": 3})
    tuned = finetune_mlp(job, source.stages[-1], features, extra_inputs=1)
    src_layers = list(source.stages[-1].getLayers())
    assert list(tuned.predictor.getLayers()) == [src_layers[0] + 1, 4, 4]
    # maxIter 0: the fitted weights are the initial ones, so the hidden layer is the source's
    got = split_weights(list(tuned.predictor.getLayers()), tuned.predictor.weights.toArray())
    src = split_weights(src_layers, source.stages[-1].weights.toArray())
    assert np.allclose(got[0][0][:, :src_layers[0]], src[0][0]) and np.allclose(got[0][1], src[0][1])
    trained = finetune_mlp(_job("mlp_classifier", TARGET_FEATURES, {"hiddenLayers": [4], "maxIter": 20, "seed": 3}),
                           source.stages[-1], features, extra_inputs=1)
    assert trained.facts["layers"] == [src_layers[0] + 1, 4, 4]


def test_finetune_logistic_starts_at_the_source_coefficients(spark, frames) -> None:
    source_rows, target_rows = frames
    binary = [(a, b, c, k, float(y > 0)) for a, b, c, k, y in _rows(3, 400, [1.0, -1.0, 0.0], 2)]
    source = fit_pipeline(_job("logistic_regression", SOURCE_FEATURES, {"maxIter": 50, "regParam": 0.01}),
                          spark.createDataFrame(binary, SCHEMA))
    target = spark.createDataFrame([(a, b, c, k, float(y > 0)) for a, b, c, k, y in _rows(4, 300, [1.2, -0.6, 0.8], 2)],
                                   SCHEMA)
    stages, _ = frozen_feature_stages(source, TARGET_FEATURES, ["x0", "x1", "cat"], target)
    job = _job("logistic_regression", TARGET_FEATURES, {"maxIter": 50, "regParam": 0.01})
    tuned = finetune_logistic(spark, job, source.stages[-1], stages.transform(target), extra_inputs=1)
    assert tuned.facts["objectiveStart"] == pytest.approx(tuned.facts["objectiveAtSource"], rel=1e-8)
    assert tuned.predictor.coefficients.size == source.stages[-1].coefficients.size + 1
    assert tuned.facts["objectiveEnd"] <= tuned.facts["objectiveStart"]
