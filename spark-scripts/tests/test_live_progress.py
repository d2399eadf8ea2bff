"""Live progress (mlship_runtime/live_progress.py): phases from progress messages, stage counts from a fake
tracker, then the real status tracker of the session's Spark while a job runs."""

from __future__ import annotations

import io
import json
import time
from types import SimpleNamespace
from typing import Any

from mlship_runtime import live_progress as lp
from mlship_runtime.supervisor import EVENT_PREFIX


def events(text: str) -> list[dict[str, Any]]:
    """The event lines' JSON documents, in order."""
    return [json.loads(line[len(EVENT_PREFIX):]) for line in text.splitlines() if line.startswith(EVENT_PREFIX)]


class FakeTracker:
    """A status tracker whose one stage advances when the test says so."""

    def __init__(self) -> None:
        self.done = 0

    def getActiveJobsIds(self) -> list[int]:  # noqa: N802 - pyspark's spelling
        return [3]

    def getActiveStageIds(self) -> list[int]:  # noqa: N802
        return [7]

    def getStageInfo(self, stage_id: int) -> Any:  # noqa: N802
        return SimpleNamespace(stageId=stage_id, name="treeAggregate at RandomForest.scala:548", numTasks=40,
                               numCompletedTasks=self.done, numActiveTasks=2, numFailedTasks=0)


def test_phases_follow_the_progress_messages() -> None:
    assert lp.phase_of("reading parquet data from /d") == "reading"
    assert lp.phase_of("loading churn@3 from file:///s") == "reading"
    assert lp.phase_of("fitting random_forest on 800 rows, validating on 200") == "fitting"
    assert lp.phase_of("updating churn@3 (LogisticRegressionModel) in mode exact on 50 new rows") == "fitting"
    assert lp.phase_of("scoring the validation split") == "evaluating"
    assert lp.phase_of("writing the model to file:///s/m") == "exporting"
    assert lp.phase_of("800 rows") is None


def test_a_phase_event_precedes_the_message_that_starts_it_and_only_once() -> None:
    out = io.StringIO()
    live = lp.LiveProgress(FakeTracker(), out=out)
    live.log("reading csv data from /d")
    live.log("800 rows")
    live.log("fitting logistic_regression on 640 rows, validating on 160")
    assert out.getvalue().splitlines() == [
        'mlship: event {"phase":"reading"}',
        "mlship: reading csv data from /d",
        "mlship: 800 rows",
        'mlship: event {"phase":"fitting"}',
        "mlship: fitting logistic_regression on 640 rows, validating on 160",
    ]


def test_stage_counts_print_only_when_they_change() -> None:
    out = io.StringIO()
    tracker = FakeTracker()
    live = lp.LiveProgress(tracker, out=out)
    live.log("fitting gbt on 10 rows")
    assert live.poll_once()
    assert not live.poll_once()  # nothing moved: no line
    tracker.done = 12
    assert live.poll_once()
    got = events(out.getvalue())
    assert got[1] == {"phase": "fitting", "progress": {"jobs": [3], "stages": [
        {"id": 7, "name": "treeAggregate at RandomForest.scala:548", "tasks": 40, "done": 0, "active": 2, "failed": 0}]}}
    assert got[2]["progress"]["stages"][0]["done"] == 12
    assert len(got) == 3


def test_the_real_status_tracker_reports_a_running_job_and_the_thread_stops(spark: Any) -> None:
    out = io.StringIO()
    live = lp.start_progress(spark, poll=0.05, out=out)
    try:
        spark.sparkContext.parallelize(range(4), 4).map(lambda x: time.sleep(0.4) or x).count()
    finally:
        live.stop()
    assert live._thread is not None and not live._thread.is_alive()
    stages = [s for e in events(out.getvalue()) for s in e["progress"]["stages"]]
    assert stages, out.getvalue()
    assert all(s["tasks"] == 4 and 0 <= s["done"] <= 4 and "count at" in s["name"] for s in stages)
    assert events(out.getvalue())[-1]["progress"] == {"jobs": [], "stages": []}  # the job ended: nothing active
    text = out.getvalue()
    time.sleep(0.2)
    assert out.getvalue() == text  # stopped: no more lines
