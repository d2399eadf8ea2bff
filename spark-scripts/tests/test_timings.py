"""Debug step timings (mlship_runtime/timings.py): MLSHIP_DEBUG turns them on, each progress message closes the
step before it with its wall seconds and Spark jobs, and a `debug: ` mark prints only then."""

from __future__ import annotations

import io

from mlship_runtime import live_progress as lp
from mlship_runtime import timings as t
from mlship_runtime.progress import progress
from mlship_runtime.supervisor import EVENT_PREFIX


class Jobs:
    """A tracker whose job ids the test sets."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def getJobIdsForGroup(self, group: object) -> list[int]:  # noqa: N802 - pyspark's spelling
        return list(self.ids)


def test_debug_is_on_for_any_value_but_empty_0_and_false() -> None:
    assert t.debug_enabled({"MLSHIP_DEBUG": "1"}) and t.debug_enabled({"MLSHIP_DEBUG": "yes"})
    assert not any(t.debug_enabled(env) for env in ({}, {"MLSHIP_DEBUG": ""}, {"MLSHIP_DEBUG": "0"},
                                                    {"MLSHIP_DEBUG": "false"}))


def test_jobs_so_far_counts_from_the_highest_job_id() -> None:
    tracker = Jobs()
    assert t.jobs_so_far(tracker) == 0
    tracker.ids = [4, 0, 2]
    assert t.jobs_so_far(tracker) == 5


def test_each_message_closes_the_step_before_it() -> None:
    now, jobs = [10.0], [0]
    clock = t.StepClock(lambda: jobs[0], clock=lambda: now[0], started=8.5)
    now[0], jobs[0] = 12.0, 0
    assert clock.step("loading churn@3") == "debug: 3.50 s, 0 Spark jobs: start of the driver"
    now[0], jobs[0] = 13.25, 7
    assert clock.step("reading") == "debug: 1.25 s, 7 Spark jobs: loading churn@3"


def test_debug_marks_print_only_with_a_step_clock() -> None:
    quiet_out, debug_out = io.StringIO(), io.StringIO()
    lp.LiveProgress(Jobs(), out=quiet_out).log("debug: the shift")
    assert quiet_out.getvalue() == ""
    tracker = Jobs()
    live = lp.LiveProgress(tracker, out=debug_out, steps=t.StepClock(lambda: t.jobs_so_far(tracker)))
    live.log("reading parquet data from /d")
    tracker.ids = [0, 1]
    live.log("debug: the shift")
    lines = [line for line in debug_out.getvalue().splitlines() if not line.startswith(EVENT_PREFIX)]
    assert [line.split(":")[1].strip() for line in lines] == ["debug", "reading parquet data from /d", "debug",
                                                              "debug"]
    assert ", 2 Spark jobs: reading parquet data from /d" in lines[2]
    assert lines[3] == "mlship: debug: the shift"


def test_the_plain_logger_drops_debug_marks(capsys) -> None:  # noqa: ANN001 - pytest's fixture
    progress("debug: the shift")
    progress("800 rows")
    assert capsys.readouterr().out == "mlship: 800 rows\n"
