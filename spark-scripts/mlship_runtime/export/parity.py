"""Build parity.arrow: sampled validation rows (topped up from training rows) with Spark's own outputs."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import col

MIN_PARITY_ROWS = 200
SAMPLE_SEED = 20261127

ARROW_TYPES = {"double": pa.float64(), "string": pa.utf8()}


@dataclass(frozen=True)
class ParitySample:
    """The parity table and where its rows came from."""

    table: pa.Table
    from_validation: int
    from_train: int

    def summary(self) -> dict[str, int]:
        """The metrics.json entry describing the sample."""
        return {"rows": self.table.num_rows, "fromValidation": self.from_validation, "fromTrain": self.from_train}


def _collect(scored: DataFrame, names: list[str], outputs: dict[str, str], limit: int) -> list[tuple]:
    """Up to `limit` rows of inputs + outputs, vectors turned into float64 lists."""
    out_cols = [outputs[k] for k in ("prediction", "probability", "rawPrediction") if k in outputs]
    # randomSplit sorts each partition, so the first rows are biased (nulls first); take a seeded random subset.
    picked = scored.orderBy(F.rand(SAMPLE_SEED)).limit(limit)
    rows = picked.select(*[col(c) for c in names + out_cols]).collect()
    n = len(names)
    return [tuple(r[:n]) + (float(r[n]),) + tuple(v.toArray().tolist() for v in r[n + 1:]) for r in rows]


def parity_sample(scored_validation: DataFrame, scored_train: DataFrame | None, inputs: list[dict[str, str]],
                  outputs: dict[str, str], max_rows: int) -> ParitySample:
    """Rows of the scored validation split, topped up to MIN_PARITY_ROWS from the scored training split."""
    names = [c["name"] for c in inputs]
    rows = _collect(scored_validation, names, outputs, max(max_rows, MIN_PARITY_ROWS))
    from_validation = len(rows)
    if from_validation < MIN_PARITY_ROWS and scored_train is not None:
        rows += _collect(scored_train, names, outputs, MIN_PARITY_ROWS - from_validation)
    fields = [pa.field(c["name"], ARROW_TYPES[c["type"]], nullable=True) for c in inputs]
    fields.append(pa.field("spark_prediction", pa.float64()))
    if "probability" in outputs:
        fields.append(pa.field("spark_probability", pa.list_(pa.float64())))
    if "rawPrediction" in outputs:
        fields.append(pa.field("spark_raw_prediction", pa.list_(pa.float64())))
    schema = pa.schema(fields)
    columns = list(zip(*rows)) if rows else [[] for _ in fields]
    table = pa.Table.from_arrays([pa.array(list(values), f.type) for values, f in zip(columns, fields)], schema=schema)
    return ParitySample(table=table, from_validation=from_validation, from_train=len(rows) - from_validation)
