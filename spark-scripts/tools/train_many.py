"""Train many jobs in one SparkSession (tests): train_many.py --cases FILE --out DIR.

FILE is a JSON list of {"case": NAME, "job": <the --job JSON of mlship_train.py>, "score": PARQUET?}. Each
case runs the product's own run_training into DIR/NAME/model; one JSON line per case reports {"case", "ok",
"problems"}. With "score", the saved native PipelineModel (DIR/NAME/model/spark) then scores the rows of that
parquet file, written to DIR/NAME/scored.arrow as parity.arrow is (inputs, spark_prediction,
spark_probability, spark_raw_prediction), for tests that need Spark's answers on rows of their choosing.
One session for all cases saves the ~10 s start-up per case that separate spark-submit runs would cost.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlship_runtime.errors import MlshipError, first_line  # noqa: E402
from mlship_runtime.job import parse_job  # noqa: E402
from mlship_runtime.progress import quiet  # noqa: E402

LOG4J = Path(__file__).resolve().parents[1] / "conf" / "log4j2.properties"
SPARK_CONF = {
    "spark.master": "local[2]",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{LOG4J} -XX:TieredStopAtLevel=1",
}


def score_with_spark(spark, model_dir: Path, rows: str, target: Path) -> None:  # noqa: ANN001 - SparkSession
    """Spark's own PipelineModel outputs for the rows of a parquet file, in parity.arrow's columns."""
    import pyarrow as pa
    from pyspark.ml import PipelineModel

    from mlship_runtime.columns import col

    descriptor = json.loads((model_dir / "portable" / "descriptor.json").read_text())
    inputs = descriptor["inputSchema"]
    outputs = descriptor["outputs"]
    names = [c["name"] for c in inputs]
    model = PipelineModel.load((model_dir / "spark").as_uri())
    out_keys = [k for k in ("prediction", "probability", "rawPrediction") if k in outputs]
    scored = model.transform(spark.read.parquet(Path(rows).resolve().as_uri()))
    collected = scored.select(*[col(c) for c in names + [outputs[k] for k in out_keys]]).collect()
    arrow_types = {"double": pa.float64(), "string": pa.utf8()}
    columns = {c["name"]: pa.array([r[i] for r in collected], arrow_types[c["type"]]) for i, c in enumerate(inputs)}
    targets = {"prediction": "spark_prediction", "probability": "spark_probability",
               "rawPrediction": "spark_raw_prediction"}
    for j, key in enumerate(out_keys):
        values = [r[len(names) + j] for r in collected]
        columns[targets[key]] = (pa.array([float(v) for v in values], pa.float64()) if key == "prediction"
                                 else pa.array([v.toArray().tolist() for v in values], pa.list_(pa.float64())))
    table = pa.table(columns)
    with pa.OSFile(str(target), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def main(argv: list[str]) -> int:
    """Run every case; exit 0 when the harness itself worked (each case reports its own outcome)."""
    parser = argparse.ArgumentParser(prog="train_many.py")
    parser.add_argument("--cases", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    cases = json.loads(Path(args.cases).read_text())
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from mlship_runtime.train import run_training

    builder = SparkSession.builder.appName("mlship-train-many")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for case in cases:
            name = case["case"]
            out = Path(args.out, name, "model").resolve()
            try:
                job = parse_job(json.dumps(case["job"]))
                run_training(spark, job, out.as_uri(), f"case-{name}", log=quiet)
                if case.get("score"):
                    score_with_spark(spark, out, case["score"], out.parent / "scored.arrow")
                result = {"case": name, "ok": True, "problems": []}
            except MlshipError as exc:
                result = {"case": name, "ok": False, "problems": exc.problems}
            except Exception as exc:  # noqa: BLE001 - report and go on with the next case
                result = {"case": name, "ok": False, "problems": [f"{type(exc).__name__}: {first_line(exc)}"]}
            print("train-many: " + json.dumps(result), flush=True)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
