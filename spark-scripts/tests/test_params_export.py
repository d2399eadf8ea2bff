"""model/params.json: the fitted predictor's parameters, as plain JSON, for the version record and `models diff`."""

from __future__ import annotations

import json
import math

import numpy as np

from mlship_runtime.export.params import fitted_params, plain_value


def test_plain_values_are_json_and_never_nan() -> None:
    assert plain_value(3) == 3 and plain_value(0.5) == 0.5 and plain_value(True) is True and plain_value("auto") == "auto"
    assert plain_value(float("nan")) == "nan" and plain_value(float("-inf")) == "-inf"
    assert plain_value(np.float64(0.25)) == 0.25 and plain_value(np.int32(7)) == 7
    assert plain_value([1, 2.5, float("inf")]) == [1, 2.5, "inf"]
    assert plain_value(None) is None
    json.dumps(plain_value(object()), allow_nan=False)  # anything else is its text


def test_a_fitted_logistic_regression_keeps_set_and_default_params(spark) -> None:
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.linalg import Vectors

    df = spark.createDataFrame([(Vectors.dense([float(i), float(i % 3)]), float(i % 2)) for i in range(40)], ["features", "label"])
    model = LogisticRegression(regParam=0.3, maxIter=7).fit(df)
    doc = fitted_params(model)
    json.dumps(doc, allow_nan=False)
    assert doc["stage"] == "LogisticRegressionModel"
    params = doc["params"]
    assert params["regParam"] == 0.3 and params["maxIter"] == 7  # set
    assert params["elasticNetParam"] == 0.0 and params["fitIntercept"] is True  # defaults
    assert list(params) == sorted(params)
    assert all(not isinstance(v, float) or math.isfinite(v) for v in params.values())
