"""The validation split is a per-row decision: stable under union, partitioning and the order of columns."""

from __future__ import annotations

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from mlship_runtime.split import SPLIT_KEY_COLUMN, split, split_unit

SCHEMA = T.StructType([T.StructField("y", T.DoubleType()), T.StructField("a", T.DoubleType()),
                       T.StructField("c", T.StringType())])


def _rows(start: int, stop: int) -> list[tuple]:
    """Deterministic prepared-looking rows with a few nulls, unique by a."""
    return [(float(i % 2), i * 0.5, None if i % 11 == 0 else f"c{i % 5}") for i in range(start, stop)]


def _frame(spark: SparkSession, rows: list[tuple], schema: T.StructType = SCHEMA) -> DataFrame:
    return spark.createDataFrame(rows, schema=schema)


def _sets(train: DataFrame, validation: DataFrame) -> tuple[set, set]:
    return {tuple(r) for r in train.collect()}, {tuple(r) for r in validation.collect()}


def test_split_of_a_union_is_the_union_of_splits(spark) -> None:
    a, b = _frame(spark, _rows(0, 600)), _frame(spark, _rows(600, 1000))
    whole = _sets(*split(a.unionByName(b), 0.2, 42))
    parts_a, parts_b = _sets(*split(a, 0.2, 42)), _sets(*split(b, 0.2, 42))
    assert whole == (parts_a[0] | parts_b[0], parts_a[1] | parts_b[1])
    assert len(whole[0]) + len(whole[1]) == 1000


def test_fraction_is_close_on_10k_rows_and_the_seed_matters(spark) -> None:
    frame = _frame(spark, _rows(0, 10_000)).cache()
    for fraction in (0.2, 0.5):
        train, validation = split(frame, fraction, 7)
        n = validation.count()
        assert abs(n / 10_000 - fraction) < 0.02, n
        assert train.count() + n == 10_000
    assert _sets(*split(frame, 0.2, 7)) != _sets(*split(frame, 0.2, 8))
    frame.unpersist()


def test_same_split_under_any_partitioning(spark) -> None:
    frame = _frame(spark, _rows(0, 2000))
    one = _sets(*split(frame.repartition(1), 0.25, 3))
    seven = _sets(*split(frame.repartition(7), 0.25, 3))
    assert one == seven
    reordered = frame.select("c", "a", "y").repartition(7)  # columns by name, not position
    assert {(y, a, c) for c, a, y in _sets(*split(reordered, 0.25, 3))[1]} == one[1]


def _unit(spark: SparkSession, rows: list[tuple], schema: T.StructType, **kw) -> list[float]:
    frame = _frame(spark, rows, schema)
    return [r[0] for r in frame.select(split_unit(frame, 42, **kw)).collect()]


def test_nulls_and_signed_zeros(spark) -> None:
    two = T.StructType([T.StructField("a", T.DoubleType()), T.StructField("b", T.DoubleType())])
    u = _unit(spark, [(None, 1.0), (1.0, None), (None, None), (0.0, 1.0), (-0.0, 1.0), (float("nan"), 1.0)], two)
    assert len({u[0], u[1], u[2]}) == 3  # xxhash64 alone would give the first two the same hash
    assert u[3] == u[4]  # -0.0 and 0.0 are the same value
    assert u[5] != u[3] and all(0.0 <= x < 1.0 for x in u)


def test_a_text_label_splits_by_its_value_not_its_index(spark) -> None:
    before = _unit(spark, [(1.0, 2.0, "x")], SCHEMA, label="y", label_values=["p", "q"])  # y = index of "q"
    after = _unit(spark, [(2.0, 2.0, "x")], SCHEMA, label="y", label_values=["o", "p", "q"])  # "o" arrived
    assert before == after


def test_a_key_column_decides_alone_and_is_dropped(spark) -> None:
    schema = T.StructType([*SCHEMA.fields, T.StructField(SPLIT_KEY_COLUMN, T.StringType())])
    rows = [(float(i % 2), float(i), "c", f"user{i % 40}") for i in range(400)]
    train, validation = split(_frame(spark, rows, schema), 0.3, 42)
    assert train.columns == validation.columns == ["y", "a", "c"]
    held = {int(r.a) % 40 for r in validation.collect()}
    kept = {int(r.a) % 40 for r in train.collect()}
    assert held and kept and not held & kept  # every row of a key on one side


@pytest.mark.parametrize("seed", [0, -5, 2**40])
def test_units_are_in_range_for_any_seed(spark, seed: int) -> None:
    frame = _frame(spark, _rows(0, 200))
    units = [r[0] for r in frame.select(split_unit(frame, seed)).collect()]
    assert all(0.0 <= x < 1.0 for x in units) and len(set(units)) == 200


def test_prepare_carries_the_key_for_split_and_checks_it(spark) -> None:
    from mlship_runtime.errors import MlshipError
    from mlship_runtime.job import Features, TrainJob, parse_job
    from mlship_runtime.prepare import prepare

    job = TrainJob(name="t", algorithm="linear_regression", label="y", features=Features(numeric=["a"], categorical=[]),
                   train_path="/t", validation_key="id")
    raw = spark.createDataFrame([(float(i), float(i), f"u{i % 3}") for i in range(30)], "y double, a double, id string")
    prepared = prepare(raw, job)
    assert prepared.frame.columns == ["y", "a", SPLIT_KEY_COLUMN]
    train, validation = split(prepared.frame, 0.4, 1)
    assert train.columns == ["y", "a"] and train.count() + validation.count() == 30
    with pytest.raises(MlshipError) as raised:
        prepare(raw.drop("id"), job)
    assert 'data.validation.key column "id" not found' in raised.value.problems[0]
    text = '{"model": {"algorithm": "linear_regression", "label": "y", "features": {"numeric": ["a"]}}, ' \
           '"data": {"train": "/t", "validation": {"fraction": 0.2, "seed": 1, "key": "id"}}}'
    assert parse_job(text).validation_key == "id"
    assert parse_job(text.replace(', "key": "id"', "")).validation_key is None
