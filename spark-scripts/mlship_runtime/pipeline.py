"""Build the feature pipeline: Imputer, StringIndexer [+ OneHotEncoder], optional StandardScaler, VectorAssembler."""

from __future__ import annotations

from pyspark.ml import Estimator, Pipeline, Transformer
from pyspark.ml.feature import Imputer, OneHotEncoder, StandardScaler, StringIndexer, VectorAssembler

from .job import Features

Stage = Estimator | Transformer

FEATURES_COL = "features"


def imputed(name: str) -> str:
    """The Imputer's output column for a numeric feature."""
    return f"{name}__imputed"


def indexed(name: str) -> str:
    """The StringIndexer's output column for a categorical feature."""
    return f"{name}__index"


def onehot(name: str) -> str:
    """The OneHotEncoder's output column for a categorical feature."""
    return f"{name}__onehot"


def feature_stages(features: Features, features_col: str = FEATURES_COL) -> list[Stage]:
    """The unfitted stages turning raw feature columns into one `features` vector."""
    stages: list[Stage] = []
    numeric_out = [imputed(c) for c in features.numeric]
    index_out = [indexed(c) for c in features.categorical]
    by_index = features.encoding == "index"
    categorical_out = index_out if by_index else [onehot(c) for c in features.categorical]
    if features.numeric:
        stages.append(Imputer(inputCols=features.numeric, outputCols=numeric_out, strategy=features.impute))
    if features.categorical:
        # keep: null and unseen strings get index numLabels, which dropLast encodes as all zeros. The indexer's
        # nominal column metadata (numLabels + 1 values) survives VectorAssembler, so with the "index" encoding
        # Spark's trees see categorical features and make categorical splits.
        stages.append(StringIndexer(inputCols=features.categorical, outputCols=index_out,
                                    handleInvalid="keep", stringOrderType="frequencyDesc"))
        if not by_index:
            stages.append(OneHotEncoder(inputCols=index_out, outputCols=categorical_out, dropLast=True))
    if features.scale and features.numeric:
        stages.append(VectorAssembler(inputCols=numeric_out, outputCol="numeric__vector"))
        stages.append(StandardScaler(inputCol="numeric__vector", outputCol="numeric__scaled",
                                     withMean=True, withStd=True))
        numeric_out = ["numeric__scaled"]
    stages.append(VectorAssembler(inputCols=numeric_out + categorical_out, outputCol=features_col))
    return stages


def build_pipeline(features: Features, estimator: Stage) -> Pipeline:
    """The full pipeline: feature stages, then the estimator reading `features`."""
    return Pipeline(stages=[*feature_stages(features), estimator])
