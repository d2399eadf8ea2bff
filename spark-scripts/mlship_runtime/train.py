"""Run one training job: read, prepare, split, fit, export."""

from __future__ import annotations

import time
from collections.abc import Callable

from pyspark.ml import PipelineModel
from pyspark.sql import DataFrame, SparkSession

from .algorithms import build_estimator
from .columns import label_column
from .data import read_training_data
from .errors import MlshipError, first_line
from .export.api import ExportResult, export_pipeline
from .export.parity import MIN_DATA_ROWS
from .job import TrainJob
from .ledger import READ_FILES, read_report
from .pipeline import build_pipeline
from .prepare import prepare
from .progress import Log, Now, progress, utc_now
from .split import split
from .storage import open_out, write_json


def fit_pipeline(job: TrainJob, train: DataFrame) -> PipelineModel:
    """Fit the job's feature stages and estimator on prepared training rows."""
    estimator = build_estimator(job.algorithm, job.params, label_column(job.label))
    try:
        return build_pipeline(job.features, estimator).fit(train)
    except Exception as exc:  # Spark's own message (bad param value, diverging solver, ...) is the useful part.
        raise MlshipError([f"fitting {job.algorithm} failed: {first_line(exc)}"], code="fit") from exc


def run_training(spark: SparkSession, job: TrainJob, out_uri: str, run_id: str, *, log: Log = progress,
                 clock: Callable[[], float] = time.monotonic, now: Now = utc_now) -> ExportResult:
    """The whole run behind mlship_train.py; raises MlshipError for problems the user can fix."""
    started = clock()
    log(f"reading {job.data_format} data from {job.train_path}")
    raw = read_training_data(spark, job.train_path, job.data_format, job.options)
    report = read_report(raw, job.partition_column)
    if report["watermark"] is not None:
        log(f'watermark: max({job.partition_column}) = {report["watermark"]["value"]}')
    prepared = prepare(raw, job)
    dropped = f" ({prepared.dropped_labels} rows without a label dropped)" if prepared.dropped_labels else ""
    log(f"{prepared.rows} rows{dropped}")
    if prepared.rows < MIN_DATA_ROWS:
        raise MlshipError([f"the training data has {prepared.rows} usable rows{dropped}; mlship needs at least "
                           f"{MIN_DATA_ROWS} to fit, validate and certify a model (on data this small the parity "
                           f"certificate compares every row): add rows to {job.train_path}"], code="data")
    if prepared.label_values is not None:
        log(f'label "{job.label}" indexed alphabetically: {", ".join(prepared.label_values)}')
    # Beside model/ (the run folder), so model/ keeps exactly the files docs/portable-model.md lists.
    write_json(open_out(out_uri.rstrip("/").rsplit("/", 1)[0]), READ_FILES, report)
    frame = prepared.frame.cache()
    try:
        train, validation = split(frame, job.validation_fraction, job.validation_seed, label=prepared.label,
                                  label_values=prepared.label_values)
        # The split divides the prepared rows (prepared.rows of them), so one count gives both sides.
        n_train = train.count()
        n_validation = prepared.rows - n_train
        if n_train == 0 or n_validation == 0:
            raise MlshipError([f"the split left {n_train} training and {n_validation} validation rows; "
                               f"need some of each (data.validation.fraction is {job.validation_fraction})"],
                              code="data")
        log(f"fitting {job.algorithm} on {n_train} rows, validating on {n_validation}")
        model = fit_pipeline(job, train)
        return export_pipeline(model, validation, out_uri, label=prepared.label, label_name=job.label,
                               run_id=run_id, label_values=prepared.label_values, df_train=train,
                               parity_rows=job.parity_rows,
                               rows={"train": n_train, "validation": n_validation},
                               source_types={f.name: f.dataType.simpleString() for f in raw.schema.fields},
                               started_at=started,
                               log=log, clock=clock, now=now)
    finally:
        frame.unpersist()
