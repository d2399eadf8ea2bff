"""Column references and type checks shared by preparation and export."""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F
from pyspark.sql import types as T


# The prepared label's column when the label's own name is one Spark's estimators cannot read (see label_column).
LABEL_COLUMN = "mlship__label"


def quote(name: str) -> str:
    """A column name in backticks, backticks inside it doubled: Spark reads it as one top-level column."""
    return "`" + name.replace("`", "``") + "`"


def col(name: str) -> Column:
    """A reference to a top-level column, even when its name contains dots or backticks."""
    return F.col(quote(name))


def needs_quoting(name: str) -> bool:
    """Whether Spark would parse the name as more than one part: `a.b` is field b of a struct a."""
    return "." in name or "`" in name


def stage_col(name: str) -> str:
    """A column name for a Spark ML stage's inputCol(s) param, which Spark parses like col(): quoted when needed.

    Only names that need it are quoted, so the params (and the saved native model) of other names stay as they were.
    Output column params are taken literally by Spark and are never quoted.
    """
    return quote(name) if needs_quoting(name) else name


def unquote(name: str) -> str:
    """The column a stage param names: the inverse of stage_col (a name that is not one quoted part is as it is)."""
    if len(name) >= 2 and name[0] == "`" and name[-1] == "`" and "`" not in name[1:-1].replace("``", ""):
        return name[1:-1].replace("``", "`")
    return name


def label_column(label: str) -> str:
    """The label's column in the prepared frame: its own name, or LABEL_COLUMN when Spark's estimators cannot
    read that name (they refuse a labelCol with a dot, quoted or not)."""
    return LABEL_COLUMN if needs_quoting(label) else label


def is_number(data_type: T.DataType) -> bool:
    """Whether a Spark type holds numbers (booleans are not numbers here)."""
    return isinstance(data_type, T.NumericType)


def is_atomic(data_type: T.DataType) -> bool:
    """Whether a Spark type casts cleanly to a string category (no arrays, maps, structs, vectors, bytes)."""
    return isinstance(data_type, T.AtomicType) and not isinstance(data_type, T.BinaryType)


def describe(data_type: T.DataType) -> str:
    """Spark's short name for a type, for messages."""
    return data_type.simpleString()
