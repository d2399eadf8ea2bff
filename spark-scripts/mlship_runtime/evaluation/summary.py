"""Per-input-feature summaries of the training rows (for drift checks later): numeric count, missing, mean, std,
min and max; categorical count, missing, number of levels and the most frequent levels. At most two Spark jobs."""

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


def _numeric_rows(frame: DataFrame, names: list[str]) -> list[tuple]:
    """One row per numeric column, from one aggregation (NaN counts as missing, as the Imputer treats it)."""
    if not names:
        return []
    aggs = []
    for i, name in enumerate(names):
        x = col(name).cast("double")
        x = F.when(~F.isnan(x), x)
        aggs += [F.count(x).alias(f"n{i}"), F.sum(F.when(x.isNull(), 1).otherwise(0)).alias(f"m{i}"),
                 F.avg(x).alias(f"a{i}"), F.stddev_samp(x).alias(f"s{i}"), F.min(x).alias(f"lo{i}"),
                 F.max(x).alias(f"hi{i}")]
    r = frame.agg(*aggs).first()
    f = lambda v: None if v is None else float(v)  # noqa: E731
    return [(name, NUMERIC, int(r[f"n{i}"]), int(r[f"m{i}"] or 0), f(r[f"a{i}"]), f(r[f"s{i}"]), f(r[f"lo{i}"]),
             f(r[f"hi{i}"]), None, None, None) for i, name in enumerate(names)]


def _categorical_rows(frame: DataFrame, names: list[str]) -> list[tuple]:
    """Rows per categorical column: its TOP_LEVELS most frequent levels (ties by text), from one grouped job."""
    if not names:
        return []
    pairs = F.array(*[F.struct(F.lit(i).alias("f"), col(n).cast("string").alias("v")) for i, n in enumerate(names)])
    counts = (frame.select(F.explode(pairs).alias("p"))
              .groupBy(F.col("p.f").alias("f"), F.col("p.v").alias("v")).count().collect())
    by_feature: dict[int, list[tuple[str | None, int]]] = {}
    for r in counts:
        by_feature.setdefault(int(r["f"]), []).append((r["v"], int(r["count"])))
    rows = []
    for i, name in enumerate(names):
        own = by_feature.get(i, [])
        missing = sum(n for v, n in own if v is None)
        levels = sorted(((v, n) for v, n in own if v is not None), key=lambda vn: (-vn[1], vn[0]))
        count = sum(n for _, n in levels)
        top = levels[:TOP_LEVELS] or [(None, None)]
        rows += [(name, CATEGORICAL, count, missing, None, None, None, None, len(levels), v, n) for v, n in top]
    return rows


def summary_table(frame: DataFrame, columns: list[tuple[str, str]]) -> pa.Table:
    """The features.arrow table for (column, kind) pairs, in that order."""
    numeric = {r[0]: r for r in _numeric_rows(frame, [n for n, k in columns if k == NUMERIC])}
    categorical: dict[str, list[tuple]] = {}
    for r in _categorical_rows(frame, [n for n, k in columns if k == CATEGORICAL]):
        categorical.setdefault(r[0], []).append(r)
    rows = [row for n, k in columns for row in ([numeric[n]] if k == NUMERIC else categorical[n])]
    return table(SCHEMA, rows)
