"""Fit-time checks for naive_bayes: the feature values each modelType accepts (Spark fails late and obscurely)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .catalogue import CATALOGUE
from .columns import col
from .job import TrainJob

# Spark's NaiveBayes default modelType, and the modelTypes that need non-negative features (the catalogue's
# featureValues of naive_bayes).
DEFAULT_MODEL_TYPE = CATALOGUE["naive_bayes"].defaults["modelType"]
_FEATURE_VALUES = dict(CATALOGUE["naive_bayes"].feature_values)  # modelType -> rule, and byParam
NON_NEGATIVE_TYPES = tuple(t for t, rule in _FEATURE_VALUES.items() if rule == "non_negative")


def model_type(job: TrainJob) -> str:
    """The job's modelType, Spark's default when unset."""
    value = job.params.get("modelType", DEFAULT_MODEL_TYPE)
    return value if isinstance(value, str) else DEFAULT_MODEL_TYPE


def naive_bayes_problems(df: DataFrame, job: TrainJob) -> list[str]:
    """Feature settings and values a naive Bayes modelType cannot score; [] for other algorithms and gaussian.

    multinomial and complement need non-negative features, bernoulli 0/1 features. One-hot categoricals are 0/1,
    so only numeric columns, imputation and scaling can break the rule.
    """
    kind = model_type(job)
    if job.algorithm != "naive_bayes" or kind not in (*NON_NEGATIVE_TYPES, "bernoulli"):
        return []
    need = "0/1 features" if kind == "bernoulli" else "non-negative features"
    problems: list[str] = []
    # Standardising (scale: true / "standard") centres values on 0; a min-max scaling to [0, 1] keeps them usable.
    if job.features.scale in (True, "standard") and job.features.numeric:
        problems.append(f"model.features.scale: standardising centres numeric features on 0, giving negative values; "
                        f"naive_bayes with modelType {kind} needs {need}: set scale: false (or use modelType gaussian)")
    if kind == "bernoulli" and job.features.impute == "mean" and job.features.numeric:
        problems.append("model.features.impute: mean fills a missing 0/1 value with a fraction; naive_bayes with "
                        "modelType bernoulli needs 0/1 features: use impute: mode")
    if not job.features.numeric:
        return problems
    exprs = []
    for i, c in enumerate(job.features.numeric):
        value = F.when(col(c).isNotNull() & ~F.isnan(col(c).cast("double")), col(c).cast("double"))
        exprs.append(F.min(value).alias(f"min{i}"))
        exprs.append(F.count(F.when((value != 0.0) & (value != 1.0), 1)).alias(f"odd{i}"))
        exprs.append(F.first(F.when((value != 0.0) & (value != 1.0), value), ignorenulls=True).alias(f"eg{i}"))
    stats = df.agg(*exprs).first().asDict()
    for i, c in enumerate(job.features.numeric):
        low = stats[f"min{i}"]
        if kind in NON_NEGATIVE_TYPES and low is not None and low < 0:
            problems.append(f'numeric feature "{c}" has negative values (down to {low:g}); naive_bayes with modelType '
                            f"{kind} needs {need} (counts, frequencies, 0/1 flags): shift or drop the column, "
                            f"or use modelType gaussian")
        elif kind == "bernoulli" and stats[f"odd{i}"]:
            problems.append(f'numeric feature "{c}" has {stats[f"odd{i}"]} values other than 0 and 1 '
                            f'(e.g. {stats[f"eg{i}"]:g}); naive_bayes with modelType bernoulli needs 0/1 features: '
                            f"binarise the column, make it categorical, or use modelType multinomial or gaussian")
    return problems
