"""Linear models and k-means: descriptor fields and parameter tables (docs/portable-model.md, "Linear models").

Each exporter returns (kind, fields, table); stages.py wraps them into StageExports. The linear models also
record how Spark computes their dot product (`ddotLanes`, `sparseCoefficients`), so the TypeScript scorer sums
in the same order and matches to the last bit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
from pyspark.ml.classification import LinearSVCModel, LogisticRegressionModel
from pyspark.ml.clustering import KMeansModel
from pyspark.ml.linalg import SparseMatrix, SparseVector
from pyspark.ml.regression import GeneralizedLinearRegressionModel, LinearRegressionModel

# Spark's BLAS class that sums a dense dot product lane by lane (see ddot.ts).
VECTOR_BLAS = "dev.ludovic.netlib.blas.VectorBLAS"

Exported = tuple[str, dict[str, Any], pa.Table]

def _floats(values: Any) -> list[float]:
    """Spark vector or array values as a list of Python float64."""
    return [float(v) for v in (values.toArray() if hasattr(values, "toArray") else values)]


def blas_lanes(size: int | None) -> int | None:
    """SIMD lanes of the BLAS Spark uses for a dense dot of `size` elements (ml.linalg.BLAS.getBLAS), or of
    nativeBLAS (gemv) when size is None; None when that BLAS is not VectorBLAS (then no lane order is known).

    The lane count is the driver JVM's DoubleVector.SPECIES_MAX; executors on other hardware may differ in the
    last bits.
    """
    try:
        from pyspark import SparkContext

        jvm = SparkContext._jvm
        blas_module = getattr(getattr(jvm.org.apache.spark.ml.linalg, "BLAS$"), "MODULE$")
        blas = blas_module.nativeBLAS() if size is None else blas_module.getBLAS(size)
        if blas.getClass().getName() != VECTOR_BLAS:
            return None
        return int(jvm.jdk.incubator.vector.DoubleVector.SPECIES_MAX.length())
    except Exception:  # noqa: BLE001 - an unexpected JVM: the scorer falls back to the exact sum
        return None


def coefficient_table(intercepts: list[float], rows: list[list[float]]) -> pa.Table:
    """One (row, intercept, coefficients) row per row of the coefficient matrix."""
    return pa.table({
        "row": pa.array(list(range(len(rows))), pa.int32()),
        "intercept": pa.array(intercepts, pa.float64()),
        "coefficients": pa.array(rows, pa.list_(pa.float64())),
    })


def _dot_fields(size: int | None, sparse: bool) -> dict[str, Any]:
    """How Spark sums features · coefficients: lanes for dense operands, plain order when coefficients are sparse."""
    return {"ddotLanes": blas_lanes(size), "sparseCoefficients": sparse}


def logistic_regression(stage: LogisticRegressionModel) -> Exported:
    """LogisticRegression: coefficientMatrix rows, interceptVector, thresholds."""
    matrix = stage.coefficientMatrix
    rows = [[float(v) for v in row] for row in matrix.toArray()]
    multinomial = len(rows) > 1  # Spark keeps one row for binomial, K rows for multinomial
    thresholds = [float(t) for t in stage.getThresholds()] if stage.isSet(stage.thresholds) else None
    n = int(stage.numFeatures)
    fields = {"featuresCol": stage.getFeaturesCol(), "numClasses": int(stage.numClasses), "numFeatures": n,
              "isMultinomial": multinomial, "threshold": None if multinomial else float(stage.getThreshold()),
              "thresholds": thresholds,
              # binomial: BLAS.dot (getBLAS by size); multinomial: BLAS.gemv, always nativeBLAS
              **_dot_fields(None if multinomial else n, isinstance(matrix, SparseMatrix))}
    return "logistic_regression", fields, coefficient_table(_floats(stage.interceptVector), rows)


def linear_regression(stage: LinearRegressionModel) -> Exported:
    """LinearRegression: coefficients and intercept as one row."""
    n = int(stage.numFeatures)
    fields = {"featuresCol": stage.getFeaturesCol(), "numFeatures": n,
              **_dot_fields(n, isinstance(stage.coefficients, SparseVector))}
    return "linear_regression", fields, coefficient_table([float(stage.intercept)], [_floats(stage.coefficients)])


def _family_and_link(stage: GeneralizedLinearRegressionModel) -> tuple[str, str, float | None]:
    """The family and link Spark resolved (tweedie with variancePower 0/1/2 is gaussian/poisson/gamma; linkPower
    0/1/-1/0.5 is log/identity/inverse/sqrt), and the power of a remaining `power` link."""
    from pyspark import SparkContext

    jvm = SparkContext._jvm
    resolve = getattr(getattr(jvm.org.apache.spark.ml.regression, "GeneralizedLinearRegression$FamilyAndLink$"),
                      "MODULE$")
    family_and_link = resolve.apply(stage._java_obj)
    link = family_and_link.link()
    link_name = str(link.name())
    return str(family_and_link.family().name()), link_name, float(link.linkPower()) if link_name == "power" else None


def generalized_linear_regression(stage: GeneralizedLinearRegressionModel) -> Exported:
    """GeneralizedLinearRegression: coefficients and intercept, and the resolved family and link."""
    n = int(stage.numFeatures)
    family, link, link_power = _family_and_link(stage)
    fields = {"featuresCol": stage.getFeaturesCol(), "numFeatures": n, "family": family, "link": link,
              "linkPower": link_power,
              "variancePower": float(stage.getVariancePower()) if family == "tweedie" else None,
              **_dot_fields(n, isinstance(stage.coefficients, SparseVector))}
    if stage.isSet(stage.offsetCol) and stage.getOffsetCol():  # transfer offset: eta adds this column
        fields["offsetCol"] = stage.getOffsetCol()
    table = coefficient_table([float(stage.intercept)], [_floats(stage.coefficients)])
    return "generalized_linear_regression", fields, table


def linear_svc(stage: LinearSVCModel) -> Exported:
    """LinearSVC: coefficients, intercept and the threshold on the margin (rawPrediction only, no probability)."""
    n = int(stage.numFeatures)
    fields = {"featuresCol": stage.getFeaturesCol(), "numClasses": 2, "numFeatures": n,
              "threshold": float(stage.getThreshold()), **_dot_fields(n, isinstance(stage.coefficients, SparseVector))}
    return "linear_svc", fields, coefficient_table([float(stage.intercept)], [_floats(stage.coefficients)])


def kmeans(stage: KMeansModel) -> Exported:
    """KMeans: one (cluster, center) row per cluster, and the distance measure."""
    centers = [_floats(c) for c in stage.clusterCenters()]
    n = len(centers[0]) if centers else 0
    fields = {"featuresCol": stage.getFeaturesCol(), "numFeatures": n, "k": len(centers),
              "distanceMeasure": stage.getDistanceMeasure(), "ddotLanes": blas_lanes(n)}
    table = pa.table({"cluster": pa.array(list(range(len(centers))), pa.int32()),
                      "center": pa.array(centers, pa.list_(pa.float64()))})
    return "kmeans", fields, table


# The exporter of each algorithm of the catalogue's "linear" and "kmeans" exporter families, by portable kind.
LINEAR_EXPORTS: dict[str, Callable[[Any], Exported]] = {
    "logistic_regression": logistic_regression,
    "linear_regression": linear_regression,
    "generalized_linear_regression": generalized_linear_regression,
    "linear_svc": linear_svc,
    "kmeans": kmeans,
}


def export_linear(stage: Any, kind: str) -> Exported:
    """The (kind, fields, table) of a linear model or k-means stage of the given portable kind."""
    return LINEAR_EXPORTS[kind](stage)
