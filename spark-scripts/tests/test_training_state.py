"""The training state (state/): every statistic equals a numpy recomputation on the same training rows."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pytest
from pyspark.ml import Pipeline
from pyspark.ml.classification import NaiveBayes
from pyspark.ml.clustering import KMeans
from pyspark.ml.feature import Imputer, OneHotEncoder, StandardScaler, StringIndexer, VectorAssembler
from pyspark.ml.regression import LinearRegression

from mlship_runtime.export.api import export_pipeline
from mlship_runtime.export.stages import export_stages
from mlship_runtime.export.state import export_state
from mlship_runtime.storage import open_out

RNG_ROWS = 600
REL = 1e-12


def _arrow(path: Path) -> pa.Table:
    """Read an Arrow IPC file."""
    return ipc.open_file(pa.BufferReader(path.read_bytes())).read_all()


def _close(got, want, rel: float = REL) -> None:
    """Equal to a relative 1e-12 (absolute for values near zero)."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=rel, atol=rel * max(1.0, float(np.abs(want).max(initial=0.0))))


@pytest.fixture(scope="module")
def rows() -> dict[str, np.ndarray]:
    """Generated data: three numeric columns (one with NaNs), a category, a regression target and a class label."""
    rng = np.random.default_rng(11)
    x = rng.normal([3.0, -2.0, 50.0], [1.0, 4.0, 10.0], size=(RNG_ROWS, 3))
    x[rng.random(RNG_ROWS) < 0.1, 1] = np.nan
    cat = rng.choice(np.array(["a", "b", "c", "d"]), RNG_ROWS, p=[0.4, 0.3, 0.2, 0.1])
    y = 1.5 * x[:, 0] + 0.2 * np.nan_to_num(x[:, 1]) - 0.05 * x[:, 2] + rng.normal(0, 0.3, RNG_ROWS)
    label = (x[:, 0] + (cat == "a") > 3.2).astype(float) + (x[:, 2] > 55).astype(float)
    return {"x": x, "cat": cat, "y": y, "label": label}


@pytest.fixture(scope="module")
def frame(spark, rows):
    """The rows as a Spark frame (the training split of these tests: all of it)."""
    x, cat, y, label = rows["x"], rows["cat"], rows["y"], rows["label"]
    data = [(float(a), None if np.isnan(b) else float(b), float(c), str(k), float(t), float(lab))
            for (a, b, c), k, t, lab in zip(x, cat, y, label)]
    return spark.createDataFrame(data, "x0 double, x1 double, x2 double, cat string, y double, label double").cache()


def _features(scale: bool):
    """Imputer, StringIndexer, OneHotEncoder and the assemblers (with a StandardScaler on the numeric vector)."""
    stages = [Imputer(inputCols=["x0", "x1", "x2"], outputCols=["i0", "i1", "i2"]),
              StringIndexer(inputCols=["cat"], outputCols=["cat_ix"]),
              OneHotEncoder(inputCols=["cat_ix"], outputCols=["cat_oh"])]
    if scale:
        stages += [VectorAssembler(inputCols=["i0", "i1", "i2"], outputCol="num"),
                   StandardScaler(inputCol="num", outputCol="num_s", withMean=True, withStd=True),
                   VectorAssembler(inputCols=["num_s", "cat_oh"], outputCol="features")]
    else:
        stages.append(VectorAssembler(inputCols=["i0", "i1", "i2", "cat_oh"], outputCol="features"))
    return stages


def _state(model, frame, tmp_path: Path) -> tuple[dict, Path]:
    """Export the state of a fitted pipeline and read state.json back."""
    export_state(model, export_stages(model), frame, open_out(tmp_path.as_uri()))
    return json.loads((tmp_path / "state" / "state.json").read_text()), tmp_path


def _design(rows, scale: bool, model=None) -> np.ndarray:
    """The estimator's features, recomputed with numpy: imputed, scaled as Spark fitted, one-hot (last dropped)."""
    x = rows["x"].copy()
    mean = np.nanmean(x, axis=0)
    x = np.where(np.isnan(x), mean, x)
    if scale:
        x = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    levels = ["a", "b", "c", "d"]  # by frequency, as the generator's probabilities make them
    onehot = np.stack([(rows["cat"] == lv).astype(float) for lv in levels[:3]], axis=1)  # dropLast: 3 slots
    return np.hstack([x, onehot])


@pytest.mark.parametrize("scale", [False, True])
def test_linear_regression_moments(spark, frame, rows, tmp_path, scale) -> None:
    model = Pipeline(stages=[*_features(scale), LinearRegression(labelCol="y")]).fit(frame)
    state, root = _state(model, frame, tmp_path)
    assert state["algorithm"] == "linear_regression" and state["updateModes"] == ["exact", "retrain"]
    assert state["space"]["scaled"] is scale and state["space"]["featuresCol"] == "features"
    x, y = _design(rows, scale), rows["y"]
    totals, moments = _arrow(root / "state/moments_totals.arrow"), _arrow(root / "state/moments.arrow")
    assert totals["rows"].to_pylist() == [RNG_ROWS]
    _close(totals["sumW"].to_pylist(), [RNG_ROWS])
    _close(totals["sumWY"].to_pylist(), [y.sum()])
    _close(totals["sumWY2"].to_pylist(), [(y * y).sum()])
    # The scaler's own transform rounds differently from numpy's; compare its output at a looser bound.
    rel = 1e-9 if scale else REL
    _close(moments["sumWX"].to_pylist(), x.sum(axis=0), rel)
    _close(moments["sumWXY"].to_pylist(), x.T @ y, rel)
    _close(moments["sumWXX"].to_pylist(), x.T @ x, rel)
    assert next(f for f in state["files"] if f["path"] == "state/moments.arrow")["gram"] == "full"


def test_linear_moments_equal_numpy_on_the_transformed_vectors(spark, frame, tmp_path) -> None:
    """Bit-level check: the moments over the very vectors the estimator saw (scaled), to 1e-12."""
    model = Pipeline(stages=[*_features(True), LinearRegression(labelCol="y")]).fit(frame)
    _, root = _state(model, frame, tmp_path)
    seen = model.transform(frame).select("features", "y").collect()
    x = np.vstack([r["features"].toArray() for r in seen])
    y = np.array([r["y"] for r in seen])
    moments = _arrow(root / "state/moments.arrow")
    _close(moments["sumWX"].to_pylist(), x.sum(axis=0))
    _close(moments["sumWXY"].to_pylist(), x.T @ y)
    _close(moments["sumWXX"].to_pylist(), x.T @ x)


def test_feature_stage_statistics(spark, frame, rows, tmp_path) -> None:
    model = Pipeline(stages=[*_features(True), LinearRegression(labelCol="y")]).fit(frame)
    state, root = _state(model, frame, tmp_path)
    kinds = {s["kind"]: s for s in state["stages"]}
    assert kinds["one_hot_encoder"]["state"] == "fixed" and kinds["standard_scaler"]["state"] == "merge"
    imputer = _arrow(root / kinds["imputer"]["file"])
    x = rows["x"]
    assert imputer["count"].to_pylist() == [int((~np.isnan(x[:, j])).sum()) for j in range(3)]
    _close(imputer["sum"].to_pylist(), np.nansum(x, axis=0))
    indexer = _arrow(root / kinds["string_indexer"]["file"])
    labels = indexer["label"].to_pylist()
    assert labels == list(model.stages[1].labelsArray[0])
    assert indexer["count"].to_pylist() == [int((rows["cat"] == lv).sum()) for lv in labels]
    scaler = _arrow(root / kinds["standard_scaler"]["file"])
    imputed = np.where(np.isnan(x), np.nanmean(x, axis=0), x)
    assert scaler["n"].to_pylist() == [RNG_ROWS] * 3
    _close(scaler["mean"].to_pylist(), imputed.mean(axis=0))
    _close(scaler["m2"].to_pylist(), ((imputed - imputed.mean(axis=0)) ** 2).sum(axis=0))
    # Spark's std is the unbiased one: sqrt(M2 / (n - 1)).
    _close(np.sqrt(np.array(scaler["m2"].to_pylist()) / (RNG_ROWS - 1)), model.stages[4].std.toArray(), 1e-10)


@pytest.mark.parametrize("model_type", ["gaussian", "multinomial"])
def test_naive_bayes_class_sums(spark, frame, rows, tmp_path, model_type) -> None:
    # multinomial needs non-negative features: the positive column and the one-hot category only.
    features = _features(False) if model_type == "gaussian" else [
        Imputer(inputCols=["x2"], outputCols=["i2"]), StringIndexer(inputCols=["cat"], outputCols=["cat_ix"]),
        OneHotEncoder(inputCols=["cat_ix"], outputCols=["cat_oh"]),
        VectorAssembler(inputCols=["i2", "cat_oh"], outputCol="features")]
    train = frame if model_type == "gaussian" else frame.where("x2 >= 0")
    model = Pipeline(stages=[*features, NaiveBayes(labelCol="label", modelType=model_type)]).fit(train)
    state, root = _state(model, train, tmp_path)
    assert state["algorithm"] == "naive_bayes" and "exact" in state["updateModes"]
    seen = model.transform(train).select("features", "label").collect()
    x = np.vstack([r["features"].toArray() for r in seen])
    y = np.array([r["label"] for r in seen])
    sums = _arrow(root / "state/class_sums.arrow")
    assert sums["class"].to_pylist() == sorted({int(v) for v in y})
    for i, k in enumerate(sums["class"].to_pylist()):
        xk = x[y == k]
        assert sums["count"][i].as_py() == len(xk)
        _close([sums["sumW"][i].as_py()], [len(xk)])
        _close(sums["sumWX"][i].as_py(), xk.sum(axis=0))
        if model_type == "gaussian":
            _close(sums["sumWX2"][i].as_py(), (xk * xk).sum(axis=0))
        else:
            assert sums["sumWX2"][i].as_py() is None


def test_kmeans_cluster_masses(spark, frame, tmp_path) -> None:
    model = Pipeline(stages=[*_features(True), KMeans(k=3, seed=1)]).fit(frame)
    state, root = _state(model, frame, tmp_path)
    assert state["algorithm"] == "kmeans" and state["updateModes"] == ["streaming", "retrain"]
    predicted = np.array([r["prediction"] for r in model.transform(frame).select("prediction").collect()])
    masses = _arrow(root / "state/cluster_masses.arrow")
    assert masses["cluster"].to_pylist() == [0, 1, 2]
    assert masses["rows"].to_pylist() == [int((predicted == c).sum()) for c in range(3)]


def test_state_files_are_in_the_manifest_and_tampering_shows(spark, frame, tmp_path) -> None:
    model = Pipeline(stages=[*_features(False), LinearRegression(labelCol="y")]).fit(frame)
    train, validation = frame.randomSplit([0.8, 0.2], seed=3)
    export_pipeline(model, validation, tmp_path.as_uri(), label="y", run_id="state-1", df_train=train)
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    state = json.loads((tmp_path / "state" / "state.json").read_text())
    assert "state/state.json" in listed and all(f["path"] in listed for f in state["files"])
    assert {"state/moments.arrow", "state/moments_totals.arrow"} <= set(listed)
    totals = _arrow(tmp_path / "state/moments_totals.arrow")
    assert totals["rows"].to_pylist() == [train.count()]  # the training split, not all rows
    path = tmp_path / "state" / "moments.arrow"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert hashlib.sha256(path.read_bytes()).hexdigest() != listed["state/moments.arrow"]
