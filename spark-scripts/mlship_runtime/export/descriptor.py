"""Assemble descriptor.json: input schema, label, task, stage entries and output columns."""

from __future__ import annotations

from typing import Any

from pyspark.ml import Transformer
from pyspark.sql import types as T

from ..catalogue import CLUSTERING_KINDS
from .stages import StageExport

FORMAT = "mlship-portable-model"
FORMAT_VERSION = 1


def stage_file(position: int, kind: str) -> str:
    """A stage's Arrow file, relative to portable/."""
    return f"stages/{position:02d}_{kind}.arrow"


def input_columns(exports: list[StageExport]) -> list[tuple[str, str]]:
    """(column, kind of the first stage reading it) for every column read before any stage writes it."""
    written: set[str] = set()
    found: dict[str, str] = {}
    for e in exports:
        for c in e.reads:
            if c not in written and c not in found:
                found[c] = e.kind
        written.update(e.writes)
    return list(found.items())


def input_schema(exports: list[StageExport], schema: T.StructType, label: str,
                 source_types: dict[str, str] | None = None) -> tuple[list[dict[str, str]], list[str]]:
    """The inputSchema entries and the problems that stop a column from being served as-is.

    `source_types`: each column's Spark type in the data as read, before it was cast for the pipeline (a
    categorical read as double has the levels "1.0", "2.0"); it becomes `sparkType`, which tells serving how
    to cast a value of another type as Spark did. Defaults to the pipeline's own input types."""
    entries: list[dict[str, str]] = []
    problems: list[str] = []
    types = {f.name: f.dataType for f in schema.fields}
    source = source_types or {}
    for name, reader in input_columns(exports):
        data_type = types.get(name)
        if name == label:
            problems.append(f'the pipeline reads the label column "{name}"; index or transform the label outside it')
        elif data_type is None:
            problems.append(f'the pipeline reads column "{name}", which the validation data does not have')
        elif reader == "string_indexer" and isinstance(data_type, T.StringType):
            entries.append({"name": name, "type": "string", "role": "categorical",
                            "sparkType": source.get(name, "string")})
        elif reader != "string_indexer" and isinstance(data_type, T.DoubleType):
            entries.append({"name": name, "type": "double", "role": "numeric", "sparkType": source.get(name, "double")})
        else:
            want = "string" if reader == "string_indexer" else "double"
            problems.append(f'column "{name}" feeds a {reader} stage but has type {data_type.simpleString()}; '
                            f'cast it to {want} before the pipeline so serving sees the same values')
    return entries, problems


def task_of(exports: list[StageExport]) -> str:
    """binary_classification, multiclass_classification, regression or clustering, from the final stage."""
    last = exports[-1]
    if last.kind in CLUSTERING_KINDS:
        return "clustering"
    if "numClasses" not in last.fields:  # regressors
        return "regression"
    return "binary_classification" if last.fields["numClasses"] == 2 else "multiclass_classification"


def output_columns(model: Transformer) -> dict[str, str]:
    """The columns the final stage writes, named as the descriptor's `outputs` expects."""
    outputs = {"prediction": model.getPredictionCol()}
    if model.hasParam("probabilityCol"):
        outputs["probability"] = model.getOrDefault(model.getParam("probabilityCol"))
    if model.hasParam("rawPredictionCol"):  # LinearSVC has a raw prediction but no probability
        outputs["rawPrediction"] = model.getOrDefault(model.getParam("rawPredictionCol"))
    return outputs


def build_descriptor(*, exports: list[StageExport], inputs: list[dict[str, str]], label: str | None,
                     label_values: list[str] | None, outputs: dict[str, str], spark_version: str) -> dict[str, Any]:
    """descriptor.json as a dict."""
    last = exports[-1]
    descriptor: dict[str, Any] = {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "sparkVersion": spark_version,
        "algorithm": last.kind,
        "task": task_of(exports),
        "inputSchema": inputs,
        "label": {"column": label or None, "values": label_values},  # no column for clustering
    }
    if "numClasses" in last.fields:
        descriptor["numClasses"] = last.fields["numClasses"]
    descriptor["stages"] = [
        {"kind": e.kind, "uid": e.uid, "file": stage_file(i, e.kind), **e.fields} for i, e in enumerate(exports)
    ]
    descriptor["outputs"] = outputs
    return descriptor
