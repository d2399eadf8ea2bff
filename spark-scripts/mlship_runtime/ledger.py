"""What the driver read, for mlship's input ledger: the files behind the training frame and the watermark."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .errors import MlshipError

READ_FILES = "read-files.json"


def json_value(value: Any) -> str | int | float | bool | None:
    """A max() result as JSON: dates and times as ISO-8601, decimals as text, numbers and strings as they are."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)


def watermark(frame: DataFrame, column: str) -> dict[str, Any]:
    """The highest value of `column` in the frame (data.partitionColumn), as {"column", "value"}."""
    if column not in frame.columns:
        raise MlshipError([f"data.partitionColumn: the training data has no column {column!r} "
                           f"(it has {', '.join(frame.columns)})"], code="data")
    top = frame.agg(F.max(F.col(f"`{column}`"))).first()
    return {"column": column, "value": json_value(top[0] if top is not None else None)}


def read_report(frame: DataFrame, partition_column: str | None) -> dict[str, Any]:
    """read-files.json: the files Spark read (DataFrame.inputFiles) and the watermark when one is asked for."""
    return {"files": sorted(frame.inputFiles()),
            "watermark": watermark(frame, partition_column) if partition_column else None}
