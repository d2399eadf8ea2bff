"""The naive alternative for bench/serve-spark.mjs: answer each request with Spark local mode.

Loads the native PipelineModel a run saved (``<model>/spark``), then for each request builds a one-row
DataFrame and calls ``transform(...).collect()``, as a service wrapping Spark would. Prints one JSON
line: the per-request latencies in milliseconds.

Usage: python bench/spark-transform.py MODEL_DIR REQUESTS RECORD_JSON
"""
import json
import sys
import time

from pyspark.ml import PipelineModel
from pyspark.sql import SparkSession
from pyspark.sql.types import DoubleType, StringType, StructField, StructType


def main(model_dir: str, requests: int, record: dict) -> None:
    """Times ``requests`` single-row transforms after a short warm-up."""
    with open(f"{model_dir}/portable/descriptor.json", encoding="utf8") as f:
        inputs = json.load(f)["inputSchema"]
    schema = StructType([StructField(c["name"], DoubleType() if c["type"] == "double" else StringType(), True) for c in inputs])
    row = tuple(float(record[c["name"]]) if c["type"] == "double" and record[c["name"]] is not None else record[c["name"]] for c in inputs)
    spark = (SparkSession.builder.master("local[1]").appName("mlship-bench-spark-transform")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    model = PipelineModel.load(f"file://{model_dir}/spark")

    def once() -> float:
        started = time.perf_counter()
        model.transform(spark.createDataFrame([row], schema)).select("prediction", "probability").collect()
        return (time.perf_counter() - started) * 1000

    for _ in range(5):
        once()
    latencies = [once() for _ in range(requests)]
    spark.stop()
    print(json.dumps({"latenciesMs": latencies}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]))
