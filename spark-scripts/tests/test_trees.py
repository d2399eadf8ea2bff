"""Tree models export as docs/portable-model.md says, and the doc-only scorer reproduces Spark's outputs to 1e-9.

Six algorithms x two categorical encodings, each fitted small (depth 3, 3 trees or iterations, 800 rows),
with edge rows (null, NaN, unseen and empty categories) in the validation split. Each data set is prepared
and split once for the module, so a case costs a fit and an export (about 6 s on 2 cores).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc
import pytest
from pyspark.sql import DataFrame

from mlship_runtime.catalogue import TREE_ALGORITHMS
from mlship_runtime.errors import MlshipError
from mlship_runtime.export.api import export_pipeline
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.prepare import Prepared, prepare
from mlship_runtime.train import fit_pipeline, split
from conftest import ChurnAndHouses
from portable_scorer import max_parity_difference

TOLERANCE = 1e-9
ROWS = 800
F64, I32 = pa.float64(), pa.int32()
NODE_COLUMNS = {"tree": I32, "id": I32, "leaf": pa.bool_(), "prediction": F64, "impurityStats": pa.list_(F64),
                "leftChild": I32, "rightChild": I32, "featureIndex": I32, "threshold": F64,
                "leftCategories": pa.list_(F64), "numCategories": I32}
# Without tenure (which follows the contract), the contract is churn's strongest signal: categorical splits come early.
CHURN = ("churn", "churned", Features(numeric=["monthly_charges", "total_charges", "support_calls"],
                                      categorical=["contract", "payment_method", "region"]))
BANDS = ("houses", "band", Features(numeric=["area_sqm", "age_years", "distance_km"], categorical=["city"]))
# Without size (area, rooms), the city premium is the largest part of the price: again an early categorical split.
PRICES = ("houses", "price", Features(numeric=["age_years", "distance_km"], categorical=["city"]))
SMALL = {"maxDepth": 3, "seed": 7}
TREES = 3


@pytest.fixture(scope="module")
def tree_data(churn_and_houses: ChurnAndHouses) -> dict[str, Path]:
    """Small churn and house data; houses gain a four-class text label `band` (price quartiles)."""
    return churn_and_houses("trees", ROWS, (21, 22))


def _case(algorithm: str, encoding: str) -> tuple[str, TrainJob]:
    """Binary churn for GBT and for index-encoded classifiers, four house bands for the other classifiers."""
    if algorithm.endswith("_regressor"):
        data, label, features = PRICES
    elif algorithm == "gbt_classifier" or encoding == "index":
        data, label, features = CHURN
    else:
        data, label, features = BANDS
    params = dict(SMALL)
    if algorithm.startswith("random_forest"):
        params["numTrees"] = TREES
    elif algorithm.startswith("gbt"):
        params["maxIter"] = TREES
    features = Features(numeric=features.numeric, categorical=features.categorical, encoding=encoding)
    return data, TrainJob(name=algorithm, algorithm=algorithm, label=label, features=features, train_path="",
                          params=params, validation_fraction=0.25, validation_seed=3, parity_rows=5_000)


def _edge_rows(job: TrainJob) -> list[dict]:
    """Null and NaN numerics; null, empty and unseen categories (the keep bucket of the indexer)."""
    rows = []
    for i, (num, cat) in enumerate([(None, None), (math.nan, "never-seen"), (None, ""), (3.0, None)]):
        row = {job.label: 0.0}
        row.update({c: (num if j % 2 == i % 2 else 5.0 * (j + 1)) for j, c in enumerate(job.features.numeric)})
        row.update({c: cat for c in job.features.categorical})
        rows.append(row)
    return rows


def _read(path: Path) -> pa.Table:
    """An Arrow IPC file (not a stream)."""
    assert path.read_bytes()[:6] == b"ARROW1", path
    return ipc.open_file(str(path)).read_all()


ALGORITHMS = list(TREE_ALGORITHMS)  # the catalogue's "trees" exporter family
CASES = [(a, e) for a in ALGORITHMS for e in ("index", "onehot")]


@pytest.fixture(scope="module")
def splits(spark, tree_data) -> Iterator[Callable[[str, TrainJob], tuple[Prepared, DataFrame, DataFrame]]]:
    """(prepared, train, validation with edge rows) per data set and label, prepared on first use."""
    cache: dict[tuple[str, str], tuple[Prepared, DataFrame, DataFrame]] = {}

    def get(data: str, job: TrainJob) -> tuple[Prepared, DataFrame, DataFrame]:
        if (data, job.label) not in cache:
            prepared = prepare(spark.read.parquet(str(tree_data[data])), job)
            frame = prepared.frame.cache()
            train, validation = split(frame, job.validation_fraction, job.validation_seed)
            edges = spark.createDataFrame(_edge_rows(job), schema=frame.schema)
            cache[(data, job.label)] = (prepared, train, validation.unionByName(edges))
        return cache[(data, job.label)]

    yield get
    for prepared, _, _ in cache.values():
        prepared.frame.unpersist()


@pytest.mark.parametrize(("algorithm", "encoding"), CASES, ids=[f"{a}-{e}" for a, e in CASES])
def test_tree_model_exports_and_reproduces_spark(splits, tmp_path: Path, algorithm: str, encoding: str) -> None:
    data, job = _case(algorithm, encoding)
    prepared, train, validation = splits(data, job)
    model = fit_pipeline(job, train)
    out = tmp_path / "model"
    export_pipeline(model, validation, out.as_uri(), label=job.label, run_id="t",
                    label_values=prepared.label_values, df_train=train, parity_rows=job.parity_rows)

    descriptor = json.loads((out / "portable" / "descriptor.json").read_text())
    kinds = [s["kind"] for s in descriptor["stages"]]
    assert descriptor["algorithm"] == algorithm and kinds[-1] == algorithm
    assert ("one_hot_encoder" in kinds) == (encoding == "onehot")
    stage = descriptor["stages"][-1]
    expected = {"kind", "uid", "file", "featuresCol", "numFeatures", "numTrees", "treeWeights"}
    if algorithm.endswith("_classifier"):
        expected |= {"numClasses", "thresholds"}
        assert descriptor["numClasses"] == stage["numClasses"] and stage["thresholds"] is None
    if algorithm.startswith("gbt"):
        expected |= {"lossType", "ddotLanes"}
        assert stage["ddotLanes"] is None or stage["ddotLanes"] in (1, 2, 4, 8, 16)
        assert stage["lossType"] == ("logistic" if algorithm == "gbt_classifier" else "squared")
    assert set(stage) == expected
    trees = {"decision_tree": 1, "random_forest": TREES, "gbt": TREES}[algorithm.rsplit("_", 1)[0]]
    assert stage["numTrees"] == trees and len(stage["treeWeights"]) == trees
    if algorithm.startswith("gbt"):
        assert stage["treeWeights"][0] == 1.0 and stage["treeWeights"][1:] == [0.1] * (trees - 1)  # stepSize

    nodes = _read(out / "portable" / stage["file"])
    assert {f.name: f.type for f in nodes.schema} == NODE_COLUMNS
    rows = nodes.to_pylist()
    assert sorted({r["tree"] for r in rows}) == list(range(trees))
    for r in rows:
        assert r["leaf"] == (r["leftChild"] == -1) == (r["featureIndex"] == -1)
        if r["leaf"]:
            assert r["threshold"] is None and r["leftCategories"] is None and r["numCategories"] == -1
        elif r["leftCategories"] is None:
            assert math.isfinite(r["threshold"]) and r["numCategories"] == -1
        else:
            assert r["threshold"] is None and 0 < len(r["leftCategories"]) < r["numCategories"]
        if algorithm.endswith("_classifier") and not algorithm.startswith("gbt"):
            assert len(r["impurityStats"]) == stage["numClasses"]
    categorical = [r for r in rows if r["leftCategories"] is not None]
    if encoding == "index":
        # numCategories is the indexer's label count plus its bucket for unseen and null values
        assert categorical, "expected at least one categorical split"
        assert {r["numCategories"] for r in categorical} <= {4, 6, 7}  # contract, payment/region, city
    else:
        # OneHotEncoder marks its slots as binary attributes, so Spark's trees split them as 2-category features
        assert all(r["numCategories"] == 2 for r in categorical)

    worst = max_parity_difference(out)
    assert worst["labelMismatches"] == 0, worst
    assert max(worst["prediction"], worst["probability"], worst["rawPrediction"]) <= TOLERANCE, worst


def test_max_bins_must_cover_every_category(spark, tree_data) -> None:
    _, job = _case("decision_tree_classifier", "index")
    job = TrainJob(**{**job.__dict__, "params": {"maxBins": 4}})
    with pytest.raises(MlshipError) as caught:
        prepare(spark.read.parquet(str(tree_data["churn"])), job)
    # contract has 3 values (4 categories with the keep bucket): fine; payment_method and region have 5.
    assert caught.value.problems == [
        f'categorical feature "{c}" has 5 values, 6 categories with the one for unseen and null values; '
        f'model.params.maxBins is 4: set it to at least 6, or use model.features.categoricalEncoding: onehot'
        for c in ("payment_method", "region")]


def test_gbt_classifier_refuses_more_than_two_classes(spark, tree_data) -> None:
    _, job = _case("gbt_classifier", "onehot")
    job = TrainJob(**{**job.__dict__, "label": "band", "features": BANDS[2]})
    with pytest.raises(MlshipError, match="label column \"band\" has 4 classes; gbt_classifier supports two"):
        prepare(spark.read.parquet(str(tree_data["houses"])), job)
