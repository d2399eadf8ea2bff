"""Shared fixtures: one small local SparkSession for the whole run, and generated example data."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SPARK_SCRIPTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(SPARK_SCRIPTS), str(SPARK_SCRIPTS / "examples"), str(Path(__file__).resolve().parent)]

LOG4J = SPARK_SCRIPTS / "conf" / "log4j2.properties"
LOG4J_OPTION = f"-Dlog4j2.configurationFile=file:{LOG4J}"

# Small on purpose: 2 cores, few shuffle partitions, no UI. Tests run many tiny jobs, so they also skip
# whole-stage code generation and the JIT's slow tier (both cost more than they save here; -25% wall time).
SPARK_CONF = {
    "spark.master": "local[2]",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.driver.extraJavaOptions": LOG4J_OPTION + " -XX:TieredStopAtLevel=1",
}


@pytest.fixture(scope="session")
def spark() -> Iterator["SparkSession"]:  # noqa: F821 - pyspark loads only when a test needs Spark
    """The one SparkSession of the test run (each start costs about 10 s)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("mlship-tests")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def example_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example data sets as the generator writes them (parquet), once per run."""
    import generate_data

    out = tmp_path_factory.mktemp("data")
    generate_data.generate(out, "parquet")
    return out
