"""timeout.noExecutor: the clock, the job JSON's limit, and the watch on a real (local) SparkContext."""

from __future__ import annotations

import pytest

from mlship_runtime.errors import NO_EXECUTOR_ERROR_CODE
from mlship_runtime.executor_watch import (NoExecutorClock, executor_count, no_executor_seconds, problem_text,
                                           start_executor_watch, watches)


def test_the_clock_counts_only_while_a_job_waits_with_no_executor() -> None:
    clock = NoExecutorClock(20)
    assert not clock.observe(0, executors=1, active_jobs=1)
    assert not clock.observe(5, executors=0, active_jobs=0)  # nothing waits yet
    assert not clock.observe(10, executors=0, active_jobs=1)  # starts counting here
    assert not clock.observe(29, executors=0, active_jobs=1)
    assert clock.observe(30, executors=0, active_jobs=1)


def test_an_executor_registering_starts_the_count_over() -> None:
    clock = NoExecutorClock(20)
    assert not clock.observe(0, executors=0, active_jobs=1)
    assert not clock.observe(15, executors=1, active_jobs=1)
    assert not clock.observe(16, executors=0, active_jobs=1)
    assert not clock.observe(35, executors=0, active_jobs=1)
    assert clock.observe(36, executors=0, active_jobs=1)


@pytest.mark.parametrize("raw,expected", [
    ({}, None),
    ({"timeout": {"noExecutorSeconds": 20}}, 20.0),
    ({"timeout": {"noExecutorSeconds": 0.5}}, 0.5),
    ({"timeout": {"noExecutorSeconds": 0}}, None),
    ({"timeout": {"noExecutorSeconds": True}}, None),
    ({"timeout": {"noExecutorSeconds": "20s"}}, None),
    ({"timeout": "20s"}, None),
])
def test_the_limit_from_the_job_json(raw: dict, expected: float | None) -> None:
    assert no_executor_seconds(raw) == expected


def test_local_masters_are_not_watched() -> None:
    assert not watches("local")
    assert not watches("local[2]")
    assert not watches("local[*]")
    assert watches("spark://127.0.0.1:7077")
    assert watches("yarn")
    assert watches("local-cluster[1,1,1024]")


def test_the_problem_names_the_limit_and_the_master() -> None:
    text = problem_text(20, "spark://h:7077")
    assert "no executor for 20 s" in text and "spark://h:7077" in text and "timeout.noExecutor" in text


def test_no_watch_on_a_local_session_or_without_a_limit(spark) -> None:
    assert start_executor_watch(spark, None, lambda c, p: None) is None
    assert start_executor_watch(spark, 1.0, lambda c, p: None) is None  # the fixture's master is local
    assert executor_count(spark.sparkContext) == 0  # local mode: the driver is the executor, no executor ids


def test_the_watch_reports_and_exits_when_the_clock_fires() -> None:
    """The thread body on a stand-in context whose job waits with no executor."""
    import threading

    class Tracker:
        def getActiveJobsIds(self) -> list[int]:  # noqa: N802 - PySpark's spelling
            return [0]

    class Ids:
        def size(self) -> int:
            return 0

    class JSC:
        def getExecutorIds(self) -> Ids:  # noqa: N802
            return Ids()

    class SC:
        master = "spark://h:7077"
        _jsc = type("J", (), {"sc": lambda self: JSC()})()

        def statusTracker(self) -> Tracker:  # noqa: N802
            return Tracker()

    session = type("S", (), {"sparkContext": SC()})()
    reported: list[tuple[str, str]] = []
    exited = threading.Event()
    times = iter([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    thread = start_executor_watch(session, 1.0, lambda c, p: reported.append((c, p)),
                                  exit_=lambda code: exited.set(), poll=0.01, clock=lambda: next(times))
    assert thread is not None
    assert exited.wait(5)
    assert reported and reported[0][0] == NO_EXECUTOR_ERROR_CODE
