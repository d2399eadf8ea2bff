"""ROC and precision-recall points as Spark's BinaryClassificationMetrics computes them, at a bounded set of thresholds.

Spark's curve has one point per distinct score t: the rows with score >= t predicted positive. Here the thresholds are
at most MAX_THRESHOLDS scores taken by approxQuantile (values present in the data, the lowest and highest included), so
every point is one of Spark's points; the counts behind them come from one grouped job over threshold buckets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from .tables import table

MAX_THRESHOLDS = 199  # plus the origin row: at most 200 points per class
QUANTILES = [i / (MAX_THRESHOLDS - 1) for i in range(MAX_THRESHOLDS)]
SCHEMA = pa.schema([("class", pa.utf8()), ("threshold", pa.float64()), ("fpr", pa.float64()), ("tpr", pa.float64()),
                    ("precision", pa.float64()), ("recall", pa.float64())])


def thresholds_of(quantiles: Sequence[float]) -> list[float]:
    """Ascending distinct finite thresholds from approxQuantile's answers (NaN and infinities dropped)."""
    return sorted({float(q) for q in quantiles if q is not None and math.isfinite(q)})


def splits_of(thresholds: Sequence[float]) -> list[float]:
    """Bucketizer splits: bucket i + 1 holds the scores in [thresholds[i], thresholds[i + 1]), bucket 0 those below."""
    return [-math.inf, *thresholds, math.inf]


def curve_rows(label: str, thresholds: Sequence[float], positives: np.ndarray, negatives: np.ndarray) -> list[tuple]:
    """(class, threshold, fpr, tpr, precision, recall) rows, highest threshold first, from the positive and negative
    rows per bucket (len(thresholds) + 1 buckets). The first row (threshold +inf) is the curves' origin: Spark's roc()
    starts at (0, 0), its pr() at recall 0 with the first threshold's precision."""
    pos, neg = np.asarray(positives, dtype=np.float64), np.asarray(negatives, dtype=np.float64)
    n_pos, n_neg = float(pos.sum()), float(neg.sum())
    # Rows with score >= thresholds[i] are buckets i + 1 and above: suffix sums.
    tp = np.cumsum(pos[::-1])[::-1][1:]
    fp = np.cumsum(neg[::-1])[::-1][1:]
    rows: list[tuple] = []
    for i in reversed(range(len(thresholds))):
        predicted = tp[i] + fp[i]
        recall = tp[i] / n_pos if n_pos else 0.0  # BinaryConfusionMatrix's conventions for empty classes
        rows.append((label, float(thresholds[i]), fp[i] / n_neg if n_neg else 0.0, recall,
                     tp[i] / predicted if predicted else 1.0, recall))
    first_precision = rows[0][4] if rows else 1.0
    return [(label, math.inf, 0.0, 0.0, first_precision, 0.0), *rows]


def curves_table(rows: list[tuple]) -> pa.Table:
    """The curves.arrow table."""
    return table(SCHEMA, rows)
