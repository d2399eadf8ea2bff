"""mlp_classifier's estimator: Spark's MultilayerPerceptronClassifier with layers sized after the feature stages."""

from __future__ import annotations

from typing import Any

from pyspark.ml import Estimator
from pyspark.ml.classification import MultilayerPerceptronClassificationModel, MultilayerPerceptronClassifier
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .columns import col
from .errors import MlshipError


def layer_problems(params: dict[str, Any]) -> list[str]:
    """hiddenLayers xor layers, each a list of positive integers."""
    hidden, layers = params.get("hiddenLayers"), params.get("layers")
    if hidden is not None and layers is not None:
        return ["model.params: set hiddenLayers (mlship sizes the input and output layers) or layers "
                "(input, hidden..., output sizes), not both"]
    if hidden is None and layers is None:
        return ["model.params.hiddenLayers: mlp_classifier needs the hidden layer sizes, e.g. hiddenLayers: [16] "
                "(or the full layers list, input and output sizes included)"]
    name, value = ("hiddenLayers", hidden) if hidden is not None else ("layers", layers)
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value):
        return [f"model.params.{name}: expected a list of positive integers, got {value!r}"]
    if name == "layers" and len(value) < 2:
        return [f"model.params.layers: expected at least the input and output sizes, got {value!r}"]
    return []


def feature_count(dataset: DataFrame, features_col: str) -> int:
    """The width of the features vector: VectorAssembler's ml_attr metadata, else the first row's size."""
    meta = dataset.schema[features_col].metadata.get("ml_attr", {})
    if isinstance(meta.get("num_attrs"), int):
        return int(meta["num_attrs"])
    row = dataset.select(col(features_col)).first()
    if row is None:
        raise MlshipError(["mlp_classifier: no training rows to size the input layer from"], code="data")
    return int(row[0].size)


class SizedMultilayerPerceptron(Estimator):  # type: ignore[misc]
    """Fits a MultilayerPerceptronClassifier with layers [numFeatures, *hidden, numClasses].

    numFeatures is the width of the assembled features (known only after the feature stages); numClasses is the
    largest label index + 1, as Spark's other classifiers infer it. The fitted model is Spark's own, so the
    PipelineModel saves and loads as usual.
    """

    def __init__(self, inner: MultilayerPerceptronClassifier, hidden: list[int]) -> None:
        """`inner` carries every other param; `hidden` the hidden layer sizes."""
        super().__init__()
        self.inner = inner
        self.hidden = list(hidden)

    def _fit(self, dataset: DataFrame) -> MultilayerPerceptronClassificationModel:
        """Size the layers from the data, then fit Spark's estimator."""
        features_col, label_col = self.inner.getFeaturesCol(), self.inner.getLabelCol()
        top = dataset.agg(F.max(col(label_col)).alias("top")).first()
        if top is None or top["top"] is None:
            raise MlshipError(["mlp_classifier: no labelled training rows"], code="data")
        layers = [feature_count(dataset, features_col), *self.hidden, int(top["top"]) + 1]
        return self.inner.setLayers(layers).fit(dataset)


def build_mlp(params: dict[str, Any], features_col: str, label: str,
              apply: Any) -> Estimator:
    """The estimator for model.params; `apply` sets the Spark params (algorithms.apply_params)."""
    problems = layer_problems(params)
    rest = {k: v for k, v in params.items() if k != "hiddenLayers"}
    inner = MultilayerPerceptronClassifier(featuresCol=features_col, labelCol=label)
    problems += apply(inner, rest) if not problems else []
    if problems:
        raise MlshipError(problems)
    hidden = params.get("hiddenLayers")
    return inner if hidden is None else SizedMultilayerPerceptron(inner, hidden)
