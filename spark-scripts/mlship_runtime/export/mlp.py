"""MultilayerPerceptronClassificationModel as a portable stage: one row per affine layer."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from pyspark.ml.classification import MultilayerPerceptronClassificationModel


def mlp_table(model: MultilayerPerceptronClassificationModel) -> pa.Table:
    """One (layer, numIn, numOut, weights, bias) row per affine layer, cut from Spark's flat weight vector.

    Spark lays each layer out as its numOut x numIn weight matrix in column-major order, then its numOut biases.
    """
    sizes = [int(s) for s in model.getLayers()]
    flat = [float(v) for v in model.weights.toArray()]
    rows: dict[str, list[Any]] = {"layer": [], "numIn": [], "numOut": [], "weights": [], "bias": []}
    offset = 0
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        rows["layer"].append(i)
        rows["numIn"].append(n_in)
        rows["numOut"].append(n_out)
        rows["weights"].append(flat[offset:offset + n_in * n_out])
        offset += n_in * n_out
        rows["bias"].append(flat[offset:offset + n_out])
        offset += n_out
    assert offset == len(flat), f"{len(flat)} weights for layers {sizes}"
    return pa.table({
        "layer": pa.array(rows["layer"], pa.int32()),
        "numIn": pa.array(rows["numIn"], pa.int32()),
        "numOut": pa.array(rows["numOut"], pa.int32()),
        "weights": pa.array(rows["weights"], pa.list_(pa.float64())),
        "bias": pa.array(rows["bias"], pa.list_(pa.float64())),
    })


def mlp_fields(model: MultilayerPerceptronClassificationModel) -> dict[str, Any]:
    """The descriptor fields of a multilayer perceptron stage."""
    thresholds = [float(t) for t in model.getThresholds()] if model.isSet(model.thresholds) else None
    return {"featuresCol": model.getFeaturesCol(), "numClasses": int(model.numClasses),
            "numFeatures": int(model.numFeatures), "layers": [int(s) for s in model.getLayers()],
            "thresholds": thresholds}
