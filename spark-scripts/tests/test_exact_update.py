"""The `exact` update mode: a parent fitted on history H, updated with new data N through its training state only,
equals Spark's own fit on frozen_stages(parent).transform(H ∪ N) (coefficients, pi/theta/sigma and predictions), also
after two chained updates; parents it cannot update exactly are refused with code "update"."""

from __future__ import annotations

import numpy as np
import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import LogisticRegression, NaiveBayes
from pyspark.ml.regression import GeneralizedLinearRegression, LinearRegression

from mlship_runtime.errors import MlshipError
from mlship_runtime.export.stages import export_stages
from mlship_runtime.export.state import class_sums_table, export_state, moments_tables
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.pipeline import feature_stages
from mlship_runtime.storage import open_out
from mlship_runtime.update import exact_bayes as B
from mlship_runtime.update import exact_linear as L
from mlship_runtime.update.exact import exact
from mlship_runtime.update.modes import (ParentState, UpdateInput, UpdateOptions, UpdateResult, child_pipeline,
                                         frozen_stages, load_parent_state)

COEF_REL = 1e-8  # the acceptance line: coefficients / pi / theta / sigma
PREDICTION_REL = 1e-9  # and predictions
HISTORY, NEW1, NEW2, PROBE = 1200, 500, 400, 300

# Three feature pipelines as mlship builds them (pipeline.feature_stages), each with a categorical feature:
# a standard scaler for the regressions and gaussian NB; scaled without centring (non-negative) for multinomial and
# complement NB; 0/1 flags and the one-hot category for bernoulli NB.
# The regressions' categorical is indexed with handleInvalid "error": with mlship's default "keep", the one-hot
# slots (an unseen level's slot dropped) sum to 1 beside the intercept, so regParam 0 is singular and refused
# (test_a_singular_design_is_refused).
FEATURES = {
    "scaled": Features(numeric=["x0", "x1", "x2"], categorical=["cat"], scale="standard", indexer_invalid="error"),
    "scaled_keep": Features(numeric=["x0", "x1", "x2"], categorical=["cat"], scale="standard"),
    "counts": Features(numeric=["c0", "c1", "c2"], categorical=["cat"], scale="standard", with_mean=False),
    "flags": Features(numeric=["b0", "b1", "b2"], categorical=["cat"]),
}
NB_FEATURES = {"gaussian": "scaled", "multinomial": "counts", "complement": "counts", "bernoulli": "flags"}


def _close(got, want, rel: float) -> None:
    """Equal to `rel` relative (absolute, scaled by the largest value, near zero), as test_exact_linear measures."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=rel, atol=rel * max(1.0, float(np.abs(want).max(initial=0.0))))


def _rows(rng: np.random.Generator, n: int, regime: int) -> list[tuple]:
    """n rows of regime 0 (history) or 1, 2 (new data): the feature means, the category mix, the coefficients and
    the class priors drift from one regime to the next."""
    shift = 0.6 * regime
    cat = rng.choice(np.array(["a", "b", "c", "d"]), n, p=[[0.4, 0.3, 0.2, 0.1], [0.2, 0.3, 0.2, 0.3],
                                                          [0.1, 0.2, 0.4, 0.3]][regime])
    effect = np.select([cat == "a", cat == "b", cat == "c"], [0.0, 1.5, -2.0], 3.0)
    x = rng.normal([2.0 + shift, -5.0, 40.0 - 5 * shift], [1.0, 3.0 + shift, 8.0], size=(n, 3))
    y = 3.0 + (1.2 + 0.3 * regime) * x[:, 0] - 0.7 * x[:, 1] + 0.25 * x[:, 2] + effect + rng.normal(0, 0.8, n)
    x[rng.random(n) < 0.05, 1] = np.nan  # the frozen Imputer fills them with the history's mean
    score = x[:, 0] + 0.5 * effect + rng.normal(0, 1.0, n) - shift
    label = np.digitize(score, [1.2, 3.0]).astype(float)  # classes 0, 1, 2
    counts = rng.poisson(np.stack([1.0 + label, 3.0 - label + regime, 2.0 + 0 * label], axis=1)).astype(float)
    flags = (rng.random((n, 3)) < np.stack([0.2 + 0.3 * label / 2, 0.6 - 0.2 * label / 2 + 0.1 * regime,
                                            np.full(n, 0.5)], axis=1)).astype(float)
    w = rng.uniform(0.2, 3.0, n)
    return [(float(a), None if np.isnan(b) else float(b), float(c), str(k), *map(float, cs), *map(float, fs),
             float(t), float(lab), float(v))
            for (a, b, c), k, cs, fs, t, lab, v in zip(x, cat, counts, flags, y, label, w)]


SCHEMA = ("x0 double, x1 double, x2 double, cat string, c0 double, c1 double, c2 double, b0 double, b1 double, "
          "b2 double, y double, label double, w double")


@pytest.fixture(scope="module")
def data(spark):
    """History H, new data N1 and N2 (drifted), their unions, and a probe mixing all three regimes."""
    rng = np.random.default_rng(31)
    h, n1, n2 = _rows(rng, HISTORY, 0), _rows(rng, NEW1, 1), _rows(rng, NEW2, 2)
    probe = _rows(rng, PROBE // 3, 0) + _rows(rng, PROBE // 3, 1) + _rows(rng, PROBE // 3, 2)

    def frame(rows):
        return spark.createDataFrame(rows, SCHEMA).repartition(2).cache()

    return {"H": frame(h), "N1": frame(n1), "N2": frame(n2), "H+N1": frame(h + n1), "H+N1+N2": frame(h + n1 + n2),
            "probe": frame(probe)}


@pytest.fixture(scope="module")
def stages(data):
    """Each feature pipeline fitted on H: the parent's feature stages, frozen from then on."""
    return {name: Pipeline(stages=feature_stages(f)).fit(data["H"]) for name, f in FEATURES.items()}


def _job(algorithm: str, label: str, features: str) -> TrainJob:
    """The spec's training part (the exact mode reads none of it, but the contract carries it)."""
    return TrainJob(name="exact", algorithm=algorithm, label=label, features=FEATURES[features], train_path="unused")


def _parent(fs: PipelineModel, estimator, history, tmp_path, states: dict | None = None,
            key: object = None) -> tuple[PipelineModel, ParentState]:
    """The parent as `train` makes it (feature stages + the estimator fitted on H), and its exported state; with
    `states`, the state exported once per `key` (the linear grid's moments depend on the weight column only)."""
    pm = PipelineModel(stages=[*fs.stages, estimator.fit(fs.transform(history))])
    if states is not None and key in states:
        return pm, states[key]
    out = open_out((tmp_path / "parent").as_uri())
    export_state(pm, export_stages(pm), history, out)
    state = load_parent_state(out)
    if states is not None:
        states[key] = state
    return pm, state


@pytest.fixture(scope="module")
def linear_states() -> dict:
    """Exported linear-regression states of H by weight column, shared by the parameter grid."""
    return {}


def _history_is_not_read():
    raise AssertionError("the exact mode must not read the history")


def _update(spark, job: TrainJob, pm: PipelineModel, state: ParentState, new) -> UpdateResult:
    """Run the mode as run_update will: the new rows through the parent's frozen stages, then `exact`."""
    new_train = frozen_stages(pm).transform(new).cache()
    return exact(UpdateInput(spark=spark, job=job, options=UpdateOptions("exact"), parent=pm,
                             predictor=pm.stages[-1], state=state, new_train=new_train,
                             history_train=_history_is_not_read))


def _in_memory(result: UpdateResult) -> ParentState:
    """The child's state as its next update reads it (its tables, as the lead's export writes them)."""
    tables = dict(result.state_tables or {})
    return ParentState(doc={"files": [{"path": f"state/{n}.arrow"} for n in tables]}, read=tables.__getitem__)


def _reference(fs: PipelineModel, estimator, union) -> PipelineModel:
    """The acceptance reference: Spark's own fit on the union through the same frozen stages."""
    return PipelineModel(stages=[*fs.stages, estimator.copy().fit(fs.transform(union))])


def _predictions(pm: PipelineModel, probe, columns: list[str]) -> np.ndarray:
    """The probe's output columns, vectors flattened, row by row."""
    rows = pm.transform(probe).select(*columns).collect()
    return np.array([np.concatenate([np.atleast_1d(r[c].toArray() if hasattr(r[c], "toArray") else r[c])
                                     for c in columns]) for r in rows])


def _same_linear(child, reference, probe) -> None:
    """Coefficients and intercept to COEF_REL, predictions to PREDICTION_REL."""
    got, want = child.stages[-1], reference.stages[-1]
    _close(np.append(got.coefficients.toArray(), got.intercept),
           np.append(want.coefficients.toArray(), want.intercept), COEF_REL)
    _close(_predictions(child, probe, ["prediction"]), _predictions(reference, probe, ["prediction"]),
           PREDICTION_REL)


def _same_bayes(child, reference, probe, gaussian: bool) -> None:
    """pi, theta (and sigma) to COEF_REL; raw predictions and probabilities to PREDICTION_REL; same classes."""
    got, want = child.stages[-1], reference.stages[-1]
    assert got.numClasses == want.numClasses and got.numFeatures == want.numFeatures
    _close(got.pi.toArray(), want.pi.toArray(), COEF_REL)
    _close(got.theta.toArray(), want.theta.toArray(), COEF_REL)
    if gaussian:
        _close(got.sigma.toArray(), want.sigma.toArray(), COEF_REL)
    else:
        assert got.sigma.numRows == 0 and got.theta.isTransposed  # as Spark's: the portable export needs row-major
    columns = ["rawPrediction", "probability"]
    _close(_predictions(child, probe, columns), _predictions(reference, probe, columns), PREDICTION_REL)
    assert (_predictions(child, probe, ["prediction"]) == _predictions(reference, probe, ["prediction"])).all()


@pytest.mark.parametrize("weight", [None, "w"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardization", [True, False])
@pytest.mark.parametrize("reg_param", [0.0, 0.1])
def test_linear_regression_equals_the_fit_on_the_union(spark, data, stages, linear_states, tmp_path, reg_param,
                                                       standardization, fit_intercept, weight) -> None:
    fs = stages["scaled"]
    lr = LinearRegression(labelCol="y", regParam=reg_param, standardization=standardization,
                          fitIntercept=fit_intercept, solver="normal")
    if weight:
        lr.setWeightCol(weight)
    pm, state = _parent(fs, lr, data["H"], tmp_path, linear_states, weight)
    result = _update(spark, _job("linear_regression", "y", "scaled"), pm, state, data["N1"])
    assert result.facts["newRows"] == NEW1 and result.facts["historyRows"] == HISTORY
    child = child_pipeline(pm, result.predictor)
    _same_linear(child, _reference(fs, lr, data["H+N1"]), data["probe"])
    assert result.predictor.getLabelCol() == "y" and result.predictor.uid != pm.stages[-1].uid
    export_stages(child)  # the child exports as a portable model


@pytest.mark.parametrize("weight", [None, "w"])
@pytest.mark.parametrize("reg_param", [0.0, 0.1])
def test_glm_gaussian_equals_the_fit_on_the_union(spark, data, stages, tmp_path, reg_param, weight) -> None:
    fs = stages["scaled"]
    glm = GeneralizedLinearRegression(labelCol="y", family="gaussian", link="identity", regParam=reg_param)
    if weight:
        glm.setWeightCol(weight)
    pm, state = _parent(fs, glm, data["H"], tmp_path)
    result = _update(spark, _job("generalized_linear_regression", "y", "scaled"), pm, state, data["N1"])
    child = child_pipeline(pm, result.predictor)
    _same_linear(child, _reference(fs, glm, data["H+N1"]), data["probe"])
    assert result.predictor.getFamily() == "gaussian"
    export_stages(child)


@pytest.mark.parametrize("weight", [None, "w"])
@pytest.mark.parametrize("model_type", ["multinomial", "bernoulli", "complement", "gaussian"])
def test_naive_bayes_equals_the_fit_on_the_union(spark, data, stages, tmp_path, model_type, weight) -> None:
    fs = stages[NB_FEATURES[model_type]]
    nb = NaiveBayes(labelCol="label", modelType=model_type, smoothing=0.7)
    if weight:
        nb.setWeightCol(weight)
    pm, state = _parent(fs, nb, data["H"], tmp_path)
    result = _update(spark, _job("naive_bayes", "label", NB_FEATURES[model_type]), pm, state, data["N1"])
    assert result.facts["classes"] == [0, 1, 2]
    child = child_pipeline(pm, result.predictor)
    _same_bayes(child, _reference(fs, nb, data["H+N1"]), data["probe"], model_type == "gaussian")
    export_stages(child)


# Estimators are made inside the tests (a pyspark estimator needs the running SparkSession).
CHAINS = {
    "linear_regression": ("scaled", "y", lambda: LinearRegression(labelCol="y", regParam=0.1, standardization=False,
                                                                  weightCol="w", solver="normal")),
    "generalized_linear_regression": ("scaled", "y", lambda: GeneralizedLinearRegression(labelCol="y", regParam=0.1,
                                                                                         weightCol="w")),
    "naive_bayes_gaussian": ("scaled", "label", lambda: NaiveBayes(labelCol="label", modelType="gaussian",
                                                                   weightCol="w")),
    "naive_bayes_complement": ("counts", "label", lambda: NaiveBayes(labelCol="label", modelType="complement")),
}


@pytest.mark.parametrize("name", list(CHAINS))
def test_two_chained_updates_equal_the_fit_on_all_three(spark, data, stages, tmp_path, name) -> None:
    """H, then N1, then N2: the second update reads the first child's state tables and equals the fit on
    H ∪ N1 ∪ N2."""
    features, label, make = CHAINS[name]
    estimator = make()
    algorithm = "naive_bayes" if name.startswith("naive_bayes") else name
    fs, job = stages[features], _job(algorithm, label, features)
    pm, state = _parent(fs, estimator, data["H"], tmp_path)
    first = _update(spark, job, pm, state, data["N1"])
    child1 = child_pipeline(pm, first.predictor)
    second = _update(spark, job, child1, _in_memory(first), data["N2"])
    child2 = child_pipeline(child1, second.predictor)
    assert second.facts["historyRows"] == HISTORY + NEW1 and second.facts["newRows"] == NEW2
    reference = _reference(fs, estimator, data["H+N1+N2"])
    if name.startswith("naive_bayes"):
        _same_bayes(child2, reference, data["probe"], name.endswith("gaussian"))
    else:
        _same_linear(child2, reference, data["probe"])


def test_the_merged_state_equals_the_state_of_the_union(spark, data, stages, tmp_path) -> None:
    """The child's state tables hold what `train` would export for H ∪ N1 (so the child is updatable again)."""
    fs = stages["scaled"]
    lr = LinearRegression(labelCol="y", weightCol="w", solver="normal")
    pm, state = _parent(fs, lr, data["H"], tmp_path)
    result = _update(spark, _job("linear_regression", "y", "scaled"), pm, state, data["N1"])
    union = load_parent_state(_export_to(tmp_path / "union", pm, data["H+N1"]))
    for name in ("moments_totals", "moments"):
        got, want = result.state_tables[name], union.read(name)
        assert got.schema == want.schema and got.num_rows == want.num_rows
        for column in got.column_names:
            _close(np.asarray(got[column].to_pylist(), dtype=np.float64),
                   np.asarray(want[column].to_pylist(), dtype=np.float64), 1e-12)


def _export_to(path, pm: PipelineModel, frame):
    """Export a fitted pipeline's training state on `frame` to a fresh folder."""
    out = open_out(path.as_uri())
    export_state(pm, export_stages(pm), frame, out)
    return out


@pytest.mark.parametrize(("make", "match"), [
    (lambda: LinearRegression(labelCol="y", loss="huber"), "no state/moments_totals.arrow.*loss huber"),
    (lambda: GeneralizedLinearRegression(labelCol="c0", family="poisson"),
     "no state/moments_totals.arrow.*family poisson"),
    (lambda: LinearRegression(labelCol="y", regParam=0.1, elasticNetParam=0.5), "elasticNetParam 0 only"),
    (lambda: LogisticRegression(labelCol="label", maxIter=5), "LogisticRegressionModel has no exact update"),
], ids=["huber", "glm-poisson", "elastic-net", "logistic"])
def test_what_has_no_exact_update_is_refused(spark, data, stages, tmp_path, make, match) -> None:
    """Never approximated: a parent without the statistics, or a solve Spark does otherwise, is an "update" error."""
    pm, state = _parent(stages["scaled"], make(), data["H"], tmp_path)
    with pytest.raises(MlshipError, match=match) as refused:
        _update(spark, _job("linear_regression", "y", "scaled"), pm, state, data["N1"])
    assert refused.value.code == "update" and "mlship train SPEC" in str(refused.value)


def test_a_singular_design_is_refused(spark, data, stages, tmp_path) -> None:
    """mlship's default indexing ("keep") with one-hot and an intercept, regParam 0: the normal equations are
    singular, Spark falls back to a quasi-Newton iterate, and the exact update refuses rather than approximate."""
    lr = LinearRegression(labelCol="y", solver="normal")
    pm, state = _parent(stages["scaled_keep"], lr, data["H"], tmp_path)
    with pytest.raises(MlshipError, match="singular") as refused:
        _update(spark, _job("linear_regression", "y", "scaled_keep"), pm, state, data["N1"])
    assert refused.value.code == "update"


def test_no_new_rows_give_the_parent_back(spark, data, stages, tmp_path) -> None:
    """An empty new split merges nothing: the child's solve is the parent's fit on H."""
    lr = LinearRegression(labelCol="y", regParam=0.1, weightCol="w", solver="normal")
    pm, state = _parent(stages["scaled"], lr, data["H"], tmp_path)
    result = _update(spark, _job("linear_regression", "y", "scaled"), pm, state, data["H"].limit(0))
    assert result.facts["newRows"] == 0 and result.facts["historyRows"] == HISTORY
    _close(np.append(result.predictor.coefficients.toArray(), result.predictor.intercept),
           np.append(pm.stages[-1].coefficients.toArray(), pm.stages[-1].intercept), COEF_REL)


def _class(count: int, w: float, x: list[float], x2: list[float] | None = None) -> B.ClassTotals:
    """One class's sums."""
    return B.ClassTotals(count, w, np.array(x), None if x2 is None else np.array(x2))


def test_a_class_missing_from_one_side_keeps_the_other_sides_sums() -> None:
    history = {0: _class(3, 3.0, [1.0, 2.0], [1.0, 2.0]), 1: _class(2, 1.5, [0.5, 0.0], [0.25, 0.0])}
    new = {0: _class(1, 2.0, [2.0, 0.0], [4.0, 0.0]), 2: _class(4, 4.0, [0.0, 3.0], [0.0, 5.0])}
    merged = B.merge(history, new)
    assert sorted(merged) == [0, 1, 2] and merged[1] == history[1] and merged[2] == new[2]
    assert merged[0].count == 4 and merged[0].sum_w == 5.0 and merged[0].sum_wx.tolist() == [3.0, 2.0]
    assert merged[0].sum_wx2.tolist() == [5.0, 2.0]
    back = B.state_of_table(class_sums_table(merged, True), True)
    assert sorted(back) == [0, 1, 2] and all(np.array_equal(back[k].sum_wx2, merged[k].sum_wx2) for k in back)
    assert B.state_of_table(class_sums_table(merged, False), False)[0].sum_wx2 is None
    with pytest.raises(MlshipError, match="feature space differs"):
        B.merge(history, {0: _class(1, 1.0, [1.0, 2.0, 3.0])})


def test_a_broken_moments_table_is_refused() -> None:
    import pyarrow as pa

    tables = moments_tables(L.LinearState(2, 2.0, 1.0, 1.0, np.ones(2), np.ones(2), np.eye(2)))
    assert L.state_of_tables(tables["moments_totals"], tables["moments"]).sum_wxx.tolist() == [[1.0, 0.0],
                                                                                                [0.0, 1.0]]
    short = tables["moments"].set_column(3, "sumWXX", pa.array([[1.0], [0.0, 1.0]], pa.list_(pa.float64())))
    with pytest.raises(MlshipError, match="not the moments of 2 features") as refused:
        L.state_of_tables(tables["moments_totals"], short)
    assert refused.value.code == "update"
