"""The independent held-out check (test/integration/heldout-routes.test.ts), its Spark side.

    heldout.py generate OUT           data sets shaped unlike the examples: numeric categoricals read as
                                      double or int, text labels, spaces, capitals and dots in names,
                                      nulls, rare and unseen levels, a tiny data set; train.csv plus held-out rows as CSV, JSON
                                      lines, an Arrow file and parquet, each with a row_id
    heldout.py score CASES_JSON       Spark's own answers for the held-out rows: each case's saved
                                      PipelineModel on heldout.csv read with the training file's schema
                                      and cast as mlship's trainer casts; writes spark.jsonl per case

CASES_JSON is a list of {"dir": case folder, "model": the version's model/ folder, "numeric": [...],
"categorical": [...]}. One SparkSession for every case.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq

SEED = 20261207


def _nulls(rng: np.random.Generator, values: list, rate: float) -> list:
    """The values with about `rate` of them replaced by None."""
    return [None if rng.random() < rate else v for v in values]


def diabetes(rng: np.random.Generator, n: int) -> pa.Table:
    """Regression; `sex` is a categorical stored as 1.0/2.0 (Spark reads it as double: levels "1.0", "2.0")."""
    age = rng.integers(20, 80, n)
    sex = rng.choice([1.0, 2.0], n)
    bmi = np.round(rng.normal(26, 4, n), 1)
    bp = np.round(rng.normal(94, 13, n), 2)
    y = 150 + 0.6 * (age - 50) + 9.5 * (bmi - 26) + 0.9 * (bp - 94) - 12 * (sex == 2.0) + rng.normal(0, 20, n)
    return pa.table({
        "row_id": pa.array(np.arange(n), pa.int64()),
        "Age": pa.array(age, pa.int64()),
        "sex": pa.array(sex, pa.float64()),
        "Body Mass": pa.array(_nulls(rng, bmi.tolist(), 0.05), pa.float64()),
        "bp": pa.array(bp, pa.float64()),
        "progression": pa.array(np.round(y, 2), pa.float64()),
    })


def wine(rng: np.random.Generator, n: int) -> pa.Table:
    """Three text classes; a categorical with a rare level; capitals and spaces in names."""
    cls = rng.choice(["barolo", "grignolino", "barbera"], n, p=[0.33, 0.4, 0.27])
    shift = {"barolo": 1.2, "grignolino": -0.9, "barbera": 0.1}
    s = np.array([shift[c] for c in cls])
    alcohol = np.round(13 + 0.6 * s + rng.normal(0, 0.5, n), 2)
    malic = np.round(2.3 - 0.8 * s + rng.normal(0, 0.9, n), 2)
    color = np.round(5 + 1.5 * s + rng.normal(0, 1.3, n), 2)
    vineyard = rng.choice(["Langhe", "Roero", "Monferrato", "Asti Hills"], n, p=[0.45, 0.3, 0.22, 0.03])
    return pa.table({
        "row_id": pa.array(np.arange(n), pa.int64()),
        "Alcohol": pa.array(alcohol, pa.float64()),
        "Malic Acid": pa.array(malic, pa.float64()),
        "color_intensity": pa.array(color, pa.float64()),
        "Vineyard": pa.array(vineyard.tolist(), pa.utf8()),
        "cultivar": pa.array(cls.tolist(), pa.utf8()),
    })


def messy(rng: np.random.Generator, n: int) -> pa.Table:
    """Binary; nulls in numbers and text, an integer-coded categorical (levels "1", "2", "3"), a rare level."""
    plan = rng.choice([1, 2, 3], n, p=[0.5, 0.35, 0.15])
    usage = np.round(rng.gamma(2.0, 30.0, n), 1)
    tickets = rng.poisson(1.1, n)
    channel = rng.choice(["web", "store", "phone", "partner"], n, p=[0.5, 0.3, 0.18, 0.02])
    margin = -1.0 + 0.8 * (plan == 1) - 0.01 * (usage - 60) + 0.5 * tickets + 0.7 * (channel == "phone")
    label = (rng.random(n) < 1 / (1 + np.exp(-margin))).astype(np.int64)
    return pa.table({
        "row_id": pa.array(np.arange(n), pa.int64()),
        "plan": pa.array(_nulls(rng, plan.tolist(), 0.03), pa.int64()),
        "monthly usage": pa.array(_nulls(rng, usage.tolist(), 0.08), pa.float64()),
        "tickets": pa.array(tickets, pa.int64()),
        "Channel": pa.array(_nulls(rng, channel.tolist(), 0.04), pa.utf8()),
        "left": pa.array(label, pa.int64()),
    })


def iris(rng: np.random.Generator, n: int) -> pa.Table:
    """Tiny (105 training rows), three text classes, dots in every name, a categorical stored as 1.0/2.0/3.0."""
    cls = rng.choice(["setosa", "versicolor", "virginica"], n)
    k = np.array([{"setosa": 0, "versicolor": 1, "virginica": 2}[c] for c in cls])
    return pa.table({
        "row_id": pa.array(np.arange(n), pa.int64()),
        "petal.length": pa.array(np.round(1.5 + 2.2 * k + rng.normal(0, 0.6, n), 1), pa.float64()),
        "sepal.width": pa.array(np.round(3.4 - 0.3 * k + rng.normal(0, 0.35, n), 1), pa.float64()),
        "site.code": pa.array(rng.choice([1.0, 2.0, 3.0], n), pa.float64()),
        "species.name": pa.array(cls.tolist(), pa.utf8()),
    })


CASES = {"diabetes": (diabetes, 420, 130), "wine": (wine, 330, 110), "messy": (messy, 460, 150), "iris": (iris, 105, 45)}


def write_csv(table: pa.Table, path: Path) -> None:
    """CSV with a header, doubles as Python writes them ("2.0", so Spark infers double), nulls empty."""
    with open(path, "w", encoding="utf8", newline="") as f:
        w = csv.writer(f)
        w.writerow(table.column_names)
        for row in table.to_pylist():
            w.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row.values()])


def generate(out: Path) -> None:
    """Writes OUT/<case>/train.csv and the held-out rows in four formats (the label column left out)."""
    rng = np.random.default_rng(SEED)
    for name, (make, n_train, n_heldout) in CASES.items():
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        table = make(rng, n_train + n_heldout)
        train = table.slice(0, n_train)
        label = table.column_names[-1]
        heldout = table.slice(n_train).drop_columns([label])
        if name == "wine":  # a level training never saw
            vineyard = heldout.column("Vineyard").to_pylist()
            vineyard[0] = "Barbaresco"
            heldout = heldout.set_column(heldout.schema.get_field_index("Vineyard"), "Vineyard", pa.array(vineyard, pa.utf8()))
        write_csv(train, folder / "train.csv")
        write_csv(heldout, folder / "heldout.csv")
        feather.write_feather(heldout, folder / "heldout.arrow", compression="uncompressed")
        pq.write_table(heldout, folder / "heldout.parquet")
        with open(folder / "heldout.jsonl", "w", encoding="utf8") as f:
            for row in heldout.to_pylist():
                f.write(json.dumps(row) + "\n")


def score(cases_file: Path) -> None:
    """Writes <dir>/spark.jsonl per case: row_id, Spark's prediction, probability and raw prediction."""
    from pyspark.ml import PipelineModel
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = (SparkSession.builder.master("local[2]").appName("mlship-heldout")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for case in json.loads(cases_file.read_text()):
            folder = Path(case["dir"])
            schema = spark.read.option("header", True).option("inferSchema", True).csv(str(folder / "train.csv")).schema
            rows = spark.read.option("header", True).schema(schema).csv(str(folder / "heldout.csv"))
            q = lambda c: F.col(f"`{c}`")  # noqa: E731
            prepared = rows.select(
                q("row_id"),
                *[q(c).cast("double").alias(c) for c in case["numeric"]],
                *[q(c).cast("string").alias(c) for c in case["categorical"]],
            )
            model = PipelineModel.load(Path(case["model"], "spark").resolve().as_uri())
            out = model.transform(prepared)
            cols = [q("row_id"), F.col("prediction")]
            for name in ("probability", "rawPrediction"):
                if name in out.columns:
                    cols.append(vector_to_array(F.col(name)).alias(name))
            with open(folder / "spark.jsonl", "w", encoding="utf8") as f:
                for r in out.select(*cols).orderBy("row_id").collect():
                    f.write(json.dumps(r.asDict()) + "\n")
    finally:
        spark.stop()


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(Path(sys.argv[2]))
    else:
        score(Path(sys.argv[2]))
