"""Transfer `use: hidden` (docs/transfer.md): an MLP source's last hidden layer as the target's extra features. The
activations, put through the source's own output layer, give back Spark's rawPrediction and probability; the stacked
target appends them last, in unit order, and saves and loads with its source inside."""

from __future__ import annotations

import numpy as np
import pytest
from pyspark.ml import PipelineModel

from mlship_runtime.errors import MlshipError
from mlship_runtime.export.mlp import affine_layers
from mlship_runtime.export.stages import export_stages
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.train import fit_pipeline
from mlship_runtime.transfer.source_stage import SourceOutputs, output_width
from mlship_runtime.transfer.stacking import fit_stacked
from test_transfer_stacking import SCHEMA, SOURCE_FEATURES, TARGET_FEATURES, _rows

INPUTS = ["x0", "x1", "cat"]


def _job(algorithm: str, features: Features, params: dict) -> TrainJob:
    return TrainJob(name="t", algorithm=algorithm, label="label", features=features, train_path="unused",
                    params=params)


def _descriptor() -> dict:
    return {"algorithm": "mlp_classifier", "task": "binary_classification", "numClasses": 2, "stages": [],
            "inputSchema": [{"name": c} for c in INPUTS]}


@pytest.fixture(scope="module")
def setup(spark):
    """A two-hidden-layer MLP source ([p, 5, 3, 2]) and the rows of a related target task."""
    source_rows = spark.createDataFrame(_rows(1, 300, [1.0, -1.0, 0.0]), SCHEMA)
    target = spark.createDataFrame(_rows(2, 150, [1.2, -0.6, 0.8]), SCHEMA).cache()
    mlp = fit_pipeline(_job("mlp_classifier", SOURCE_FEATURES, {"hiddenLayers": [5, 3], "maxIter": 20, "seed": 3}),
                       source_rows)
    return mlp, target


def test_hidden_width_and_refusals() -> None:
    assert output_width("mlp_classifier", 2, "hidden", [4, 5, 3, 2]) == 3
    with pytest.raises(MlshipError, match="has none"):
        output_width("mlp_classifier", 2, "hidden", [4, 2])
    with pytest.raises(MlshipError, match="has none"):
        output_width("logistic_regression", 2, "hidden", None)


def test_hidden_activations_give_back_sparks_own_output(setup) -> None:
    mlp, target = setup
    model = mlp.stages[-1]
    sizes = [int(s) for s in model.getLayers()]
    assert sizes[1:] == [5, 3, 2]
    stage = SourceOutputs(mlp, "mlp_classifier", 2, "hidden", INPUTS)
    assert stage.width == 3
    hidden = stage.transform(target)
    assert hidden.columns == [*target.columns, "__source_hidden"]
    assert hidden.schema["__source_hidden"].metadata["ml_attr"]["num_attrs"] == 3
    weights, bias = affine_layers(sizes, [float(v) for v in model.weights.toArray()])[-1]
    w_out = np.array(weights).reshape(sizes[-2], sizes[-1]).T  # column-major numOut x numIn
    spark_rows = mlp.transform(target).select("rawPrediction", "probability").collect()
    worst = 0.0
    for r, own in zip(hidden.select("__source_hidden").collect(), spark_rows):
        h = r["__source_hidden"].toArray()
        assert h.shape == (3,) and np.all((h > 0) & (h < 1))
        raw = w_out @ h + np.array(bias)
        prob = np.exp(raw - raw.max()) / np.exp(raw - raw.max()).sum()
        worst = max(worst, float(np.abs(raw - own["rawPrediction"].toArray()).max()),
                    float(np.abs(prob - own["probability"].toArray()).max()))
    assert worst <= 1e-12


def test_stacked_target_appends_the_hidden_layer_and_saves(setup, tmp_path) -> None:
    mlp, target = setup
    job = _job("logistic_regression", TARGET_FEATURES, {"maxIter": 5})
    stacked = fit_stacked(job, "feature", "hidden", mlp, _descriptor(), TARGET_FEATURES, target)
    assert stacked.facts["use"] == "hidden" and stacked.facts["sourceOutputWidth"] == 3
    scored = stacked.pipeline.transform(target)
    rows = scored.select("features", "__source_hidden").collect()
    width = mlp.stages[-1].numFeatures + 1 + 3  # the source's features, x2, the 3 hidden units
    for r in rows:
        assert r["features"].size == width
        assert list(r["features"].toArray()[-3:]) == list(r["__source_hidden"].toArray())
    path = str(tmp_path / "spark")
    stacked.pipeline.write().overwrite().save(path)
    again = PipelineModel.load(path)
    assert isinstance(again.stages[0], SourceOutputs) and again.stages[0].use == "hidden"
    before = [r["probability"] for r in scored.select("probability").collect()]
    assert [r["probability"] for r in again.transform(target).select("probability").collect()] == before
    export = export_stages(stacked.pipeline)[0]
    assert export.kind == "source_model"
    assert export.fields["use"] == "hidden" and export.fields["size"] == 3 and export.fields["algorithm"] == "mlp_classifier"
