"""The `continue` update mode: a GBT keeps its trees and boosts more rounds on the new rows from the parent's margin,
with Spark's own loss gradients; a random forest appends trees grown on the new rows (docs/updating.md, "Continue")."""

from __future__ import annotations

import math
from typing import Any

from pyspark.ml.classification import (GBTClassificationModel, RandomForestClassificationModel,
                                       RandomForestClassifier)
from pyspark.ml.functions import vector_to_array
from pyspark.ml.regression import GBTRegressionModel, RandomForestRegressionModel, RandomForestRegressor
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..columns import col
from ..errors import MlshipError, first_line
from .modes import UpdateInput, UpdateResult, register
from .tree_models import TreeEnsemble, java_trees, tree_ensemble_model

MARGIN, TARGET, RESIDUAL, TREE_OUT = "mlship__margin", "mlship__target", "mlship__residual", "mlship__tree"
# The parameters every tree of the ensemble was grown with; copied from the parent to the estimator of new trees.
TREE_PARAMS = ("maxDepth", "maxBins", "minInstancesPerNode", "minWeightFractionPerNode", "minInfoGain",
               "maxMemoryInMB", "cacheNodeIds", "checkpointInterval", "subsamplingRate", "featureSubsetStrategy",
               "featuresCol", "weightCol")
FOREST_PARAMS = ("impurity", "bootstrap", "labelCol")
_LONG = 1 << 64


def default_new_trees(trees: int, rows: float, new_rows: float) -> int:
    """Trees added when update.newTrees is unset: the parent's trees per training row times the new rows, at least
    one, round(T · n_new / n); a chain of updates grows the model with its data, never doubling it each time."""
    if trees <= 0 or rows <= 0:
        return 1
    return max(1, math.floor(trees * new_rows / rows + 0.5))


def negative_gradient(loss: str, margin: Column, target: Column) -> Column:
    """−∂loss/∂F as Spark's GradientBoostedTrees takes it for the label of each round's tree (mllib.tree.loss):
    logistic (target ±1) 4y/(1+e^{2yF}), squared 2(y−F), absolute sign(y−F) with sign(0) = +1."""
    if loss == "logistic":
        return F.lit(4.0) * target / (F.lit(1.0) + F.exp(F.lit(2.0) * target * margin))
    if loss == "squared":
        return F.lit(2.0) * (target - margin)
    if loss == "absolute":
        return F.when(target - margin < 0, F.lit(-1.0)).otherwise(F.lit(1.0))
    raise MlshipError([f"lossType {loss}: the continue update knows logistic, squared and absolute"], code="update")


def spark_seed(seed: int) -> int:
    """A seed as a Java long, wrapping as Scala's `seed + m` does."""
    return (seed + (1 << 63)) % _LONG - (1 << 63)


def _copy_params(source: Any, target: Any, names: tuple[str, ...]) -> None:
    """Set each named param the source defines (set or default) on the target."""
    for name in names:
        if source.hasParam(name) and target.hasParam(name) and source.isDefined(source.getParam(name)):
            target._set(**{name: source.getOrDefault(source.getParam(name))})


def _weight_col(model: Any) -> str | None:
    """The model's weight column when one is set."""
    if model.hasParam("weightCol") and model.isDefined(model.getParam("weightCol")):
        return model.getOrDefault(model.getParam("weightCol")) or None
    return None


def _rows(frame: DataFrame, weight: str | None) -> tuple[int, float]:
    """(row count, Σ weight) of a frame; Σ weight is the count without a weight column."""
    if weight is None:
        n = frame.count()
        return n, float(n)
    row = frame.agg(F.count(F.lit(1)).alias("n"), F.sum(col(weight).cast("double")).alias("w")).first()
    return int(row["n"]), float(row["w"] or 0.0)


def _root_rows(tree: Any, rate: float) -> float:
    """The weighted rows a tree was grown on: its root's count over subsamplingRate (a bootstrap or subsample of
    n rows holds about n · rate)."""
    return float(tree.rootNode().impurityStats().count()) / rate


def trees_and_rows(parent: TreeEnsemble) -> tuple[int, float]:
    """(trees, weighted training rows) whose ratio is the parent's trees per row.

    GBT: the estimator's maxIter and the first tree's rows (the first fit's rounds per row; each update that takes
    the default keeps that ratio). Forest: every tree, and the rows of every fit that grew some of them: the trees of
    one fit share its seed (_fits), and a fit's rows are its trees' mean root rows.
    """
    rate = float(parent.getOrDefault(parent.getParam("subsamplingRate")))
    trees = java_trees(parent)
    if isinstance(parent, (GBTClassificationModel, GBTRegressionModel)):
        return int(parent.getOrDefault(parent.getParam("maxIter"))), _root_rows(trees[0], rate)
    return len(trees), sum(sum(r) / len(r) for r in _fits(trees, rate).values())


def _fits(trees: list[Any], rate: float) -> dict[int, list[float]]:
    """A forest's trees grouped by the fit that grew them, first fit first: each tree's rows. Spark gives every tree
    of a fit the forest's seed, and each update seeds its fit anew (grow_forest), so the seed names the fit."""
    fits: dict[int, list[float]] = {}
    for tree in trees:
        fits.setdefault(int(tree.getSeed()), []).append(_root_rows(tree, rate))
    return fits


def _new_trees(inp: UpdateInput, weighted_rows: float) -> tuple[int, str, float]:
    """(trees to add, the rule that chose it, the parent's estimated training rows)."""
    trees, rows = trees_and_rows(inp.predictor)  # type: ignore[arg-type]
    if inp.options.new_trees is not None:
        if inp.options.new_trees < 1:
            raise MlshipError([f"update.newTrees is {inp.options.new_trees}; it must be at least 1"], code="update")
        return int(inp.options.new_trees), "update.newTrees", rows
    return default_new_trees(trees, rows, weighted_rows), "proportional", rows


def _margin_frame(gbt: GBTClassificationModel | GBTRegressionModel, frame: DataFrame) -> DataFrame:
    """features, the boosting target (labels as ±1 for a classifier, as Spark's GBT remaps them), the weight and
    the parent's margin F(x) = Σ wₜ treeₜ(x)."""
    label, features, weight = gbt.getLabelCol(), gbt.getFeaturesCol(), _weight_col(gbt)
    scorer = gbt.copy()
    if isinstance(gbt, GBTClassificationModel):
        scorer = scorer.setPredictionCol("").setProbabilityCol("").setRawPredictionCol(MARGIN)
        margin = vector_to_array(F.col(MARGIN))[1]  # rawPrediction is (−F, F)
        target = col(label).cast("double") * 2.0 - 1.0
    else:
        scorer = scorer.setPredictionCol(MARGIN)
        margin, target = F.col(MARGIN), col(label).cast("double")
    if scorer.hasParam("leafCol"):
        scorer = scorer.setLeafCol("")
    weights = [col(weight)] if weight else []
    scored = scorer.transform(frame.select(col(features), target.alias(TARGET), *weights))
    return scored.select(col(features), F.col(TARGET), *weights, margin.alias(MARGIN))


def _round_estimator(gbt: GBTClassificationModel | GBTRegressionModel, seed: int) -> RandomForestRegressor:
    """One boosting round's tree as Spark's GradientBoostedTrees.boost grows it: a single regression tree (variance
    impurity, no bootstrap, the GBT's subsample and feature subset) seeded with seed + m, on the residual column."""
    estimator = RandomForestRegressor(numTrees=1, bootstrap=False, impurity="variance", labelCol=RESIDUAL,
                                      predictionCol=TREE_OUT, seed=spark_seed(seed))
    _copy_params(gbt, estimator, TREE_PARAMS)
    return estimator


def continue_boosting(inp: UpdateInput, rounds: int) -> list[Any]:
    """`rounds` more trees boosted on the new rows from the parent's margin, each as Spark's boost grows round m
    (m counts on from the parent's trees); returns the new Java tree models."""
    gbt = inp.predictor
    assert isinstance(gbt, (GBTClassificationModel, GBTRegressionModel))
    return boost_on(gbt, inp.new_train, rounds, inp.log, "continue")


def boost_on(gbt: GBTClassificationModel | GBTRegressionModel, rows: DataFrame, rounds: int, log: Any,
             what: str) -> list[Any]:
    """`rounds` trees boosted on `rows` (transformed: the GBT's featuresCol and labelCol) from `gbt`'s margin with
    its loss, step size and seed; the `continue` update and the `offset` transfer (transfer/offset_gbt.py)."""
    loss, step, seed = gbt.getLossType(), float(gbt.getStepSize()), int(gbt.getSeed())
    first_m = len(gbt.treeWeights)
    frame = _margin_frame(gbt, rows).cache()
    trees: list[Any] = []
    try:
        for i in range(rounds):
            m = first_m + i
            data = frame.withColumn(RESIDUAL, negative_gradient(loss, F.col(MARGIN), F.col(TARGET)))
            model = _round_estimator(gbt, seed + m).fit(data)
            trees.append(java_trees(model)[0])
            log(f"{what}: boosting round {m + 1} of {first_m + rounds} fitted")
            if i + 1 < rounds:  # the margin after this round feeds the next one's gradients
                stepped = model.transform(data).withColumn(MARGIN, F.col(MARGIN) + F.lit(step) * F.col(TREE_OUT))
                nxt = stepped.drop(RESIDUAL, TREE_OUT).cache()
                nxt.count()
                frame.unpersist()
                frame = nxt
    finally:
        frame.unpersist()
    return trees


def _with_classes(frame: DataFrame, label: str, num_classes: int) -> DataFrame:
    """The label column marked nominal with the parent's class count, so the new trees count every class even
    when the new rows lack the last ones."""
    meta = {"ml_attr": {"type": "nominal", "num_vals": num_classes}}
    return frame.withColumn(label, col(label).cast("double").alias(label, metadata=meta))


def _subset_strategy(forest: RandomForestClassificationModel | RandomForestRegressionModel, first_trees: int) -> str:
    """The parent's featureSubsetStrategy with "auto" resolved as Spark resolved it for the first fit (sqrt for a
    classifier and onethird for a regressor when it grew more than one tree), since "auto" means "all" for one tree."""
    strategy = str(forest.getOrDefault(forest.getParam("featureSubsetStrategy")))
    if strategy != "auto":
        return strategy
    if first_trees <= 1:
        return "all"
    return "sqrt" if isinstance(forest, RandomForestClassificationModel) else "onethird"


def grow_forest(inp: UpdateInput, count: int) -> list[Any]:
    """`count` trees grown on the new rows with the parent forest's parameters; returns the Java tree models."""
    forest = inp.predictor
    assert isinstance(forest, (RandomForestClassificationModel, RandomForestRegressionModel))
    first_trees = len(next(iter(_fits(java_trees(forest), 1.0).values())))  # the first fit's numTrees
    classifier = isinstance(forest, RandomForestClassificationModel)
    estimator = RandomForestClassifier() if classifier else RandomForestRegressor()
    _copy_params(forest, estimator, TREE_PARAMS + FOREST_PARAMS)
    # Seeds count on from the parent's trees: a chain of updates neither repeats the first fit's bagging draws nor
    # gives two fits one seed (the seed tells the fits apart, _fits).
    estimator._set(numTrees=count, featureSubsetStrategy=_subset_strategy(forest, first_trees),
                   seed=spark_seed(int(forest.getSeed()) + len(java_trees(forest))))
    frame = inp.new_train
    if classifier:
        frame = _with_classes(frame, forest.getLabelCol(), int(forest.numClasses))
    model = estimator.fit(frame)
    return java_trees(model)


def _family(predictor: Any) -> str:
    """gbt or forest; anything else is not this mode's."""
    if isinstance(predictor, (GBTClassificationModel, GBTRegressionModel)):
        return "gbt"
    if isinstance(predictor, (RandomForestClassificationModel, RandomForestRegressionModel)):
        return "forest"
    raise MlshipError([f"update mode continue is for GBT and random forest models, not {type(predictor).__name__}"],
                      code="update")


@register("continue")
def continue_trees(inp: UpdateInput) -> UpdateResult:
    """The child ensemble: the parent's trees, then new trees fitted on the new rows only (O(new rows))."""
    family = _family(inp.predictor)
    parent: TreeEnsemble = inp.predictor  # type: ignore[assignment]
    rows, weighted = _rows(inp.new_train, _weight_col(parent))
    if rows == 0:
        raise MlshipError(["the new data's training split has no rows; nothing to grow trees on"], code="data")
    add, rule, parent_rows = _new_trees(inp, weighted)
    parent_trees = java_trees(parent)
    inp.log(f"continue: {len(parent_trees)} trees kept, {add} to grow on {rows} new rows ({rule})")
    try:
        new = continue_boosting(inp, add) if family == "gbt" else grow_forest(inp, add)
    except MlshipError:
        raise
    except Exception as exc:  # Spark's own message (a label out of range, ...) is the useful part
        raise MlshipError([f"growing trees on the new data failed: {first_line(exc)}"], code="fit") from exc
    weights = None
    if family == "gbt":
        weights = [float(w) for w in parent.treeWeights] + [float(parent.getStepSize())] * len(new)
    child = tree_ensemble_model(inp.spark, parent, parent_trees + new, weights)
    facts = {"treesAdded": len(new), "trees": len(parent_trees) + len(new), "parentTrees": len(parent_trees),
             "newTreesRule": rule, "newRows": rows, "parentRows": round(parent_rows, 3)}
    # Trees carry no statistics to merge: the child's predictor state is empty, its stage state the parent's.
    return UpdateResult(predictor=child, state_tables={}, facts=facts)


__all__ = ["boost_on", "continue_boosting", "continue_trees", "default_new_trees", "grow_forest", "negative_gradient",
           "trees_and_rows"]
