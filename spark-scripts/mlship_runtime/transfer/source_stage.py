"""The `source_model` stage of the `feature` and `offset` methods (docs/transfer.md): a registered source's whole
fitted pipeline as one stage of the target's, writing the source output the target reads as a named column."""

from __future__ import annotations

from typing import Any

from pyspark.ml import PipelineModel, Transformer
from pyspark.ml.functions import array_to_vector, vector_to_array
from pyspark.ml.util import DefaultParamsReader, DefaultParamsWriter, MLReadable, MLReader, MLWritable, MLWriter
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..errors import MlshipError
from .mlp_hidden import hidden_width, with_last_hidden

USES = ("probability", "margin", "prediction", "hidden")
# The column each `use` writes (the target's assembler or the GLM's offsetCol reads it).
OUTPUT_COLS = {"probability": "__source_probability", "margin": "__source_margin", "prediction": "__source_prediction",
               "hidden": "__source_hidden"}
LINK_COL = "__source_link"  # a GLM source's link prediction, read for its margin
CLASSIFIER_MARGINS = ("logistic_regression", "gbt_classifier", "linear_svc")  # classifiers with a link-scale score
REGRESSORS = ("linear_regression", "generalized_linear_regression", "decision_tree_regressor",
              "random_forest_regressor", "gbt_regressor")


def output_width(algorithm: str, num_classes: int | None, use: str, layers: list[int] | None = None) -> int:
    """How many doubles `use` of the source writes: 1, or K for a multiclass probability (or a multinomial margin),
    or an MLP's last hidden layer's width H (`layers`: the MLP's sizes); raises MlshipError for a use the source
    has not."""
    if use == "hidden":
        width = hidden_width(layers or []) if algorithm == "mlp_classifier" else None
        if width is None:
            raise MlshipError([f"transfer use hidden: reads an mlp_classifier's last hidden layer; the source "
                               f"{algorithm} has none (layers {layers})"], code="invalid")
        return width
    classifier = num_classes is not None and algorithm not in REGRESSORS
    if use == "prediction":
        return 1
    if use == "probability":
        if not classifier or algorithm == "linear_svc":
            raise MlshipError([f"transfer use probability: the source {algorithm} has no probability"], code="invalid")
        return 1 if num_classes == 2 else int(num_classes or 0)
    if use == "margin":
        if algorithm in REGRESSORS:
            return 1
        if algorithm not in CLASSIFIER_MARGINS:
            raise MlshipError([f"transfer use margin: the source {algorithm} has no link-scale margin (use "
                               "probability or prediction)"], code="invalid")
        return 1 if num_classes == 2 else int(num_classes or 0)
    raise MlshipError([f"transfer use {use!r}: expected one of {', '.join(USES)}"], code="invalid")


def _output(algorithm: str, width: int, use: str, predictor: Any) -> Column:
    """The source's output `use` on its scored frame, as Spark computes it (a double, or a vector when wide)."""
    if use == "prediction" or (use == "margin" and algorithm in REGRESSORS and algorithm != "generalized_linear_regression"):
        return F.col(predictor.getPredictionCol())
    if use == "margin" and algorithm == "generalized_linear_regression":
        return F.col(LINK_COL)
    column = predictor.getProbabilityCol() if use == "probability" else predictor.getRawPredictionCol()
    if width > 1:
        return F.col(column)
    value = vector_to_array(F.col(column))[1]
    # GBT: rawPrediction is [-m, m] and P(1) = 1 / (1 + exp(-2m)), so the log-odds is 2m (exact in doubles).
    return value * F.lit(2.0) if use == "margin" and algorithm == "gbt_classifier" else value


class SourceOutputs(Transformer, MLWritable, MLReadable):  # type: ignore[misc]
    """The source's fitted PipelineModel run on the target's rows; adds one column, `output_col`, and drops every
    intermediate column of the source (its own feature columns, prediction, probability) so the target's stages
    after it see the rows as they came plus that column."""

    def __init__(self, source: PipelineModel | None = None, algorithm: str = "", num_classes: int | None = None,
                 use: str = "probability", input_cols: list[str] | None = None) -> None:
        super().__init__()
        self.source = source
        self.algorithm = algorithm
        self.num_classes = num_classes
        self.use = use
        self.input_cols = list(input_cols or [])
        layers = None
        if source is not None and use == "hidden" and hasattr(source.stages[-1], "getLayers"):
            layers = [int(s) for s in source.stages[-1].getLayers()]
        self.width = output_width(algorithm, num_classes, use, layers) if source is not None else 1

    @property
    def output_col(self) -> str:
        """The column this stage adds."""
        return OUTPUT_COLS[self.use]

    def _scorer(self) -> PipelineModel:
        """The source pipeline, with a GLM's link prediction switched on when its margin is read."""
        assert self.source is not None
        stages = list(self.source.stages)
        predictor = stages[-1]
        if self.use == "margin" and self.algorithm == "generalized_linear_regression":
            stages[-1] = predictor.copy({predictor.linkPredictionCol: LINK_COL})
        return PipelineModel(stages=stages)

    def _transform(self, dataset: DataFrame) -> DataFrame:
        """The rows of `dataset` with the source's output appended (the source transform is a projection: the rows
        stay in order, nothing is joined)."""
        assert self.source is not None
        predictor = self.source.stages[-1]
        if self.use == "hidden":
            return self._hidden(dataset)
        scored = self._scorer().transform(dataset)
        value = _output(self.algorithm, self.width, self.use, predictor).alias(self.output_col)
        return scored.select(*[F.col(f"`{c}`") for c in dataset.columns], value)

    def _hidden(self, dataset: DataFrame) -> DataFrame:
        """use hidden: the source's feature stages, then its MLP's last hidden layer on their features vector (a
        vector of H doubles in unit order; one double when H is 1)."""
        assert self.source is not None
        features = PipelineModel(stages=list(self.source.stages[:-1])).transform(dataset)
        frame = with_last_hidden(features, self.source.stages[-1], dataset.columns, self.output_col)
        hidden = F.col(self.output_col)
        if self.width == 1:
            value = hidden[0].alias(self.output_col)
        else:  # its size in the ML attribute metadata, as VectorAssembler reads a vector's width
            value = array_to_vector(hidden).alias(self.output_col, metadata={"ml_attr": {"num_attrs": self.width}})
        return frame.select(*[F.col(f"`{c}`") for c in dataset.columns], value)

    def write(self) -> MLWriter:
        """Metadata beside the source pipeline saved in `source/` (a target's spark/ folder is self-contained)."""
        return _Writer(self)

    @classmethod
    def read(cls) -> MLReader:
        """The reader of what write() saved."""
        return _Reader()


class _Writer(MLWriter):
    """Saves a SourceOutputs: metadata, then the source PipelineModel under source/."""

    def __init__(self, instance: SourceOutputs) -> None:
        super().__init__()
        self.instance = instance

    def saveImpl(self, path: str) -> None:
        i = self.instance
        DefaultParamsWriter.saveMetadata(i, path, self.sparkSession, extraMetadata={
            "algorithm": i.algorithm, "numClasses": i.num_classes, "use": i.use, "inputCols": i.input_cols})
        assert i.source is not None
        i.source.write().save(path.rstrip("/") + "/source")


class _Reader(MLReader):
    """Loads a SourceOutputs saved by _Writer."""

    def load(self, path: str) -> SourceOutputs:
        meta = DefaultParamsReader.loadMetadata(path, self.sparkSession)
        source = PipelineModel.load(path.rstrip("/") + "/source")
        stage = SourceOutputs(source, meta["algorithm"], meta["numClasses"], meta["use"], meta["inputCols"])
        stage.uid = meta["uid"]
        return stage


__all__ = ["CLASSIFIER_MARGINS", "LINK_COL", "OUTPUT_COLS", "REGRESSORS", "SourceOutputs", "USES", "output_width"]
