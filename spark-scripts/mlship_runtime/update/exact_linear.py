"""The exact update of a linear regression: merge two sets of weighted moments, then solve the normal equations the
way Spark's LinearRegression(solver="normal") does (its WeightedLeastSquares with the Cholesky solver). Pure numpy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MlshipError

# Below this reciprocal condition (estimated from the Cholesky pivots) the normal equations are numerically singular.
MIN_RECIPROCAL_CONDITION = 1e-12


@dataclass(frozen=True)
class LinearState:
    """Weighted moments of (x, y) over a row set, in the estimator's feature space (state/moments*.arrow)."""

    rows: int
    sum_w: float
    sum_wy: float
    sum_wy2: float
    sum_wx: np.ndarray  # (p,)
    sum_wxy: np.ndarray  # (p,)
    sum_wxx: np.ndarray  # (p, p), symmetric

    @property
    def num_features(self) -> int:
        return int(self.sum_wx.shape[0])


@dataclass(frozen=True)
class LinearParams:
    """The LinearRegression parameters the solve depends on (Spark's defaults)."""

    reg_param: float = 0.0
    elastic_net_param: float = 0.0
    fit_intercept: bool = True
    standardization: bool = True


@dataclass(frozen=True)
class LinearSolution:
    """Coefficients in the original feature space and the intercept, as Spark's LinearRegressionModel holds them."""

    coefficients: np.ndarray
    intercept: float


def from_moments(m: Any) -> LinearState:
    """A LinearState from anything with the fields of export.state_stats.Moments."""
    return LinearState(int(m.rows), float(m.sum_w), float(m.sum_wy), float(m.sum_wy2),
                       np.asarray(m.sum_wx, dtype=np.float64), np.asarray(m.sum_wxy, dtype=np.float64),
                       np.asarray(m.sum_wxx, dtype=np.float64))


def read_state(state_dir: Path) -> LinearState:
    """The moments a version exported: state/moments_totals.arrow and state/moments.arrow under `state_dir`."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    def table(name: str) -> pa.Table:
        return ipc.open_file(pa.BufferReader((state_dir / name).read_bytes())).read_all()

    return state_of_tables(table("moments_totals.arrow"), table("moments.arrow"))


def state_of_tables(totals: Any, moments: Any) -> LinearState:
    """The moments from the two Arrow tables export/state.py writes (moments_totals: one row; moments: one row per
    feature, in any order), e.g. as ParentState.read returns them."""
    if totals.num_rows != 1:
        raise MlshipError([f"state/moments_totals.arrow holds {totals.num_rows} rows, not 1"], "update")
    p = moments.num_rows
    features = np.asarray(moments["feature"].to_pylist())
    gram = moments["sumWXX"].to_pylist()
    if sorted(features.tolist()) != list(range(p)) or any(r is None or len(r) != p for r in gram):
        raise MlshipError([f"state/moments.arrow is not the moments of {p} features (feature indices 0..{p - 1}, "
                           f"each with a row of {p} values)"], "update")
    order = np.argsort(features)
    return LinearState(int(totals["rows"][0].as_py()), float(totals["sumW"][0].as_py()),
                       float(totals["sumWY"][0].as_py()), float(totals["sumWY2"][0].as_py()),
                       np.asarray(moments["sumWX"].to_pylist(), dtype=np.float64)[order],
                       np.asarray(moments["sumWXY"].to_pylist(), dtype=np.float64)[order],
                       np.asarray(gram, dtype=np.float64).reshape(p, p)[order])


def merge(a: LinearState, b: LinearState) -> LinearState:
    """The moments of two disjoint row sets together: every field is a sum."""
    if a.num_features != b.num_features:
        raise MlshipError([f"cannot merge linear states of {a.num_features} and {b.num_features} features: "
                           "the new data's feature space differs from the parent's"], "data")
    return LinearState(a.rows + b.rows, a.sum_w + b.sum_w, a.sum_wy + b.sum_wy, a.sum_wy2 + b.sum_wy2,
                       a.sum_wx + b.sum_wx, a.sum_wxy + b.sum_wxy, a.sum_wxx + b.sum_wxx)


def _cholesky_solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve a x = b for a symmetric positive definite a (LAPACK dppsv's job); refuses a singular a."""
    try:
        low = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        low = None
    pivots = np.abs(np.diag(low)) if low is not None else np.zeros(1)
    # (min pivot / max pivot)² bounds the condition number from below: a system this close to singular (collinear
    # features, exactly so up to rounding) makes Spark's Cholesky fail or not by the luck of its rounding, and its
    # answer then depends on that rounding (or on its quasi-Newton fallback): no exact update is possible.
    if (low is None or not np.all(np.isfinite(low)) or not pivots.min() > 0.0
            or (pivots.min() / pivots.max()) ** 2 < MIN_RECIPROCAL_CONDITION):
        raise MlshipError(["the normal equations are singular (a constant or collinear feature without "
                           "regularization): Spark falls back to its quasi-Newton solver there, so no exact update; "
                           "retrain instead"], "fit")
    n = b.shape[0]
    z = np.empty(n)
    for i in range(n):  # forward: L z = b
        z[i] = (b[i] - low[i, :i] @ z[:i]) / low[i, i]
    x = np.empty(n)
    for i in range(n - 1, -1, -1):  # back: Lᵀ x = z
        x[i] = (z[i] - low[i + 1:, i] @ x[i + 1:]) / low[i, i]
    return x


def solve(state: LinearState, params: LinearParams) -> LinearSolution:
    """Coefficients and intercept from the moments, step for step as Spark's WeightedLeastSquares.fit with
    standardizeLabel = true, standardizeFeatures = `standardization` and the Cholesky solver (docs/updating.md,
    "Exact: linear regression")."""
    p = state.num_features
    if params.reg_param < 0.0:
        raise MlshipError([f"regParam cannot be negative: {params.reg_param}"])
    if params.elastic_net_param != 0.0 and params.reg_param != 0.0:
        raise MlshipError([f"elasticNetParam {params.elastic_net_param} with regParam {params.reg_param}: Spark "
                           "solves that with OWLQN, not the normal equations; the exact update supports "
                           "elasticNetParam 0 only"])
    if state.rows == 0 or not state.sum_w > 0.0:
        raise MlshipError(["no training rows with positive weight: nothing to solve"], "data")
    w = state.sum_w
    b_bar_raw = state.sum_wy / w
    bb_bar_raw = state.sum_wy2 / w
    b_std_raw = float(np.sqrt(max(bb_bar_raw - b_bar_raw * b_bar_raw, 0.0)))
    if b_std_raw == 0.0:
        if params.fit_intercept or b_bar_raw == 0.0:
            return LinearSolution(np.zeros(p), float(b_bar_raw))  # a constant label: Spark does not train
        if params.reg_param > 0.0:
            raise MlshipError(["the standard deviation of the label is zero: Spark cannot regularize a model "
                               "when labels are standardized"], "fit")
    b_std = b_std_raw if b_std_raw != 0.0 else abs(b_bar_raw)

    a_bar = state.sum_wx / w
    ab_bar = state.sum_wxy / w
    aa_bar = state.sum_wxx / w
    a_std = np.sqrt(np.maximum(np.diag(aa_bar) - a_bar * a_bar, 0.0))
    live = a_std != 0.0
    safe = np.where(live, a_std, 1.0)
    a_bar_s = np.where(live, a_bar / safe, 0.0)
    ab_bar_s = np.where(live, ab_bar / (safe * b_std), 0.0)
    aa_bar_s = np.where(np.outer(live, live), aa_bar / np.outer(safe, safe), 0.0)
    b_bar_s = b_bar_raw / b_std

    l2 = (1.0 - params.elastic_net_param) * (params.reg_param / b_std)
    lam = np.full(p, l2) if params.standardization else np.where(live, l2 / (safe * safe), 0.0)
    aa_bar_s[np.diag_indices(p)] += lam

    if params.fit_intercept:
        a = np.empty((p + 1, p + 1))
        a[:p, :p] = aa_bar_s
        a[:p, p] = a[p, :p] = a_bar_s
        a[p, p] = 1.0
        rhs = np.append(ab_bar_s, b_bar_s)
    else:
        a, rhs = aa_bar_s, ab_bar_s
    x = _cholesky_solve(a, rhs)
    coefficients = x[:p] * np.where(live, b_std / safe, 0.0)
    intercept = float(x[p] * b_std) if params.fit_intercept else 0.0
    return LinearSolution(coefficients, intercept)


def params_of(estimator: Any) -> LinearParams:
    """The solve's parameters from a pyspark LinearRegression or LinearRegressionModel (loss squaredError only)."""
    if estimator.getLoss() != "squaredError":
        raise MlshipError([f"loss {estimator.getLoss()}: only squaredError has an exact update"])
    return LinearParams(float(estimator.getRegParam()), float(estimator.getElasticNetParam()),
                        bool(estimator.getFitIntercept()), bool(estimator.getStandardization()))
