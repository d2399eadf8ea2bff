"""Per-input-feature summaries of the training rows (for drift checks later): numeric count, missing, mean, std,
min and max; categorical count, missing, number of levels and the most frequent levels. One grouped Spark job."""

from __future__ import annotations

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import col
from ..export.profile import CATEGORICAL, NUMERIC
from .tables import table

TOP_LEVELS = 10
SCHEMA = pa.schema([("feature", pa.utf8()), ("kind", pa.utf8()), ("count", pa.int64()), ("missing", pa.int64()),
                    ("mean", pa.float64()), ("std", pa.float64()), ("min", pa.float64()), ("max", pa.float64()),
                    ("levels", pa.int64()), ("level", pa.utf8()), ("levelCount", pa.int64())])


def _float(value: object) -> float | None:
    """A Spark aggregate as a float (None stays None)."""
    return None if value is None else float(value)  # type: ignore[arg-type]


def summary_table(frame: DataFrame, columns: list[tuple[str, str]]) -> pa.Table:
    """The features.arrow table for (column, kind) pairs, in that order.

    Each row contributes one (feature, level, number) per column: a numeric column its value (NaN as null: missing, as
    the Imputer treats it) and no level, a categorical one its level and no number; one groupBy then gives a numeric
    column's statistics (level null) and each level's rows."""
    if not columns:
        return table(SCHEMA, [])
    parts = []
    for i, (name, kind) in enumerate(columns):
        if kind == NUMERIC:
            x = col(name).cast("double")
            parts.append(F.struct(F.lit(i).alias("f"), F.lit(None).cast("string").alias("v"),
                                  F.when(~F.isnan(x), x).alias("x")))
        else:
            parts.append(F.struct(F.lit(i).alias("f"), col(name).cast("string").alias("v"),
                                  F.lit(None).cast("double").alias("x")))
    grouped = (frame.select(F.explode(F.array(*parts)).alias("p"))
               .groupBy(F.col("p.f").alias("f"), F.col("p.v").alias("v"))
               .agg(F.count(F.lit(1)).alias("rows"), F.count("p.x").alias("n"), F.avg("p.x").alias("mean"),
                    F.stddev_samp("p.x").alias("std"), F.min("p.x").alias("lo"), F.max("p.x").alias("hi")).collect())
    by_feature: dict[int, list] = {}
    for r in grouped:
        by_feature.setdefault(int(r["f"]), []).append(r)
    rows = []
    for i, (name, kind) in enumerate(columns):
        own = by_feature.get(i, [])
        if kind == NUMERIC:
            r = own[0] if own else None
            n = int(r["n"]) if r else 0
            rows.append((name, kind, n, (int(r["rows"]) - n) if r else 0, _float(r and r["mean"]), _float(r and r["std"]),
                         _float(r and r["lo"]), _float(r and r["hi"]), None, None, None))
            continue
        missing = sum(int(r["rows"]) for r in own if r["v"] is None)
        levels = sorted(((r["v"], int(r["rows"])) for r in own if r["v"] is not None), key=lambda vn: (-vn[1], vn[0]))
        count = sum(n for _, n in levels)
        top = levels[:TOP_LEVELS] or [(None, None)]
        rows += [(name, CATEGORICAL, count, missing, None, None, None, None, len(levels), v, n) for v, n in top]
    return table(SCHEMA, rows)
