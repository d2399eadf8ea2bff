"""A classifier's evaluation tables from its scored validation rows: curves, confusion matrix, calibration and score
histograms, from one approxQuantile job and one grouped job."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from pyspark.ml.feature import Bucketizer
from pyspark.ml.functions import vector_to_array
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..columns import col
from .curves import QUANTILES, curve_rows, curves_table, splits_of, thresholds_of
from .tables import table

RELATIVE_ERROR = 0.0005
CALIBRATION_BINS = 10
HISTOGRAM_BINS = 20
CONFUSION = pa.schema([("actual", pa.utf8()), ("predicted", pa.utf8()), ("count", pa.int64())])
CALIBRATION = pa.schema([("class", pa.utf8()), ("bin", pa.int32()), ("lower", pa.float64()), ("upper", pa.float64()),
                         ("meanPredicted", pa.float64()), ("observed", pa.float64()), ("count", pa.int64())])
HISTOGRAM = pa.schema([("class", pa.utf8()), ("actual", pa.utf8()), ("bin", pa.int32()), ("lower", pa.float64()),
                       ("upper", pa.float64()), ("count", pa.int64())])


def scored_classes(n_classes: int) -> list[int]:
    """The classes that get curves: the positive class of a binary model, every class (one-vs-rest) otherwise."""
    return [1] if n_classes == 2 else list(range(n_classes))


def bin_of(score: Column, lower: float, upper: float, bins: int) -> Column:
    """The equal-width bin of a score in [lower, upper] (the last bin closed), -1 for null or NaN."""
    width = (upper - lower) or 1.0
    inside = F.least(F.greatest(F.floor((score - F.lit(lower)) / F.lit(width) * bins), F.lit(0)), F.lit(bins - 1))
    return F.when(score.isNull() | F.isnan(score), F.lit(-1)).otherwise(inside)


def _part(kind: str, c: Column, b: Column, a: Column, p: Column, y: Column) -> Column:
    """One row's contribution to one table: (kind, class, bin, actual, score, positive)."""
    return F.struct(F.lit(kind).alias("k"), c.cast("int").alias("c"), b.cast("int").alias("b"),
                    a.cast("int").alias("a"), p.cast("double").alias("p"), y.cast("int").alias("y"))


def _range(thresholds: list[float], probability: bool) -> tuple[float, float]:
    """The histogram range of a class's scores: [0, 1] for probabilities, else the lowest to the highest score."""
    if probability or not thresholds:
        return 0.0, 1.0
    lo, hi = thresholds[0], thresholds[-1]
    return (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)


def classification_tables(scored: DataFrame, label: str, outputs: dict[str, str],
                          classes: list[str]) -> dict[str, pa.Table]:
    """curves, confusion, calibration (probabilistic models only) and score_histogram tables.

    The score of class c is probability[c], or rawPrediction[c] for a model without probabilities (linear SVC's
    margin), as the areaUnderROC metric ranks rows (evaluate.score_column)."""
    probability = "probability" in outputs
    vector = vector_to_array(col(outputs["probability"] if probability else outputs["rawPrediction"]))
    ks = scored_classes(len(classes))
    frame = scored.select(col(label).cast("int").alias("_y"), col(outputs["prediction"]).cast("int").alias("_p"),
                          *[vector[c].alias(f"_s{c}") for c in ks])
    answers = frame.approxQuantile([f"_s{c}" for c in ks], QUANTILES, RELATIVE_ERROR)
    thresholds = {c: thresholds_of(q) for c, q in zip(ks, answers)}
    curved = [c for c in ks if thresholds[c]]
    if curved:
        frame = Bucketizer(inputCols=[f"_s{c}" for c in curved], outputCols=[f"_b{c}" for c in curved],
                           splitsArray=[splits_of(thresholds[c]) for c in curved], handleInvalid="keep").transform(frame)
    ranges = {c: _range(thresholds[c], probability) for c in ks}
    parts = []
    for c in ks:
        s, y = F.col(f"_s{c}"), (F.col("_y") == c).cast("int")
        if c in curved:
            parts.append(_part("roc", F.lit(c), F.col(f"_b{c}"), y, F.lit(0.0), y))
        if probability:
            parts.append(_part("cal", F.lit(c), bin_of(s, 0.0, 1.0, CALIBRATION_BINS), F.lit(-1), s, y))
        parts.append(_part("hist", F.lit(c), bin_of(s, *ranges[c], HISTOGRAM_BINS), F.col("_y"), F.lit(0.0), F.lit(0)))
    parts.append(_part("cm", F.col("_p"), F.lit(0), F.col("_y"), F.lit(0.0), F.lit(0)))
    grouped = (frame.select(F.explode(F.array(*parts)).alias("x"))
               .groupBy(F.col("x.k").alias("k"), F.col("x.c").alias("c"), F.col("x.b").alias("b"),
                        F.col("x.a").alias("a"))
               .agg(F.count(F.lit(1)).alias("n"), F.sum("x.p").alias("sp"), F.sum("x.y").alias("sy")).collect())
    got = {(r["k"], r["c"], r["b"], r["a"]): (int(r["n"]), float(r["sp"] or 0.0), int(r["sy"] or 0)) for r in grouped}
    n = lambda *key: got.get(key, (0, 0.0, 0))[0]  # noqa: E731 - a lookup, read like a formula below
    tables = {"curves": curves_table([row for c in curved for row in curve_rows(
        classes[c], thresholds[c],
        np.array([n("roc", c, b, 1) for b in range(len(thresholds[c]) + 1)]),
        np.array([n("roc", c, b, 0) for b in range(len(thresholds[c]) + 1)]))])}
    k = range(len(classes))
    tables["confusion"] = table(CONFUSION, [(classes[a], classes[p], n("cm", p, 0, a)) for a in k for p in k])
    if probability:
        rows = []
        for c in ks:
            for b in range(CALIBRATION_BINS):
                count, total, positives = got.get(("cal", c, b, -1), (0, 0.0, 0))
                rows.append((classes[c], b, b / CALIBRATION_BINS, (b + 1) / CALIBRATION_BINS,
                             total / count if count else None, positives / count if count else None, count))
        tables["calibration"] = table(CALIBRATION, rows)
    rows = []
    for c in ks:
        lo, hi = ranges[c]
        width = (hi - lo) / HISTOGRAM_BINS
        rows += [(classes[c], classes[a], b, lo + b * width, lo + (b + 1) * width, n("hist", c, b, a))
                 for a in k for b in range(HISTOGRAM_BINS)]
    tables["score_histogram"] = table(HISTOGRAM, rows)
    return tables
