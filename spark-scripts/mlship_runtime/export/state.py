"""The resumable training state: state/*.arrow and state/state.json beside the portable model (docs/portable-model.md,
"Training state"), the sufficient statistics an update merges instead of re-reading history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from pyspark.ml import PipelineModel, Transformer
from pyspark.sql import DataFrame

from ..catalogue import model_classes
from ..progress import Log, quiet
from ..storage import OutDir, write_arrow_file, write_json
from . import logistic_state as L
from . import state_stats as S
from .profile import profile_state
from .stages import StageExport, flatten

STATE_DIR = "state"
STATE_FORMAT_VERSION = 1
MAX_GRAM_FEATURES = 4096  # Spark's normal-equation solver's own limit; Σwxxᵀ above it is not exported
F64, I32, I64, UTF8 = pa.float64(), pa.int32(), pa.int64(), pa.utf8()
LIST_F64 = pa.list_(F64)


@dataclass
class StateDoc:
    """state.json being built, and the tables to write beside it."""

    files: list[dict[str, Any]] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    tables: dict[str, pa.Table] = field(default_factory=dict)

    def add(self, name: str, table: pa.Table, holds: str, **extra: Any) -> str:
        """Register one Arrow file under state/."""
        path = f"{STATE_DIR}/{name}.arrow"
        self.tables[path] = table
        self.files.append({"path": path, "holds": holds, "rows": table.num_rows, **extra})
        return path


def _weight_col(stage: Transformer) -> str | None:
    """The estimator's weight column when one is set."""
    if stage.hasParam("weightCol") and stage.isSet(stage.getParam("weightCol")) and stage.getOrDefault("weightCol"):
        return str(stage.getOrDefault("weightCol"))
    return None


def _stage_state(doc: StateDoc, i: int, stage: Transformer, export: StageExport, frame: DataFrame) -> None:
    """The statistics of one feature stage (merge), or why it has none (frozen: fitted, kept as is; fixed: nothing
    fitted)."""
    kind = export.kind
    entry: dict[str, Any] = {"index": i, "kind": kind}
    if kind == "imputer":
        strategy = export.fields["strategy"]
        missing = stage.getMissingValue()
        cols = export.fields["inputCols"]
        if strategy == "mean":
            sums = S.imputer_sums(frame, cols, missing)
            table = pa.table({"column": pa.array(cols, UTF8), "count": pa.array([sums[c][0] for c in cols], I64),
                              "sum": pa.array([sums[c][1] for c in cols], F64)})
            entry.update(state="merge", file=doc.add(f"stage_{i}_imputer", table, "per input column: the count and "
                                                     "sum of the values present (mean = sum / count)"))
        elif strategy == "mode":
            rows = [(c, v, n) for c in cols for v, n in S.imputer_mode_counts(frame, c, missing)]
            table = pa.table({"column": pa.array([r[0] for r in rows], UTF8),
                              "value": pa.array([r[1] for r in rows], F64), "count": pa.array([r[2] for r in rows], I64)})
            entry.update(state="merge", file=doc.add(f"stage_{i}_imputer", table,
                                                     "per input column: each value present with its count"))
        else:
            entry.update(state="frozen", reason=f"strategy {strategy} is a quantile; kept as fitted")
    elif kind == "string_indexer":
        cols = export.fields["inputCols"]
        counts = S.level_counts(frame, cols)
        rows = [(c, j, label, counts[c].get(label, 0)) for c, labels in zip(cols, stage.labelsArray)
                for j, label in enumerate(labels)]
        table = pa.table({"column": pa.array([r[0] for r in rows], UTF8), "index": pa.array([r[1] for r in rows], I32),
                          "label": pa.array([r[2] for r in rows], UTF8), "count": pa.array([r[3] for r in rows], I64)})
        entry.update(state="merge", file=doc.add(f"stage_{i}_string_indexer", table,
                                                 "per input column: the fitted labels in index order and the "
                                                 "training rows holding each"))
    elif kind in ("standard_scaler", "min_max_scaler", "max_abs_scaler"):
        stats = S.vector_stats(frame, export.fields["inputCol"])
        if stats is None:
            entry.update(state="frozen", reason="no training rows")
        else:
            n = pa.array([stats.n] * len(stats.mean), I64)
            element = pa.array(range(len(stats.mean)), I32)
            columns = {"standard_scaler": {"mean": stats.mean, "m2": stats.m2},
                       "min_max_scaler": {"min": stats.min, "max": stats.max},
                       "max_abs_scaler": {"maxAbs": stats.max_abs}}[kind]
            table = pa.table({"element": element, "n": n, **{k: pa.array(v, F64) for k, v in columns.items()}})
            entry.update(state="merge", file=doc.add(f"stage_{i}_{kind}", table, "per element of the input vector: "
                                                     "n and " + ", ".join(columns)))
    elif kind == "bucketizer":
        entry.update(state="frozen", reason="splits kept as fitted (a QuantileDiscretizer's too)")
    elif kind == "source_model":
        entry.update(state="frozen", reason="a transfer's source model, kept as registered")
    else:
        entry.update(state="fixed", reason="nothing fitted")
    doc.stages.append(entry)


def moments_tables(m: Any) -> dict[str, pa.Table]:
    """moments_totals and moments from anything with the fields of state_stats.Moments (an update writes its
    merged moments with it, so a child's state has the schema a trained version's has)."""
    p = len(m.sum_wx)
    return {
        "moments_totals": pa.table({"rows": pa.array([int(m.rows)], I64), "sumW": pa.array([float(m.sum_w)], F64),
                                    "sumWY": pa.array([float(m.sum_wy)], F64),
                                    "sumWY2": pa.array([float(m.sum_wy2)], F64)}),
        "moments": pa.table({"feature": pa.array(range(p), I32), "sumWX": pa.array(m.sum_wx, F64),
                             "sumWXY": pa.array(m.sum_wxy, F64),
                             "sumWXX": pa.array([list(r) for r in m.sum_wxx], LIST_F64)}),
    }


def class_sums_table(sums: dict[int, Any], gaussian: bool) -> pa.Table:
    """class_sums from class index -> anything with the fields of state_stats.ClassSums (sum_wx2 kept for
    gaussian only)."""
    k = sorted(sums)
    return pa.table({
        "class": pa.array(k, I32), "count": pa.array([int(sums[c].count) for c in k], I64),
        "sumW": pa.array([float(sums[c].sum_w) for c in k], F64),
        "sumWX": pa.array([list(sums[c].sum_wx) for c in k], LIST_F64),
        "sumWX2": pa.array([list(sums[c].sum_wx2) if gaussian else None for c in k], LIST_F64),
    })


def _predictor_state(doc: StateDoc, algorithm: str, predictor: Transformer, export: StageExport,
                     frame: DataFrame, log: Log) -> set[str]:
    """The estimator's statistics; returns the update modes they enable."""
    features, weight = predictor.getFeaturesCol(), _weight_col(predictor)
    space = {"featuresCol": features, "weightCol": weight}
    if algorithm in ("linear_regression", "generalized_linear_regression"):
        if algorithm == "linear_regression" and predictor.getLoss() != "squaredError":
            doc.skipped.append(f"loss {predictor.getLoss()}: no exact update, only squaredError has one")
            return set()
        if algorithm == "generalized_linear_regression" and (predictor.getFamily(), _link(predictor)) != (
                "gaussian", "identity"):
            doc.skipped.append(f"family {predictor.getFamily()} with link {_link(predictor)}: no exact update")
            return set()
        p = int(export.fields["numFeatures"])
        if p > MAX_GRAM_FEATURES:
            doc.skipped.append(f"{p} features: Σwxxᵀ is only exported up to {MAX_GRAM_FEATURES} features")
            log(f"training state: {p} features, above {MAX_GRAM_FEATURES}; no exact update state exported")
            return set()
        m = S.linear_moments(frame, features, predictor.getLabelCol(), weight)
        if m is None:
            return set()
        tables = moments_tables(m)
        doc.add("moments_totals", tables["moments_totals"], "Σw, Σwy, Σwy² and the row count", space=space)
        doc.add("moments", tables["moments"],
                "per feature j: Σwx_j, Σwx_j·y and row j of the full symmetric matrix Σwxxᵀ", space=space,
                gram="full")
        return {"exact"}
    if algorithm == "logistic_regression":
        return _logistic_state(doc, predictor, frame, space, log)
    if algorithm == "naive_bayes":
        sums = S.class_sums(frame, features, predictor.getLabelCol(), weight)
        gaussian = predictor.getModelType() == "gaussian"
        doc.add("class_sums", class_sums_table(sums, gaussian),
                "per class index: the row count, Σw, Σwx per feature, and Σwx² per feature (gaussian only)",
                space=space)
        return {"exact"}
    if algorithm == "kmeans":
        if predictor.getDistanceMeasure() != "euclidean":
            doc.skipped.append(f"distanceMeasure {predictor.getDistanceMeasure()}: no cluster masses, Spark's "
                               "streaming k-means rule is euclidean only")
            return set()
        masses = S.cluster_masses(frame, predictor.getPredictionCol(), weight)
        k = len(predictor.clusterCenters())
        doc.add("cluster_masses", pa.table({"cluster": pa.array(range(k), I32),
                                            "rows": pa.array([masses.get(c, (0, 0.0))[0] for c in range(k)], I64),
                                            "sumW": pa.array([masses.get(c, (0, 0.0))[1] for c in range(k)], F64)}),
                "per cluster centre: the training rows assigned to it and their Σw (the streaming mass)", space=space)
        return {"streaming"}
    return set()


def _logistic_state(doc: StateDoc, predictor: Any, frame: DataFrame, space: dict[str, Any], log: Log) -> set[str]:
    """The gradient and Hessian of the training rows' summed weighted log-loss at the fitted coefficients, and the
    features' weighted moments (Spark's featuresStd): the state of the `laplace` mode."""
    layout = L.layout_of(predictor)
    refusal = L.laplace_refusal(predictor, layout)
    if refusal:
        doc.skipped.append(refusal)
        log(f"training state: {refusal}; no laplace state exported")
        return set()
    theta = layout.theta(predictor.coefficientMatrix.toArray(), predictor.interceptVector.toArray())
    stats = L.logistic_stats(frame, space["featuresCol"], predictor.getLabelCol(), space["weightCol"], theta, layout)
    if stats is None:
        return set()
    extra = {"space": space, "layout": {**layout.doc(), "standardization": bool(predictor.getStandardization())}}
    t = L.tables(stats, theta, layout, stats.std())
    doc.add(L.TOTALS, t[L.TOTALS], "the row count, Σw, Σw² and the summed weighted log-loss Σwℓ at the fitted "
            "coefficients", **extra)
    doc.add(L.HESSIAN, t[L.HESSIAN], "per unknown (coefficient or intercept, in layout order): its class, feature "
            "(-1: intercept), fitted value, the gradient of Σwℓ and its row of the Hessian of Σwℓ", **extra)
    doc.add(L.FEATURES, t[L.FEATURES], "per feature: the weighted mean, M2 = Σw(x − mean)² and std (Spark's "
            "featuresStd)", **extra)
    return {"laplace"}


def _link(glm: Transformer) -> str:
    """A GLM's link, its family's canonical one when unset."""
    if glm.isSet(glm.getParam("link")) and glm.getLink():
        return glm.getLink()
    return {"gaussian": "identity", "binomial": "logit", "poisson": "log", "gamma": "inverse",
            "tweedie": "power"}.get(glm.getFamily(), "")


# Modes whose mechanism needs statistics from this file; the rest (warm, continue, retrain) read the native model.
STATEFUL_MODES = ("exact", "laplace", "streaming")


def export_state(pipeline_model: PipelineModel, exports: list[StageExport], df_train: DataFrame, out: OutDir,
                 *, log: Log = quiet) -> dict[str, Any]:
    """Compute and write state/*.arrow and state/state.json for a fitted pipeline; returns state.json."""
    stages = flatten(pipeline_model)
    predictor = stages[-1]
    algorithm = model_classes()[type(predictor)].name
    catalogue_modes = model_classes()[type(predictor)].update_modes
    doc = StateDoc()
    frame = pipeline_model.transform(df_train).cache()  # every stage's input column, and the prediction
    try:
        for i, (stage, export) in enumerate(zip(stages[:-1], exports[:-1])):
            _stage_state(doc, i, stage, export, frame)
        doc.add("profile", *profile_state(frame, exports))  # the history an update's shift (PSI) is measured against
        enabled = _predictor_state(doc, algorithm, predictor, exports[-1], frame, log)
    finally:
        frame.unpersist()
    modes = [m for m in catalogue_modes if m not in STATEFUL_MODES or m in enabled]
    if any(e.kind == "source_model" for e in exports):  # a feature/offset target: updating it is not built
        modes = []
    state = {
        "formatVersion": STATE_FORMAT_VERSION,
        "algorithm": algorithm,
        "updateModes": modes,
        "space": {"featuresCol": predictor.getFeaturesCol(),
                  "afterStages": [e.kind for e in exports[:-1]],
                  "scaled": any(e.kind.endswith("_scaler") for e in exports[:-1]),
                  "weightCol": _weight_col(predictor)},
        "stages": doc.stages,
        "files": doc.files,
        "skipped": doc.skipped,
    }
    for path, table in doc.tables.items():
        write_arrow_file(out, path, table)
    write_json(out, f"{STATE_DIR}/state.json", state)
    log(f"training state: {len(doc.files)} files, update modes {', '.join(modes)}")
    return state



def write_updated_state(out: OutDir, parent: Any, predictor_tables: dict[str, pa.Table], *, log: Log = quiet
                        ) -> dict[str, Any]:
    """An updated child's state: the parent's frozen stage tables as they are, the mode's tables in place of the
    parent's (its predictor's, and a merged stage's under the stage's own name, e.g. stage_3_standard_scaler;
    `parent`: update.modes.ParentState); returns state.json."""
    doc = parent.doc
    stage_files = {s["file"] for s in doc.get("stages", []) if s.get("file")}
    stage_files -= {f"{STATE_DIR}/{name}.arrow" for name in predictor_tables}
    entries = {f["path"]: f for f in doc.get("files", [])}
    files: list[dict[str, Any]] = []
    for path in sorted(stage_files):
        table = parent.read(path[len(STATE_DIR) + 1:-len(".arrow")])
        write_arrow_file(out, path, table)
        files.append(entries.get(path, {"path": path}))
    for name, table in predictor_tables.items():
        path = f"{STATE_DIR}/{name}.arrow"
        write_arrow_file(out, path, table)
        files.append({**entries.get(path, {"path": path, "holds": name}), "rows": table.num_rows})
    state = {**doc, "files": files}
    write_json(out, f"{STATE_DIR}/state.json", state)
    log(f"training state: {len(files)} files (the parent's frozen stages, the updated predictor)")
    return state
