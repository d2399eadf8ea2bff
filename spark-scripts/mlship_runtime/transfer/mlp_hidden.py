"""An MLP source's last hidden layer (transfer `use: hidden`, docs/transfer.md) as Spark SQL on the features vector,
computed as Spark's MultilayerPerceptronClassificationModel's forward pass does: each hidden layer is the affine
layer (per unit, sum over i of W[r, i] * x[i] from 0, then plus the bias) followed by the sigmoid 1 / (1 + exp(-z))."""

from __future__ import annotations

from pyspark.ml.classification import MultilayerPerceptronClassificationModel
from pyspark.ml.functions import vector_to_array
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..export.mlp import affine_layers

LAYER_PREFIX = "__source_hidden_l"  # the intermediate layers' columns, dropped before the stage returns


def hidden_width(layers: list[int]) -> int | None:
    """The last hidden layer's width (layers = [inputs, hidden..., classes]); None without a hidden layer."""
    return int(layers[-2]) if len(layers) >= 3 else None


def _unit(x: Column, weights: list[float], n_out: int, r: int, bias: float) -> Column:
    """One hidden unit: sigmoid(sum_i W[r, i] * x[i] + b[r]), W column-major (numOut x numIn)."""
    row = F.array(*[F.lit(weights[r + i * n_out]) for i in range(len(weights) // n_out)])
    total = F.aggregate(F.zip_with(row, x, lambda w, v: w * v), F.lit(0.0), lambda acc, t: t + acc)
    return F.lit(1.0) / (F.lit(1.0) + F.exp(-(total + F.lit(bias))))


def with_last_hidden(frame: DataFrame, model: MultilayerPerceptronClassificationModel, keep: list[str],
                     out: str) -> DataFrame:
    """`frame`'s `keep` columns plus `out`: the array<double> of the model's last hidden layer on its features.
    Each layer is its own projection, so a layer's expression is not copied into every unit of the next."""
    sizes = [int(s) for s in model.getLayers()]
    layers = affine_layers(sizes, [float(v) for v in model.weights.toArray()])[:-1]  # the output layer is not read
    if not layers:
        raise ValueError(f"an MLP with layers {sizes} has no hidden layer")
    kept = [F.col(f"`{c}`") for c in keep]
    current = f"{LAYER_PREFIX}0"
    frame = frame.select(*kept, vector_to_array(F.col(f"`{model.getFeaturesCol()}`")).alias(current))
    for k, (weights, bias) in enumerate(layers):
        n_out = sizes[k + 1]
        x = F.col(current)
        units = [_unit(x, weights, n_out, r, bias[r]) for r in range(n_out)]
        current = out if k == len(layers) - 1 else f"{LAYER_PREFIX}{k + 1}"
        frame = frame.select(*kept, F.array(*units).alias(current))
    return frame


__all__ = ["LAYER_PREFIX", "hidden_width", "with_last_hidden"]
