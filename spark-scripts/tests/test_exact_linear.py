"""The exact linear-regression update: merge(state(H), state(N)) solved in numpy equals Spark's LinearRegression
(solver "normal") fitted on H ∪ N, and the merged moments equal the moments of H ∪ N."""

from __future__ import annotations

import numpy as np
import pytest
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.regression import LinearRegression

from mlship_runtime.errors import MlshipError
from mlship_runtime.export import state_stats as S
from mlship_runtime.update.exact_linear import (LinearParams, LinearState, from_moments, merge, params_of,
                                                read_state, solve)

ROWS, HISTORY = 900, 600
SOLVE_REL = 1e-8
MERGE_REL = 1e-12


def _close(got, want, rel: float) -> None:
    """Equal to `rel` relative (absolute, scaled by the largest value, near zero)."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=rel, atol=rel * max(1.0, float(np.abs(want).max(initial=0.0))))


@pytest.fixture(scope="module")
def frames(spark):
    """Generated rows with features on different scales and a positive weight, as history H, new N and H ∪ N
    (assembled into the estimator's `features` vector)."""
    rng = np.random.default_rng(23)
    x = rng.normal([2.0, -5.0, 40.0, 0.0], [1.0, 3.0, 8.0, 0.5], size=(ROWS, 4))
    y = 3.0 + 1.2 * x[:, 0] - 0.7 * x[:, 1] + 0.25 * x[:, 2] + 2.0 * x[:, 3] + rng.normal(0, 0.8, ROWS)
    w = rng.uniform(0.2, 3.0, ROWS)
    data = [(float(a), float(b), float(c), float(d), float(t), float(v)) for (a, b, c, d), t, v in zip(x, y, w)]
    schema = "x0 double, x1 double, x2 double, x3 double, y double, w double"
    assemble = VectorAssembler(inputCols=["x0", "x1", "x2", "x3"], outputCol="features")

    def frame(rows):
        return assemble.transform(spark.createDataFrame(rows, schema)).repartition(2).cache()

    return {"H": frame(data[:HISTORY]), "N": frame(data[HISTORY:]), "all": frame(data)}


@pytest.fixture(scope="module")
def states(frames):
    """state(H), state(N) and state(H ∪ N) by the export's own code, unweighted and weighted."""
    return {(part, weight): from_moments(S.linear_moments(frames[part], "features", "y", weight))
            for part in ("H", "N", "all") for weight in (None, "w")}


@pytest.mark.parametrize("weight", [None, "w"])
def test_merged_moments_equal_the_moments_of_the_union(states, weight) -> None:
    merged, union = merge(states[("H", weight)], states[("N", weight)]), states[("all", weight)]
    assert merged.rows == union.rows == ROWS
    for field in ("sum_w", "sum_wy", "sum_wy2", "sum_wx", "sum_wxy", "sum_wxx"):
        _close(getattr(merged, field), getattr(union, field), MERGE_REL)


@pytest.mark.parametrize("weight", [None, "w"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardization", [True, False])
@pytest.mark.parametrize("reg_param", [0.0, 0.1])
def test_solve_equals_spark_normal_solver(frames, states, reg_param, standardization, fit_intercept, weight) -> None:
    lr = LinearRegression(featuresCol="features", labelCol="y", solver="normal", regParam=reg_param,
                          standardization=standardization, fitIntercept=fit_intercept)
    if weight:
        lr.setWeightCol(weight)
    model = lr.fit(frames["all"])
    got = solve(merge(states[("H", weight)], states[("N", weight)]), params_of(lr))
    want = np.append(model.coefficients.toArray(), model.intercept)
    _close(np.append(got.coefficients, got.intercept), want, SOLVE_REL)


def test_read_state_reads_the_exported_files(spark, frames, states, tmp_path) -> None:
    """The moments as state/*.arrow hold them read back into the same LinearState."""
    from pyspark.ml import Pipeline

    from mlship_runtime.export.stages import export_stages
    from mlship_runtime.export.state import export_state
    from mlship_runtime.storage import open_out

    frame = frames["H"].select("x0", "x1", "x2", "x3", "y")
    model = Pipeline(stages=[VectorAssembler(inputCols=["x0", "x1", "x2", "x3"], outputCol="features"),
                             LinearRegression(labelCol="y", solver="normal")]).fit(frame)
    export_state(model, export_stages(model), frame, open_out(tmp_path.as_uri()))
    read, want = read_state(tmp_path / "state"), states[("H", None)]
    assert read.rows == want.rows
    for field in ("sum_w", "sum_wy", "sum_wy2", "sum_wx", "sum_wxy", "sum_wxx"):
        _close(getattr(read, field), getattr(want, field), MERGE_REL)
    got = solve(read, params_of(model.stages[-1]))
    _close(np.append(got.coefficients, got.intercept),
           np.append(model.stages[-1].coefficients.toArray(), model.stages[-1].intercept), SOLVE_REL)


def _numpy_state(x: np.ndarray, y: np.ndarray) -> LinearState:
    """Moments of unweighted rows, in numpy."""
    return LinearState(len(y), float(len(y)), float(y.sum()), float(y @ y), x.sum(axis=0), x.T @ y, x.T @ x)


def test_constant_label_gives_the_mean_as_intercept() -> None:
    x = np.random.default_rng(1).normal(size=(50, 2))
    got = solve(_numpy_state(x, np.full(50, 4.0)), LinearParams(reg_param=0.1))
    assert got.intercept == 4.0 and not got.coefficients.any()


def test_refuses_what_the_normal_equations_do_not_solve() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(50, 2))
    state = _numpy_state(x, x @ [1.0, 2.0] + rng.normal(size=50))
    with pytest.raises(MlshipError, match="elasticNetParam 0 only"):
        solve(state, LinearParams(reg_param=0.1, elastic_net_param=0.5))
    assert solve(state, LinearParams(reg_param=0.0, elastic_net_param=0.5)).coefficients.shape == (2,)
    constant = _numpy_state(np.hstack([x, np.ones((50, 1))]), x @ [1.0, 2.0] + rng.normal(size=50))
    with pytest.raises(MlshipError, match="singular"):
        solve(constant, LinearParams())
    with pytest.raises(MlshipError, match="feature space differs"):
        merge(state, constant)


def _fit_and_solve(spark, x: np.ndarray, y: np.ndarray, params: LinearParams):
    """Spark's solver="normal" fit on the rows, and the solve of the rows' moments (split in two and merged)."""
    rows = [(*map(float, r), float(t)) for r, t in zip(x, y)]
    cols = [f"x{j}" for j in range(x.shape[1])]
    frame = VectorAssembler(inputCols=cols, outputCol="features").transform(
        spark.createDataFrame(rows, ", ".join(f"{c} double" for c in cols) + ", y double"))
    lr = LinearRegression(labelCol="y", solver="normal", regParam=params.reg_param,
                          standardization=params.standardization, fitIntercept=params.fit_intercept)
    model = lr.fit(frame)
    half = len(y) // 2
    got = solve(merge(_numpy_state(x[:half], y[:half]), _numpy_state(x[half:], y[half:])), params)
    return np.append(got.coefficients, got.intercept), np.append(model.coefficients.toArray(), model.intercept)


def test_edge_cases_equal_spark(spark) -> None:
    """A constant nonzero label without an intercept (Spark scales by |mean|), and a constant feature kept
    solvable by the L2 term (its coefficient 0)."""
    rng = np.random.default_rng(5)
    x = rng.normal([1.0, 4.0], [2.0, 0.5], size=(80, 2))
    got, want = _fit_and_solve(spark, x, np.full(80, 2.5), LinearParams(fit_intercept=False))
    _close(got, want, SOLVE_REL)
    with_constant = np.hstack([x, np.full((80, 1), 3.0)])
    y = 1.0 + x @ [0.5, -2.0] + rng.normal(0, 0.1, 80)
    got, want = _fit_and_solve(spark, with_constant, y, LinearParams(reg_param=0.1))
    _close(got, want, SOLVE_REL)
    assert got[2] == 0.0
    with pytest.raises(MlshipError, match="singular"):
        solve(_numpy_state(with_constant, y), LinearParams(reg_param=0.1, standardization=False))


def test_params_of_refuses_other_losses() -> None:
    assert params_of(LinearRegression(regParam=0.2, fitIntercept=False)) == LinearParams(0.2, 0.0, False, True)
    with pytest.raises(MlshipError, match="squaredError"):
        params_of(LinearRegression(loss="huber"))
