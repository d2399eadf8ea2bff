"""Evaluation artifacts (model/evaluation/*.arrow): what a report draws, computed by Spark on the validation split
(curves, confusion matrix, calibration, histograms, residuals, clusters), the predictor's weights by feature name and
summaries of the training data. docs/report.md lists the files and their columns."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame

from ..background import start
from ..storage import OutDir, write_arrow_file
from .classification import classification_tables
from .clustering import clustering_tables
from .names import feature_names
from .regression import regression_tables
from .summary import summary_table
from .weights import weights_table

EVALUATION_DIR = "evaluation"


def class_names(label_values: list[str] | None, n_classes: int) -> list[str]:
    """Class labels as the user knows them: the indexed text labels, else the numbers (0, 1, ...)."""
    if label_values is not None and len(label_values) >= n_classes:
        return [str(v) for v in label_values[:n_classes]]
    return [str(i) for i in range(n_classes)]


def _size(predictor: Any) -> int | None:
    """The predictor's number of input features, when it says."""
    if hasattr(predictor, "numFeatures"):
        return int(predictor.numFeatures)
    if hasattr(predictor, "clusterCenters"):
        centres = predictor.clusterCenters()
        return len(centres[0]) if centres else 0
    return None


def evaluation_tables(scored: DataFrame, *, task: str, label: str, outputs: dict[str, str], descriptor: dict[str, Any],
                      stages: list[Any], features: str, train: DataFrame | None,
                      columns: list[tuple[str, str]]) -> dict[str, pa.Table]:
    """Every evaluation table for the task (name -> table) from the scored validation rows (cached by the caller)."""
    predictor = stages[-1]
    classes = None
    tables: dict[str, pa.Table] = {}
    # The training rows' summary is independent of the scored rows: its jobs run beside the task's tables.
    summary = start(lambda: summary_table(train, columns), "feature-summary") if train is not None and columns else None
    if task in ("binary_classification", "multiclass_classification"):
        classes = class_names((descriptor.get("label") or {}).get("values"), int(descriptor["numClasses"]))
        tables.update(classification_tables(scored, label, outputs, classes))
    elif task == "regression":
        tables.update(regression_tables(scored, label, outputs["prediction"]))
    elif task == "clustering":
        distance = descriptor["stages"][-1].get("distanceMeasure", "euclidean")
        tables.update(clustering_tables(scored, features, outputs["prediction"], distance))
    size = _size(predictor)
    if size is not None:
        weights = weights_table(predictor, feature_names(stages, scored.schema, features, size), classes)
        if weights.num_rows:  # naive Bayes and the perceptron have no weights to show
            tables["weights"] = weights
    if summary is not None:
        tables["features"] = summary.result()
    return tables


def write_evaluation(out: OutDir, tables: dict[str, pa.Table]) -> None:
    """Write each table as evaluation/<name>.arrow (an Arrow IPC file)."""
    for name, t in tables.items():
        write_arrow_file(out, f"{EVALUATION_DIR}/{name}.arrow", t)
