"""The example data generator: deterministic bytes, realistic shape, both formats."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.compute as pc
import pyarrow.parquet as pq

import generate_data


def test_runs_are_byte_identical(tmp_path: Path) -> None:
    first = generate_data.generate(tmp_path / "a")
    second = generate_data.generate(tmp_path / "b")
    for name in generate_data.DATASETS:
        assert first[name].read_bytes() == second[name].read_bytes()
    again = generate_data.generate(tmp_path / "a")  # idempotent in place
    assert again["churn"].read_bytes() == second["churn"].read_bytes()


def test_churn_is_realistic(example_data: Path) -> None:
    table = pq.read_table(example_data / "churn" / "part-0.parquet")
    assert table.num_rows == 10_000
    for column in ("tenure_months", "monthly_charges", "total_charges", "support_calls"):
        assert 0.02 <= table[column].null_count / table.num_rows <= 0.06, column
    for column in ("contract", "payment_method", "region"):
        assert 0 < table[column].null_count < 200, column
    assert set(pc.unique(table["contract"]).to_pylist()) == {"month-to-month", "one-year", "two-year", None}
    crypto = pc.sum(pc.equal(table["payment_method"], "crypto")).as_py()
    assert 0.002 <= crypto / table.num_rows <= 0.01
    rate = pc.mean(table["churned"]).as_py()
    assert 0.15 <= rate <= 0.4 and table["churned"].null_count == 0


def test_house_prices_is_realistic(example_data: Path) -> None:
    table = pq.read_table(example_data / "house_prices" / "part-0.parquet")
    assert table.num_rows == 8_000
    for column in ("area_sqm", "rooms", "age_years", "distance_km", "city"):
        assert table[column].null_count > 0, column
    counts = {r["values"]: r["counts"] for r in pc.value_counts(table["city"]).to_pylist()}
    assert min(v for k, v in counts.items() if k is not None) / table.num_rows < 0.01  # a rare city
    assert pc.min(table["price"]).as_py() > 0


def test_csv_format_replaces_parquet(tmp_path: Path) -> None:
    generate_data.generate(tmp_path, "parquet")
    paths = generate_data.generate(tmp_path, "csv")
    assert not (tmp_path / "churn" / "part-0.parquet").exists()
    table = pacsv.read_csv(paths["churn"])
    assert table.num_rows == 10_000 and "churned" in table.column_names
