"""The `laplace` update of a logistic regression: the exported gradient and Hessian are the log-loss's, and the child
fitted from the parent's state plus only the new rows scores a held-out slice of H ∪ N like Spark's own fit on
frozen_stages(parent).transform(H ∪ N) (AUC and logLoss within 0.5%), binary and multinomial, chained twice."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlship_runtime.algorithms import build_estimator
from mlship_runtime.columns import label_column
from mlship_runtime.evaluate import evaluate
from mlship_runtime.export import logistic_state as L
from mlship_runtime.export.stages import export_stages
from mlship_runtime.export.state import export_state
from mlship_runtime.job import parse_job
from mlship_runtime.storage import open_out
from mlship_runtime.train import fit_pipeline
from mlship_runtime.update import laplace as _laplace  # noqa: F401 - registers the mode
from mlship_runtime.update.modes import (MODES, ParentState, UpdateInput, UpdateOptions, child_pipeline,
                                         frozen_stages, load_parent_state)

GAP = 0.005  # the acceptance: validation AUC / logLoss within 0.5% (relative) of the full fit
HISTORY, NEW, HELD_OUT = 1500, 600, 0.25
OUTPUTS = {"prediction": "prediction", "probability": "probability", "rawPrediction": "rawPrediction"}
SCHEMA = "x0 double, x1 double, x2 double, x3 double, seg string, y double"


# ---- pure numpy: the block statistics are the log-loss, its gradient and Hessian ----

@pytest.mark.parametrize("multinomial", [False, True])
def test_block_gradient_and_hessian_are_the_loss_derivatives(multinomial) -> None:
    rng = np.random.default_rng(5)
    layout = L.Layout(num_features=3, num_classes=3 if multinomial else 2, multinomial=multinomial, fit_intercept=True)
    x, w = rng.normal(size=(40, 3)), rng.uniform(0.5, 2.0, 40)
    y = rng.integers(0, layout.num_classes, 40).astype(float)
    theta = rng.normal(size=layout.unknowns) * 0.5
    at = L.block_stats(x, y, w, theta, layout)
    eps = 1e-6
    for i in range(layout.unknowns):
        e = np.zeros(layout.unknowns)
        e[i] = eps
        up, down = L.block_stats(x, y, w, theta + e, layout), L.block_stats(x, y, w, theta - e, layout)
        assert (up.loss - down.loss) / (2 * eps) == pytest.approx(at.grad[i], rel=1e-6, abs=1e-6)
        np.testing.assert_allclose((up.grad - down.grad) / (2 * eps), at.hess[i], rtol=1e-5, atol=1e-6)
    halves = L.add(L.block_stats(x[:15], y[:15], w[:15], theta, layout),
                   L.block_stats(x[15:], y[15:], w[15:], theta, layout))
    np.testing.assert_allclose(halves.m2, at.m2, rtol=1e-12)
    np.testing.assert_allclose(halves.hess, at.hess, rtol=1e-12, atol=1e-12)


# ---- real Spark ----

def _rows(rng: np.random.Generator, n: int, shift: float, classes: int) -> list[tuple]:
    """Rows whose features and coefficients move with `shift` (0: the history; 1: new data; 2: later data)."""
    x = rng.normal([1.0 + 0.4 * shift, -2.0, 5.0 - shift, 0.0], [1.0, 2.0, 3.0, 0.5], size=(n, 4))
    seg = rng.choice(np.array(["a", "b", "c"]), n, p=[0.5, 0.3, 0.2])
    bump = np.where(seg == "a", 0.4, np.where(seg == "b", -0.3, 0.0))
    if classes == 2:
        z = 0.3 + (0.9 + 0.5 * shift) * x[:, 0] - (0.6 - 0.3 * shift) * x[:, 1] + 0.15 * x[:, 2] + bump * (1 + shift)
        y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(float)
    else:
        m = np.stack([np.zeros(n),
                      0.2 + (0.8 + 0.4 * shift) * x[:, 0] - 0.3 * x[:, 2] + bump,
                      -0.4 + 0.5 * x[:, 1] + (0.2 + 0.3 * shift) * x[:, 2] - bump * shift], axis=1)
        prob = np.exp(m - m.max(axis=1, keepdims=True))
        prob /= prob.sum(axis=1, keepdims=True)
        y = (rng.random(n)[:, None] > np.cumsum(prob, axis=1)).sum(axis=1).astype(float)
    return [(*map(float, r), str(s), float(t)) for r, s, t in zip(x, seg, y)]


def _job(params: dict) -> object:
    return parse_job(json.dumps({
        "name": "laplace", "data": {"train": "unused"},
        "model": {"algorithm": "logistic_regression", "label": "y", "params": params,
                  "features": {"numeric": ["x0", "x1", "x2", "x3"], "categorical": ["seg"], "scale": True}}}))


def _data(spark, classes: int, seed: int, parts: int = 2) -> dict[str, object]:
    """Training frames H, N1, N2 and the held-out slice of their union (HELD_OUT of each part)."""
    rng = np.random.default_rng(seed)
    frames, held = {}, []
    for name, n, shift in (("H", HISTORY, 0.0), ("N1", NEW, 1.0), ("N2", NEW, 2.0))[:parts + 1]:
        rows = _rows(rng, n, shift, classes)
        cut = int(n * HELD_OUT)
        held += rows[:cut]
        frames[name] = spark.createDataFrame(rows[cut:], SCHEMA).repartition(2).cache()
    frames["held"] = spark.createDataFrame(held, SCHEMA).cache()
    return frames


def _state(pm, frame, path) -> ParentState:
    """The parent's exported training state, read back as update/run.py does."""
    out = open_out(path.as_uri())
    state = export_state(pm, export_stages(pm), frame, out)
    assert "laplace" in state["updateModes"], state["skipped"]
    return load_parent_state(out)


def _update(spark, job, pm, state: ParentState, new):
    """One laplace update of `pm` with `new` rows; returns (child pipeline, UpdateResult)."""
    frozen = frozen_stages(pm)
    inp = UpdateInput(spark=spark, job=job, options=UpdateOptions(mode="laplace"), parent=pm,
                      predictor=pm.stages[-1], state=state, new_train=frozen.transform(new).cache(),
                      history_train=lambda: pytest.fail("laplace must not read the history"))
    result = MODES["laplace"](inp)
    return child_pipeline(pm, result.predictor), result


def _full(job, pm, train):
    """Spark's own fit of the same estimator on the frozen stages' output of `train` (the acceptance reference)."""
    estimator = build_estimator(job.algorithm, job.params, label_column(job.label))
    return child_pipeline(pm, estimator.fit(frozen_stages(pm).transform(train)))


def _metrics(model, held, classes: int) -> dict[str, float]:
    task = "binary_classification" if classes == 2 else "multiclass_classification"
    got = evaluate(model.transform(held), "y", task, OUTPUTS)
    return {k: got[k] for k in (("areaUnderROC", "logLoss") if classes == 2 else ("logLoss", "accuracy"))}


def _gaps(child: dict, full: dict) -> dict[str, float]:
    return {k: abs(child[k] - full[k]) / abs(full[k]) for k in full}


def _check(child, full, held, classes, label: str) -> None:
    c, f = _metrics(child, held, classes), _metrics(full, held, classes)
    gaps = _gaps(c, f)
    print(f"\n{label}: child {c} full {f} gaps {gaps}")
    for k in ("areaUnderROC", "logLoss"):
        if k in gaps:
            assert gaps[k] <= GAP, (k, c, f)


def _assert_stationary(model, state: ParentState, params: dict) -> None:
    """Spark's fit is a stationary point of its objective as the export reads it: g_H/W + λ·c·β ≈ 0, c = featuresStd²
    (standardization) or 1, which checks the exported gradient, featuresStd and the penalty against Spark's."""
    hist, theta = L.from_tables(state.read(L.TOTALS), state.read(L.HESSIAN), state.read(L.FEATURES))
    layout = L.layout_of(model)
    std = hist.std()
    c = std * std if params.get("standardization", True) else np.ones_like(std)
    coefficient, feature = layout.coefficient_mask(), layout.feature_of()
    grad = hist.grad / hist.sum_w + params["regParam"] * np.where(coefficient, c[np.maximum(feature, 0)], 0.0) * theta
    scale = np.sqrt(np.maximum(np.diag(hist.hess) / hist.sum_w, 1e-12))  # per unknown, to standardized units
    print(f"\nstationarity: max |g/W + λcβ| / √(h/W) = {np.abs(grad / scale).max():.2e}")
    assert np.abs(grad / scale).max() < 1e-6


CASES = [({"regParam": 0.0}, 2), ({"regParam": 0.01}, 2), ({"regParam": 0.0, "standardization": False}, 2),
         ({"regParam": 0.01, "standardization": False}, 2), ({"regParam": 0.0}, 3), ({"regParam": 0.01}, 3)]


@pytest.mark.parametrize("params,classes", CASES, ids=[f"{c}-{json.dumps(p)}" for p, c in CASES])
def test_update_scores_like_the_full_fit(spark, tmp_path, params, classes) -> None:
    job = _job({"maxIter": 200, "tol": 1e-10, **params})
    d = _data(spark, classes, seed=31 + classes, parts=1)
    pm = fit_pipeline(job, d["H"])
    state = _state(pm, d["H"], tmp_path)
    _assert_stationary(pm.stages[-1], state, params)
    child, result = _update(spark, job, pm, state, d["N1"])
    assert result.facts["converged"] and result.facts["newtonSteps"] >= 1
    print(f"\nfacts: {result.facts}")
    full = _full(job, pm, d["H"].unionByName(d["N1"]))
    assert child.stages[-1].getThreshold() == pm.stages[-1].getThreshold()
    _check(child, full, d["held"], classes, f"{classes} classes {params}")
    layout = L.layout_of(child.stages[-1])
    if layout.multinomial:  # Spark's identifiability rule: intercepts (and with regParam 0, coefficients) centred
        assert abs(child.stages[-1].interceptVector.toArray().sum()) < 1e-9
        if params["regParam"] == 0.0:
            assert np.abs(child.stages[-1].coefficientMatrix.toArray().sum(axis=0)).max() < 1e-9


def test_child_state_is_history_extrapolated_plus_new(spark, tmp_path) -> None:
    job = _job({"regParam": 0.01})
    d = _data(spark, 2, seed=7, parts=1)
    pm = fit_pipeline(job, d["H"])
    state = _state(pm, d["H"], tmp_path)
    child, result = _update(spark, job, pm, state, d["N1"])
    tables = result.state_tables
    stats, theta = L.from_tables(tables[L.TOTALS], tables[L.HESSIAN], tables[L.FEATURES])
    layout = L.layout_of(child.stages[-1])
    assert np.allclose(theta, layout.theta(child.stages[-1].coefficientMatrix.toArray(),
                                           child.stages[-1].interceptVector.toArray()))
    hist, _ = L.from_tables(state.read(L.TOTALS), state.read(L.HESSIAN), state.read(L.FEATURES))
    new = L.logistic_stats(frozen_stages(pm).transform(d["N1"]), "features", "y", None, theta, layout)
    assert stats.rows == hist.rows + new.rows
    np.testing.assert_allclose(stats.hess, hist.hess + new.hess, rtol=1e-9)
    # the union's exact moments (Chan's merge) and a gradient close to the union's exact one at θ
    union = L.logistic_stats(frozen_stages(pm).transform(d["H"].unionByName(d["N1"])), "features", "y", None, theta,
                             layout)
    np.testing.assert_allclose(stats.mean, union.mean, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(stats.m2, union.m2, rtol=1e-10)
    assert np.abs(stats.grad - union.grad).max() <= 0.05 * np.abs(union.hess).max()


def test_two_chained_updates(spark, tmp_path) -> None:
    job = _job({"regParam": 0.01, "maxIter": 200, "tol": 1e-10})
    d = _data(spark, 2, seed=13, parts=2)
    pm = fit_pipeline(job, d["H"])
    state = _state(pm, d["H"], tmp_path)
    for step, name in enumerate(("N1", "N2"), start=1):
        pm, result = _update(spark, job, pm, state, d[name])
        tables = result.state_tables
        state = ParentState(doc={"files": [{"path": f"state/{n}.arrow"} for n in tables]},
                            read=lambda n, t=tables: t[n])
        assert result.facts["converged"]
        print(f"\nfacts {name}: {result.facts}")
    full = _full(job, pm, d["H"].unionByName(d["N1"]).unionByName(d["N2"]))
    _check(pm, full, d["held"], 2, "chained H, N1, N2")


def test_no_state_with_an_l1_penalty(spark, tmp_path) -> None:
    job = _job({"regParam": 0.01, "elasticNetParam": 0.5})
    d = _data(spark, 2, seed=3, parts=1)
    pm = fit_pipeline(job, d["H"])
    state = export_state(pm, export_stages(pm), d["H"], open_out(tmp_path.as_uri()))
    assert "laplace" not in state["updateModes"] and any("L1" in s for s in state["skipped"])
