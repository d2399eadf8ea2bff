"""The `laplace` update of a logistic regression: Spark's objective on history ∪ new, the history's log-loss replaced
by its second-order expansion at the parent's coefficients, minimised by Newton steps over one Spark aggregate each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from pyspark.ml.classification import LogisticRegressionModel
from pyspark.ml.common import _py2java
from pyspark.ml.linalg import DenseMatrix
from pyspark.sql import functions as F

from ..columns import col
from ..errors import MlshipError
from ..export import logistic_state as L
from ..export.state import _weight_col
from .modes import UpdateInput, UpdateResult, register
from .spark_models import java_vector, jvm, like, new_uid

DEFAULT_MAX_ITER = 25
STEP_TOL = 1e-9  # stop when no unknown moves by more than STEP_TOL · (1 + max |θ|)
ARMIJO = 1e-4  # sufficient decrease of the backtracking line search
MAX_HALVINGS = 30
PINV_RCOND = 1e-10
DECREMENT_TOL = 1e-12  # or when the Newton decrement −Gᵀd is below DECREMENT_TOL · max(1, |objective|)


@dataclass(frozen=True)
class Problem:
    """Everything of the objective but the new rows (which a Spark aggregate evaluates), all sums over rows, so the
    objective is W × Spark's: L_new(θ) + g_hᵀΔ + ½ΔᵀH_hΔ + ½·W·λ·Σ c_j β_j² (+ ½μ‖Sθ‖², multinomial only)."""

    layout: L.Layout
    theta0: np.ndarray  # the parent's θ, where the history's expansion is taken
    g_hist: np.ndarray
    h_hist: np.ndarray
    penalty: np.ndarray  # per unknown: W·λ·c (c = std² with standardization, 1 without; 0 for intercepts)
    free: np.ndarray  # unknowns the solve moves (a feature with std 0 keeps coefficient 0, as Spark's)
    centring: np.ndarray | None  # μ·SᵀS, S summing each column over the classes (multinomial identifiability)

    def objective(self, theta: np.ndarray, new: L.LogisticStats) -> tuple[float, np.ndarray, np.ndarray]:
        """(value, gradient, Hessian) at θ, given the new rows' statistics at θ."""
        d = theta - self.theta0
        hd = self.h_hist @ d
        value = new.loss + self.g_hist @ d + 0.5 * d @ hd + 0.5 * self.penalty @ (theta * theta)
        grad = new.grad + self.g_hist + hd + self.penalty * theta
        hess = new.hess + self.h_hist + np.diag(self.penalty)
        if self.centring is not None:
            ct = self.centring @ theta
            value, grad, hess = value + 0.5 * theta @ ct, grad + ct, hess + self.centring
        return float(value), grad, hess

    def step(self, grad: np.ndarray, hess: np.ndarray) -> np.ndarray:
        """The Newton step on the free unknowns, by a pseudo-inverse: directions the objective does not depend on
        (collinear features, such as one-hot columns summing to the intercept) get no step, as a minimum-norm
        solve; eigenvalues below PINV_RCOND × the largest count as 0."""
        f = self.free
        out = np.zeros_like(grad)
        values, vectors = np.linalg.eigh(hess[np.ix_(f, f)])
        keep = values > PINV_RCOND * max(float(values.max(initial=0.0)), 0.0)
        out[f] = -(vectors[:, keep] @ ((vectors[:, keep].T @ grad[f]) / values[keep]))
        return out


def zero_std(std: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Features Spark treats as constant (featuresStd 0); a std at rounding level of the mean counts as 0."""
    return (std == 0.0) | (std <= 1e-12 * np.abs(mean))


def problem(layout: L.Layout, theta0: np.ndarray, hist: L.LogisticStats, merged: L.LogisticStats, reg_l2: float,
            standardization: bool) -> Problem:
    """The objective's fixed parts from the history's state and the merged feature moments (Spark's featuresStd of
    history ∪ new, which its penalty uses)."""
    std = merged.std()
    constant = zero_std(std, merged.mean)
    per_feature = np.where(constant, 0.0, std * std if standardization else 1.0)
    coefficient = layout.coefficient_mask()
    feature = layout.feature_of()
    c = np.where(coefficient, per_feature[np.maximum(feature, 0)], 0.0)
    free = ~(coefficient & constant[np.maximum(feature, 0)])
    centring = None
    if layout.multinomial:
        scale = float(np.mean(np.abs(np.diag(hist.hess)))) or 1.0
        centring = scale * np.kron(np.ones((layout.sets, layout.sets)), np.eye(layout.width))
    return Problem(layout, theta0, hist.grad, hist.hess, merged.sum_w * reg_l2 * c, free, centring)


def centred(theta: np.ndarray, layout: L.Layout, reg_param: float) -> np.ndarray:
    """Spark's identifiability rule for a multinomial fit: coefficients centred over the classes when regParam is 0,
    intercepts always."""
    if not layout.multinomial:
        return theta
    b = theta.reshape(layout.sets, layout.width).copy()
    p = layout.num_features
    if reg_param == 0.0:
        b[:, :p] -= b[:, :p].mean(axis=0)
    if layout.fit_intercept:
        b[:, p] -= b[:, p].mean()
    return b.reshape(-1)


def row_major_matrix(spark: Any, rows: np.ndarray) -> Any:
    """A dense row-major (isTransposed) org.apache.spark.ml.linalg.Matrix: Spark requires one for a binomial model."""
    a = np.asarray(rows, dtype=np.float64)
    return _py2java(spark.sparkContext, DenseMatrix(a.shape[0], a.shape[1], a.flatten(order="C").tolist(), True))


def logistic_regression_model(spark: Any, parent: LogisticRegressionModel, layout: L.Layout,
                              theta: np.ndarray) -> LogisticRegressionModel:
    """A LogisticRegressionModel(uid, coefficientMatrix, interceptVector, numClasses, isMultinomial) with the
    parent's parameters (threshold, thresholds, columns)."""
    coefficients, intercepts = layout.split(theta)
    java = jvm(spark).org.apache.spark.ml.classification.LogisticRegressionModel(
        new_uid("logreg"), row_major_matrix(spark, coefficients), java_vector(spark, intercepts), layout.num_classes,
        layout.multinomial)
    return like(LogisticRegressionModel, java, parent)


def _parent_state(inp: UpdateInput, layout: L.Layout) -> tuple[L.LogisticStats, np.ndarray]:
    """The history's statistics and θ0 where they were taken, checked against the parent's model."""
    if not all(inp.state.has(n) for n in (L.TOTALS, L.HESSIAN, L.FEATURES)):
        raise MlshipError(["the parent version has no laplace state (state/logistic_*.arrow): "
                           "retrain it with `mlship train SPEC` to make it updatable"], code="data")
    hist, theta0 = L.from_tables(inp.state.read(L.TOTALS), inp.state.read(L.HESSIAN), inp.state.read(L.FEATURES))
    if hist.grad.shape != (layout.unknowns,) or hist.hess.shape != (layout.unknowns, layout.unknowns) \
            or hist.mean.shape != (layout.num_features,):
        raise MlshipError([f"the parent's laplace state has {hist.grad.shape[0]} unknowns, its model "
                           f"{layout.unknowns} ({layout.doc()})"], code="data")
    fitted = layout.theta(inp.predictor.coefficientMatrix.toArray(), inp.predictor.interceptVector.toArray())
    if not np.allclose(theta0, fitted, rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(fitted).max(initial=0)))):
        raise MlshipError(["the parent's laplace state was taken at other coefficients than its model's"], code="data")
    return hist, theta0


def _check_labels(inp: UpdateInput, layout: L.Layout) -> None:
    """New rows must hold the parent's classes: a class the parent never saw needs a retrain."""
    label = inp.predictor.getLabelCol()
    top = inp.new_train.agg(F.max(col(label).cast("double")).alias("m")).first()["m"]
    if top is not None and top >= layout.num_classes:
        raise MlshipError([f"the new data holds class index {int(top)}; the parent knows {layout.num_classes} "
                           "classes: a new class needs `mlship train SPEC`"], code="data")


@dataclass
class Newton:
    """Where Newton's method stopped: θ, the new rows' statistics at θ, and what it took."""

    theta: np.ndarray
    new: L.LogisticStats
    steps: int = 0
    aggregates: int = 0
    converged: bool = False


def newton(prob: Problem, evaluate: Callable[[np.ndarray], L.LogisticStats], start: Newton, max_iter: int,
           log: Callable[[str], None]) -> Newton:
    """Damped Newton from `start`: each trial point costs one aggregate; stops on a small step or decrement."""
    at = start
    value, grad, hess = prob.objective(at.theta, at.new)
    for _ in range(max_iter):
        d = prob.step(grad, hess)
        slope, t = float(grad @ d), 1.0
        if np.max(np.abs(d), initial=0.0) <= STEP_TOL * (1.0 + np.max(np.abs(at.theta), initial=0.0)) \
                or -slope <= DECREMENT_TOL * max(1.0, abs(value)):
            at.converged = True
            break
        for _ in range(MAX_HALVINGS):
            candidate = at.theta + t * d
            cand_new = evaluate(candidate)
            at.aggregates += 1
            cand = prob.objective(candidate, cand_new)
            if cand[0] <= value + ARMIJO * t * min(slope, 0.0):
                break
            t *= 0.5
        else:
            break  # no decrease along the Newton direction: at the optimum up to rounding
        at.theta, at.new, (value, grad, hess) = candidate, cand_new, cand
        at.steps += 1
        log(f"laplace: Newton step {at.steps}: objective × W {value:.12g}, step size {t:g}")
    return at


@register("laplace")
def laplace(inp: UpdateInput) -> UpdateResult:
    """Newton's method on the Laplace objective; returns the child's predictor and its state (history extrapolated)."""
    model: LogisticRegressionModel = inp.predictor  # type: ignore[assignment]
    layout = L.layout_of(model)
    refusal = L.laplace_refusal(model, layout)
    if refusal:
        raise MlshipError([f"laplace: {refusal}"], code="invalid")
    hist, theta0 = _parent_state(inp, layout)
    _check_labels(inp, layout)
    features, label, weight = model.getFeaturesCol(), model.getLabelCol(), _weight_col(model)

    def evaluate(theta: np.ndarray) -> L.LogisticStats:
        stats = L.logistic_stats(inp.new_train, features, label, weight, theta, layout)
        if stats is None:
            raise MlshipError(["laplace: the new data has no training rows"], code="data")
        return stats

    reg_param = float(model.getRegParam())
    start = Newton(theta0, evaluate(theta0), aggregates=1)
    prob = problem(layout, theta0, hist, L.add(hist, start.new), (1.0 - float(model.getElasticNetParam())) * reg_param,
                   bool(model.getStandardization()))
    if not prob.free.all():  # features constant in H ∪ N keep coefficient 0
        theta = np.where(prob.free, theta0, 0.0)
        start = Newton(theta, evaluate(theta), aggregates=2)
    done = newton(prob, evaluate, start, inp.options.max_iter or DEFAULT_MAX_ITER, inp.log)
    theta = centred(done.theta, layout, reg_param)
    child = _child_stats(hist, done.new, theta - theta0)
    predictor = logistic_regression_model(inp.spark, model, layout, theta)
    facts = {"newtonSteps": done.steps, "aggregates": done.aggregates, "converged": done.converged,
             "newRows": done.new.rows, "historyRows": hist.rows}
    return UpdateResult(predictor=predictor, state_tables=L.tables(child, theta, layout, child.std()), facts=facts)


def _child_stats(hist: L.LogisticStats, new: L.LogisticStats, delta: np.ndarray) -> L.LogisticStats:
    """The child's state: the history's part extrapolated to θ by its expansion, plus the new rows' exact one."""
    hd = hist.hess @ delta
    moved = replace(hist, loss=hist.loss + hist.grad @ delta + 0.5 * delta @ hd, grad=hist.grad + hd)
    return L.add(moved, new)


__all__ = ["Newton", "Problem", "centred", "laplace", "logistic_regression_model", "newton", "problem"]
