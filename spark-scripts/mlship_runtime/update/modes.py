"""The contract between `run_update` (update/run.py) and each update mode: what a mode receives, what it returns.

A mode trains the child's predictor; the parent's feature stages are frozen (kept as fitted) and reused as they are,
so a v1 input means the same in the child. Each mode lives in its own module and registers here in MODES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import json

import pyarrow as pa
from pyspark.ml import PipelineModel, Transformer
from pyspark.sql import DataFrame, SparkSession

from ..job import TrainJob
from ..progress import Log, quiet
from ..storage import OutDir, read_arrow_file, read_bytes


@dataclass(frozen=True)
class UpdateOptions:
    """The spec's `update:` block (docs/updating.md); None means the mode's documented default."""

    mode: str
    decay: float = 1.0  # streaming k-means: the weight a of the history's masses (1 = no forgetting)
    new_trees: int | None = None  # continue: trees added (GBT: boosting rounds on the new data; RF: trees appended)
    max_iter: int | None = None  # laplace: Newton steps at most
    # exact: merge the parent's scalers with the new rows (update/merged_stages.py). run_update sets it; False keeps
    # every stage frozen (the exact solve alone, as test_exact_update.py compares it).
    merge_stages: bool = False


@dataclass(frozen=True)
class ParentState:
    """The parent version's training state: state/state.json and a reader of its Arrow tables."""

    doc: dict[str, Any]
    read: Callable[[str], pa.Table]  # "moments" -> the table of state/moments.arrow

    def has(self, name: str) -> bool:
        """Whether state.json lists state/<name>.arrow."""
        return any(f["path"] == f"state/{name}.arrow" for f in self.doc.get("files", []))


@dataclass(frozen=True)
class UpdateInput:
    """Everything a mode may use. Frames are already passed through the parent's frozen feature stages, so they
    hold the predictor's featuresCol (and its labelCol and weightCol) exactly as the parent's predictor saw them."""

    spark: SparkSession
    job: TrainJob  # the spec's training part (algorithm, params, label, ...)
    options: UpdateOptions
    parent: PipelineModel  # the parent's whole fitted pipeline, loaded from its spark/ folder
    predictor: Transformer  # the parent's fitted predictor (the last stage of `parent`)
    state: ParentState
    new_train: DataFrame  # the new data's training split (the stable split), transformed; cached by the caller
    # The history's training split (every file of the parent's chain), transformed; reading it costs O(history),
    # so only `retrain` and `warm` call it.
    history_train: Callable[[], DataFrame]
    log: Log = quiet


@dataclass(frozen=True)
class UpdateResult:
    """What a mode returns: the child's predictor and the predictor's training state after the update."""

    predictor: Transformer  # a fitted Spark model of the parent's predictor class, appended to the frozen stages
    # The child's predictor state tables, name -> table (state/<name>.arrow), in the schema export/state.py writes;
    # None: compute it from the rows the child was fitted on (retrain/warm: history ∪ new), as `train` does.
    state_tables: dict[str, pa.Table] | None
    facts: dict[str, Any] = field(default_factory=dict)  # recorded in the version record's `update` (iterations, ...)
    # The child's feature stages when the mode changed some (exact: merged scalers); None keeps the parent's, frozen.
    stages: list[Transformer] | None = None


Mode = Callable[[UpdateInput], UpdateResult]


def load_parent_state(model_dir: OutDir) -> ParentState:
    """The training state under a version's model/ folder (state/state.json and its tables), read lazily."""
    doc = json.loads(read_bytes(model_dir, "state/state.json").decode("utf-8"))
    return ParentState(doc=doc, read=lambda name: read_arrow_file(model_dir, f"state/{name}.arrow"))


def frozen_stages(parent: PipelineModel) -> PipelineModel:
    """The parent's fitted feature stages alone (everything before the predictor), to transform new rows."""
    return PipelineModel(stages=list(parent.stages[:-1]))

# mode name -> function; each mode module adds itself by import in update/__init__.py (registry below).
MODES: dict[str, Mode] = {}


def register(name: str) -> Callable[[Mode], Mode]:
    """Decorator: make `fn` the implementation of update mode `name`."""

    def wrap(fn: Mode) -> Mode:
        MODES[name] = fn
        return fn

    return wrap


def child_pipeline(parent: PipelineModel, predictor: Transformer,
                   stages: list[Transformer] | None = None) -> PipelineModel:
    """The child: the parent's fitted stages, frozen (or the mode's `stages` in their place), with the new predictor
    in place of the last."""
    return PipelineModel(stages=list(parent.stages[:-1] if stages is None else stages) + [predictor])


__all__ = ["MODES", "Mode", "ParentState", "UpdateInput", "UpdateOptions", "UpdateResult", "child_pipeline",
           "frozen_stages", "load_parent_state", "register", "quiet"]
