"""Spark's streaming k-means rule (mllib StreamingKMeansModel.update, timeUnit "batches") in numpy, step for step,
generalised to weighted rows, and the `cluster_masses` state table it reads and writes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ..errors import MlshipError

DYING = 1e-8  # Spark: a cluster whose weight falls below DYING x the largest's is "dying"
SPLIT_NUDGE = 1e-14  # Spark: the split moves the two halves ± 1e-14 · max(|x|, 1) apart
MIN_WEIGHT = 1e-16  # Spark: lambda = m / max(n·a + m, 1e-16)


@dataclass(frozen=True)
class ClusterSums:
    """The new rows, per parent cluster they are closest to: row count, Σw and Σw·x (k x d)."""

    rows: np.ndarray
    sum_w: np.ndarray
    sum_wx: np.ndarray


@dataclass(frozen=True)
class StreamingStep:
    """The child's centres and masses after one update, and the (dying, largest) clusters Spark's split rule
    replaced, if it fired."""

    centres: np.ndarray
    masses: np.ndarray
    split: tuple[int, int] | None


def streaming_rule(centres: np.ndarray, masses: np.ndarray, new: ClusterSums, decay: float) -> StreamingStep:
    """One update exactly as Spark's StreamingKMeansModel.update(data, decay, "batches") computes it: masses
    discounted by `decay`; for each cluster j with new mass m_j > 0, n_j ← n_j·a + m_j, λ = m_j / max(n_j, 1e-16),
    c_j ← c_j·(1 − λ) + (λ/m_j)·Σw·x (= (c_j·n_j·a + x̄_j·m_j) / (n_j·a + m_j)); then the dying-cluster split. With
    every weight 1, m_j is the count Spark uses; clusters without new mass only have their mass discounted."""
    c = np.array(centres, dtype=np.float64, copy=True)
    n = np.asarray(masses, dtype=np.float64) * decay
    m = np.asarray(new.sum_w, dtype=np.float64)
    hit = m > 0  # Spark iterates over the clusters that received points; a zero-weight row moves nothing
    updated = n[hit] + m[hit]
    lam = m[hit] / np.maximum(updated, MIN_WEIGHT)
    n[hit] = updated
    c[hit] = c[hit] * (1.0 - lam)[:, None] + (lam / m[hit])[:, None] * np.asarray(new.sum_wx)[hit]
    return _split_dying(c, n)


def _split_dying(c: np.ndarray, n: np.ndarray) -> StreamingStep:
    """Spark's rule after the update: when the smallest weight is below 1e-8 of the largest, the largest cluster is
    split in two (each half weighing the mean of the two weights, centres nudged ± 1e-14 apart) and the smallest one
    dies. First index on ties, as Scala's maxBy/minBy."""
    largest, smallest = int(np.argmax(n)), int(np.argmin(n))
    if not n[smallest] < DYING * n[largest]:
        return StreamingStep(c, n, None)
    weight = (n[largest] + n[smallest]) / 2.0
    n[largest] = n[smallest] = weight
    x = c[largest].copy()
    nudge = SPLIT_NUDGE * np.maximum(np.abs(x), 1.0)
    c[largest], c[smallest] = x + nudge, x - nudge
    return StreamingStep(c, n, (smallest, largest))


def child_rows(parent_rows: np.ndarray, new_rows: np.ndarray, split: tuple[int, int] | None) -> np.ndarray:
    """The `rows` column after an update: the training rows whose assignment went into each centre, undiscounted.
    A split shares the largest cluster's rows between its two halves (the larger half stays); the dying
    cluster's rows are gone with its centre."""
    rows = np.asarray(parent_rows, dtype=np.int64) + np.asarray(new_rows, dtype=np.int64)
    if split is not None:
        smallest, largest = split
        total = int(rows[largest])
        rows[largest], rows[smallest] = total - total // 2, total // 2
    return rows


def read_masses(table: pa.Table, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, sumW) per cluster 0..k-1 from a `cluster_masses` table; refuses a table that does not hold each
    cluster once, or a mass that is negative or not finite."""
    clusters = table.column("cluster").to_pylist()
    if sorted(clusters) != list(range(k)):
        raise MlshipError([f"the parent's state/cluster_masses.arrow lists clusters {clusters}, but its model has "
                           f"{k} centres"], code="update")
    order = np.argsort(np.asarray(clusters))
    rows = np.asarray(table.column("rows").to_pylist(), dtype=np.int64)[order]
    sum_w = np.asarray(table.column("sumW").to_pylist(), dtype=np.float64)[order]
    if not np.all(np.isfinite(sum_w)) or np.any(sum_w < 0):
        raise MlshipError(["the parent's state/cluster_masses.arrow holds a negative or non-finite mass"],
                          code="update")
    return rows, sum_w


def masses_table(rows: np.ndarray, sum_w: np.ndarray) -> pa.Table:
    """A `cluster_masses` table in the schema export/state.py writes (cluster int32, rows int64, sumW float64)."""
    return pa.table({"cluster": pa.array(range(len(rows)), pa.int32()),
                     "rows": pa.array(np.asarray(rows, dtype=np.int64), pa.int64()),
                     "sumW": pa.array(np.asarray(sum_w, dtype=np.float64), pa.float64())})


__all__ = ["ClusterSums", "StreamingStep", "child_rows", "masses_table", "read_masses", "streaming_rule"]
