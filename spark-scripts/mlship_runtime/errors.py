"""The one error type the runtime raises for problems a user can fix."""

from __future__ import annotations

from collections.abc import Iterable


class MlshipError(Exception):
    """A user-facing failure carrying one or more problems, each a single line of text."""

    def __init__(self, problems: Iterable[str], code: str = "invalid") -> None:
        """Keep each problem on one line."""
        self.problems = [" ".join(str(p).split()) for p in problems] or ["unknown problem"]
        self.code = code
        super().__init__("; ".join(self.problems))


def first_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's message (Py4J and Spark messages run long)."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__
