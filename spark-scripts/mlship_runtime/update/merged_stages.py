"""The exact mode's stage merge: which of the parent's fitted feature stages merge with the new rows (the scalers
feeding the predictor directly), the child's Spark scaler models with the merged values, the map from the parent's
feature space to the child's, the merged stage tables for the child's state, and why each other stage stays frozen."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.ml import PipelineModel, Transformer
from pyspark.ml.classification import NaiveBayesModel
from pyspark.ml.feature import MaxAbsScalerModel, MinMaxScalerModel, StandardScalerModel

from ..export import state_stats as S
from ..export.stages import StageExport, export_stages
from . import stage_merge as M
from .exact_bayes import ClassState
from .exact_linear import LinearState
from .modes import UpdateInput, UpdateResult
from .spark_models import java_vector, jvm, like, new_uid

SCALERS: dict[type, str] = {StandardScalerModel: "standard_scaler", MinMaxScalerModel: "min_max_scaler",
                            MaxAbsScalerModel: "max_abs_scaler"}
# Why each fitted stage kind stays frozen in the exact mode (docs/updating.md "What stays frozen").
FROZEN: dict[str, str] = {
    "imputer": "a new surrogate would change the imputed value of the history's missing rows, which the history's "
               "statistics cannot undo (a median is a quantile besides); kept as fitted",
    "string_indexer": "labels and order kept as fitted",
    "one_hot_encoder": "category sizes and dropped slot kept as fitted",
    "bucketizer": "splits kept as fitted (a QuantileDiscretizer's too)",
}


@dataclass(frozen=True)
class StageMerge:
    """What the exact mode changes in the parent's feature stages: `stages` the child's (None: the parent's, all
    frozen), `alpha`/`beta` the map x_child = alpha·x_parent + beta of the predictor's features (None: identity),
    `tables` the merged stage state tables by name, `facts` for the version record."""

    stages: list[Transformer] | None = None
    alpha: np.ndarray | None = None
    beta: np.ndarray | None = None
    tables: dict[str, pa.Table] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def linear(self, m: LinearState) -> LinearState:
        """Merged moments (parent space) in the child's feature space."""
        return m if self.alpha is None else M.moments_affine(m, self.alpha, self.beta)

    def class_sums(self, sums: ClassState) -> ClassState:
        """Merged class sums (parent space) in the child's feature space."""
        return sums if self.alpha is None else M.class_sums_affine(sums, self.alpha, self.beta)

    def attach(self, result: UpdateResult) -> UpdateResult:
        """The mode's result with the child's stages, the merged stage tables and the merge facts."""
        tables = None if result.state_tables is None else {**result.state_tables, **self.tables}
        return replace(result, stages=self.stages, state_tables=tables, facts={**result.facts, **self.facts})


@dataclass(frozen=True)
class _Merged:
    """One scaler merged: the child's stage, its state table, the map of its output block, its row counts."""

    stage: Transformer
    table: pa.Table
    block: M.AffineOrNot
    rows: tuple[int, int]


def _column(table: pa.Table, name: str) -> np.ndarray:
    """A float64 column of a stage table, in element order."""
    order = np.argsort(np.asarray(table["element"].to_pylist()))
    return np.asarray(table[name].to_pylist(), dtype=np.float64)[order]


def _table(parent: pa.Table, n: int, columns: dict[str, np.ndarray]) -> pa.Table:
    """A merged stage table in the parent's schema (element, n, the kind's columns)."""
    size = len(next(iter(columns.values())))
    data = {"element": pa.array(range(size), pa.int32()), "n": pa.array([n] * size, pa.int64()),
            **{k: pa.array(v, pa.float64()) for k, v in columns.items()}}
    return pa.table(data).select(parent.column_names).cast(parent.schema)


def _merge_scaler(inp: UpdateInput, stage: Transformer, kind: str, parent_table: pa.Table) -> _Merged | str:
    """The child's scaler: the parent's statistics merged with the new rows', or why it stays frozen."""
    new = S.vector_stats(inp.new_train, stage.getInputCol())
    if new is None:
        return "no new training rows"
    n_parent = int(parent_table["n"][0].as_py()) if parent_table.num_rows else 0
    spark = inp.spark
    if kind == "standard_scaler":
        merged = M.merge_welford(M.Welford(n_parent, _column(parent_table, "mean"), _column(parent_table, "m2")),
                                 M.Welford(new.n, new.mean, new.m2))
        std = M.spark_std(merged)
        java = jvm(spark).org.apache.spark.ml.feature.StandardScalerModel(
            new_uid("stdScal"), java_vector(spark, std), java_vector(spark, merged.mean))
        child = like(StandardScalerModel, java, stage)
        block = M.standard_affine(stage.mean.toArray(), stage.std.toArray(), merged.mean, std,
                                  bool(stage.getWithMean()), bool(stage.getWithStd()))
        table = _table(parent_table, merged.n, {"mean": merged.mean, "m2": merged.m2})
    elif kind == "min_max_scaler":
        lo = np.minimum(stage.originalMin.toArray(), new.min)
        hi = np.maximum(stage.originalMax.toArray(), new.max)
        java = jvm(spark).org.apache.spark.ml.feature.MinMaxScalerModel(
            new_uid("minMaxScal"), java_vector(spark, lo), java_vector(spark, hi))
        child = like(MinMaxScalerModel, java, stage)
        block = M.min_max_affine(stage.originalMin.toArray(), stage.originalMax.toArray(), lo, hi,
                                 float(stage.getMin()), float(stage.getMax()))
        table = _table(parent_table, n_parent + new.n, {"min": lo, "max": hi})
    else:
        max_abs = np.maximum(stage.maxAbs.toArray(), new.max_abs)
        java = jvm(spark).org.apache.spark.ml.feature.MaxAbsScalerModel(new_uid("maxAbsScal"),
                                                                          java_vector(spark, max_abs))
        child = like(MaxAbsScalerModel, java, stage)
        block = M.max_abs_affine(stage.maxAbs.toArray(), max_abs)
        table = _table(parent_table, n_parent + new.n, {"maxAbs": max_abs})
    if block.lost.any():
        where = ", ".join(str(int(j)) for j in np.flatnonzero(block.lost)[:5])
        return (f"elements {where} are constant in the parent's output but not in the merged scaler's: "
                "the history's statistics hold no trace of them")
    return _Merged(child, table, block, (n_parent, new.n))


def _offsets(exports: list[StageExport], features_col: str) -> dict[str, tuple[int, int]] | None:
    """Where each input column of the assembler building the predictor's features sits: column -> (offset, size)."""
    final = [e for e in exports if e.kind == "vector_assembler" and e.fields["outputCol"] == features_col]
    if not final:
        return None
    table = final[-1].table
    offsets, at = {}, 0
    for column, size in zip(table["column"].to_pylist(), table["size"].to_pylist()):
        offsets[column] = (at, int(size))
        at += int(size)
    return offsets


def _state_entries(inp: UpdateInput) -> dict[int, dict[str, Any]]:
    """The parent's state.json stage entries by stage index."""
    return {int(s["index"]): s for s in inp.state.doc.get("stages", []) if "index" in s}


def _table_name(entry: dict[str, Any]) -> str | None:
    """state/stage_3_standard_scaler.arrow -> stage_3_standard_scaler."""
    path = entry.get("file")
    return path[len("state/"):-len(".arrow")] if path and entry.get("state") == "merge" else None


def plan(inp: UpdateInput) -> StageMerge:
    """The exact mode's stage merge for this parent and these new rows (nothing merged unless options ask for it)."""
    if not inp.options.merge_stages:
        return StageMerge()
    parent: PipelineModel = inp.parent
    stages = list(parent.stages[:-1])
    exports = export_stages(parent)
    if len(exports) != len(parent.stages):
        return StageMerge(facts={"stagesFrozen": [{"index": -1, "kind": "pipeline",
                                                   "reason": "nested pipelines keep every stage frozen"}]})
    predictor = inp.predictor
    offsets = _offsets(exports, predictor.getFeaturesCol())
    # The width of the vector the predictor reads: the assembler's, which appended levels (update/append.py) may have
    # widened past the parent predictor's own numFeatures.
    width = sum(size for _, size in offsets.values()) if offsets else int(exports[-1].fields["numFeatures"])
    entries = _state_entries(inp)
    alpha, beta = np.ones(width), np.zeros(width)
    merged_facts: list[dict[str, Any]] = []
    frozen_facts: list[dict[str, Any]] = []
    tables: dict[str, pa.Table] = {}
    child = list(stages)
    for i, (stage, export) in enumerate(zip(stages, exports[:-1])):
        kind = SCALERS.get(type(stage))
        if kind is None:
            if export.kind in FROZEN:
                frozen_facts.append({"index": i, "kind": export.kind, "reason": FROZEN[export.kind]})
            continue
        name = _table_name(entries.get(i, {}))
        place = (offsets or {}).get(stage.getOutputCol())
        reason: str | None = None
        if name is None or not inp.state.has(name):
            reason = "the parent's training state has no statistics for it"
        elif place is None:
            reason = "its output is not an input of the predictor's assembler (a Normalizer follows it)"
        elif isinstance(predictor, NaiveBayesModel) and predictor.getModelType() == "bernoulli":
            reason = "bernoulli naive Bayes needs its 0/1 features as they are"
        result = reason or _merge_scaler(inp, stage, kind, inp.state.read(name))
        if isinstance(result, str):
            frozen_facts.append({"index": i, "kind": kind, "reason": result})
            continue
        child[i] = result.stage
        tables[name] = result.table
        alpha, beta = M.compose((alpha, beta), M.embed(width, place[0], result.block))
        merged_facts.append({"index": i, "kind": kind, "historyRows": result.rows[0], "newRows": result.rows[1]})
    facts = {"stagesMerged": merged_facts, "stagesFrozen": frozen_facts}
    if not merged_facts:
        return StageMerge(facts=facts)
    return StageMerge(stages=child, alpha=alpha, beta=beta, tables=tables, facts=facts)


__all__ = ["FROZEN", "SCALERS", "StageMerge", "plan"]
