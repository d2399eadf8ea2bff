"""spark-submit entry point: mlship_train.py --job-file <PATH> --out <URI> --run-id <ID> (see docs/portable-model.md).

mlship passes the job description as a file (mode 0600): it may hold secrets, and a command line is
readable by every user of the machine. `--job '<JSON>'` still works for running the script by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from typing import Any

STARTED = time.monotonic()  # the driver's start, for MLSHIP_DEBUG's step timings
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mlship_runtime.errors import UNEXPECTED_ERROR_CODE, MlshipError, error_line, first_line  # noqa: E402
from mlship_runtime.job import parse_job  # noqa: E402
from mlship_runtime.live_progress import start_progress  # noqa: E402
from mlship_runtime.supervisor import emit_event, spark_identity, start_watchdog  # noqa: E402
from mlship_runtime.executor_watch import no_executor_seconds, start_executor_watch  # noqa: E402


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage problems as mlship-error lines and exit status 1."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Turn argparse's complaint into a problem instead of exit status 2."""
        raise MlshipError([message], code="usage")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The three required arguments (the job as --job-file or --job)."""
    parser = _Parser(prog="mlship_train.py", description="Train one mlship job with Spark and export it.")
    job = parser.add_mutually_exclusive_group(required=True)
    job.add_argument("--job-file", help="a file holding the training part of the job spec as JSON (what mlship passes)")
    job.add_argument("--job", help="the training part of the job spec, as JSON")
    parser.add_argument("--out", required=True, help="the run's model/ folder as a URI (file:///abs/path, s3://...)")
    parser.add_argument("--run-id", required=True, help="the run id, recorded in MANIFEST.json")
    return parser.parse_args(argv)


def read_job_file(path: str) -> str:
    """The text of --job-file (an absolute path, or a name in the working directory where --files puts it)."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as exc:
        raise MlshipError([f"--job-file: cannot read {path}: {exc.strerror}"], code="usage") from None


def _jvm_stderr() -> Any | None:
    """spark-submit's own stderr, reached through the JVM, when running under spark-submit.

    PySpark's PythonRunner merges this process's stderr into the JVM's *stdout*
    (ProcessBuilder.redirectErrorStream), so a plain sys.stderr line would reach the CLI on stdout.
    """
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        return None
    try:
        from pyspark import SparkContext

        gateway = SparkContext._gateway
        if gateway is None:  # failed before Spark started: attach to spark-submit's waiting JVM
            from pyspark.java_gateway import launch_gateway

            gateway = launch_gateway()
        return gateway.jvm.System.err
    except Exception:  # noqa: BLE001 - fall back to sys.stderr
        return None


def _fail(error_code: str, problems: list[str]) -> int:
    """Print one `mlship-error[CODE]: problem` line per problem on stderr; return exit status 1."""
    sys.stdout.flush()
    err = _jvm_stderr()
    for problem in problems:
        if err is not None:
            err.println(error_line(error_code, problem))
        else:
            print(error_line(error_code, problem), file=sys.stderr, flush=True)
    if err is not None:
        err.flush()
    return 1


def _report(error_code: str, problem: str) -> None:
    """One mlship-error line from a thread that ends the driver right after (executor_watch.py)."""
    _fail(error_code, [problem])


def main(argv: list[str]) -> int:
    """Parse, train, export; return the exit status."""
    # Before anything slow: a driver whose mlship CLI is gone stops Spark and exits (docs/operations.md).
    start_watchdog()
    try:
        args = parse_args(argv)
        text = args.job if args.job is not None else read_job_file(args.job_file)
        job = parse_job(text)
        raw = json.loads(text)
        update_block = raw.get("update")
        from pyspark.sql import SparkSession

        from mlship_runtime.train import run_training

        # Spark's console bar would only write carriage-return debris into the CLI's log: mlship draws its own
        # progress from the events below, whatever spark.conf says (docs/operations.md, "Progress").
        builder = SparkSession.builder.appName(f"mlship-{job.name}").config("spark.ui.showConsoleProgress", "false")
        spark = builder.getOrCreate()
        live = None
        try:
            emit_event(spark_identity(spark))  # the CLI records the application id in run.json at once
            live = start_progress(spark, started=STARTED)
            # timeout.noExecutor: a job waiting with no executor ends the run as E_NO_EXECUTOR (transient, retried)
            start_executor_watch(spark, no_executor_seconds(raw), _report)
            if update_block is not None:  # mlship update: a child of the parent from the new data
                from mlship_runtime.update.run import parse_update, run_update

                run_update(spark, job, parse_update(update_block), args.out, args.run_id, log=live.log)
            elif raw.get("transfer") is not None:  # model.basedOn: the target starts from the source version
                from mlship_runtime.transfer.run import parse_transfer, run_transfer

                run_transfer(spark, job, parse_transfer(raw["transfer"]), args.out, args.run_id, log=live.log)
            else:
                run_training(spark, job, args.out, args.run_id, log=live.log)
        finally:
            if live is not None:
                live.stop()  # before Spark stops: nothing polls a stopping SparkContext
            spark.stop()
        return 0
    except MlshipError as exc:
        return _fail(exc.error_code, exc.problems)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: keep the trace, then summarise
        traceback.print_exc()
        return _fail(UNEXPECTED_ERROR_CODE, [f"unexpected {type(exc).__name__}: {first_line(exc)}"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
