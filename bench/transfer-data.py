"""The related-task data of bench/transfer.mjs, deterministic: a churn source task in four regions and a target
task in a fifth region whose coefficients differ, plus a target-only effect (the column `promo`).

Usage: python bench/transfer-data.py OUT_DIR SOURCE_ROWS TARGET_SIZES(comma) EVAL_ROWS
Writes OUT_DIR/source/part-0.parquet, OUT_DIR/target-<n>/part-0.parquet for each size, OUT_DIR/eval.csv.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

SOURCE_BETA = np.array([0.9, -0.7, 0.5, 0.0, -0.4])
TARGET_BETA = SOURCE_BETA + np.array([0.3, 0.2, -0.3, 0.4, 0.0])  # the related task: coefficients that moved
REGION_EFFECT = {"north": 0.3, "south": -0.2, "east": 0.1, "west": -0.1, "central": 0.0}
PROMO_EFFECT = -0.8  # the target-only effect


def rows(rng: np.random.Generator, n: int, regions: list[str], beta: np.ndarray, promo: float) -> pa.Table:
    """n rows of x1..x5, region, promo and the label drawn from the logistic model."""
    x = rng.normal(0.0, 1.0, size=(n, 5))
    region = rng.choice(np.array(regions), n)
    p_promo = rng.random(n) < 0.3
    margin = -0.3 + x @ beta + np.vectorize(REGION_EFFECT.get)(region) + promo * p_promo
    label = (rng.random(n) < 1.0 / (1.0 + np.exp(-margin))).astype(np.int64)
    cols = {f"x{i + 1}": x[:, i] for i in range(5)}
    return pa.table({**cols, "region": region, "promo": p_promo.astype(np.float64), "churned": label})


def main(out: str, source_rows: int, sizes: list[int], eval_rows: int) -> None:
    """Write the source, each target size (nested: the first n rows of one target sample) and the evaluation rows."""
    rng = np.random.default_rng(20261207)
    os.makedirs(os.path.join(out, "source"), exist_ok=True)
    pq.write_table(rows(rng, source_rows, ["north", "south", "east", "west"], SOURCE_BETA, 0.0),
                   os.path.join(out, "source", "part-0.parquet"))
    target = rows(rng, max(sizes), ["central"], TARGET_BETA, PROMO_EFFECT)
    for n in sizes:
        os.makedirs(os.path.join(out, f"target-{n}"), exist_ok=True)
        pq.write_table(target.slice(0, n), os.path.join(out, f"target-{n}", "part-0.parquet"))
    pacsv.write_csv(rows(rng, eval_rows, ["central"], TARGET_BETA, PROMO_EFFECT), os.path.join(out, "eval.csv"))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), [int(v) for v in sys.argv[3].split(",")], int(sys.argv[4]))
