"""The exact update of a naive Bayes model: merge per-class sums, then compute pi, theta and sigma the way Spark's
NaiveBayes (trainDiscreteImpl, trainGaussianImpl) does from its per-class aggregates. Pure numpy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import MlshipError

MODEL_TYPES = ("multinomial", "bernoulli", "complement", "gaussian")
GAUSSIAN_EPSILON = 1e-9  # Spark's: the variances are raised by 1e-9 x the largest feature variance of all rows


@dataclass(frozen=True)
class ClassTotals:
    """One class's sums over its rows (the fields of export.state_stats.ClassSums): rows, Σw, Σwx, Σwx²."""

    count: int
    sum_w: float
    sum_wx: np.ndarray  # (p,)
    sum_wx2: np.ndarray | None  # (p,), gaussian only


ClassState = dict[int, ClassTotals]  # class index -> its sums (state/class_sums.arrow)


@dataclass(frozen=True)
class BayesSolution:
    """pi (K), theta (K x p) and sigma (K x p, gaussian; else None) over the classes present, in class order."""

    classes: list[int]
    pi: np.ndarray
    theta: np.ndarray
    sigma: np.ndarray | None


def from_class_sums(sums: dict[int, Any], gaussian: bool) -> ClassState:
    """A ClassState from export.state_stats.class_sums' answer (Σwx² kept for gaussian only)."""
    return {int(k): ClassTotals(int(s.count), float(s.sum_w), np.asarray(s.sum_wx, dtype=np.float64),
                                np.asarray(s.sum_wx2, dtype=np.float64) if gaussian else None)
            for k, s in sums.items()}


def state_of_table(table: Any, gaussian: bool) -> ClassState:
    """A ClassState from state/class_sums.arrow as export/state.py writes it."""
    rows = table.to_pylist()
    widths = {len(r["sumWX"] or []) for r in rows}
    if len(widths) > 1 or (gaussian and any(r["sumWX2"] is None or len(r["sumWX2"]) != len(r["sumWX"])
                                            for r in rows)):
        raise MlshipError(["state/class_sums.arrow: its classes differ in feature count, or a gaussian class lacks "
                           "Σwx²"], "update")
    return {int(r["class"]): ClassTotals(int(r["count"]), float(r["sumW"]), np.asarray(r["sumWX"], dtype=np.float64),
                                         np.asarray(r["sumWX2"], dtype=np.float64) if gaussian else None)
            for r in rows}


def _add(a: ClassTotals, b: ClassTotals) -> ClassTotals:
    """Two disjoint row sets of one class together."""
    x2 = None if a.sum_wx2 is None or b.sum_wx2 is None else a.sum_wx2 + b.sum_wx2
    return ClassTotals(a.count + b.count, a.sum_w + b.sum_w, a.sum_wx + b.sum_wx, x2)


def num_features(state: ClassState) -> int | None:
    """The feature count of a state (None when it has no class)."""
    return next((int(s.sum_wx.shape[0]) for s in state.values()), None)


def merge(a: ClassState, b: ClassState) -> ClassState:
    """The sums of two disjoint row sets: per class, field-wise sums; a class in one side only keeps its sums."""
    pa_, pb = num_features(a), num_features(b)
    if pa_ is not None and pb is not None and pa_ != pb:
        raise MlshipError([f"cannot merge naive Bayes states of {pa_} and {pb} features: the new data's feature "
                           "space differs from the parent's"], "data")
    return {k: _add(a[k], b[k]) if k in a and k in b else (a.get(k) or b[k]) for k in sorted({*a, *b})}


def solve(state: ClassState, model_type: str, smoothing: float) -> BayesSolution:
    """pi, theta and sigma as Spark's NaiveBayes computes them from the same per-class sums (docs/updating.md,
    "Exact: naive Bayes"); the classes are those present, sorted, as Spark's groupBy(label) finds them."""
    if model_type not in MODEL_TYPES:
        raise MlshipError([f"naive Bayes modelType {model_type!r}: no exact update"], "update")
    classes = sorted(state)
    if not classes:
        raise MlshipError(["no training rows: nothing to solve"], "data")
    n = np.array([state[k].sum_w for k in classes])  # Σw per class (Spark's weightSum)
    s = np.vstack([state[k].sum_wx for k in classes])  # Σwx per class and feature
    k_, p = s.shape
    if model_type == "gaussian":
        return _gaussian(classes, state, n, s)
    lam = float(smoothing)
    pi = np.log(n + lam) - np.log(n.sum() + k_ * lam)
    if model_type == "complement":
        s = s.sum(axis=0) - s  # each class's complement: the sums over every other class
    if model_type == "bernoulli":
        denom = np.log(n + 2.0 * lam)
    else:
        denom = np.log(s.sum(axis=1) + p * lam)
    theta = np.log(s + lam) - denom[:, None]
    return BayesSolution(classes, pi, -theta if model_type == "complement" else theta, None)


def _gaussian(classes: list[int], state: ClassState, n: np.ndarray, s: np.ndarray) -> BayesSolution:
    """Gaussian NB: means, variances raised by Spark's epsilon, and log priors without smoothing."""
    if any(state[k].sum_wx2 is None for k in classes):
        raise MlshipError(["gaussian naive Bayes needs Σwx² per class, and the state has none"], "update")
    sq = np.vstack([state[k].sum_wx2 for k in classes])
    total = n.sum()
    mean = s / n[:, None]
    # Spark: max over features of (Σ_k Σwx² / W − (Σ_k mean·Σw)² / W²), times 1e-9.
    global_sum = (mean * n[:, None]).sum(axis=0)
    epsilon = float(np.max(sq.sum(axis=0) / total - global_sum * global_sum / total / total)) * GAUSSIAN_EPSILON
    sigma = epsilon + sq / n[:, None] - mean * mean
    pi = np.log(n) - np.log(total)
    return BayesSolution(classes, pi, mean, sigma)
