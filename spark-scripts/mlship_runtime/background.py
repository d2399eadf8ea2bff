"""Run a step that submits Spark jobs in a background thread, so small independent jobs overlap (the driver waits on
each job's latency far more than it uses the cores); `result()` joins it and re-raises the step's own error."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


def start(step: Callable[[], T], name: str) -> Future[T]:
    """`step()` running in a daemon thread (a failed run never waits for it); the future holds its result or error."""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(step())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever calls result()
            future.set_exception(exc)

    threading.Thread(target=run, daemon=True, name=f"mlship-{name}").start()
    return future


def run_all(steps: list[Callable[[], T]], name: str) -> list[T]:
    """Every step at once, one thread each; their results in order, or the first failed step's error (after all
    of them ended)."""
    futures = [start(s, f"{name}-{i}") for i, s in enumerate(steps)]
    errors = [f.exception() for f in futures]
    for err in errors:
        if err is not None:
            raise err
    return [f.result() for f in futures]
