"""Debug timings of a run (MLSHIP_DEBUG=1): after each progress message, the wall seconds and Spark jobs the step
since the previous message took, as `mlship: debug: …` lines (docs/updating.md "Costs" was measured with them)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

DEBUG_ENV = "MLSHIP_DEBUG"
# A progress message starting with this only marks a step boundary: printed (and timed) only with MLSHIP_DEBUG.
DEBUG_PREFIX = "debug: "


def debug_enabled(env: dict[str, str] | None = None) -> bool:
    """Whether the driver prints debug lines: MLSHIP_DEBUG set to anything but "", "0" or "false"."""
    value = (os.environ if env is None else env).get(DEBUG_ENV, "")
    return value not in ("", "0", "false")


def jobs_so_far(tracker: Any) -> int:
    """How many Spark jobs this application has started (job ids count up from 0)."""
    ids = list(tracker.getJobIdsForGroup(None))
    return max(ids) + 1 if ids else 0


class StepClock:
    """Wall time and Spark jobs between consecutive progress messages; `step(message)` returns the debug line for the
    step that just ended (the previous message's), or None for the first."""

    def __init__(self, jobs: Callable[[], int], clock: Callable[[], float] = time.monotonic,
                 started: float | None = None) -> None:
        self._jobs = jobs
        self._clock = clock
        self._last_at = clock() if started is None else started
        self._last_jobs = 0
        self._last_message = "start of the driver"

    def step(self, message: str) -> str:
        """The line for the step from the previous message to now; `message` starts the next step."""
        now, jobs = self._clock(), self._jobs()
        line = (f"debug: {now - self._last_at:.2f} s, {jobs - self._last_jobs} Spark jobs: "
                f"{self._last_message[:80]}")
        self._last_at, self._last_jobs, self._last_message = now, jobs, message
        return line
