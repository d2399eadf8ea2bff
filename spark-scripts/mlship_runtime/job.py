"""Parse and validate the `--job` JSON (the training subset of the job spec) into a TrainJob."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from .errors import MlshipError

TREE_ALGORITHMS = ("decision_tree_classifier", "decision_tree_regressor", "random_forest_classifier",
                   "random_forest_regressor", "gbt_classifier", "gbt_regressor")
ALGORITHMS = ("logistic_regression", "linear_regression", *TREE_ALGORITHMS)
CLASSIFIERS = ("logistic_regression", "decision_tree_classifier", "random_forest_classifier", "gbt_classifier")
ENCODINGS = ("onehot", "index")
FORMATS = ("parquet", "csv", "json", "orc")
IMPUTE_STRATEGIES = ("mean", "median", "mode")
MIN_PARITY_ROWS = 200

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Features:
    """The feature columns and how to prepare them."""

    numeric: list[str]
    categorical: list[str]
    impute: str = "mean"
    scale: bool = False
    encoding: str = "onehot"  # categoricals: "onehot" (StringIndexer + OneHotEncoder) or "index" (StringIndexer only)


@dataclass(frozen=True)
class TrainJob:
    """Everything mlship_train.py needs to train and export one model."""

    name: str
    algorithm: str
    label: str
    features: Features
    train_path: str
    data_format: str = "parquet"
    options: dict[str, Scalar] = field(default_factory=dict)
    validation_fraction: float = 0.2
    validation_seed: int = 42
    params: dict[str, Scalar] = field(default_factory=dict)
    parity_rows: int = 1000


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
    """The spec's default categoricalEncoding: index for trees (categorical splits), onehot otherwise."""
    return "index" if algorithm in TREE_ALGORITHMS else "onehot"


def _encoding_problems(algorithm: str, features: Features) -> list[str]:
    """index encoding feeds category numbers to the model, which only trees read as categories."""
    if features.encoding == "index" and algorithm not in TREE_ALGORITHMS:
        return [f"model.features.categoricalEncoding: index needs a tree algorithm ({', '.join(TREE_ALGORITHMS)}); "
                f"{algorithm} would read category numbers as magnitudes, use onehot"]
    return []


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
        scale=r.boolean(feats, "scale", "model.features.scale", False),
        encoding=r.choice(feats, "categoricalEncoding", "model.features.categoricalEncoding", ENCODINGS,
                          default_encoding(algorithm)),
    )
    job = TrainJob(
        name=str(raw.get("name") or "model"),
        algorithm=algorithm,
        label=r.string(model, "label", "model.label") if model else "",
        features=features,
        train_path=r.string(data, "train", "data.train") if data else "",
        data_format=r.choice(data, "format", "data.format", FORMATS, "parquet"),
        options=r.scalars(data, "options", "data.options"),
        validation_fraction=r.number(validation, "fraction", "data.validation.fraction", 0.2, 0.0, 1.0),
        validation_seed=r.integer(validation, "seed", "data.validation.seed", 42),
        params=r.scalars(model, "params", "model.params"),
        parity_rows=r.integer(parity, "rows", "parity.rows", 1000, lo=MIN_PARITY_ROWS),
    )
    problems = r.problems + (_column_problems(job.label, features) + _encoding_problems(algorithm, features)
                             if feats else [])
    if problems:
        raise MlshipError(problems)
    return job
