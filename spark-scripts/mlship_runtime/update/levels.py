"""Appended levels: a category first seen in the new training rows gets a StringIndexer index after the parent's
labels (never a re-sort) and its own one-hot column, while every old level keeps its index, its one-hot vector and
the dropped baseline (docs/updating.md, "What stays frozen, what is appended")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyspark.ml import PipelineModel, Transformer
from pyspark.ml.feature import OneHotEncoder, OneHotEncoderModel, StringIndexerModel
from pyspark.sql import DataFrame

from ..columns import col, unquote
from ..errors import MlshipError
from ..export import state_stats as S
from ..export.stages import export_stages
from .layout import Layout


@dataclass(frozen=True)
class Appended:
    """The levels appended to one categorical column."""

    column: str  # the StringIndexer's input column
    levels: list[str]  # in index order
    at: int  # the first new index: the parent's label count, or one less when the last label is the dropped baseline
    one_hot: bool  # encoded by a OneHotEncoder (else the index itself is the feature)
    stage: int  # the StringIndexer's index among the feature stages (its state table is stage_<i>_string_indexer)

    def doc(self) -> dict[str, Any]:
        """As model/update.json records it."""
        return {"column": self.column, "levels": list(self.levels), "firstIndex": self.at}


@dataclass(frozen=True)
class Growth:
    """The child's feature stages and where their wider vector differs from the parent's."""

    stages: list[Transformer]
    appended: list[Appended]
    layout: Layout
    counts: dict[str, dict[str, int]]  # per categorical column, the new training rows holding each value


def new_levels(labels: Sequence[str], counts: Mapping[str, int]) -> list[str]:
    """The values of `counts` the parent's `labels` lack: most frequent first, ties by value (deterministic)."""
    known = set(labels)
    # A null is never a level (StringIndexer sends it to handleInvalid); the counts may carry it under None.
    fresh = [(value, n) for value, n in counts.items() if value is not None and value not in known and n > 0]
    return [value for value, _ in sorted(fresh, key=lambda vn: (-vn[1], vn[0]))]


def first_new_index(n_labels: int, handle_invalid: str, drop_last: bool | None, encoder_keeps: bool = False) -> int:
    """Where new labels go: before the last label when it is the OneHotEncoder's dropped baseline (StringIndexer
    handleInvalid error or skip, OneHotEncoder dropLast without its own handleInvalid keep), so the baseline stays;
    else after every label (with keep, the dropped slot is the unseen or invalid bucket's, which stays last)."""
    if drop_last and handle_invalid != "keep" and not encoder_keeps and n_labels > 0:
        return n_labels - 1
    return n_labels


def child_labels(labels: Sequence[str], new: Sequence[str], at: int) -> list[str]:
    """The child's labels: the parent's in their order, `new` inserted at `at`."""
    return [*labels[:at], *new, *labels[at:]]


def _cols(stage: Transformer, single: str, multi: str) -> list[str]:
    """A stage's column list as set (single- or multi-column param), as the param holds it."""
    if stage.hasParam(multi) and stage.isSet(stage.getParam(multi)):
        return list(stage.getOrDefault(stage.getParam(multi)))
    return [stage.getOrDefault(stage.getParam(single))]


def level_counts(frame: DataFrame, columns: list[str]) -> dict[str, dict[str, int]]:
    """Per column, each non-null value (as the string StringIndexer casts it to) with its row count: one job."""
    aliases = [f"c{i}" for i in range(len(columns))]
    cast = frame.select(*[col(c).cast("string").alias(a) for c, a in zip(columns, aliases)])
    counts = S.level_counts(cast, aliases)
    return {c: counts[a] for c, a in zip(columns, aliases)}


def _encoders(stages: list[Transformer]) -> dict[str, tuple[int, OneHotEncoderModel]]:
    """OneHotEncoder input column -> (its stage index, the encoder)."""
    return {unquote(c): (i, s) for i, s in enumerate(stages) if isinstance(s, OneHotEncoderModel)
            for c in _cols(s, "inputCol", "inputCols")}


def _indexer(parent: StringIndexerModel, arrays: list[list[str]]) -> StringIndexerModel:
    """A StringIndexerModel with the given labels and the parent's columns and handleInvalid."""
    inputs, outputs = _cols(parent, "inputCol", "inputCols"), _cols(parent, "outputCol", "outputCols")
    # Not StringIndexerModel.from_arrays_of_labels: it builds a rectangular Java array, padding the shorter label
    # lists with nulls (a null level, and an NPE in OneHotEncoder), so the ragged String[][] is built here.
    model = StringIndexerModel._create_from_java_class("org.apache.spark.ml.feature.StringIndexerModel",
                                                       _ragged(arrays))
    model.setInputCols(inputs).setOutputCols(outputs).setHandleInvalid(parent.getHandleInvalid())
    return model


def _ragged(arrays: list[list[str]]) -> Any:
    """A Java String[][] whose rows keep their own lengths."""
    from pyspark import SparkContext

    sc = SparkContext._active_spark_context
    assert sc is not None and sc._gateway is not None
    string = sc._gateway.jvm.java.lang.String
    outer = sc._gateway.new_array(string, len(arrays), 0)
    for i, labels in enumerate(arrays):
        inner = sc._gateway.new_array(string, len(labels))
        for j, label in enumerate(labels):
            inner[j] = label
        outer[i] = inner
    return outer


def _encoder(parent: OneHotEncoderModel, upstream: list[Transformer], train: DataFrame) -> OneHotEncoderModel:
    """The parent's OneHotEncoder refitted on the child's indexer metadata (no data pass: an empty frame's
    nominal attributes give the category sizes, as they do in `train`)."""
    fresh = OneHotEncoder(inputCols=_cols(parent, "inputCol", "inputCols"),
                          outputCols=_cols(parent, "outputCol", "outputCols"), dropLast=parent.getDropLast(),
                          handleInvalid=parent.getHandleInvalid())
    return fresh.fit(PipelineModel(stages=upstream).transform(train.limit(0)))


def _widths(stages: list[Transformer]) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """The last VectorAssembler's inputs with their widths, and every one-hot output's width (export/stages.py)."""
    exports = export_stages(PipelineModel(stages=stages))
    last = exports[-1]
    if last.kind != "vector_assembler" or last.table is None:
        raise MlshipError(["appending levels: the feature stages do not end with a VectorAssembler"], code="update")
    widths = {c: w for e in exports if e.kind == "one_hot_encoder" for c, w in e.writes.items()}
    return list(zip(last.table["column"].to_pylist(), last.table["size"].to_pylist())), widths


def _layout(parent_stages: list[Transformer], child_stages: list[Transformer],
            inserted: dict[str, tuple[int, int]]) -> Layout:
    """Where the child's assembled vector gains columns: for each one-hot output column with k new levels at
    index `at`, k zero columns before the parent's slot `at` of that block (its later slots move by k)."""
    before, _ = _widths(parent_stages)
    after, _ = _widths(child_stages)
    inserts: list[tuple[int, int]] = []
    offset = 0
    for (name, width), (name2, width2) in zip(before, after, strict=True):
        at, k = inserted.get(name, (0, 0))
        if name != name2 or width2 != width + k:
            raise MlshipError([f"appending levels: the child's {name2} has {width2} columns, expected {width} + {k}"],
                              code="update")
        if k:
            inserts.append((offset + at, k))
        offset += width
    return Layout(offset, tuple(inserts))


def grow_stages(stages: list[Transformer], train: DataFrame, *, one_hot_only: bool) -> Growth | None:
    """The child's feature stages with new levels appended (None when the new training rows have none). With
    `one_hot_only`, index-encoded columns stay frozen (their index is a number the model was fitted on)."""
    encoders = _encoders(stages)
    indexers = [(i, s) for i, s in enumerate(stages) if isinstance(s, StringIndexerModel)]
    columns = [unquote(c) for _, s in indexers for c in _cols(s, "inputCol", "inputCols")]
    if not columns:
        return None
    counts = level_counts(train, columns)
    child = list(stages)
    appended: list[Appended] = []
    inserted: dict[str, tuple[int, int]] = {}  # one-hot output column -> (first new index, levels added)
    for i, indexer in indexers:
        arrays, changed = [], False
        for raw, out, labels in zip(_cols(indexer, "inputCol", "inputCols"), _cols(indexer, "outputCol", "outputCols"),
                                    indexer.labelsArray):
            encoder = encoders.get(unquote(out))
            fresh = [] if encoder is None and one_hot_only else new_levels(labels, counts[unquote(raw)])
            drop_last = encoder[1].getDropLast() if encoder else None
            keeps = bool(encoder) and encoder[1].getHandleInvalid() == "keep"
            at = first_new_index(len(labels), indexer.getHandleInvalid(), drop_last, keeps)
            arrays.append(child_labels(labels, fresh, at))
            if fresh:
                changed = True
                appended.append(Appended(unquote(raw), fresh, at, encoder is not None, i))
                if encoder:
                    j = [unquote(c) for c in _cols(encoder[1], "inputCol", "inputCols")].index(unquote(out))
                    inserted[_cols(encoder[1], "outputCol", "outputCols")[j]] = (at, len(fresh))
        if changed:
            child[i] = _indexer(indexer, arrays)
    if not appended:
        return None
    for i, stage in sorted({i: s for i, s in encoders.values()}.items()):
        child[i] = _encoder(stage, child[:i], train)
    return Growth(child, appended, _layout(stages, child, inserted), counts)


__all__ = ["Appended", "Growth", "child_labels", "first_new_index", "grow_stages", "level_counts", "new_levels"]
