"""model/evaluation/: the report's tables, computed by Spark at train time (issue 15, item 1). Each case trains once
with run_training, then checks the files against Spark's own numbers on the same validation predictions:
BinaryClassificationMetrics' roc()/pr() points, the evaluators' metrics, the fitted model's weights."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow.ipc as ipc
import pytest
from pyspark.ml import PipelineModel
from pyspark.ml.functions import vector_to_array
from pyspark.mllib.evaluation import BinaryClassificationMetrics

from conftest import ChurnAndHouses
from mlship_runtime.data import read_training_data
from mlship_runtime.evaluation.curves import curve_rows
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.prepare import prepare
from mlship_runtime.train import run_training, split

pytestmark = pytest.mark.usefixtures("spark")

CHURN = Features(numeric=["tenure_months", "monthly_charges", "total_charges", "support_calls"],
                 categorical=["contract", "payment_method", "region"], scale=True)
HOUSES = Features(numeric=["area_sqm", "rooms", "age_years", "distance_km"], categorical=["city"])
CASES = {
    "binary": ("churn", "logistic_regression", "churned", CHURN, {"maxIter": 30, "regParam": 0.01}),
    "multinomial": ("houses", "logistic_regression", "band", HOUSES, {"maxIter": 30, "regParam": 0.01}),
    "regression": ("houses", "random_forest_regressor", "price", HOUSES, {"numTrees": 5, "maxDepth": 4}),
    "clustering": ("houses", "kmeans", "", HOUSES, {"k": 3, "seed": 7}),
}


@pytest.fixture(scope="module")
def data(churn_and_houses: ChurnAndHouses) -> dict[str, Path]:
    return churn_and_houses("evaluation", 1_500, (21, 22))


class Runs:
    """Each case trained once, when a test first asks for it: (model folder, job, the run's log lines)."""

    def __init__(self, spark, data: dict[str, Path], tmp: pytest.TempPathFactory) -> None:
        self.spark, self.data, self.tmp, self.done = spark, data, tmp, {}

    def __getitem__(self, case: str) -> tuple[Path, TrainJob, list[str]]:
        if case not in self.done:  # ~10 s each on an idle machine
            name, algorithm, label, features, params = CASES[case]
            job = TrainJob(name=case, algorithm=algorithm, label=label, features=features,
                           train_path=str(self.data[name]), params=params, validation_fraction=0.2,
                           validation_seed=3, parity_rows=200)
            folder = self.tmp.mktemp(case) / "model"
            lines: list[str] = []
            run_training(self.spark, job, folder.as_uri(), f"run-{case}", log=lines.append)
            self.done[case] = (folder, job, lines)
        return self.done[case]


@pytest.fixture(scope="module")
def runs(spark, data, tmp_path_factory) -> Runs:
    return Runs(spark, data, tmp_path_factory)


def arrow(folder: Path, name: str) -> list[dict]:
    """An evaluation file's rows."""
    with ipc.open_file(str(folder / "evaluation" / f"{name}.arrow")) as reader:
        return reader.read_all().to_pylist()


def spark_curve(metrics: BinaryClassificationMetrics, name: str) -> set[tuple[float, float]]:
    """Spark's own roc() or pr() points (the Scala methods pyspark does not wrap), rounded for comparison."""
    points = getattr(metrics._java_model, name)().toJavaRDD().collect()
    return {(round(p._1(), 12), round(p._2(), 12)) for p in points}


def splits(spark, job: TrainJob):
    """The run's (training, validation) rows, split as the run split them, and the label column."""
    prepared = prepare(read_training_data(spark, job.train_path, "parquet", {}), job)
    train, validation = split(prepared.frame, job.validation_fraction, job.validation_seed, label=prepared.label,
                              label_values=prepared.label_values)
    return train, validation, prepared.label


def scored_validation(spark, folder: Path, job: TrainJob):
    """The run's validation rows scored by the model it saved, and the label column."""
    _, validation, label = splits(spark, job)
    return PipelineModel.load((folder / "spark").as_uri()).transform(validation), label


EXPECTED = {"binary": {"curves", "confusion", "calibration", "score_histogram", "weights", "features"},
            "multinomial": {"curves", "confusion", "calibration", "score_histogram", "weights", "features"},
            "regression": {"residual_summary", "residual_histogram", "predicted_actual", "weights", "features"},
            "clustering": {"clusters", "weights", "features"}}


@pytest.mark.parametrize("case", list(CASES))
def test_each_task_writes_its_files_listed_in_the_manifest(runs, case) -> None:
    folder, _, lines = runs[case]
    files = {p.stem for p in (folder / "evaluation").iterdir()}
    assert files == EXPECTED[case]
    listed = {f["path"] for f in json.loads((folder / "MANIFEST.json").read_text())["files"]}
    assert {f"evaluation/{n}.arrow" for n in files} <= listed
    assert any(line.startswith("evaluation artifacts computed in") for line in lines)


def test_binary_curve_points_are_spark_binary_classification_metrics_points(spark, runs) -> None:
    folder, job, _ = runs["binary"]
    scored, label = scored_validation(spark, folder, job)
    pairs = scored.select(vector_to_array("probability")[1].alias("s"), scored[label].cast("double").alias("y"))
    metrics = BinaryClassificationMetrics(pairs.rdd.map(tuple))
    roc, pr = spark_curve(metrics, "roc"), spark_curve(metrics, "pr")
    points = arrow(folder, "curves")
    assert 2 < len(points) <= 200 and {p["class"] for p in points} == {"1"}
    assert (points[0]["fpr"], points[0]["tpr"], points[-1]["fpr"], points[-1]["tpr"]) == (0.0, 0.0, 1.0, 1.0)
    assert all((round(p["fpr"], 12), round(p["tpr"], 12)) in roc for p in points)
    assert all((round(p["recall"], 12), round(p["precision"], 12)) in pr for p in points)
    thresholds = [p["threshold"] for p in points]
    assert thresholds[0] == math.inf and thresholds == sorted(thresholds, reverse=True)
    # Trapezoids over the downsampled points stay close to Spark's exact area.
    fpr, tpr = np.array([p["fpr"] for p in points]), np.array([p["tpr"] for p in points])
    area = float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2))
    assert area == pytest.approx(metrics.areaUnderROC, abs=0.01)


def test_binary_confusion_calibration_histograms_and_weights(spark, runs) -> None:
    folder, job, _ = runs["binary"]
    scored, label = scored_validation(spark, folder, job)
    rows = scored.select(label, "prediction", vector_to_array("probability")[1].alias("p")).collect()
    confusion = {(r["actual"], r["predicted"]): r["count"] for r in arrow(folder, "confusion")}
    assert confusion == {(a, p): sum(1 for r in rows if str(int(r[label])) == a and str(int(r["prediction"])) == p)
                         for a in ("0", "1") for p in ("0", "1")}
    calibration = arrow(folder, "calibration")
    assert len(calibration) == 10 and sum(c["count"] for c in calibration) == len(rows)
    top = [r for r in rows if r["p"] >= 0.9]
    assert calibration[-1]["count"] == len(top)
    if top:
        assert calibration[-1]["meanPredicted"] == pytest.approx(np.mean([r["p"] for r in top]), rel=1e-12)
    histogram = arrow(folder, "score_histogram")
    assert {h["actual"] for h in histogram} == {"0", "1"} and sum(h["count"] for h in histogram) == len(rows)
    weights = arrow(folder, "weights")
    model = PipelineModel.load((folder / "spark").as_uri()).stages[-1]
    coefficients = [w for w in weights if w["kind"] == "coefficient"]
    assert [w["value"] for w in coefficients] == model.coefficients.toArray().tolist()
    names = [w["feature"] for w in coefficients]
    assert names[:4] == CHURN.numeric and any(n.startswith("contract=") for n in names)
    assert [w["value"] for w in weights if w["kind"] == "intercept"] == [model.intercept]
    summaries = arrow(folder, "features")
    assert {f["feature"] for f in summaries} == set(CHURN.numeric + CHURN.categorical)
    train, _, _ = splits(spark, job)
    tenure = np.array([np.nan if r[0] is None else r[0] for r in train.select("tenure_months").collect()], dtype=float)
    [t] = [f for f in summaries if f["feature"] == "tenure_months"]
    present = tenure[~np.isnan(tenure)]
    assert (t["count"], t["missing"]) == (len(present), len(tenure) - len(present))
    assert (t["mean"], t["min"], t["max"]) == (pytest.approx(present.mean()), present.min(), present.max())
    assert t["std"] == pytest.approx(present.std(ddof=1))
    contract = [f for f in summaries if f["feature"] == "contract"]
    levels = [r[0] for r in train.select("contract").collect()]
    assert sum(f["levelCount"] for f in contract) == contract[0]["count"] == sum(v is not None for v in levels)
    assert contract[0]["levelCount"] == max(levels.count(v) for v in set(levels) if v is not None)


def test_multinomial_curves_per_class_with_its_labels(spark, runs) -> None:
    folder, job, _ = runs["multinomial"]
    scored, label = scored_validation(spark, folder, job)
    bands = ["budget", "luxury", "mid", "upper"]  # indexed alphabetically
    points = arrow(folder, "curves")
    assert sorted({p["class"] for p in points}) == bands
    for k, band in enumerate(bands):  # one-vs-rest: Spark's curve of probability[k] against label == k
        pairs = scored.select(vector_to_array("probability")[k].alias("s"),
                              (scored[label] == k).cast("double").alias("y"))
        roc = spark_curve(BinaryClassificationMetrics(pairs.rdd.map(tuple)), "roc")
        own = [p for p in points if p["class"] == band]
        assert len(own) <= 200 and all((round(p["fpr"], 12), round(p["tpr"], 12)) in roc for p in own)
    confusion = arrow(folder, "confusion")
    assert len(confusion) == 16 and {c["actual"] for c in confusion} == set(bands)
    assert sum(c["count"] for c in confusion) == scored.count()
    weights = arrow(folder, "weights")
    assert {w["class"] for w in weights} == set(bands) and sum(w["kind"] == "intercept" for w in weights) == 4


def test_regression_residuals(spark, runs) -> None:
    folder, job, _ = runs["regression"]
    scored, label = scored_validation(spark, folder, job)
    rows = scored.select(label, "prediction").collect()
    residuals = np.array([r[label] - r["prediction"] for r in rows])
    [summary] = arrow(folder, "residual_summary")
    assert summary["count"] == len(rows)
    assert summary["mean"] == pytest.approx(residuals.mean(), rel=1e-9)
    assert summary["std"] == pytest.approx(residuals.std(ddof=1), rel=1e-9)
    assert (summary["min"], summary["max"]) == (pytest.approx(residuals.min()), pytest.approx(residuals.max()))
    assert summary["min"] <= summary["q1"] <= summary["median"] <= summary["q3"] <= summary["max"]
    assert sum(h["count"] for h in arrow(folder, "residual_histogram")) == len(rows)
    sample = arrow(folder, "predicted_actual")
    assert len(sample) == min(500, len(rows))
    assert {(s["actual"], s["predicted"]) for s in sample} <= {(r[label], r["prediction"]) for r in rows}
    importances = [w for w in arrow(folder, "weights") if w["kind"] == "importance"]
    assert sum(w["value"] for w in importances) == pytest.approx(1.0)
    assert any(w["feature"].startswith("city=") for w in importances)


def test_clustering_sizes_and_silhouettes_weigh_up_to_the_metric(runs) -> None:
    folder, _, _ = runs["clustering"]
    clusters = arrow(folder, "clusters")
    metric = json.loads((folder / "metrics.json").read_text())
    sizes = np.array([c["size"] for c in clusters])
    assert sizes.sum() == metric["rows"]["validation"]
    weighted = float(np.sum(sizes * np.array([c["silhouette"] for c in clusters])) / sizes.sum())
    assert weighted == pytest.approx(metric["metrics"]["silhouette"], abs=1e-9)
    assert {w["kind"] for w in arrow(folder, "weights")} == {"center"}


def test_curve_rows_follow_spark_conventions() -> None:
    # thresholds 0.2 < 0.5 < 0.8; buckets: below 0.2, [0.2, 0.5), [0.5, 0.8), >= 0.8
    rows = curve_rows("yes", [0.2, 0.5, 0.8], np.array([0, 1, 1, 2]), np.array([0, 2, 1, 0]))
    assert rows == [("yes", math.inf, 0.0, 0.0, 1.0, 0.0), ("yes", 0.8, 0.0, 0.5, 1.0, 0.5),
                    ("yes", 0.5, 1 / 3, 0.75, 0.75, 0.75), ("yes", 0.2, 1.0, 1.0, 4 / 7, 1.0)]
    no_positives = curve_rows("yes", [0.5], np.array([0, 0]), np.array([1, 2]))
    assert no_positives[-1][2:] == (2 / 3, 0.0, 0.0, 0.0)  # recall 0 and precision 0/2 with no positive rows
