"""Tree models (decision tree, random forest, GBT): descriptor fields from the model, nodes from its saved data.

The node table is read with pyarrow from the parquet files PipelineModel.save wrote (`<stage>/data`), so every
threshold, category and class count is Spark's own float64, and no node is fetched one py4j call at a time.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.ml import Transformer

from ..errors import MlshipError
from ..storage import OutDir

NODE_SCHEMA = pa.schema([
    pa.field("tree", pa.int32(), nullable=False),
    pa.field("id", pa.int32(), nullable=False),
    pa.field("leaf", pa.bool_(), nullable=False),
    pa.field("prediction", pa.float64(), nullable=False),
    pa.field("impurityStats", pa.list_(pa.float64()), nullable=False),
    pa.field("leftChild", pa.int32(), nullable=False),
    pa.field("rightChild", pa.int32(), nullable=False),
    pa.field("featureIndex", pa.int32(), nullable=False),
    pa.field("threshold", pa.float64()),
    pa.field("leftCategories", pa.list_(pa.float64())),
    pa.field("numCategories", pa.int32(), nullable=False),
])


def tree_fields(stage: Transformer, kind: str) -> dict[str, Any]:
    """The descriptor fields of a tree stage, read from the fitted model."""
    ensemble = not kind.startswith("decision_tree")
    weights = [float(w) for w in stage.treeWeights] if ensemble else [1.0]
    fields: dict[str, Any] = {"featuresCol": stage.getFeaturesCol(), "numFeatures": int(stage.numFeatures),
                              "numTrees": len(weights), "treeWeights": weights}
    if kind.endswith("_classifier"):
        fields["numClasses"] = int(stage.numClasses)
        fields["thresholds"] = [float(t) for t in stage.getThresholds()] if stage.isSet(stage.thresholds) else None
    if kind.startswith("gbt_"):
        fields["lossType"] = stage.getLossType()
        fields["ddotLanes"] = ddot_lanes()
    return fields


def ddot_lanes() -> int | None:
    """The SIMD lanes of Spark's BLAS ddot (how a GBT sums its weighted trees), or None for another BLAS.

    Spark 4 computes the GBT margin with `BLAS.nativeBLAS.ddot`; without a native library that is netlib's
    VectorBLAS, which keeps one fused-multiply-add accumulator per lane of DoubleVector.SPECIES_MAX. The lane
    count is the driver JVM's (executors on other hardware may differ in the last bits).
    """
    try:
        from pyspark import SparkContext

        jvm = SparkContext._jvm
        blas = getattr(getattr(jvm.org.apache.spark.ml.linalg, "BLAS$"), "MODULE$").nativeBLAS()
        if blas.getClass().getName() != "dev.ludovic.netlib.blas.VectorBLAS":
            return None
        return int(jvm.jdk.incubator.vector.DoubleVector.SPECIES_MAX.length())
    except Exception:  # noqa: BLE001 - an unexpected JVM: fall back to the exact sum
        return None


def _split(node: dict[str, Any]) -> tuple[int, float | None, list[float] | None, int]:
    """(featureIndex, threshold, leftCategories, numCategories) of an internal node; Spark's -1s for a leaf."""
    split = node["split"]
    if node["leftChild"] < 0:
        return -1, None, None, -1
    values = [float(v) for v in split["leftCategoriesOrThreshold"]]
    if split["numCategories"] < 0:  # continuous: the one value is the threshold
        return int(split["featureIndex"]), values[0], None, -1
    return int(split["featureIndex"]), None, values, int(split["numCategories"])


def node_table(out: OutDir, native_path: str, stage: dict[str, Any]) -> pa.Table:
    """One row per node, ordered by tree then node id, from the stage's saved `data` parquet."""
    data = pq.read_table(out.path(f"{native_path}/data"), filesystem=out.fs)
    rows = data.to_pylist()
    if "nodeData" in data.column_names:  # ensembles: (treeID, nodeData struct) rows
        nodes = [(int(r["treeID"]), r["nodeData"]) for r in rows]
    else:  # a single tree: the NodeData columns themselves
        nodes = [(0, r) for r in rows]
    nodes.sort(key=lambda t: (t[0], t[1]["id"]))
    _check_ids(nodes, stage["numTrees"], native_path)
    columns: dict[str, list[Any]] = {f.name: [] for f in NODE_SCHEMA}
    for tree, n in nodes:
        feature, threshold, left, categories = _split(n)
        columns["tree"].append(tree)
        columns["id"].append(int(n["id"]))
        columns["leaf"].append(n["leftChild"] < 0)
        columns["prediction"].append(float(n["prediction"]))
        columns["impurityStats"].append([float(v) for v in n["impurityStats"]])
        columns["leftChild"].append(int(n["leftChild"]))
        columns["rightChild"].append(int(n["rightChild"]))
        columns["featureIndex"].append(feature)
        columns["threshold"].append(threshold)
        columns["leftCategories"].append(left)
        columns["numCategories"].append(categories)
    return pa.table(columns, schema=NODE_SCHEMA)


def _check_ids(nodes: list[tuple[int, dict[str, Any]]], num_trees: int, where: str) -> None:
    """Spark numbers each tree's nodes 0..n-1 in pre-order; the scorer relies on it."""
    trees = sorted({t for t, _ in nodes})
    if trees != list(range(num_trees)):
        raise MlshipError([f"{where}: expected trees 0..{num_trees - 1} in the saved model, found {trees[:5]}…"],
                          code="export")
    counts: dict[int, int] = {}
    for tree, n in nodes:
        if n["id"] != counts.get(tree, 0):
            raise MlshipError([f"{where}: tree {tree} has node id {n['id']} where {counts.get(tree, 0)} was expected"],
                              code="export")
        counts[tree] = counts.get(tree, 0) + 1
