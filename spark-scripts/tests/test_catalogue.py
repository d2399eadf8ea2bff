"""The algorithm catalogue (mlship_runtime/catalogue.json) and the Spark side agree; the TypeScript side is checked
against the same file by test/unit/catalogue.test.ts."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mlship_runtime import catalogue
from mlship_runtime.algorithms import ESTIMATORS
from mlship_runtime.catalogue import CATALOGUE, CLASSIFIERS, CLUSTERING, model_classes, spark_class
from mlship_runtime.export.linear import LINEAR_EXPORTS
from mlship_runtime.export.stages import FAMILY_EXPORTERS, MODEL_CONVERTERS, PREDICTORS

NAMES = list(CATALOGUE)


@pytest.mark.usefixtures("spark")  # a Spark estimator needs a running JVM to be created
@pytest.mark.parametrize("name", NAMES)
def test_each_algorithm_has_its_spark_estimator_with_every_listed_param(name: str) -> None:
    entry = CATALOGUE[name]
    estimator = ESTIMATORS[name]()
    assert type(estimator) is spark_class(entry.spark_estimator)
    spark_params = [p for p in entry.params if p not in entry.mlship_params]
    assert [p for p in spark_params if not estimator.hasParam(p)] == []
    assert all(estimator.hasParam(p) and estimator.getOrDefault(p) == v for p, v in entry.defaults.items())


@pytest.mark.parametrize("name", NAMES)
def test_each_algorithm_has_an_exporter_for_its_fitted_model(name: str) -> None:
    entry = CATALOGUE[name]
    assert entry.exporter in FAMILY_EXPORTERS
    assert spark_class(entry.spark_model) in MODEL_CONVERTERS
    assert set(entry.portable_kinds) <= set(PREDICTORS)
    if entry.exporter in ("linear", "kmeans"):
        assert set(entry.portable_kinds) <= set(LINEAR_EXPORTS)


def test_nothing_outside_the_catalogue() -> None:
    assert list(ESTIMATORS) == NAMES
    assert set(LINEAR_EXPORTS) == {k for a in CATALOGUE.values() if a.exporter in ("linear", "kmeans")
                                   for k in a.portable_kinds}
    assert {a.exporter for a in CATALOGUE.values()} == set(FAMILY_EXPORTERS)
    assert set(MODEL_CONVERTERS) == set(model_classes())
    assert list(PREDICTORS) == [k for a in CATALOGUE.values() for k in a.portable_kinds]


def test_label_rules_follow_the_tasks() -> None:
    for a in CATALOGUE.values():
        classifies = any(t.endswith("_classification") for t in a.tasks)
        assert (a.name in CLASSIFIERS) == classifies, a.name
        assert (a.name in CLUSTERING) == (a.tasks == ("clustering",)), a.name
        assert (a.label == "two_classes") == (a.tasks == ("binary_classification",)), a.name
        assert "retrain" in a.update_modes, a.name


def test_the_catalogue_loads_from_the_runtime_zip(tmp_path: Path) -> None:
    """spark-submit ships mlship_runtime as a zip (scripts/setup.mjs packs .py and .json files): pkgutil reads it."""
    package = Path(catalogue.__file__).parent
    archive = tmp_path / "mlship_runtime.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in sorted(package.rglob("*")):
            if f.suffix in (".py", ".json"):
                z.write(f, f.relative_to(package.parent))
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from mlship_runtime import catalogue as c; "
            "assert c.__file__.startswith(sys.argv[1]), c.__file__; print(','.join(c.ALGORITHMS))")
    out = subprocess.run([sys.executable, "-c", code, str(archive)], cwd=tmp_path, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ",".join(NAMES)


def test_every_catalogue_update_mode_has_an_implementation_in_the_runtime() -> None:
    """A mode the catalogue lists for an algorithm is registered by update/run.py's imports, and nothing else is."""
    from mlship_runtime.catalogue import CATALOGUE
    from mlship_runtime.update.run import MODES

    listed = {mode for entry in CATALOGUE.values() for mode in entry.update_modes}
    assert listed == set(MODES)
