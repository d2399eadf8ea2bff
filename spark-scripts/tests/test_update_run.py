"""update/run.py's own parts: labels frozen to the parent's classes, the rows it reads, the history it counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlship_runtime.errors import MlshipError
from mlship_runtime.job import parse_job
from mlship_runtime.prepare import Parent, prepare
from mlship_runtime.storage import open_out
from mlship_runtime.update.run import Rows, history_rows, parse_update, read_rows


def _job(tmp: Path, algorithm: str = "logistic_regression") -> object:
    return parse_job(json.dumps({"name": "t", "model": {"algorithm": algorithm, "label": "y",
                                                        "features": {"numeric": ["a"], "categorical": []}},
                                 "data": {"train": str(tmp), "format": "parquet"}}))


def test_new_rows_may_hold_one_class_of_the_parents(spark, tmp_path: Path) -> None:
    df = spark.createDataFrame([(float(i), "yes") for i in range(30)], ["a", "y"])
    prepared = prepare(df, _job(tmp_path), parent=Parent(["no", "yes"]))
    assert prepared.label_values == ["no", "yes"]
    assert {r[0] for r in prepared.frame.select(prepared.label).collect()} == {1.0}  # "yes" keeps index 1


def test_a_class_the_parent_never_saw_is_refused_as_an_update_error(spark, tmp_path: Path) -> None:
    df = spark.createDataFrame([(1.0, "no"), (2.0, "maybe"), (3.0, "yes")], ["a", "y"])
    with pytest.raises(MlshipError) as err:
        prepare(df, _job(tmp_path), parent=Parent(["no", "yes"]))
    assert err.value.error_code == "E_UPDATE"
    assert "'maybe'" in err.value.problems[0] and "mlship train" in err.value.problems[0]


def test_numeric_class_indices_beyond_the_parents_count_are_refused(spark, tmp_path: Path) -> None:
    df = spark.createDataFrame([(1.0, 0), (2.0, 2)], ["a", "y"])
    with pytest.raises(MlshipError, match="class indices 0 to 1"):
        prepare(df, _job(tmp_path), parent=Parent(2))


def test_read_rows_reads_named_files_with_the_partition_base_and_a_watermark_predicate(spark, tmp_path: Path) -> None:
    for day in ("2026-12-01", "2026-12-02"):
        spark.createDataFrame([(1.0, "no"), (2.0, "yes")], ["a", "y"]).write.parquet(str(tmp_path / f"day={day}"))
    job = _job(tmp_path)
    files = sorted(str(p) for p in (tmp_path / "day=2026-12-02").glob("*.parquet"))
    named = read_rows(spark, job, Rows(files=[f"file://{f}" for f in files]), "new data")
    assert {r["day"].isoformat() if hasattr(r["day"], "isoformat") else r["day"] for r in named.collect()} == {"2026-12-02"}
    above = read_rows(spark, job, Rows(files=[], column="day", op=">", value="2026-12-01"), "new data")
    assert above.count() == 2
    at_or_below = read_rows(spark, job, Rows(files=[], column="day", op="<=", value="2026-12-01"), "history")
    assert at_or_below.count() == 2


def test_history_rows_of_a_trained_and_of_an_updated_parent(tmp_path: Path) -> None:
    trained = tmp_path / "trained"
    trained.mkdir()
    (trained / "metrics.json").write_text(json.dumps({"rows": {"train": 80, "validation": 20}}))
    assert history_rows(open_out(trained.as_uri())) == 100
    (trained / "update.json").write_text(json.dumps({"rows": {"history": 100, "new": 40}}))
    assert history_rows(open_out(trained.as_uri())) == 140


def test_parse_update_reads_what_job_json_writes_and_refuses_a_malformed_block() -> None:
    req = parse_update({"mode": "exact", "parent": {"ref": "m@1", "uri": "file:///s/m"},
                        "new": {"files": ["file:///d/a.parquet"]},
                        "history": {"files": [], "where": {"column": "day", "op": "<=", "value": "2026-12-01"}},
                        "options": {"decay": 0.5}})
    assert (req.options.mode, req.options.decay, req.new.files, req.history.op) == ("exact", 0.5, ["file:///d/a.parquet"], "<=")
    with pytest.raises(MlshipError, match="malformed update block"):
        parse_update({"mode": "exact"})
