"""Build parity.arrow: sampled validation rows (topped up from training rows) with Spark's own outputs.

The TypeScript certificate (src/certify/parity.ts) needs MIN_PARITY_ROWS rows, or every row Spark scored when the
data has fewer (ALL_ROWS_KEY in the file's schema metadata says so) and at least MIN_DATA_ROWS; keep both in step.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import col

# A sample of part of the data needs this many rows.
MIN_PARITY_ROWS = 200
# The fewest rows mlship trains on: below MIN_PARITY_ROWS the sample holds every row, and this many at least.
MIN_DATA_ROWS = 20
# parity.arrow schema metadata: "true" when the sample holds every row Spark scored (validation and training).
ALL_ROWS_KEY = "mlship.allRows"
SAMPLE_SEED = 20261127

ARROW_TYPES = {"double": pa.float64(), "string": pa.utf8()}


@dataclass(frozen=True)
class ParitySample:
    """The parity table and where its rows came from."""

    table: pa.Table
    from_validation: int
    from_train: int
    all_rows: bool  # every row Spark scored in both splits is in the sample

    def summary(self) -> dict[str, int | bool]:
        """The metrics.json entry describing the sample."""
        return {"rows": self.table.num_rows, "fromValidation": self.from_validation, "fromTrain": self.from_train,
                "allRows": self.all_rows}


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
    """Up to max_rows (at least MIN_PARITY_ROWS) scored rows: validation rows first, then training rows.

    When the two splits have fewer rows than that, the sample holds every one of them (all_rows).
    """
    names = [c["name"] for c in inputs]
    size = max(max_rows, MIN_PARITY_ROWS)
    rows = _collect(scored_validation, names, outputs, size)
    from_validation = len(rows)
    if from_validation < size and scored_train is not None:
        rows += _collect(scored_train, names, outputs, size - from_validation)
    # Fewer rows than asked for from each split means each split ran out: the sample holds every scored row.
    all_rows = scored_train is not None and len(rows) < size
    fields = [pa.field(c["name"], ARROW_TYPES[c["type"]], nullable=True) for c in inputs]
    fields.append(pa.field("spark_prediction", pa.float64()))
    if "probability" in outputs:
        fields.append(pa.field("spark_probability", pa.list_(pa.float64())))
    if "rawPrediction" in outputs:
        fields.append(pa.field("spark_raw_prediction", pa.list_(pa.float64())))
    schema = pa.schema(fields, metadata={ALL_ROWS_KEY: "true" if all_rows else "false"})
    columns = list(zip(*rows)) if rows else [[] for _ in fields]
    table = pa.Table.from_arrays([pa.array(list(values), f.type) for values, f in zip(columns, fields)], schema=schema)
    return ParitySample(table=table, from_validation=from_validation, from_train=len(rows) - from_validation,
                        all_rows=all_rows)
