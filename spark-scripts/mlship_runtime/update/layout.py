"""Where appended one-hot columns land in the assembled feature vector (a layout change), and the parent's training
state padded there: a history row holds 0 in the column of a level it never had, so zeros are its exact statistics.
Pure numpy and pyarrow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ..export import logistic_state as G
from ..export.state import moments_tables
from . import exact_linear as L


@dataclass(frozen=True)
class Layout:
    """The parent's feature vector of `size` elements with `count` zero columns inserted before parent position
    `at`, for each (at, count) of `inserts` (sorted; `at` == size appends at the end)."""

    size: int
    inserts: tuple[tuple[int, int], ...] = ()

    @property
    def added(self) -> int:
        """How many columns the child's vector has more than the parent's."""
        return sum(n for _, n in self.inserts)

    @property
    def child_size(self) -> int:
        return self.size + self.added

    def positions(self) -> np.ndarray:
        """The child position of each parent position (old columns keep their order)."""
        shift = np.zeros(self.size + 1, dtype=np.int64)
        for at, n in self.inserts:
            shift[at:] += n
        return np.arange(self.size) + shift[:self.size]

    def new_positions(self) -> list[int]:
        """The child positions of the inserted columns, ascending."""
        old = set(self.positions().tolist())
        return [j for j in range(self.child_size) if j not in old]

    def vector(self, v: Any, axis: int = -1) -> np.ndarray:
        """`v` with zeros in the inserted columns along `axis` (its length there must be `size`)."""
        a = np.asarray(v, dtype=np.float64)
        if a.shape[axis] != self.size:
            raise ValueError(f"expected {self.size} features along axis {axis}, got {a.shape[axis]}")
        shape = list(a.shape)
        shape[axis] = self.child_size
        out = np.zeros(shape)
        index: list[Any] = [slice(None)] * a.ndim
        index[axis] = self.positions()
        out[tuple(index)] = a
        return out

    def square(self, m: Any) -> np.ndarray:
        """A size × size matrix (a Gram matrix, a Hessian) with zero rows and columns inserted."""
        return self.vector(self.vector(m, axis=0), axis=1)


def pad_linear(state: L.LinearState, layout: Layout) -> L.LinearState:
    """Linear-regression moments in the child's space: Σwx, Σwxy and Σwxxᵀ get zero entries for the new columns."""
    return L.LinearState(state.rows, state.sum_w, state.sum_wy, state.sum_wy2, layout.vector(state.sum_wx),
                         layout.vector(state.sum_wxy), layout.square(state.sum_wxx))


def pad_moments(totals: pa.Table, moments: pa.Table, layout: Layout) -> dict[str, pa.Table]:
    """state/moments_totals and state/moments (export/state.py's schema) in the child's space."""
    return moments_tables(pad_linear(L.state_of_tables(totals, moments), layout))


def pad_class_sums(table: pa.Table, layout: Layout) -> pa.Table:
    """state/class_sums in the child's space: each class's Σwx (and Σwx², gaussian) with zeros inserted."""
    rows = table.to_pylist()
    padded = {
        "sumWX": [layout.vector(r["sumWX"]).tolist() for r in rows],
        "sumWX2": [None if r["sumWX2"] is None else layout.vector(r["sumWX2"]).tolist() for r in rows],
    }
    return table.set_column(table.schema.get_field_index("sumWX"), table.schema.field("sumWX"),
                            pa.array(padded["sumWX"], table.schema.field("sumWX").type)).set_column(
        table.schema.get_field_index("sumWX2"), table.schema.field("sumWX2"),
        pa.array(padded["sumWX2"], table.schema.field("sumWX2").type))


def logistic_layout(hessian: pa.Table, features: pa.Table) -> G.Layout:
    """The unknowns' layout of a logistic state (export/logistic_state.py) read back from its tables."""
    p, unknowns = features.num_rows, hessian.num_rows
    fit_intercept = -1 in hessian["feature"].to_pylist()
    sets = unknowns // (p + int(fit_intercept))
    return G.Layout(p, max(sets, 2), sets > 1, fit_intercept)


def unknowns(logistic: G.Layout, layout: Layout) -> Layout:
    """The feature layout carried to the unknowns θ: per coefficient set, the same columns inserted (an insert at
    the end of the features lands before that set's intercept)."""
    return Layout(logistic.unknowns, tuple((k * logistic.width + at, n) for k in range(logistic.sets)
                                           for at, n in layout.inserts))


def wider(logistic: G.Layout, layout: Layout) -> G.Layout:
    """The same logistic layout over the child's features."""
    return G.Layout(layout.child_size, logistic.num_classes, logistic.multinomial, logistic.fit_intercept)


def pad_logistic(totals: pa.Table, hessian: pa.Table, features: pa.Table, layout: Layout) -> dict[str, pa.Table]:
    """The laplace state in the child's space: the history's gradient and Hessian have zero entries for a new
    coefficient (no history row has the level, so its loss does not depend on it), θ0 is 0 there, and the new
    column's weighted mean and M2 over the history are 0."""
    stats, theta = G.from_tables(totals, hessian, features)
    logistic = logistic_layout(hessian, features)
    over = unknowns(logistic, layout)
    padded = G.LogisticStats(stats.rows, stats.sum_w, stats.sum_w2, stats.loss, over.vector(stats.grad),
                             over.square(stats.hess), layout.vector(stats.mean), layout.vector(stats.m2))
    return G.tables(padded, over.vector(theta), wider(logistic, layout), padded.std())


__all__ = ["Layout", "logistic_layout", "pad_class_sums", "pad_linear", "pad_logistic", "pad_moments", "unknowns",
           "wider"]
