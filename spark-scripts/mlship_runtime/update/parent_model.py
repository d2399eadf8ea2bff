"""The parent's Spark PipelineModel read with its stages loaded concurrently: the same stages as
PipelineModel.load, each by Spark's own reader, but their small metadata and data jobs overlap instead of queueing."""

from __future__ import annotations

import re

import pyarrow.fs as pafs
from pyspark.ml import PipelineModel
from pyspark.ml.wrapper import JavaParams
from pyspark.sql import SparkSession

from ..background import run_all
from ..storage import OutDir, spark_uri

_STAGE_DIR = re.compile(r"^(\d+)_(.+)$")  # Spark's stages/<index>_<uid> (Pipeline.SharedReadWrite.getStagePath)


def stage_dirs(names: list[str]) -> list[str] | None:
    """The stage folders in pipeline order, or None when they are not exactly 0..n-1 (then Spark's reader decides)."""
    found = [(int(m.group(1)), n) for n in names if (m := _STAGE_DIR.match(n))]
    if not found or len(found) != len(names):
        return None
    found.sort()
    return [n for _, n in found] if [i for i, _ in found] == list(range(len(found))) else None


def load_parent_model(spark: SparkSession, parent_dir: OutDir, folder: str = "spark") -> PipelineModel:
    """The PipelineModel saved in `folder` of the parent's model folder; its stages read in parallel threads."""
    uri = spark_uri(parent_dir.uri) + "/" + folder
    try:
        infos = parent_dir.fs.get_file_info(pafs.FileSelector(parent_dir.path(folder + "/stages")))
    except (FileNotFoundError, OSError):
        infos = []
    names = stage_dirs([i.base_name for i in infos if i.type == pafs.FileType.Directory])
    if names is None:
        return PipelineModel.load(uri)
    reader = spark._jvm.org.apache.spark.ml.util.DefaultParamsReader  # type: ignore[union-attr]
    session = spark._jsparkSession

    def load(name: str):  # noqa: ANN202 - a JavaParams of whatever class the stage's metadata names
        return lambda: JavaParams._from_java(reader.loadParamsInstance(f"{uri}/stages/{name}", session))

    return PipelineModel(stages=run_all([load(n) for n in names], "parent-stage"))
