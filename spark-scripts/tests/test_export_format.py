"""A full in-process run writes exactly the files, fields and Arrow types docs/portable-model.md specifies."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import pytest
from pyspark.ml import PipelineModel

import generate_data
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.progress import quiet
from mlship_runtime.train import run_training
from portable_scorer import max_parity_difference

F64, UTF8, I32 = pa.float64(), pa.utf8(), pa.int32()
LIST_F64 = pa.list_(pa.float64())

STAGE_FIELDS = {
    "imputer": {"inputCols", "outputCols", "strategy", "missingValue"},
    "string_indexer": {"inputCols", "outputCols", "handleInvalid"},
    "one_hot_encoder": {"inputCols", "outputCols", "dropLast", "handleInvalid"},
    "vector_assembler": {"inputCols", "outputCol", "handleInvalid"},
    "standard_scaler": {"inputCol", "outputCol", "withMean", "withStd"},
    "logistic_regression": {"featuresCol", "numClasses", "numFeatures", "isMultinomial", "threshold", "thresholds",
                            "ddotLanes", "sparseCoefficients"},
    "linear_regression": {"featuresCol", "numFeatures", "ddotLanes", "sparseCoefficients"},
}
STAGE_COLUMNS = {
    "string_indexer": {"column": UTF8, "index": I32, "label": UTF8},
    "one_hot_encoder": {"column": UTF8, "size": I32},
    "vector_assembler": {"column": UTF8, "size": I32},
    "standard_scaler": {"mean": F64, "std": F64},
    "logistic_regression": {"row": I32, "intercept": F64, "coefficients": LIST_F64},
    "linear_regression": {"row": I32, "intercept": F64, "coefficients": LIST_F64},
}


def _arrow(path: Path) -> pa.Table:
    """Read an Arrow IPC *file*; the magic bytes prove it is not a stream."""
    data = path.read_bytes()
    assert data[:6] == b"ARROW1" and data[-6:] == b"ARROW1", f"{path} is not an Arrow IPC file"
    return ipc.open_file(pa.BufferReader(data)).read_all()


def _types(table: pa.Table) -> dict[str, pa.DataType]:
    """Column name to Arrow type."""
    return {f.name: f.type for f in table.schema}


@pytest.fixture(scope="module")
def churn_run(spark, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TrainJob]:
    """A binary run on 1,500 churn rows with a 10% validation split, so parity is topped up from training rows."""
    root = tmp_path_factory.mktemp("churn-run")
    pq.write_table(generate_data.churn(np.random.default_rng(5), 1_500), root / "churn.parquet")
    job = TrainJob(name="churn", algorithm="logistic_regression", label="churned",
                   features=Features(numeric=["tenure_months", "monthly_charges", "total_charges", "support_calls"],
                                     categorical=["contract", "payment_method", "region"], scale=True),
                   train_path=str(root / "churn.parquet"), params={"maxIter": 20, "regParam": 0.01},
                   validation_fraction=0.1, validation_seed=1, parity_rows=1_000)
    run_training(spark, job, (root / "model").as_uri(), "run-churn-1", log=quiet)
    return root / "model", job


def test_folder_holds_the_documented_files(churn_run) -> None:
    model, _ = churn_run
    assert (model / "spark" / "metadata").is_dir() and (model / "spark" / "stages").is_dir()
    assert {p.name for p in model.iterdir()} == {"spark", "portable", "state", "metrics.json", "params.json",
                                              "parity.arrow", "MANIFEST.json", "evaluation"}
    descriptor = json.loads((model / "portable" / "descriptor.json").read_text())
    files = sorted(p.relative_to(model / "portable").as_posix() for p in (model / "portable" / "stages").iterdir())
    assert files == [s["file"] for s in descriptor["stages"]]
    assert all(re.fullmatch(rf"stages/{i:02d}_{s['kind']}\.arrow", s["file"]) for i, s in enumerate(descriptor["stages"]))


def test_descriptor_matches_the_doc(churn_run) -> None:
    model, job = churn_run
    d = json.loads((model / "portable" / "descriptor.json").read_text())
    assert list(d) == ["format", "formatVersion", "sparkVersion", "algorithm", "task", "inputSchema", "label",
                       "numClasses", "stages", "outputs"]
    assert (d["format"], d["formatVersion"], d["sparkVersion"]) == ("mlship-portable-model", 1, "4.1.1")
    assert (d["algorithm"], d["task"], d["numClasses"]) == ("logistic_regression", "binary_classification", 2)
    # sparkType: the column's type in the parquet file as Spark read it (int64 -> bigint), before the casts.
    read_as = {"tenure_months": "bigint", "monthly_charges": "double", "total_charges": "double", "support_calls": "bigint"}
    assert d["inputSchema"] == [
        {"name": c, "type": "double", "role": "numeric", "sparkType": read_as[c]} for c in job.features.numeric] + [
        {"name": c, "type": "string", "role": "categorical", "sparkType": "string"} for c in job.features.categorical]
    assert d["label"] == {"column": "churned", "values": None}
    assert d["outputs"] == {"prediction": "prediction", "probability": "probability", "rawPrediction": "rawPrediction"}
    assert [s["kind"] for s in d["stages"]] == ["imputer", "string_indexer", "one_hot_encoder", "vector_assembler",
                                                "standard_scaler", "vector_assembler", "logistic_regression"]
    for stage in d["stages"]:
        assert set(stage) == {"kind", "uid", "file"} | STAGE_FIELDS[stage["kind"]], stage["kind"]
        assert stage["uid"].split("_")[0] in {"Imputer", "StringIndexer", "OneHotEncoder", "VectorAssembler",
                                              "StandardScaler", "LogisticRegression"}
    imputer, indexer, encoder, _, scaler, assembler, lr = d["stages"]
    assert imputer["missingValue"] == "NaN" and imputer["strategy"] == "mean"
    assert indexer["handleInvalid"] == "keep" and encoder["dropLast"] is True
    assert scaler["withMean"] is True and scaler["withStd"] is True and assembler["outputCol"] == "features"
    assert lr["isMultinomial"] is False and lr["threshold"] == 0.5 and lr["thresholds"] is None


def test_stage_files_hold_the_fitted_parameters_exactly(churn_run) -> None:
    model, job = churn_run
    d = json.loads((model / "portable" / "descriptor.json").read_text())
    tables = {s["kind"] + str(i): _arrow(model / "portable" / s["file"]) for i, s in enumerate(d["stages"])}
    for i, stage in enumerate(d["stages"]):
        table = tables[stage["kind"] + str(i)]
        if stage["kind"] == "imputer":
            assert _types(table) == {c: F64 for c in job.features.numeric} and table.num_rows == 1
        else:
            assert _types(table) == STAGE_COLUMNS[stage["kind"]], stage["kind"]
    spark_stages = PipelineModel.load((model / "spark").as_uri()).stages
    imputer, indexer, encoder, first_va, scaler, final_va, lr = spark_stages
    assert tables["imputer0"].to_pylist()[0] == imputer.surrogateDF.first().asDict()
    rows = tables["string_indexer1"].to_pylist()
    for column, labels in zip(job.features.categorical, indexer.labelsArray):
        assert [(r["index"], r["label"]) for r in rows if r["column"] == column] == list(enumerate(labels))
    sizes = tables["one_hot_encoder2"].to_pylist()
    assert [r["size"] for r in sizes] == [len(labels) + 1 for labels in indexer.labelsArray] == encoder.categorySizes
    assert tables["standard_scaler4"].column("mean").to_pylist() == scaler.mean.toArray().tolist()
    assert tables["standard_scaler4"].column("std").to_pylist() == scaler.std.toArray().tolist()
    assert tables["vector_assembler3"].column("size").to_pylist() == [1, 1, 1, 1]
    # dropLast: each one-hot vector has categorySize - 1 = numLabels elements
    assert tables["vector_assembler5"].column("size").to_pylist() == [4] + [n - 1 for n in encoder.categorySizes]
    assert sum(tables["vector_assembler5"].column("size").to_pylist()) == lr.numFeatures
    coefficients = tables["logistic_regression6"].to_pylist()
    assert len(coefficients) == 1 and coefficients[0]["row"] == 0
    assert coefficients[0]["coefficients"] == lr.coefficients.toArray().tolist()
    assert coefficients[0]["intercept"] == lr.intercept


def test_metrics_and_parity_follow_the_doc(churn_run) -> None:
    model, job = churn_run
    metrics = json.loads((model / "metrics.json").read_text())
    assert set(metrics) == {"task", "metrics", "rows", "parity", "spark", "durationSeconds"}
    assert set(metrics["metrics"]) == {"areaUnderROC", "accuracy", "f1", "logLoss"}
    assert 0.6 < metrics["metrics"]["areaUnderROC"] <= 1.0
    assert metrics["rows"]["train"] + metrics["rows"]["validation"] == 1_500
    assert metrics["rows"]["validation"] < 200
    # Validation rows first, topped up with training rows to parity.rows.
    assert metrics["parity"] == {"rows": 1_000, "fromValidation": metrics["rows"]["validation"],
                                 "fromTrain": 1_000 - metrics["rows"]["validation"], "allRows": False}
    assert metrics["spark"]["version"] == "4.1.1" and metrics["spark"]["applicationId"].startswith("local-")
    assert metrics["spark"]["master"] == "local[2]" and metrics["durationSeconds"] > 0
    parity = _arrow(model / "parity.arrow")
    assert parity.num_rows == 1_000 and parity.schema.metadata == {b"mlship.allRows": b"false"}
    assert _types(parity) == {**{c: F64 for c in job.features.numeric}, **{c: UTF8 for c in job.features.categorical},
                              "spark_prediction": F64, "spark_probability": LIST_F64, "spark_raw_prediction": LIST_F64}
    assert all(parity.schema.field(c).nullable for c in job.features.numeric + job.features.categorical)
    worst = max_parity_difference(model)
    assert worst["labelMismatches"] == 0 and max(worst.values()) <= 1e-9


def test_manifest_lists_every_file_with_its_checksum_and_comes_last(churn_run) -> None:
    model, _ = churn_run
    manifest = json.loads((model / "MANIFEST.json").read_text())
    assert (manifest["formatVersion"], manifest["runId"]) == (1, "run-churn-1")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["createdAt"])
    on_disk = sorted(p.relative_to(model).as_posix() for p in model.rglob("*") if p.is_file())
    paths = [f["path"] for f in manifest["files"]]
    assert paths == sorted(paths) == [p for p in on_disk if p != "MANIFEST.json"]
    assert any(p.endswith(".crc") for p in paths) and any(p.endswith("_SUCCESS") for p in paths)
    for entry in manifest["files"]:
        data = (model / entry["path"]).read_bytes()
        assert entry == {"path": entry["path"], "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    last = (model / "MANIFEST.json").stat().st_mtime_ns
    assert all((model / p).stat().st_mtime_ns <= last for p in paths)


def test_csv_regression_run(spark, tmp_path: Path) -> None:
    """CSV with the default header/inferSchema options, a linear regression, and no scaling."""
    data = tmp_path / "data"
    generate_data.generate(data, "csv")
    job = TrainJob(name="houses", algorithm="linear_regression", label="price",
                   features=Features(numeric=["area_sqm", "rooms", "age_years", "distance_km"], categorical=["city"],
                                     impute="median"),
                   train_path=str(data / "house_prices"), data_format="csv", params={"regParam": 0.1},
                   parity_rows=300)
    run_training(spark, job, (tmp_path / "model").as_uri(), "run-houses", log=quiet)
    model = tmp_path / "model"
    d = json.loads((model / "portable" / "descriptor.json").read_text())
    assert (d["task"], d["algorithm"], d["label"]) == ("regression", "linear_regression",
                                                        {"column": "price", "values": None})
    assert "numClasses" not in d and d["outputs"] == {"prediction": "prediction"}
    assert [s["kind"] for s in d["stages"]] == ["imputer", "string_indexer", "one_hot_encoder", "vector_assembler",
                                                "linear_regression"]
    assert _arrow(model / "portable" / d["stages"][-1]["file"]).num_rows == 1
    metrics = json.loads((model / "metrics.json").read_text())
    assert set(metrics["metrics"]) == {"rmse", "mae", "r2"} and metrics["metrics"]["r2"] > 0.8
    parity = _arrow(model / "parity.arrow")
    assert parity.num_rows == 300 and "spark_probability" not in parity.column_names
    assert max_parity_difference(model)["prediction"] <= 1e-9
