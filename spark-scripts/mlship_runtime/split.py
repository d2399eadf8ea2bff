"""The validation split: a per-row decision from the row's content (or its key) and the seed, never from partitions."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .columns import col

# The key column prepare() carries when data.validation.key names one; split() hashes it and drops it.
SPLIT_KEY_COLUMN = "mlship__split_key"

# 53 bits of the hash make a double in [0, 1) with every value exactly representable.
_UNIT_BITS = 53


def _stable(frame: DataFrame, name: str) -> list[Column]:
    """A column as hash inputs: a null flag (xxhash64 skips nulls, so (null, 1) would equal (1, null)) and the value,
    with -0.0 read as 0.0 (equal values split together; every NaN already hashes alike)."""
    c = col(name)
    if isinstance(frame.schema[name].dataType, (T.DoubleType, T.FloatType)):
        c = F.when(c == 0.0, F.lit(0.0).cast(frame.schema[name].dataType)).otherwise(c)
    return [col(name).isNull(), c]


def _label_text(label: str, label_values: list[str]) -> Column:
    """A text label's own value, not its index (the index shifts when the set of labels grows)."""
    return F.element_at(F.array(*[F.lit(v) for v in label_values]), col(label).cast("int") + 1)


def split_unit(frame: DataFrame, seed: int, *, label: str = "", label_values: list[str] | None = None) -> Column:
    """Each row's place in [0, 1): xxhash64 of the seed and the row's columns (by name, so their order does not
    matter), or of the key column alone when the frame carries one. Deterministic across runs, partitionings and
    machines, so the split of history ∪ new is the split of history plus the split of new."""
    if SPLIT_KEY_COLUMN in frame.columns:
        parts = _stable(frame, SPLIT_KEY_COLUMN)
    else:
        parts = []
        for name in sorted(frame.columns):
            if name == label and label_values is not None:
                parts += [col(name).isNull(), _label_text(name, label_values)]
            else:
                parts += _stable(frame, name)
    hashed = F.xxhash64(F.lit(seed).cast("long"), *parts)
    return F.shiftrightunsigned(hashed, 64 - _UNIT_BITS).cast("double") / float(1 << _UNIT_BITS)


def split(frame: DataFrame, fraction: float, seed: int, *, label: str = "",
          label_values: list[str] | None = None) -> tuple[DataFrame, DataFrame]:
    """Training and validation rows: a row is held out when its split_unit is below the validation fraction."""
    unit = split_unit(frame, seed, label=label, label_values=label_values)
    held_out = unit < F.lit(fraction)
    columns = [c for c in frame.columns if c != SPLIT_KEY_COLUMN]
    marked = frame.withColumn("mlship__held_out", held_out)
    train = marked.where(~F.col("mlship__held_out")).select(*[col(c) for c in columns])
    validation = marked.where(F.col("mlship__held_out")).select(*[col(c) for c in columns])
    return train, validation
