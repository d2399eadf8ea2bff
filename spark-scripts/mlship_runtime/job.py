"""Parse and validate the `--job` JSON (the training subset of the job spec) into a TrainJob."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

# The algorithm lists come from the catalogue (catalogue.json, shared with the TypeScript side).
from .catalogue import ALGORITHMS, CATALOGUE, CLASSIFIERS, CLUSTERING, LIST_PARAMS, TREE_ALGORITHMS  # noqa: F401
from .errors import MlshipError

ENCODINGS = ("onehot", "index")
SCALERS = ("none", "standard", "minmax", "maxabs")
INVALID = ("keep", "skip", "error")
ONEHOT_INVALID = ("error", "keep")
STRING_ORDERS = ("frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc")
FORMATS = ("parquet", "csv", "json", "orc")
IMPUTE_STRATEGIES = ("mean", "median", "mode")
MIN_PARITY_ROWS = 200

Scalar = str | int | float | bool
# A model param: a scalar, or a list of integers for the params named in LIST_PARAMS (the catalogue's "integers").
Param = Scalar | list[int]


@dataclass(frozen=True)
class Features:
    """The feature columns and how to prepare them."""

    numeric: list[str]
    categorical: list[str]
    impute: str = "mean"
    # False for no scaling, else "standard", "minmax" or "maxabs" (True, the older form, means "standard"),
    # so `if features.scale:` still asks "is there a scaler?".
    scale: bool | str = False
    encoding: str = "onehot"  # categoricals: "onehot" (StringIndexer + OneHotEncoder) or "index" (StringIndexer only)
    with_mean: bool = True  # StandardScaler
    with_std: bool = True
    scale_min: float = 0.0  # MinMaxScaler
    scale_max: float = 1.0
    normalize: float | None = None  # Normalizer p (math.inf allowed) on the numeric vector
    indexer_invalid: str = "keep"  # StringIndexer handleInvalid
    string_order: str = "frequencyDesc"
    drop_last: bool = True  # OneHotEncoder
    onehot_invalid: str = "error"
    bucketize: dict[str, list[float]] = field(default_factory=dict)  # Bucketizer splits per numeric column
    quantiles: dict[str, int] = field(default_factory=dict)  # QuantileDiscretizer numBuckets per numeric column
    binarize: dict[str, float] = field(default_factory=dict)  # Binarizer threshold per numeric column
    bucket_invalid: str = "keep"  # Bucketizer / QuantileDiscretizer handleInvalid
    relative_error: float = 0.001  # QuantileDiscretizer


@dataclass(frozen=True)
class TrainJob:
    """Everything mlship_train.py needs to train and export one model."""

    name: str
    algorithm: str
    label: str  # "" for CLUSTERING algorithms, which have no label
    features: Features
    train_path: str
    data_format: str = "parquet"
    options: dict[str, Scalar] = field(default_factory=dict)
    validation_fraction: float = 0.2
    validation_seed: int = 42
    validation_key: str | None = None  # data.validation.key: the split hashes this column alone, not the whole row
    params: dict[str, Param] = field(default_factory=dict)
    parity_rows: int = 1000
    partition_column: str | None = None  # data.partitionColumn: its max is reported as the ledger's watermark


class _Reader:
    """Reads typed fields out of nested dicts, collecting one problem per bad field."""

    def __init__(self) -> None:
        """Start with no problems."""
        self.problems: list[str] = []

    def obj(self, parent: dict[str, Any], key: str, path: str, required: bool = True) -> dict[str, Any]:
        """A nested object (empty when absent or wrong)."""
        value = parent.get(key)
        if value is None:
            if required:
                self.problems.append(f"{path}: required")
            return {}
        if not isinstance(value, dict):
            self.problems.append(f"{path}: expected an object, got {_show(value)}")
            return {}
        return value

    def string(self, parent: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
        """A non-empty string."""
        value = parent.get(key, default)
        if not isinstance(value, str) or not value:
            self.problems.append(f"{path}: expected a non-empty string, got {_show(value)}")
            return ""
        return value

    def choice(self, parent: dict[str, Any], key: str, path: str, options: tuple[str, ...], default: str | None = None) -> str:
        """One of a fixed set of strings."""
        value = parent.get(key, default)
        if value not in options:
            self.problems.append(f"{path}: expected one of {', '.join(options)}, got {_show(value)}")
            return options[0]
        return value

    def names(self, parent: dict[str, Any], key: str, path: str) -> list[str]:
        """A list of non-empty column names."""
        value = parent.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problems.append(f"{path}: expected a list of column names, got {_show(value)}")
            return []
        return list(value)

    def scalars(self, parent: dict[str, Any], key: str, path: str) -> dict[str, Scalar]:
        """A map of name to string, number or boolean."""
        value = parent.get(key, {})
        if not isinstance(value, dict):
            self.problems.append(f"{path}: expected an object, got {_show(value)}")
            return {}
        good: dict[str, Scalar] = {}
        for name, v in value.items():
            if isinstance(v, (str, bool, int, float)) and not (isinstance(v, float) and not math.isfinite(v)):
                good[name] = v
            else:
                self.problems.append(f"{path}.{name}: expected a string, number or boolean, got {_show(v)}")
        return good

    def params(self, parent: dict[str, Any], key: str, path: str) -> dict[str, Param]:
        """A map of name to scalar, or to a list of integers for LIST_PARAMS (model.params)."""
        value = parent.get(key, {})
        if not isinstance(value, dict):
            return self.scalars(parent, key, path)  # reports the problem
        lists = {n: v for n, v in value.items() if isinstance(v, list) and n in LIST_PARAMS}
        good: dict[str, Param] = {**self.scalars({key: {n: v for n, v in value.items() if n not in lists}}, key, path)}
        for name, v in lists.items():
            if all(isinstance(i, int) and not isinstance(i, bool) for i in v):
                good[name] = list(v)
            else:
                self.problems.append(f"{path}.{name}: expected a list of integers, got {_show(v)}")
        return {n: good[n] for n in value if n in good}  # the spec's order

    def number(self, parent: dict[str, Any], key: str, path: str, default: float, lo: float, hi: float) -> float:
        """A number strictly between lo and hi."""
        value = parent.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo < value < hi:
            self.problems.append(f"{path}: expected a number between {lo:g} and {hi:g} (exclusive), got {_show(value)}")
            return default
        return float(value)

    def integer(self, parent: dict[str, Any], key: str, path: str, default: int, lo: int | None = None) -> int:
        """An integer, at least lo when given."""
        value = parent.get(key, default)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or (lo is not None and value < lo):
            bound = f" of at least {lo}" if lo is not None else ""
            self.problems.append(f"{path}: expected an integer{bound}, got {_show(value)}")
            return default
        return value

    def boolean(self, parent: dict[str, Any], key: str, path: str, default: bool) -> bool:
        """true or false."""
        value = parent.get(key, default)
        if not isinstance(value, bool):
            self.problems.append(f"{path}: expected true or false, got {_show(value)}")
            return default
        return value


def _show(value: Any) -> str:
    """A short JSON rendering of a value for messages."""
    text = json.dumps(value) if value is not None else "nothing"
    return text if len(text) <= 60 else text[:57] + "..."


def _column_problems(label: str, features: Features) -> list[str]:
    """Duplicated or overlapping column names in the spec."""
    problems: list[str] = []
    seen: set[str] = set()
    for path, names in (("model.features.numeric", features.numeric), ("model.features.categorical", features.categorical)):
        for name in names:
            if name in seen:
                problems.append(f'{path}: column "{name}" is listed more than once')
            seen.add(name)
            if label and name == label:
                problems.append(f'{path}: the label column "{name}" cannot also be a feature')
    if not features.numeric and not features.categorical:
        problems.append("model.features: no feature columns; list at least one numeric or categorical column")
    return problems


def default_encoding(algorithm: str) -> str:
    """The spec's default categoricalEncoding (the catalogue's defaultEncoding): index for trees, onehot otherwise."""
    return CATALOGUE[algorithm].default_encoding if algorithm in CATALOGUE else "onehot"


def _encoding_problems(algorithm: str, features: Features) -> list[str]:
    """index encoding feeds category numbers to the model, which only trees read as categories."""
    if features.encoding == "index" and algorithm not in TREE_ALGORITHMS:
        return [f"model.features.categoricalEncoding: index needs a tree algorithm ({', '.join(TREE_ALGORITHMS)}); "
                f"{algorithm} would read category numbers as magnitudes, use onehot"]
    return []


def _splits(r: _Reader, value: Any, path: str) -> list[float]:
    """Bucketizer splits: numbers, "-inf"/"inf" for the open ends, at least 3, strictly increasing."""
    ends = {"-inf": -math.inf, "inf": math.inf}
    if not isinstance(value, list) or not all(v in ends or (isinstance(v, (int, float)) and not isinstance(v, bool))
                                              for v in value):
        r.problems.append(f'{path}: expected a list of numbers ("-inf"/"inf" at the ends), got {_show(value)}')
        return []
    splits = [ends[v] if isinstance(v, str) else float(v) for v in value]
    if len(splits) < 3 or any(not b > a for a, b in zip(splits, splits[1:])):
        r.problems.append(f"{path}: expected at least 3 strictly increasing splits, got {_show(value)}")
    return splits


def _feature_options(r: _Reader, feats: dict[str, Any]) -> dict[str, Any]:
    """The optional feature-stage settings of model.features (scalers, encoders, per-column transforms)."""
    path = "model.features"
    scale = feats.get("scale", "none")
    if isinstance(scale, bool):  # the spec's older boolean form
        scale = "standard" if scale else "none"
    scale = r.choice({"scale": scale}, "scale", f"{path}.scale", SCALERS)
    so = r.obj(feats, "scaleOptions", f"{path}.scaleOptions", required=False)
    indexer = r.obj(feats, "indexer", f"{path}.indexer", required=False)
    onehot = r.obj(feats, "onehot", f"{path}.onehot", required=False)
    buckets = r.obj(feats, "bucketOptions", f"{path}.bucketOptions", required=False)
    normalize = feats.get("normalize")
    if normalize == "inf":
        normalize = math.inf
    if normalize is not None and (isinstance(normalize, bool) or not isinstance(normalize, (int, float)) or normalize < 1):
        r.problems.append(f'{path}.normalize: expected a number of at least 1 or "inf", got {_show(normalize)}')
        normalize = None
    bucketize = r.obj(feats, "bucketize", f"{path}.bucketize", required=False)
    quantiles = r.obj(feats, "quantiles", f"{path}.quantiles", required=False)
    binarize = r.obj(feats, "binarize", f"{path}.binarize", required=False)
    return {
        "scale": False if scale == "none" else scale,
        "with_mean": r.boolean(so, "withMean", f"{path}.scaleOptions.withMean", True),
        "with_std": r.boolean(so, "withStd", f"{path}.scaleOptions.withStd", True),
        "scale_min": float(r.number(so, "min", f"{path}.scaleOptions.min", 0.0, -math.inf, math.inf)),
        "scale_max": float(r.number(so, "max", f"{path}.scaleOptions.max", 1.0, -math.inf, math.inf)),
        "normalize": None if normalize is None else float(normalize),
        "indexer_invalid": r.choice(indexer, "handleInvalid", f"{path}.indexer.handleInvalid", INVALID, "keep"),
        "string_order": r.choice(indexer, "stringOrderType", f"{path}.indexer.stringOrderType", STRING_ORDERS,
                                 "frequencyDesc"),
        "drop_last": r.boolean(onehot, "dropLast", f"{path}.onehot.dropLast", True),
        "onehot_invalid": r.choice(onehot, "handleInvalid", f"{path}.onehot.handleInvalid", ONEHOT_INVALID, "error"),
        "bucketize": {c: _splits(r, v, f"{path}.bucketize.{c}") for c, v in bucketize.items()},
        "quantiles": {c: r.integer(quantiles, c, f"{path}.quantiles.{c}", 2, lo=2) for c in quantiles},
        "binarize": {c: float(r.number(binarize, c, f"{path}.binarize.{c}", 0.0, -math.inf, math.inf))
                     for c in binarize},
        "bucket_invalid": r.choice(buckets, "handleInvalid", f"{path}.bucketOptions.handleInvalid", INVALID, "keep"),
        "relative_error": float(r.number(buckets, "relativeError", f"{path}.bucketOptions.relativeError", 0.001,
                                         -1e-300, 1.0 + 1e-12)),
    }


def _transform_problems(features: Features) -> list[str]:
    """Per-column transforms apply to numeric feature columns, one transform per column."""
    problems: list[str] = []
    claimed: dict[str, str] = {}
    for name, columns in (("bucketize", features.bucketize), ("quantiles", features.quantiles),
                          ("binarize", features.binarize)):
        for c in columns:
            if c not in features.numeric:
                problems.append(f'model.features.{name}: "{c}" is not a column of model.features.numeric')
            if c in claimed:
                problems.append(f'model.features.{name}: "{c}" already has a transform ({claimed[c]})')
            claimed.setdefault(c, name)
    if features.scale == "minmax" and not features.scale_min < features.scale_max:
        problems.append(f"model.features.scaleOptions: min ({features.scale_min:g}) must be below max "
                        f"({features.scale_max:g})")
    return problems


def _label(r: _Reader, model: dict[str, Any], algorithm: str) -> str:
    """model.label: required, except for clustering, which has none (and refuses one, as it would go unused)."""
    if algorithm not in CLUSTERING:
        return r.string(model, "label", "model.label")
    if model.get("label") is not None:
        r.problems.append(f"model.label: {algorithm} is clustering and takes no label, got {_show(model['label'])}")
    return ""


def parse_job(text: str) -> TrainJob:
    """Parse the --job JSON, applying the spec's defaults; raise MlshipError with every problem found."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MlshipError([f"--job: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"]) from None
    if not isinstance(raw, dict):
        raise MlshipError([f"--job: expected a JSON object, got {_show(raw)}"])
    r = _Reader()
    model = r.obj(raw, "model", "model")
    feats = r.obj(model, "features", "model.features") if model else {}
    data = r.obj(raw, "data", "data")
    validation = r.obj(data, "validation", "data.validation", required=False)
    parity = r.obj(raw, "parity", "parity", required=False)
    algorithm = r.choice(model, "algorithm", "model.algorithm", ALGORITHMS) if model else ALGORITHMS[0]
    features = Features(
        numeric=r.names(feats, "numeric", "model.features.numeric"),
        categorical=r.names(feats, "categorical", "model.features.categorical"),
        impute=r.choice(feats, "impute", "model.features.impute", IMPUTE_STRATEGIES, "mean"),
        encoding=r.choice(feats, "categoricalEncoding", "model.features.categoricalEncoding", ENCODINGS,
                          default_encoding(algorithm)),
        **_feature_options(r, feats),
    )
    job = TrainJob(
        name=str(raw.get("name") or "model"),
        algorithm=algorithm,
        label=_label(r, model, algorithm) if model else "",
        features=features,
        train_path=r.string(data, "train", "data.train") if data else "",
        data_format=r.choice(data, "format", "data.format", FORMATS, "parquet"),
        options=r.scalars(data, "options", "data.options"),
        validation_fraction=r.number(validation, "fraction", "data.validation.fraction", 0.2, 0.0, 1.0),
        validation_seed=r.integer(validation, "seed", "data.validation.seed", 42),
        validation_key=r.string(validation, "key", "data.validation.key") if "key" in validation else None,
        params=r.params(model, "params", "model.params"),
        parity_rows=r.integer(parity, "rows", "parity.rows", 1000, lo=MIN_PARITY_ROWS),
        partition_column=r.string(data, "partitionColumn", "data.partitionColumn") if "partitionColumn" in data else None,
    )
    problems = r.problems + (_column_problems(job.label, features) + _encoding_problems(algorithm, features)
                             + _transform_problems(features) if feats else [])
    if problems:
        raise MlshipError(problems)
    return job
