"""areaUnderROC ranks validation rows by a score that orders like the probability of class 1 (issue 8, item 5).

Spark's BinaryClassificationEvaluator ranks rows by element 1 of the vector it is given. A naive Bayes
rawPrediction holds per-class log-likelihoods, whose element 1 falls with the size of the counts whatever the
class; ranking by it reported 0.44 where the probabilities give 0.64. Each test computes the AUC itself, from
the model's probabilities, with the rank-sum formula in numpy, and compares it with what mlship reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyspark.ml import PipelineModel

from mlship_runtime.algorithms import build_estimator
from mlship_runtime.data import read_training_data
from mlship_runtime.evaluate import evaluate
from mlship_runtime.export.descriptor import output_columns
from mlship_runtime.job import Features, TrainJob
from mlship_runtime.pipeline import build_pipeline
from mlship_runtime.prepare import prepare
from mlship_runtime.progress import quiet
from mlship_runtime.train import run_training, split

pytestmark = pytest.mark.usefixtures("spark")

FEATURES = Features(numeric=["a", "b"], categorical=[])


def rank_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Mann-Whitney AUC with average ranks for ties: P(score of a positive > a negative's) + P(tie) / 2."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    start = 0
    for end in range(1, len(scores) + 1):  # average rank over each run of equal scores
        if end == len(scores) or sorted_scores[end] != sorted_scores[start]:
            ranks[order[start:end]] = (start + end + 1) / 2
            start = end
    positives = labels == 1.0
    n1, n0 = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def counts(n: int, seed: int) -> pa.Table:
    """Two count columns: class 1 leans to `a`, class 0 to `b`, and the row totals (1 to 60) ignore the class.

    A class-1 log-likelihood falls with the total, so ranking by it mixes the classes; the probability,
    which depends on the mix of a and b, does not.
    """
    rng = np.random.default_rng(seed)
    label = (rng.random(n) < 0.5).astype(float)
    total = rng.integers(1, 61, n)
    share = np.where(label == 1.0, 0.58, 0.42)
    a = rng.binomial(total, share)
    return pa.table({"a": a.astype(float), "b": (total - a).astype(float), "y": label})


def column(rows: list, name: str, k: int | None = None) -> np.ndarray:
    """One column of collected rows as floats (element k of a vector column)."""
    return np.array([float(r[name][k] if k is not None else r[name]) for r in rows])


def test_naive_bayes_reports_the_auc_of_its_probabilities(spark, tmp_path: Path) -> None:
    pq.write_table(counts(900, 3), tmp_path / "counts.parquet")
    job = TrainJob(name="nb", algorithm="naive_bayes", label="y", features=FEATURES,
                   train_path=str(tmp_path / "counts.parquet"), validation_fraction=0.5, validation_seed=7,
                   parity_rows=200)
    run_training(spark, job, (tmp_path / "model").as_uri(), "run-nb", log=quiet)
    reported = json.loads((tmp_path / "model" / "metrics.json").read_text())

    # The validation rows, split as the run split them, scored by the model the run saved.
    frame = prepare(read_training_data(spark, job.train_path, "parquet", {}), job).frame.cache()
    _, validation = split(frame, job.validation_fraction, job.validation_seed)
    rows = PipelineModel.load((tmp_path / "model" / "spark").as_uri()).transform(validation).collect()
    assert len(rows) == reported["rows"]["validation"]
    labels = column(rows, "y")
    by_probability = rank_auc(labels, column(rows, "probability", 1))
    by_raw = rank_auc(labels, column(rows, "rawPrediction", 1))
    assert abs(by_probability - by_raw) > 0.1  # the data tells the two scores apart
    assert reported["metrics"]["areaUnderROC"] == pytest.approx(by_probability, abs=1e-9)


# The other classifiers whose rawPrediction[1] does not rank like the probability: a decision tree's raw values
# are class counts, a perceptron's the outputs before the softmax. (Logistic regression, GBT and linear SVC
# have a margin there, which does rank like it; a random forest's shares sum to the number of trees.)
@pytest.mark.parametrize(("algorithm", "params"), [
    ("decision_tree_classifier", {"maxDepth": 4}),
    ("mlp_classifier", {"hiddenLayers": [4], "maxIter": 40, "seed": 1}),
])
def test_tree_and_perceptron_report_the_auc_of_their_probability(spark, algorithm: str, params: dict) -> None:
    df = spark.createDataFrame(counts(800, 11).to_pylist(), "a double, b double, y double")
    train, holdout = df.randomSplit([0.5, 0.5], seed=5)
    model = build_pipeline(FEATURES, build_estimator(algorithm, params, "y")).fit(train)
    outputs = output_columns(model.stages[-1])
    scored = model.transform(holdout).cache()
    metrics = evaluate(scored, "y", "binary_classification", outputs)
    rows = scored.collect()
    by_probability = rank_auc(column(rows, "y"), column(rows, outputs["probability"], 1))
    assert metrics["areaUnderROC"] == pytest.approx(by_probability, abs=1e-9)
