"""The fitted predictor's parameters (set and default values) as a JSON document: model/params.json, kept in the
version record so that `mlship models diff` can show what differs between two versions."""

from __future__ import annotations

import math
from typing import Any

PARAMS_FILE = "params.json"


def fitted_params(predictor: Any) -> dict[str, Any]:
    """{stage, params}: every parameter the fitted stage defines, by name, as plain JSON values."""
    values = {p.name: plain_value(predictor.getOrDefault(p)) for p in predictor.params if predictor.isDefined(p)}
    return {"stage": type(predictor).__name__, "params": dict(sorted(values.items()))}


def plain_value(value: Any) -> Any:
    """A JSON value for a Spark param value: numbers, strings, booleans and lists as they are; NaN and infinities,
    vectors, matrices and other objects as their text (JSON has no NaN, and the document must always be written)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return plain_value(value.item())
        except (TypeError, ValueError):
            pass
    return str(value)
