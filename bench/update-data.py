"""Data for bench/update.mjs: a history of H rows and a fixed batch of new rows with drift, plus an evaluation set
drawn like the new rows; the new rows and the evaluation set go beside OUT_DIR (new.parquet, eval.arrow). Columns: x1..x8 (numeric), c (categorical), y (regression), churned (0/1).
Usage: python bench/update-data.py OUT_DIR HISTORY_ROWS NEW_ROWS EVAL_ROWS SEED"""

from __future__ import annotations

import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

P = 8
LEVELS = np.array(["a", "b", "c", "d"])
PART_ROWS = 100_000


def rows(n: int, rng: np.random.Generator, drift: float) -> pa.Table:
    """n rows; `drift` moves the feature means and the true coefficients (0 for the history)."""
    x = rng.normal(loc=drift * np.linspace(-1, 1, P), scale=1.0, size=(n, P))
    c = rng.choice(LEVELS, size=n, p=[0.4, 0.3, 0.2, 0.1])
    beta = np.linspace(1.0, -1.0, P) * (1 + drift)
    level_effect = {"a": 0.0, "b": 0.5, "c": -0.5, "d": 1.0}
    effect = np.vectorize(level_effect.get)(c)
    margin = x @ beta + effect
    y = 3.0 + margin + rng.normal(scale=0.5, size=n)
    churned = (rng.random(n) < 1 / (1 + np.exp(-(margin - 0.2)))).astype(np.float64)
    cols = {f"x{i + 1}": x[:, i] for i in range(P)}
    return pa.table({**cols, "c": c, "y": y, "churned": churned})


def main(out: str, history: int, new: int, evaluation: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    os.makedirs(out, exist_ok=True)
    for i, start in enumerate(range(0, history, PART_ROWS)):
        pq.write_table(rows(min(PART_ROWS, history - start), rng, 0.0), os.path.join(out, f"history-{i:03d}.parquet"))
    side = os.path.dirname(out.rstrip("/"))  # beside the data folder: Spark reads every file inside it
    pq.write_table(rows(new, rng, 0.3), os.path.join(side, "new.parquet"))
    table = rows(evaluation, rng, 0.3)
    with pa.ipc.new_file(os.path.join(side, "eval.arrow"), table.schema) as writer:  # mlship predict reads Arrow
        writer.write_table(table)


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], int(a[1]), int(a[2]), int(a[3]), int(a[4]))
