"""MultilayerPerceptronClassificationModel as a portable stage: one row per affine layer."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from pyspark.ml.classification import MultilayerPerceptronClassificationModel


def affine_layers(sizes: list[int], flat: list[float]) -> list[tuple[list[float], list[float]]]:
    """Spark's flat MLP weight vector (FeedForwardTopology) cut into (weights, bias) per affine layer: each layer
    is its numOut x numIn weight matrix in column-major order (W[r, i] at r + i * numOut), then its numOut biases."""
    layers: list[tuple[list[float], list[float]]] = []
    offset = 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        weights = flat[offset:offset + n_in * n_out]
        offset += n_in * n_out
        layers.append((weights, flat[offset:offset + n_out]))
        offset += n_out
    assert offset == len(flat), f"{len(flat)} weights for layers {sizes}"
    return layers


def mlp_table(model: MultilayerPerceptronClassificationModel) -> pa.Table:
    """One (layer, numIn, numOut, weights, bias) row per affine layer, cut from Spark's flat weight vector."""
    sizes = [int(s) for s in model.getLayers()]
    layers = affine_layers(sizes, [float(v) for v in model.weights.toArray()])
    return pa.table({
        "layer": pa.array(list(range(len(layers))), pa.int32()),
        "numIn": pa.array(sizes[:-1], pa.int32()),
        "numOut": pa.array(sizes[1:], pa.int32()),
        "weights": pa.array([w for w, _ in layers], pa.list_(pa.float64())),
        "bias": pa.array([b for _, b in layers], pa.list_(pa.float64())),
    })


def mlp_fields(model: MultilayerPerceptronClassificationModel) -> dict[str, Any]:
    """The descriptor fields of a multilayer perceptron stage."""
    thresholds = [float(t) for t in model.getThresholds()] if model.isSet(model.thresholds) else None
    return {"featuresCol": model.getFeaturesCol(), "numClasses": int(model.numClasses),
            "numFeatures": int(model.numFeatures), "layers": [int(s) for s in model.getLayers()],
            "thresholds": thresholds}
