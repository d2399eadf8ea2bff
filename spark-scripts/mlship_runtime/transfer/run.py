"""Run one transfer (model.basedOn): load the source version, read and prepare the target's rows, build the target's
feature stages (the source's, frozen), fine-tune from the source's parameters (finetune) or put the source's whole
pipeline first (feature, offset: transfer/stacking.py), and export the target as a self-contained model with
model/transfer.json (docs/transfer.md)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyspark.ml import PipelineModel
from pyspark.ml.classification import LogisticRegressionModel, MultilayerPerceptronClassificationModel
from pyspark.sql import SparkSession

from ..data import read_training_data
from ..errors import MlshipError, first_line
from ..export.api import ExportResult, export_pipeline
from ..export.parity import MIN_DATA_ROWS
from ..job import TrainJob
from ..ledger import READ_FILES, read_report
from ..mlp import feature_count
from ..pipeline import FEATURES_COL
from ..prepare import Parent, prepare
from ..progress import Log, Now, progress, utc_now
from ..split import split
from ..storage import open_out, read_bytes, spark_uri, write_json
from .finetune import Finetuned, finetune_logistic, finetune_mlp
from .offset_gbt import OFFSET_GBT_MODELS, offset_gbt
from .stacking import Stacked, default_use, fit_stacked, source_portable_files
from .stages import frozen_feature_stages

TRANSFER_FILE = "transfer.json"  # beside the target's model files, listed in its MANIFEST
METHODS = ("finetune", "feature", "offset")  # the methods this runtime trains (offset: a GLM's, or a GBT's)
STACKED = ("feature", "offset")  # methods whose target embeds the source (transfer/stacking.py), but a GBT offset


@dataclass(frozen=True)
class TransferRequest:
    """The `transfer` block of the --job JSON (src/submit/job-json.ts)."""

    method: str
    freeze_stages: bool
    source_ref: str  # NAME@V, for messages and transfer.json
    source_uri: str  # the source's model/ folder (file:///..., s3://...)
    source_manifest_sha256: str
    use: str | None = None  # feature: the source output read (probability, margin, prediction); None: the default


def parse_transfer(raw: dict[str, Any]) -> TransferRequest:
    """The transfer block as mlship writes it; a malformed one is a bug in mlship, reported as such."""
    try:
        source = raw["source"]
        return TransferRequest(method=str(raw["method"]), freeze_stages=bool(raw.get("freezeStages", True)),
                               source_ref=str(source["ref"]), source_uri=str(source["uri"]),
                               source_manifest_sha256=str(source["manifestSha256"]),
                               use=str(raw["use"]) if raw.get("use") is not None else None)
    except (KeyError, TypeError, ValueError) as exc:
        raise MlshipError([f"--job: a malformed transfer block ({type(exc).__name__}: {exc})"], code="invalid") from None


def _classes(descriptor: dict[str, Any], predictor: Any) -> list[str] | int | None:
    """The source's classes: its text labels, or for numeric labels its predictor's class count."""
    values = (descriptor.get("label") or {}).get("values")
    if values:
        return list(values)
    return int(predictor.numClasses) if hasattr(predictor, "numClasses") else None


def _is_gbt_offset(req: TransferRequest, job: TrainJob) -> bool:
    """offset on a GBT target: boosting on from the source's trees (offset_gbt.py), not a GLM embedding the source."""
    return req.method == "offset" and job.algorithm in OFFSET_GBT_MODELS


def _refuse_unsupported(req: TransferRequest, job: TrainJob, predictor: Any) -> None:
    """What the CLI checks before Spark starts, checked again against the source as loaded."""
    if req.method not in METHODS:
        raise MlshipError([f"transfer method {req.method!r} is not yet implemented in this runtime"], code="invalid")
    gbt_offset = _is_gbt_offset(req, job)
    if not req.freeze_stages and (req.method not in STACKED or gbt_offset):
        raise MlshipError([f"transfer: freezeStages false is for the feature method and a GLM offset; {req.method} "
                           "starts from the source's parameters or trees, which read the source's fitted stages"],
                          code="invalid")
    if gbt_offset:
        return  # offset_gbt checks the source's kind
    if req.method in STACKED:
        return
    wanted = {"logistic_regression": LogisticRegressionModel,
              "mlp_classifier": MultilayerPerceptronClassificationModel}.get(job.algorithm)
    if wanted is None or not isinstance(predictor, wanted):
        raise MlshipError([f"finetune: the source's predictor is a {type(predictor).__name__}, the job trains "
                           f"{job.algorithm}"], code="invalid")


def run_transfer(spark: SparkSession, job: TrainJob, req: TransferRequest, out_uri: str, run_id: str, *,
                 log: Log = progress, clock: Callable[[], float] = time.monotonic,
                 now: Now = utc_now) -> ExportResult:
    """The whole transfer behind mlship_train.py; raises MlshipError for problems the user can fix."""
    started = clock()
    source_dir = open_out(req.source_uri)
    log(f"loading the source {req.source_ref} from {source_dir.uri}")
    source = PipelineModel.load(spark_uri(source_dir.uri) + "/spark")
    descriptor = json.loads(read_bytes(source_dir, "portable/descriptor.json").decode("utf-8"))
    predictor = source.stages[-1]
    _refuse_unsupported(req, job, predictor)
    source_inputs = [c["name"] for c in descriptor.get("inputSchema", [])]

    log(f"reading {job.data_format} data from {job.train_path}")
    raw = read_training_data(spark, job.train_path, job.data_format, job.options)
    write_json(open_out(out_uri.rstrip("/").rsplit("/", 1)[0]), READ_FILES, read_report(raw, job.partition_column))
    # Logistic regression keeps the source's label set (and text labels its order), so its coefficients still mean
    # the same classes; an MLP's output layer is new, sized for the target's own labels.
    keep_labels = job.algorithm == "logistic_regression" and req.method == "finetune"
    gbt_offset = _is_gbt_offset(req, job)  # a GBT classifier keeps them too
    try:
        prepared = prepare(raw, job, parent=Parent(_classes(descriptor, predictor)) if keep_labels or gbt_offset else None)
    except MlshipError as exc:
        if exc.code != "update":
            raise
        raise MlshipError([f"{req.method} of a {job.algorithm} keeps the source's label set: {p}".replace(
            "the parent", f"the source {req.source_ref}") for p in exc.problems], code="data") from None
    log(f"{prepared.rows} rows")
    if prepared.rows < MIN_DATA_ROWS:
        raise MlshipError([f"the training data has {prepared.rows} usable rows; mlship needs at least "
                           f"{MIN_DATA_ROWS} to fit, validate and certify a model"], code="data")
    frame = prepared.frame.cache()
    try:
        train, validation = split(frame, job.validation_fraction, job.validation_seed, label=prepared.label,
                                  label_values=prepared.label_values)
        if req.method in STACKED and not gbt_offset:
            return _export_stacked(req, job, source, descriptor, source_dir, train, validation, prepared, raw,
                                   out_uri, run_id, started, log, clock, now)
        stages, extra = frozen_feature_stages(source, job.features, source_inputs, train)
        if extra:
            log(f"target-only columns with their own stages: {', '.join(extra.numeric + extra.categorical)}")
        features = stages.transform(train).cache()
        n_train, n_validation = features.count(), validation.count()
        if n_train == 0 or n_validation == 0:
            raise MlshipError([f"the split left {n_train} training and {n_validation} validation rows; need some "
                               "of each"], code="data")
        extra_inputs = _width(features) - _source_width(predictor)
        # "fitting " starts the fitting phase of the live progress (live_progress.py PHASE_PREFIXES).
        log(f"fitting {job.algorithm} on {n_train} rows, {req.method} from {req.source_ref}; validating on {n_validation}")
        try:
            tuned: Finetuned = (offset_gbt(spark, job, predictor, features, extra_inputs, log=log) if gbt_offset
                                else finetune_logistic(spark, job, predictor, features, extra_inputs) if keep_labels
                                else finetune_mlp(job, predictor, features, extra_inputs))
        except MlshipError:
            raise
        except Exception as exc:  # noqa: BLE001 - Spark's own message is the useful part
            raise MlshipError([f"{req.method} of {job.algorithm} failed: {first_line(exc)}"], code="fit") from exc
        target = PipelineModel(stages=[*stages.stages, tuned.predictor])
        doc = {
            "method": req.method,
            "freezeStages": req.freeze_stages,
            "source": {"ref": req.source_ref, "manifestSha256": req.source_manifest_sha256,
                       "algorithm": descriptor.get("algorithm")},
            "targetOnly": {"numeric": extra.numeric, "categorical": extra.categorical},
            "facts": tuned.facts,
        }
        return export_pipeline(target, validation, out_uri, label=prepared.label, label_name=job.label,
                               run_id=run_id, label_values=prepared.label_values, df_train=train,
                               parity_rows=job.parity_rows, rows={"train": n_train, "validation": n_validation},
                               source_types={f.name: f.dataType.simpleString() for f in raw.schema.fields},
                               extra_docs={TRANSFER_FILE: doc}, started_at=started, log=log, clock=clock, now=now)
    finally:
        frame.unpersist()


def _export_stacked(req: TransferRequest, job: TrainJob, source: PipelineModel, descriptor: dict[str, Any],
                    source_dir: Any, train: Any, validation: Any, prepared: Any, raw: Any, out_uri: str, run_id: str,
                    started: float, log: Log, clock: Callable[[], float], now: Now) -> ExportResult:
    """feature/offset: the target pipeline with the source as its first stage, exported with the source's portable
    model under portable/source/ (self-contained) and transfer.json."""
    use = req.use or default_use(descriptor)
    n_train, n_validation = train.count(), validation.count()
    if n_train == 0 or n_validation == 0:
        raise MlshipError([f"the split left {n_train} training and {n_validation} validation rows; need some of each"],
                          code="data")
    log(f"fitting {job.algorithm} on {n_train} rows with the {req.method} of {req.source_ref} ({use}); "
        f"validating on {n_validation}")
    stacked: Stacked = fit_stacked(job, req.method, use, source, descriptor, job.features, train,
                                   freeze=req.freeze_stages)
    if stacked.extra:
        log(f"target-only columns with their own stages: {', '.join(stacked.extra.numeric + stacked.extra.categorical)}")
    doc = {
        "method": req.method,
        "freezeStages": req.freeze_stages,
        "use": stacked.facts["use"],
        **({"family": stacked.facts["family"]} if "family" in stacked.facts else {}),
        "source": {"ref": req.source_ref, "manifestSha256": req.source_manifest_sha256,
                   "algorithm": descriptor.get("algorithm")},
        "targetOnly": {"numeric": stacked.extra.numeric, "categorical": stacked.extra.categorical},
        "facts": stacked.facts,
    }
    return export_pipeline(stacked.pipeline, validation, out_uri, label=prepared.label, label_name=job.label,
                           run_id=run_id, label_values=prepared.label_values, df_train=train,
                           parity_rows=job.parity_rows, rows={"train": n_train, "validation": n_validation},
                           source_types={f.name: f.dataType.simpleString() for f in raw.schema.fields},
                           extra_docs={TRANSFER_FILE: doc},
                           extra_files=source_portable_files(source_dir, req.source_ref),
                           started_at=started, log=log, clock=clock, now=now)


def _width(frame: Any) -> int:
    """The width of the assembled `features` vector."""
    return feature_count(frame, FEATURES_COL)


def _source_width(predictor: Any) -> int:
    """The number of features the source's predictor reads."""
    return int(predictor.numFeatures)


__all__ = ["METHODS", "TRANSFER_FILE", "TransferRequest", "parse_transfer", "run_transfer"]
