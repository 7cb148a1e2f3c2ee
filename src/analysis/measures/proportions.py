"""Uncertainty of shares of counted units: Wilson intervals and Fisher's exact test.

The framing measures end in shares: of a period's articles that affirm a label
(:mod:`analysis.views.trends`), of an article's sentences that carry a label or a frame
(:mod:`analysis.views.report`). With the handful of units behind such a share, it needs its
interval, and a difference between two groups its test.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. Journal of the American Statistical Association 22(158), 209-212.
Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial
proportion. Statistical Science 16(2), 101-133.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.measures.multiplicity import q_values

CONFIDENCE = 0.95


def wilson_interval(successes, trials, confidence: float = CONFIDENCE
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of binomial proportions (:meth:`scipy.stats.binomtest`).

    Unlike the normal-approximation interval it stays inside [0, 1] and keeps close to
    its nominal coverage for a handful of trials and for proportions of 0 or 1 (Brown,
    Cai & DasGupta 2001), the usual case for a label in an article or a month.

    Parameters
    ----------
    successes, trials : array-like of int, same shape
        Counts, ``0 <= successes <= trials``.
    confidence : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    low, high : ndarray of float, the shape of ``trials``
        Bounds in [0, 1]; (0, 1) where ``trials`` is 0 (no information).
    """
    from scipy.stats import binomtest

    k = np.asarray(successes, dtype="int64")
    n = np.asarray(trials, dtype="int64")
    # scipy computes one interval a call; a table repeats few distinct count pairs.
    pairs, where = np.unique(np.stack([k.ravel(), n.ravel()], axis=1), axis=0,
                             return_inverse=True)
    bounds = np.array([
        (0.0, 1.0) if trials_ == 0 else
        tuple(binomtest(int(successes_), int(trials_)).proportion_ci(confidence, "wilson"))
        for successes_, trials_ in pairs
    ]).reshape(-1, 2)
    where = where.ravel()
    return bounds[where, 0].reshape(n.shape), bounds[where, 1].reshape(n.shape)


def fisher_p(successes_a: int, trials_a: int, successes_b: int, trials_b: int) -> float:
    """Two-sided p-value of Fisher's exact test that two groups share one proportion.

    Parameters
    ----------
    successes_a, trials_a, successes_b, trials_b : int
        The counts of each group (e.g. labelled sentences of an article, and all of them).

    Returns
    -------
    float
        In (0, 1]; 1.0 when a group has no units (nothing to compare).
    """
    from scipy.stats import fisher_exact

    if not (trials_a and trials_b):
        return 1.0
    table = [[successes_a, trials_a - successes_a], [successes_b, trials_b - successes_b]]
    return float(fisher_exact(table).pvalue)


def compare_two(table: pd.DataFrame, group: str, a: str, b: str, successes: str,
                trials: str, items: Sequence[str] = (), share: str = "share") -> pd.DataFrame:
    """Two groups' shares side by side, with intervals and Fisher's exact test.

    Parameters
    ----------
    table : DataFrame
        One row per group (and item): the ``group`` column, the ``items`` columns, and
        the counts ``successes`` out of ``trials``.
    group : str
        Column naming the group, e.g. ``"article_id"``.
    a, b : str
        The two groups compared; a group absent from ``table`` counts zero units.
    successes, trials : str
        Count columns, e.g. ``"n_with_frame"`` out of ``"n_sentences"``.
    items : sequence of str, default ()
        Columns naming what is counted (e.g. ``("frame",)``); one row per item, in
        ``table`` order. Empty: ``table`` holds one row per group.
    share : str, default "share"
        Name of the share columns (e.g. ``"article_rate"``).

    Returns
    -------
    DataFrame
        ``*items``, then for each of a and b (suffix ``" <group>"``): the successes and
        trials columns, the share and its 95% Wilson interval (``<share>``,
        ``<share>_low``, ``<share>_high``); last ``p_fisher``, the two-sided p-value,
        and ``q_fisher``, its Benjamini-Hochberg adjustment over the items' tests
        (:mod:`analysis.measures.multiplicity`; equal to ``p_fisher`` for one test).
    """
    # Without items, every row of a group is the group's one row.
    keys = list(items) or ["_row"]
    table = table if items else table.assign(_row=0)
    rows = table[keys].drop_duplicates().reset_index(drop=True)
    out = rows.copy()
    counts = []
    for name in (a, b):
        own = table.loc[table[group] == name, [*keys, successes, trials]]
        merged = rows.merge(own, on=keys, how="left")
        k = merged[successes].fillna(0).astype("int64").to_numpy()
        n = merged[trials].fillna(0).astype("int64").to_numpy()
        low, high = wilson_interval(k, n)
        out[f"{successes} {name}"], out[f"{trials} {name}"] = k, n
        out[f"{share} {name}"] = np.divide(k, n, out=np.zeros(len(k)), where=n > 0)
        out[f"{share}_low {name}"], out[f"{share}_high {name}"] = low, high
        counts.append((k, n))
    (k_a, n_a), (k_b, n_b) = counts
    out["p_fisher"] = [fisher_p(*cells) for cells in zip(k_a, n_a, k_b, n_b, strict=True)]
    out["q_fisher"] = q_values(out["p_fisher"])
    return out.drop(columns="_row", errors="ignore")
