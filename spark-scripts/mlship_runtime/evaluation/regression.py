"""A regressor's evaluation tables from its scored validation rows: residual summary, residual histogram and a
bounded predicted-vs-actual sample (three Spark jobs). The residual is actual - predicted."""

from __future__ import annotations

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import col
from .classification import bin_of
from .tables import table

SAMPLE_ROWS = 500
SAMPLE_SEED = 20261207
HISTOGRAM_BINS = 30
ACCURACY = 10_000  # percentile_approx's: quartiles within 1/10,000 of the rows' rank
SUMMARY = pa.schema([("count", pa.int64()), ("mean", pa.float64()), ("std", pa.float64()), ("min", pa.float64()),
                     ("q1", pa.float64()), ("median", pa.float64()), ("q3", pa.float64()), ("max", pa.float64())])
HISTOGRAM = pa.schema([("bin", pa.int32()), ("lower", pa.float64()), ("upper", pa.float64()), ("count", pa.int64())])
SAMPLE = pa.schema([("actual", pa.float64()), ("predicted", pa.float64())])


def _float(value: object) -> float | None:
    """A Spark aggregate as a float (None stays None)."""
    return None if value is None else float(value)  # type: ignore[arg-type]


def regression_tables(scored: DataFrame, label: str, prediction: str) -> dict[str, pa.Table]:
    """residual_summary (one row), residual_histogram and predicted_actual tables."""
    frame = scored.select(col(label).cast("double").alias("_y"), col(prediction).cast("double").alias("_p"))
    frame = frame.withColumn("_r", F.col("_y") - F.col("_p"))
    s = frame.agg(F.count("_r").alias("n"), F.avg("_r").alias("mean"), F.stddev_samp("_r").alias("std"),
                  F.min("_r").alias("min"), F.max("_r").alias("max"),
                  F.percentile_approx("_r", [0.25, 0.5, 0.75], ACCURACY).alias("q")).first()
    quartiles = list(s["q"] or [None, None, None])
    lo, hi = _float(s["min"]), _float(s["max"])
    summary = table(SUMMARY, [(int(s["n"]), _float(s["mean"]), _float(s["std"]), lo, *map(_float, quartiles), hi)])
    rows = []
    if lo is not None and hi is not None:
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        counts = {r["b"]: int(r["count"]) for r in
                  frame.groupBy(bin_of(F.col("_r"), lo, hi, HISTOGRAM_BINS).alias("b")).count().collect()}
        width = (hi - lo) / HISTOGRAM_BINS
        rows = [(b, lo + b * width, lo + (b + 1) * width, counts.get(b, 0)) for b in range(HISTOGRAM_BINS)]
    picked = frame.orderBy(F.rand(SAMPLE_SEED)).limit(SAMPLE_ROWS).select("_y", "_p").collect()
    sample = table(SAMPLE, sorted((float(r["_y"]), float(r["_p"])) for r in picked))
    return {"residual_summary": summary, "residual_histogram": table(HISTOGRAM, rows), "predicted_actual": sample}
