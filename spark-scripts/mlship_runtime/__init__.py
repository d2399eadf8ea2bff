"""mlship's PySpark runtime: train a job spec, or export your own fitted pipeline, as a portable model.

Public API (imported lazily, so `mlship_runtime.errors` and `.job` load without Spark):
- export_pipeline(pipeline_model, df_validation, out_uri, label=..., run_id=...): write a model folder.
- run_training(spark, parse_job(json_text), out_uri, run_id): what mlship_train.py runs.
- parse_job(json_text) -> TrainJob; MlshipError with `.problems` (one line each) for what a user can fix.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ExportResult": ".export.api",
    "export_pipeline": ".export.api",
    "run_training": ".train",
    "MlshipError": ".errors",
    "TrainJob": ".job",
    "parse_job": ".job",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mlship_runtime' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name], __name__), name)
