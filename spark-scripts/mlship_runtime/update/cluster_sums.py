"""Per-cluster row count, Σw and Σw·x of rows a k-means model assigns, by a treeReduce of per-partition numpy
blocks (no row reaches the driver)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from pyspark import cloudpickle
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import col

# The per-partition function runs in Python workers, which may not have mlship_runtime on their path: send this
# module's code by value (as export/state_stats.py does). It must therefore use nothing else from mlship_runtime.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

CHUNK_ROWS = 4096  # rows turned into one numpy block inside an executor: bounds its memory at CHUNK_ROWS x d

# rows (k), Σw (k), Σw·x (k x d), and the rows left out for a weight that is null, NaN, infinite or negative
Sums = tuple[np.ndarray, np.ndarray, np.ndarray, int]


def _block_sums(block: list[Any], k: int, d: int) -> Sums:
    """One block of (cluster, features, weight) rows summed per cluster."""
    w = np.array([np.nan if r[2] is None else float(r[2]) for r in block], dtype=np.float64)
    good = np.isfinite(w) & (w >= 0)
    rows = [r for r, ok in zip(block, good) if ok]
    w = w[good]
    labels = np.array([int(r[0]) for r in rows], dtype=np.int64)
    sum_wx = np.zeros((k, d))
    if rows:
        x = np.vstack([np.asarray(r[1].toArray(), dtype=np.float64) for r in rows])
        np.add.at(sum_wx, labels, x * w[:, None])
    return (np.bincount(labels, minlength=k).astype(np.int64), np.bincount(labels, weights=w, minlength=k),
            sum_wx, len(block) - len(rows))


def _partition(k: int, d: int) -> Any:
    """The per-partition function: the partition's sums, one tuple."""

    def run(rows: Iterable[Any]) -> Iterator[Sums]:
        acc: Sums = _zeros(k, d)
        block: list[Any] = []
        for row in rows:
            block.append(row)
            if len(block) == CHUNK_ROWS:
                acc = _add(acc, _block_sums(block, k, d))
                block = []
        if block:
            acc = _add(acc, _block_sums(block, k, d))
        yield acc

    return run


def _zeros(k: int, d: int) -> Sums:
    """The sums of no rows."""
    return np.zeros(k, dtype=np.int64), np.zeros(k), np.zeros((k, d)), 0


def _add(a: Sums, b: Sums) -> Sums:
    """Two disjoint row sets together."""
    return a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]


def cluster_sums(frame: DataFrame, cluster_col: str, features: str, weight_col: str | None, k: int, d: int) -> Sums:
    """(rows, Σw, Σw·x) per cluster index 0..k-1 of `cluster_col` over the frame's rows (zeros without rows), and
    the count of rows left out for an invalid weight; the weight is `weight_col` as a double, 1 without one."""
    weight = col(weight_col).cast("double") if weight_col else F.lit(1.0)
    rdd = frame.select(col(cluster_col).cast("int"), col(features), weight).rdd.mapPartitions(_partition(k, d))
    if rdd.getNumPartitions() == 0:
        return _zeros(k, d)
    return rdd.treeReduce(_add)


__all__ = ["cluster_sums"]
