"""Create the estimator for an algorithm and apply the spec's params to it by name."""

from __future__ import annotations

from pyspark.ml.param import Params

from .catalogue import ALGORITHMS, estimator_class
from .errors import MlshipError
from .job import CLASSIFIERS, CLUSTERING, Param, Scalar  # noqa: F401 - CLASSIFIERS is re-exported for callers
from .mlp import build_mlp
from .pipeline import FEATURES_COL

# The Spark estimator of each algorithm, as the catalogue names it.
ESTIMATORS: dict[str, type] = {algorithm: estimator_class(algorithm) for algorithm in ALGORITHMS}


def apply_params(estimator: Params, params: dict[str, Param]) -> list[str]:
    """Set each param through Spark's own converters; return one problem per unknown or bad param."""
    problems: list[str] = []
    kind = type(estimator).__name__
    for name, value in params.items():
        if name.endswith(("Col", "Cols")):
            problems.append(f'model.params.{name}: column params are set by mlship')
        elif not estimator.hasParam(name):
            known = ", ".join(sorted(p.name for p in estimator.params if not p.name.endswith("Col")))
            problems.append(f'model.params.{name}: {kind} has no param "{name}"; known params: {known}')
        else:
            try:
                estimator.set(estimator.getParam(name), value)
            except (TypeError, ValueError) as exc:
                problems.append(f"model.params.{name}: {exc}")
    return problems


def build_estimator(algorithm: str, params: dict[str, Param], label: str) -> Params:
    """The configured estimator reading `features` and the prepared label column."""
    if algorithm == "mlp_classifier":  # hiddenLayers is mlship's: layers need the assembled feature count
        return build_mlp(params, FEATURES_COL, label, apply_params)
    columns = {"featuresCol": FEATURES_COL} if algorithm in CLUSTERING else {"featuresCol": FEATURES_COL, "labelCol": label}
    estimator = ESTIMATORS[algorithm](**columns)
    problems = apply_params(estimator, params)
    if problems:
        raise MlshipError(problems)
    return estimator
