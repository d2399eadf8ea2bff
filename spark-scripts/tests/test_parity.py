"""Spark's own outputs in parity.arrow are reproduced by a scorer written from the doc alone, to <= 1e-9."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pytest

from mlship_runtime.export.api import export_pipeline
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.prepare import prepare
from mlship_runtime.train import fit_pipeline, split
from conftest import ChurnAndHouses
from portable_scorer import max_parity_difference

TOLERANCE = 1e-9
ROWS = 2_500
CHURN_FEATURES = Features(numeric=["tenure_months", "monthly_charges", "total_charges", "support_calls"],
                          categorical=["contract", "payment_method", "region"])
HOUSE_FEATURES = Features(numeric=["area_sqm", "rooms", "age_years", "distance_km"], categorical=["city"])


@pytest.fixture(scope="module")
def small_data(churn_and_houses: ChurnAndHouses) -> dict[str, Path]:
    """Smaller data sets for fast fits; houses gain a text label `band` with four classes."""
    return churn_and_houses("small", ROWS, (11, 12))


def _job(kind: str, scale: bool, impute: str) -> tuple[str, TrainJob]:
    """The data set and job for one case of the matrix."""
    base = {"binary": ("churn", "logistic_regression", "churned", CHURN_FEATURES),
            "multinomial": ("houses", "logistic_regression", "band", HOUSE_FEATURES),
            "linear": ("houses", "linear_regression", "price", HOUSE_FEATURES)}[kind]
    data, algorithm, label, features = base
    params = {"maxIter": 25, "regParam": 0.01} if algorithm == "logistic_regression" else {"regParam": 0.1}
    job = TrainJob(name=kind, algorithm=algorithm, label=label, features=replace(features, scale=scale, impute=impute),
                   train_path="", params=params, validation_fraction=0.2, validation_seed=3, parity_rows=1_000)
    return data, job


def _edge_rows(job: TrainJob) -> list[dict]:
    """Rows that exercise every missing and invalid path: null/NaN numerics, null/empty/unseen categories."""
    numeric, categorical = job.features.numeric, job.features.categorical
    rows = []
    for i, (num, cat) in enumerate([(None, None), (math.nan, "never-seen"), (None, ""), (1.5, None),
                                    (math.nan, None), (0.0, "never-seen")]):
        row = {job.label: 0.0}
        row.update({c: (num if j % 2 == i % 2 else 2.0 * (j + 1)) for j, c in enumerate(numeric)})
        row.update({c: cat for c in categorical})
        rows.append(row)
    return rows


CASES = [("binary", False, "mean"), ("binary", True, "median"), ("multinomial", False, "mode"),
         ("multinomial", True, "mean"), ("linear", False, "median"), ("linear", True, "mode")]


@pytest.mark.parametrize(("kind", "scale", "impute"), CASES, ids=[f"{k}-scale_{s}-{i}" for k, s, i in CASES])
def test_portable_scorer_reproduces_spark(spark, small_data, tmp_path: Path, kind: str, scale: bool,
                                          impute: str) -> None:
    data, job = _job(kind, scale, impute)
    prepared = prepare(spark.read.parquet(str(small_data[data])), replace(job, train_path=str(small_data[data])))
    frame = prepared.frame.cache()
    train, validation = split(frame, job.validation_fraction, job.validation_seed)
    model = fit_pipeline(job, train)
    validation = validation.unionByName(spark.createDataFrame(_edge_rows(job), schema=frame.schema))
    out = tmp_path / "model"
    export_pipeline(model, validation, out.as_uri(), label=job.label, run_id="t",
                    label_values=prepared.label_values, df_train=train, parity_rows=job.parity_rows)
    frame.unpersist()

    parity = ipc.open_file(str(out / "parity.arrow")).read_all()
    # Every edge row made it into the sample: it holds the whole validation split (about 500 rows), then training rows.
    assert validation.count() < parity.num_rows == job.parity_rows
    first_cat, first_num = job.features.categorical[0], job.features.numeric[0]
    assert pc.sum(pc.equal(parity[first_cat], "never-seen")).as_py() == 2
    assert parity[first_cat].null_count >= 3 and parity[first_num].null_count >= 1
    assert pc.sum(pc.is_nan(parity[first_num].fill_null(0.0))).as_py() >= 1

    worst = max_parity_difference(out)
    assert worst["labelMismatches"] == 0
    assert worst["prediction"] <= TOLERANCE and worst["probability"] <= TOLERANCE
    assert worst["rawPrediction"] <= TOLERANCE, worst

    descriptor = json.loads((out / "portable" / "descriptor.json").read_text())
    assert ("standard_scaler" in [s["kind"] for s in descriptor["stages"]]) == scale
    if kind == "multinomial":
        assert descriptor["label"]["values"] == ["budget", "luxury", "mid", "upper"]  # alphabetical
        assert descriptor["numClasses"] == 4 and descriptor["stages"][-1]["isMultinomial"]


def test_a_users_own_pipeline_exports_through_the_public_api(spark, small_data, tmp_path: Path) -> None:
    """Single-column params, alphabetical indexing, OneHotEncoder keep without dropLast, multinomial family on 2 classes."""
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import Imputer, OneHotEncoder, StringIndexer, VectorAssembler
    from pyspark.sql import functions as F

    df = spark.read.parquet(str(small_data["churn"])).select(
        F.col("churned").cast("double").alias("churned"), F.col("tenure_months").cast("double").alias("tenure"),
        "monthly_charges", "contract")
    train, validation = df.randomSplit([0.8, 0.2], seed=5)
    model = Pipeline(stages=[
        Imputer(inputCol="tenure", outputCol="tenure_i", strategy="median"),
        Imputer(inputCol="monthly_charges", outputCol="charges_i"),
        StringIndexer(inputCol="contract", outputCol="contract_i", handleInvalid="keep", stringOrderType="alphabetAsc"),
        OneHotEncoder(inputCol="contract_i", outputCol="contract_v", handleInvalid="keep", dropLast=False),
        VectorAssembler(inputCols=["tenure_i", "charges_i", "contract_v"], outputCol="x"),
        LogisticRegression(featuresCol="x", labelCol="churned", family="multinomial", maxIter=20, regParam=0.05),
    ]).fit(train)
    edge = spark.createDataFrame([(0.0, None, math.nan, None), (1.0, 3.0, 50.0, "never-seen")], schema=df.schema)
    out = tmp_path / "model"
    export_pipeline(model, validation.unionByName(edge), out.as_uri(), label="churned", run_id="own")
    descriptor = json.loads((out / "portable" / "descriptor.json").read_text())
    assert [s["kind"] for s in descriptor["stages"]] == ["imputer", "imputer", "string_indexer", "one_hot_encoder",
                                                         "vector_assembler", "logistic_regression"]
    # No source_types given: the pipeline's own types.
    assert descriptor["inputSchema"] == [{"name": "tenure", "type": "double", "role": "numeric", "sparkType": "double"},
                                         {"name": "monthly_charges", "type": "double", "role": "numeric",
                                          "sparkType": "double"},
                                         {"name": "contract", "type": "string", "role": "categorical",
                                          "sparkType": "string"}]
    lr = descriptor["stages"][-1]
    assert (descriptor["task"], lr["isMultinomial"], lr["threshold"], lr["numFeatures"]) == (
        "binary_classification", True, None, 2 + 5)  # 3 contracts + the indexer's invalid bucket + keep's slot
    worst = max_parity_difference(out)
    assert worst["labelMismatches"] == 0 and max(worst.values()) <= TOLERANCE
