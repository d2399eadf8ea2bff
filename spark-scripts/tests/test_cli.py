"""mlship_train.py as the CLI runs it: spark-submit in a subprocess, exit codes, stdout/stderr line prefixes."""
# The spark-submit runs start together in one module fixture; Spark's JVM start is mostly single-threaded.

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SPARK_CONF, SPARK_SCRIPTS
from portable_scorer import max_parity_difference

SPARK_SUBMIT = Path(sys.executable).parent / "spark-submit"
TRAIN = SPARK_SCRIPTS / "mlship_train.py"
TIMEOUT = 300


def _job(train: Path, label: str = "churned") -> str:
    """The churn job as compact --job JSON."""
    return json.dumps({
        "name": "churn",
        "model": {"algorithm": "logistic_regression", "params": {"maxIter": 15, "regParam": 0.01}, "label": label,
                  "features": {"numeric": ["tenure_months", "monthly_charges", "total_charges", "support_calls"],
                               "categorical": ["contract", "payment_method", "region"], "impute": "mean",
                               "scale": True}},
        "data": {"train": str(train), "format": "parquet", "options": {}, "validation": {"fraction": 0.2, "seed": 42}},
        "parity": {"rows": 1000},
    }, separators=(",", ":"))


def _submit(job: str, out: str) -> subprocess.Popen:
    """Start spark-submit the way the CLI does (argv array, no shell), quiet and small."""
    confs = [a for k, v in SPARK_CONF.items() if k not in ("spark.master", "spark.driver.extraJavaOptions")
             for a in ("--conf", f"{k}={v}")]
    argv = [str(SPARK_SUBMIT), "--master", SPARK_CONF["spark.master"], *confs,
            "--driver-java-options", SPARK_CONF["spark.driver.extraJavaOptions"],
            str(TRAIN), "--job", job, "--out", out, "--run-id", "run-e2e"]
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.fixture(scope="module")
def submissions(example_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both spark-submit runs start together (each JVM spends its first seconds single-threaded)."""
    out = tmp_path_factory.mktemp("e2e") / "run" / "model"
    started = {
        "ok": (_submit(_job(example_data / "churn"), out.as_uri()), out),
        "missing_label": (_submit(_job(example_data / "churn", label="churnd"), (out.parent / "bad").as_uri()), None),
        "bad_json": (_submit("{bad", (out.parent / "bad").as_uri()), None),
    }
    yield started
    for process, _ in started.values():
        if process.poll() is None:
            process.kill()
            process.wait()


def _finish(process: subprocess.Popen) -> tuple[int, str, str]:
    """Wait for a run: exit status, stdout, stderr."""
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    return process.returncode, stdout, stderr


def test_missing_label_column_exits_1_with_an_mlship_error(submissions) -> None:
    code, stdout, stderr = _finish(submissions["missing_label"][0])
    errors = [line for line in stderr.splitlines() if line.startswith("mlship-error[")]
    assert code == 1, stderr[-2000:]
    assert "mlship-error" not in stdout  # PySpark merges Python's stderr into stdout; mlship_train routes around it
    assert errors == ['mlship-error[E_DATA]: label column "churnd" not found in the training data; columns are: customer_id, '
                      "tenure_months, monthly_charges, total_charges, support_calls, contract, payment_method, "
                      "region, churned"]


def test_errors_before_spark_starts_also_reach_stderr(submissions) -> None:
    code, stdout, stderr = _finish(submissions["bad_json"][0])
    assert code == 1
    assert [line for line in stderr.splitlines() if line.startswith("mlship-error[")] == [
        "mlship-error[E_JOB]: --job: not valid JSON (Expecting property name enclosed in double quotes at line 1 column 2)"]
    assert "mlship-error" not in stdout


def test_end_to_end_run_writes_a_complete_verified_model(submissions) -> None:
    process, model = submissions["ok"]
    code, stdout, stderr = _finish(process)
    assert code == 0, stderr[-3000:]
    assert "mlship-error" not in stderr
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines and all(line.startswith("mlship: ") for line in lines), lines
    manifest = json.loads((model / "MANIFEST.json").read_text())
    assert manifest["runId"] == "run-e2e"
    for entry in manifest["files"]:
        assert hashlib.sha256((model / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    metrics = json.loads((model / "metrics.json").read_text())
    assert metrics["rows"]["train"] + metrics["rows"]["validation"] == 10_000
    assert metrics["parity"]["rows"] == 1000 and metrics["metrics"]["areaUnderROC"] > 0.75
    worst = max_parity_difference(model)
    assert worst["labelMismatches"] == 0 and max(worst.values()) <= 1e-9


@pytest.mark.parametrize(("argv", "problem"), [
    (["--job", "{nope", "--out", "file:///tmp/x", "--run-id", "r"], "mlship-error[E_JOB]: --job: not valid JSON"),
    (["--job", "{}"], "mlship-error[E_JOB]: the following arguments are required: --out, --run-id"),
    (["--job", '{"model": {}}', "--out", "file:///tmp/x", "--run-id", "r"], "mlship-error[E_JOB]: data: required"),
    (["--job-file", "/nonexistent/job.json", "--out", "file:///tmp/x", "--run-id", "r"],
     "mlship-error[E_JOB]: --job-file: cannot read /nonexistent/job.json: No such file or directory"),
    (["--job-file", "j.json", "--job", "{}", "--out", "file:///tmp/x", "--run-id", "r"],
     "mlship-error[E_JOB]: argument --job: not allowed with argument --job-file"),
])
def test_bad_arguments_fail_before_spark_starts(argv: list[str], problem: str) -> None:
    result = subprocess.run([sys.executable, str(TRAIN), *argv], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert any(line.startswith(problem) for line in result.stderr.splitlines()), result.stderr
