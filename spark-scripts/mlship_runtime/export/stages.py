"""Turn each fitted Spark stage into a descriptor entry and an Arrow table of its parameters."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from pyspark.ml import PipelineModel, Transformer
from pyspark.ml.classification import MultilayerPerceptronClassificationModel, NaiveBayesModel
from pyspark.ml.feature import (Binarizer, Bucketizer, ImputerModel, MaxAbsScalerModel, MinMaxScalerModel, Normalizer,
                                OneHotEncoderModel, StandardScalerModel, StringIndexerModel, VectorAssembler)

from ..catalogue import CATALOGUE, PORTABLE_KINDS, Algorithm, spark_class
from ..columns import unquote
from ..errors import MlshipError
from ..storage import OutDir
from ..transfer.source_stage import SourceOutputs
from .linear import export_linear
from .trees import node_table, tree_fields
from .bayes import naive_bayes_fields, naive_bayes_table
from .mlp import mlp_fields, mlp_table

# Reads a stage's table from the native model that PipelineModel.save wrote: (output folder, stage's folder there).
NativeReader = Callable[[OutDir, str], pa.Table]


@dataclass
class StageExport:
    """One stage as the portable format describes it, plus the columns it reads and writes.

    `table` is None for stages read back from the saved native model (trees): `native` reads it once
    `native_path` (the stage's folder inside the saved PipelineModel) exists.
    """

    kind: str
    uid: str
    fields: dict[str, Any]
    table: pa.Table | None
    reads: list[str]
    writes: dict[str, int] = field(default_factory=dict)  # column -> width (1 for a double)
    native: NativeReader | None = None
    native_path: str = ""

    def load_table(self, out: OutDir, saved: str) -> pa.Table:
        """The stage's table; `saved` is where the native PipelineModel was saved, relative to `out`."""
        if self.table is None:
            assert self.native is not None, self.kind
            self.table = self.native(out, "/".join(p for p in (saved, self.native_path) if p))
        return self.table


def flatten(model: Transformer) -> list[Transformer]:
    """The fitted stages in order, with nested PipelineModels expanded."""
    return [stage for stage, _ in flatten_with_paths(model)]


def flatten_with_paths(model: Transformer, path: str = "") -> list[tuple[Transformer, str]]:
    """Each fitted stage with its folder inside the saved model (Spark's `stages/<index>_<uid>`, index zero-padded
    to the digits of the stage count), nested PipelineModels expanded."""
    if not isinstance(model, PipelineModel):
        return [(model, path)]
    digits = len(str(len(model.stages)))
    prefix = f"{path}/stages" if path else "stages"
    return [pair for i, stage in enumerate(model.stages)
            for pair in flatten_with_paths(stage, f"{prefix}/{i:0{digits}d}_{stage.uid}")]


def _raw_cols(stage: Transformer, single: str, multi: str) -> list[str]:
    """A stage's column list as set, whether it was configured with the single- or multi-column param."""
    if stage.hasParam(multi) and stage.isSet(stage.getParam(multi)):
        return list(stage.getOrDefault(stage.getParam(multi)))
    return [stage.getOrDefault(stage.getParam(single))]


def _cols(stage: Transformer, single: str, multi: str) -> list[str]:
    """The columns an input param names: it may hold `quoted` names (columns.stage_col); output params are literal."""
    return [unquote(c) for c in _raw_cols(stage, single, multi)]


def _col(stage: Transformer, single: str) -> str:
    """The column a single-column param names."""
    return unquote(stage.getOrDefault(stage.getParam(single)))


def _floats(values: Any) -> list[float]:
    """Spark vector or array values as a list of Python float64."""
    return [float(v) for v in (values.toArray() if hasattr(values, "toArray") else values)]


def _imputer(stage: ImputerModel, widths: dict[str, int]) -> StageExport:
    """Imputer: its columns, strategy and missingValue; surrogates as one float64 row."""
    raw = _raw_cols(stage, "inputCol", "inputCols")  # surrogateDF names its columns after the params as set
    inputs, outputs = [unquote(c) for c in raw], _raw_cols(stage, "outputCol", "outputCols")
    surrogates = stage.surrogateDF.first().asDict()
    missing = float(stage.getMissingValue())
    table = pa.table({unquote(c): pa.array([float(surrogates[c])], pa.float64()) for c in raw})
    fields = {"inputCols": inputs, "outputCols": outputs, "strategy": stage.getStrategy(),
              "missingValue": "NaN" if math.isnan(missing) else missing}
    return StageExport("imputer", stage.uid, fields, table, inputs, {c: 1 for c in outputs})


def _string_indexer(stage: StringIndexerModel, widths: dict[str, int]) -> StageExport:
    """StringIndexer: one (column, index, label) row per label, in index order."""
    inputs, outputs = _cols(stage, "inputCol", "inputCols"), _raw_cols(stage, "outputCol", "outputCols")
    rows = [(c, i, label) for c, labels in zip(inputs, stage.labelsArray) for i, label in enumerate(labels)]
    table = pa.table({
        "column": pa.array([r[0] for r in rows], pa.utf8()),
        "index": pa.array([r[1] for r in rows], pa.int32()),
        "label": pa.array([r[2] for r in rows], pa.utf8()),
    })
    fields = {"inputCols": inputs, "outputCols": outputs, "handleInvalid": stage.getHandleInvalid()}
    return StageExport("string_indexer", stage.uid, fields, table, inputs, {c: 1 for c in outputs})


def _one_hot_encoder(stage: OneHotEncoderModel, widths: dict[str, int]) -> StageExport:
    """OneHotEncoder: Spark's categorySizes per input column."""
    inputs, outputs = _cols(stage, "inputCol", "inputCols"), _raw_cols(stage, "outputCol", "outputCols")
    sizes = [int(s) for s in stage.categorySizes]
    drop_last, handle_invalid = bool(stage.getDropLast()), stage.getHandleInvalid()
    table = pa.table({"column": pa.array(inputs, pa.utf8()), "size": pa.array(sizes, pa.int32())})
    fields = {"inputCols": inputs, "outputCols": outputs, "dropLast": drop_last, "handleInvalid": handle_invalid}
    # keep adds one slot for invalid indices; dropLast then removes the last slot.
    extra = (1 if handle_invalid == "keep" else 0) - (1 if drop_last else 0)
    return StageExport("one_hot_encoder", stage.uid, fields, table, inputs,
                       {o: s + extra for o, s in zip(outputs, sizes)})


def _vector_assembler(stage: VectorAssembler, widths: dict[str, int]) -> StageExport:
    """VectorAssembler: the width of each input, 1 for a double."""
    inputs, output = [unquote(c) for c in stage.getInputCols()], stage.getOutputCol()
    sizes = [widths.get(c, 1) for c in inputs]
    table = pa.table({"column": pa.array(inputs, pa.utf8()), "size": pa.array(sizes, pa.int32())})
    fields = {"inputCols": inputs, "outputCol": output, "handleInvalid": stage.getHandleInvalid()}
    return StageExport("vector_assembler", stage.uid, fields, table, inputs, {output: sum(sizes)})


def _standard_scaler(stage: StandardScalerModel, widths: dict[str, int]) -> StageExport:
    """StandardScaler: mean and std per vector element."""
    mean, std = _floats(stage.mean), _floats(stage.std)
    table = pa.table({"mean": pa.array(mean, pa.float64()), "std": pa.array(std, pa.float64())})
    fields = {"inputCol": _col(stage, "inputCol"), "outputCol": stage.getOutputCol(),
              "withMean": bool(stage.getWithMean()), "withStd": bool(stage.getWithStd())}
    return StageExport("standard_scaler", stage.uid, fields, table, [_col(stage, "inputCol")],
                       {stage.getOutputCol(): len(mean)})


def _min_max_scaler(stage: MinMaxScalerModel, widths: dict[str, int]) -> StageExport:
    """MinMaxScaler: originalMin and originalMax per vector element; the target range as fields."""
    lo, hi = _floats(stage.originalMin), _floats(stage.originalMax)
    table = pa.table({"originalMin": pa.array(lo, pa.float64()), "originalMax": pa.array(hi, pa.float64())})
    fields = {"inputCol": _col(stage, "inputCol"), "outputCol": stage.getOutputCol(),
              "min": float(stage.getMin()), "max": float(stage.getMax())}
    return StageExport("min_max_scaler", stage.uid, fields, table, [_col(stage, "inputCol")],
                       {stage.getOutputCol(): len(lo)})


def _max_abs_scaler(stage: MaxAbsScalerModel, widths: dict[str, int]) -> StageExport:
    """MaxAbsScaler: maxAbs per vector element."""
    max_abs = _floats(stage.maxAbs)
    table = pa.table({"maxAbs": pa.array(max_abs, pa.float64())})
    fields = {"inputCol": _col(stage, "inputCol"), "outputCol": stage.getOutputCol()}
    return StageExport("max_abs_scaler", stage.uid, fields, table, [_col(stage, "inputCol")],
                       {stage.getOutputCol(): len(max_abs)})


def _bucketizer(stage: Bucketizer, widths: dict[str, int]) -> StageExport:
    """Bucketizer (also a fitted QuantileDiscretizer): one (column, splits) row per input column."""
    inputs, outputs = _cols(stage, "inputCol", "inputCols"), _raw_cols(stage, "outputCol", "outputCols")
    multi = stage.isSet(stage.getParam("splitsArray"))
    splits = [_floats(s) for s in (stage.getSplitsArray() if multi else [stage.getSplits()])]
    table = pa.table({"column": pa.array(inputs, pa.utf8()), "splits": pa.array(splits, pa.list_(pa.float64()))})
    fields = {"inputCols": inputs, "outputCols": outputs, "handleInvalid": stage.getHandleInvalid()}
    return StageExport("bucketizer", stage.uid, fields, table, inputs, {c: 1 for c in outputs})


def _binarizer(stage: Binarizer, widths: dict[str, int]) -> StageExport:
    """Binarizer on double columns: one (column, threshold) row per input column."""
    inputs, outputs = _cols(stage, "inputCol", "inputCols"), _raw_cols(stage, "outputCol", "outputCols")
    if any(widths.get(c, 1) != 1 for c in inputs):
        raise MlshipError(["the portable format's binarizer reads double columns, not vectors"], code="unsupported")
    multi = stage.isSet(stage.getParam("thresholds"))
    thresholds = _floats(stage.getThresholds()) if multi else [float(stage.getThreshold())] * len(inputs)
    table = pa.table({"column": pa.array(inputs, pa.utf8()), "threshold": pa.array(thresholds, pa.float64())})
    return StageExport("binarizer", stage.uid, {"inputCols": inputs, "outputCols": outputs}, table, inputs,
                       {c: 1 for c in outputs})


def _normalizer(stage: Normalizer, widths: dict[str, int]) -> StageExport:
    """Normalizer: p as one float64 row (infinity included); `p` in the fields too, "Infinity" when infinite."""
    p = float(stage.getP())
    table = pa.table({"p": pa.array([p], pa.float64())})
    fields = {"inputCol": _col(stage, "inputCol"), "outputCol": stage.getOutputCol(),
              "p": "Infinity" if math.isinf(p) else p}
    return StageExport("normalizer", stage.uid, fields, table, [_col(stage, "inputCol")],
                       {stage.getOutputCol(): widths.get(_col(stage, "inputCol"), 1)})


def _source_model(stage: SourceOutputs, widths: dict[str, int]) -> StageExport:
    """A transfer's source pipeline (transfer/source_stage.py): its portable model is copied to portable/source/.
    It reads no column as far as the input schema goes: the source's frozen stages after it read the same inputs
    and decide their roles (a categorical is the input of a string_indexer)."""
    table = pa.table({"column": pa.array([stage.output_col], pa.utf8()), "size": pa.array([stage.width], pa.int32())})
    fields = {"source": "source/", "algorithm": stage.algorithm, "use": stage.use, "inputCols": stage.input_cols,
              "outputCol": stage.output_col, "size": stage.width}
    return StageExport("source_model", stage.uid, fields, table, [], {stage.output_col: stage.width})


def _linear(stage: Transformer, kind: str) -> StageExport:
    """Logistic, linear, generalized linear regression, linear SVC and k-means (export/linear.py)."""
    kind, fields, table = export_linear(stage, kind)
    offset = [fields["offsetCol"]] if fields.get("offsetCol") else []  # a GLM's offset column (transfer offset)
    return StageExport(kind, stage.uid, fields, table, [stage.getFeaturesCol(), *offset])


def _naive_bayes(stage: NaiveBayesModel, kind: str) -> StageExport:
    """NaiveBayes: pi, theta, sigma per class (export/bayes.py)."""
    return StageExport(kind, stage.uid, naive_bayes_fields(stage), naive_bayes_table(stage), [stage.getFeaturesCol()])


def _mlp(stage: MultilayerPerceptronClassificationModel, kind: str) -> StageExport:
    """MultilayerPerceptron: weights and biases per affine layer (export/mlp.py)."""
    return StageExport(kind, stage.uid, mlp_fields(stage), mlp_table(stage), [stage.getFeaturesCol()])


def _tree(stage: Transformer, kind: str) -> StageExport:
    """Decision tree, random forest or GBT: fields now, the node table from the saved model later."""
    fields = tree_fields(stage, kind)
    return StageExport(kind, stage.uid, fields, None, [stage.getFeaturesCol()],
                       native=lambda out, where: node_table(out, where, fields))


Converter = Callable[[Any, dict[str, int]], StageExport]

# How a fitted model of each exporter family of the catalogue becomes a StageExport of a portable kind.
FAMILY_EXPORTERS: dict[str, Callable[[Any, str], StageExport]] = {
    "linear": _linear,
    "kmeans": _linear,
    "trees": _tree,
    "bayes": _naive_bayes,
    "mlp": _mlp,
}


def _model_converter(algorithm: Algorithm) -> Converter:
    """The converter of an algorithm's fitted model: its exporter family's, writing the algorithm's portable kind."""
    export, (kind,) = FAMILY_EXPORTERS[algorithm.exporter], algorithm.portable_kinds
    return lambda stage, widths: export(stage, kind)


FEATURE_CONVERTERS: dict[type, Converter] = {
    ImputerModel: _imputer,
    StringIndexerModel: _string_indexer,
    OneHotEncoderModel: _one_hot_encoder,
    VectorAssembler: _vector_assembler,
    StandardScalerModel: _standard_scaler,
    MinMaxScalerModel: _min_max_scaler,
    MaxAbsScalerModel: _max_abs_scaler,
    Bucketizer: _bucketizer,
    Binarizer: _binarizer,
    Normalizer: _normalizer,
    SourceOutputs: _source_model,
}
# The fitted model of each catalogue algorithm.
MODEL_CONVERTERS: dict[type, Converter] = {spark_class(a.spark_model): _model_converter(a) for a in CATALOGUE.values()}
CONVERTERS = {**FEATURE_CONVERTERS, **MODEL_CONVERTERS}

PREDICTORS = PORTABLE_KINDS


def export_stages(model: Transformer) -> list[StageExport]:
    """Every stage of a fitted pipeline in portable form; unsupported stages raise MlshipError."""
    located = flatten_with_paths(model)
    stages = [stage for stage, _ in located]
    unsupported = [type(s).__name__ for s in stages if type(s) not in CONVERTERS]
    if unsupported:
        names = ", ".join(sorted({t.__name__ for t in CONVERTERS}))
        raise MlshipError([f"the portable format has no stage kind for {u}; supported stages: {names}"
                           for u in unsupported], code="unsupported")
    widths: dict[str, int] = {}
    exports: list[StageExport] = []
    for stage, path in located:
        exported = CONVERTERS[type(stage)](stage, widths)
        exported.native_path = path
        widths.update(exported.writes)
        exports.append(exported)
    return exports


def check_stages(exports: list[StageExport]) -> list[str]:
    """Structural problems: the pipeline must end in exactly one predictor fed by a vector of the right size."""
    kinds = [e.kind for e in exports]
    if not kinds or kinds[-1] not in PREDICTORS or sum(k in PREDICTORS for k in kinds) != 1:
        return [f"the pipeline must end with one model ({', '.join(PREDICTORS)}); its stages are: {', '.join(kinds)}"]
    widths: dict[str, int] = {}
    for e in exports[:-1]:
        widths.update(e.writes)
    last = exports[-1]
    width = widths.get(last.fields["featuresCol"])
    if width != last.fields["numFeatures"]:
        return [f'the model expects {last.fields["numFeatures"]} features but the stages build '
                f'"{last.fields["featuresCol"]}" with {width}']
    return []
