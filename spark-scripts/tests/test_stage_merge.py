"""The exact mode merges the parent's scalers (standard, min-max, max-abs) with the new rows: history then update
equals Spark's fit of the same pipeline on history ∪ new with the scaler FITTED on history ∪ new (the other stages
frozen as the parent fitted them), the merged scaler equals Spark's own fit on the union, and the child exports and
certifies; the affine algebra is checked in numpy first."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import NaiveBayes
from pyspark.ml.feature import MaxAbsScaler, MinMaxScaler, StandardScaler
from pyspark.ml.regression import GeneralizedLinearRegression, LinearRegression

from mlship_runtime.export.stages import export_stages
from mlship_runtime.export.state import export_state
from mlship_runtime.job import Features, TrainJob, parse_job
from mlship_runtime.pipeline import feature_stages
from mlship_runtime.storage import open_out
from mlship_runtime.update import exact_bayes as B
from mlship_runtime.update import stage_merge as M
from mlship_runtime.update.exact import exact
from mlship_runtime.update.exact_linear import LinearState
from mlship_runtime.update.merged_stages import SCALERS
from mlship_runtime.update.modes import UpdateInput, UpdateOptions, UpdateResult, child_pipeline, load_parent_state

COEF_REL, PREDICTION_REL, SCALER_REL = 1e-8, 1e-9, 1e-12
HISTORY, NEW, PROBE = 600, 300, 150


def _close(got, want, rel: float) -> None:
    """Equal to `rel` relative (absolute scaled by the largest value near zero), as test_exact_update measures."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=rel, atol=rel * max(1.0, float(np.abs(want).max(initial=0.0))))


# ---- the pure core --------------------------------------------------------------------------------------------------

def _welford(x: np.ndarray) -> M.Welford:
    return M.Welford(len(x), x.mean(axis=0), ((x - x.mean(axis=0)) ** 2).sum(axis=0))


def test_chan_merge_equals_the_statistics_of_the_union() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(5.0, 2.0, (70, 3)), rng.normal(9.0, 0.5, (40, 3))
    merged = M.merge_welford(_welford(a), _welford(b))
    union = np.vstack([a, b])
    assert merged.n == 110
    _close(merged.mean, union.mean(axis=0), 1e-14)
    _close(M.spark_std(merged), union.std(axis=0, ddof=1), 1e-14)
    left = _welford(a)
    assert M.merge_welford(left, M.Welford(0, np.zeros(3), np.zeros(3))) is left
    assert M.spark_std(M.Welford(1, np.ones(2), np.zeros(2))).tolist() == [0.0, 0.0]


def _standard(x, mean, std, with_mean, with_std):
    scale = np.where(std != 0, 1 / np.where(std != 0, std, 1), 0.0) if with_std else 1.0
    return ((x - mean) if with_mean else x) * scale


def _min_max(x, lo, hi, low, high):
    span = hi - lo
    f = np.where(span != 0, (high - low) / np.where(span != 0, span, 1), 0.0)
    return np.where(f != 0, (x - lo) * f + low, (low + high) / 2)


def _max_abs(x, m):
    return x * np.where(m != 0, 1 / np.where(m != 0, m, 1), 1.0)


@pytest.mark.parametrize(("with_mean", "with_std"), [(True, True), (False, True), (True, False), (False, False)])
def test_the_standard_map_takes_the_parents_output_to_the_childs(with_mean: bool, with_std: bool) -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(3.0, 4.0, (50, 3))
    pm, ps, cm, cs = np.array([1.0, -2, 0.5]), np.array([2.0, 0.7, 3]), np.array([1.5, -1, 0.2]), np.array([2.5, 1, 2])
    m = M.standard_affine(pm, ps, cm, cs, with_mean, with_std)
    assert not m.lost.any()
    _close(m.alpha * _standard(x, pm, ps, with_mean, with_std) + m.beta, _standard(x, cm, cs, with_mean, with_std),
           1e-14)
    lost = M.standard_affine(pm, np.array([2.0, 0.0, 0.0]), cm, np.array([2.5, 1.0, 0.0]), True, True)
    assert lost.lost.tolist() == [False, True, False]  # std 0 then: only element 2, constant in both, maps


def test_the_min_max_and_max_abs_maps_take_the_parents_output_to_the_childs() -> None:
    rng = np.random.default_rng(6)
    x = rng.uniform(-2.0, 6.0, (50, 3))
    lo_p, hi_p, lo_c, hi_c = np.array([-1.0, 0, 2]), np.array([4.0, 5, 2]), np.array([-2.0, 0, 2]), np.array([6.0, 5, 2])
    m = M.min_max_affine(lo_p, hi_p, lo_c, hi_c, -1.0, 3.0)
    assert not m.lost.any()
    _close(m.alpha * _min_max(x, lo_p, hi_p, -1.0, 3.0) + m.beta, _min_max(x, lo_c, hi_c, -1.0, 3.0), 1e-14)
    assert M.min_max_affine(lo_p, np.array([4.0, 5, 2]), lo_c, np.array([6.0, 5, 3]), 0, 1).lost.tolist() == [
        False, False, True]
    a = M.max_abs_affine(np.array([2.0, 0.0, 4.0]), np.array([3.0, 1.0, 4.0]))
    _close(a.alpha * _max_abs(x, np.array([2.0, 0.0, 4.0])) + a.beta, _max_abs(x, np.array([3.0, 1.0, 4.0])), 1e-15)


def test_moments_and_class_sums_follow_the_map_exactly() -> None:
    rng = np.random.default_rng(7)
    x, y, w = rng.normal(2.0, 3.0, (80, 4)), rng.normal(0.0, 1.0, 80), rng.uniform(0.2, 3.0, 80)
    alpha, beta = np.array([0.5, 1.0, 2.0, -1.0]), np.array([0.3, 0.0, -1.0, 4.0])

    def moments(v):
        vw = v * w[:, None]
        return LinearState(80, w.sum(), w @ y, w @ (y * y), vw.sum(axis=0), vw.T @ y, vw.T @ v)

    got, want = M.moments_affine(moments(x), alpha, beta), moments(x * alpha + beta)
    for field in ("sum_wx", "sum_wxy", "sum_wxx"):
        _close(getattr(got, field), getattr(want, field), 1e-13)
    assert (got.sum_w, got.sum_wy, got.sum_wy2) == (want.sum_w, want.sum_wy, want.sum_wy2)
    sums = {0: B.ClassTotals(80, w.sum(), (x * w[:, None]).sum(axis=0), (x * x * w[:, None]).sum(axis=0))}
    v = x * alpha + beta
    moved = M.class_sums_affine(sums, alpha, beta)[0]
    _close(moved.sum_wx, (v * w[:, None]).sum(axis=0), 1e-13)
    _close(moved.sum_wx2, (v * v * w[:, None]).sum(axis=0), 1e-13)
    alpha2, beta2 = np.array([2.0, 1, 1, 3]), np.array([1.0, 0, 5, 0])
    both = M.compose((alpha, beta), (alpha2, beta2))
    _close(both[0] * x + both[1], (x * alpha + beta) * alpha2 + beta2, 1e-14)


# ---- against Spark --------------------------------------------------------------------------------------------------

SCHEMA = "x0 double, x1 double, x2 double, cat string, c0 double, c1 double, y double, label double, w double"


def _rows(rng: np.random.Generator, n: int, regime: int) -> list[tuple]:
    """Regime 0 (history) or 1, 2 (new): the scaled features' location and spread drift (x0 by +1.5 and ×2)."""
    cat = rng.choice(np.array(["a", "b", "c"]), n, p=[[0.5, 0.3, 0.2], [0.3, 0.3, 0.4], [0.2, 0.4, 0.4]][regime])
    effect = np.select([cat == "a", cat == "b"], [0.0, 1.5], -2.0)
    x = rng.normal([2.0 + 1.5 * regime, -5.0, 40.0 - 4 * regime], [1.0 + regime, 3.0, 8.0 + regime], size=(n, 3))
    y = 3.0 + (1.2 + 0.3 * regime) * x[:, 0] - 0.7 * x[:, 1] + 0.25 * x[:, 2] + effect + rng.normal(0, 0.8, n)
    x[rng.random(n) < 0.05, 1] = np.nan  # the frozen Imputer fills them with the history's mean
    label = np.digitize(x[:, 0] + 0.5 * effect + rng.normal(0, 1.0, n) - regime, [1.2, 3.0]).astype(float)
    counts = rng.poisson(np.stack([1.0 + label + regime, 3.0 - label], axis=1)).astype(float)
    w = rng.uniform(0.2, 3.0, n)
    return [(float(a), None if np.isnan(b) else float(b), float(c), str(k), float(c0), float(c1), float(t),
             float(lab), float(v)) for (a, b, c), k, (c0, c1), t, lab, v in zip(x, cat, counts, y, label, w)]


@pytest.fixture(scope="module")
def data(spark):
    rng = np.random.default_rng(41)
    h, n1, n2 = _rows(rng, HISTORY, 0), _rows(rng, NEW, 1), _rows(rng, NEW, 2)
    probe = _rows(rng, PROBE // 3, 0) + _rows(rng, PROBE // 3, 1) + _rows(rng, PROBE // 3, 2)

    def frame(rows):
        return spark.createDataFrame(rows, SCHEMA).repartition(2).cache()

    return {"rows": {"H": h, "N1": n1, "N2": n2}, "H": frame(h), "N1": frame(n1), "H+N1": frame(h + n1),
            "probe": frame(probe)}


def _features(scale: str, numeric=("x0", "x1", "x2"), **extra) -> Features:
    return Features(numeric=list(numeric), categorical=["cat"], scale=scale, indexer_invalid="error", **extra)


def _estimator_of(stage):
    """A fresh scaler estimator with a fitted scaler's parameters (the reference refits it on the union)."""
    cls = {"standard_scaler": StandardScaler, "min_max_scaler": MinMaxScaler, "max_abs_scaler": MaxAbsScaler}[
        SCALERS[type(stage)]]
    est = cls()
    for param, value in stage.extractParamMap().items():
        if est.hasParam(param.name):
            est._set(**{param.name: value})
    return est


def _scaler_index(pm: PipelineModel) -> int:
    return next(i for i, s in enumerate(pm.stages) if type(s) in SCALERS)


def _reference(parent: PipelineModel, estimator, union) -> PipelineModel:
    """Spark's own fit on the union: the parent's stages frozen, but the scaler fitted on the union's rows."""
    stages = list(parent.stages[:-1])
    i = _scaler_index(parent)
    stages[i] = _estimator_of(stages[i]).fit(PipelineModel(stages=stages[:i]).transform(union))
    fs = PipelineModel(stages=stages)
    return PipelineModel(stages=[*stages, estimator.copy().fit(fs.transform(union))])


def _parent(features: Features, estimator, history, tmp_path: Path):
    fs = Pipeline(stages=feature_stages(features)).fit(history)
    pm = PipelineModel(stages=[*fs.stages, estimator.fit(fs.transform(history))])
    out = open_out((tmp_path / "parent").as_uri())
    export_state(pm, export_stages(pm), history, out)
    return pm, load_parent_state(out)


def _update(spark, features: Features, pm, state, new, algorithm: str) -> UpdateResult:
    new_train = PipelineModel(stages=pm.stages[:-1]).transform(new).cache()
    job = TrainJob(name="merge", algorithm=algorithm, label="y", features=features, train_path="unused")
    return exact(UpdateInput(spark=spark, job=job, options=UpdateOptions("exact", merge_stages=True), parent=pm,
                             predictor=pm.stages[-1], state=state, new_train=new_train,
                             history_train=lambda: pytest.fail("the exact mode must not read the history")))


def _scaler_values(stage) -> np.ndarray:
    kind = SCALERS[type(stage)]
    if kind == "standard_scaler":
        return np.concatenate([stage.mean.toArray(), stage.std.toArray()])
    if kind == "min_max_scaler":
        return np.concatenate([stage.originalMin.toArray(), stage.originalMax.toArray()])
    return stage.maxAbs.toArray()


def _outputs(pm: PipelineModel, probe, columns: list[str]) -> np.ndarray:
    rows = pm.transform(probe).select(*columns).collect()
    return np.array([np.concatenate([np.atleast_1d(r[c].toArray() if hasattr(r[c], "toArray") else r[c])
                                     for c in columns]) for r in rows])


def _check(child: PipelineModel, reference: PipelineModel, probe, columns: list[str]) -> None:
    i = _scaler_index(reference)
    assert type(child.stages[i]) is type(reference.stages[i])
    _close(_scaler_values(child.stages[i]), _scaler_values(reference.stages[i]), SCALER_REL)
    got, want = child.stages[-1], reference.stages[-1]
    if hasattr(want, "coefficients"):
        _close(np.append(got.coefficients.toArray(), got.intercept),
               np.append(want.coefficients.toArray(), want.intercept), COEF_REL)
    else:
        for name in ("pi", "theta", "sigma"):
            _close(getattr(got, name).toArray(), getattr(want, name).toArray(), COEF_REL)
    _close(_outputs(child, probe, columns), _outputs(reference, probe, columns), PREDICTION_REL)


LINEAR_CASES = {
    "standard": (_features("standard"), dict(regParam=0.1, standardization=False)),
    "standard-regParam0": (_features("standard"), dict(regParam=0.0, standardization=True)),
    "standard-no-mean": (_features("standard", with_mean=False), dict(regParam=0.1, standardization=False)),
    "minmax": (_features("minmax", scale_min=-1.0, scale_max=2.0), dict(regParam=0.1, standardization=False)),
    "maxabs": (_features("maxabs"), dict(regParam=0.1, standardization=False)),
}


@pytest.mark.parametrize("case", list(LINEAR_CASES))
def test_linear_regression_equals_the_fit_with_the_scaler_fitted_on_the_union(spark, data, tmp_path, case) -> None:
    features, params = LINEAR_CASES[case]
    lr = LinearRegression(labelCol="y", weightCol="w", solver="normal", **params)
    pm, state = _parent(features, lr, data["H"], tmp_path)
    result = _update(spark, features, pm, state, data["N1"], "linear_regression")
    child = child_pipeline(pm, result.predictor, result.stages)
    _check(child, _reference(pm, lr, data["H+N1"]), data["probe"], ["prediction"])
    i = _scaler_index(pm)
    merged = result.facts["stagesMerged"]
    assert merged == [{"index": i, "kind": SCALERS[type(pm.stages[i])], "historyRows": HISTORY, "newRows": NEW}]
    assert {f["kind"] for f in result.facts["stagesFrozen"]} == {"imputer", "string_indexer", "one_hot_encoder"}
    name = f"stage_{i}_{merged[0]['kind']}"
    assert result.state_tables[name].schema == state.read(name).schema
    assert result.state_tables[name]["n"].to_pylist()[0] == HISTORY + NEW
    export_stages(child)


def test_glm_gaussian_and_naive_bayes_take_the_merged_scalers_too(spark, data, tmp_path) -> None:
    features = _features("standard")
    glm = GeneralizedLinearRegression(labelCol="y", regParam=0.1, weightCol="w")
    pm, state = _parent(features, glm, data["H"], tmp_path / "glm")
    result = _update(spark, features, pm, state, data["N1"], "generalized_linear_regression")
    _check(child_pipeline(pm, result.predictor, result.stages), _reference(pm, glm, data["H+N1"]), data["probe"],
           ["prediction"])

    features = _features("minmax")
    nb = NaiveBayes(labelCol="label", modelType="gaussian", weightCol="w", smoothing=0.7)
    pm, state = _parent(features, nb, data["H"], tmp_path / "gaussian")
    result = _update(spark, features, pm, state, data["N1"], "naive_bayes")
    _check(child_pipeline(pm, result.predictor, result.stages), _reference(pm, nb, data["H+N1"]), data["probe"],
           ["rawPrediction", "probability", "prediction"])

    features = _features("maxabs", numeric=("c0", "c1"))  # counts: max-abs keeps them non-negative
    nb = NaiveBayes(labelCol="label", modelType="multinomial", smoothing=0.7)
    pm, state = _parent(features, nb, data["H"], tmp_path / "multinomial")
    result = _update(spark, features, pm, state, data["N1"], "naive_bayes")
    assert [m["kind"] for m in result.facts["stagesMerged"]] == ["max_abs_scaler"]
    _check(child_pipeline(pm, result.predictor, result.stages), _reference(pm, nb, data["H+N1"]), data["probe"],
           ["rawPrediction", "probability", "prediction"])


def test_a_scaler_behind_a_normalizer_stays_frozen(spark, data, tmp_path) -> None:
    features = _features("standard", normalize=2.0)
    lr = LinearRegression(labelCol="y", regParam=0.1, solver="normal")
    pm, state = _parent(features, lr, data["H"], tmp_path)
    result = _update(spark, features, pm, state, data["N1"], "linear_regression")
    assert result.stages is None and result.facts["stagesMerged"] == []
    assert any("Normalizer" in f["reason"] for f in result.facts["stagesFrozen"] if f["kind"] == "standard_scaler")


# ---- the whole update run: train, two chained updates, export, certify -----------------------------------------------

def _write(spark, rows, path: Path) -> str:
    spark.createDataFrame(rows, SCHEMA).coalesce(1).write.parquet(str(path))
    return sorted(str(p) for p in path.glob("*.parquet"))[0]


def test_two_chained_update_runs_equal_train_with_the_scaler_on_all_rows(spark, data, tmp_path) -> None:
    """run_training on H, run_update with N1, then with N2 from the child: each child's model folder certifies (the
    portable scorer equals Spark on its parity sample), records the merge in update.json, and the second equals
    Spark's fit on the training split of H ∪ N1 ∪ N2 with the scaler fitted on it."""
    from mlship_runtime.prepare import prepare
    from mlship_runtime.split import split
    from mlship_runtime.train import run_training
    from mlship_runtime.update.run import Rows, UpdateRequest, run_update
    from portable_scorer import max_parity_difference

    src = tmp_path / "data"
    files = {k: _write(spark, data["rows"][k], src / k) for k in ("H", "N1", "N2")}
    job = parse_job(json.dumps({"name": "merge", "model": {
        "algorithm": "linear_regression", "label": "y",
        "params": {"regParam": 0.1, "standardization": False, "solver": "normal"},
        "features": {"numeric": ["x0", "x1", "x2"], "categorical": ["cat"], "scale": "standard",
                     "indexer": {"handleInvalid": "error"}}},
        "data": {"train": str(src / "H"), "format": "parquet"}, "parity": {"rows": 200}}))
    quiet = lambda *_: None  # noqa: E731
    runs = {}
    run_training(spark, job, (tmp_path / "v1" / "model").as_uri(), "v1", log=quiet)
    runs["v1"] = tmp_path / "v1" / "model"
    for parent, child, new in (("v1", "v2", "N1"), ("v2", "v3", "N2")):
        req = UpdateRequest(parent_ref=f"m@{parent}", parent_uri=runs[parent].as_uri(), new=Rows(files=[files[new]]),
                            history=Rows(files=[files["H"]]), options=UpdateOptions("exact", merge_stages=True))
        run_update(spark, job, req, (tmp_path / child / "model").as_uri(), child, log=quiet)
        runs[child] = tmp_path / child / "model"
        worst = max_parity_difference(runs[child])
        assert worst["prediction"] <= 1e-9
        facts = json.loads((runs[child] / "update.json").read_text())["facts"]
        assert [m["kind"] for m in facts["stagesMerged"]] == ["standard_scaler"]
        assert "imputer" in {f["kind"] for f in facts["stagesFrozen"]}
    v1, v3 = PipelineModel.load(str(runs["v1"] / "spark")), PipelineModel.load(str(runs["v3"] / "spark"))
    union = spark.read.parquet(*files.values())
    prepared = prepare(union, job)
    train, _ = split(prepared.frame, job.validation_fraction, job.validation_seed, label=prepared.label)
    reference = _reference(v1, LinearRegression(labelCol=prepared.label, regParam=0.1, standardization=False,
                                                solver="normal"), train)
    _check(v3, reference, data["probe"], ["prediction"])
    state = json.loads((runs["v3"] / "state" / "state.json").read_text())
    i = _scaler_index(v1)
    scaler_file = next(s["file"] for s in state["stages"] if s["index"] == i)
    assert sum(1 for f in state["files"] if f["path"] == scaler_file) == 1
