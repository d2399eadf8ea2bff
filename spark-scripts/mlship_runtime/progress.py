"""Progress lines on stdout, each starting with `mlship: ` so the CLI can tell them from Spark's logs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timezone

Log = Callable[[str], None]
Now = Callable[[], datetime]


def progress(message: str) -> None:
    """Print one progress line and flush, so it shows while Spark works (a `debug: ` step mark prints nothing:
    live_progress.py times those under MLSHIP_DEBUG)."""
    if message.startswith("debug: "):
        return
    print(f"mlship: {message}", file=sys.stdout, flush=True)


def quiet(message: str) -> None:
    """A logger that drops everything (for library callers and tests)."""


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(timezone.utc)


def iso_utc(moment: datetime) -> str:
    """A timestamp like 2026-11-27T08:00:00Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
