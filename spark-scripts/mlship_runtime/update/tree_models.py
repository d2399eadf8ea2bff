"""Spark tree-ensemble models (GBT, random forest) built through the JVM from a list of fitted trees, carrying every
parameter of the parent's fitted model (the `continue` update mode's child predictor)."""

from __future__ import annotations

from typing import Any

from pyspark.ml.classification import GBTClassificationModel, RandomForestClassificationModel
from pyspark.ml.regression import GBTRegressionModel, RandomForestRegressionModel
from pyspark.ml.wrapper import JavaModel
from pyspark.sql import SparkSession

from .spark_models import java_doubles, jvm, like, new_uid

TreeEnsemble = (GBTClassificationModel | GBTRegressionModel | RandomForestClassificationModel
                | RandomForestRegressionModel)


def java_trees(model: JavaModel) -> list[Any]:
    """The fitted trees of a Spark ensemble, as py4j references to its Java tree models (in ensemble order)."""
    return list(model._java_obj.trees())  # type: ignore[attr-defined]


def _tree_array(spark: SparkSession, java_class: str, trees: list[Any]) -> Any:
    """A Java array of tree models (`java_class` the element class, e.g. ...regression.DecisionTreeRegressionModel)."""
    gateway = spark.sparkContext._gateway  # type: ignore[attr-defined]
    element = jvm(spark)
    for part in java_class.split("."):
        element = getattr(element, part)
    arr = gateway.new_array(element, len(trees))
    for i, tree in enumerate(trees):
        arr[i] = tree
    return arr


def _uid(parent: JavaModel) -> str:
    """A fresh uid with the parent's prefix (`GBTClassifier_…`), as Spark names the model of an estimator."""
    return new_uid(parent.uid.rsplit("_", 1)[0] if "_" in parent.uid else parent.uid)


REGRESSION_TREE = "org.apache.spark.ml.regression.DecisionTreeRegressionModel"
CLASSIFICATION_TREE = "org.apache.spark.ml.classification.DecisionTreeClassificationModel"


def tree_ensemble_model(spark: SparkSession, parent: TreeEnsemble, trees: list[Any],
                        weights: list[float] | None = None, num_features: int | None = None) -> TreeEnsemble:
    """A model of the parent's class holding `trees` (Java tree models; GBT: with `weights`), the parent's
    numFeatures (or `num_features`: a transfer's wider target) and numClasses, and every parameter the parent set."""
    ml = jvm(spark).org.apache.spark.ml
    num_features = int(parent.numFeatures) if num_features is None else num_features
    if isinstance(parent, GBTClassificationModel):
        assert weights is not None and len(weights) == len(trees)
        java = ml.classification.GBTClassificationModel(
            _uid(parent), _tree_array(spark, REGRESSION_TREE, trees), java_doubles(spark, weights), num_features,
            int(parent.numClasses))
    elif isinstance(parent, GBTRegressionModel):
        assert weights is not None and len(weights) == len(trees)
        java = ml.regression.GBTRegressionModel(
            _uid(parent), _tree_array(spark, REGRESSION_TREE, trees), java_doubles(spark, weights), num_features)
    elif isinstance(parent, RandomForestClassificationModel):
        java = ml.classification.RandomForestClassificationModel(
            _uid(parent), _tree_array(spark, CLASSIFICATION_TREE, trees), num_features, int(parent.numClasses))
    elif isinstance(parent, RandomForestRegressionModel):
        java = ml.regression.RandomForestRegressionModel(
            _uid(parent), _tree_array(spark, REGRESSION_TREE, trees), num_features)
    else:
        raise TypeError(f"not a GBT or random forest model: {type(parent).__name__}")
    child = like(type(parent), java, parent)
    if child.hasParam("numTrees"):  # a forest averages over (and its reader checks) numTrees: the new count
        child._set(numTrees=len(trees))
        child._transfer_params_to_java()
    return child


__all__ = ["TreeEnsemble", "java_trees", "tree_ensemble_model"]
