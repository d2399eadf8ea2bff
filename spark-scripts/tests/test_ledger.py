"""The driver's report for the input ledger: data.partitionColumn parsing, inputFiles and the watermark."""

from __future__ import annotations

import datetime
import decimal
import json
from pathlib import Path

import pytest

from mlship_runtime.errors import MlshipError
from mlship_runtime.job import parse_job
from mlship_runtime.ledger import json_value, read_report

JOB = {"name": "churn", "model": {"algorithm": "logistic_regression", "label": "y", "features": {"numeric": ["x"]}},
       "data": {"train": "/data/churn"}}


def test_partition_column_is_optional_and_read_when_given() -> None:
    assert parse_job(json.dumps(JOB)).partition_column is None
    with_column = {**JOB, "data": {"train": "/data/churn", "partitionColumn": "day"}}
    assert parse_job(json.dumps(with_column)).partition_column == "day"
    with pytest.raises(MlshipError, match="data.partitionColumn: expected a non-empty string"):
        parse_job(json.dumps({**JOB, "data": {"train": "/d", "partitionColumn": 3}}))


@pytest.mark.parametrize(("value", "as_json"), [
    (None, None), (3, 3), (2.5, 2.5), ("2026-12-01", "2026-12-01"), (True, True),
    (datetime.date(2026, 12, 1), "2026-12-01"), (datetime.datetime(2026, 12, 1, 8, 30), "2026-12-01T08:30:00"),
    (decimal.Decimal("1.50"), "1.50"),
])
def test_json_value(value: object, as_json: object) -> None:
    assert json_value(value) == as_json


def test_report_lists_the_files_read_and_the_highest_partition(spark, tmp_path: Path) -> None:
    for day, rows in (("2026-12-01", 3), ("2026-12-02", 2)):
        folder = tmp_path / "data" / f"day={day}"
        folder.mkdir(parents=True)
        (folder / "part-0.csv").write_text("x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(rows)))
    (tmp_path / "data" / "_SUCCESS").write_text("")
    frame = spark.read.option("header", "true").csv(str(tmp_path / "data"))
    report = read_report(frame, "day")
    assert [f.rsplit("/", 2)[-2:] for f in report["files"]] == [["day=2026-12-01", "part-0.csv"],
                                                               ["day=2026-12-02", "part-0.csv"]]
    assert report["watermark"] == {"column": "day", "value": "2026-12-02"}
    assert read_report(frame, None)["watermark"] is None
    with pytest.raises(MlshipError, match="data.partitionColumn: the training data has no column 'month'"):
        read_report(frame, "month")
