"""The `retrain` update mode: the job's estimator fitted from scratch on history ∪ new, through the parent's frozen
feature stages (docs/updating.md, "Retrain")."""

from __future__ import annotations

from pyspark.ml import Estimator, Transformer
from pyspark.sql import DataFrame

from ..algorithms import build_estimator
from ..columns import label_column
from ..errors import MlshipError, first_line
from ..job import TrainJob
from .modes import UpdateInput, UpdateResult, register


def spark_estimator(estimator: Estimator) -> Estimator:
    """Spark's own estimator: mlp_classifier's SizedMultilayerPerceptron carries it as `inner`."""
    return getattr(estimator, "inner", estimator)


def estimator_like(job: TrainJob, predictor: Transformer) -> Estimator:
    """The job's estimator (its params from the spec), reading and writing the columns the parent's predictor does:
    featuresCol, labelCol, weightCol, predictionCol, probabilityCol, ... copied from the parent."""
    estimator = build_estimator(job.algorithm, job.params, label_column(job.label))
    target = spark_estimator(estimator)
    for param, value in predictor.extractParamMap().items():
        if param.name.endswith("Col") and target.hasParam(param.name):
            target._set(**{param.name: value})
    return estimator


def fit(estimator: Estimator, frame: DataFrame, algorithm: str) -> Transformer:
    """estimator.fit(frame), Spark's failure as an MlshipError (as train's fit_pipeline reports it)."""
    try:
        return estimator.fit(frame)
    except MlshipError:
        raise
    except Exception as exc:  # Spark's own message (bad param value, diverging solver, ...) is the useful part.
        raise MlshipError([f"fitting {algorithm} failed: {first_line(exc)}"], code="fit") from exc


def history_and_new(inp: UpdateInput) -> tuple[DataFrame, DataFrame]:
    """The history's training rows and history ∪ new (history first), both through the frozen stages."""
    history = inp.history_train()
    return history, history.unionByName(inp.new_train)


@register("retrain")
def retrain(inp: UpdateInput) -> UpdateResult:
    """Fit the job's estimator on history ∪ new. The state is left to the exporter (state_tables None): the lead
    passes history ∪ new as df_train, so the child's state is computed from the rows it was fitted on."""
    history, union = history_and_new(inp)
    new_rows = inp.new_train.count()
    history_rows = history.count()
    inp.log(f"retrain: fitting {inp.job.algorithm} on {history_rows} history + {new_rows} new rows")
    predictor = fit(estimator_like(inp.job, inp.predictor), union, inp.job.algorithm)
    return UpdateResult(predictor=predictor, state_tables=None,
                        facts={"historyRows": history_rows, "newRows": new_rows})


__all__ = ["estimator_like", "fit", "history_and_new", "retrain", "spark_estimator"]
