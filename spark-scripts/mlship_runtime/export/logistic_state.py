"""Logistic regression's training state: the gradient and Hessian of the summed weighted log-loss at a coefficient
vector, and the features' weighted mean and M2 (Spark's featuresStd), by one Spark aggregate; the Arrow tables."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark import cloudpickle
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import col
from .state_stats import _chunks

# The per-partition function runs in Python workers that may not have mlship_runtime on their path (see state_stats).
cloudpickle.register_pickle_by_value(sys.modules[__name__])

MAX_UNKNOWNS = 4096  # coefficients + intercepts; the Hessian is MAX_UNKNOWNS² doubles (128 MiB) at most
CHUNK_ROWS = 2048
F64, I32, I64, BOOL = pa.float64(), pa.int32(), pa.int64(), pa.bool_()
TOTALS, HESSIAN, FEATURES = "logistic_totals", "logistic_hessian", "logistic_features"


@dataclass(frozen=True)
class Layout:
    """The unknowns θ: per coefficient set k (one for binomial, K for multinomial), p coefficients then the
    intercept when fitIntercept: θ[k·width + j] is coefficientMatrix[k, j], θ[k·width + p] interceptVector[k]."""

    num_features: int
    num_classes: int
    multinomial: bool
    fit_intercept: bool

    @property
    def sets(self) -> int:
        return self.num_classes if self.multinomial else 1

    @property
    def width(self) -> int:
        return self.num_features + int(self.fit_intercept)

    @property
    def unknowns(self) -> int:
        return self.sets * self.width

    def theta(self, coefficients: np.ndarray, intercepts: np.ndarray) -> np.ndarray:
        """θ from a (sets × p) coefficient matrix and the intercept vector."""
        b = np.asarray(coefficients, dtype=np.float64).reshape(self.sets, self.num_features)
        if self.fit_intercept:
            b = np.hstack([b, np.asarray(intercepts, dtype=np.float64).reshape(self.sets, 1)])
        return b.reshape(-1)

    def split(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(coefficient matrix sets × p, intercept vector) from θ."""
        b = np.asarray(theta, dtype=np.float64).reshape(self.sets, self.width)
        return b[:, :self.num_features].copy(), (b[:, -1].copy() if self.fit_intercept else np.zeros(self.sets))

    def coefficient_mask(self) -> np.ndarray:
        """True for the unknowns that are coefficients (penalised), False for intercepts."""
        return np.tile(np.arange(self.width) < self.num_features, self.sets)

    def feature_of(self) -> np.ndarray:
        """Each unknown's feature index, -1 for an intercept."""
        j = np.arange(self.width)
        return np.tile(np.where(j < self.num_features, j, -1), self.sets)

    def doc(self) -> dict[str, Any]:
        return {"numFeatures": self.num_features, "numClasses": self.num_classes, "multinomial": self.multinomial,
                "fitIntercept": self.fit_intercept, "unknowns": self.unknowns,
                "order": "per coefficient set k: the p coefficients, then the intercept when fitIntercept"}

    @staticmethod
    def of(doc: dict[str, Any]) -> Layout:
        return Layout(int(doc["numFeatures"]), int(doc["numClasses"]), bool(doc["multinomial"]),
                      bool(doc["fitIntercept"]))


@dataclass
class LogisticStats:
    """Over a row set, at one θ: rows, Σw, Σw², Σwℓ, its gradient and Hessian in θ, and per feature the weighted
    mean and M2 = Σw(x − mean)² (merged by Chan's rule)."""

    rows: int
    sum_w: float
    sum_w2: float
    loss: float
    grad: np.ndarray
    hess: np.ndarray
    mean: np.ndarray
    m2: np.ndarray

    def std(self) -> np.ndarray:
        """Spark's featuresStd: the weighted unbiased std, √(M2 / (Σw − Σw²/Σw)), 0 when that is undefined."""
        denominator = self.sum_w - self.sum_w2 / self.sum_w if self.sum_w > 0 else 0.0
        if denominator <= 0:
            return np.zeros_like(self.mean)
        return np.sqrt(np.maximum(self.m2 / denominator, 0.0))


def add(a: LogisticStats, b: LogisticStats) -> LogisticStats:
    """Two disjoint row sets at the same θ together."""
    w = a.sum_w + b.sum_w
    delta = b.mean - a.mean
    mean = a.mean + delta * (b.sum_w / w) if w > 0 else a.mean
    m2 = a.m2 + b.m2 + delta * delta * (a.sum_w * b.sum_w / w) if w > 0 else a.m2 + b.m2
    return LogisticStats(a.rows + b.rows, w, a.sum_w2 + b.sum_w2, a.loss + b.loss, a.grad + b.grad, a.hess + b.hess,
                         mean, m2)


def block_stats(x: np.ndarray, y: np.ndarray, w: np.ndarray, theta: np.ndarray, layout: Layout) -> LogisticStats:
    """The statistics of one block of rows (x: n × p, labels y as class indices, weights w). Pure numpy."""
    n = x.shape[0]
    xt = np.hstack([x, np.ones((n, 1))]) if layout.fit_intercept else x
    margins = xt @ np.asarray(theta).reshape(layout.sets, layout.width).T  # n × sets
    if layout.multinomial:
        top = margins.max(axis=1, keepdims=True)
        lse = (top + np.log(np.exp(margins - top).sum(axis=1, keepdims=True)))[:, 0]
        prob = np.exp(margins - lse[:, None])
        loss = float(w @ (lse - margins[np.arange(n), y.astype(int)]))
        residual = w[:, None] * (prob - np.eye(layout.sets)[y.astype(int)])
        grad = (residual.T @ xt).reshape(-1)
        q = layout.width
        hess = np.empty((layout.unknowns, layout.unknowns))
        for k in range(layout.sets):
            for m in range(k, layout.sets):
                s = w * (prob[:, k] * ((k == m) - prob[:, m]))
                block = (xt * s[:, None]).T @ xt
                hess[k * q:(k + 1) * q, m * q:(m + 1) * q] = block
                hess[m * q:(m + 1) * q, k * q:(k + 1) * q] = block.T
    else:
        z = margins[:, 0]
        prob = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, without overflow
        loss = float(w @ (np.logaddexp(0.0, z) - y * z))
        grad = xt.T @ (w * (prob - y))
        hess = (xt * (w * prob * (1.0 - prob))[:, None]).T @ xt
    sum_w = float(w.sum())
    mean = (w @ x) / sum_w if sum_w > 0 else np.zeros(x.shape[1])
    m2 = w @ ((x - mean) ** 2)
    return LogisticStats(n, sum_w, float(w @ w), loss, grad, hess, mean, m2)


def _partition(rows: Iterable[Any], theta: np.ndarray, layout: Layout) -> Iterator[LogisticStats]:
    """One partition's statistics, block by block."""
    acc = None
    for block in _chunks(rows, CHUNK_ROWS):
        x = np.vstack([np.asarray(r[0].toArray(), dtype=np.float64) for r in block])
        y = np.array([float(r[1]) for r in block])
        w = np.array([float(r[2]) for r in block])
        part = block_stats(x, y, w, theta, layout)
        acc = part if acc is None else add(acc, part)
    if acc is not None:
        yield acc


def logistic_stats(frame: DataFrame, features: str, label: str, weight_col: str | None, theta: np.ndarray,
                   layout: Layout) -> LogisticStats | None:
    """The statistics of every row of `frame` at θ, by a treeReduce of per-partition numpy blocks (None: no rows)."""
    weight = col(weight_col).cast("double") if weight_col else F.lit(1.0)
    rdd = frame.select(col(features), col(label).cast("double"), weight).rdd.mapPartitions(
        partial(_partition, theta=np.asarray(theta, dtype=np.float64), layout=layout))
    # One job: None (no rows yet) is the identity, so this combines as treeReduce does, without an isEmpty() job.
    return rdd.treeAggregate(None, _add_or_none, _add_or_none)


def _add_or_none(a: LogisticStats | None, b: LogisticStats | None) -> LogisticStats | None:
    """add with None standing for no rows."""
    return b if a is None else a if b is None else add(a, b)


def tables(stats: LogisticStats, theta: np.ndarray, layout: Layout, std: np.ndarray) -> dict[str, pa.Table]:
    """The three state tables: totals (one row), the gradient and Hessian (one row per unknown), the features."""
    classes = np.repeat(np.arange(layout.sets), layout.width)
    return {
        TOTALS: pa.table({"rows": pa.array([stats.rows], I64), "sumW": pa.array([stats.sum_w], F64),
                          "sumW2": pa.array([stats.sum_w2], F64), "loss": pa.array([stats.loss], F64)}),
        HESSIAN: pa.table({"unknown": pa.array(range(layout.unknowns), I32), "class": pa.array(classes, I32),
                           "feature": pa.array(layout.feature_of(), I32), "beta": pa.array(theta, F64),
                           "gradient": pa.array(stats.grad, F64),
                           "hessian": pa.array([list(r) for r in stats.hess], pa.list_(F64))}),
        FEATURES: pa.table({"feature": pa.array(range(layout.num_features), I32), "mean": pa.array(stats.mean, F64),
                            "m2": pa.array(stats.m2, F64), "std": pa.array(std, F64)}),
    }


def from_tables(totals: pa.Table, hessian: pa.Table, features: pa.Table) -> tuple[LogisticStats, np.ndarray]:
    """(the statistics, θ at which they were taken) back from the three tables."""
    t = totals.to_pylist()[0]
    h = hessian.to_pydict()
    f = features.to_pydict()
    stats = LogisticStats(int(t["rows"]), float(t["sumW"]), float(t["sumW2"]), float(t["loss"]),
                          np.asarray(h["gradient"], dtype=np.float64), np.asarray(h["hessian"], dtype=np.float64),
                          np.asarray(f["mean"], dtype=np.float64), np.asarray(f["m2"], dtype=np.float64))
    return stats, np.asarray(h["beta"], dtype=np.float64)


BOUNDS = ("lowerBoundsOnCoefficients", "upperBoundsOnCoefficients", "lowerBoundsOnIntercepts",
          "upperBoundsOnIntercepts")


def layout_of(model: Any) -> Layout:
    """The unknowns of a fitted LogisticRegressionModel (a binomial model has one coefficient row)."""
    rows = int(model.coefficientMatrix.numRows)
    return Layout(int(model.numFeatures), int(model.numClasses), rows > 1 or int(model.numClasses) > 2,
                  bool(model.getFitIntercept()))


def laplace_refusal(model: Any, layout: Layout) -> str | None:
    """Why a fitted LogisticRegressionModel has no Laplace state, or None when it can have one."""
    reg, alpha = float(model.getRegParam()), float(model.getElasticNetParam())
    if reg * alpha != 0.0:
        return f"elasticNetParam {alpha} with regParam {reg}: an L1 penalty has no Hessian (Spark fits it by OWLQN)"
    bounded = [b for b in BOUNDS if model.hasParam(b) and model.isSet(model.getParam(b))]
    if bounded:
        return f"{', '.join(bounded)} set: a bound-constrained fit has no Laplace update"
    fitted = np.concatenate([model.coefficientMatrix.toArray().ravel(), model.interceptVector.toArray()])
    if not np.isfinite(fitted).all():
        return "the fit has infinite coefficients or intercepts (one class only): its log-loss has no Hessian"
    if layout.unknowns > MAX_UNKNOWNS:
        return (f"{layout.unknowns} unknowns (coefficients and intercepts): the Hessian is only exported up to "
                f"{MAX_UNKNOWNS}")
    return None
