"""Rows to an Arrow table of a fixed schema (the evaluation files' one way to build a table)."""

from __future__ import annotations

import pyarrow as pa


def table(schema: pa.Schema, rows: list[tuple]) -> pa.Table:
    """A table of `schema` from row tuples in column order (no rows: an empty table of that schema)."""
    columns = list(zip(*rows)) if rows else [[] for _ in schema]
    return pa.table([pa.array(list(c), t) for c, t in zip(columns, schema.types)], schema=schema)
