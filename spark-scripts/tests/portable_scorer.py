"""A pure-Python scorer for the portable model, written from docs/portable-model.md alone (the test oracle)."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pyarrow.ipc as ipc

from mlship_runtime.catalogue import CATALOGUE


class InvalidRow(Exception):
    """A row the model refuses (handleInvalid error/skip)."""


def _read(path: Path) -> list[dict[str, Any]]:
    """An Arrow IPC file as a list of row dicts."""
    return ipc.open_file(str(path)).read_all().to_pylist()


def _sigmoid(x: float) -> float:
    """The logistic function, as Spark writes it."""
    return 1.0 / (1.0 + math.exp(-x))


def _dot(coefficients: list[float], x: list[float]) -> float:
    """A dot product summed in index order, as Spark's loop does."""
    total = 0.0
    for c, v in zip(coefficients, x, strict=True):
        total += c * v
    return total


class PortableModel:
    """Loads portable/descriptor.json and the stage files, scores dict rows."""

    def __init__(self, model_dir: Path) -> None:
        """Read the descriptor and every stage table."""
        portable = model_dir / "portable"
        self.descriptor = json.loads((portable / "descriptor.json").read_text())
        self.tables = [_read(portable / s["file"]) for s in self.descriptor["stages"]]

    def score(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """prediction, and for classifiers probability and rawPrediction, for one row of inputs."""
        row = dict(inputs)
        result: dict[str, Any] = {}
        for stage, table in zip(self.descriptor["stages"], self.tables):
            kind = stage["kind"]
            scorer = _tree_model if kind in TREE_KINDS else getattr(self, "_" + kind)
            result = scorer(stage, table, row)
        return result

    @staticmethod
    def _imputer(stage: dict, table: list[dict], row: dict) -> None:
        """Replace missing values by the surrogate."""
        surrogates = table[0]
        missing_value = stage["missingValue"]
        for c, out in zip(stage["inputCols"], stage["outputCols"]):
            v = row[c]
            if missing_value == "NaN":
                missing = v is None or math.isnan(v)
            else:  # NaN is then an ordinary value and passes through
                missing = v is None or v == missing_value
            row[out] = surrogates[c] if missing else v

    @staticmethod
    def _string_indexer(stage: dict, table: list[dict], row: dict) -> None:
        """Map strings to indices; null and unseen strings are invalid."""
        for c, out in zip(stage["inputCols"], stage["outputCols"]):
            labels = {r["label"]: r["index"] for r in table if r["column"] == c}
            v = row[c]
            if v is None or v not in labels:
                if stage["handleInvalid"] != "keep":
                    raise InvalidRow(f"{c}={v!r}")
                row[out] = float(len(labels))
            else:
                row[out] = float(labels[v])

    @staticmethod
    def _one_hot_encoder(stage: dict, table: list[dict], row: dict) -> None:
        """Indices to one-hot vectors, with dropLast and the keep slot."""
        sizes = {r["column"]: r["size"] for r in table}
        keep = stage["handleInvalid"] == "keep"
        for c, out in zip(stage["inputCols"], stage["outputCols"]):
            size, index = sizes[c], int(row[c])
            length = size + (1 if keep else 0) - (1 if stage["dropLast"] else 0)
            if index >= size:
                if not keep:
                    raise InvalidRow(f"{c}={index}")
                index = size
            vector = [0.0] * length
            if index < length:
                vector[index] = 1.0
            row[out] = vector

    @staticmethod
    def _vector_assembler(stage: dict, table: list[dict], row: dict) -> None:
        """Concatenate doubles and vectors in order."""
        sizes = {r["column"]: r["size"] for r in table}
        out: list[float] = []
        for c in stage["inputCols"]:
            v = row[c]
            part = list(v) if isinstance(v, list) else [v]
            assert len(part) == sizes[c], (c, len(part), sizes[c])
            if any(x is None or math.isnan(x) for x in part) and stage["handleInvalid"] != "keep":
                raise InvalidRow(c)
            out += [math.nan if x is None else x for x in part]
        row[stage["outputCol"]] = out

    @staticmethod
    def _standard_scaler(stage: dict, table: list[dict], row: dict) -> None:
        """Centre and scale each element."""
        out = []
        for x, r in zip(row[stage["inputCol"]], table, strict=True):
            if stage["withMean"]:
                x = x - r["mean"]
            if stage["withStd"]:
                x = x * (0.0 if r["std"] == 0.0 else 1.0 / r["std"])
            out.append(x)
        row[stage["outputCol"]] = out

    @staticmethod
    def _logistic_regression(stage: dict, table: list[dict], row: dict) -> dict[str, Any]:
        """Binomial or multinomial scores, probabilities and prediction."""
        x = row[stage["featuresCol"]]
        assert len(x) == stage["numFeatures"]
        if not stage["isMultinomial"]:
            margin = _dot(table[0]["coefficients"], x) + table[0]["intercept"]
            p0 = _sigmoid(-margin)  # Spark computes p0 from rawPrediction[0], then p1 = 1 - p0
            probability = [p0, 1.0 - p0]
            prediction = 1.0 if probability[1] > stage["threshold"] else 0.0
            return {"prediction": prediction, "probability": probability, "rawPrediction": [-margin, margin]}
        margins = [_dot(r["coefficients"], x) + r["intercept"] for r in table]
        top = max(margins)
        exps = [math.exp(m - top) for m in margins]
        total = sum(exps)
        probability = [e / total for e in exps]
        thresholds = stage["thresholds"]
        scores = probability if thresholds is None else [p / t for p, t in zip(probability, thresholds)]
        prediction = float(max(range(len(scores)), key=lambda k: (scores[k], -k)))
        return {"prediction": prediction, "probability": probability, "rawPrediction": margins}

    @staticmethod
    def _linear_regression(stage: dict, table: list[dict], row: dict) -> dict[str, Any]:
        """Dot product plus intercept."""
        x = row[stage["featuresCol"]]
        assert len(x) == stage["numFeatures"]
        return {"prediction": _dot(table[0]["coefficients"], x) + table[0]["intercept"]}


def max_parity_difference(model_dir: Path) -> dict[str, float]:
    """Score parity.arrow with PortableModel; the largest |difference| per output, and label mismatches."""
    model = PortableModel(model_dir)
    names = [c["name"] for c in model.descriptor["inputSchema"]]
    rows = _read(model_dir / "parity.arrow")
    worst = {"prediction": 0.0, "probability": 0.0, "rawPrediction": 0.0, "labelMismatches": 0.0}
    classifier = model.descriptor["task"] != "regression"
    for r in rows:
        got = model.score({n: r[n] for n in names})
        worst["prediction"] = max(worst["prediction"], abs(got["prediction"] - r["spark_prediction"]))
        if classifier:
            worst["labelMismatches"] += float(got["prediction"] != r["spark_prediction"])
            for key, column in (("probability", "spark_probability"), ("rawPrediction", "spark_raw_prediction")):
                assert len(got[key]) == len(r[column])
                worst[key] = max(worst[key], max(abs(a - b) for a, b in zip(got[key], r[column])))
    return worst


TREE_KINDS = tuple(k for a in CATALOGUE.values() if a.exporter == "trees" for k in a.portable_kinds)


def _goes_left(node: dict, x: list[float]) -> bool:
    """Continuous: x <= threshold (NaN goes right). Categorical: in the left set; Spark keeps the smaller side."""
    v = x[node["featureIndex"]]
    if node["leftCategories"] is None:
        return v <= node["threshold"]
    left, n = node["leftCategories"], node["numCategories"]
    if len(left) <= n // 2:
        return v in left
    return v not in [c for c in map(float, range(n)) if c not in left]


def _leaf(nodes: list[dict], x: list[float]) -> dict:
    """Walk one tree (its nodes in id order) from the root to the leaf x falls into."""
    node = nodes[0]
    while not node["leaf"]:
        node = nodes[node["leftChild"] if _goes_left(node, x) else node["rightChild"]]
    return node


def _fma(a: float, b: float, c: float) -> float:
    """a * b + c rounded once."""
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def _spark_dot(x: list[float], y: list[float], lanes: int | None) -> float:
    """Spark's ddot: one fma accumulator per lane over the full vectors, lanes added in order, then the rest;
    the correctly rounded dot product when lanes is None."""
    if lanes is None:
        return float(sum(Fraction(a) * Fraction(b) for a, b in zip(x, y)))
    bound = len(x) - len(x) % lanes
    acc = [0.0] * lanes
    for i in range(0, bound, lanes):
        acc = [_fma(x[i + j], y[i + j], acc[j]) for j in range(lanes)]
    total = 0.0
    for a in acc:
        total += a
    for i in range(bound, len(x)):
        total += x[i] * y[i]
    return total


def _argmax(values: list[float]) -> float:
    """The first index of the largest value."""
    return float(max(range(len(values)), key=lambda k: (values[k], -k)))


def _tree_model(stage: dict, table: list[dict], row: dict) -> dict[str, Any]:
    """Decision trees, random forests and GBTs, classification and regression."""
    x = row[stage["featuresCol"]]
    assert len(x) == stage["numFeatures"]
    trees: list[list[dict]] = [[] for _ in range(stage["numTrees"])]
    for node in table:
        trees[node["tree"]].append(node)
    leaves = [_leaf(nodes, x) for nodes in trees]
    kind, weights = stage["kind"], stage["treeWeights"]
    if kind == "decision_tree_regressor":
        return {"prediction": leaves[0]["prediction"]}
    if kind == "random_forest_regressor":
        return {"prediction": sum(leaf["prediction"] for leaf in leaves) / len(leaves)}
    if kind == "gbt_regressor":
        return {"prediction": _spark_dot([leaf["prediction"] for leaf in leaves], weights, stage["ddotLanes"])}
    if kind == "gbt_classifier":
        margin = _spark_dot([leaf["prediction"] for leaf in leaves], weights, stage["ddotLanes"])
        raw = [-margin, margin]
        p0 = 1.0 / (1.0 + math.exp(-2.0 * raw[0]))
        probability = [p0, 1.0 - p0]
    elif kind == "decision_tree_classifier":
        raw = list(leaves[0]["impurityStats"])
        probability = [v / sum(raw) for v in raw]
    else:  # random_forest_classifier: each tree votes with its leaf's class shares
        raw = [0.0] * stage["numClasses"]
        for leaf in leaves:
            stats = leaf["impurityStats"]
            total = sum(stats)
            if total != 0:
                raw = [r + s / total for r, s in zip(raw, stats)]
        probability = [v / sum(raw) for v in raw]
    thresholds = stage["thresholds"]
    prediction = _argmax(raw) if thresholds is None else _argmax([p / t for p, t in zip(probability, thresholds)])
    return {"prediction": prediction, "probability": probability, "rawPrediction": raw}
