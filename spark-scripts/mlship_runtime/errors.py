"""The one error type the runtime raises for problems a user can fix, and the line the driver prints for it."""

from __future__ import annotations

from collections.abc import Iterable

# The catalogue code (src/error-codes.ts, its `driver` entries) each kind of MlshipError prints as;
# test/unit/error-codes.test.ts fails when this list and the catalogue drift apart.
CODE_OF_KIND: dict[str, str] = {
    "invalid": "E_JOB",  # the job JSON, or a model parameter Spark refuses
    "usage": "E_JOB",  # mlship_train.py's own arguments, or an unreadable --job-file
    "data": "E_DATA",  # the training data: missing, unreadable, too small, columns that do not fit
    "fit": "E_FIT",  # Spark failed to fit
    "unsupported": "E_NOT_PORTABLE",  # the fitted pipeline uses what the portable format cannot express
    "export": "E_EXPORT",  # the saved model failed an export consistency check
    "update": "E_UPDATE",  # `mlship update`: the parent or the new data does not allow the update mode
}
NO_EXECUTOR_ERROR_CODE = "E_NO_EXECUTOR"  # printed by executor_watch.py: no executor for timeout.noExecutor
UNEXPECTED_ERROR_CODE = "E_DRIVER"  # any other exception: a bug or the environment; the traceback is in the log


class MlshipError(Exception):
    """A user-facing failure carrying one or more problems, each a single line of text."""

    def __init__(self, problems: Iterable[str], code: str = "invalid") -> None:
        """Keep each problem on one line; `code` is a kind of problem, one of CODE_OF_KIND."""
        self.problems = [" ".join(str(p).split()) for p in problems] or ["unknown problem"]
        self.code = code
        super().__init__("; ".join(self.problems))

    @property
    def error_code(self) -> str:
        """The catalogue code this error prints as, e.g. E_DATA."""
        return CODE_OF_KIND.get(self.code, UNEXPECTED_ERROR_CODE)


def error_line(error_code: str, problem: str) -> str:
    """One problem as the CLI reads it from the driver's output: `mlship-error[E_DATA]: message`."""
    return f"mlship-error[{error_code}]: {' '.join(problem.split())}"


def first_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's message (Py4J and Spark messages run long)."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__
