"""Statistics over sentence scores: bootstrap intervals, permutation tests, effect sizes.

Sentences are the sampling unit: a percentile bootstrap for the mean
(:func:`bootstrap_mean_ci`) and a permutation test for the difference between two
samples, with Cohen's d and Cliff's delta as effect sizes (:func:`permutation_test`).
Both draw from a seeded ``PCG64`` generator, so the same input and seed give the same
numbers.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

# Bootstrap and permutation draws are made in blocks of at most this many random
# numbers, so memory stays bounded (about 16 MB a block) for long articles.
_MAX_DRAWS_PER_BLOCK = 1 << 21
# Permuted differences this close to the observed one (relative) count as ties: the
# same split summed in another order can differ in the last bits.
_TIE_TOLERANCE = 1e-12


def _finite(values) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    return array[~np.isnan(array)]


def _rng(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


def bootstrap_mean_ci(
    values, n_boot: int = 10_000, seed: int = 0, level: float = 0.95
) -> tuple[float, float, float]:
    """Sample mean with a percentile-bootstrap confidence interval.

    Parameters
    ----------
    values : array-like of float, shape (n,)
        Observations, e.g. the sentence scores of one article. NaN values are dropped.
    n_boot : int, default 10_000
        Number of resamples (each of size n, with replacement).
    seed : int, default 0
        Seed of the ``PCG64`` generator; the same values, ``n_boot`` and seed give the
        same interval on every run, whatever else is being computed.
    level : float, default 0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    (mean, low, high) : tuple of float
        The sample mean and the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles
        (linear interpolation) of the resampled means. For n = 0 all three are NaN;
        for n = 1 the interval is degenerate, ``low == high == mean`` (one value says
        nothing about spread, read it as "no interval").
    """
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    sample = _finite(values)
    n = sample.size
    if n == 0:
        return math.nan, math.nan, math.nan
    rng = _rng(seed)
    means = np.empty(n_boot)
    block = max(1, _MAX_DRAWS_PER_BLOCK // n)
    for start in range(0, n_boot, block):
        stop = min(n_boot, start + block)
        means[start:stop] = sample[rng.integers(0, n, size=(stop - start, n))].mean(axis=1)
    alpha = 1.0 - level
    low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return float(sample.mean()), float(low), float(high)


class PermutationResult(NamedTuple):
    """Outcome of :func:`permutation_test`.

    Attributes
    ----------
    difference : float
        ``mean(a) - mean(b)``, in the units of the scores.
    p_value : float
        Two-sided permutation p-value, ``(count + 1) / (n_perm + 1)``, where ``count``
        is the number of random relabellings whose absolute difference in means is at
        least the observed one. Never 0; about 1 for identical samples.
    cohens_d : float
        Difference over the pooled standard deviation (ddof 1). When the pooled SD is
        0 (both samples constant, e.g. one observation each): 0 if both hold the same
        value, NaN otherwise (the difference cannot be scaled).
    cliffs_delta : float
        P(a > b) - P(a < b) over all pairs, in [-1, 1]; rank-based, so it suits the
        many neutral (0) sentences and the bounded scale better than Cohen's d.
    n_a, n_b : int
        Sample sizes after dropping NaN.
    """

    difference: float
    p_value: float
    cohens_d: float
    cliffs_delta: float
    n_a: int
    n_b: int


def _squared_deviations(x: np.ndarray) -> float:
    # A constant sample has exactly zero spread; computing it would leave rounding
    # noise (mean of [0.5] * 4 is not exactly 0.5) and blow d up to ~1e16.
    return 0.0 if x.min() == x.max() else float(((x - x.mean()) ** 2).sum())


def _cohens_d(a: np.ndarray, b: np.ndarray) -> float:
    difference = a.mean() - b.mean()
    dof = a.size + b.size - 2
    pooled_squares = _squared_deviations(a) + _squared_deviations(b)
    if pooled_squares == 0:
        # Both samples constant (always so with one observation each): no spread to scale by.
        return 0.0 if np.array_equal(np.unique(a), np.unique(b)) else math.nan
    return float(difference / math.sqrt(pooled_squares / dof))


def _cliffs_delta(a: np.ndarray, b: np.ndarray) -> float:
    # Counting through a sorted copy of b is O((n_a + n_b) log n_b) instead of n_a * n_b.
    ordered = np.sort(b)
    below = np.searchsorted(ordered, a, side="left")
    above = b.size - np.searchsorted(ordered, a, side="right")
    return float((below.sum() - above.sum()) / (a.size * b.size))


def permutation_test(a, b, n_perm: int = 10_000, seed: int = 0) -> PermutationResult:
    """Two-sample permutation test for a difference in means, with effect sizes.

    Parameters
    ----------
    a, b : array-like of float, shapes (n_a,) and (n_b,)
        The two samples (e.g. sentence scores of two articles); NaN values are dropped.
    n_perm : int, default 10_000
        Number of random relabellings of the pooled sample.
    seed : int, default 0
        Seed of the ``PCG64`` generator.

    Returns
    -------
    PermutationResult
        ``difference`` (a - b), ``p_value``, ``cohens_d``, ``cliffs_delta``, ``n_a``,
        ``n_b``. If either sample is empty, everything but the sizes is NaN.
    """
    if n_perm < 1:
        raise ValueError(f"n_perm must be at least 1, got {n_perm}")
    a, b = _finite(a), _finite(b)
    if a.size == 0 or b.size == 0:
        return PermutationResult(math.nan, math.nan, math.nan, math.nan, a.size, b.size)
    observed = a.mean() - b.mean()
    pooled = np.concatenate([a, b])
    total = pooled.sum()
    rng = _rng(seed)
    threshold = abs(observed) - _TIE_TOLERANCE * max(1.0, abs(observed))
    count = 0
    block = max(1, _MAX_DRAWS_PER_BLOCK // pooled.size)
    for start in range(0, n_perm, block):
        rows = min(n_perm, start + block) - start
        shuffled = rng.permuted(np.broadcast_to(pooled, (rows, pooled.size)), axis=1)
        sum_a = shuffled[:, : a.size].sum(axis=1)
        differences = sum_a / a.size - (total - sum_a) / b.size
        count += int(np.count_nonzero(np.abs(differences) >= threshold))
    return PermutationResult(
        difference=float(observed),
        p_value=(count + 1) / (n_perm + 1),
        cohens_d=_cohens_d(a, b),
        cliffs_delta=_cliffs_delta(a, b),
        n_a=int(a.size),
        n_b=int(b.size),
    )
