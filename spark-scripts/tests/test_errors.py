"""How the driver reports a failure: one `mlship-error[CODE]: message` line per problem (no Spark needed)."""

from __future__ import annotations

import sys

import pytest

from conftest import SPARK_SCRIPTS

sys.path.insert(0, str(SPARK_SCRIPTS))

import mlship_train  # noqa: E402
from mlship_runtime.errors import CODE_OF_KIND, UNEXPECTED_ERROR_CODE, MlshipError, error_line  # noqa: E402


@pytest.mark.parametrize(("kind", "code"), [("invalid", "E_JOB"), ("usage", "E_JOB"), ("data", "E_DATA"),
                                            ("fit", "E_FIT"), ("unsupported", "E_NOT_PORTABLE"),
                                            ("export", "E_EXPORT"), ("update", "E_UPDATE"),
                                            ("no-such-kind", "E_DRIVER")])
def test_each_kind_of_error_prints_as_its_catalogue_code(kind: str, code: str) -> None:
    assert MlshipError(["x"], code=kind).error_code == code


def test_the_default_kind_is_a_bad_job() -> None:
    assert MlshipError(["data: required"]).error_code == "E_JOB"


def test_an_error_line_is_the_code_in_brackets_then_the_message_on_one_line() -> None:
    assert error_line("E_DATA", 'label column "churnd" not found\n  in the data') == \
        'mlship-error[E_DATA]: label column "churnd" not found in the data'


def test_every_code_is_a_catalogue_code_shape() -> None:
    for code in [*CODE_OF_KIND.values(), UNEXPECTED_ERROR_CODE]:
        assert code.startswith("E_") and code.replace("_", "").isalpha() and code.isupper()


def test_the_driver_prints_a_failure_as_mlship_error_lines_on_stderr(capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)  # no JVM: the lines go to sys.stderr
    status = mlship_train.main(["--job", '{"model": {}}', "--out", "file:///tmp/x", "--run-id", "r"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert lines and all(line.startswith("mlship-error[E_JOB]: ") for line in lines), lines
    assert "mlship-error[E_JOB]: data: required" in lines


def test_an_unexpected_exception_prints_as_e_driver(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)

    def broken(_text: str) -> None:
        raise KeyError("nope")

    monkeypatch.setattr(mlship_train, "parse_job", broken)
    status = mlship_train.main(["--job", "{}", "--out", "file:///tmp/x", "--run-id", "r"])
    assert status == 1
    assert capsys.readouterr().err.splitlines()[-1] == "mlship-error[E_DRIVER]: unexpected KeyError: 'nope'"
