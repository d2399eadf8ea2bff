"""The shift between an update's new rows and the history: the population stability index (PSI) per input feature,
over the bins and levels of the parent's data profile (state/profile.arrow, export/profile.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame

from ..errors import MlshipError
from ..export.profile import SCHEMA, bucket_counts, features_of, table_of

# A bucket's share below EPSILON is raised to it before the logarithm, on both sides: PSI stays finite, a bucket empty
# on both sides adds exactly 0, and one empty on one side adds (p − 1e-4)·ln(p / 1e-4) (p = 0.05: 0.31, large).
EPSILON = 1e-4
STABLE_BELOW, LARGE_ABOVE = 0.1, 0.25  # the conventional bands: < 0.1 stable, 0.1 to 0.25 moderate, > 0.25 large
KEY = ("feature", "kind", "bin", "lower", "upper", "level")  # what makes two profile rows the same bucket


def profile_counts(frame: DataFrame, profile: pa.Table) -> pa.Table:
    """The rows of `frame` counted in the profile's buckets (one Spark job): numbers in its bins, levels in its
    levels, a level it does not have in the unseen-level bucket (-2), null and NaN in missing (-1). Same rows, same
    order as `profile`, only `count` differs."""
    features = features_of(profile)
    return table_of(features, bucket_counts(frame, features))


def psi(history_counts: np.ndarray | list[int], new_counts: np.ndarray | list[int]) -> float:
    """Σ (pₙ − pₕ)·ln(pₙ/pₕ) over buckets, p the bucket's share of its side's rows, raised to EPSILON when
    smaller; NaN when a side has no rows."""
    h = np.asarray(history_counts, dtype=np.float64)
    n = np.asarray(new_counts, dtype=np.float64)
    if h.shape != n.shape:
        raise ValueError(f"history has {h.size} buckets, new data {n.size}")
    if h.sum() <= 0 or n.sum() <= 0:
        return math.nan
    ph, pn = np.maximum(h / h.sum(), EPSILON), np.maximum(n / n.sum(), EPSILON)
    return float(np.sum((pn - ph) * np.log(pn / ph)))


def band(value: float) -> str | None:
    """The conventional reading of a PSI: stable (< 0.1), moderate (0.1 to 0.25), large (> 0.25); None for NaN."""
    if math.isnan(value):
        return None
    return "stable" if value < STABLE_BELOW else "large" if value > LARGE_ABOVE else "moderate"


def _aligned(history: pa.Table, new: pa.Table) -> None:
    """Refuse two profile tables whose buckets differ (counted against another profile)."""
    if history.select(list(KEY)) != new.select(list(KEY)):
        raise MlshipError(["the new rows were counted in other buckets than the history's profile"], code="invalid")


def _by_feature(table: pa.Table) -> dict[str, tuple[str, np.ndarray]]:
    """feature -> (kind, its bucket counts in table order)."""
    grouped: dict[str, tuple[str, list[int]]] = {}
    for f, k, c in zip(table["feature"].to_pylist(), table["kind"].to_pylist(), table["count"].to_pylist()):
        grouped.setdefault(f, (k, []))[1].append(c)
    return {f: (k, np.asarray(c, dtype=np.int64)) for f, (k, c) in grouped.items()}


def shifts(profile: pa.Table, new_counts: pa.Table) -> list[dict[str, Any]]:
    """[{feature, kind, psi, band}] per profiled feature, largest shift first (a feature with no rows on a side:
    psi and band None, last)."""
    _aligned(profile, new_counts)
    new = _by_feature(new_counts)
    out = []
    for feature, (kind, h) in _by_feature(profile).items():
        value = psi(h, new[feature][1])
        out.append({"feature": feature, "kind": kind, "psi": None if math.isnan(value) else value,
                    "band": band(value)})
    return sorted(out, key=lambda s: (s["psi"] is None, -(s["psi"] or 0.0), s["feature"]))


def merge_profile(history: pa.Table, new_counts: pa.Table) -> pa.Table:
    """The child's profile: the history's buckets with the two sides' counts summed, so the next update compares
    against every row so far (levels first seen in the new data stay in the unseen-level bucket)."""
    _aligned(history, new_counts)
    total = pa.array(np.asarray(history["count"].to_numpy(), dtype=np.int64)
                     + np.asarray(new_counts["count"].to_numpy(), dtype=np.int64), pa.int64())
    return history.set_column(SCHEMA.get_field_index("count"), "count", total)


def rows_of(table: pa.Table) -> int:
    """The rows a profile counts (each feature counts every row once; 0 for a profile without features)."""
    counts = _by_feature(table)
    return int(next(iter(counts.values()))[1].sum()) if counts else 0


@dataclass(frozen=True)
class Shift:
    """What an update records about its new rows: the row counts, the shift per feature, and the child's profile."""

    history_rows: int
    new_rows: int
    shifts: list[dict[str, Any]]
    child_profile: pa.Table  # state/profile.arrow of the child

    def facts(self, top: int | None = None) -> dict[str, Any]:
        """For the version record: {"rows": {"history", "new"}, "shifts": [...]} (the `top` largest, or all)."""
        return {"rows": {"history": self.history_rows, "new": self.new_rows},
                "shifts": self.shifts if top is None else self.shifts[:top]}


def measure_shift(history_profile: pa.Table, new_rows: DataFrame) -> Shift:
    """Count the new rows in the history's profile, and measure and merge: the one call an update makes."""
    counts = profile_counts(new_rows, history_profile)
    return Shift(rows_of(history_profile), rows_of(counts), shifts(history_profile, counts),
                 merge_profile(history_profile, counts))
