"""Spark model objects for the exact update (GLM, naive Bayes) built from numbers through the JVM, carrying the parent
model's parameters (spark_models.linear_regression_model is the linear regression's)."""

from __future__ import annotations

import numpy as np
from pyspark.ml.classification import NaiveBayesModel
from pyspark.ml.common import _py2java
from pyspark.ml.linalg import DenseMatrix
from pyspark.ml.regression import GeneralizedLinearRegressionModel
from pyspark.sql import SparkSession

from .spark_models import java_vector, jvm, like, new_uid


def java_matrix_row_major(spark: SparkSession, rows: np.ndarray) -> object:
    """A dense org.apache.spark.ml.linalg.Matrix holding `rows` (r x c) row-major (isTransposed), the layout Spark's
    NaiveBayes builds theta in (its gemv, and the portable scorer, sum in that order)."""
    a = np.asarray(rows, dtype=np.float64)
    return _py2java(spark.sparkContext, DenseMatrix(a.shape[0], a.shape[1], a.flatten(order="C").tolist(), True))


def glm_model(spark: SparkSession, parent: GeneralizedLinearRegressionModel, coefficients: np.ndarray,
              intercept: float) -> GeneralizedLinearRegressionModel:
    """A GeneralizedLinearRegressionModel(uid, coefficients, intercept) with the parent's parameters (family, link,
    columns); it has no training summary."""
    java = jvm(spark).org.apache.spark.ml.regression.GeneralizedLinearRegressionModel(
        new_uid("glm"), java_vector(spark, coefficients), float(intercept))
    return like(GeneralizedLinearRegressionModel, java, parent)


def naive_bayes_model(spark: SparkSession, parent: NaiveBayesModel, pi: np.ndarray, theta: np.ndarray,
                      sigma: np.ndarray | None) -> NaiveBayesModel:
    """A NaiveBayesModel(uid, pi, theta, sigma) with the parent's parameters (modelType, smoothing, thresholds,
    columns); sigma is the empty 0 x 0 matrix except for gaussian, as Spark's."""
    empty = np.zeros((0, 0))
    java = jvm(spark).org.apache.spark.ml.classification.NaiveBayesModel(
        new_uid("nb"), java_vector(spark, pi), java_matrix_row_major(spark, theta),
        java_matrix_row_major(spark, empty if sigma is None else sigma))
    return like(NaiveBayesModel, java, parent)


__all__ = ["glm_model", "java_matrix_row_major", "naive_bayes_model"]
