"""The target's feature stages under `freezeStages: true`: the source's fitted stages as they are, and for columns
only the target reads, stages of their own fitted on the target's rows, joined into one `features` vector."""

from __future__ import annotations

import dataclasses

from pyspark.ml import Pipeline, PipelineModel, Transformer
from pyspark.ml.feature import VectorAssembler
from pyspark.sql import DataFrame

from ..job import Features
from ..pipeline import FEATURES_COL, feature_stages

SOURCE_VECTOR = "transfer__source"  # the source's assembled features, renamed when target-only columns join them
EXTRA_VECTOR = "transfer__extra"  # the target-only columns' assembled features
EXTRA_PREFIX = "transfer__"  # the target-only vector stages' column names (pipeline._vector_stages)


@dataclasses.dataclass(frozen=True)
class TargetOnly:
    """The target's feature columns the source does not read."""

    numeric: list[str]
    categorical: list[str]

    def __bool__(self) -> bool:
        """Whether there is any."""
        return bool(self.numeric or self.categorical)


def target_only(features: Features, source_inputs: list[str]) -> TargetOnly:
    """The target's columns that are not inputs of the source, in the spec's order."""
    known = set(source_inputs)
    return TargetOnly([c for c in features.numeric if c not in known], [c for c in features.categorical if c not in known])


def only_features(features: Features, extra: TargetOnly) -> Features:
    """The target's feature options restricted to its target-only columns."""
    keep = set(extra.numeric)
    return dataclasses.replace(
        features, numeric=list(extra.numeric), categorical=list(extra.categorical),
        bucketize={c: v for c, v in features.bucketize.items() if c in keep},
        quantiles={c: v for c, v in features.quantiles.items() if c in keep},
        binarize={c: v for c, v in features.binarize.items() if c in keep})


def frozen_feature_stages(source: PipelineModel, features: Features, source_inputs: list[str],
                          train: DataFrame, appended: list[str] | None = None) -> tuple[PipelineModel, TargetOnly]:
    """The target's fitted feature stages: the source's as fitted; with target-only columns, those columns' own
    stages (fitted on `train`) and an assembler of [source features, target-only features] into `features`.
    `appended`: columns assembled last (the `feature` method's source outputs), after the target-only features."""
    frozen: list[Transformer] = list(source.stages[:-1])
    extra = target_only(features, source_inputs)
    appended = list(appended or [])
    if not extra and not appended:
        return PipelineModel(stages=frozen), extra
    last = frozen[-1]
    if not isinstance(last, VectorAssembler) or last.getOutputCol() != FEATURES_COL:
        raise ValueError(f"the source's last feature stage is a {type(last).__name__}, not the assembler of "
                         f"{FEATURES_COL!r}")
    renamed = last.copy({last.outputCol: SOURCE_VECTOR})
    own = (Pipeline(stages=feature_stages(only_features(features, extra), EXTRA_VECTOR, EXTRA_PREFIX)).fit(train).stages
           if extra else [])
    joined = VectorAssembler(inputCols=[SOURCE_VECTOR, *([EXTRA_VECTOR] if extra else []), *appended],
                             outputCol=FEATURES_COL)
    return PipelineModel(stages=[*frozen[:-1], renamed, *own, joined]), extra


__all__ = ["EXTRA_VECTOR", "SOURCE_VECTOR", "TargetOnly", "frozen_feature_stages", "only_features", "target_only"]
