"""The update's hook for appended levels (update/levels.py): per mode, the parent as seen in the child's wider
feature space (child feature stages, the parent's predictor and training state padded with zeros where that is
exact), or the parent unchanged when the mode keeps the StringIndexer frozen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.ml import PipelineModel, Transformer
from pyspark.sql import DataFrame, SparkSession

from ..progress import Log, quiet
from ..export import logistic_state as G
from .layout import Layout, pad_class_sums, pad_logistic, pad_moments, unknowns, wider
from .levels import Growth, grow_stages
from .modes import ParentState

# The parent's predictor in the child's space: (spark, predictor, layout) -> a predictor reading the wider vector.
PredictorPad = Callable[[SparkSession, Transformer, Layout], Transformer]


def _as_is(spark: SparkSession, predictor: Transformer, layout: Layout) -> Transformer:
    """The mode reads only the predictor's parameters (columns, regParam, ...), never its numbers."""
    return predictor


def _kmeans(spark: SparkSession, predictor: Any, layout: Layout) -> Transformer:
    """The centres with 0 in each new column: the history's mean there (no history row has the new level)."""
    from .streaming import kmeans_model

    centres = np.array([np.asarray(c, dtype=np.float64) for c in predictor.clusterCenters()])
    return kmeans_model(spark, predictor, layout.vector(centres, axis=1))


def _logistic(spark: SparkSession, predictor: Any, layout: Layout) -> Transformer:
    """The coefficients with 0 for each new column, in every coefficient set (the start and prior centre of laplace,
    the initial model of warm)."""
    from .laplace import logistic_regression_model

    logistic = G.layout_of(predictor)
    theta = logistic.theta(predictor.coefficientMatrix.toArray(), predictor.interceptVector.toArray())
    return logistic_regression_model(spark, predictor, wider(logistic, layout),
                                     unknowns(logistic, layout).vector(theta))


def _any(predictor: Transformer) -> bool:
    return True


def _logistic_only(predictor: Transformer) -> bool:
    """warm: a logistic regression takes the padded initial model; an MLP's first layer would need new input
    weights and other layers (the warm mode refuses those), so its indexer stays frozen."""
    from pyspark.ml.classification import LogisticRegressionModel

    return isinstance(predictor, LogisticRegressionModel)


@dataclass(frozen=True)
class Policy:
    """How a mode takes appended levels."""

    predictor: PredictorPad
    accepts: Callable[[Transformer], bool] = _any  # else the parent's indexer stays frozen for this predictor
    one_hot_only: bool = True  # index-encoded columns stay frozen (only retrain refits on the new indices)


# Modes absent here (continue: the parent's trees split on the frozen indices) keep the parent's StringIndexer.
POLICIES: dict[str, Policy] = {
    "exact": Policy(_as_is),
    "streaming": Policy(_kmeans),
    "laplace": Policy(_logistic),
    "warm": Policy(_logistic, accepts=_logistic_only),
    "retrain": Policy(_as_is, one_hot_only=False),
}


@dataclass(frozen=True)
class Grown:
    """What run_update hands the mode and the exporter: the parent in the child's space, and the facts recorded."""

    parent: PipelineModel
    state: ParentState
    facts: dict[str, Any] = field(default_factory=dict)


def _indexer_table(parent: pa.Table, growth: Growth) -> pa.Table:
    """The child's state/stage_<i>_string_indexer table: every label in the child's index order, with the training
    rows holding it (the parent's count plus the new rows')."""
    old = {(r["column"], r["label"]): int(r["count"]) for r in parent.to_pylist()}
    labels: dict[str, list[str]] = {}
    for r in parent.to_pylist():
        labels.setdefault(r["column"], []).append(r["label"])
    for a in growth.appended:
        labels[a.column] = [*labels[a.column][:a.at], *a.levels, *labels[a.column][a.at:]]
    rows = [(c, j, label, old.get((c, label), 0) + growth.counts.get(c, {}).get(label, 0))
            for c, ls in labels.items() for j, label in enumerate(ls)]
    return pa.table({"column": pa.array([r[0] for r in rows], parent.schema.field("column").type),
                     "index": pa.array([r[1] for r in rows], parent.schema.field("index").type),
                     "label": pa.array([r[2] for r in rows], parent.schema.field("label").type),
                     "count": pa.array([r[3] for r in rows], parent.schema.field("count").type)})


def state_view(state: ParentState, growth: Growth) -> ParentState:
    """The parent's training state in the child's space, read lazily: moments and class sums padded with zeros,
    the StringIndexer's table with the appended labels; every other table as it is."""
    cache: dict[str, pa.Table] = {}
    indexer_files = {s["file"][len("state/"):-len(".arrow")] for s in state.doc.get("stages", [])
                     if s.get("kind") == "string_indexer" and s.get("file")}

    def read(name: str) -> pa.Table:
        if name not in cache:
            if name in ("moments", "moments_totals"):
                cache.update(pad_moments(state.read("moments_totals"), state.read("moments"), growth.layout))
            elif name in (G.TOTALS, G.HESSIAN, G.FEATURES):
                cache.update(pad_logistic(state.read(G.TOTALS), state.read(G.HESSIAN), state.read(G.FEATURES),
                                          growth.layout))
            elif name == "class_sums":
                cache[name] = pad_class_sums(state.read(name), growth.layout)
            elif name in indexer_files:
                cache[name] = _indexer_table(state.read(name), growth)
            else:
                cache[name] = state.read(name)
        return cache[name]

    added = {f"state/stage_{a.stage}_string_indexer.arrow": 0 for a in growth.appended}
    for a in growth.appended:
        added[f"state/stage_{a.stage}_string_indexer.arrow"] += len(a.levels)
    files = [{**f, "rows": f.get("rows", 0) + added[f["path"]]} if f.get("path") in added else f
             for f in state.doc.get("files", [])]
    return ParentState(doc={**state.doc, "files": files}, read=read)


def grow(spark: SparkSession, parent: PipelineModel, state: ParentState, train: DataFrame, mode: str, *,
         log: Log = quiet) -> Grown:
    """The parent as the mode sees it: with levels of the new training rows appended when the mode takes them."""
    policy = POLICIES.get(mode)
    if policy is None or not policy.accepts(parent.stages[-1]):
        return Grown(parent, state)
    growth = grow_stages(list(parent.stages[:-1]), train, one_hot_only=policy.one_hot_only)
    if growth is None:
        return Grown(parent, state)
    layout = growth.layout
    for a in growth.appended:
        log(f"appending {len(a.levels)} new level(s) of {a.column} from index {a.at}: "
            + ", ".join(repr(v) for v in a.levels[:5]) + (" …" if len(a.levels) > 5 else ""))
    view = PipelineModel(stages=[*growth.stages, policy.predictor(spark, parent.stages[-1], layout)])
    facts = {"appendedLevels": [a.doc() for a in growth.appended],
             "features": {"parent": layout.size, "child": layout.child_size, "inserted": layout.new_positions()}}
    return Grown(view, state_view(state, growth), facts)


__all__ = ["Grown", "POLICIES", "Policy", "grow", "state_view"]
