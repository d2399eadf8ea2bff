"""Build the feature pipeline from model.features.

Order: per-column transforms on raw numeric columns (Bucketizer, QuantileDiscretizer, Binarizer), Imputer,
StringIndexer [+ OneHotEncoder], then on the numeric vector an optional scaler (StandardScaler, MinMaxScaler or
MaxAbsScaler) and Normalizer, and a final VectorAssembler.
"""

from __future__ import annotations

from pyspark.ml import Estimator, Pipeline, Transformer
from pyspark.ml.feature import (Binarizer, Bucketizer, Imputer, MaxAbsScaler, MinMaxScaler, Normalizer, OneHotEncoder,
                                QuantileDiscretizer, StandardScaler, StringIndexer, VectorAssembler)

from .columns import stage_col
from .job import Features

Stage = Estimator | Transformer

FEATURES_COL = "features"
NUMERIC_VECTOR = "numeric__vector"
NUMERIC_SCALED = "numeric__scaled"
NUMERIC_NORMALIZED = "numeric__normalized"


def imputed(name: str) -> str:
    """The Imputer's output column for a numeric feature."""
    return f"{name}__imputed"


def indexed(name: str) -> str:
    """The StringIndexer's output column for a categorical feature."""
    return f"{name}__index"


def onehot(name: str) -> str:
    """The OneHotEncoder's output column for a categorical feature."""
    return f"{name}__onehot"


def bucketed(name: str) -> str:
    """The Bucketizer's (or QuantileDiscretizer's) output column for a numeric feature."""
    return f"{name}__bucket"


def binarized(name: str) -> str:
    """The Binarizer's output column for a numeric feature."""
    return f"{name}__binary"


def _quoted(columns: list[str]) -> list[str]:
    """Input column params as Spark ML stages parse them: a name with a dot or backtick quoted (columns.stage_col)."""
    return [stage_col(c) for c in columns]


def scaler_name(features: Features) -> str | None:
    """standard, minmax, maxabs, or None; the older boolean True means standard."""
    if features.scale is True:
        return "standard"
    return features.scale or None


def _column_transforms(features: Features) -> tuple[list[Stage], dict[str, str]]:
    """Bucketizer, QuantileDiscretizer and Binarizer stages on raw numeric columns, and each column's output.

    They read the raw values, so NaN follows bucketOptions.handleInvalid (keep: an extra bucket) and a null
    stays null (Binarizer: 0.0) for the Imputer after them to fill.
    """
    stages: list[Stage] = []
    source = {c: c for c in features.numeric}
    if features.bucketize:
        cols = list(features.bucketize)
        stages.append(Bucketizer(inputCols=_quoted(cols), outputCols=[bucketed(c) for c in cols],
                                 splitsArray=[features.bucketize[c] for c in cols],
                                 handleInvalid=features.bucket_invalid))
        source.update({c: bucketed(c) for c in cols})
    if features.quantiles:
        cols = list(features.quantiles)
        stages.append(QuantileDiscretizer(inputCols=_quoted(cols), outputCols=[bucketed(c) for c in cols],
                                          numBucketsArray=[features.quantiles[c] for c in cols],
                                          handleInvalid=features.bucket_invalid,
                                          relativeError=features.relative_error))
        source.update({c: bucketed(c) for c in cols})
    if features.binarize:
        cols = list(features.binarize)
        stages.append(Binarizer(inputCols=_quoted(cols), outputCols=[binarized(c) for c in cols],
                                thresholds=[features.binarize[c] for c in cols]))
        source.update({c: binarized(c) for c in cols})
    return stages, source


def _vector_stages(features: Features, numeric_out: list[str], prefix: str = "") -> tuple[list[Stage], list[str]]:
    """The optional scaler and Normalizer on the assembled numeric vector; the columns that replace numeric_out
    (named with `prefix`, so a second set of stages beside the first does not reuse its column names)."""
    scaler, p = scaler_name(features), features.normalize
    if not numeric_out or (scaler is None and p is None):
        return [], numeric_out
    vector, scaled, normalized = (prefix + NUMERIC_VECTOR, prefix + NUMERIC_SCALED, prefix + NUMERIC_NORMALIZED)
    stages: list[Stage] = [VectorAssembler(inputCols=_quoted(numeric_out), outputCol=vector)]
    current = vector
    if scaler == "standard":
        stages.append(StandardScaler(inputCol=current, outputCol=scaled, withMean=features.with_mean,
                                     withStd=features.with_std))
    elif scaler == "minmax":
        stages.append(MinMaxScaler(inputCol=current, outputCol=scaled, min=features.scale_min,
                                   max=features.scale_max))
    elif scaler == "maxabs":
        stages.append(MaxAbsScaler(inputCol=current, outputCol=scaled))
    if scaler is not None:
        current = scaled
    if p is not None:
        stages.append(Normalizer(inputCol=current, outputCol=normalized, p=p))
        current = normalized
    return stages, [current]


def feature_stages(features: Features, features_col: str = FEATURES_COL, prefix: str = "") -> list[Stage]:
    """The unfitted stages turning raw feature columns into one `features` vector (`prefix`: the vector stages'
    column names, for a second set of stages beside the first, transfer/stages.py)."""
    stages, source = _column_transforms(features)
    numeric_out = [imputed(c) for c in features.numeric]
    index_out = [indexed(c) for c in features.categorical]
    by_index = features.encoding == "index"
    categorical_out = index_out if by_index else [onehot(c) for c in features.categorical]
    if features.numeric:
        stages.append(Imputer(inputCols=_quoted([source[c] for c in features.numeric]), outputCols=numeric_out,
                              strategy=features.impute))
    if features.categorical:
        # keep (the default): null and unseen strings get index numLabels, which dropLast encodes as all zeros.
        # The indexer's nominal column metadata (numLabels + 1 values with keep) survives VectorAssembler, so with
        # the "index" encoding Spark's trees see categorical features and make categorical splits.
        stages.append(StringIndexer(inputCols=_quoted(features.categorical), outputCols=index_out,
                                    handleInvalid=features.indexer_invalid, stringOrderType=features.string_order))
        if not by_index:
            stages.append(OneHotEncoder(inputCols=_quoted(index_out), outputCols=categorical_out,
                                        dropLast=features.drop_last, handleInvalid=features.onehot_invalid))
    vector_stages, numeric_out = _vector_stages(features, numeric_out, prefix)
    stages += vector_stages
    stages.append(VectorAssembler(inputCols=_quoted(numeric_out + categorical_out), outputCol=features_col))
    return stages


def build_pipeline(features: Features, estimator: Stage) -> Pipeline:
    """The full pipeline: feature stages, then the estimator reading `features`."""
    return Pipeline(stages=[*feature_stages(features), estimator])
