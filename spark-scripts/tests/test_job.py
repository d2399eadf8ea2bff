"""parse_job: defaults from the spec schema, and every problem reported at once."""

from __future__ import annotations

import json

import pytest

from mlship_runtime.errors import MlshipError
from mlship_runtime.job import parse_job

MINIMAL = {
    "name": "churn",
    "model": {"algorithm": "logistic_regression", "label": "churned", "features": {"numeric": ["tenure"]}},
    "data": {"train": "/data/churn"},
}


def _with(path: str, value: object) -> str:
    """MINIMAL with one dotted field replaced (or removed when value is ...)."""
    doc = json.loads(json.dumps(MINIMAL))
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node.setdefault(key, {})
    if value is ...:
        node.pop(last, None)
    else:
        node[last] = value
    return json.dumps(doc)


def test_minimal_job_gets_the_schema_defaults() -> None:
    job = parse_job(json.dumps(MINIMAL))
    assert (job.data_format, job.options, job.validation_fraction, job.validation_seed) == ("parquet", {}, 0.2, 42)
    assert (job.features.impute, job.features.scale, job.features.categorical) == ("mean", False, [])
    assert (job.params, job.parity_rows) == ({}, 1000)


def test_full_job_is_read_as_given() -> None:
    job = parse_job(json.dumps({
        "name": "houses",
        "model": {"algorithm": "linear_regression", "params": {"regParam": 0.1, "fitIntercept": True},
                  "label": "price", "features": {"numeric": ["a"], "categorical": ["c"], "impute": "median",
                                                 "scale": True}},
        "data": {"train": "s3://b/p", "format": "csv", "options": {"sep": ";"},
                 "validation": {"fraction": 0.25, "seed": 7}},
        "parity": {"rows": 500, "tolerance": 1e-9},
    }))
    assert job.algorithm == "linear_regression" and job.params == {"regParam": 0.1, "fitIntercept": True}
    assert (job.data_format, job.options, job.validation_fraction, job.validation_seed) == ("csv", {"sep": ";"}, 0.25, 7)
    assert job.features.categorical == ["c"] and job.features.scale and job.parity_rows == 500


@pytest.mark.parametrize(("path", "value", "problem"), [
    ("model.algorithm", "random_forest", "model.algorithm: expected one of logistic_regression, linear_regression"),
    ("model.label", ..., "model.label: expected a non-empty string"),
    ("model.features.impute", "avg", "model.features.impute: expected one of mean, median, mode"),
    ("model.features.numeric", "tenure", "model.features.numeric: expected a list of column names"),
    ("model.features.numeric", [], "model.features: no feature columns"),
    ("model.features.categorical", ["tenure"], 'column "tenure" is listed more than once'),
    ("model.features.categorical", ["churned"], 'the label column "churned" cannot also be a feature'),
    ("data.format", "avro", "data.format: expected one of parquet, csv, json, orc"),
    ("data.validation", {"fraction": 1.5}, "data.validation.fraction: expected a number between 0 and 1"),
    ("parity", {"rows": 10}, "parity.rows: expected an integer of at least 200"),
    ("model.params", {"maxIter": [1]}, "model.params.maxIter: expected a string, number or boolean"),
    ("data", ..., "data: required"),
])
def test_bad_fields_are_reported_with_their_path(path: str, value: object, problem: str) -> None:
    with pytest.raises(MlshipError) as caught:
        parse_job(_with(path, value))
    assert any(p.startswith(problem) or problem in p for p in caught.value.problems), caught.value.problems


def test_all_problems_come_back_together() -> None:
    doc = json.loads(_with("data.format", "avro"))
    doc["model"]["algorithm"] = "svm"
    with pytest.raises(MlshipError) as caught:
        parse_job(json.dumps(doc))
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize("text", ["{not json", "[1, 2]"])
def test_malformed_json_is_one_problem(text: str) -> None:
    with pytest.raises(MlshipError) as caught:
        parse_job(text)
    assert caught.value.problems[0].startswith("--job: ")


@pytest.mark.parametrize(("algorithm", "encoding"), [("logistic_regression", "onehot"), ("linear_regression", "onehot"),
                                                     ("random_forest_classifier", "index"), ("gbt_regressor", "index")])
def test_categorical_encoding_defaults_to_index_for_trees_only(algorithm: str, encoding: str) -> None:
    job = parse_job(_with("model.algorithm", algorithm))
    assert job.features.encoding == encoding


def test_index_encoding_is_refused_for_linear_models() -> None:
    doc = json.loads(_with("model.features.categoricalEncoding", "index"))
    with pytest.raises(MlshipError) as caught:
        parse_job(json.dumps(doc))
    assert caught.value.problems[0].startswith("model.features.categoricalEncoding: index needs a tree algorithm")
    doc["model"]["algorithm"] = "decision_tree_regressor"
    assert parse_job(json.dumps(doc)).features.encoding == "index"
