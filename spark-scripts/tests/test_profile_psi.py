"""The data profile (state/profile.arrow) and the population stability index: each equals a numpy recomputation."""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa
import pytest
from pyspark.ml.regression import LinearRegression

from mlship_runtime.export.profile import (CATEGORICAL, DECILES, MISSING_BIN, NUMERIC, OTHER_BIN, RELATIVE_ERROR,
                                           profile)
from mlship_runtime.export.stages import export_stages
from mlship_runtime.export.state import export_state
from mlship_runtime.job import Features
from mlship_runtime.pipeline import build_pipeline
from mlship_runtime.storage import open_out
from mlship_runtime.update.modes import frozen_stages, load_parent_state
from mlship_runtime.update.psi import EPSILON, band, measure_shift, merge_profile, profile_counts, psi, shifts

H_ROWS, N_ROWS = 3000, 1500
COLUMNS = [("x0", NUMERIC), ("x.1", NUMERIC), ("cat", CATEGORICAL), ("cat2", CATEGORICAL)]


def _rows(rng: np.random.Generator, n: int, drift: bool) -> dict[str, np.ndarray]:
    """x0 shifts by 1.5 standard deviations with drift; x.1 (with nulls and NaN) and cat2 do not; cat gains a level
    "z" (30% of the rows) with drift."""
    x0 = rng.normal(10.0 + (1.5 if drift else 0.0), 1.0, n)
    x1 = np.round(rng.exponential(2.0, n), 1)  # repeated values: ties at the edges
    x1[rng.random(n) < 0.08] = np.nan
    cat = rng.choice(np.array(["a", "b", "c"]), n, p=[0.5, 0.3, 0.2]).astype(object)
    if drift:
        cat[rng.random(n) < 0.3] = "z"
    cat[rng.random(n) < 0.05] = None
    cat2 = rng.choice(np.array(["p", "q"]), n, p=[0.7, 0.3]).astype(object)
    y = 2.0 * x0 + rng.normal(0, 0.5, n)
    return {"x0": x0, "x.1": x1, "cat": cat, "cat2": cat2, "y": y}


def _frame(spark, rows: dict[str, np.ndarray], null_every: int = 3):
    """A Spark frame of the rows; every `null_every`-th missing x.1 is null rather than NaN."""
    data = []
    for i in range(len(rows["y"])):
        x1 = float(rows["x.1"][i])
        data.append((float(rows["x0"][i]), None if math.isnan(x1) and i % null_every == 0 else x1,
                     rows["cat"][i], rows["cat2"][i], float(rows["y"][i])))
    return spark.createDataFrame(data, "x0 double, `x.1` double, cat string, cat2 string, y double")


@pytest.fixture(scope="module")
def data(spark):
    """History H (no drift) and new data N (drift), as numpy columns and cached Spark frames."""
    h = _rows(np.random.default_rng(61), H_ROWS, drift=False)
    n = _rows(np.random.default_rng(62), N_ROWS, drift=True)
    fh, fn = _frame(spark, h).cache(), _frame(spark, n).cache()
    yield {"h": h, "n": n, "H": fh, "N": fn}
    fh.unpersist()
    fn.unpersist()


@pytest.fixture(scope="module")
def history_profile(data) -> pa.Table:
    """The profile of H."""
    return profile(data["H"], COLUMNS)


def _part(table: pa.Table, feature: str) -> list[dict]:
    """One feature's rows of a profile table."""
    return [r for r in table.to_pylist() if r["feature"] == feature]


def _numpy_counts(table: pa.Table, feature: str, values: np.ndarray) -> list[int]:
    """The rows of `values` in a feature's buckets (table order), counted with numpy alone."""
    counts = []
    for r in _part(table, feature):
        if r["bin"] == MISSING_BIN:
            missing = np.array([v is None or (isinstance(v, float) and math.isnan(v)) for v in values])
            counts.append(int(missing.sum()))
        elif r["kind"] == NUMERIC:
            x = values.astype(np.float64)
            counts.append(int(((x >= r["lower"]) & (x < r["upper"])).sum()))
        elif r["bin"] == OTHER_BIN:
            known = {q["level"] for q in _part(table, feature) if q["bin"] >= 0}
            counts.append(int(sum(v is not None and v not in known for v in values)))
        else:
            counts.append(int(sum(v == r["level"] for v in values)))
    return counts


def _numpy_psi(h: list[int], n: list[int]) -> float:
    """The PSI formula written out independently: shares floored at EPSILON, Σ (pn − ph)·ln(pn/ph)."""
    total_h, total_n = sum(h), sum(n)
    value = 0.0
    for a, b in zip(h, n):
        ph, pn = max(a / total_h, EPSILON), max(b / total_n, EPSILON)
        value += (pn - ph) * math.log(pn / ph)
    return value


def test_numeric_profile_matches_numpy_deciles_and_counts(data, history_profile) -> None:
    for name in ("x0", "x.1"):
        x = data["h"][name]
        present = np.sort(x[~np.isnan(x)])
        rows = _part(history_profile, name)
        bins = [r for r in rows if r["bin"] >= 0]
        assert [r["bin"] for r in rows] == [*range(len(bins)), MISSING_BIN]
        assert bins[0]["lower"] == -np.inf and bins[-1]["upper"] == np.inf
        edges = [r["upper"] for r in bins[:-1]]
        assert edges == sorted(set(edges)) and [r["lower"] for r in bins[1:]] == edges
        # Each edge is a data value within approxQuantile's rank error of a decile of numpy's sorted values.
        slack = RELATIVE_ERROR * len(present) + 1
        for e in edges:
            assert e in present
            low, high = np.searchsorted(present, e, "left"), np.searchsorted(present, e, "right")
            assert any(low - slack <= p * len(present) <= high + slack for p in DECILES), (name, e)
        assert [r["count"] for r in rows] == _numpy_counts(history_profile, name, x)
        assert sum(r["count"] for r in rows) == H_ROWS
    assert len([r for r in _part(history_profile, "x0") if r["bin"] >= 0]) == 10
    assert _part(history_profile, "x.1")[-1]["count"] == int(np.isnan(data["h"]["x.1"]).sum())  # null and NaN


def test_profile_edges_are_numpys_deciles_when_exact(data) -> None:
    """With relative error 0, approxQuantile is exact: the edges are numpy's inverted-CDF deciles."""
    exact = profile(data["H"], [("x0", NUMERIC)], relative_error=0.0)
    edges = [r["upper"] for r in exact.to_pylist() if r["bin"] >= 0][:-1]
    np.testing.assert_array_equal(edges, np.quantile(data["h"]["x0"], DECILES, method="inverted_cdf"))


def test_categorical_profile_counts_every_level(data, history_profile) -> None:
    cat = data["h"]["cat"]
    rows = _part(history_profile, "cat")
    levels, counts = np.unique([v for v in cat if v is not None], return_counts=True)
    want = sorted(zip(levels.tolist(), counts.tolist()), key=lambda lc: -lc[1])
    assert [(r["level"], r["count"]) for r in rows if r["bin"] >= 0] == want
    assert [r["bin"] for r in rows] == [0, 1, 2, MISSING_BIN, OTHER_BIN]
    assert rows[-2]["count"] == sum(v is None for v in cat) and rows[-1]["count"] == 0
    assert all(r["kind"] == CATEGORICAL and r["lower"] is None for r in rows)


def test_psi_of_a_frame_against_itself_is_zero(data, history_profile) -> None:
    again = profile_counts(data["H"], history_profile)
    assert again.equals(history_profile)
    assert all(s["psi"] == 0.0 and s["band"] == "stable" for s in shifts(history_profile, again))


def test_shifted_columns_get_large_psi_unshifted_stay_stable(data, history_profile) -> None:
    counts = profile_counts(data["N"], history_profile)
    found = {s["feature"]: s for s in shifts(history_profile, counts)}
    assert found["x0"]["psi"] > 0.25 and found["x0"]["band"] == "large"
    assert found["cat"]["psi"] > 0.25 and found["cat"]["band"] == "large"
    assert found["x.1"]["psi"] < 0.1 and found["cat2"]["psi"] < 0.1
    listed = [s["psi"] for s in shifts(history_profile, counts)]
    assert listed == sorted(listed, reverse=True)
    assert _part(counts, "cat")[-1]["count"] == int(sum(v == "z" for v in data["n"]["cat"]))  # the unseen level


def test_psi_equals_an_independent_numpy_computation(data, history_profile) -> None:
    counts = profile_counts(data["N"], history_profile)
    for s in shifts(history_profile, counts):
        name = s["feature"]
        h = _numpy_counts(history_profile, name, data["h"][name])
        n = _numpy_counts(history_profile, name, data["n"][name])
        assert [r["count"] for r in _part(counts, name)] == n
        assert s["psi"] == pytest.approx(_numpy_psi(h, n), rel=1e-12, abs=1e-15)


def test_psi_edge_cases() -> None:
    assert psi([5, 0, 5], [5, 0, 5]) == 0.0
    assert math.isnan(psi([0, 0], [1, 2])) and band(math.nan) is None
    assert psi([10, 0], [9, 1]) == pytest.approx((0.1 - EPSILON) * math.log(0.1 / EPSILON) + (0.9 - 1) * math.log(0.9))
    assert [band(v) for v in (0.0, 0.0999, 0.1, 0.25, 0.2501)] == ["stable", "stable", "moderate", "moderate", "large"]
    with pytest.raises(ValueError):
        psi([1, 2], [1, 2, 3])


def test_merge_profile_adds_counts_and_equals_the_union(spark, data, history_profile) -> None:
    counts = profile_counts(data["N"], history_profile)
    merged = merge_profile(history_profile, counts)
    assert merged.schema == history_profile.schema
    assert merged.drop(["count"]).equals(history_profile.drop(["count"]))
    np.testing.assert_array_equal(merged["count"].to_numpy(),
                                  history_profile["count"].to_numpy() + counts["count"].to_numpy())
    assert merged.equals(profile_counts(data["H"].unionByName(data["N"]), history_profile))
    for name, _ in COLUMNS:
        assert sum(r["count"] for r in _part(merged, name)) == H_ROWS + N_ROWS
    # A chained update compares against all of it: H ∪ N against N is less shifted than H against N.
    chained = {s["feature"]: s["psi"] for s in shifts(merged, counts)}
    first = {s["feature"]: s["psi"] for s in shifts(history_profile, counts)}
    assert chained["x0"] < first["x0"] and chained["cat"] < first["cat"]


def test_export_state_writes_the_profile_an_update_reads(spark, data, tmp_path) -> None:
    """The hook in export_state: state/profile.arrow, listed in state.json, read back through load_parent_state,
    and measured against the new rows after the parent's frozen stages (which keep the raw columns)."""
    features = Features(numeric=["x0", "x.1"], categorical=["cat", "cat2"])
    model = build_pipeline(features, LinearRegression(labelCol="y")).fit(data["H"])
    out = open_out(tmp_path.as_uri())
    export_state(model, export_stages(model), data["H"], out)
    state_doc = json.loads((tmp_path / "state" / "state.json").read_text())
    entry = next(f for f in state_doc["files"] if f["path"] == "state/profile.arrow")
    parent = load_parent_state(out)
    table = parent.read("profile")
    assert parent.has("profile") and entry["rows"] == table.num_rows
    assert table.drop(["count"]).equals(profile(data["H"], COLUMNS).drop(["count"]))
    assert table["count"].equals(profile(data["H"], COLUMNS)["count"])
    shift = measure_shift(table, frozen_stages(model).transform(data["N"]))
    assert (shift.history_rows, shift.new_rows) == (H_ROWS, N_ROWS)
    assert {s["feature"] for s in shift.facts(top=2)["shifts"]} == {"x0", "cat"}
    assert shift.child_profile.equals(merge_profile(table, profile_counts(data["N"], table)))


def test_a_profile_of_another_schema_or_unordered_bins_is_refused(history_profile) -> None:
    from mlship_runtime.errors import MlshipError
    from mlship_runtime.export.profile import features_of

    with pytest.raises(MlshipError, match="expected the columns"):
        features_of(history_profile.drop(["level"]))
    upper = history_profile["upper"].to_pylist()
    upper[0], upper[1] = upper[1], upper[0]
    with pytest.raises(MlshipError, match="increasing order"):
        features_of(history_profile.set_column(history_profile.schema.get_field_index("upper"), "upper",
                                               pa.array(upper, pa.float64())))
