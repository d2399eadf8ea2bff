"""The `continue` update (GBT, random forest): boosting on from the parent equals Spark's own longer boost, and on
drifted data the child's validation metric is within 1% of Spark's full fit on H ∪ N through the same frozen stages;
the child saves, loads and exports portable trees that reproduce Spark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.ipc as ipc
import pytest
from pyspark.ml import PipelineModel
from pyspark.ml.classification import GBTClassificationModel, GBTClassifier
from pyspark.ml.evaluation import BinaryClassificationEvaluator, RegressionEvaluator
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.functions import vector_to_array
from pyspark.ml.regression import GBTRegressor
from pyspark.sql import functions as F

from mlship_runtime.algorithms import build_estimator
from mlship_runtime.export.api import export_pipeline
from mlship_runtime.export.stages import export_stages
from mlship_runtime.export.state import export_state
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.split import split
from mlship_runtime.storage import open_out
from mlship_runtime.train import fit_pipeline
from mlship_runtime.errors import MlshipError
from mlship_runtime.update.continue_trees import continue_trees, default_new_trees, trees_and_rows
from mlship_runtime.update.modes import (MODES, UpdateInput, UpdateOptions, child_pipeline, frozen_stages,
                                         load_parent_state)
from portable_scorer import max_parity_difference

HISTORY, NEW = 2000, 1000
VALIDATION = 0.25
RELATIVE_GAP = 0.01  # the acceptance: the child's metric within 1% of the full fit's
PARITY = 1e-9
ZONES = np.array(["north", "south", "east", "west"], dtype=object)
FEATURES = Features(numeric=["x1", "x2", "x3"], categorical=["zone"], encoding="index")
PARAMS = {"gbt": {"maxIter": 15, "maxDepth": 3, "seed": 7}, "random_forest": {"numTrees": 15, "maxDepth": 5, "seed": 7}}
ALGORITHMS = ["gbt_classifier", "gbt_regressor", "random_forest_classifier", "random_forest_regressor"]
MEASURED: dict[str, dict[str, float]] = {}


def _rows(rng: np.random.Generator, n: int, drifted: bool) -> list[tuple]:
    """Rows (x1, x2, x3, zone, y, label). The new data drifts three ways: x1's mean moves (covariate shift), the
    zones' mix changes, and two zones' effects change (concept drift)."""
    x1 = rng.normal(0.6 if drifted else 0.0, 1.0, n)
    x2 = rng.normal(0.0, 1.0, n)
    x3 = rng.uniform(-2.0, 2.0, n)
    zone = rng.choice(ZONES, n, p=[0.25, 0.25, 0.25, 0.25] if drifted else [0.4, 0.3, 0.2, 0.1])
    effect = ({"north": 0.0, "south": 0.4, "east": -0.6, "west": 0.9} if drifted
              else {"north": 0.0, "south": 0.8, "east": -0.6, "west": 0.3})
    signal = 1.2 * x1 - 0.8 * x2 + 0.7 * np.sin(2.0 * x3) + np.array([effect[z] for z in zone])
    y = 3.0 + 2.0 * signal + rng.normal(0.0, 1.0, n)
    label = (rng.random(n) < 1.0 / (1.0 + np.exp(-(signal - 0.2)))).astype(float)
    return [(float(a), float(b), float(c), str(z), float(t), float(k))
            for a, b, c, z, t, k in zip(x1, x2, x3, zone, y, label)]


@pytest.fixture(scope="module")
def data(spark):
    """History H and new data N (drifted), each split by the stable split: {"H"|"N": (train, validation)}."""
    rng = np.random.default_rng(2026)
    schema = "x1 double, x2 double, x3 double, zone string, y double, label double"
    out = {}
    for part, n, drifted in (("H", HISTORY, False), ("N", NEW, True)):
        frame = spark.createDataFrame(_rows(rng, n, drifted), schema).repartition(2).cache()
        train, validation = split(frame, VALIDATION, 3)
        out[part] = (train.cache(), validation.cache())
    return out


def _job(algorithm: str) -> TrainJob:
    """A job as `train` runs it: index-encoded zone (categorical splits), the class label or y."""
    label = "y" if algorithm.endswith("_regressor") else "label"
    params = PARAMS["gbt" if algorithm.startswith("gbt") else "random_forest"]
    return TrainJob(name=algorithm, algorithm=algorithm, label=label, features=FEATURES, train_path="",
                    params=dict(params), validation_fraction=VALIDATION, validation_seed=3)


def _metric(model: PipelineModel, frame, job: TrainJob) -> float:
    """AUC (classifiers, from rawPrediction) or RMSE (regressors) on the frame."""
    scored = model.transform(frame)
    if job.algorithm.endswith("_classifier"):
        return BinaryClassificationEvaluator(labelCol=job.label, metricName="areaUnderROC").evaluate(scored)
    return RegressionEvaluator(labelCol=job.label, metricName="rmse").evaluate(scored)


def _update_input(spark, job: TrainJob, parent: PipelineModel, history_train, new_train, tmp_path: Path,
                  **options) -> UpdateInput:
    """The UpdateInput run_update builds: the parent's state as exported, the rows through the frozen stages."""
    out = open_out((tmp_path / "parent").as_uri())
    export_state(parent, export_stages(parent), history_train, out)
    stages = frozen_stages(parent)
    return UpdateInput(spark=spark, job=job, options=UpdateOptions(mode="continue", **options), parent=parent,
                       predictor=parent.stages[-1], state=load_parent_state(out),
                       new_train=stages.transform(new_train).cache(),
                       history_train=lambda: stages.transform(history_train))


def test_continue_is_registered() -> None:
    assert MODES["continue"] is continue_trees


def test_default_new_trees_keeps_the_first_fits_trees_per_row() -> None:
    assert default_new_trees(20, 10_000, 2_500) == 5
    assert default_new_trees(20, 10_000, 10) == 1  # at least one
    assert default_new_trees(20, 10_000, 10_000) == 20
    assert default_new_trees(15, 1_500, 750) == 8  # 7.5 rounds half up
    assert default_new_trees(0, 0, 5) == 1


def _margins(model, frame) -> np.ndarray:
    """A GBT's margin per row: the classifier's rawPrediction[1], the regressor's prediction."""
    if isinstance(model, GBTClassificationModel):
        column = vector_to_array(F.col("rawPrediction"))[1]
    else:
        column = F.col("prediction")
    return np.array([r[0] for r in model.transform(frame).select(column).collect()])


@pytest.mark.parametrize("loss", ["logistic", "squared", "absolute"])
def test_boosting_on_equals_sparks_longer_boost(spark, data, tmp_path, loss) -> None:
    """Continuing a 3-round GBT for 2 rounds on its own training rows grows exactly the trees Spark's 5-round boost
    grows (same seeds seed + m, same subsample draws): the child predicts as Spark's 5-round model to 1e-9."""
    train = VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features").transform(data["H"][0]).cache()
    common = {"maxDepth": 3, "seed": 11, "subsamplingRate": 0.8}
    if loss == "logistic":
        algorithm, short, long = "gbt_classifier", *(GBTClassifier(labelCol="label", maxIter=n, **common).fit(train)
                                                     for n in (3, 5))
    else:
        algorithm, short, long = "gbt_regressor", *(GBTRegressor(labelCol="y", maxIter=n, lossType=loss,
                                                                 **common).fit(train) for n in (3, 5))
    inp = UpdateInput(spark=spark, job=_job(algorithm), options=UpdateOptions(mode="continue", new_trees=2),
                      parent=PipelineModel(stages=[short]), predictor=short, state=None,  # type: ignore[arg-type]
                      new_train=train, history_train=lambda: train)
    result = continue_trees(inp)
    assert result.facts["treesAdded"] == 2 and result.facts["trees"] == 5 and result.state_tables == {}
    assert result.predictor.treeWeights == long.treeWeights
    diff = np.abs(_margins(result.predictor, train) - _margins(long, train))
    print(f"\n{loss}: continued vs Spark's longer boost, max |difference| {diff.max():.3g}")
    assert diff.max() <= 1e-9
    train.unpersist()


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_child_is_within_one_percent_of_the_full_fit(spark, data, tmp_path, algorithm) -> None:
    job = _job(algorithm)
    (h_train, h_val), (n_train, n_val) = data["H"], data["N"]
    fit_pipeline(job, h_train).write().save(str(tmp_path / "parent-spark"))
    parent = PipelineModel.load(str(tmp_path / "parent-spark"))  # as run_update loads it from the spark/ folder
    inp = _update_input(spark, job, parent, h_train, n_train, tmp_path)
    result = MODES["continue"](inp)
    child = child_pipeline(parent, result.predictor)
    size = job.params.get("maxIter", job.params.get("numTrees"))
    assert result.facts["parentTrees"] == size and result.facts["newTreesRule"] == "proportional"
    assert result.facts["trees"] == size + result.facts["treesAdded"] and result.state_tables == {}
    h_rows, n_rows = h_train.count(), n_train.count()
    assert result.facts["newRows"] == n_rows and abs(result.facts["parentRows"] / h_rows - 1.0) < 0.05, result.facts
    assert result.facts["treesAdded"] == default_new_trees(size, result.facts["parentRows"], n_rows)

    # The acceptance reference: Spark's fit of the same estimator on H ∪ N through the parent's frozen stages.
    union = frozen_stages(parent).transform(h_train.unionByName(n_train))
    full = child_pipeline(parent, build_estimator(job.algorithm, job.params, job.label).fit(union))
    validation = h_val.unionByName(n_val)
    got, want = _metric(child, validation, job), _metric(full, validation, job)
    on_new = {"parent": _metric(parent, n_val, job), "child": _metric(child, n_val, job)}
    higher_is_better = algorithm.endswith("_classifier")
    gap = (want - got) / want if higher_is_better else (got - want) / want  # > 0: the child is worse
    MEASURED[algorithm] = {"child": got, "full": want, "gap": gap, **{f"new_{k}": v for k, v in on_new.items()},
                           "treesAdded": result.facts["treesAdded"]}
    print(f"\n{algorithm}: {MEASURED[algorithm]}")
    assert gap <= RELATIVE_GAP, MEASURED[algorithm]
    # The drift is real: on the new data's held-out rows the child beats the parent it grew from.
    assert (on_new["child"] > on_new["parent"]) if higher_is_better else (on_new["child"] < on_new["parent"])

    # Saved as the spark/ folder and loaded back, it predicts the same.
    saved = tmp_path / "child-spark"
    child.write().overwrite().save(str(saved))
    loaded = PipelineModel.load(str(saved))
    column = "prediction"
    a = [r[0] for r in child.transform(validation).select(column).collect()]
    b = [r[0] for r in loaded.transform(validation).select(column).collect()]
    assert a == b
    # What the next update in a chain reads from the loaded child: a forest counts the rows of both fits (told
    # apart by their seeds), a GBT keeps the first fit's rounds per row.
    trees, rows = trees_and_rows(loaded.stages[-1])
    if algorithm.startswith("random_forest"):
        assert trees == result.facts["trees"] and abs(rows / (h_rows + n_rows) - 1.0) < 0.05, (trees, rows)
    else:
        assert trees == size and abs(rows / h_rows - 1.0) < 1e-9, (trees, rows)

    # Exported, its portable trees reproduce Spark; the new trees kept the categorical zone (index encoding).
    out = tmp_path / "child"
    export_pipeline(child, validation, out.as_uri(), label=job.label, run_id="t", df_train=None, parity_rows=1000)
    worst = max_parity_difference(out)
    assert worst["labelMismatches"] == 0, worst
    assert max(worst["prediction"], worst["probability"], worst["rawPrediction"]) <= PARITY, worst
    nodes = ipc.open_file(str(next((out / "portable" / "stages").glob(f"*_{algorithm}.arrow")))).read_all().to_pylist()
    assert {r["tree"] for r in nodes} == set(range(result.facts["trees"]))
    new_categorical = [r for r in nodes if r["tree"] >= size and r["leftCategories"] is not None]
    assert new_categorical and {r["numCategories"] for r in new_categorical} == {5}  # 4 zones + the keep bucket


def test_forest_keeps_every_class_when_the_new_rows_lack_one(spark, data, tmp_path) -> None:
    """Three classes in H, two in N: the new trees still count three (the label is marked nominal with the parent's
    class count), so the child scores three probabilities; a class the parent never saw is refused."""
    job = TrainJob(name="rf3", algorithm="random_forest_classifier", label="band", features=FEATURES, train_path="",
                   params={"numTrees": 4, "maxDepth": 3, "seed": 5})
    band = F.when(F.col("y") < 2.0, 0.0).when(F.col("y") < 4.0, 1.0).otherwise(2.0)
    h_train = data["H"][0].withColumn("band", band)
    n_train = data["N"][0].withColumn("band", F.least(band, F.lit(1.0)))
    parent = fit_pipeline(job, h_train)
    result = continue_trees(_update_input(spark, job, parent, h_train, n_train, tmp_path / "a", new_trees=2))
    assert result.predictor.numClasses == 3 and result.facts["trees"] == 6
    probabilities = child_pipeline(parent, result.predictor).transform(data["N"][1]).select("probability").collect()
    assert {len(r[0]) for r in probabilities} == {3}
    unseen = n_train.withColumn("band", F.lit(3.0))
    with pytest.raises(MlshipError, match="growing trees on the new data failed") as caught:
        continue_trees(_update_input(spark, job, parent, h_train, unseen, tmp_path / "b", new_trees=1))
    assert caught.value.code == "fit", caught.value.problems


def test_refuses_what_it_cannot_continue(spark, data) -> None:
    """A model that is not a tree ensemble, and update.newTrees below 1 (both E_UPDATE)."""
    from pyspark.ml.regression import LinearRegression

    train = VectorAssembler(inputCols=["x1", "x2"], outputCol="features").transform(data["N"][0].limit(60)).cache()
    for model, options in ((LinearRegression(labelCol="y").fit(train), {}),
                           (GBTRegressor(labelCol="y", maxIter=1, maxDepth=1).fit(train), {"new_trees": 0})):
        inp = UpdateInput(spark=spark, job=_job("gbt_regressor"), options=UpdateOptions(mode="continue", **options),
                          parent=PipelineModel(stages=[model]), predictor=model, state=None,  # type: ignore[arg-type]
                          new_train=train, history_train=lambda: train)
        with pytest.raises(MlshipError, match="GBT and random forest|newTrees is 0") as caught:
            continue_trees(inp)
        assert caught.value.code == "update"
    train.unpersist()
