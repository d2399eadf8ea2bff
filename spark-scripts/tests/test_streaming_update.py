"""The `streaming` update (k-means): the child's centres and masses equal what Spark's own
pyspark.mllib StreamingKMeansModel.update computes from the parent's centres and exported masses on the new rows
(transformed by the parent's frozen stages), for decay 1, 0.5 and 0 (a dying cluster split), weighted and chained."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pyarrow as pa
import pytest
from pyspark.ml import PipelineModel
from pyspark.ml.clustering import KMeans
from pyspark.mllib.clustering import StreamingKMeansModel
from pyspark.mllib.linalg import Vectors as MLlibVectors

from mlship_runtime.errors import MlshipError
from mlship_runtime.export.stages import export_stages
from mlship_runtime.export.state import export_state
from mlship_runtime.job import parse_job
from mlship_runtime.pipeline import build_pipeline
from mlship_runtime.storage import open_out
from mlship_runtime.train import fit_pipeline
from mlship_runtime.update.modes import (MODES, ParentState, UpdateInput, UpdateOptions, child_pipeline,
                                         frozen_stages, load_parent_state)
from mlship_runtime.update.streaming import streaming
from mlship_runtime.update.streaming_rule import ClusterSums, streaming_rule

TOL = 1e-9  # the acceptance line: centres equal Spark's rule to 1e-9 (relative to the centres' scale)
K = 4
BLOBS = np.array([[0.0, 0.0, 0.0], [6.0, 6.0, 0.0], [0.0, 6.0, 6.0], [6.0, 0.0, 6.0]])
DRIFT = np.array([0.9, -0.6, 0.4])  # the new data's blobs sit here relative to the history's
JOB = {"name": "blobs", "model": {"algorithm": "kmeans", "params": {"k": K, "seed": 7},
                                  "features": {"numeric": ["x0", "x1", "x2"], "categorical": ["tier"],
                                               "scale": "standard"}},
       "data": {"train": "file:///unused"}}
SCHEMA = "x0 double, x1 double, x2 double, tier string, w_int double, w_frac double"


def _rows(seed: int, n: int, shift: np.ndarray, blobs: list[int]) -> list[tuple]:
    """Deterministic blob rows (three numbers, a tier tied to the blob, an integer and a fractional weight)."""
    rng = np.random.default_rng(seed)
    which = rng.choice(blobs, size=n)
    x = BLOBS[which] + shift + rng.normal(0.0, 0.9, size=(n, 3))
    tiers = np.array(["gold", "silver", "bronze", "iron"])[np.where(rng.random(n) < 0.8, which, rng.integers(0, K, n))]
    w_int = rng.integers(1, 4, n).astype(float)
    w_frac = rng.uniform(0.2, 2.5, n)
    return [(float(a), float(b), float(c), str(t), float(wi), float(wf))
            for (a, b, c), t, wi, wf in zip(x, tiers, w_int, w_frac)]


@pytest.fixture(scope="module")
def data(spark):
    """History H (1200 rows), new N (600 rows, drifted, split in N1 and N2 for chaining) and N_few (new rows near
    two of the four blobs only)."""
    def frame(rows):
        return spark.createDataFrame(rows, SCHEMA).repartition(2).cache()

    new = _rows(2, 600, DRIFT, list(range(K)))
    return {"H": frame(_rows(1, 1200, np.zeros(3), list(range(K)))), "N": frame(new), "N1": frame(new[:300]),
            "N2": frame(new[300:]), "N_few": frame(_rows(3, 200, DRIFT, [0, 1]))}


@pytest.fixture(scope="module")
def parents(spark, data, tmp_path_factory):
    """The parent per weight column: the mlship pipeline fitted on H as `train` does, its training state exported
    and read back as an update reads it."""
    job = parse_job(json.dumps(JOB))

    @cache
    def parent(weight: str | None, distance: str = "euclidean") -> tuple[PipelineModel, ParentState, dict]:
        if weight is None and distance == "euclidean":
            pm = fit_pipeline(job, data["H"])
        else:
            kmeans = KMeans(featuresCol="features", k=K, seed=7, distanceMeasure=distance)
            if weight:
                kmeans.setWeightCol(weight)
            pm = build_pipeline(job.features, kmeans).fit(data["H"])
        out = open_out(tmp_path_factory.mktemp(f"parent-{weight}-{distance}").as_uri())
        doc = export_state(pm, export_stages(pm), data["H"], out)
        state = load_parent_state(out) if doc["files"] else ParentState(doc=doc, read=lambda name: None)
        return pm, state, doc

    return parent, job


def _input(spark, job, pm: PipelineModel, state: ParentState, new, decay: float) -> UpdateInput:
    """UpdateInput as run_update builds it: the new rows through the parent's frozen stages; the history is never
    read (streaming costs O(new rows))."""
    def no_history():
        raise AssertionError("streaming must not read the history")

    return UpdateInput(spark=spark, job=job, options=UpdateOptions(mode="streaming", decay=decay), parent=pm,
                       predictor=pm.stages[-1], state=state, new_train=frozen_stages(pm).transform(new).cache(),
                       history_train=no_history)


def _vectors(pm: PipelineModel, frame, weight: str | None = None):
    """The new rows' feature vectors as pyspark.mllib vectors (each repeated `weight` times, an integer weight)."""
    rows = frozen_stages(pm).transform(frame).select("features", weight or "x0").rdd
    if weight is None:
        return rows.map(lambda r: MLlibVectors.fromML(r[0]))
    # Distinct copies: repeating one object would pickle as one Java array, and Spark's update sums in place.
    return rows.flatMap(lambda r: [MLlibVectors.dense(r[0].toArray().tolist()) for _ in range(int(r[1]))])


def _reference(pm: PipelineModel, state: ParentState) -> StreamingKMeansModel:
    """Spark's own streaming model at the parent: its centres, and the masses its training state exported."""
    masses = state.read("cluster_masses").sort_by("cluster")["sumW"].to_pylist()
    return StreamingKMeansModel([np.asarray(c) for c in pm.stages[-1].clusterCenters()], masses)


def _centres(model) -> np.ndarray:
    """A k-means model's centres as a k x d array (ml or mllib)."""
    centres = model.clusterCenters() if callable(getattr(model, "clusterCenters", None)) else model.centers
    return np.array([np.asarray(c, dtype=np.float64) for c in centres])


def _close(got, want) -> float:
    """Equal to TOL relative to the largest value; returns the largest difference seen."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    diff = float(np.abs(got - want).max(initial=0.0))
    assert diff <= TOL * max(1.0, float(np.abs(want).max(initial=0.0))), diff
    return diff


def _masses(result) -> np.ndarray:
    return np.asarray(result.state_tables["cluster_masses"].sort_by("cluster")["sumW"].to_pylist())


def test_streaming_is_registered() -> None:
    assert MODES["streaming"] is streaming


@pytest.mark.parametrize("decay", [1.0, 0.5])
def test_centres_equal_spark_streaming_kmeans_update(spark, data, parents, decay) -> None:
    parent, job = parents
    pm, state, doc = parent(None)
    assert "streaming" in doc["updateModes"]
    result = streaming(_input(spark, job, pm, state, data["N"], decay))
    want = _reference(pm, state).update(_vectors(pm, data["N"]), decay, "batches")
    _close(_centres(result.predictor), want.centers)
    _close(_masses(result), want.clusterWeights)
    assert result.facts["newRows"] == 600 and result.facts["split"] is None
    assert not np.allclose(_centres(result.predictor), _centres(pm.stages[-1]))  # the drift moved the centres


@pytest.mark.parametrize("decay", [1.0, 0.5])
def test_integer_weights_equal_spark_on_repeated_rows(spark, data, parents, decay) -> None:
    """mllib's update takes unweighted vectors: a row of integer weight w counts as the row repeated w times."""
    parent, job = parents
    pm, state, _ = parent("w_int")
    result = streaming(_input(spark, job, pm, state, data["N"], decay))
    want = _reference(pm, state).update(_vectors(pm, data["N"], "w_int"), decay, "batches")
    _close(_centres(result.predictor), want.centers)
    _close(_masses(result), want.clusterWeights)


@pytest.mark.parametrize("decay", [1.0, 0.5])
def test_fractional_weights_equal_the_rule_computed_independently(spark, data, parents, decay) -> None:
    """c ← (c·n·a + Σwx)/(n·a + Σw), n ← n·a + Σw, from the new rows collected and assigned by nearest centre."""
    parent, job = parents
    pm, state, _ = parent("w_frac")
    result = streaming(_input(spark, job, pm, state, data["N"], decay))
    rows = frozen_stages(pm).transform(data["N"]).select("features", "w_frac").collect()
    x = np.array([r[0].toArray() for r in rows])
    w = np.array([r[1] for r in rows])
    c = _centres(pm.stages[-1])
    n = np.asarray(state.read("cluster_masses").sort_by("cluster")["sumW"].to_pylist()) * decay
    nearest = np.argmin(((x[:, None, :] - c[None, :, :]) ** 2).sum(axis=2), axis=1)
    m = np.bincount(nearest, weights=w, minlength=K)
    s = np.vstack([(x[nearest == j] * w[nearest == j, None]).sum(axis=0) for j in range(K)])
    _close(_centres(result.predictor), (c * n[:, None] + s) / (n + m)[:, None])
    _close(_masses(result), n + m)


def test_two_chained_updates_equal_two_spark_updates(spark, data, parents) -> None:
    parent, job = parents
    pm, state, _ = parent(None)
    first = streaming(_input(spark, job, pm, state, data["N1"], 0.5))
    child = child_pipeline(pm, first.predictor)
    tables = first.state_tables
    child_state = ParentState(doc={"files": [{"path": "state/cluster_masses.arrow"}]}, read=lambda name: tables[name])
    second = streaming(_input(spark, job, child, child_state, data["N2"], 0.5))
    want = _reference(pm, state).update(_vectors(pm, data["N1"]), 0.5, "batches")
    want = want.update(_vectors(pm, data["N2"]), 0.5, "batches")
    _close(_centres(second.predictor), want.centers)
    _close(_masses(second), want.clusterWeights)
    rows = second.state_tables["cluster_masses"]["rows"].to_pylist()
    history_rows = state.read("cluster_masses")["rows"].to_pylist()
    assert sum(rows) == sum(history_rows) + 600


def test_a_dying_cluster_is_split_as_spark_does(spark, data, parents) -> None:
    """decay 0 forgets the history: the two clusters the new rows miss weigh 0, and Spark splits the largest."""
    parent, job = parents
    pm, state, _ = parent(None)
    result = streaming(_input(spark, job, pm, state, data["N_few"], 0.0))
    want = _reference(pm, state).update(_vectors(pm, data["N_few"]), 0.0, "batches")
    assert result.facts["split"] is not None
    _close(_centres(result.predictor), want.centers)
    _close(_masses(result), want.clusterWeights)


def test_the_child_predicts_as_the_reference_and_survives_save_and_export(spark, data, parents, tmp_path) -> None:
    parent, job = parents
    pm, state, _ = parent(None)
    result = streaming(_input(spark, job, pm, state, data["N"], 0.5))
    child = child_pipeline(pm, result.predictor)
    child.write().save(str(tmp_path / "child"))
    loaded = PipelineModel.load(str(tmp_path / "child"))
    want = _reference(pm, state).update(_vectors(pm, data["N"]), 0.5, "batches")
    everything = data["H"].unionByName(data["N"])
    rows = loaded.transform(everything).select("features", "prediction").collect()
    assert [int(r[1]) for r in rows] == [want.predict(MLlibVectors.fromML(r[0])) for r in rows]
    model = result.predictor
    assert (model.getFeaturesCol(), model.getPredictionCol(), model.getK()) == ("features", "prediction", K)
    assert export_stages(loaded)[-1].kind == "kmeans"


def test_rule_matches_the_documented_formula_without_spark() -> None:
    """The numpy rule on made-up numbers: a cluster without new rows keeps its centre and is only discounted."""
    c = np.array([[0.0, 0.0], [10.0, 10.0], [5.0, -5.0]])
    new = ClusterSums(rows=np.array([2, 0, 1]), sum_w=np.array([3.0, 0.0, 1.0]),
                      sum_wx=np.array([[3.0, 6.0], [0.0, 0.0], [7.0, -7.0]]))
    step = streaming_rule(c, np.array([3.0, 4.0, 1.0]), new, 0.5)
    np.testing.assert_allclose(step.masses, [4.5, 2.0, 1.5])
    np.testing.assert_allclose(step.centres, [[2 / 3, 4 / 3], [10.0, 10.0], [(2.5 + 7) / 1.5, (-2.5 - 7) / 1.5]])
    assert step.split is None


def test_a_cosine_parent_is_refused_and_not_listed_as_streaming(spark, data, parents) -> None:
    parent, job = parents
    pm, state, doc = parent(None, "cosine")
    assert doc["updateModes"] == ["retrain"] and any("cosine" in s for s in doc["skipped"])
    with pytest.raises(MlshipError) as err:
        streaming(_input(spark, job, pm, state, data["N1"], 1.0))
    assert err.value.code == "update" and "euclidean" in str(err.value) and err.value.error_code == "E_UPDATE"


@pytest.mark.parametrize("decay", [-0.1, 1.5, float("nan")])
def test_a_decay_outside_0_to_1_is_refused(spark, data, parents, decay) -> None:
    parent, job = parents
    pm, state, _ = parent(None)
    with pytest.raises(MlshipError, match="update.decay"):
        streaming(_input(spark, job, pm, state, data["N1"], decay))


def test_a_state_of_another_k_is_refused(spark, data, parents) -> None:
    parent, job = parents
    pm, _, _ = parent(None)
    table = pa.table({"cluster": pa.array([0, 1], pa.int32()), "rows": pa.array([1, 1], pa.int64()),
                      "sumW": pa.array([1.0, 1.0])})
    state = ParentState(doc={"files": [{"path": "state/cluster_masses.arrow"}]}, read=lambda name: table)
    with pytest.raises(MlshipError, match="4 centres"):
        streaming(_input(spark, job, pm, state, data["N1"], 1.0))
