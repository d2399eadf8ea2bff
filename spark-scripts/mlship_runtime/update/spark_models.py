"""Spark model objects built from numbers an update computed, through the JVM (Spark's Scala constructors are
`private[ml]`, which is public in bytecode), carrying every parameter of the parent's fitted model."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

import numpy as np
from pyspark.ml.common import _py2java
from pyspark.ml.linalg import DenseMatrix, DenseVector, Vectors
from pyspark.ml.regression import LinearRegressionModel
from pyspark.ml.wrapper import JavaModel
from pyspark.sql import SparkSession

M = TypeVar("M", bound=JavaModel)


def jvm(spark: SparkSession) -> Any:
    """The py4j view of the driver JVM."""
    return spark.sparkContext._jvm  # type: ignore[attr-defined]


def java_vector(spark: SparkSession, values: np.ndarray | list[float]) -> Any:
    """A dense org.apache.spark.ml.linalg.Vector."""
    return _py2java(spark.sparkContext, DenseVector(np.asarray(values, dtype=np.float64)))


def java_matrix(spark: SparkSession, rows: np.ndarray) -> Any:
    """A dense org.apache.spark.ml.linalg.Matrix holding `rows` (shape r × c); Spark's DenseMatrix is column-major."""
    a = np.asarray(rows, dtype=np.float64)
    return _py2java(spark.sparkContext, DenseMatrix(a.shape[0], a.shape[1], a.flatten(order="F").tolist()))


def java_doubles(spark: SparkSession, values: np.ndarray | list[float]) -> Any:
    """A Java double[]."""
    gateway = spark.sparkContext._gateway  # type: ignore[attr-defined]
    arr = gateway.new_array(gateway.jvm.double, len(values))
    for i, v in enumerate(values):
        arr[i] = float(v)
    return arr


def like(py_class: type[M], java_obj: Any, parent: JavaModel) -> M:
    """Wrap a new Java model in its PySpark class with a fresh uid and every parameter the parent set (columns,
    thresholds, ...), so the child reads and writes the same columns as the parent's predictor."""
    model = py_class(java_obj)
    for param, value in parent.extractParamMap().items():
        if model.hasParam(param.name):
            model._set(**{param.name: value})
    model._transfer_params_to_java()
    return model


def new_uid(prefix: str) -> str:
    """A Spark-style uid for a model an update made (`linReg_1b2c...`)."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def linear_regression_model(spark: SparkSession, parent: LinearRegressionModel, coefficients: np.ndarray,
                            intercept: float) -> LinearRegressionModel:
    """A LinearRegressionModel(uid, coefficients, intercept, scale) with the parent's parameters; `scale` is 1.0, as
    Spark's for the squaredError loss (the only loss with an exact update)."""
    java = jvm(spark).org.apache.spark.ml.regression.LinearRegressionModel(
        new_uid("linReg"), java_vector(spark, coefficients), float(intercept), 1.0)
    return like(LinearRegressionModel, java, parent)


__all__ = ["java_doubles", "java_matrix", "java_vector", "jvm", "like", "linear_regression_model", "new_uid",
           "Vectors"]
