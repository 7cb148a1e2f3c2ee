"""Shares of labelled sentences corrected by a hand-coded random sample, with valid intervals.

The tool labels every sentence, but it errs, and its errors do not cancel: a rule that
misses half the sentences carrying a label and tags a few that do not turns a true share
of 30% into 17%. A Wilson interval around the tool's share is then a precise interval
around the wrong number, and narrows as the corpus grows. A random sample of sentences
coded by hand, with known inclusion probabilities, corrects it: design-based supervised
learning (DSL; Egami, Hinck, Stewart & Wei 2023) adds to each sentence's tool label the
coder's correction weighted by the inverse of its inclusion probability,

    Ỹ_i = Ŷ_i + (R_i / π_i) (Y_i − Ŷ_i),

(Ŷ_i the tool's label, R_i 1 if the sentence was coded, π_i its known probability to be,
Y_i the coder's label), whose mean over all N sentences is unbiased for the share
whatever the tool's errors, with standard error ``sd(Ỹ, ddof=1) / sqrt(N)``. The tool's
labels only make the interval narrower the better they are; they never bias it. The
sample may favour some sentences (e.g. those the tool labels, to see its false positives)
as long as their π is known: the weights undo the design.

With one π for all sentences (a simple random sample) the estimate is the mean estimator
of prediction-powered inference (PPI; Angelopoulos et al. 2023), up to its first term
using all N sentences, coded ones included, rather than the uncoded ones only.

References
----------
Egami, N., Hinck, M., Stewart, B. M. & Wei, H. (2023). Using imperfect surrogates for
downstream inference: design-based supervised learning for social science applications
of large language models. Advances in Neural Information Processing Systems 36 (NeurIPS).
Angelopoulos, A. N., Bates, S., Fannjiang, C., Jordan, M. I. & Zrnic, T. (2023).
Prediction-powered inference. Science 382(6671), 669-674.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.measures.proportions import wilson_interval

TABLE_COLUMNS = ("predicted", "coded", "inclusion_probability")


@dataclass(frozen=True)
class CorrectedShare:
    """A share of sentences carrying a label: the tool's and the hand-corrected one.

    ``n`` sentences, ``n_coded`` of them coded by hand. ``naive`` is the tool's share with
    its Wilson interval (``naive_low``, ``naive_high``), valid only if the tool never errs.
    ``estimate`` is the DSL estimate with its standard error ``se`` and normal interval
    (``low``, ``high``, clipped to [0, 1]; the estimate itself is not clipped and may fall
    outside it when few coded sentences carry large weights). ``width_ratio`` is the
    corrected interval's width over the naive one's, both as reported (clipped): the price
    of validity. Without coded sentences the corrected fields are nan.
    """

    n: int
    n_coded: int
    naive: float
    naive_low: float
    naive_high: float
    estimate: float
    se: float
    low: float
    high: float
    width_ratio: float


@dataclass(frozen=True)
class CorrectedDifference:
    """``b − a`` of two groups' corrected shares, its standard error, interval and
    two-sided p-value, and the tool's (naive) difference of the same groups."""

    difference: float
    se: float
    low: float
    high: float
    p: float
    naive_difference: float


@lru_cache
def _z(level: float) -> float:
    # scipy.stats is imported on first use, as in analysis.measures.proportions: it costs
    # a notebook kernel most of a second, and most notebooks never need it. Cached: ppf
    # costs more than the rest of a share of a few thousand sentences.
    from scipy.stats import norm

    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    return float(norm.ppf(0.5 + level / 2))


def _validated(predicted, coded, inclusion_probability
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y_hat = np.asarray(predicted, dtype=float)
    y = np.asarray(coded, dtype=float)
    pi = np.asarray(inclusion_probability, dtype=float)
    if not (y_hat.ndim == y.ndim == pi.ndim == 1):
        raise ValueError("predicted, coded and inclusion_probability must be 1-D arrays")
    if not (len(y_hat) == len(y) == len(pi)):
        raise ValueError(f"predicted, coded and inclusion_probability differ in length: "
                         f"{len(y_hat)}, {len(y)}, {len(pi)}")
    if not ((y_hat == 0) | (y_hat == 1)).all():
        raise ValueError("predicted must hold 0 or 1 for every sentence")
    is_coded = ~np.isnan(y)
    if not ((y == 0) | (y == 1) | ~is_coded).all():
        raise ValueError("coded must hold 0, 1 or nan (not coded)")
    # Comparisons with nan are False, so a nan π fails the first test, as it must for a
    # coded sentence; for an uncoded one nan is allowed since its π is never used.
    valid_pi = (pi > 0) & (pi <= 1)
    if not valid_pi[is_coded].all():
        raise ValueError("inclusion_probability must be in (0, 1] for every coded sentence")
    if not (valid_pi | np.isnan(pi))[~is_coded].all():
        raise ValueError("inclusion_probability of an uncoded sentence must be in (0, 1] "
                         "or nan")
    return y_hat, y, pi


def pseudo_outcomes(predicted, coded, inclusion_probability) -> np.ndarray:
    """DSL pseudo-outcomes ``Ỹ = Ŷ + (R / π) (Y − Ŷ)`` of the sentences.

    Parameters
    ----------
    predicted : array-like of shape (N,)
        The tool's label Ŷ of each sentence, 0 or 1.
    coded : array-like of shape (N,)
        The coder's label Y, 0 or 1, or nan for a sentence not coded (R = 0).
    inclusion_probability : array-like of shape (N,)
        π, each sentence's known probability to be in the coded sample, in (0, 1]. That
        of an uncoded sentence is not used and may be nan.

    Returns
    -------
    ndarray of float, shape (N,)
        Ŷ for an uncoded sentence, ``Ŷ + (Y − Ŷ) / π`` for a coded one.

    Raises
    ------
    ValueError
        Lengths differ, or a value is outside the sets above.
    """
    return _pseudo(*_validated(predicted, coded, inclusion_probability))


def _pseudo(y_hat: np.ndarray, y: np.ndarray, pi: np.ndarray) -> np.ndarray:
    is_coded = ~np.isnan(y)
    correction = np.zeros_like(y_hat)
    correction[is_coded] = (y[is_coded] - y_hat[is_coded]) / pi[is_coded]
    return y_hat + correction


def corrected_share(predicted, coded, inclusion_probability, level: float = 0.95
                    ) -> CorrectedShare:
    """The share of sentences carrying a label, corrected by the hand-coded sample.

    Parameters
    ----------
    predicted, coded, inclusion_probability : array-like of shape (N,)
        As in :func:`pseudo_outcomes`; N >= 1.
    level : float, default 0.95
        Coverage of both intervals.

    Returns
    -------
    CorrectedShare
        ``estimate = mean(Ỹ)``, ``se = sd(Ỹ, ddof=1) / sqrt(N)`` and the interval
        ``estimate ± z se`` (z the normal quantile of ``level``), its bounds clipped to
        [0, 1]; beside them the tool's share ``mean(Ŷ)`` and its Wilson interval. The
        corrected fields are nan when no sentence is coded (nothing to correct with), and
        ``se``, ``low``, ``high`` also when N is 1. When every pseudo-outcome is 0 (or
        every one 1) the standard error is 0 and the interval is instead the Wilson
        interval of the coded sentences (0 of ``n_coded``, or all of them).

    Notes
    -----
    The DSL estimator of a mean (Egami et al. 2023). With one π for all sentences it is
    the mean estimator of prediction-powered inference (Angelopoulos et al. 2023), up to
    its first term averaging the tool's labels of all N sentences, coded ones included.
    """
    z = _z(level)
    y_hat, y, pi = _validated(predicted, coded, inclusion_probability)
    n = len(y_hat)
    if n == 0:
        raise ValueError("no sentences: a share needs at least one")
    y_tilde = _pseudo(y_hat, y, pi)
    n_coded = int((~np.isnan(y)).sum())
    naive_low, naive_high = (float(b) for b in wilson_interval(y_hat.sum(), n, level))
    estimate = se = low = high = width_ratio = float("nan")
    if n_coded:
        estimate = float(y_tilde.mean())
        se = float(y_tilde.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
        low = float(np.clip(estimate - z * se, 0.0, 1.0))
        high = float(np.clip(estimate + z * se, 0.0, 1.0))
        if se == 0.0:
            # Every pseudo-outcome 0 (or 1): no coded sentence carries the label (or all
            # do) and the tool agrees. A normal interval collapses to a point; the Wilson
            # interval of the coded sentences does not claim more than they show.
            low, high = (float(b) for b in wilson_interval(estimate * n_coded, n_coded,
                                                           level))
        width_ratio = (high - low) / (naive_high - naive_low)
    return CorrectedShare(n=n, n_coded=n_coded, naive=float(y_hat.mean()),
                          naive_low=naive_low, naive_high=naive_high, estimate=estimate,
                          se=se, low=low, high=high, width_ratio=width_ratio)


def corrected_shares(table: pd.DataFrame, by: list[str], level: float = 0.95
                     ) -> pd.DataFrame:
    """Corrected shares of groups of sentences (outlets, months, ...), one row a group.

    Parameters
    ----------
    table : DataFrame
        One row a sentence: ``predicted``, ``coded`` and ``inclusion_probability`` as in
        :func:`pseudo_outcomes`, and the ``by`` columns.
    by : list of str
        Grouping columns; empty for one row of the whole corpus.
    level : float, default 0.95
        Coverage of the intervals.

    Returns
    -------
    DataFrame
        The ``by`` columns, then the fields of :class:`CorrectedShare`; groups sorted. Each
        group is corrected by its own coded sentences only, so a group without any has
        nan corrected fields.
    """
    missing = [c for c in (*TABLE_COLUMNS, *by) if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the columns {missing}")
    columns = [*by, *(f.name for f in fields(CorrectedShare))]
    groups = table.groupby(by, sort=True, dropna=False) if by else [((), table)]
    rows = []
    for key, group in groups:
        # Nullable columns (Int8, Float64) hold pd.NA, which float arrays cannot.
        arrays = (group[c].to_numpy(dtype=float, na_value=np.nan) for c in TABLE_COLUMNS)
        share = corrected_share(*arrays, level=level)
        rows.append({**dict(zip(by, key, strict=True)), **asdict(share)})
    return pd.DataFrame(rows, columns=columns)


def compare_corrected(a: CorrectedShare, b: CorrectedShare, level: float = 0.95
                      ) -> CorrectedDifference:
    """``b − a`` of two groups' corrected shares, with its interval and normal test.

    The groups must be disjoint sets of sentences (and coded samples drawn independently
    within them), so the two estimates are independent and ``se = sqrt(se_a² + se_b²)``.

    Parameters
    ----------
    a, b : CorrectedShare
        The two groups' :func:`corrected_share`, or rows of :func:`corrected_shares`
        without the ``by`` columns, as ``CorrectedShare(**row)``.
    level : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    CorrectedDifference
        The difference, its se, the interval ``difference ± z se`` (not clipped), the
        two-sided p-value ``2 (1 − Φ(|difference| / se))`` and ``b.naive − a.naive``.
        nan where either group has no corrected share.
    """
    from scipy.stats import norm

    z = _z(level)
    difference = b.estimate - a.estimate
    se = float(np.hypot(a.se, b.se))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = float(2 * norm.sf(np.abs(np.float64(difference) / se)))
    return CorrectedDifference(difference=difference, se=se, low=difference - z * se,
                               high=difference + z * se, p=p,
                               naive_difference=b.naive - a.naive)
