"""The driver's tie to the mlship CLI that supervises it: a watchdog that ends the driver when the CLI is gone,
and the `mlship: event {...}` lines that tell the CLI what the driver knows (its application id, its UI).

docs/operations.md, "Supervision": mlship passes its own pid in MLSHIP_SUPERVISOR_PID to a client-mode driver.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

# The names the CLI shares with this module (src/launch/driver-event.ts, src/submit/env.ts);
# test/unit/launch-driver-event.test.ts fails when the two languages drift apart.
SUPERVISOR_PID_ENV = "MLSHIP_SUPERVISOR_PID"
# An event line starts like a progress line (mlship_runtime/progress.py), so the driver's stdout stays all `mlship: `.
EVENT_PREFIX = "mlship: event "
# The driver's exit status when it ends itself because its supervisor vanished. Not 0, so that spark-submit's
# JVM (PythonRunner) ends with it (System.exit) instead of waiting for any thread Spark left behind.
SUPERVISOR_LOST_EXIT = 75
POLL_SECONDS = 1.0
STOP_GRACE_SECONDS = 10.0


def event_line(fields: dict[str, Any]) -> str:
    """One structured line for the CLI: `mlship: event {"applicationId": "local-1", ...}` (compact JSON, one line)."""
    return EVENT_PREFIX + json.dumps(fields, separators=(",", ":"), sort_keys=True)


def emit_event(fields: dict[str, Any]) -> None:
    """Print an event line on stdout and flush it, so the CLI records it at once."""
    print(event_line(fields), file=sys.stdout, flush=True)


def spark_identity(spark: Any) -> dict[str, Any]:
    """What identifies a started SparkSession: its application id and, when the UI runs, its address."""
    sc = spark.sparkContext
    fields: dict[str, Any] = {"applicationId": sc.applicationId}
    ui = sc.uiWebUrl
    if ui:
        fields["uiWebUrl"] = ui
    return fields


def supervisor_pid(env: dict[str, str] | os._Environ[str]) -> int | None:
    """The supervising CLI's pid from the environment; None when unset or not a positive whole number."""
    raw = env.get(SUPERVISOR_PID_ENV, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 1 else None


def parse_proc_stat(text: str) -> tuple[str, int] | None:
    """(state, start time in clock ticks) from the text of /proc/<pid>/stat; None when it cannot be read.

    The command name (field 2) is in parentheses and may hold spaces or ')', so fields count from the last ')'.
    """
    close = text.rfind(")")
    if close < 0:
        return None
    rest = text[close + 1:].split()
    # rest[0] is field 3 (state); field 22 (starttime) is rest[19].
    if len(rest) < 20 or not rest[19].isdigit():
        return None
    return rest[0], int(rest[19])


def process_stamp(pid: int) -> tuple[str, int] | None:
    """(state, start time) of a process from /proc; None when it does not exist or /proc is not there."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            return parse_proc_stat(f.read())
    except OSError:
        return None


def is_alive(pid: int, started: int | None, stamp: Callable[[int], tuple[str, int] | None] = process_stamp) -> bool:
    """Whether the supervisor still runs: the same process (same start time, so a reused pid does not count),
    not a zombie. Without /proc (started is None), whether a signal 0 reaches the pid."""
    if started is None:
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    now = stamp(pid)
    return now is not None and now[1] == started and now[0] not in ("Z", "X")


def stop_then_exit(stop: Callable[[], None], exit_: Callable[[int], None] = os._exit,
                   grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop Spark (at most `grace` seconds: a cluster may not answer), then end this process at once."""
    stopper = threading.Thread(target=_quietly, args=(stop,), daemon=True, name="mlship-stop")
    stopper.start()
    stopper.join(grace)
    exit_(SUPERVISOR_LOST_EXIT)


def _quietly(fn: Callable[[], None]) -> None:
    """Run fn; the process is ending either way, so an error stopping Spark changes nothing."""
    try:
        fn()
    except Exception:  # noqa: BLE001
        pass


def stop_active_spark() -> None:
    """Stop the SparkContext this process started, if there is one (the JVM's executors and jobs with it)."""
    from pyspark import SparkContext

    sc = SparkContext._active_spark_context
    if sc is not None:
        sc.stop()


def start_watchdog(env: dict[str, str] | os._Environ[str] = os.environ, poll: float = POLL_SECONDS,
                   on_lost: Callable[[], None] | None = None) -> threading.Thread | None:
    """A daemon thread that ends the driver when the supervising CLI is gone (SIGKILL, OOM killer, lost SSH).

    None when no supervisor is named (the script run by hand, or a cluster-mode driver). `on_lost` defaults to
    printing why, stopping Spark and os._exit.
    """
    pid = supervisor_pid(env)
    if pid is None:
        return None
    first = process_stamp(pid)
    started = first[1] if first else None  # None: no /proc, or already gone (signal 0 then tells)
    lost = on_lost or _lost

    def watch() -> None:
        while is_alive(pid, started):
            threading.Event().wait(poll)
        lost()

    thread = threading.Thread(target=watch, daemon=True, name="mlship-watchdog")
    thread.start()
    return thread


def _lost() -> None:
    """The default reaction: stop Spark and exit. Nothing is printed: nobody reads the output any more, and a
    write into a pipe whose reader is gone could block."""
    stop_then_exit(stop_active_spark)
