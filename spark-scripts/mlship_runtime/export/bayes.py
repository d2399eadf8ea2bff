"""NaiveBayesModel as a portable stage: pi, theta and sigma, one row per class."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from pyspark.ml.classification import NaiveBayesModel

from ..errors import MlshipError
from .trees import ddot_lanes


def _rows(matrix: Any) -> list[list[float]]:
    """A Spark DenseMatrix as row lists of Python floats (an empty matrix gives no rows)."""
    if matrix.numRows == 0 or matrix.numCols == 0:
        return []
    return [[float(v) for v in row] for row in matrix.toArray()]


def naive_bayes_table(model: NaiveBayesModel) -> pa.Table:
    """One (class, pi, theta, sigma) row per class; sigma is empty unless modelType is gaussian."""
    k = int(model.numClasses)
    theta, sigma = _rows(model.theta), _rows(model.sigma)
    return pa.table({
        "class": pa.array(list(range(k)), pa.int32()),
        "pi": pa.array([float(v) for v in model.pi.toArray()], pa.float64()),
        "theta": pa.array(theta, pa.list_(pa.float64())),
        "sigma": pa.array(sigma or [[] for _ in range(k)], pa.list_(pa.float64())),
    })


def naive_bayes_fields(model: NaiveBayesModel) -> dict[str, Any]:
    """The descriptor fields of a naive Bayes stage."""
    if model.getModelType() != "gaussian" and not model.theta.isTransposed:
        # Spark's own models keep theta row-major, so BLAS runs dgemv "T"; another layout sums in another order.
        raise MlshipError(["naive_bayes: theta is not row-major; the portable scorer reproduces Spark's row-major "
                           "matrix-vector product only"], code="unsupported")
    thresholds = [float(t) for t in model.getThresholds()] if model.isSet(model.thresholds) else None
    return {"featuresCol": model.getFeaturesCol(), "numClasses": int(model.numClasses),
            "numFeatures": int(model.numFeatures), "modelType": model.getModelType(),
            "smoothing": float(model.getSmoothing()), "thresholds": thresholds, "ddotLanes": ddot_lanes()}
