"""Appended levels and merged scalers together, as run_update does them in mode `exact`: a new category widens the
one-hot block while the standard scaler is refitted on history ∪ new; the child still equals Spark's own fit of the
child's stages (appended indexer, scaler fitted on the union) on history ∪ new."""

from __future__ import annotations

import numpy as np
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import StandardScaler, StandardScalerModel
from pyspark.ml.regression import LinearRegression

from mlship_runtime.update.append import grow
from mlship_runtime.update.exact import exact
from mlship_runtime.update.modes import UpdateInput, UpdateOptions, child_pipeline, frozen_stages
from test_appended_levels import (COEF_REL, PREDICTION_REL, _close, _column, _features, _job, _parent,  # noqa: F401
                                  data)


def test_exact_with_new_levels_and_a_merged_scaler_equals_the_fit_of_the_childs_stages(spark, data, tmp_path) -> None:
    features = _features("keep")  # scale: standard on x0, x1; one categorical with two new levels in N
    lr = LinearRegression(labelCol="y", regParam=0.05, weightCol="w", solver="normal")
    new, union = data["N"], data["H"].unionByName(data["N"])
    pm, state = _parent(spark, features, lr, data["H"], tmp_path)
    grown = grow(spark, pm, state, new, "exact")
    assert grown.facts["features"]["child"] == grown.facts["features"]["parent"] + 2
    frozen = frozen_stages(grown.parent)
    inp = UpdateInput(spark=spark, job=_job("linear_regression", features), options=UpdateOptions("exact", merge_stages=True),
                      parent=grown.parent, predictor=grown.parent.stages[-1], state=grown.state,
                      new_train=frozen.transform(new).cache(), history_train=lambda: frozen.transform(data["H"]))
    result = exact(inp)
    assert [m["kind"] for m in result.facts["stagesMerged"]] == ["standard_scaler"]
    child = child_pipeline(grown.parent, result.predictor, result.stages)

    # The reference: the child's stages with the scaler fitted by Spark on the union's rows, then Spark's fit.
    stages = list(grown.parent.stages[:-1])
    i = next(k for k, s in enumerate(stages) if isinstance(s, StandardScalerModel))
    before = PipelineModel(stages=stages[:i]).transform(union)
    old = stages[i]
    stages[i] = StandardScaler(inputCol=old.getInputCol(), outputCol=old.getOutputCol(), withMean=old.getWithMean(),
                               withStd=old.getWithStd()).fit(before)
    _close(result.stages[i].mean.toArray(), stages[i].mean.toArray(), 1e-12)
    _close(result.stages[i].std.toArray(), stages[i].std.toArray(), 1e-12)
    fs = Pipeline(stages=stages).fit(union)  # every stage already fitted: a PipelineModel of them
    reference = lr.copy().fit(fs.transform(union))
    got = np.append(result.predictor.coefficients.toArray(), result.predictor.intercept)
    _close(got, np.append(reference.coefficients.toArray(), reference.intercept), COEF_REL)
    _close(_column(child, data["probe"], "prediction"),
           _column(PipelineModel(stages=[*fs.stages, reference]), data["probe"], "prediction"), PREDICTION_REL)


def test_the_child_indexer_keeps_each_columns_own_labels_when_only_one_column_grows(spark) -> None:
    """Several categorical columns, one with a new level: every column's labels stay as they are (pyspark's
    from_arrays_of_labels would pad the shorter lists with nulls), and the one-hot encoder refits on them."""
    from pyspark.ml.feature import OneHotEncoderModel, StringIndexer

    from mlship_runtime.update.levels import grow_stages

    rows = [("a", "x"), ("b", "y"), ("a", "z"), ("b", "x")] * 10
    history = spark.createDataFrame(rows, "c1 string, c2 string")
    new = spark.createDataFrame([("c", "x"), ("a", "y")] * 10, "c1 string, c2 string")
    indexer = StringIndexer(inputCols=["c1", "c2"], outputCols=["i1", "i2"], handleInvalid="keep").fit(history)
    from pyspark.ml.feature import OneHotEncoder
    encoder = OneHotEncoder(inputCols=["i1", "i2"], outputCols=["o1", "o2"]).fit(indexer.transform(history))
    from pyspark.ml.feature import VectorAssembler
    assembler = VectorAssembler(inputCols=["o1", "o2"], outputCol="features")
    growth = grow_stages([indexer, encoder, assembler], new, one_hot_only=True)
    assert growth is not None
    child_indexer, child_encoder = growth.stages[0], growth.stages[1]
    assert [list(l) for l in child_indexer.labelsArray] == [[*indexer.labelsArray[0], "c"], list(indexer.labelsArray[1])]
    assert isinstance(child_encoder, OneHotEncoderModel) and list(child_encoder.categorySizes) == [4, 4]  # + unseen
    out = child_indexer.transform(new)
    assert None not in out.schema["i2"].metadata["ml_attr"]["vals"]
