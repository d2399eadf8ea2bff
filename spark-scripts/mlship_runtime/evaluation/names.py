"""The names of a model's feature vector slots after one-hot expansion, from the ML attribute metadata Spark's
VectorAssembler and OneHotEncoder put on their output columns, in the words of the spec: `tenure_months`,
`contract=Month-to-month` (mlship's internal column suffixes dropped)."""

from __future__ import annotations

import re
from typing import Any

from pyspark.sql import types as T

# pipeline.py's column suffixes; a user's own pipeline keeps its names as they are.
_SUFFIXES = ("__imputed", "__index", "__bucket", "__binary")
_ONEHOT = "__onehot_"
_SCALERS = {"StandardScalerModel", "MinMaxScalerModel", "MaxAbsScalerModel", "Normalizer"}


def attribute_names(field: T.StructField) -> list[str | None] | None:
    """A vector column's slot names from its ml_attr metadata (None: no metadata; a slot without a name: None)."""
    attr = (field.metadata or {}).get("ml_attr", {})
    if "attrs" not in attr:
        return None
    size = int(attr.get("num_attrs", 0))
    slots: list[str | None] = [None] * size
    for group in attr["attrs"].values():
        for a in group:
            idx = int(a["idx"])
            if idx >= len(slots):
                slots += [None] * (idx + 1 - len(slots))
            slots[idx] = a.get("name")
    return slots


def readable(name: str) -> str:
    """An assembled slot name in the spec's words: column suffixes dropped, a one-hot level as `column=level`."""
    if _ONEHOT in name:
        column, level = name.split(_ONEHOT, 1)
        return f"{column}={level}"
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def feature_names(stages: list[Any], schema: T.StructType, features: str, size: int) -> list[str]:
    """The `size` slot names of the vector column `features` of a scored frame.

    A slot VectorAssembler named `<vector column>_<i>` (an input vector whose metadata had no names, as a scaler's
    output has none) takes the name of slot i of the vector the scaler read, found by walking the pipeline."""
    fields = {f.name: f for f in schema.fields}
    known: dict[str, list[str | None]] = {}
    for stage in stages:  # vector columns in pipeline order, so a scaler's input is named before its output
        kind = type(stage).__name__
        out = stage.getOrDefault("outputCol") if stage.hasParam("outputCol") and stage.isDefined("outputCol") else None
        if out is None or out not in fields:
            continue
        if kind in _SCALERS and stage.getOrDefault("inputCol") in known:
            known[out] = known[stage.getOrDefault("inputCol")]
        elif kind == "VectorAssembler":
            known[out] = [_resolve(n, known) for n in (attribute_names(fields[out]) or [])]
    slots = known.get(features) or (attribute_names(fields[features]) if features in fields else None) or []
    slots = slots[:size] + [None] * (size - len(slots))
    return [readable(n) if n is not None else f"feature {i}" for i, n in enumerate(slots)]


def _resolve(name: str | None, known: dict[str, list[str | None]]) -> str | None:
    """`<vector column>_<i>` as slot i of that column when its names are known, else the name itself."""
    if name is None:
        return None
    m = re.fullmatch(r"(.+)_(\d+)", name)
    if m and m.group(1) in known:
        inner = known[m.group(1)]
        i = int(m.group(2))
        return inner[i] if i < len(inner) and inner[i] is not None else name
    return name
