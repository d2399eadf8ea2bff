"""Write deterministic example data sets (churn, house_prices) with numpy + pyarrow; no Spark needed.

    python generate_data.py --out data [--format parquet|csv] [--seed 7]

writes data/churn/part-0.<ext> and data/house_prices/part-0.<ext>; the same arguments give
byte-identical files on every run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

DEFAULT_SEED = 7
FORMATS = ("parquet", "csv")


def _choice(rng: np.random.Generator, levels: list[str], weights: list[float], n: int) -> np.ndarray:
    """n draws of levels with the given (normalised) weights."""
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(np.asarray(levels, dtype=object), size=n, p=p / p.sum())


def _mask(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """True for roughly `rate` of n rows: the ones made missing."""
    return rng.random(n) < rate


def _nullable(values: np.ndarray, missing: np.ndarray, arrow_type: pa.DataType) -> pa.Array:
    """An Arrow array with nulls where `missing` is True."""
    return pa.array([None if m else v for v, m in zip(values.tolist(), missing.tolist())], type=arrow_type)


def churn(rng: np.random.Generator, n: int = 10_000) -> pa.Table:
    """Telecom customers; `churned` (0/1) follows a logistic function of the features."""
    contract = _choice(rng, ["month-to-month", "one-year", "two-year"], [0.55, 0.25, 0.20], n)
    payment = _choice(rng, ["electronic_check", "mailed_check", "bank_transfer", "credit_card", "crypto"],
                      [0.34, 0.22, 0.22, 0.215, 0.005], n)
    region = _choice(rng, ["north", "south", "east", "west", "central"], [0.24, 0.22, 0.2, 0.2, 0.14], n)
    long_contract = contract != "month-to-month"
    tenure = np.clip(np.round(rng.exponential(18.0, n) + long_contract * rng.uniform(6, 30, n)), 0, 72).astype(np.int64)
    monthly = np.round(rng.uniform(18.0, 118.0, n), 2)
    total = np.round(monthly * tenure * rng.normal(1.0, 0.04, n), 2)
    calls = rng.poisson(1.3, n).astype(np.int64)
    margin = (-1.5 + 1.25 * (contract == "month-to-month") - 0.9 * (contract == "two-year")
              - 0.045 * tenure + 0.018 * (monthly - 65.0) + 0.38 * calls
              + 0.55 * (payment == "electronic_check") + 1.2 * (payment == "crypto")
              + 0.15 * (region == "south") - 0.1 * (region == "central"))
    churned = (rng.random(n) < 1.0 / (1.0 + np.exp(-margin))).astype(np.int64)
    return pa.table({
        "customer_id": pa.array([f"C{i:06d}" for i in range(n)], pa.utf8()),
        "tenure_months": _nullable(tenure, _mask(rng, n, 0.04), pa.int64()),
        "monthly_charges": _nullable(monthly, _mask(rng, n, 0.03), pa.float64()),
        "total_charges": _nullable(total, _mask(rng, n, 0.05), pa.float64()),
        "support_calls": _nullable(calls, _mask(rng, n, 0.035), pa.int64()),
        "contract": _nullable(contract, _mask(rng, n, 0.01), pa.utf8()),
        "payment_method": _nullable(payment, _mask(rng, n, 0.01), pa.utf8()),
        "region": _nullable(region, _mask(rng, n, 0.005), pa.utf8()),
        "churned": pa.array(churned, pa.int64()),
    })


def house_prices(rng: np.random.Generator, n: int = 8_000) -> pa.Table:
    """Home sales; `price` is a linear function of the features plus noise."""
    cities = ["Lisbon", "Porto", "Braga", "Coimbra", "Faro", "Evora"]
    premium = {"Lisbon": 95_000.0, "Porto": 60_000.0, "Braga": 20_000.0, "Coimbra": 25_000.0,
               "Faro": 45_000.0, "Evora": 0.0}
    city = _choice(rng, cities, [0.35, 0.27, 0.15, 0.12, 0.105, 0.005], n)
    area = np.round(np.clip(rng.lognormal(np.log(85.0), 0.35, n), 25.0, 400.0), 1)
    rooms = np.clip(np.round(area / 28.0 + rng.normal(0.0, 0.7, n)), 1, 9).astype(np.int64)
    age = np.clip(np.round(rng.gamma(2.0, 14.0, n)), 0, 120).astype(np.int64)
    distance = np.round(rng.exponential(7.5, n), 2)
    price = (40_000.0 + np.vectorize(premium.get)(city) + 2_600.0 * area + 9_000.0 * rooms
             - 850.0 * age - 3_800.0 * distance + rng.normal(0.0, 28_000.0, n))
    return pa.table({
        "listing_id": pa.array(np.arange(1, n + 1, dtype=np.int64), pa.int64()),
        "area_sqm": _nullable(area, _mask(rng, n, 0.03), pa.float64()),
        "rooms": _nullable(rooms, _mask(rng, n, 0.02), pa.int64()),
        "age_years": _nullable(age, _mask(rng, n, 0.04), pa.int64()),
        "distance_km": _nullable(distance, _mask(rng, n, 0.03), pa.float64()),
        "city": _nullable(city, _mask(rng, n, 0.01), pa.utf8()),
        "price": pa.array(np.round(np.maximum(price, 30_000.0), 0), pa.float64()),
    })


DATASETS: dict[str, Callable[[np.random.Generator], pa.Table]] = {"churn": churn, "house_prices": house_prices}


def write_table(table: pa.Table, folder: Path, data_format: str) -> Path:
    """Write part-0.<format> into folder, removing a part-0 of the other format so Spark reads one kind."""
    folder.mkdir(parents=True, exist_ok=True)
    for other in FORMATS:
        stale = folder / f"part-0.{other}"
        if other != data_format and stale.exists():
            stale.unlink()
    path = folder / f"part-0.{data_format}"
    if data_format == "parquet":
        pq.write_table(table, path, compression="snappy")
    else:
        pacsv.write_csv(table, path)
    return path


def generate(out: Path, data_format: str = "parquet", seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write every data set under out/; each gets its own generator so one never shifts another."""
    return {name: write_table(make(np.random.default_rng([seed, i])), out / name, data_format)
            for i, (name, make) in enumerate(DATASETS.items())}


def main(argv: list[str] | None = None) -> int:
    """Command line: --out, --format, --seed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("data"), help="folder to write into (default: data)")
    parser.add_argument("--format", choices=FORMATS, default="parquet", help="file format (default: parquet)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    for name, path in generate(args.out, args.format, args.seed).items():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
