"""Live progress: the run's phase and Spark's job/stage/task counts from the status tracker, as `mlship: event` lines.

A daemon thread polls `sc.statusTracker()` about once a second and prints a line only when something changed;
the phase follows the driver's own progress messages (reading, fitting, evaluating, exporting). The CLI draws
them (src/progress/, docs/operations.md "Progress").
"""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO

from .supervisor import event_line
from .timings import DEBUG_PREFIX, StepClock, debug_enabled, jobs_so_far

POLL_SECONDS = 0.75
MAX_STAGES = 8  # more active stages at once say nothing more to a progress line (and a line stays short)
MAX_NAME = 100

# The driver's progress messages that start a phase, by their first words (mlship_runtime/train.py, update/run.py,
# export/api.py). Say each phase once: the CLI shows these names as they are.
PHASE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("reading ", "reading"),
    ("loading ", "reading"),
    ("fitting ", "fitting"),
    ("updating ", "fitting"),
    ("scoring the validation split", "evaluating"),
    ("writing the model", "exporting"),
)


def phase_of(message: str) -> str | None:
    """The phase a progress message starts, or None when it starts none."""
    for prefix, phase in PHASE_PREFIXES:
        if message.startswith(prefix):
            return phase
    return None


def stage_fields(info: Any) -> dict[str, Any]:
    """One stage as the event line carries it (from pyspark's SparkStageInfo)."""
    return {
        "id": int(info.stageId),
        "name": str(info.name)[:MAX_NAME],
        "tasks": int(info.numTasks),
        "done": int(info.numCompletedTasks),
        "active": int(info.numActiveTasks),
        "failed": int(info.numFailedTasks),
    }


def snapshot(tracker: Any) -> dict[str, Any]:
    """The active jobs and stages right now: {"jobs": [ids], "stages": [{id, name, tasks, done, active, failed}]}."""
    jobs = sorted(int(j) for j in tracker.getActiveJobsIds())
    stages = []
    for stage_id in sorted(tracker.getActiveStageIds())[:MAX_STAGES]:
        info = tracker.getStageInfo(stage_id)
        if info is not None:  # finished between the two calls
            stages.append(stage_fields(info))
    return {"jobs": jobs, "stages": stages}


class LiveProgress:
    """Prints the phase and the stage counts as event lines; `log` is the progress logger the run uses."""

    def __init__(self, tracker: Any, out: TextIO | None = None, poll: float = POLL_SECONDS,
                 steps: StepClock | None = None) -> None:
        self._tracker = tracker
        self._steps = steps  # MLSHIP_DEBUG: each step's wall time and Spark jobs (timings.py)
        self._out = out
        self._poll = poll
        self._lock = threading.Lock()  # one writer at a time: a line is never cut by another thread's line
        self._stop = threading.Event()
        self._phase: str | None = None
        self._last: dict[str, Any] = {"jobs": [], "stages": []}  # nothing active yet: no line until something is
        self._thread: threading.Thread | None = None

    def _write(self, line: str) -> None:
        out = self._out or sys.stdout
        with self._lock:
            out.write(line + "\n")
            out.flush()

    def log(self, message: str) -> None:
        """Print a progress line (`mlship: message`); a message that starts a phase first says so as an event."""
        if message.startswith(DEBUG_PREFIX) and self._steps is None:
            return  # a debug step mark: only with MLSHIP_DEBUG
        phase = phase_of(message)
        if phase is not None and phase != self._phase:
            self._phase = phase
            self._write(event_line({"phase": phase}))
        if self._steps is not None:
            self._write(f"mlship: {self._steps.step(message)}")
        self._write(f"mlship: {message}")

    def poll_once(self) -> bool:
        """Read the tracker and print the counts when they changed since the last line; whether it printed."""
        now = snapshot(self._tracker)
        if now == self._last:
            return False
        self._last = now
        fields: dict[str, Any] = {"progress": now}
        if self._phase is not None:
            fields["phase"] = self._phase
        self._write(event_line(fields))
        return True

    def _run(self) -> None:
        while not self._stop.wait(self._poll):
            try:
                self.poll_once()
            except Exception:  # noqa: BLE001 - a stopping SparkContext; progress is never worth failing a run
                if self._stop.is_set():
                    return

    def start(self) -> LiveProgress:
        """Start polling in a daemon thread (it never keeps the driver alive)."""
        self._thread = threading.Thread(target=self._run, daemon=True, name="mlship-progress")
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop polling and wait for the thread, so nothing reads the tracker while Spark stops; a last line says
        what is still active (usually nothing)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        try:
            self.poll_once()
        except Exception:  # noqa: BLE001 - Spark already failing; the run's own error says why
            pass


def start_progress(spark: Any, poll: float = POLL_SECONDS, out: TextIO | None = None,
                   started: float | None = None) -> LiveProgress:
    """A started LiveProgress on a SparkSession's status tracker (with debug step timings under MLSHIP_DEBUG,
    counted from `started`, the driver's start)."""
    tracker = spark.sparkContext.statusTracker()
    steps = StepClock(lambda: jobs_so_far(tracker), started=started) if debug_enabled() else None
    return LiveProgress(tracker, out=out, poll=poll, steps=steps).start()

