"""Steps in background threads (background.py) and the parent's stage folders in pipeline order (update/parent_model.py)."""

from __future__ import annotations

import threading

import pytest

from mlship_runtime.background import run_all, start
from mlship_runtime.update.parent_model import stage_dirs


def test_start_returns_the_steps_result_from_another_thread() -> None:
    seen: list[str] = []
    future = start(lambda: seen.append(threading.current_thread().name) or 42, "x")
    assert future.result(timeout=10) == 42
    assert seen == ["mlship-x"]


def test_start_reraises_the_steps_own_error() -> None:
    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        start(fail, "fail").result(timeout=10)


def test_run_all_keeps_the_order_and_waits_for_every_step_before_raising() -> None:
    assert run_all([lambda i=i: i * i for i in range(5)], "sq") == [0, 1, 4, 9, 16]
    done = threading.Event()

    def slow() -> str:
        done.wait(0.2)
        done.set()
        return "slow"

    def fail() -> None:
        raise KeyError("k")

    with pytest.raises(KeyError):
        run_all([slow, fail], "mixed")
    assert done.is_set()  # the slow step ended before the error came out


@pytest.mark.parametrize("names,expected", [
    (["1_B_2", "0_A_1", "10_K_3", "2_C", "3_D", "4_E", "5_F", "6_G", "7_H", "8_I", "9_J"],
     ["0_A_1", "1_B_2", "2_C", "3_D", "4_E", "5_F", "6_G", "7_H", "8_I", "9_J", "10_K_3"]),
    (["0_Imputer_5fed", "1_LinearRegression_ea9b"], ["0_Imputer_5fed", "1_LinearRegression_ea9b"]),
    ([], None),  # no stages folder: Spark's reader decides
    (["0_A", "2_C"], None),  # a gap
    (["0_A", "0_B"], None),  # a duplicate index
    (["0_A", "notes"], None),  # something else in the folder
])
def test_stage_dirs_in_pipeline_order_or_none(names: list[str], expected: list[str] | None) -> None:
    assert stage_dirs(names) == expected
