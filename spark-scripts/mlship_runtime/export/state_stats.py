"""Sufficient statistics of the training split, computed by Spark aggregates (never by collecting rows)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyspark import cloudpickle
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import col

# The per-partition functions below run in Python workers, which may not have mlship_runtime on their path (a local
# driver's workers do not; only cluster mode ships the runtime zip): send this module's code with them by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

CHUNK_ROWS = 4096  # rows turned into one numpy block inside an executor: bounds its memory at CHUNK_ROWS x p


def _dense(v: Any) -> np.ndarray:
    """A Spark ML vector (dense or sparse) as a float64 array."""
    return np.asarray(v.toArray(), dtype=np.float64)


def _chunks(rows: Iterable[Any], size: int = CHUNK_ROWS) -> Iterator[list[Any]]:
    """Rows of one partition in blocks of at most `size`."""
    block: list[Any] = []
    for row in rows:
        block.append(row)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


@dataclass
class VectorStats:
    """Per element of a vector column: n, mean, M2 (sum of squared deviations), min, max, max |x|."""

    n: int
    mean: np.ndarray
    m2: np.ndarray
    min: np.ndarray
    max: np.ndarray

    @property
    def max_abs(self) -> np.ndarray:
        return np.maximum(np.abs(self.min), np.abs(self.max))


def vector_stats(frame: DataFrame, column: str) -> VectorStats | None:
    """n, mean, M2, min and max per element of a vector column (None on no rows), in one JVM aggregate
    (Spark's Summarizer, the one its scalers fit with; M2 = variance x (n - 1), its variance being unbiased)."""
    from pyspark.ml.stat import Summarizer

    summary = Summarizer.metrics("count", "mean", "variance", "min", "max")
    row = frame.select(summary.summary(col(column)).alias("s")).first()
    if row is None or row["s"] is None or int(row["s"]["count"]) == 0:
        return None
    s = row["s"]
    n = int(s["count"])
    return VectorStats(n, _dense(s["mean"]), _dense(s["variance"]) * (n - 1), _dense(s["min"]), _dense(s["max"]))


@dataclass
class Moments:
    """Weighted moments of (x, y): Σw, Σwy, Σwy², Σwx, Σwxy and the full p x p Σwxxᵀ; `rows` counts rows."""

    rows: int
    sum_w: float
    sum_wy: float
    sum_wy2: float
    sum_wx: np.ndarray
    sum_wxy: np.ndarray
    sum_wxx: np.ndarray


def _moments_partition(rows: Iterable[Any]) -> Iterator[Moments]:
    """One partition's moments, block by block."""
    acc = None
    for block in _chunks(rows):
        x = np.vstack([_dense(r[0]) for r in block])
        y = np.array([float(r[1]) for r in block])
        w = np.array([float(r[2]) for r in block])
        xw = x * w[:, None]
        part = Moments(len(block), float(w.sum()), float(w @ y), float(w @ (y * y)), xw.sum(axis=0), xw.T @ y,
                       xw.T @ x)
        acc = part if acc is None else _add_moments(acc, part)
    if acc is not None:
        yield acc


def _add_moments(a: Moments, b: Moments) -> Moments:
    """The moments of two disjoint row sets together (every field is a sum)."""
    return Moments(a.rows + b.rows, a.sum_w + b.sum_w, a.sum_wy + b.sum_wy, a.sum_wy2 + b.sum_wy2,
                   a.sum_wx + b.sum_wx, a.sum_wxy + b.sum_wxy, a.sum_wxx + b.sum_wxx)


def _weight(weight_col: str | None) -> Any:
    """The weight column as a double, or 1.0 for every row."""
    return col(weight_col).cast("double") if weight_col else F.lit(1.0)


def linear_moments(frame: DataFrame, features: str, label: str, weight_col: str | None) -> Moments | None:
    """Σw, Σwy, Σwy², Σwx, Σwxy and Σwxxᵀ over the rows, by a treeReduce of per-partition numpy blocks."""
    rdd = frame.select(col(features), col(label).cast("double"), _weight(weight_col)).rdd.mapPartitions(
        _moments_partition)
    # One job: None (no rows yet) is the identity, so the partitions combine as treeReduce combines them, without
    # the extra isEmpty() job (each job here starts Python workers).
    return rdd.treeAggregate(None, _add_or_none, _add_or_none)


def _add_or_none(a: Moments | None, b: Moments | None) -> Moments | None:
    """_add_moments with None standing for no rows."""
    return b if a is None else a if b is None else _add_moments(a, b)


@dataclass
class ClassSums:
    """Per class (label index): the row count, Σw, Σwx and Σwx² per feature."""

    count: int
    sum_w: float
    sum_wx: np.ndarray
    sum_wx2: np.ndarray


def _class_partition(rows: Iterable[Any]) -> Iterator[tuple[int, ClassSums]]:
    """One partition's per-class sums."""
    acc: dict[int, ClassSums] = {}
    for block in _chunks(rows):
        x = np.vstack([_dense(r[0]) for r in block])
        y = np.array([int(r[1]) for r in block])
        w = np.array([float(r[2]) for r in block])
        for k in np.unique(y):
            mask = y == k
            xk, wk = x[mask], w[mask]
            xw = xk * wk[:, None]
            part = ClassSums(int(mask.sum()), float(wk.sum()), xw.sum(axis=0), (xw * xk).sum(axis=0))
            acc[int(k)] = _add_class(acc[int(k)], part) if int(k) in acc else part
    yield from acc.items()


def _add_class(a: ClassSums, b: ClassSums) -> ClassSums:
    """Two disjoint row sets of one class together."""
    return ClassSums(a.count + b.count, a.sum_w + b.sum_w, a.sum_wx + b.sum_wx, a.sum_wx2 + b.sum_wx2)


def class_sums(frame: DataFrame, features: str, label: str, weight_col: str | None) -> dict[int, ClassSums]:
    """Per-class count, Σw, Σwx and Σwx² (what Spark's NaiveBayes aggregates), keyed by class index."""
    rdd = frame.select(col(features), col(label).cast("double"), _weight(weight_col)).rdd.mapPartitions(
        _class_partition)
    return dict(sorted(rdd.reduceByKey(_add_class).collect()))


def cluster_masses(frame: DataFrame, prediction: str, weight_col: str | None) -> dict[int, tuple[int, float]]:
    """Rows and Σw assigned to each cluster centre."""
    rows = (frame.groupBy(col(prediction).alias("cluster"))
            .agg(F.count(F.lit(1)).alias("rows"), F.sum(_weight(weight_col)).alias("sumW")).collect())
    return {int(r["cluster"]): (int(r["rows"]), float(r["sumW"])) for r in rows}


def _present(name: str, missing: float) -> Any:
    """Whether a numeric value counts for an Imputer: not null, not NaN, not its missingValue."""
    c = col(name)
    keep = c.isNotNull() & ~F.isnan(c)
    return keep if np.isnan(missing) else keep & (c != F.lit(missing))


def imputer_sums(frame: DataFrame, columns: list[str], missing: float) -> dict[str, tuple[int, float]]:
    """Per column: the count and sum of the values an Imputer(strategy=mean) averages, in one aggregate."""
    aggs = []
    for i, name in enumerate(columns):
        value = F.when(_present(name, missing), col(name).cast("double"))
        aggs += [F.count(value).alias(f"n{i}"), F.sum(value).alias(f"s{i}")]
    row = frame.agg(*aggs).first()
    return {name: (int(row[f"n{i}"]), float(row[f"s{i}"] or 0.0)) for i, name in enumerate(columns)}


def level_counts(frame: DataFrame, columns: list[str]) -> dict[str, dict[str, int]]:
    """Per string column, each non-null value's row count: one grouped job for all the columns."""
    pairs = F.explode(F.array(*[F.struct(F.lit(i).alias("c"), col(name).alias("v")) for i, name in enumerate(columns)]))
    rows = (frame.select(pairs.alias("p")).where(F.col("p.v").isNotNull())
            .groupBy(F.col("p.c").alias("c"), F.col("p.v").alias("v")).count().collect())
    counts: dict[str, dict[str, int]] = {name: {} for name in columns}
    for r in rows:
        counts[columns[int(r["c"])]][r["v"]] = int(r["count"])
    return counts


def value_counts(frame: DataFrame, name: str, present: Any | None = None) -> list[tuple[Any, int]]:
    """Each distinct value of a column with its row count (rows failing `present` left out), by value."""
    selected = frame.select(col(name).alias("v"))
    if present is not None:
        selected = frame.where(present).select(col(name).alias("v"))
    rows = selected.groupBy("v").count().collect()
    return sorted(((r["v"], int(r["count"])) for r in rows), key=lambda vc: (vc[0] is None, vc[0]))


def imputer_mode_counts(frame: DataFrame, name: str, missing: float) -> list[tuple[float, int]]:
    """The value counts an Imputer(strategy=mode) picks its surrogate from."""
    return [(float(v), n) for v, n in value_counts(frame, name, _present(name, missing))]
