"""Read the training data with Spark, applying per-format defaults and the spec's options."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession

from .errors import MlshipError, first_line
from .job import Scalar

# Spark's CSV reader sees every column as a string without these; the spec's options override them.
FORMAT_DEFAULTS: dict[str, dict[str, str]] = {"csv": {"header": "true", "inferSchema": "true"}}


def reader_options(data_format: str, options: dict[str, Scalar]) -> dict[str, str]:
    """The options passed to Spark's reader: format defaults, then the spec's, all as strings."""
    merged: dict[str, str] = dict(FORMAT_DEFAULTS.get(data_format, {}))
    for key, value in options.items():
        merged[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return merged


def read_training_data(spark: SparkSession, path: str, data_format: str, options: dict[str, Scalar]) -> DataFrame:
    """Load the training data; a missing or unreadable path becomes an MlshipError."""
    try:
        return spark.read.format(data_format).options(**reader_options(data_format, options)).load(path)
    except Exception as exc:  # Spark raises AnalysisException and friends; the first line says what.
        message = f"data.train: cannot read {data_format} data at {path}: {first_line(exc)}"
        raise MlshipError([message + _s3_hint(path, str(exc))], code="data") from exc


def _s3_hint(path: str, error: str) -> str:
    """What to do when Spark has no S3 filesystem: mlship adds hadoop-aws unless told otherwise."""
    if not path.startswith(("s3://", "s3a://")):
        return ""
    if "S3AFileSystem" in error or "No FileSystem for scheme" in error:
        return ("; this Spark has no S3A filesystem: add org.apache.hadoop:hadoop-aws:<the Spark build's Hadoop version> "
                "to spark.packages (docs/store.md)")
    return ""
