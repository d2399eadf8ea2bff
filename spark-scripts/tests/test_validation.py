"""Problems in the data, params or a user's pipeline come back as clear one-line MlshipError problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyspark.ml import Pipeline
from pyspark.ml.feature import SQLTransformer, VectorAssembler
from pyspark.ml.regression import LinearRegression

from mlship_runtime.algorithms import build_estimator
from mlship_runtime.errors import MlshipError
from mlship_runtime.export.api import export_pipeline
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.prepare import prepare


def _job(**changes) -> TrainJob:
    """A small job, changed field by field."""
    base = dict(name="t", algorithm="logistic_regression", label="y",
                features=Features(numeric=["a"], categorical=["c"]), train_path="/data/t")
    return TrainJob(**{**base, **changes})


def _problems(fn, *args, **kwargs) -> list[str]:
    """The problems a call raises."""
    with pytest.raises(MlshipError) as caught:
        fn(*args, **kwargs)
    return caught.value.problems


@pytest.fixture(scope="module")
def frame(spark):
    """A tiny frame with one column per kind of trouble."""
    return spark.createDataFrame(
        [(1.0, "x", 0, "p", "1.5", 0.5, None), (2.0, "y", 1, "q", "2", 1.0, None), (None, None, None, "p", "x", 2.0, None)],
        "a double, c string, y int, text_label string, a_text string, frac double, empty double")


def test_missing_columns_name_the_columns_there_are(frame) -> None:
    problems = _problems(prepare, frame, _job(label="Y", features=Features(numeric=["a", "b"], categorical=["cc"])))
    assert problems == [
        'label column "Y" not found in the training data (did you mean "y"?); '
        "columns are: a, c, y, text_label, a_text, frac, empty",
        'numeric feature column "b" not found in the training data; columns are: a, c, y, text_label, a_text, frac, empty',
        'categorical feature column "cc" not found in the training data; '
        "columns are: a, c, y, text_label, a_text, frac, empty",
    ]


@pytest.mark.parametrize(("job", "problem"), [
    (_job(features=Features(numeric=["a_text"], categorical=[])), 'numeric feature "a_text" has type string; expected numbers'),
    (_job(label="text_label", algorithm="linear_regression"), "linear_regression needs a numeric label"),
    (_job(label="frac"), 'label column "frac" holds numbers that are not class indices 0, 1, 2, ...'),
    (_job(features=Features(numeric=["empty"], categorical=[])), 'numeric feature "empty" has no values'),
    (_job(label="features"), "clashes with a column mlship's pipeline creates"),
])
def test_unusable_columns_are_reported(frame, job: TrainJob, problem: str) -> None:
    problems = _problems(prepare, frame, job)
    assert any(problem in p for p in problems), problems


def test_null_labels_are_dropped_and_text_labels_indexed(frame) -> None:
    prepared = prepare(frame, _job(label="text_label"))
    assert prepared.label_values == ["p", "q"]
    assert [r.text_label for r in prepared.frame.collect()] == [0.0, 1.0, 0.0]
    numeric = prepare(frame, _job())
    assert (numeric.rows, numeric.dropped_labels) == (2, 1)
    assert dict(numeric.frame.dtypes) == {"y": "double", "a": "double", "c": "string"}


def test_unknown_or_bad_params_are_reported(spark) -> None:
    problems = _problems(build_estimator, "logistic_regression", {"maxIterations": 5, "regParam": "lots",
                                                                  "labelCol": "z"}, "y")
    assert problems[0].startswith('model.params.maxIterations: LogisticRegression has no param "maxIterations"')
    assert problems[1].startswith("model.params.regParam: ")
    assert problems[2] == "model.params.labelCol: column params are set by mlship"


def test_export_refuses_pipelines_it_cannot_serve(spark, tmp_path: Path) -> None:
    df = spark.createDataFrame([(1, 0.5, 1.0), (2, 1.5, 0.0), (3, 2.5, 1.0)], "n int, x double, y double")
    tmp_path = tmp_path / "model"
    sql = Pipeline(stages=[SQLTransformer(statement="SELECT *, x * 2 AS x2 FROM __THIS__"),
                           VectorAssembler(inputCols=["x2"], outputCol="features"),
                           LinearRegression(labelCol="y")]).fit(df)
    problems = _problems(export_pipeline, sql, df, tmp_path.as_uri(), label="y", run_id="r")
    assert problems[0].startswith("the portable format has no stage kind for SQLTransformer")
    ints = Pipeline(stages=[VectorAssembler(inputCols=["n", "x"], outputCol="features"),
                            LinearRegression(labelCol="y")]).fit(df)
    problems = _problems(export_pipeline, ints, df, tmp_path.as_uri(), label="y", run_id="r")
    assert problems == ['column "n" feeds a vector_assembler stage but has type int; cast it to double before the '
                        "pipeline so serving sees the same values"]
    assert not tmp_path.exists()  # refused before writing anything
