"""A fitted predictor's weights by feature name: a linear model's coefficients and intercept (per class when
multinomial), a tree model's feature importances, KMeans' cluster centres; none for the others (naive Bayes, MLP)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .tables import table

SCHEMA = pa.schema([("class", pa.utf8()), ("feature", pa.utf8()), ("kind", pa.utf8()), ("value", pa.float64())])
INTERCEPT = "(intercept)"


def weight_rows(predictor: Any, names: list[str], classes: list[str] | None) -> list[tuple]:
    """(class, feature, kind, value) rows; class is None for a single-output model."""
    kind = type(predictor).__name__
    if kind == "LogisticRegressionModel":
        matrix, intercepts = predictor.coefficientMatrix.toArray(), predictor.interceptVector.toArray()
        if matrix.shape[0] == 1:  # binomial: the coefficients of class 1
            labels = [classes[1] if classes and len(classes) > 1 else None]
        else:
            labels = [classes[i] if classes else str(i) for i in range(matrix.shape[0])]
        return [row for i, label in enumerate(labels)
                for row in _linear(label, names, matrix[i].tolist(), float(intercepts[i]))]
    if kind == "LinearSVCModel":
        label = classes[1] if classes and len(classes) > 1 else None
        return _linear(label, names, predictor.coefficients.toArray().tolist(), float(predictor.intercept))
    if kind in ("LinearRegressionModel", "GeneralizedLinearRegressionModel"):
        return _linear(None, names, predictor.coefficients.toArray().tolist(), float(predictor.intercept))
    if hasattr(predictor, "featureImportances"):
        values = predictor.featureImportances.toArray().tolist()
        return [(None, names[i], "importance", float(v)) for i, v in enumerate(values)]
    if kind == "KMeansModel":
        return [(str(c), names[i], "center", float(v))
                for c, centre in enumerate(predictor.clusterCenters()) for i, v in enumerate(centre.tolist())]
    return []


def _linear(label: str | None, names: list[str], coefficients: list[float], intercept: float) -> list[tuple]:
    """One class's coefficients, then its intercept."""
    return [(label, names[i], "coefficient", float(v)) for i, v in enumerate(coefficients)] + [
        (label, INTERCEPT, "intercept", intercept)]


def weights_table(predictor: Any, names: list[str], classes: list[str] | None) -> pa.Table:
    """The weights.arrow table."""
    return table(SCHEMA, weight_rows(predictor, names, classes))
