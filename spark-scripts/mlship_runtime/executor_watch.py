"""timeout.noExecutor: a daemon thread that ends the driver when a Spark job has waited with no executor for too long
(a lost worker, a cluster with no free cores), so that the CLI classifies the failure as transient and may retry.

docs/operations.md, "Timeouts and retries": mlship passes the limit in the job JSON (`timeout.noExecutorSeconds`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

from mlship_runtime.errors import NO_EXECUTOR_ERROR_CODE

POLL_SECONDS = 2.0
NO_EXECUTOR_EXIT = 1  # an ordinary failure: the mlship-error line says why


def no_executor_seconds(raw: dict[str, Any]) -> float | None:
    """The limit from the job JSON (`timeout.noExecutorSeconds`); None when unset or not a positive number."""
    timeout = raw.get("timeout")
    value = timeout.get("noExecutorSeconds") if isinstance(timeout, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return float(value)


def watches(master: str) -> bool:
    """Whether a master has executors to lose: not `local` or `local[N]` (the driver is the executor there)."""
    return not (master == "local" or master.startswith("local["))


class NoExecutorClock:
    """How long a job has waited with no executor: counts while jobs are active and none is registered, and
    starts over when one registers. Pure: the thread feeds it what it sees."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.since: float | None = None

    def observe(self, now: float, executors: int, active_jobs: int) -> bool:
        """Record one look; True when the limit has passed with no executor while a job waits."""
        if executors > 0:
            self.since = None
            return False
        if active_jobs == 0:
            return False  # nothing waits now; the count goes on when a job waits again
        if self.since is None:
            self.since = now
        return now - self.since >= self.limit


def executor_count(sc: Any) -> int:
    """Executors registered with the driver now (the driver itself not counted)."""
    jsc = sc._jsc.sc()
    try:
        return int(jsc.getExecutorIds().size())
    except Exception:  # noqa: BLE001 - older Spark: the block managers, the driver's among them
        return max(0, int(jsc.getExecutorMemoryStatus().size()) - 1)


def problem_text(limit: float, master: str) -> str:
    """What the driver says when it gives up."""
    return (f"no executor for {limit:g} s while a Spark job waited (timeout.noExecutor, master {master}): "
            "a worker was lost, or the cluster has no free cores or memory for this application")


def start_executor_watch(spark: Any, limit: float | None, report: Callable[[str, str], None],
                         exit_: Callable[[int], None] = os._exit, poll: float = POLL_SECONDS,
                         clock: Callable[[], float] = time.monotonic) -> threading.Thread | None:
    """A daemon thread watching the executors of `spark`; None when there is no limit or the master is local.

    When the limit passes, `report(code, problem)` prints the mlship-error line and the process ends at once
    (the JVM's shutdown hook stops the SparkContext), before the main thread can print a failure of its own.
    """
    sc = spark.sparkContext
    if limit is None or not watches(sc.master):
        return None
    state = NoExecutorClock(limit)
    tracker = sc.statusTracker()

    def watch() -> None:
        while True:
            try:
                fired = state.observe(clock(), executor_count(sc), len(tracker.getActiveJobsIds()))
            except Exception:  # noqa: BLE001 - the context is stopping: nothing more to watch
                return
            if fired:
                report(NO_EXECUTOR_ERROR_CODE, problem_text(limit, sc.master))
                exit_(NO_EXECUTOR_EXIT)
                return
            threading.Event().wait(poll)

    thread = threading.Thread(target=watch, daemon=True, name="mlship-executor-watch")
    thread.start()
    return thread
