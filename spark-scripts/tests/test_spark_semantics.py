"""Pin the Spark 4.1 behaviour docs/portable-model.md describes, so a Spark upgrade that changes it fails here."""

from __future__ import annotations

import math

import pytest
from pyspark.ml.feature import Imputer, OneHotEncoder, StringIndexer, VectorAssembler

pytestmark = pytest.mark.usefixtures("spark")


def test_string_indexer_keep_sends_null_empty_and_unseen_to_num_labels(spark) -> None:
    train = spark.createDataFrame([("a",), ("a",), ("b",), (None,), ("c",), ("b",), ("a",)], "c string")
    model = StringIndexer(inputCols=["c"], outputCols=["i"], handleInvalid="keep").fit(train)
    assert model.labelsArray == [["a", "b", "c"]]  # frequencyDesc; null is not a label
    test = spark.createDataFrame([("a",), (None,), ("zzz",), ("",), ("c",)], "c string")
    assert [r.i for r in model.transform(test).collect()] == [0.0, 3.0, 3.0, 3.0, 2.0]
    skip = StringIndexer(inputCol="c", outputCol="i", handleInvalid="skip").fit(train)
    assert [r.c for r in skip.transform(test).collect()] == ["a", "c"]  # null and unseen rows dropped


def test_one_hot_encoder_after_keep_indexer_has_size_num_labels_plus_one(spark) -> None:
    train = spark.createDataFrame([("a",), ("b",), ("c",), (None,)], "c string")
    indexed = StringIndexer(inputCols=["c"], outputCols=["i"], handleInvalid="keep").fit(train).transform(train)
    model = OneHotEncoder(inputCols=["i"], outputCols=["o"]).fit(indexed)
    assert model.categorySizes == [4] and model.getDropLast() and model.getHandleInvalid() == "error"
    vectors = [r.o.toArray().tolist() for r in model.transform(indexed).collect()]
    assert vectors == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]  # null -> 3 -> zeros


@pytest.mark.parametrize(("drop_last", "expected"), [
    (True, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
    (False, [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 1.0]]),
])
def test_one_hot_encoder_keep_adds_an_invalid_slot(spark, drop_last: bool, expected: list) -> None:
    model = OneHotEncoder(inputCols=["i"], outputCols=["o"], handleInvalid="keep", dropLast=drop_last).fit(
        spark.createDataFrame([(0.0,), (1.0,), (2.0,)], "i double"))
    assert model.categorySizes == [3]
    rows = model.transform(spark.createDataFrame([(0.0,), (2.0,), (3.0,), (7.0,)], "i double")).collect()
    assert [r.o.toArray().tolist() for r in rows] == expected


def test_imputer_replaces_null_and_nan_with_the_default_missing_value(spark) -> None:
    df = spark.createDataFrame([(1.0,), (float("nan"),), (None,), (5.0,), (3.0,)], "x double")
    model = Imputer(inputCols=["x"], outputCols=["y"]).fit(df)
    assert model.surrogateDF.first().x == 3.0  # mean of the present values
    assert [r.y for r in model.transform(df).collect()] == [1.0, 3.0, 3.0, 5.0, 3.0]


def test_imputer_with_another_missing_value_leaves_nan_alone(spark) -> None:
    df = spark.createDataFrame([(1.0,), (float("nan"),), (None,), (-1.0,), (5.0,)], "x double")
    model = Imputer(inputCols=["x"], outputCols=["y"], missingValue=-1.0).fit(df)
    assert model.surrogateDF.first().x == 3.0  # NaN, null and -1 are left out of the mean
    out = [r.y for r in model.transform(df).collect()]
    assert out[0] == 1.0 and math.isnan(out[1]) and out[2:] == [3.0, 3.0, 5.0]


def test_vector_assembler_keep_turns_null_and_nan_into_nan(spark) -> None:
    df = spark.createDataFrame([(1.0,), (None,), (float("nan"),)], "a double")
    rows = VectorAssembler(inputCols=["a"], outputCol="f", handleInvalid="keep").transform(df).collect()
    assert rows[0].f[0] == 1.0 and math.isnan(rows[1].f[0]) and math.isnan(rows[2].f[0])
    with pytest.raises(Exception, match="(?s)VectorAssembler|null|NaN"):
        VectorAssembler(inputCols=["a"], outputCol="f").transform(df.where("a is null")).collect()
