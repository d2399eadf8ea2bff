"""Column references and type checks shared by preparation and export."""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F
from pyspark.sql import types as T


def col(name: str) -> Column:
    """A reference to a top-level column, even when its name contains dots or backticks."""
    return F.col("`" + name.replace("`", "``") + "`")


def is_number(data_type: T.DataType) -> bool:
    """Whether a Spark type holds numbers (booleans are not numbers here)."""
    return isinstance(data_type, T.NumericType)


def is_atomic(data_type: T.DataType) -> bool:
    """Whether a Spark type casts cleanly to a string category (no arrays, maps, structs, vectors, bytes)."""
    return isinstance(data_type, T.AtomicType) and not isinstance(data_type, T.BinaryType)


def describe(data_type: T.DataType) -> str:
    """Spark's short name for a type, for messages."""
    return data_type.simpleString()
