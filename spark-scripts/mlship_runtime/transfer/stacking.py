"""The `feature` and `offset` transfer methods (docs/transfer.md): the source's whole pipeline becomes the first stage
of the target's (a `source_model` stage); `feature` assembles its output after the target's features, `offset` gives
its link-scale margin to a GLM as offsetCol."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import VectorAssembler
from pyspark.sql import DataFrame

from ..algorithms import build_estimator
from ..columns import label_column
from ..errors import MlshipError
from ..job import Features, TrainJob
from ..pipeline import FEATURES_COL, feature_stages
from ..storage import OutDir, read_bytes
from ..update.retrain import fit, spark_estimator
from .source_stage import SourceOutputs
from .stages import EXTRA_PREFIX, TargetOnly, frozen_feature_stages, target_only

GLM = "generalized_linear_regression"
# The source algorithms an offset GLM of each family takes (the margin is the source's log-odds or log-mean).
OFFSET_SOURCES = {"binomial": ("logistic_regression", "gbt_classifier", GLM), "poisson": (GLM,)}
SOURCE_DIR = "portable/source/"  # where the target's folder keeps the source's portable model


@dataclass(frozen=True)
class Stacked:
    """The target's fitted pipeline (source stage first) and what the method reports."""

    pipeline: PipelineModel
    extra: TargetOnly
    facts: dict[str, Any]


def default_use(descriptor: dict[str, Any]) -> str:
    """`probability` for a classifier source, `prediction` for a regressor."""
    return "probability" if str(descriptor.get("task", "")).endswith("classification") else "prediction"


def source_stage(source: PipelineModel, descriptor: dict[str, Any], use: str) -> SourceOutputs:
    """The source pipeline as a stage writing its `use` output."""
    inputs = [c["name"] for c in descriptor.get("inputSchema", [])]
    return SourceOutputs(source, str(descriptor.get("algorithm")), descriptor.get("numClasses"), use, inputs)


def offset_problems(job: TrainJob, descriptor: dict[str, Any], source_family: str | None) -> list[str]:
    """Why a GLM offset cannot start from this source (the CLI checks the same before Spark starts)."""
    family = str(job.params.get("family", "gaussian"))
    if job.algorithm != GLM:
        return [f"offset trains a {GLM} (a GBT target is the GBT offset's), not {job.algorithm}"]
    allowed = OFFSET_SOURCES.get(family)
    if allowed is None:
        return [f"offset takes a GLM of family binomial or poisson, not {family}"]
    algorithm = str(descriptor.get("algorithm"))
    if algorithm not in allowed or (algorithm != GLM and descriptor.get("numClasses") != 2):
        return [f"offset with family {family} starts from {', '.join(allowed)} (binary), not {algorithm}"]
    if algorithm == GLM and source_family != family:
        return [f"offset with family {family} needs a source GLM of the same family, not {source_family}"]
    return []


def _link_family(predictor: Any) -> str | None:
    """A source GLM's family (None for other algorithms)."""
    return str(predictor.getFamily()) if hasattr(predictor, "getFamily") else None


OWN_VECTOR = "transfer__own"  # freezeStages false: the target's own features, before the source's output joins them


def own_feature_stages(features: Features, train: DataFrame, appended: list[str]) -> PipelineModel:
    """freezeStages false: the target's own stages for every column it lists, fitted on `train` from the target
    spec's options (as `train` fits them), then [own features, appended source output] assembled into `features`."""
    if not appended:
        return Pipeline(stages=feature_stages(features)).fit(train)
    own = Pipeline(stages=feature_stages(features, OWN_VECTOR, EXTRA_PREFIX)).fit(train)
    return PipelineModel(stages=[*own.stages, VectorAssembler(inputCols=[OWN_VECTOR, *appended],
                                                              outputCol=FEATURES_COL)])


def fit_stacked(job: TrainJob, method: str, use: str, source: PipelineModel, descriptor: dict[str, Any],
                features: Features, train: DataFrame, freeze: bool = True) -> Stacked:
    """The target pipeline [source stage, source's frozen stages, target-only stages, assembler, predictor] fitted
    on `train`: `feature` appends the source's output to the features, `offset` passes its margin as offsetCol.
    `freeze` false: the target's own stages for all its columns instead of the source's fitted ones (the source
    stage keeps its own inside it, so the source's output is the source's either way)."""
    if any(s.get("kind") == "source_model" for s in descriptor.get("stages", [])):
        raise MlshipError([f"{method}: the source is itself a feature or offset target; a composite model "
                           "holds one source, not a chain"], code="invalid")
    if method == "offset":
        use = "margin"
        problems = offset_problems(job, descriptor, _link_family(source.stages[-1]))
        if problems:
            raise MlshipError(problems, code="invalid")
    stage = source_stage(source, descriptor, use)
    appended = [stage.output_col] if method == "feature" else []
    if freeze:
        frozen, extra = frozen_feature_stages(source, features, stage.input_cols, train, appended)
    else:
        frozen = own_feature_stages(features, stage.transform(train), appended)
        extra = target_only(features, stage.input_cols)  # reported as with frozen stages: the source's non-inputs
    head = PipelineModel(stages=[stage, *frozen.stages])
    frame = head.transform(train).cache()
    try:
        estimator = build_estimator(job.algorithm, job.params, label_column(job.label))
        if method == "offset":
            spark_estimator(estimator).setOffsetCol(stage.output_col)
        predictor = fit(estimator, frame, job.algorithm)
    finally:
        frame.unpersist()
    facts: dict[str, Any] = {"use": use, "sourceOutput": stage.output_col, "sourceOutputWidth": stage.width,
                             "freezeStages": freeze}
    if method == "offset":
        facts["family"] = str(job.params.get("family"))
    return Stacked(PipelineModel(stages=[*head.stages, predictor]), extra, facts)


def source_portable_files(source_dir: OutDir, source_ref: str) -> dict[str, bytes]:
    """The source's portable model, path -> bytes under portable/source/, each checked against its MANIFEST."""
    manifest = json.loads(read_bytes(source_dir, "MANIFEST.json").decode("utf-8"))
    files: dict[str, bytes] = {}
    for entry in manifest.get("files", []):
        path = str(entry["path"])
        if not path.startswith("portable/"):
            continue
        body = read_bytes(source_dir, path)
        if hashlib.sha256(body).hexdigest() != entry["sha256"]:
            raise MlshipError([f"the source {source_ref}: {path} does not match its MANIFEST"], code="data")
        files[SOURCE_DIR + path[len("portable/"):]] = body
    if SOURCE_DIR + "descriptor.json" not in files:
        raise MlshipError([f"the source {source_ref} has no portable/descriptor.json in its MANIFEST"], code="data")
    return files


__all__ = ["GLM", "OFFSET_SOURCES", "SOURCE_DIR", "Stacked", "default_use", "fit_stacked", "offset_problems",
           "source_portable_files", "source_stage"]
