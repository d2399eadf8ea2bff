"""Check the training data against the job and prepare it: cast features, drop null labels, index a text label."""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .catalogue import BINARY_ONLY, CATALOGUE
from .columns import LABEL_COLUMN, col, describe, is_atomic, is_number, label_column
from .errors import MlshipError
from .job import CLASSIFIERS, TREE_ALGORITHMS, TrainJob
from .naive_bayes import naive_bayes_problems
from .split import SPLIT_KEY_COLUMN

# Above this many distinct label values the column is almost surely not a class label.
MAX_LABEL_VALUES = 1000

# Columns the pipeline creates; a label or feature with one of these names would be overwritten.
RESERVED_COLUMNS = ("features", "prediction", "probability", "rawPrediction", "numeric__vector", "numeric__scaled",
                    "numeric__normalized", LABEL_COLUMN, SPLIT_KEY_COLUMN)


@dataclass(frozen=True)
class Prepared:
    """The data the pipeline trains on, with what preparation learned about the label."""

    frame: DataFrame
    label: str  # the label's column in `frame` (columns.label_column: not the job's name when Spark cannot read that)
    label_values: list[str] | None
    rows: int
    dropped_labels: int


def _not_found(kind: str, name: str, columns: list[str]) -> str:
    """A missing-column problem that lists the columns there are."""
    hint = next((f' (did you mean "{c}"?)' for c in columns if c.lower() == name.lower()), "")
    return f'{kind} column "{name}" not found in the training data{hint}; columns are: {", ".join(columns)}'


def column_problems(schema: T.StructType, job: TrainJob) -> list[str]:
    """Every missing column and every column whose type cannot play its role."""
    types = {f.name: f.dataType for f in schema.fields}
    columns = list(types)
    problems: list[str] = []
    is_classifier = job.algorithm in CLASSIFIERS
    for name in [*([job.label] if job.label else []), *job.features.numeric, *job.features.categorical]:
        if name in RESERVED_COLUMNS or name.endswith(("__imputed", "__index", "__onehot", "__bucket", "__binary")):
            problems.append(f'column "{name}" clashes with a column mlship\'s pipeline creates; rename it')
    if not job.label:  # clustering: no label
        pass
    elif job.label not in types:
        problems.append(_not_found("label", job.label, columns))
    elif is_classifier and not is_atomic(types[job.label]):
        problems.append(f'label column "{job.label}" has type {describe(types[job.label])}; expected numbers or text')
    elif not is_classifier and not is_number(types[job.label]):
        problems.append(
            f'label column "{job.label}" has type {describe(types[job.label])}; {job.algorithm} needs a numeric label'
        )
    for name in job.features.numeric:
        if name not in types:
            problems.append(_not_found("numeric feature", name, columns))
        elif not (is_number(types[name]) or isinstance(types[name], T.BooleanType)):
            hint = " (for CSV, set data.options.nullValue if a marker such as \"NA\" means missing)" if isinstance(
                types[name], T.StringType) else ""
            problems.append(f'numeric feature "{name}" has type {describe(types[name])}; expected numbers{hint}')
    for name in job.features.categorical:
        if name not in types:
            problems.append(_not_found("categorical feature", name, columns))
        elif not is_atomic(types[name]):
            problems.append(f'categorical feature "{name}" has type {describe(types[name])}; expected text or numbers')
    if job.validation_key is not None and job.validation_key not in types:
        problems.append(_not_found("data.validation.key", job.validation_key, columns))
    elif job.validation_key is not None and not is_atomic(types[job.validation_key]):
        problems.append(f'data.validation.key column "{job.validation_key}" has type '
                        f'{describe(types[job.validation_key])}; expected text or numbers')
    return problems


def _split_key(job: TrainJob) -> list[Column]:
    """The key column the split hashes, when data.validation.key names one (split() drops it again)."""
    return [col(job.validation_key).alias(SPLIT_KEY_COLUMN)] if job.validation_key else []


def _valid_number(c: Column) -> Column:
    """True where a value is present and not NaN."""
    return c.isNotNull() & ~F.isnan(c.cast("double"))


def _stats(df: DataFrame, job: TrainJob, numeric_label: bool) -> dict[str, int | float | None]:
    """One pass over the data: row count, usable labels, and present values per feature."""
    label = col(job.label) if job.label else F.lit(0.0)  # clustering: every row is usable
    usable = _valid_number(label) if numeric_label else label.isNotNull()
    exprs = [F.count(F.lit(1)).alias("rows"), F.count(F.when(usable, 1)).alias("labels")]
    exprs += [F.count(F.when(_valid_number(col(c)), 1)).alias(f"n{i}") for i, c in enumerate(job.features.numeric)]
    exprs += [F.count(col(c)).alias(f"c{i}") for i, c in enumerate(job.features.categorical)]
    if _counts_categories(job):
        exprs += [F.count_distinct(col(c).cast("string")).alias(f"d{i}") for i, c in enumerate(job.features.categorical)]
    if numeric_label and job.algorithm in CLASSIFIERS:
        value = F.when(usable, label.cast("double"))
        exprs += [
            F.min(value).alias("label_min"),
            F.max(value).alias("label_max"),
            F.count(F.when(value != F.floor(value), 1)).alias("label_fractional"),
            F.count_distinct(value).alias("label_distinct"),
        ]
    return df.agg(*exprs).first().asDict()


def _label_values(df: DataFrame, label: str) -> list[str]:
    """The distinct text labels, sorted alphabetically (Python's code-point order, as Spark sorts strings)."""
    rows = df.select(col(label).cast("string").alias("v")).where(F.col("v").isNotNull()).distinct().limit(
        MAX_LABEL_VALUES + 1).collect()
    return sorted(r["v"] for r in rows)


def _label_problems(job: TrainJob, stats: dict, values: list[str] | None) -> list[str]:
    """Labels a classifier cannot train on."""
    name = job.label
    if stats["labels"] == 0:
        return [f'label column "{name}" has no values (every row is null or NaN)']
    if job.algorithm not in CLASSIFIERS:
        return []
    binary_only = job.algorithm in BINARY_ONLY  # the catalogue's label "two_classes" (GBTClassifier, LinearSVC): 0, 1
    if values is not None:
        if len(values) > MAX_LABEL_VALUES:
            return [f'label column "{name}" has more than {MAX_LABEL_VALUES} distinct values; is it the right column?']
        if len(values) < 2:
            return [f'label column "{name}" has a single value ({values[0]!r}); a classifier needs at least two']
        if binary_only and len(values) > 2:
            return [f'label column "{name}" has {len(values)} classes; {job.algorithm} supports two '
                    f'(use random_forest_classifier or decision_tree_classifier for more)']
        return []
    if stats["label_min"] < 0 or stats["label_fractional"]:
        return [f'label column "{name}" holds numbers that are not class indices 0, 1, 2, ...; '
                f'found values from {stats["label_min"]:g} to {stats["label_max"]:g}']
    if stats["label_distinct"] < 2:
        return [f'label column "{name}" has a single value ({stats["label_min"]:g}); a classifier needs at least two']
    if binary_only and stats["label_max"] > 1:
        return [f'label column "{name}" holds class indices up to {stats["label_max"]:g}; {job.algorithm} supports '
                f'two classes, 0 and 1 (use random_forest_classifier or decision_tree_classifier for more)']
    return []


def _counts_categories(job: TrainJob) -> bool:
    """Whether categorical columns become categorical tree features, whose category counts maxBins must cover."""
    return job.algorithm in TREE_ALGORITHMS and job.features.encoding == "index" and bool(job.features.categorical)


def _max_bins_problems(job: TrainJob, stats: dict) -> list[str]:
    """Spark needs maxBins >= categories per categorical feature: the labels plus the keep bucket for unseen/null."""
    if not _counts_categories(job):
        return []
    max_bins = job.params.get("maxBins", CATALOGUE[job.algorithm].defaults["maxBins"])  # Spark's default, 32
    if isinstance(max_bins, bool) or not isinstance(max_bins, int):
        return []  # build_estimator reports a bad maxBins
    problems = []
    for i, c in enumerate(job.features.categorical):
        categories = int(stats[f"d{i}"]) + 1
        if categories > max_bins:
            problems.append(f'categorical feature "{c}" has {categories - 1} values, {categories} categories with the '
                            f'one for unseen and null values; model.params.maxBins is {max_bins}: set it to at least '
                            f'{categories}, or use model.features.categoricalEncoding: onehot')
    return problems


def _frozen_label_problems(df: DataFrame, job: TrainJob, stats: dict, classes: list[str] | int) -> list[str]:
    """An update's labels must be among the parent's classes (its text labels, or indices below its class count), so
    a class index means the same in parent and child; one class alone is fine in a day of new data."""
    if isinstance(classes, int):
        if stats["label_min"] < 0 or stats["label_fractional"] or stats["label_max"] >= classes:
            return [f'label column "{job.label}" holds values from {stats["label_min"]:g} to {stats["label_max"]:g}; '
                    f'the parent knows the class indices 0 to {classes - 1} and an update keeps them: retrain with '
                    f'`mlship train` to add classes']
        return []
    known = set(classes)
    seen = [r["v"] for r in df.select(col(job.label).cast("string").alias("v")).where(F.col("v").isNotNull())
            .distinct().limit(MAX_LABEL_VALUES + 1).collect()]
    unknown = sorted(v for v in seen if v not in known)
    if not unknown:
        return []
    return [f'label column "{job.label}" holds {len(unknown)} class{"es" if len(unknown) > 1 else ""} the parent '
            f'never saw ({", ".join(map(repr, unknown[:5]))}); an update keeps the parent\'s classes '
            f'({", ".join(map(repr, classes))}): retrain with `mlship train` to add classes']


@dataclass(frozen=True)
class Parent:
    """What an update's rows must agree with: the parent's classes (its text labels, its count of numeric class
    indices, or None for a model without classes). New data may hold one class, or a feature with no values."""

    classes: list[str] | int | None


def prepare(df: DataFrame, job: TrainJob, *, parent: Parent | None = None) -> Prepared:
    """Validate columns, then return label + features with the types the portable model expects; for an update
    (`parent`), the labels are frozen to the parent's."""
    problems = column_problems(df.schema, job)
    if problems:
        raise MlshipError(problems, code="data")
    numeric_label = is_number(df.schema[job.label].dataType) if job.label else True
    stats = _stats(df, job, numeric_label)
    if stats["rows"] == 0:
        raise MlshipError([f"the training data at {job.train_path} has no rows"], code="data")
    parent_classes = parent.classes if parent else None
    frozen = parent_classes is not None and job.algorithm in CLASSIFIERS and stats["labels"] > 0
    if frozen and isinstance(parent_classes, list) != (not numeric_label):
        raise MlshipError([f'label column "{job.label}" is {"numeric" if numeric_label else "text"} in the new data '
                           f'but was {"text" if isinstance(parent_classes, list) else "numeric"} for the parent'],
                          code="update")
    if frozen:
        values: list[str] | None = list(parent_classes) if isinstance(parent_classes, list) else None
        label_problems = _frozen_label_problems(df, job, stats, parent_classes)  # type: ignore[arg-type]
        if label_problems:
            raise MlshipError(label_problems, code="update")
        problems: list[str] = []
    else:
        values = None if numeric_label else _label_values(df, job.label)
        problems = _label_problems(job, stats, values)
    problems += naive_bayes_problems(df, job)
    if parent is None:  # an update's frozen stages were fitted on the history: they take a day without values
        problems += _max_bins_problems(job, stats)
        problems += [f'numeric feature "{c}" has no values (every row is null or NaN)'
                     for i, c in enumerate(job.features.numeric) if stats[f"n{i}"] == 0]
        problems += [f'categorical feature "{c}" has no values (every row is null)'
                     for i, c in enumerate(job.features.categorical) if stats[f"c{i}"] == 0]
    if problems:
        raise MlshipError(problems, code="data")
    if not job.label:  # clustering: the features alone
        frame = df.select(*[col(c).cast("double").alias(c) for c in job.features.numeric],
                          *[col(c).cast("string").alias(c) for c in job.features.categorical], *_split_key(job))
        return Prepared(frame=frame, label="", label_values=None, rows=int(stats["rows"]), dropped_labels=0)
    label = col(job.label)
    if values is None:
        label_expr = label.cast("double")
        keep = _valid_number(label)
    else:
        # Alphabetical index outside the pipeline: serving maps prediction i back to values[i].
        label_expr = (F.array_position(F.array(*[F.lit(v) for v in values]), label.cast("string")) - 1).cast("double")
        keep = label.isNotNull()
    frame = df.where(keep).select(
        label_expr.alias(label_column(job.label)),
        *[col(c).cast("double").alias(c) for c in job.features.numeric],
        *[col(c).cast("string").alias(c) for c in job.features.categorical],
        *_split_key(job),
    )
    return Prepared(frame=frame, label=label_column(job.label), label_values=values, rows=int(stats["labels"]),
                    dropped_labels=int(stats["rows"] - stats["labels"]))
