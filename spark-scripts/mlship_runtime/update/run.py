"""Run one update: read only the new data, pass it through the parent's frozen stages, train the child's predictor
in the chosen mode, export the child with its merged training state and its comparison with the parent."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from ..background import start
from ..columns import col
from ..data import read_training_data, reader_options
from ..errors import MlshipError, first_line
from ..evaluate import evaluate
from ..export.api import ExportResult, export_pipeline
from ..export.descriptor import output_columns
from ..export.parity import MIN_DATA_ROWS
from ..job import TrainJob
from ..ledger import READ_FILES, read_report
from ..prepare import Parent, prepare
from ..progress import Log, Now, progress, utc_now
from ..split import split
from ..storage import open_out, read_bytes, write_json
from .append import grow
from .psi import measure_shift
from . import continue_trees, exact, laplace, retrain, streaming, warm  # noqa: F401 - each registers its mode
from .modes import MODES, UpdateInput, UpdateOptions, child_pipeline, frozen_stages, load_parent_state
from .parent_model import load_parent_model

UPDATE_FILE = "update.json"  # beside the child's model files, listed in its MANIFEST


@dataclass(frozen=True)
class Rows:
    """Which rows of a source to read: explicit files, or data.train filtered by `column op value`."""

    files: list[str]
    column: str | None = None
    op: str = ">"  # ">" the new rows above a watermark, "<=" the history at or below it
    value: Any = None


@dataclass(frozen=True)
class UpdateRequest:
    """The `update` block of the --job JSON (src/submit/job-json.ts)."""

    parent_ref: str  # NAME@V, for messages
    parent_uri: str  # the parent's model/ folder (file:///..., s3://...)
    new: Rows
    history: Rows
    options: UpdateOptions


def parse_update(raw: dict[str, Any]) -> UpdateRequest:
    """The update block as mlship writes it; a malformed one is a bug in mlship, reported as such."""
    try:
        def rows(r: dict[str, Any]) -> Rows:
            where = r.get("where")
            return Rows(files=[str(f) for f in r.get("files", [])], column=where["column"] if where else None,
                        op=where["op"] if where else ">", value=where["value"] if where else None)

        opts = raw.get("options", {})
        return UpdateRequest(
            parent_ref=str(raw["parent"]["ref"]), parent_uri=str(raw["parent"]["uri"]),
            new=rows(raw["new"]), history=rows(raw["history"]),
            options=UpdateOptions(mode=str(raw["mode"]), decay=float(opts.get("decay", 1.0)),
                                  new_trees=opts.get("newTrees"), max_iter=opts.get("maxIter"),
                                  merge_stages=True))
    except (KeyError, TypeError, ValueError) as exc:
        raise MlshipError([f"--job: a malformed update block ({type(exc).__name__}: {exc})"], code="invalid") from None


def _spark_path(path: str) -> str:
    """A ledger path as Spark reads it: s3:// through Hadoop's s3a filesystem."""
    return "s3a://" + path[len("s3://"):] if path.startswith("s3://") else path


def _ledger_form(path: str) -> str:
    """A path as the ledger writes it (file:///abs, s3://bucket/key), to compare data.train with ledger paths."""
    if path.startswith("/"):
        return "file://" + path
    if path.startswith("file:/") and not path.startswith("file://"):
        return "file://" + path[len("file:"):]
    if path.startswith(("s3a://", "s3n://")):
        return "s3://" + path[len("s3a://"):]
    return path


def read_rows(spark: SparkSession, job: TrainJob, rows: Rows, what: str) -> DataFrame:
    """The rows `rows` names: its files (with data.train as the partition base, so `column=value` folders still
    become columns), or data.train where `column op value`."""
    if rows.column is not None:
        frame = read_training_data(spark, job.train_path, job.data_format, job.options)
        if rows.column not in frame.columns:
            raise MlshipError([f"data.partitionColumn: the {what} has no column {rows.column!r}"], code="data")
        c = col(rows.column)
        return frame.where(c > F.lit(rows.value) if rows.op == ">" else c <= F.lit(rows.value))
    if not rows.files:
        raise MlshipError([f"the {what} names no files"], code="data")
    options = reader_options(job.data_format, job.options)
    base = job.train_path.rstrip("/")
    if not any(ch in base for ch in "*?[{") and all(_ledger_form(f).startswith(_ledger_form(base) + "/") for f in rows.files):
        options.setdefault("basePath", _spark_path(base))
    try:
        return spark.read.format(job.data_format).options(**options).load([_spark_path(f) for f in rows.files])
    except Exception as exc:  # noqa: BLE001 - Spark's AnalysisException and friends: the first line says what
        raise MlshipError([f"cannot read the {what} ({len(rows.files)} files): {first_line(exc)}"], code="data") from exc


def _parent_doc(parent_dir: Any, name: str) -> dict[str, Any] | None:
    """One JSON file of the parent's model folder, or None when it has none."""
    try:
        return json.loads(read_bytes(parent_dir, name).decode("utf-8"))
    except FileNotFoundError:
        return None


def _classes(descriptor: dict[str, Any], predictor: Callable[[], Any]) -> list[str] | int | None:
    """The parent's classes: its text labels, or for numeric labels its predictor's class count (`predictor()`
    waits for the parent's model only then)."""
    values = (descriptor.get("label") or {}).get("values")
    if values:
        return list(values)
    model = predictor()
    return int(model.numClasses) if hasattr(model, "numClasses") else None


def history_rows(parent_dir: Any) -> int:
    """Every row the parent learned from (its history, for the next update): a trained parent's train+validation
    rows, or an updated parent's history plus its new rows."""
    update = _parent_doc(parent_dir, UPDATE_FILE)
    if update is not None:
        return int(update["rows"]["history"]) + int(update["rows"]["new"])
    metrics = _parent_doc(parent_dir, "metrics.json") or {}
    counts = metrics.get("rows", {})
    return int(counts.get("train") or 0) + int(counts.get("validation") or 0)


def run_update(spark: SparkSession, job: TrainJob, req: UpdateRequest, out_uri: str, run_id: str, *,
               log: Log = progress, clock: Callable[[], float] = time.monotonic, now: Now = utc_now) -> ExportResult:
    """The whole update behind mlship_train.py; raises MlshipError for problems the user can fix."""
    started = clock()
    mode = MODES.get(req.options.mode)
    if mode is None:
        raise MlshipError([f"update mode {req.options.mode!r} is not available in this runtime "
                           f"(it has {', '.join(sorted(MODES)) or 'none'})"], code="update")
    parent_dir = open_out(req.parent_uri)
    log(f"loading {req.parent_ref} from {parent_dir.uri}")
    # Spark's model of the parent loads while the new rows are read and prepared (no step before grow() needs it).
    parent_load = start(lambda: load_parent_model(spark, parent_dir), "parent-model")
    descriptor = _parent_doc(parent_dir, "portable/descriptor.json") or {}
    state = load_parent_state(parent_dir)
    parent_predictor = lambda: parent_load.result().stages[-1]  # noqa: E731

    what = "new data"
    log(f"reading the new data: {len(req.new.files)} files" if req.new.column is None
        else f"reading the new data: rows of {job.train_path} where {req.new.column} > {req.new.value}")
    raw = read_rows(spark, job, req.new, what)
    report = read_report(raw, job.partition_column)
    write_json(open_out(out_uri.rstrip("/").rsplit("/", 1)[0]), READ_FILES, report)
    log("debug: prepare the new rows")
    prepared = prepare(raw, job, parent=Parent(_classes(descriptor, parent_predictor)))
    log(f"{prepared.rows} new rows")
    if prepared.rows < MIN_DATA_ROWS:
        raise MlshipError([f"the new data has {prepared.rows} usable rows; mlship needs at least {MIN_DATA_ROWS} "
                           f"to update, validate and certify a model"], code="data")
    frame = prepared.frame.cache()
    try:
        train, validation = split(frame, job.validation_fraction, job.validation_seed, label=prepared.label,
                                  label_values=prepared.label_values)
        log("debug: the parent's Spark model (loaded meanwhile)")
        parent = parent_load.result()
        predictor = parent.stages[-1]
        # The parent in the child's feature space: new levels appended where the mode takes them (update/append.py).
        log("debug: split, appended levels")
        grown = grow(spark, parent, state, train, req.options.mode, log=log)
        frozen = frozen_stages(grown.parent)
        log("debug: the new rows through the frozen stages, counted")
        new_train = frozen.transform(train).cache()
        n_train = new_train.count()  # also fills the cache the mode reads
        n_validation = prepared.rows - n_train  # the split divides the prepared rows
        if n_train == 0 or n_validation == 0:
            raise MlshipError([f"the split of the new data left {n_train} training and {n_validation} validation "
                               f"rows; need some of each"], code="data")
        history_cache: list[DataFrame] = []

        def history_raw() -> DataFrame:
            """The history's training split, as prepared (read once, on demand: O(history))."""
            if not history_cache:
                log("reading the history (this mode needs all of it)")
                hist = prepare(read_rows(spark, job, req.history, "history"), job,
                               parent=Parent(_classes(descriptor, lambda: predictor)))
                h_train, _ = split(hist.frame, job.validation_fraction, job.validation_seed, label=hist.label,
                                   label_values=hist.label_values)
                history_cache.append(h_train)
            return history_cache[0]

        def history_train() -> DataFrame:
            """The history's training split through the frozen stages."""
            return frozen.transform(history_raw())

        # The parent's score on the validation slice and the shift need only the parent and the new rows: their jobs
        # run beside the mode's.
        parent_scored = start(lambda: evaluate(
            parent.transform(validation), prepared.label, descriptor.get("task", ""), output_columns(predictor),
            features=predictor.getFeaturesCol(),
            distance=(descriptor.get("stages") or [{}])[-1].get("distanceMeasure", "euclidean")), "parent-metrics")
        shifted = start(lambda: measure_shift(state.read("profile"), train) if state.has("profile") else None, "shift")
        log(f"updating {req.parent_ref} ({type(predictor).__name__}) in mode {req.options.mode} on {n_train} new "
            f"rows, validating on {n_validation}")
        try:
            result = mode(UpdateInput(spark=spark, job=job, options=req.options, parent=grown.parent,
                                      predictor=grown.parent.stages[-1], state=grown.state, new_train=new_train,
                                      history_train=history_train, log=log))
        except MlshipError:
            raise
        except Exception as exc:  # noqa: BLE001 - Spark's own message is the useful part
            raise MlshipError([f"updating {job.algorithm} in mode {req.options.mode} failed: {first_line(exc)}"],
                              code="fit") from exc
        log("debug: the parent on the validation slice")
        child = child_pipeline(grown.parent, result.predictor, result.stages)
        # The child's state: the mode's merged tables, or (retrain, warm) the statistics of every row it learned from.
        state_rows = train if result.state_tables is not None else history_raw().unionByName(train)
        parent_metrics = parent_scored.result()
        log("debug: the shift")
        history = history_rows(parent_dir)
        tables = result.state_tables
        shift_list: list[dict[str, Any]] = []
        shift = shifted.result()
        if shift is not None:  # the shift of the new rows against the history, per input feature (PSI)
            shift_list = shift.shifts
            if shift_list:
                log("largest shifts (PSI): " + ", ".join(f'{s["feature"]} {s["psi"]:.3f}' for s in shift_list[:5]))
            if tables is not None:
                tables = {**tables, "profile": shift.child_profile}
        update_doc = {
            "parent": {"ref": req.parent_ref},
            "mode": req.options.mode,
            "options": {"decay": req.options.decay, "newTrees": req.options.new_trees, "maxIter": req.options.max_iter},
            "rows": {"history": history, "new": n_train + n_validation, "newTrain": n_train,
                     "newValidation": n_validation},
            "parentMetrics": parent_metrics,
            "shifts": shift_list,
            "facts": {**result.facts, **grown.facts},
        }
        return export_pipeline(child, validation, out_uri, label=prepared.label, label_name=job.label,
                               run_id=run_id, label_values=prepared.label_values, df_train=state_rows,
                               parity_rows=job.parity_rows,
                               rows={"train": n_train, "validation": n_validation},
                               source_types={f.name: f.dataType.simpleString() for f in raw.schema.fields},
                               state_update=(grown.state, tables), extra_docs={UPDATE_FILE: update_doc},
                               started_at=started, log=log, clock=clock, now=now)
    finally:
        frame.unpersist()
