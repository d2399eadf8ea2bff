"""Exact merges of fitted scalers (standard: Chan's n, mean, M2; min-max; max-abs) and the affine change of feature
space x_child = alpha * x_parent + beta they imply, pushed through the exact mode's sufficient statistics. Pure numpy
(update/merged_stages.py applies it to Spark stages; docs/updating.md "What stays frozen")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .exact_bayes import ClassState, ClassTotals
from .exact_linear import LinearState


@dataclass(frozen=True)
class Welford:
    """Per element of a vector: the row count, the mean and M2 = Σ(x − mean)² (Spark's unbiased variance is
    M2 / (n − 1))."""

    n: int
    mean: np.ndarray
    m2: np.ndarray


def merge_welford(a: Welford, b: Welford) -> Welford:
    """Chan et al.'s parallel merge: the count, mean and M2 of two disjoint row sets together."""
    n = a.n + b.n
    if a.n == 0 or b.n == 0:
        return b if a.n == 0 else a
    delta = b.mean - a.mean
    mean = a.mean + delta * (b.n / n)
    m2 = a.m2 + b.m2 + delta * delta * (a.n * b.n / n)
    return Welford(n, mean, m2)


def spark_std(w: Welford) -> np.ndarray:
    """The standard deviation StandardScaler fits: √(M2 / (n − 1)), 0 for fewer than two rows."""
    if w.n <= 1:
        return np.zeros_like(w.mean)
    return np.sqrt(np.maximum(w.m2, 0.0) / (w.n - 1))


# An affine map per element, or the elements where none exists (the parent's stage erased what the child needs).
Affine = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class AffineOrNot:
    """alpha, beta such that x_child = alpha * x_parent + beta for every row; `lost` the elements where the parent's
    output is constant while the child's is not (no map exists)."""

    alpha: np.ndarray
    beta: np.ndarray
    lost: np.ndarray  # bool per element


def standard_affine(parent_mean: np.ndarray, parent_std: np.ndarray, child_mean: np.ndarray, child_std: np.ndarray,
                    with_mean: bool, with_std: bool) -> AffineOrNot:
    """StandardScalerModel maps x to (x − m)·s with m = mean (withMean) or 0 and s = 1/std (0 when std is 0;
    1 without withStd): x'' = (s_c / s_p)·x' + s_c·(m_p − m_c)."""
    def scale(std: np.ndarray) -> np.ndarray:
        if not with_std:
            return np.ones_like(std)
        return np.where(std != 0.0, 1.0 / np.where(std != 0.0, std, 1.0), 0.0)

    s_p, s_c = scale(parent_std), scale(child_std)
    m_p = parent_mean if with_mean else np.zeros_like(parent_mean)
    m_c = child_mean if with_mean else np.zeros_like(child_mean)
    alive = s_p != 0.0
    alpha = np.where(alive, s_c / np.where(alive, s_p, 1.0), 1.0)
    beta = np.where(alive, s_c * (m_p - m_c), 0.0)
    return AffineOrNot(alpha, beta, ~alive & (s_c != 0.0))  # both 0: x' = x'' = 0, the identity holds


def min_max_affine(parent_min: np.ndarray, parent_max: np.ndarray, child_min: np.ndarray, child_max: np.ndarray,
                   low: float, high: float) -> AffineOrNot:
    """MinMaxScalerModel maps x to (x − min)·f + low with f = (high − low) / (max − min), or to (low + high) / 2
    where max = min (f = 0): x'' = (f_c / f_p)·(x' − low) + f_c·(min_p − min_c) + low."""
    def factor(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        span = hi - lo
        return np.where(span != 0.0, (high - low) / np.where(span != 0.0, span, 1.0), 0.0)

    f_p, f_c = factor(parent_min, parent_max), factor(child_min, child_max)
    alive = f_p != 0.0
    alpha = np.where(alive, f_c / np.where(alive, f_p, 1.0), 1.0)
    beta = np.where(alive, low - alpha * low + f_c * (parent_min - child_min), 0.0)
    # f_p = 0 = f_c: both outputs are the constant (low + high) / 2, the identity holds.
    return AffineOrNot(alpha, beta, ~alive & (f_c != 0.0))


def max_abs_affine(parent_max_abs: np.ndarray, child_max_abs: np.ndarray) -> AffineOrNot:
    """MaxAbsScalerModel multiplies by s = 1/maxAbs (1 when maxAbs is 0): x'' = (s_c / s_p)·x'; never lost."""
    def scale(m: np.ndarray) -> np.ndarray:
        return np.where(m != 0.0, 1.0 / np.where(m != 0.0, m, 1.0), 1.0)

    alpha = scale(child_max_abs) / scale(parent_max_abs)
    return AffineOrNot(alpha, np.zeros_like(alpha), np.zeros(alpha.shape, dtype=bool))


def moments_affine(m: LinearState, alpha: np.ndarray, beta: np.ndarray) -> LinearState:
    """The weighted moments of x'' = alpha∘x + beta from those of x: Σw x'' = α∘Σwx + β·Σw, Σw x''y = α∘Σwxy + β·Σwy,
    Σw x''x''ᵀ = D Σwxxᵀ D + (α∘Σwx) βᵀ + β (α∘Σwx)ᵀ + Σw·ββᵀ (D = diag α); the label's moments are unchanged."""
    ax = alpha * m.sum_wx
    sum_wxx = (alpha[:, None] * m.sum_wxx * alpha[None, :] + np.outer(ax, beta) + np.outer(beta, ax)
               + m.sum_w * np.outer(beta, beta))
    return LinearState(m.rows, m.sum_w, m.sum_wy, m.sum_wy2, ax + m.sum_w * beta, alpha * m.sum_wxy + beta * m.sum_wy,
                       (sum_wxx + sum_wxx.T) / 2.0)


def class_sums_affine(state: ClassState, alpha: np.ndarray, beta: np.ndarray) -> ClassState:
    """Per class, the sums of x'' = alpha∘x + beta: Σw x'' = α∘Σwx + β·Σw, Σw x''² = α²∘Σwx² + 2αβ∘Σwx + β²·Σw."""
    out: ClassState = {}
    for k, t in state.items():
        x2 = None if t.sum_wx2 is None else (alpha * alpha * t.sum_wx2 + 2.0 * alpha * beta * t.sum_wx
                                             + beta * beta * t.sum_w)
        out[k] = ClassTotals(t.count, t.sum_w, alpha * t.sum_wx + beta * t.sum_w, x2)
    return out


def embed(size: int, offset: int, block: AffineOrNot) -> Affine:
    """A block's map placed at `offset` in a feature vector of `size`, the identity elsewhere."""
    alpha, beta = np.ones(size), np.zeros(size)
    alpha[offset:offset + block.alpha.shape[0]] = block.alpha
    beta[offset:offset + block.beta.shape[0]] = block.beta
    return alpha, beta


def compose(first: Affine, then: Affine) -> Affine:
    """Two maps of the same vector, one after the other (two scalers feeding the same predictor)."""
    return then[0] * first[0], then[0] * first[1] + then[1]


__all__ = ["Affine", "AffineOrNot", "Welford", "class_sums_affine", "compose", "embed", "max_abs_affine",
           "merge_welford", "min_max_affine", "moments_affine", "spark_std", "standard_affine"]
