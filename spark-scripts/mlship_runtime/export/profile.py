"""The data profile of the training rows (state/profile.arrow): per input feature, decile bins or level counts,
the history an update's population stability index compares the new data against (update/psi.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ..columns import col
from ..errors import MlshipError
from .descriptor import input_columns
from .stages import StageExport

NUMERIC, CATEGORICAL = "numeric", "categorical"
MISSING_BIN, OTHER_BIN = -1, -2  # null or NaN; a level the profiled rows did not have (categorical only)
DECILES = [i / 10 for i in range(1, 10)]  # 9 interior edges: 10 bins, fewer when edges coincide
RELATIVE_ERROR = 0.001  # approxQuantile's: an edge's rank is within 0.1% of the rows of the exact decile's
HOLDS = ("per input feature: numeric, the training rows in each of 10 decile bins [lower, upper) and the missing "
         "ones (bin -1); categorical, each level's rows, the missing ones (-1) and the unseen-level bucket (-2)")
SCHEMA = pa.schema([("feature", pa.utf8()), ("kind", pa.utf8()), ("bin", pa.int32()), ("lower", pa.float64()),
                    ("upper", pa.float64()), ("level", pa.utf8()), ("count", pa.int64())])


@dataclass(frozen=True)
class Feature:
    """One profiled column: numeric with its interior bin edges, or categorical with its levels (bin order)."""

    name: str
    kind: str
    edges: tuple[float, ...] = ()
    levels: tuple[str, ...] = ()


def profiled_columns(exports: list[StageExport], schema: T.StructType) -> list[tuple[str, str]]:
    """(column, kind) of the pipeline's input columns: categorical when a StringIndexer reads it first, numeric when
    it holds numbers; anything else (a vector fed straight to a stage) is not profiled."""
    types = {f.name: f.dataType for f in schema.fields}
    found = []
    for name, reader in input_columns(exports):
        if name not in types:
            continue
        if reader == "string_indexer":
            found.append((name, CATEGORICAL))
        elif isinstance(types[name], T.NumericType):
            found.append((name, NUMERIC))
    return found


def edges_of(quantiles: Sequence[float]) -> tuple[float, ...]:
    """Interior bin edges from decile estimates: sorted, deduplicated (a value held by many rows makes one edge)."""
    return tuple(float(e) for e in np.unique(np.asarray(quantiles, dtype=np.float64)))


def bin_of(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """The bin of each number: i when edges[i-1] <= x < edges[i] (open-ended first and last bins); -1 for NaN."""
    bins = np.searchsorted(np.asarray(edges, dtype=np.float64), values, side="right").astype(np.int64)
    return np.where(np.isnan(values), MISSING_BIN, bins)


def _number(name: str) -> Column:
    """A numeric column as a double, NaN as null (approxQuantile would rank NaN above every number)."""
    x = col(name).cast("double")
    return F.when(~F.isnan(x), x)


def _bin_expr(feature: Feature, index: int) -> Column:
    """The (feature index, bin, level) of each row for one feature, as Spark computes bin_of / the level lookup."""
    if feature.kind == NUMERIC:
        x = _number(feature.name)
        above = sum((F.when(x >= F.lit(e), 1).otherwise(0) for e in feature.edges), F.lit(0))
        b, level = F.when(x.isNull(), MISSING_BIN).otherwise(above), F.lit(None).cast("string")
    else:
        v = col(feature.name).cast("string")
        known = v.isin(list(feature.levels)) if feature.levels else F.lit(False)
        b = F.when(v.isNull(), MISSING_BIN).when(known, 0).otherwise(OTHER_BIN)
        level = F.when(known, v)
    return F.struct(F.lit(index).alias("f"), b.cast("int").alias("b"), level.alias("v"))


def bucket_counts(frame: DataFrame, features: list[Feature], *, every_level: bool = False) -> dict[
        tuple[int, int, str | None], int]:
    """Rows per (feature index, bin, level) in one grouped Spark job. A categorical's known level is bin 0 with the
    level; with `every_level` (the fit-time profile, which has no levels yet) every level present is."""
    if not features:
        return {}
    exprs = []
    for i, f in enumerate(features):
        if f.kind == CATEGORICAL and every_level:
            v = col(f.name).cast("string")
            exprs.append(F.struct(F.lit(i).alias("f"), F.when(v.isNull(), MISSING_BIN).otherwise(0).alias("b"),
                                  v.alias("v")))
        else:
            exprs.append(_bin_expr(f, i))
    rows = (frame.select(F.explode(F.array(*exprs)).alias("p"))
            .groupBy(F.col("p.f").alias("f"), F.col("p.b").alias("b"), F.col("p.v").alias("v")).count().collect())
    return {(int(r["f"]), int(r["b"]), r["v"]): int(r["count"]) for r in rows}


def numeric_edges(frame: DataFrame, names: list[str], relative_error: float = RELATIVE_ERROR) -> dict[str, tuple]:
    """Each numeric column's deduplicated decile edges, by one approxQuantile job over all of them (nulls and NaN
    ignored; a column with no number has no edge: one bin)."""
    if not names:
        return {}
    aliases = [f"q{i}" for i in range(len(names))]
    quantiles = frame.select(*[_number(n).alias(a) for n, a in zip(names, aliases)]).approxQuantile(
        aliases, DECILES, relative_error)
    return {n: edges_of(q) for n, q in zip(names, quantiles)}


def table_of(features: list[Feature], counts: dict[tuple[int, int, str | None], int]) -> pa.Table:
    """The profile table: per feature, its bins (numeric) or levels (categorical) in order, then missing, then (for
    a categorical) the unseen-level bucket; counts looked up in `counts` (0 when absent)."""
    rows: list[tuple] = []
    for i, f in enumerate(features):
        if f.kind == NUMERIC:
            bounds = (-np.inf, *f.edges, np.inf)
            rows += [(f.name, f.kind, b, bounds[b], bounds[b + 1], None, counts.get((i, b, None), 0))
                     for b in range(len(f.edges) + 1)]
        else:
            rows += [(f.name, f.kind, b, None, None, lv, counts.get((i, 0, lv), 0)) for b, lv in enumerate(f.levels)]
        rows.append((f.name, f.kind, MISSING_BIN, None, None, None, counts.get((i, MISSING_BIN, None), 0)))
        if f.kind == CATEGORICAL:
            rows.append((f.name, f.kind, OTHER_BIN, None, None, None, counts.get((i, OTHER_BIN, None), 0)))
    columns = list(zip(*rows)) if rows else [[] for _ in SCHEMA]
    return pa.table([pa.array(list(c), t) for c, t in zip(columns, SCHEMA.types)], schema=SCHEMA)


def profile(frame: DataFrame, columns: list[tuple[str, str]], relative_error: float = RELATIVE_ERROR) -> pa.Table:
    """The profile of the rows of `frame` for (column, kind) pairs: two Spark jobs (the deciles, then the counts)."""
    edges = numeric_edges(frame, [n for n, k in columns if k == NUMERIC], relative_error)
    features = [Feature(n, k, edges.get(n, ())) for n, k in columns]
    counts = bucket_counts(frame, features, every_level=True)
    levels: dict[int, list[tuple[str, int]]] = {}
    for (i, b, v), n in counts.items():
        if features[i].kind == CATEGORICAL and b == 0:
            levels.setdefault(i, []).append((v, n))
    # Levels by frequency (then text), so the table reads like the StringIndexer's default order.
    features = [Feature(f.name, f.kind, f.edges,
                        tuple(v for v, _ in sorted(levels.get(i, []), key=lambda vn: (-vn[1], vn[0]))))
                for i, f in enumerate(features)]
    return table_of(features, counts)


def features_of(table: pa.Table) -> list[Feature]:
    """The features of a profile table, with their edges and levels, in table order; a table of another schema, or
    whose edges do not increase, is refused (it comes from the store: untrusted)."""
    if not table.schema.equals(SCHEMA):
        raise MlshipError([f"state/profile.arrow: expected the columns {SCHEMA.names}, got {table.schema.names}"],
                          code="invalid")
    rows: dict[str, list[dict]] = {}
    for r in table.to_pylist():
        rows.setdefault(r["feature"], []).append(r)
    out: list[Feature] = []
    for name, own in rows.items():
        kind, bins = own[0]["kind"], [r for r in own if r["bin"] >= 0]
        if kind == NUMERIC:
            edges = tuple(r["upper"] for r in bins[:-1])
            if any(e is None or math.isnan(e) for e in edges) or list(edges) != sorted(set(edges)):
                raise MlshipError([f"state/profile.arrow: the bins of {name!r} are not in increasing order"],
                                  code="invalid")
            out.append(Feature(name, kind, edges=edges))
        else:
            out.append(Feature(name, kind, levels=tuple(r["level"] for r in bins)))
    return out


def profile_state(frame: DataFrame, exports: list[StageExport]) -> tuple[pa.Table, str]:
    """(table, what it holds) for export_state: the profile of the pipeline's input columns on the training rows."""
    return profile(frame, profiled_columns(exports, frame.schema)), HOLDS
