"""The feature and offset transfer methods' mechanics (docs/transfer.md): the source's output columns against the
source's own predictions, appended after the target's features; a GLM's offset from the source's log-odds; the
source stage saved and loaded inside the target's PipelineModel; its portable export."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyspark.ml import PipelineModel
from pyspark.ml.functions import vector_to_array

from mlship_runtime.errors import MlshipError
from mlship_runtime.export.descriptor import input_schema
from mlship_runtime.export.stages import export_stages
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.train import fit_pipeline
from mlship_runtime.transfer.source_stage import SourceOutputs, output_width
from mlship_runtime.transfer.stacking import fit_stacked, offset_problems

SOURCE_FEATURES = Features(numeric=["x0", "x1"], categorical=["cat"], scale="standard")
TARGET_FEATURES = Features(numeric=["x0", "x1", "x2"], categorical=["cat"], scale="standard")
SCHEMA = "x0 double, x1 double, x2 double, cat string, label double"


def _rows(seed: int, n: int, beta: list[float]) -> list[tuple]:
    """n rows with a binary label from a noisy linear score."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, size=(n, 3))
    cat = rng.choice(np.array(["a", "b", "c"]), n)
    score = x @ np.array(beta) + (cat == "a") * 0.5 + rng.normal(0, 0.5, n)
    return [(float(a), float(b), float(c), str(k), float(s > 0)) for (a, b, c), k, s in zip(x, cat, score)]


def _job(algorithm: str, features: Features, params: dict) -> TrainJob:
    return TrainJob(name="t", algorithm=algorithm, label="label", features=features, train_path="unused",
                    params=params)


def _descriptor(algorithm: str) -> dict:
    return {"algorithm": algorithm, "task": "binary_classification", "numClasses": 2, "stages": [],
            "inputSchema": [{"name": "x0"}, {"name": "x1"}, {"name": "cat"}]}


@pytest.fixture(scope="module")
def setup(spark):
    """A logistic-regression source and a GBT source on one task, and the rows of a related target task."""
    source_rows = spark.createDataFrame(_rows(1, 400, [1.0, -1.0, 0.0]), SCHEMA)
    target = spark.createDataFrame(_rows(2, 200, [1.2, -0.6, 0.8]), SCHEMA).cache()
    logistic = fit_pipeline(_job("logistic_regression", SOURCE_FEATURES, {"maxIter": 10}), source_rows)
    gbt = fit_pipeline(_job("gbt_classifier", SOURCE_FEATURES, {"maxIter": 3, "maxDepth": 2}), source_rows)
    return logistic, gbt, target


def test_output_widths_and_refusals() -> None:
    assert output_width("logistic_regression", 2, "probability") == 1
    assert output_width("logistic_regression", 3, "probability") == 3
    assert output_width("gbt_regressor", None, "margin") == 1
    with pytest.raises(MlshipError, match="has no probability"):
        output_width("linear_regression", None, "probability")
    with pytest.raises(MlshipError, match="no link-scale margin"):
        output_width("random_forest_classifier", 2, "margin")


def test_offset_problems() -> None:
    glm = _job("generalized_linear_regression", TARGET_FEATURES, {"family": "binomial"})
    assert offset_problems(glm, _descriptor("logistic_regression"), None) == []
    assert offset_problems(glm, _descriptor("random_forest_classifier"), None)
    poisson = _job("generalized_linear_regression", TARGET_FEATURES, {"family": "poisson"})
    assert offset_problems(poisson, {"algorithm": "generalized_linear_regression"}, "binomial")
    assert offset_problems(_job("logistic_regression", TARGET_FEATURES, {}), _descriptor("logistic_regression"), None)


def test_source_columns_equal_the_sources_own_outputs(setup) -> None:
    logistic, gbt, target = setup
    own = logistic.transform(target).select(vector_to_array("probability")[1].alias("p"),
                                            vector_to_array("rawPrediction")[1].alias("m")).collect()
    prob = SourceOutputs(logistic, "logistic_regression", 2, "probability", ["x0", "x1", "cat"]).transform(target)
    assert prob.columns == [*target.columns, "__source_probability"]
    assert [r["__source_probability"] for r in prob.collect()] == [r["p"] for r in own]
    margin = SourceOutputs(logistic, "logistic_regression", 2, "margin", ["x0", "x1", "cat"]).transform(target)
    assert [r["__source_margin"] for r in margin.collect()] == [r["m"] for r in own]
    # GBT: the log-odds is twice rawPrediction[1], so its sigmoid is Spark's probability.
    g = SourceOutputs(gbt, "gbt_classifier", 2, "margin", ["x0", "x1", "cat"]).transform(target)
    spark_p = [r["p"] for r in gbt.transform(target).select(vector_to_array("probability")[1].alias("p")).collect()]
    for r, p in zip(g.collect(), spark_p):
        assert 1.0 / (1.0 + math.exp(-r["__source_margin"])) == pytest.approx(p, abs=1e-12)


def test_feature_appends_the_source_output_last(setup, tmp_path) -> None:
    logistic, _, target = setup
    job = _job("logistic_regression", TARGET_FEATURES, {"maxIter": 5})
    stacked = fit_stacked(job, "feature", "probability", logistic, _descriptor("logistic_regression"),
                          TARGET_FEATURES, target)
    assert (stacked.extra.numeric, stacked.facts["use"]) == (["x2"], "probability")
    scored = stacked.pipeline.transform(target)
    width = logistic.stages[-1].numFeatures + 1 + 1  # source features, x2, P(1)
    rows = scored.select("features", "__source_probability").collect()
    assert all(r["features"].size == width and r["features"][width - 1] == r["__source_probability"] for r in rows)
    # Saved and loaded with its source inside (the target's spark/ folder needs nothing of the source's).
    path = str(tmp_path / "spark")
    stacked.pipeline.write().overwrite().save(path)
    again = PipelineModel.load(path)
    assert isinstance(again.stages[0], SourceOutputs)
    before = [r["probability"] for r in scored.select("probability").collect()]
    assert [r["probability"] for r in again.transform(target).select("probability").collect()] == before
    exports = export_stages(stacked.pipeline)
    assert exports[0].kind == "source_model" and exports[0].fields["outputCol"] == "__source_probability"
    inputs, problems = input_schema(exports, target.schema, "label")
    assert problems == [] and {c["name"]: c["role"] for c in inputs}["cat"] == "categorical"


def test_glm_offset_is_the_sources_log_odds(setup) -> None:
    logistic, _, target = setup
    job = _job("generalized_linear_regression", TARGET_FEATURES, {"family": "binomial", "maxIter": 10})
    stacked = fit_stacked(job, "offset", "probability", logistic, _descriptor("logistic_regression"),
                          TARGET_FEATURES, target)
    glm = stacked.pipeline.stages[-1]
    assert glm.getOffsetCol() == "__source_margin" and stacked.facts["use"] == "margin"
    scored = stacked.pipeline.transform(target)
    own = [r["m"] for r in logistic.transform(target).select(vector_to_array("rawPrediction")[1].alias("m")).collect()]
    assert [r["__source_margin"] for r in scored.select("__source_margin").collect()] == own
    # The GLM's prediction is sigmoid(x·β + b + offset) with Spark's own offset column.
    coef, b = glm.coefficients.toArray(), glm.intercept
    for r in scored.select("features", "__source_margin", "prediction").limit(20).collect():
        eta = float(np.dot(r["features"].toArray(), coef)) + b + r["__source_margin"]
        assert r["prediction"] == pytest.approx(1.0 / (1.0 + math.exp(-eta)), abs=1e-12)
    assert export_stages(stacked.pipeline)[-1].fields["offsetCol"] == "__source_margin"


def test_freeze_stages_false_fits_the_targets_own_stages(setup) -> None:
    """freezeStages false: the target's scaler and indexer are fitted on the target's rows (not the source's), the
    source's output still comes from the source's own stages inside the source stage."""
    logistic, _, target = setup
    job = _job("generalized_linear_regression", TARGET_FEATURES, {"family": "binomial", "maxIter": 10})
    frozen = fit_stacked(job, "feature", "probability", logistic, _descriptor("logistic_regression"),
                         TARGET_FEATURES, target)
    own = fit_stacked(job, "feature", "probability", logistic, _descriptor("logistic_regression"),
                      TARGET_FEATURES, target, freeze=False)
    assert own.facts["freezeStages"] is False and frozen.facts["freezeStages"] is True
    assert own.extra.numeric == ["x2"]  # still reported: the columns the source does not read

    def scaler_mean(pipeline):
        from pyspark.ml.feature import StandardScalerModel
        return [list(s.mean) for s in pipeline.stages if isinstance(s, StandardScalerModel)]

    # Frozen: the source's scaler (fitted on the source's 400 rows) plus the target-only one; own: one scaler over
    # the target's own 3 numeric columns, whose means are the target rows' means.
    source_means = scaler_mean(logistic)
    assert source_means and source_means[0] in scaler_mean(frozen.pipeline)
    own_means = scaler_mean(own.pipeline)
    assert len(own_means) == 1 and len(own_means[0]) == 3
    rows = target.select("x0", "x1", "x2").collect()
    want = [sum(r[i] for r in rows) / len(rows) for i in range(3)]
    assert own_means[0] == pytest.approx(want, abs=1e-12)
    # The source output is the same column in both (the source's own stages inside the source stage), appended last.
    a = [r["__source_probability"] for r in frozen.pipeline.transform(target).select("__source_probability").collect()]
    scored = own.pipeline.transform(target)
    b = [r["__source_probability"] for r in scored.select("__source_probability").collect()]
    assert a == b
    assert all(r["features"][r["features"].size - 1] == r["__source_probability"]
               for r in scored.select("features", "__source_probability").collect())
    # The offset GLM takes it too, with no appended column: the target's own assembler writes `features`.
    offset = fit_stacked(job, "offset", "margin", logistic, _descriptor("logistic_regression"), TARGET_FEATURES,
                         target, freeze=False)
    assert offset.pipeline.stages[-1].getOffsetCol() == "__source_margin"
    own_width = scored.select("features").first()["features"].size - 1  # the feature target's, less its appended column
    assert offset.pipeline.transform(target).select("features").first()["features"].size == own_width
