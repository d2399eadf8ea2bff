"""The `offset` transfer method for GBT (docs/transfer.md): the target keeps the source's trees and their weights and
boosts `maxIter` more rounds on the target's rows from the source's margin, with Spark's own loss gradients (the
machinery of `mlship update`'s `continue` mode, update/continue_trees.py). The result is one ordinary GBT model."""

from __future__ import annotations

from typing import Any

from pyspark.ml.classification import GBTClassificationModel
from pyspark.ml.regression import GBTRegressionModel
from pyspark.sql import DataFrame, SparkSession

from ..algorithms import build_estimator
from ..columns import label_column
from ..errors import MlshipError
from ..job import TrainJob
from ..progress import Log, quiet
from ..update.continue_trees import boost_on
from ..update.spark_models import jvm
from ..update.tree_models import java_trees, tree_ensemble_model
from .finetune import Finetuned

OFFSET_GBT_MODELS: dict[str, type] = {"gbt_classifier": GBTClassificationModel, "gbt_regressor": GBTRegressionModel}

GBT = GBTClassificationModel | GBTRegressionModel


def widened_trees(spark: SparkSession, source: GBT, num_features: int) -> list[Any]:
    """The source's Java trees, each the same nodes (same uid) declared `num_features` wide: the target's features are
    the source's first, so every split's feature index keeps its meaning."""
    tree_class = jvm(spark).org.apache.spark.ml.regression.DecisionTreeRegressionModel
    return [tree_class(t.uid(), t.rootNode(), num_features) for t in java_trees(source)]


def start_model(spark: SparkSession, source: GBT, estimator: Any, num_features: int) -> GBT:
    """The source's trees and tree weights as a model `num_features` wide carrying the target estimator's parameters
    (stepSize, seed, the tree parameters, the columns): the model the new rounds boost on from."""
    start = tree_ensemble_model(spark, source, widened_trees(spark, source, num_features),
                                [float(w) for w in source.treeWeights], num_features=num_features)
    for param in estimator.params:
        if start.hasParam(param.name) and estimator.isDefined(param):
            start._set(**{param.name: estimator.getOrDefault(param)})
    start._transfer_params_to_java()
    return start


def offset_gbt(spark: SparkSession, job: TrainJob, source: Any, train: DataFrame, extra_inputs: int, *,
               log: Log = quiet) -> Finetuned:
    """The target GBT: the source's trees (weights unchanged), then `maxIter` trees boosted on `train` (transformed:
    features, label) from the source's margin, each weighted by the target's stepSize."""
    wanted = OFFSET_GBT_MODELS.get(job.algorithm)
    if wanted is None or not isinstance(source, wanted):
        raise MlshipError([f"offset: the source's predictor is a {type(source).__name__}, the job trains "
                           f"{job.algorithm}; offset for GBT keeps the kind"], code="invalid")
    estimator = build_estimator(job.algorithm, job.params, label_column(job.label))
    rounds = int(estimator.getMaxIter())
    width = int(source.numFeatures) + extra_inputs
    start = start_model(spark, source, estimator, width)
    source_trees = len(source.treeWeights)
    log(f"offset: {source_trees} source trees kept, {rounds} to boost on the target's rows")
    new = boost_on(start, train, rounds, log, "offset")
    weights = [float(w) for w in start.treeWeights] + [float(start.getStepSize())] * len(new)
    model = tree_ensemble_model(spark, start, java_trees(start) + new, weights)
    facts = {"sourceTrees": source_trees, "treesAdded": len(new), "trees": source_trees + len(new),
             "stepSize": float(start.getStepSize()), "lossType": start.getLossType(), "targetOnlyInputs": extra_inputs}
    return Finetuned(predictor=model, facts=facts)


__all__ = ["OFFSET_GBT_MODELS", "offset_gbt", "start_model", "widened_trees"]
