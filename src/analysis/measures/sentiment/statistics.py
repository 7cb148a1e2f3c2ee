"""Statistics over sentence scores: bootstrap intervals, permutation tests, effect sizes.

Sentences are the sampling unit: a bias-corrected and accelerated (BCa) bootstrap
interval for the mean (:func:`bootstrap_mean_ci`) and a permutation test for the
difference between two samples, with Cohen's d and Cliff's delta as effect sizes
(:func:`permutation_test`). Both are :mod:`scipy.stats`' implementations
(``bootstrap``, ``permutation_test``) drawing from a seeded ``PCG64`` generator, so the
same input and seed give the same numbers.

References
----------
Efron, B. (1987). Better bootstrap confidence intervals. Journal of the American
Statistical Association 82(397), 171-185.
"""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np
from scipy import stats

# Resamples are drawn in batches of at most this many random numbers, so memory stays
# bounded (about 16 MB a batch) for long articles.
_MAX_DRAWS_PER_BATCH = 1 << 21


def _finite(values) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    return array[~np.isnan(array)]


def _rng(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


def _batch(n: int) -> int:
    return max(1, _MAX_DRAWS_PER_BATCH // max(n, 1))


def bootstrap_mean_ci(
    values, n_boot: int = 10_000, seed: int = 0, level: float = 0.95, method: str = "BCa"
) -> tuple[float, float, float]:
    """Sample mean with a bootstrap confidence interval (:func:`scipy.stats.bootstrap`).

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
    method : {"BCa", "percentile"}, default "BCa"
        BCa corrects the percentile interval for the bias and skew of the resampled
        means (Efron 1987); sentence scores are bounded and often skewed by many
        neutral sentences. Where BCa is undefined (every jackknife mean equal, e.g. a
        sample with one value differing from an otherwise constant sample of two), the
        percentile interval is returned.

    Returns
    -------
    (mean, low, high) : tuple of float
        The sample mean and the interval's bounds. For n = 0 all three are NaN; for
        n = 1 or a constant sample the interval is degenerate, ``low == high == mean``
        (no spread to resample: read it as "no interval").
    """
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    if method not in ("BCa", "percentile"):
        raise ValueError(f"method must be 'BCa' or 'percentile', got {method!r}")
    sample = _finite(values)
    if sample.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(sample.mean())
    if sample.min() == sample.max():
        return mean, mean, mean
    interval = _bootstrap(sample, n_boot, seed, level, method)
    if method == "BCa" and not np.all(np.isfinite(interval)):
        interval = _bootstrap(sample, n_boot, seed, level, "percentile")
    return mean, float(interval[0]), float(interval[1])


def _bootstrap(sample: np.ndarray, n_boot: int, seed: int, level: float,
               method: str) -> tuple[float, float]:
    with warnings.catch_warnings():
        # BCa on a sample whose jackknife means are all equal warns and returns NaN;
        # the caller falls back to the percentile interval.
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        result = stats.bootstrap(
            (sample,), np.mean, n_resamples=n_boot, confidence_level=level,
            method=method, vectorized=True, batch=_batch(sample.size), rng=_rng(seed))
    return result.confidence_interval.low, result.confidence_interval.high


class PermutationResult(NamedTuple):
    """Outcome of :func:`permutation_test`.

    Attributes
    ----------
    difference : float
        ``mean(a) - mean(b)``, in the units of the scores.
    p_value : float
        Two-sided p-value: the share of relabellings of the pooled sample whose
        absolute difference in means is at least the observed one. Exact (every
        relabelling) when there are at most ``n_perm`` of them; otherwise
        ``(count + 1) / (n_perm + 1)`` over random relabellings, never 0.
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


def _absolute_difference(a, b, axis=-1):
    return np.abs(a.mean(axis=axis) - b.mean(axis=axis))


def permutation_test(a, b, n_perm: int = 10_000, seed: int = 0) -> PermutationResult:
    """Two-sample permutation test for a difference in means, with effect sizes.

    The test is :func:`scipy.stats.permutation_test` of the absolute difference in
    means (one statistic for both directions, so the p-value is two-sided without
    doubling a one-sided one).

    Parameters
    ----------
    a, b : array-like of float, shapes (n_a,) and (n_b,)
        The two samples (e.g. sentence scores of two articles); NaN values are dropped.
    n_perm : int, default 10_000
        Number of random relabellings of the pooled sample; when the samples allow no
        more distinct relabellings than this, all of them are used (an exact test).
    seed : int, default 0
        Seed of the ``PCG64`` generator.

    Returns
    -------
    PermutationResult
        ``difference`` (a - b), ``p_value``, ``cohens_d``, ``cliffs_delta``, ``n_a``,
        ``n_b``. If either sample is empty, everything but the sizes is NaN; if either
        has one observation, ``p_value`` is NaN (scipy's test needs two a sample, and
        one sentence says nothing about an article's spread).
    """
    if n_perm < 1:
        raise ValueError(f"n_perm must be at least 1, got {n_perm}")
    a, b = _finite(a), _finite(b)
    if a.size == 0 or b.size == 0:
        return PermutationResult(math.nan, math.nan, math.nan, math.nan, a.size, b.size)
    p_value = math.nan
    if min(a.size, b.size) >= 2:
        p_value = float(stats.permutation_test(
            (a, b), _absolute_difference, permutation_type="independent", vectorized=True,
            n_resamples=n_perm, alternative="greater", batch=_batch(a.size + b.size),
            rng=_rng(seed)).pvalue)
    return PermutationResult(
        difference=float(a.mean() - b.mean()),
        p_value=p_value,
        cohens_d=_cohens_d(a, b),
        cliffs_delta=_cliffs_delta(a, b),
        n_a=int(a.size),
        n_b=int(b.size),
    )
