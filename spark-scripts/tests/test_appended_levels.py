"""Appended levels (update/levels.py, update/append.py): a category first seen in the new data gets an index after
the parent's labels and its own one-hot column; every old level keeps its index, its one-hot vector and the dropped
baseline; the exact mode then equals Spark's own fit of the CHILD's stages on history ∪ new; retrain and streaming
take the appended levels too; the child exports and scores through the portable model as Spark does."""

from __future__ import annotations

import numpy as np
import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.clustering import KMeans
from pyspark.ml.feature import OneHotEncoderModel, StringIndexerModel
from pyspark.ml.regression import LinearRegression

from mlship_runtime.export.api import export_pipeline
from mlship_runtime.export.stages import export_stages
from mlship_runtime.export.state import export_state
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.pipeline import FEATURES_COL, feature_stages
from mlship_runtime.storage import open_out
from mlship_runtime.update.append import grow
from mlship_runtime.update.exact import exact
from mlship_runtime.update.layout import Layout
from mlship_runtime.update.levels import child_labels, first_new_index, new_levels
from mlship_runtime.update.modes import (ParentState, UpdateInput, UpdateOptions, child_pipeline, frozen_stages,
                                         load_parent_state)
from mlship_runtime.update.retrain import retrain
from mlship_runtime.update.streaming import streaming

COEF_REL, PREDICTION_REL = 1e-8, 1e-9
SCHEMA = "x0 double, x1 double, cat string, y double, w double"


# ---- pure parts -------------------------------------------------------------------------------------------------

def test_new_levels_are_the_unknown_ones_most_frequent_first_ties_by_value() -> None:
    assert new_levels(["b", "a"], {"a": 9, "z": 2, "d": 5, "c": 5, "b": 1}) == ["c", "d", "z"]
    assert new_levels(["a"], {"a": 3}) == []


@pytest.mark.parametrize("invalid, drop_last, keeps, at", [
    ("keep", True, False, 3), ("keep", False, False, 3), ("error", True, False, 2), ("skip", True, False, 2),
    ("error", False, False, 3), ("error", None, False, 3), ("error", True, True, 3)])
def test_new_labels_go_after_the_labels_or_before_a_dropped_baseline(invalid, drop_last, keeps, at) -> None:
    assert first_new_index(3, invalid, drop_last, keeps) == at
    assert child_labels(["a", "b", "c"], ["n1", "n2"], at)[:2] == ["a", "b"]


def test_layout_inserts_zero_columns_and_moves_later_ones() -> None:
    layout = Layout(5, ((2, 1), (5, 2)))
    assert layout.child_size == 8 and layout.positions().tolist() == [0, 1, 3, 4, 5]
    assert layout.new_positions() == [2, 6, 7]
    assert layout.vector([1, 2, 3, 4, 5]).tolist() == [1, 2, 0, 3, 4, 5, 0, 0]
    m = np.arange(25.0).reshape(5, 5)
    padded = layout.square(m)
    assert padded.shape == (8, 8) and (padded[np.ix_(layout.positions(), layout.positions())] == m).all()
    assert not padded[[2, 6, 7], :].any() and not padded[:, [2, 6, 7]].any()


# ---- against Spark ----------------------------------------------------------------------------------------------

EFFECT = {"a": 0.0, "b": 1.5, "c": -2.0, "d": 3.0, "e": -1.0}


def _rows(rng: np.random.Generator, n: int, levels: list[str], p: list[float]) -> list[tuple]:
    cat = rng.choice(np.array(levels), n, p=p)
    x = rng.normal([2.0, -1.0], [1.0, 2.0], size=(n, 2))
    y = 1.0 + 0.8 * x[:, 0] - 0.5 * x[:, 1] + np.array([EFFECT[c] for c in cat]) + rng.normal(0, 0.5, n)
    w = rng.uniform(0.5, 2.0, n)
    return [(float(a), float(b), str(c), float(t), float(v)) for (a, b), c, t, v in zip(x, cat, y, w)]


@pytest.fixture(scope="module")
def data(spark):
    """History H with levels a, b, c; new data N with two new levels d (more frequent) and e, and null categories."""
    rng = np.random.default_rng(7)
    h = _rows(rng, 600, ["a", "b", "c"], [0.5, 0.3, 0.2])
    n = _rows(rng, 300, ["a", "b", "c", "d", "e"], [0.2, 0.2, 0.2, 0.25, 0.15])
    n += [(1.0, 2.0, None, 1.5, 1.0), (0.5, -1.0, None, 0.2, 1.0)]

    def frame(rows):
        return spark.createDataFrame(rows, SCHEMA).repartition(2).cache()

    probe = h[:40] + n[:60] + [(1.0, 1.0, "zz", 0.0, 1.0), (1.0, 1.0, None, 0.0, 1.0)]
    return {"H": frame(h), "N": frame(n), "H+N": frame(h + n), "probe": frame(probe),
            "probe_known": frame(h[:40] + [r for r in n[:60] if r[2] is not None])}


def _features(invalid: str, scale: bool = True) -> Features:
    return Features(numeric=["x0", "x1"], categorical=["cat"], scale="standard" if scale else False,
                    indexer_invalid=invalid)


def _job(algorithm: str, features: Features, label: str = "y") -> TrainJob:
    return TrainJob(name="levels", algorithm=algorithm, label=label, features=features, train_path="unused")


def _parent(spark, features: Features, estimator, history, tmp_path):
    """The parent as `train` makes it (stages and estimator fitted on H) and its exported training state."""
    fs = Pipeline(stages=feature_stages(features)).fit(history)
    pm = PipelineModel(stages=[*fs.stages, estimator.fit(fs.transform(history))])
    out = open_out((tmp_path / "parent").as_uri())
    export_state(pm, export_stages(pm), history, out)
    return pm, load_parent_state(out)


def _no_history():
    raise AssertionError("this mode must not read the history")


def _input(spark, job, grown, new, mode: str, history=None) -> UpdateInput:
    frozen = frozen_stages(grown.parent)
    return UpdateInput(spark=spark, job=job, options=UpdateOptions(mode), parent=grown.parent,
                       predictor=grown.parent.stages[-1], state=grown.state,
                       new_train=frozen.transform(new).cache(),
                       history_train=(lambda: frozen.transform(history)) if history is not None else _no_history)


def _close(got, want, rel: float) -> None:
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=rel, atol=rel * max(1.0, float(np.abs(want).max(initial=0.0))))


def _column(pm: PipelineModel, frame, name: str) -> np.ndarray:
    return np.array([np.atleast_1d(r[0].toArray() if hasattr(r[0], "toArray") else r[0])
                     for r in pm.transform(frame).select(name).collect()])


def _indexer(pm: PipelineModel) -> StringIndexerModel:
    return next(s for s in pm.stages if isinstance(s, StringIndexerModel))


@pytest.mark.parametrize("invalid, reg_param", [("keep", 0.1), ("error", 0.0)])
def test_exact_linear_regression_with_new_levels_equals_the_fit_with_the_child_indexer(
        spark, data, tmp_path, invalid, reg_param) -> None:
    features = _features(invalid)
    lr = LinearRegression(labelCol="y", regParam=reg_param, weightCol="w", solver="normal")
    new = data["N"].where("cat is not null") if invalid == "error" else data["N"]
    union = data["H"].unionByName(new)
    pm, state = _parent(spark, features, lr, data["H"], tmp_path)
    parent_labels = _indexer(pm).labels
    grown = grow(spark, pm, state, new, "exact")
    labels = _indexer(grown.parent).labels

    # Labels: the parent's never re-sorted; d (more rows) before e; with error + dropLast before the baseline.
    if invalid == "keep":
        assert labels == [*parent_labels, "d", "e"]
    else:
        assert labels == [*parent_labels[:-1], "d", "e", parent_labels[-1]]
    facts = grown.facts
    assert [a["levels"] for a in facts["appendedLevels"]] == [["d", "e"]]
    assert facts["features"]["child"] == facts["features"]["parent"] + 2

    result = exact(_input(spark, _job("linear_regression", features), grown, new, "exact"))
    child = child_pipeline(grown.parent, result.predictor)
    assert result.facts["newRows"] == new.count()

    # The reference: Spark's own fit on history ∪ new through the CHILD's feature stages.
    fs = frozen_stages(grown.parent)
    reference = lr.copy().fit(fs.transform(union))
    got = np.append(result.predictor.coefficients.toArray(), result.predictor.intercept)
    _close(got, np.append(reference.coefficients.toArray(), reference.intercept), COEF_REL)
    probe = data["probe"] if invalid == "keep" else data["probe_known"]
    _close(_column(child, probe, "prediction"),
           _column(PipelineModel(stages=[*fs.stages, reference]), probe, "prediction"), PREDICTION_REL)

    # v1 inputs of old levels mean the same: the parent's vector at the old positions, zeros in the new columns.
    old = data["H"].limit(50)
    v1, v2 = _column(frozen_stages(pm), old, FEATURES_COL), _column(fs, old, FEATURES_COL)
    inserted = facts["features"]["inserted"]
    kept = [j for j in range(v2.shape[1]) if j not in inserted]
    assert facts["features"]["parent"] == v1.shape[1] and (v2[:, kept] == v1).all() and not v2[:, inserted].any()
    # ... and the new columns sit at the end of the category's one-hot block.
    encoder = next(s for s in grown.parent.stages if isinstance(s, OneHotEncoderModel))
    assert list(encoder.categorySizes) == [len(labels) + (1 if invalid == "keep" else 0)]
    assert inserted == [v2.shape[1] - 2, v2.shape[1] - 1]

    # The padded state is the state of the history in the child's space; the child's state is the union's.
    totals = grown.state.read("moments_totals").to_pylist()[0]
    assert totals["rows"] == 600
    merged = result.state_tables["moments"]
    assert merged.num_rows == v2.shape[1]
    indexer_table = grown.state.read(next(s["file"][6:-6] for s in state.doc["stages"]
                                          if s["kind"] == "string_indexer")).to_pylist()
    assert [r["label"] for r in indexer_table] == labels
    counts = {r["label"]: r["count"] for r in indexer_table}
    assert sum(counts.values()) == union.where("cat is not null").count()
    export_stages(child)  # the child exports as a portable model


def test_retrain_appends_levels_for_index_encoding_too(spark, data, tmp_path) -> None:
    features = Features(numeric=["x0", "x1"], categorical=["cat"], encoding="index")
    lr = LinearRegression(labelCol="y", solver="normal")
    pm, state = _parent(spark, features, lr, data["H"], tmp_path)
    grown = grow(spark, pm, state, data["N"], "retrain")
    assert _indexer(grown.parent).labels == [*_indexer(pm).labels, "d", "e"]
    assert grown.facts["features"] == {"parent": 3, "child": 3, "inserted": []}
    result = retrain(_input(spark, _job("linear_regression", features), grown, data["N"], "retrain",
                            history=data["H"]))
    fs = frozen_stages(grown.parent)
    reference = lr.copy().fit(fs.transform(data["H"]).unionByName(fs.transform(data["N"])))
    _close(result.predictor.coefficients.toArray(), reference.coefficients.toArray(), 1e-12)
    # The exact mode keeps an index-encoded column frozen (its index is a number the model was fitted on).
    assert grow(spark, pm, state, data["N"], "exact").parent is pm


def test_continue_keeps_the_indexer_frozen(spark, data) -> None:
    fs = Pipeline(stages=feature_stages(_features("keep"))).fit(data["H"])
    pm = PipelineModel(stages=[*fs.stages, LinearRegression(labelCol="y").fit(fs.transform(data["H"]))])
    state = ParentState(doc={}, read=_no_history)
    grown = grow(spark, pm, state, data["N"], "continue")
    assert grown.parent is pm and grown.facts == {}


def test_streaming_kmeans_with_new_levels_equals_spark_streaming_rule_on_padded_centres(spark, data, tmp_path) -> None:
    from pyspark.mllib.clustering import StreamingKMeansModel
    from pyspark.mllib.linalg import Vectors as MLlibVectors

    features = _features("keep")
    km = KMeans(k=3, seed=5, maxIter=30)
    pm, state = _parent(spark, features, km, data["H"], tmp_path)
    grown = grow(spark, pm, state, data["N"], "streaming")
    inp = _input(spark, TrainJob(name="levels", algorithm="kmeans", label="", features=features,
                                 train_path="unused"), grown, data["N"], "streaming")
    result = streaming(inp)
    layout_size = grown.facts["features"]["child"]
    padded = np.array([np.asarray(c) for c in grown.parent.stages[-1].clusterCenters()])
    assert padded.shape == (3, layout_size) and not padded[:, grown.facts["features"]["inserted"]].any()
    masses = state.read("cluster_masses").to_pylist()
    reference = StreamingKMeansModel([MLlibVectors.dense(c) for c in padded], [m["sumW"] for m in masses])
    vectors = inp.new_train.select(FEATURES_COL).rdd.map(lambda r: MLlibVectors.dense(r[0].toArray()))
    reference.update(vectors, 1.0, "batches")
    _close(np.array([np.asarray(c) for c in result.predictor.clusterCenters()]),
           np.array([np.asarray(c) for c in reference.centers]), 1e-9)


def test_the_updated_child_exports_and_its_portable_model_scores_as_spark(spark, data, tmp_path) -> None:
    from portable_scorer import PortableModel

    features = _features("keep")
    lr = LinearRegression(labelCol="y", regParam=0.1, solver="normal")
    pm, state = _parent(spark, features, lr, data["H"], tmp_path)
    grown = grow(spark, pm, state, data["N"], "exact")
    result = exact(_input(spark, _job("linear_regression", features), grown, data["N"], "exact"))
    child = child_pipeline(grown.parent, result.predictor)
    out = tmp_path / "child"
    export_pipeline(child, data["probe"], out.as_uri(), label="y", run_id="t", df_train=data["N"],
                    state_update=(grown.state, result.state_tables))
    portable = PortableModel(out)
    table = [r for r in portable.tables[[s["kind"] for s in portable.descriptor["stages"]].index("string_indexer")]]
    assert [r["label"] for r in table] == _indexer(grown.parent).labels
    rows = data["probe"].collect()
    want = _column(child, data["probe"], "prediction")[:, 0]
    got = np.array([portable.score({k: r[k] for k in ("x0", "x1", "cat")})["prediction"] for r in rows])
    _close(got, want, PREDICTION_REL)
    child_state = load_parent_state(open_out(out.as_uri()))
    name = next(s["file"][6:-6] for s in child_state.doc["stages"] if s["kind"] == "string_indexer")
    assert [r["label"] for r in child_state.read(name).to_pylist()] == _indexer(grown.parent).labels
    entry = next(f for f in child_state.doc["files"] if f["path"] == f"state/{name}.arrow")
    assert entry["rows"] == len(_indexer(grown.parent).labels)
    assert child_state.read("moments").num_rows == grown.facts["features"]["child"]


def _binary(frame):
    from pyspark.sql import functions as F

    return frame.withColumn("label", (F.col("y") > 1.5).cast("double"))


def test_exact_naive_bayes_with_new_levels_equals_the_fit_with_the_child_indexer(spark, data, tmp_path) -> None:
    from pyspark.ml.classification import NaiveBayes

    features = Features(numeric=[], categorical=["cat"])  # one-hot counts only: multinomial NB needs x >= 0
    nb = NaiveBayes(labelCol="label", modelType="multinomial", smoothing=0.5, weightCol="w")
    history, new = _binary(data["H"]), _binary(data["N"])
    pm, state = _parent(spark, features, nb, history, tmp_path)
    grown = grow(spark, pm, state, new, "exact")
    result = exact(_input(spark, _job("naive_bayes", features, "label"), grown, new, "exact"))
    fs = frozen_stages(grown.parent)
    reference = nb.copy().fit(fs.transform(history.unionByName(new)))
    _close(result.predictor.theta.toArray(), reference.theta.toArray(), COEF_REL)
    _close(result.predictor.pi.toArray(), reference.pi.toArray(), COEF_REL)
    assert result.state_tables["class_sums"].to_pylist()[0]["sumWX"].__len__() == grown.facts["features"]["child"]


def test_laplace_and_warm_start_from_the_parent_padded_with_zero_coefficients(spark, data, tmp_path) -> None:
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.evaluation import BinaryClassificationEvaluator

    from mlship_runtime.update.laplace import laplace
    from mlship_runtime.update.warm import warm

    features = _features("keep")
    lr = LogisticRegression(labelCol="label", regParam=0.01, tol=1e-12, maxIter=200)
    history, new, probe = _binary(data["H"]), _binary(data["N"]), _binary(data["probe"])
    pm, state = _parent(spark, features, lr, history, tmp_path)
    job = TrainJob(name="levels", algorithm="logistic_regression", label="label", features=features,
                   train_path="unused", params={"regParam": 0.01, "tol": 1e-12, "maxIter": 200})
    grown = grow(spark, pm, state, new, "laplace")
    inserted = grown.facts["features"]["inserted"]
    padded = grown.parent.stages[-1]
    assert not padded.coefficients.toArray()[inserted].any() and len(inserted) == 2
    # The padded parent scores every input as the parent does (a new level was the all-zero unseen block before).
    _close(_column(grown.parent, probe, "probability"), _column(pm, probe, "probability"), 1e-15)

    fs = frozen_stages(grown.parent)
    union = history.unionByName(new)
    full = lr.copy().fit(fs.transform(union))
    child = laplace(_input(spark, job, grown, new, "laplace"))
    assert child.predictor.coefficients.toArray()[inserted].all()  # the new levels got coefficients of their own
    evaluator = BinaryClassificationEvaluator(labelCol="label")
    auc_full = evaluator.evaluate(full.transform(fs.transform(probe)))
    auc_child = evaluator.evaluate(child.predictor.transform(fs.transform(probe)))
    assert abs(auc_child - auc_full) <= 0.005 * auc_full

    warm_grown = grow(spark, pm, state, new, "warm")
    warmed = warm(_input(spark, job, warm_grown, new, "warm", history=history))
    _close(warmed.predictor.coefficients.toArray(), full.coefficients.toArray(), 1e-6)
