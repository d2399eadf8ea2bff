"""A clustering's evaluation table: each cluster's size and mean silhouette on the validation rows, computed the way
Spark's ClusteringEvaluator does (so the size-weighted mean equals the silhouette metric), in two Spark jobs."""

from __future__ import annotations

import math

import pyarrow as pa
from pyspark.ml.functions import array_to_vector, vector_to_array
from pyspark.ml.stat import Summarizer
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..columns import col
from .tables import table

SCHEMA = pa.schema([("cluster", pa.int32()), ("size", pa.int64()), ("silhouette", pa.float64())])
MAX_LITERALS = 200_000  # clusters x dimensions written into the per-row expression; beyond it, sizes only


def _dot(xs: Column, ys: list[float]) -> Column:
    """x . y for an array column and a constant vector."""
    return F.aggregate(F.zip_with(xs, F.array(*[F.lit(float(v)) for v in ys]), lambda a, b: a * b),
                       F.lit(0.0), lambda acc, v: acc + v)


def _squared_norm(xs: Column) -> Column:
    """||x||^2 of an array column."""
    return F.aggregate(xs, F.lit(0.0), lambda acc, v: acc + v * v)


def clustering_tables(scored: DataFrame, features: str, prediction: str, distance: str) -> dict[str, pa.Table]:
    """The clusters table: cluster id, validation rows in it, their mean silhouette (squared Euclidean or cosine)."""
    xs = vector_to_array(col(features))
    if distance == "cosine":  # Spark's CosineSilhouette works on unit vectors: d = 1 - x.y
        norm = F.sqrt(_squared_norm(xs))
        xs = F.transform(xs, lambda v: v / norm)
    frame = scored.select(col(prediction).cast("int").alias("_c"), xs.alias("_x"))
    frame = frame.withColumn("_n2", _squared_norm(F.col("_x")))
    stats = (frame.groupBy("_c").agg(F.count(F.lit(1)).alias("n"),
                                     Summarizer.sum(array_to_vector(F.col("_x"))).alias("y"),
                                     F.sum("_n2").alias("psi")).collect())
    clusters = sorted((int(r["_c"]), int(r["n"]), r["y"].toArray().tolist(), float(r["psi"])) for r in stats)
    sizes = {c: n for c, n, _, _ in clusters}
    dims = len(clusters[0][2]) if clusters else 0
    if len(clusters) < 2 or len(clusters) * dims > MAX_LITERALS:
        return {"clusters": table(SCHEMA, [(c, n, None) for c, n in sizes.items()])}
    x, own = F.col("_x"), F.col("_c")
    avg = {}
    for c, n, y, psi in clusters:  # the mean distance of a row to every row of cluster c
        if distance == "cosine":
            avg[c] = F.lit(1.0) - _dot(x, y) / F.lit(float(n))
        else:
            avg[c] = F.col("_n2") + F.lit(psi / n) - F.lit(2.0) * _dot(x, y) / F.lit(float(n))
    size = F.element_at(F.create_map(*[F.lit(v) for c, n in sizes.items() for v in (c, float(n))]), own)
    current = F.coalesce(*[F.when(own == c, a) for c, a in avg.items()]) * size / (size - F.lit(1.0))
    neighbour = F.least(*[F.when(own != c, a).otherwise(F.lit(math.inf)) for c, a in avg.items()])
    s = (F.when(size == 1.0, 0.0).when(current < neighbour, F.lit(1.0) - current / neighbour)
         .when(current > neighbour, neighbour / current - F.lit(1.0)).otherwise(0.0))
    means = {int(r["_c"]): float(r["s"]) for r in frame.groupBy("_c").agg(F.avg(s).alias("s")).collect()}
    return {"clusters": table(SCHEMA, [(c, n, means.get(c)) for c, n in sizes.items()])}
