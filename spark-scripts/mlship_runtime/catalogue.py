"""The algorithm catalogue (catalogue.json, which the TypeScript side reads too): names, tasks, label rules, params."""

from __future__ import annotations

import json
import pkgutil
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

# label: what the label column holds. "classes": class indices 0, 1, 2, ... (or text, indexed by mlship);
# "two_classes": the same, two classes only; "numbers": any number (regression); "none": no label (clustering).
CLASSIFIER_LABELS = ("classes", "two_classes")


@dataclass(frozen=True)
class Algorithm:
    """One catalogue entry (docs/portable-model.md, "The algorithm catalogue", says what each field means)."""

    name: str
    tasks: tuple[str, ...]
    label: str
    feature_values: str | dict[str, str]
    spark_estimator: str  # dotted class path, e.g. pyspark.ml.classification.LogisticRegression
    spark_model: str
    params: dict[str, str]  # name -> "number" | "integer" | "boolean" | "string" | "integers"
    mlship_params: tuple[str, ...]  # params mlship reads itself, not set on the Spark estimator
    defaults: dict[str, Any]  # Spark's defaults that mlship relies on when a spec leaves the param out
    default_encoding: str
    exporter: str  # the exporter family: linear, kmeans, trees, bayes, mlp
    portable_kinds: tuple[str, ...]
    update_modes: tuple[str, ...]
    note: str = ""


def _entry(name: str, raw: dict[str, Any]) -> Algorithm:
    """One algorithm from its JSON object."""
    return Algorithm(name=name, tasks=tuple(raw["tasks"]), label=raw["label"], feature_values=raw["featureValues"],
                     spark_estimator=raw["sparkEstimator"], spark_model=raw["sparkModel"], params=dict(raw["params"]),
                     mlship_params=tuple(raw.get("mlshipParams", ())), defaults=dict(raw.get("defaults", {})),
                     default_encoding=raw["defaultEncoding"], exporter=raw["exporter"],
                     portable_kinds=tuple(raw["portableKinds"]), update_modes=tuple(raw["updateModes"]),
                     note=raw.get("note", ""))


def load_catalogue() -> dict[str, Algorithm]:
    """The catalogue in file order; pkgutil reads it from the package folder or from the runtime zip alike."""
    data = pkgutil.get_data(__package__ or "mlship_runtime", "catalogue.json")
    if data is None:
        raise FileNotFoundError("mlship_runtime/catalogue.json")
    return {name: _entry(name, raw) for name, raw in json.loads(data)["algorithms"].items()}


CATALOGUE = load_catalogue()
ALGORITHMS = tuple(CATALOGUE)
TREE_ALGORITHMS = tuple(a.name for a in CATALOGUE.values() if a.exporter == "trees")
CLUSTERING = tuple(a.name for a in CATALOGUE.values() if a.label == "none")  # no label: TrainJob.label is ""
CLASSIFIERS = tuple(a.name for a in CATALOGUE.values() if a.label in CLASSIFIER_LABELS)
BINARY_ONLY = tuple(a.name for a in CATALOGUE.values() if a.label == "two_classes")
LIST_PARAMS = tuple(sorted({p for a in CATALOGUE.values() for p, t in a.params.items() if t == "integers"}))
PORTABLE_KINDS = tuple(k for a in CATALOGUE.values() for k in a.portable_kinds)
CLUSTERING_KINDS = tuple(k for a in CATALOGUE.values() if a.label == "none" for k in a.portable_kinds)


@cache
def spark_class(dotted: str) -> type:
    """The class a catalogue path names (imported on first use: parsing a job needs no pyspark)."""
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


def estimator_class(algorithm: str) -> type:
    """The Spark estimator an algorithm trains with."""
    return spark_class(CATALOGUE[algorithm].spark_estimator)


def model_classes() -> dict[type, Algorithm]:
    """Each fitted Spark model class with the algorithm it belongs to."""
    return {spark_class(a.spark_model): a for a in CATALOGUE.values()}
