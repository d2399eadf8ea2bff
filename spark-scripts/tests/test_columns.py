"""Column names Spark would parse (dots, backticks) work end to end; tiny data sets certify on every row.

The TypeScript certificate of the same runs: test/integration/small-data-dotted-names.test.ts.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import pytest
from pyspark.ml import PipelineModel
from pyspark.sql import types as T

from mlship_runtime.columns import LABEL_COLUMN, label_column, quote, stage_col, unquote
from mlship_runtime.errors import MlshipError
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.progress import quiet
from mlship_runtime.train import run_training

NAMES = ["a.b", "x`y", "`q`", "a..b.", "plain", "with space", "Caps/slash", "``", "a.`b`"]


@pytest.mark.parametrize("name", NAMES)
def test_unquote_inverts_stage_col_and_quote(name: str) -> None:
    assert unquote(stage_col(name)) == name
    assert unquote(quote(name)) == name


def test_only_names_spark_would_parse_are_quoted() -> None:
    assert [stage_col(n) for n in ("plain", "with space", "Caps/slash")] == ["plain", "with space", "Caps/slash"]
    assert stage_col("a.b") == "`a.b`"
    assert stage_col("x`y") == "`x``y`"
    assert unquote("`a`b`") == "`a`b`"  # not one quoted part: a name as it is
    assert (label_column("price"), label_column("price.usd"), label_column("")) == ("price", LABEL_COLUMN, "")


def _parity(model: Path) -> pa.Table:
    """parity.arrow with its schema metadata."""
    return ipc.open_file(str(model / "parity.arrow")).read_all()


def _dotted_frame(rows: int, seed: int) -> pa.Table:
    """Iris-like: three classes named with text, numeric and categorical features named with dots and a backtick."""
    rng = np.random.default_rng(seed)
    cls = rng.integers(0, 3, rows)
    width = rng.normal(1.0 + cls, 0.4)
    length = rng.normal(4.0 + 0.8 * cls, 0.5)
    length[rng.random(rows) < 0.1] = np.nan
    site = np.where(rng.random(rows) < 0.7, np.array(["n.1", "s.2", "e`3"])[cls], "w")
    return pa.table({
        "petal.width": width, "sepal.length (cm)": length, "site`code": site.astype(object),
        "obs.site.id": rng.integers(1, 4, rows).astype(float),
        "species.name": np.array(["setosa", "versicolor", "virginica"])[cls].astype(object),
    })


@pytest.mark.parametrize("algorithm,features", [
    ("logistic_regression", dict(encoding="onehot", scale="standard", bucketize={"obs.site.id": [0.0, 2.0, 9.0]})),
    ("random_forest_classifier", dict(encoding="index", quantiles={"sepal.length (cm)": 3},
                                      binarize={"obs.site.id": 1.5})),
])
def test_dotted_and_backticked_names_train_certify_and_stay_the_users(spark, tmp_path: Path, algorithm: str,
                                                                      features: dict) -> None:
    pq.write_table(_dotted_frame(105, 3), tmp_path / "iris.parquet")
    job = TrainJob(name="iris", algorithm=algorithm, label="species.name",
                   features=Features(numeric=["petal.width", "sepal.length (cm)", "obs.site.id"],
                                     categorical=["site`code"], **features),
                   train_path=str(tmp_path / "iris.parquet"), params={"maxIter": 30} if "logistic" in algorithm
                   else {"numTrees": 5, "seed": 3}, validation_fraction=0.2, validation_seed=7)
    model = tmp_path / "model"
    run_training(spark, job, model.as_uri(), "run-dots", log=quiet)

    d = json.loads((model / "portable" / "descriptor.json").read_text())
    assert sorted(c["name"] for c in d["inputSchema"]) == ["obs.site.id", "petal.width", "sepal.length (cm)",
                                                           "site`code"]
    assert d["label"] == {"column": "species.name", "values": ["setosa", "versicolor", "virginica"]}
    parity = _parity(model)
    assert parity.column_names[:4] == [c["name"] for c in d["inputSchema"]]
    # 105 rows, fewer than parity.rows: the sample holds every one of them and says so.
    assert parity.num_rows == 105 and parity.schema.metadata[b"mlship.allRows"] == b"true"
    metrics = json.loads((model / "metrics.json").read_text())
    assert metrics["parity"] == {"rows": 105, "fromValidation": metrics["rows"]["validation"],
                                 "fromTrain": metrics["rows"]["train"], "allRows": True}

    # Spark's own saved model reads the user's column names as they are.
    native = PipelineModel.load((model / "spark").as_uri())
    inputs = d["inputSchema"]
    schema = T.StructType([T.StructField(c["name"], T.DoubleType() if c["type"] == "double" else T.StringType())
                           for c in inputs])
    rows = list(zip(*[parity.column(c["name"]).to_pylist() for c in inputs]))
    scored = [r[0] for r in native.transform(spark.createDataFrame(rows, schema)).select("prediction").collect()]
    assert scored == parity.column("spark_prediction").to_pylist()


def test_too_few_rows_are_refused_before_fitting_with_the_count_and_the_minimum(spark, tmp_path: Path) -> None:
    pq.write_table(_dotted_frame(12, 4), tmp_path / "tiny.parquet")
    job = TrainJob(name="tiny", algorithm="logistic_regression", label="species.name",
                   features=Features(numeric=["petal.width"], categorical=[]), train_path=str(tmp_path / "tiny.parquet"))
    with pytest.raises(MlshipError) as raised:
        run_training(spark, job, (tmp_path / "model").as_uri(), "run-tiny", log=quiet)
    assert raised.value.code == "data"
    assert "has 12 usable rows" in raised.value.problems[0] and "at least 20" in raised.value.problems[0]
    assert not (tmp_path / "model").exists()
