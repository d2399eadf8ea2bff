"""The `exact` update mode: merge the parent's sufficient statistics with the new rows' and solve the way Spark does,
so the child equals Spark's fit on history ∪ new (linear regression, GLM gaussian/identity, naive Bayes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyspark.ml.classification import NaiveBayesModel
from pyspark.ml.regression import GeneralizedLinearRegressionModel, LinearRegressionModel

from ..errors import MlshipError
from ..export import state_stats as S
from ..export.linear import _family_and_link
from ..export.state import _weight_col, class_sums_table, moments_tables
from . import exact_bayes as B
from . import exact_linear as L
from .exact_models import glm_model, naive_bayes_model
from .merged_stages import StageMerge, plan
from .modes import UpdateInput, UpdateResult, register
from .spark_models import linear_regression_model

RETRAIN = "mlship train SPEC retrains on all the data"
MOMENTS = ("moments_totals", "moments")


def _refuse(problem: str) -> MlshipError:
    """A parent the exact mode cannot update: what the user is told (never a silent fallback to another mode)."""
    return MlshipError([f"exact update: {problem}; {RETRAIN}"], "update")


def _need(inp: UpdateInput, *names: str) -> None:
    """Refuse a parent whose training state lacks one of the tables the solve needs, with the state's own reason."""
    missing = [n for n in names if not inp.state.has(n)]
    if missing:
        why = "; ".join(inp.state.doc.get("skipped", [])) or "the version exported no such statistics"
        raise _refuse(f"the parent's training state has no {', '.join(f'state/{n}.arrow' for n in missing)} ({why})")


def _solving(fn: Callable[[], Any]) -> Any:
    """Run a solve, turning its refusals (elasticNet with regParam, singular normal equations...) into update errors."""
    try:
        return fn()
    except MlshipError as exc:
        raise _refuse("; ".join(exc.problems)) from exc


def _merged_moments(inp: UpdateInput, stages: StageMerge) -> tuple[L.LinearState, int]:
    """The parent's moments plus the new rows' (computed by the export's own code on the transformed rows), in the
    child's feature space (its merged scalers)."""
    _need(inp, *MOMENTS)
    parent = L.state_of_tables(inp.state.read("moments_totals"), inp.state.read("moments"))
    p = inp.predictor
    new = S.linear_moments(inp.new_train, p.getFeaturesCol(), p.getLabelCol(), _weight_col(p))
    if new is None:
        return stages.linear(parent), 0
    return stages.linear(L.merge(parent, L.from_moments(new))), int(new.rows)


def _linear_result(merged: L.LinearState, new_rows: int, model: Any, solver: str) -> UpdateResult:
    """The child's predictor, its merged moments as state tables, and what the version record keeps."""
    return UpdateResult(model, moments_tables(merged), {"historyRows": merged.rows - new_rows, "newRows": new_rows,
                                                        "solver": solver})


def _linear_regression(inp: UpdateInput, stages: StageMerge) -> UpdateResult:
    """LinearRegression (loss squaredError): Spark's normal-equation solve of the merged moments."""
    _need(inp, *MOMENTS)
    params = _solving(lambda: L.params_of(inp.predictor))
    merged, new_rows = _merged_moments(inp, stages)
    solution = _solving(lambda: L.solve(merged, params))
    model = linear_regression_model(inp.spark, inp.predictor, solution.coefficients, solution.intercept)
    return _linear_result(merged, new_rows, model, "normal")


def _glm(inp: UpdateInput, stages: StageMerge) -> UpdateResult:
    """GeneralizedLinearRegression gaussian/identity: Spark fits it with one WeightedLeastSquares solve, features and
    label standardized, elasticNet 0: the linear solve with standardization true."""
    glm = inp.predictor
    _need(inp, *MOMENTS)  # the state says first why a GLM has none (its family, its link)
    family, link, _ = _family_and_link(glm)
    if (family, link) != ("gaussian", "identity"):
        raise _refuse(f"generalized_linear_regression family {family} with link {link} is fitted by IRLS")
    if glm.isSet(glm.getParam("offsetCol")) and glm.getOffsetCol():
        raise _refuse("generalized_linear_regression with an offsetCol: the exported moments are of the label, "
                      "not of label − offset")
    params = L.LinearParams(reg_param=float(glm.getRegParam()), elastic_net_param=0.0,
                            fit_intercept=bool(glm.getFitIntercept()), standardization=True)
    merged, new_rows = _merged_moments(inp, stages)
    solution = _solving(lambda: L.solve(merged, params))
    model = glm_model(inp.spark, glm, solution.coefficients, solution.intercept)
    return _linear_result(merged, new_rows, model, "weighted-least-squares")


def _naive_bayes(inp: UpdateInput, stages: StageMerge) -> UpdateResult:
    """NaiveBayes, every modelType: the parent's per-class sums plus the new rows', then Spark's formulas."""
    nb = inp.predictor
    _need(inp, "class_sums")
    model_type = nb.getModelType()
    gaussian = model_type == "gaussian"
    parent = B.state_of_table(inp.state.read("class_sums"), gaussian)
    new = B.from_class_sums(S.class_sums(inp.new_train, nb.getFeaturesCol(), nb.getLabelCol(), _weight_col(nb)),
                            gaussian)
    merged = stages.class_sums(B.merge(parent, new))
    solution = _solving(lambda: B.solve(merged, model_type, float(nb.getSmoothing())))
    model = naive_bayes_model(inp.spark, nb, solution.pi, solution.theta, solution.sigma)
    new_rows = sum(s.count for s in new.values())
    facts = {"historyRows": sum(s.count for s in parent.values()), "newRows": new_rows, "classes": solution.classes}
    return UpdateResult(model, {"class_sums": class_sums_table(merged, gaussian)}, facts)


SOLVERS: dict[type, Callable[[UpdateInput, StageMerge], UpdateResult]] = {
    LinearRegressionModel: _linear_regression,
    GeneralizedLinearRegressionModel: _glm,
    NaiveBayesModel: _naive_bayes,
}


@register("exact")
def exact(inp: UpdateInput) -> UpdateResult:
    """The child's predictor from the parent's training state and the new rows only (O(new rows))."""
    solver = SOLVERS.get(type(inp.predictor))
    if solver is None:
        raise _refuse(f"{type(inp.predictor).__name__} has no exact update (linear regression, GLM gaussian/identity "
                      "and naive Bayes have)")
    # The parent's scalers merged with the new rows where that keeps the solve exact (update/merged_stages.py).
    stages = plan(inp)
    result = stages.attach(solver(inp, stages))
    inp.log(f"exact update: {result.facts.get('newRows', 0)} new rows merged into "
            f"{result.facts.get('historyRows', 0)} rows of history")
    for s in stages.facts.get("stagesMerged", []):
        inp.log(f"exact update: stage {s['index']} ({s['kind']}) refitted on history ∪ new by merging its statistics")
    for s in stages.facts.get("stagesFrozen", []):
        if s["kind"].endswith("_scaler"):
            inp.log(f"exact update: stage {s['index']} ({s['kind']}) kept as fitted: {s['reason']}")
    return result


__all__ = ["SOLVERS", "exact"]
