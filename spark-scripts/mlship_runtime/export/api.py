"""export_pipeline: write a fitted PipelineModel as a complete mlship model folder."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from pyspark.ml import PipelineModel
from pyspark.sql import DataFrame
from pyspark.sql import types as T

from ..background import start
from ..errors import MlshipError
from ..evaluate import evaluate
from ..evaluation import EVALUATION_DIR, evaluation_tables, write_evaluation
from ..progress import Log, Now, quiet, utc_now
from ..storage import delete_dir, delete_file, open_out, spark_uri, write_arrow_file, write_bytes, write_json
from .descriptor import build_descriptor, input_schema, output_columns, stage_file, task_of
from .manifest import MANIFEST, write_manifest
from .params import PARAMS_FILE, fitted_params
from .parity import MIN_PARITY_ROWS, ParitySample, parity_sample
from .profile import profiled_columns
from .stages import check_stages, export_stages, flatten
from .state import STATE_DIR, export_state, write_updated_state


@dataclass(frozen=True)
class ExportResult:
    """What export_pipeline wrote."""

    out_uri: str
    descriptor: dict[str, Any]
    metrics: dict[str, Any]
    manifest: dict[str, Any]


def _check_label(df: DataFrame, label: str, label_values: list[str] | None) -> list[str]:
    """The validation frame must carry the label as numbers (class indices for classifiers)."""
    field = next((f for f in df.schema.fields if f.name == label), None)
    if field is None:
        return [f'the validation data has no label column "{label}"']
    if not isinstance(field.dataType, T.NumericType):
        hint = "; index text labels first and pass their values as label_values" if label_values is None else ""
        return [f'label column "{label}" has type {field.dataType.simpleString()}; expected numbers{hint}']
    return []


def export_pipeline(
    pipeline_model: PipelineModel,
    df_validation: DataFrame,
    out_uri: str,
    *,
    label: str,
    run_id: str,
    label_values: list[str] | None = None,
    label_name: str | None = None,
    df_train: DataFrame | None = None,
    parity_rows: int = 1000,
    rows: dict[str, int] | None = None,
    source_types: dict[str, str] | None = None,
    started_at: float | None = None,
    state_update: tuple[Any, dict[str, Any] | None] | None = None,
    extra_docs: dict[str, Any] | None = None,
    extra_files: dict[str, bytes] | None = None,
    log: Log = quiet,
    clock: Callable[[], float] = time.monotonic,
    now: Now = utc_now,
) -> ExportResult:
    """Write spark/, portable/, state/, evaluation/, parity.arrow, metrics.json and, last, MANIFEST.json under `out_uri`.

    For a user's own PySpark script::

        model = Pipeline(stages=[...feature stages..., LogisticRegression(labelCol="churned")]).fit(train)
        export_pipeline(model, validation, "file:///abs/run/model", label="churned", run_id="my-run",
                        df_train=train)

    - `pipeline_model`: a fitted PipelineModel made of the stage kinds in docs/portable-model.md
      (Imputer, StringIndexer, OneHotEncoder, VectorAssembler, StandardScaler, MinMaxScaler,
      MaxAbsScaler, Bucketizer, QuantileDiscretizer, Normalizer, Binarizer) ending in a
      LogisticRegression, LinearRegression, GeneralizedLinearRegression, LinearSVC, KMeans, DecisionTree*,
      RandomForest* or GBT* classification or regression model, NaiveBayes or MultilayerPerceptronClassifier. Numeric inputs must be double columns and categorical inputs string columns,
      as the served model will receive them.
    - `df_validation`: held-out rows with the input columns and the label as numbers; metrics
      and the parity sample come from it.
    - `label`: the label column ("" for KMeans, which has none); `label_values`: the original text labels in index order when
      the label was indexed before the pipeline (None for numeric labels); `label_name`: the label's name as the
      descriptor records it, when `label` is a renamed copy (Spark's estimators cannot read a label named with a dot).
    - `df_train`: optional but recommended; the training state (state/, the statistics `mlship update` merges) is
      computed on it, so without it the version is not updatable. It also tops the parity sample up to `parity_rows` when validation is smaller. On
      data with fewer rows than that, the sample then holds every row, which certifies a model on as few as 20 rows;
      without it a sample needs 200 validation rows.
    - `source_types`: optional; each input column's Spark type as read (`dataType.simpleString()`), before
      any cast to double/string, recorded as the input's `sparkType` so serving casts other types as Spark did.
    - `state_update`: for `mlship update` (update/run.py): (the parent's ParentState, the mode's predictor state
      tables); the child's state is the parent's frozen stage tables with those predictor tables, not recomputed
      (tables None: computed on `df_train`, every row the child learned from). `extra_docs`: more JSON files
      (name -> document) written into the folder before MANIFEST.json (update.json). `extra_files`: more files
      (relative path -> bytes), as the source's portable model copied to portable/source/ (transfer).
    - `out_uri`: file:///abs/path, s3://bucket/prefix or s3a://bucket/prefix: Spark writes spark/ through
      its Hadoop filesystem (s3a for both S3 schemes), pyarrow the rest (storage.s3_filesystem).
    Raises MlshipError, before writing anything, when the pipeline cannot be exported.
    """
    started = clock() if started_at is None else started_at
    exports = export_stages(pipeline_model)
    clustering = task_of(exports) == "clustering" if exports else False
    problems = check_stages(exports) + ([] if clustering else _check_label(df_validation, label, label_values))
    inputs, schema_problems = input_schema(exports, df_validation.schema, label, source_types)
    problems += schema_problems
    if problems:
        raise MlshipError(problems, code="export")
    predictor = flatten(pipeline_model)[-1]
    outputs = output_columns(predictor)
    spark = df_validation.sparkSession
    descriptor = build_descriptor(exports=exports, inputs=inputs, label=label_name or label,
                                  label_values=label_values, outputs=outputs, spark_version=spark.version)
    task = descriptor["task"]

    out = open_out(out_uri)
    delete_file(out, MANIFEST)  # a half-rewritten folder must not look complete
    delete_dir(out, "portable")
    delete_dir(out, STATE_DIR)
    delete_dir(out, EVALUATION_DIR)

    log("debug: Spark's model saved beside the scoring")
    # Spark's writer (a metadata and a data job per stage) runs beside the scoring, the parity sample and the
    # evaluation artifacts: independent small jobs that overlap instead of queueing.
    # The writer is made here, so the Java stages and their params are fixed before another thread uses them.
    writer = pipeline_model.write().overwrite()
    saved = start(lambda: writer.save(spark_uri(out.uri) + "/spark"), "save-model")
    log("scoring the validation split")
    scored = pipeline_model.transform(df_validation).cache()
    sampled: Future[ParitySample] | None = None
    try:
        metrics = evaluate(scored, label, task, outputs, features=predictor.getFeaturesCol(),
                           distance=descriptor["stages"][-1].get("distanceMeasure", "euclidean"))
        log("validation " + ", ".join(f"{k}={v:.6g}" if v is not None else f"{k}=n/a" for k, v in metrics.items()))
        log("debug: the parity sample and the evaluation artifacts, side by side")
        scored_train = pipeline_model.transform(df_train) if df_train is not None else None  # planned here, once
        sampled = start(lambda: parity_sample(scored, scored_train, inputs, outputs, parity_rows), "parity-sample")
        counts = rows or {"train": df_train.count() if df_train is not None else None,
                          "validation": scored.count()}
        evaluation_started = clock()
        evaluation = evaluation_tables(
            scored, task=task, label=label, outputs=outputs, descriptor=descriptor, stages=flatten(pipeline_model),
            features=predictor.getFeaturesCol(), train=df_train,
            columns=profiled_columns(exports, df_train.schema) if df_train is not None else [])
        log(f"evaluation artifacts computed in {clock() - evaluation_started:.2f} s")
        parity = sampled.result()
    finally:
        if sampled is not None:
            sampled.exception()  # the sample's jobs read `scored`: they end before it is unpersisted
        scored.unpersist()
        saved.exception()  # never leave the writer running; its error, if any, is raised just below

    log(f"writing the model to {out.uri}")
    saved.result()
    log("debug: the portable stages, descriptor, parity.arrow")
    for i, e in enumerate(exports):  # tree stages read their nodes back from the native model just saved
        write_arrow_file(out, "portable/" + stage_file(i, e.kind), e.load_table(out, "spark"))
    write_json(out, "portable/descriptor.json", descriptor)
    for path, body in (extra_files or {}).items():
        write_bytes(out, path, body)
    write_arrow_file(out, "parity.arrow", parity.table)
    write_evaluation(out, evaluation)
    if parity.all_rows:
        log(f"the parity sample holds every row: {parity.table.num_rows}")
    elif parity.table.num_rows < MIN_PARITY_ROWS:
        log(f"only {parity.table.num_rows} rows for the parity sample; the certificate needs {MIN_PARITY_ROWS} "
            f"(pass df_train to top it up with training rows)")
    log("debug: the training state")
    if state_update is not None and state_update[1] is not None:
        write_updated_state(out, state_update[0], state_update[1], log=log)
    elif df_train is not None:
        state_started = clock()
        export_state(pipeline_model, exports, df_train, out, log=log)
        log(f"training state exported in {clock() - state_started:.2f} s")
    else:
        log("no df_train: no training state (the version will not be updatable)")
    log("debug: metrics, params, MANIFEST")
    metrics_doc = _metrics_doc(task, metrics, counts, parity, spark, clock() - started)
    write_json(out, "metrics.json", metrics_doc)
    write_json(out, PARAMS_FILE, fitted_params(predictor))
    for name, doc in (extra_docs or {}).items():
        write_json(out, name, doc)
    manifest = write_manifest(out, run_id, now)
    log(f"wrote {len(manifest['files'])} files and MANIFEST.json")
    return ExportResult(out_uri=out.uri, descriptor=descriptor, metrics=metrics_doc, manifest=manifest)


def _metrics_doc(task: str, metrics: dict[str, float | None], rows: dict[str, int | None], parity: ParitySample,
                 spark: Any, duration: float) -> dict[str, Any]:
    """metrics.json as a dict."""
    context = spark.sparkContext
    return {
        "task": task,
        "metrics": metrics,
        "rows": rows,
        "parity": parity.summary(),
        "spark": {"version": spark.version, "applicationId": context.applicationId, "master": context.master},
        "durationSeconds": round(duration, 3),
    }
