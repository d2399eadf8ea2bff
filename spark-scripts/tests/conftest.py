"""Shared fixtures: one small local SparkSession for the whole run, and generated example and test data."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
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


# Writes churn.parquet and houses.parquet (with the text label `band`) under a new folder: (folder, rows, seeds).
ChurnAndHouses = Callable[[str, int, tuple[int, int]], dict[str, Path]]


@pytest.fixture(scope="session")
def churn_and_houses(tmp_path_factory: pytest.TempPathFactory) -> ChurnAndHouses:
    """Small churn and house data for fast fits; houses gain a four-class text label `band` (price quartiles)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    import generate_data

    def write(folder: str, rows: int, seeds: tuple[int, int]) -> dict[str, Path]:
        out = tmp_path_factory.mktemp(folder)
        churn = generate_data.churn(np.random.default_rng(seeds[0]), rows)
        houses = generate_data.house_prices(np.random.default_rng(seeds[1]), rows)
        edges = np.quantile(houses["price"].to_numpy(), [0.25, 0.5, 0.75])
        names = np.array(["budget", "mid", "upper", "luxury"], dtype=object)
        houses = houses.append_column("band", pa.array(names[np.searchsorted(edges, houses["price"].to_numpy())]))
        paths = {"churn": out / "churn.parquet", "houses": out / "houses.parquet"}
        pq.write_table(churn, paths["churn"])
        pq.write_table(houses, paths["houses"])
        return paths

    return write
