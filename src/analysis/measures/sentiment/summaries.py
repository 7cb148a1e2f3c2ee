"""Summaries of sentence scores per article or other group, and their comparison.

:func:`article_sentiment` (mean with a bootstrap interval), :func:`compare_sentiment`
(permutation test of two articles), :func:`lexicon_agreement` (Spearman correlation of
the two lexicons) and :func:`extreme_sentences` (the sentences at either end, to read
the scores). Sentences of one article are not independent draws (they share a topic and an
author), so the intervals and tests describe the variability of these sentences, not
of an outlet's coverage.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis.data.tables import require_columns
from analysis.errors import InputError
from analysis.measures.multiplicity import with_q_values
from analysis.measures.sentiment.groups import iter_groups, with_group_columns
from analysis.measures.sentiment.lexicons import MEASURES, SENTENCE_KEY
from analysis.measures.sentiment.statistics import bootstrap_mean_ci, permutation_test


def article_sentiment(
    sentiment: pd.DataFrame,
    n_boot: int = 10_000,
    seed: int = 0,
    level: float = 0.95,
    by: Sequence[str] = ("article_id",),
    measures: Sequence[str] = MEASURES,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mean sentence score per article (or other group) with a bootstrap interval.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table, shape (n_sentences, 8).
    n_boot, seed, level
        Passed to :func:`bootstrap_mean_ci`. Every group is resampled with the same
        seed, so an article's interval does not change when articles are added.
    by : sequence of str, default ("article_id",)
        Group columns; ``("article_id", "section")`` gives one row per article
        section, ``()`` one row for the whole corpus.
    measures : sequence of str, default ("vader_compound", "textblob_polarity")
        Score columns to summarise.
    sentences : DataFrame, optional
        The ``sentences`` table, needed only when ``by`` names columns the sentiment
        table lacks (``section``, ``paragraph_id``).

    Returns
    -------
    DataFrame
        Columns ``*by, measure, n, mean, ci_low, ci_high``; one row per group and
        measure, sorted. With the default ``by`` this is table ``article_sentiment``.
        Zero rows for an empty sentiment table.
    """
    by = list(by)
    require_columns(sentiment, list(measures), "sentiment")
    frame = with_group_columns(sentiment, by, sentences)
    rows = []
    for key, group in iter_groups(frame, by):
        for measure in measures:
            values = group[measure].to_numpy(dtype=float)
            mean, low, high = bootstrap_mean_ci(values, n_boot=n_boot, seed=seed, level=level)
            rows.append([*key, measure, int(np.count_nonzero(~np.isnan(values))),
                         mean, low, high])
    columns = [*by, "measure", "n", "mean", "ci_low", "ci_high"]
    out = pd.DataFrame(rows, columns=columns)
    out["n"] = out["n"].astype("int64")
    for col in ("mean", "ci_low", "ci_high"):
        out[col] = out[col].astype(float)
    return out.sort_values([*by, "measure"], kind="mergesort").reset_index(drop=True)


def compare_sentiment(
    sentiment: pd.DataFrame,
    article_a: str,
    article_b: str,
    measure: str = "vader_compound",
    n_perm: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare the sentence scores of two articles (a notebook convenience).

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    article_a, article_b : str
        Article ids; the difference is a minus b.
    measure : str, default "vader_compound"
        Score column to compare.
    n_perm, seed
        Passed to :func:`permutation_test`.

    Returns
    -------
    DataFrame
        One row: ``article_a, article_b, measure, n_a, n_b, mean_a, mean_b, difference,
        p_value, cohens_d, cliffs_delta``.

    Raises
    ------
    InputError
        If an article id has no sentences in ``sentiment``.
    """
    require_columns(sentiment, ["article_id", measure], "sentiment")
    known = set(sentiment["article_id"].astype(str))
    problems = [f"article_id {article!r} has no rows in the sentiment table"
                for article in (article_a, article_b) if article not in known]
    if problems:
        raise InputError(problems)
    a = sentiment.loc[sentiment["article_id"] == article_a, measure].to_numpy(dtype=float)
    b = sentiment.loc[sentiment["article_id"] == article_b, measure].to_numpy(dtype=float)
    result = permutation_test(a, b, n_perm=n_perm, seed=seed)
    return pd.DataFrame([{
        "article_a": article_a, "article_b": article_b, "measure": measure,
        "n_a": result.n_a, "n_b": result.n_b,
        "mean_a": float(np.nanmean(a)), "mean_b": float(np.nanmean(b)),
        "difference": result.difference, "p_value": result.p_value,
        "cohens_d": result.cohens_d, "cliffs_delta": result.cliffs_delta,
    }])


def compare_measures(sentiment: pd.DataFrame, article_a: str, article_b: str,
                     measures: Sequence[str], n_perm: int = 10_000,
                     seed: int = 0) -> pd.DataFrame:
    """:func:`compare_sentiment` for each of ``measures``, one family of tests.

    Returns
    -------
    DataFrame
        One row a measure, the columns of :func:`compare_sentiment` with ``q_value``
        after ``p_value``: the Benjamini-Hochberg adjustment over the measures
        (:mod:`analysis.measures.multiplicity`), since each lexicon is one more chance
        of a difference by chance.
    """
    table = pd.concat([compare_sentiment(sentiment, article_a, article_b, measure,
                                         n_perm=n_perm, seed=seed) for measure in measures],
                      ignore_index=True)
    return with_q_values(table)


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[int, float, float]:
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    n = int(x.size)
    # A constant column has no ranks to correlate; scipy would warn and return NaN.
    if n < 3 or np.unique(x).size < 2 or np.unique(y).size < 2:
        return n, math.nan, math.nan
    result = stats.spearmanr(x, y)
    return n, float(result.statistic), float(result.pvalue)


def lexicon_agreement(
    sentiment: pd.DataFrame,
    by: Sequence[str] | None = None,
    x: str = "vader_compound",
    y: str = "textblob_polarity",
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Spearman rank correlation between the two lexicons' sentence scores.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    by : sequence of str, optional
        Group columns (e.g. ``("article_id",)``); None gives one corpus-wide row.
    x, y : str
        The two score columns.
    sentences : DataFrame, optional
        Needed only when ``by`` names ``section`` or ``paragraph_id``.

    Returns
    -------
    DataFrame
        Columns ``*by, n, spearman_rho, p_value``; one row per group, sorted. ``rho``
        and ``p_value`` are NaN when a group has fewer than 3 sentences or either
        score is constant in it (no ranking to compare).
    """
    by = list(by or ())
    require_columns(sentiment, [x, y], "sentiment")
    frame = with_group_columns(sentiment, by, sentences)
    rows = [
        [*key, *_spearman(group[x].to_numpy(dtype=float), group[y].to_numpy(dtype=float))]
        for key, group in iter_groups(frame, by)
    ]
    out = pd.DataFrame(rows, columns=[*by, "n", "spearman_rho", "p_value"])
    out["n"] = out["n"].astype("int64")
    return out.astype({"spearman_rho": float, "p_value": float})


def extreme_sentences(
    sentiment: pd.DataFrame,
    sentences: pd.DataFrame,
    article_ids: Sequence[str],
    measure: str = "vader_compound",
    n: int = 2,
) -> pd.DataFrame:
    """The most negative and most positive sentences of each article, to read the scores.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    sentences : DataFrame
        The ``sentences`` table (for section and text).
    article_ids : sequence of str
        Articles to list, in this order.
    measure : str, default "vader_compound"
        The score that ranks the sentences.
    n : int, default 2
        Sentences at each end per article; an article with fewer than ``2 * n`` scored
        sentences lists each of them once.

    Returns
    -------
    DataFrame
        Columns article_id, end (``most negative`` or ``most positive``), sentence_id,
        section, ``measure``, text; per article the negative end first, each end from
        its extreme inwards, ties by sentence_id.
    """
    require_columns(sentiment, [*SENTENCE_KEY, measure], "sentiment")
    require_columns(sentences, [*SENTENCE_KEY, "section", "text"], "sentences")
    joined = sentiment.loc[:, [*SENTENCE_KEY, measure]].merge(
        sentences.loc[:, [*SENTENCE_KEY, "section", "text"]], on=SENTENCE_KEY, how="inner")
    frames = []
    for article in article_ids:
        own = joined[joined["article_id"] == article]
        low = own.sort_values([measure, "sentence_id"], kind="mergesort").head(n)
        rest = own.drop(low.index)
        high = rest.sort_values([measure, "sentence_id"], ascending=[False, True],
                                kind="mergesort").head(n)
        frames += [low.assign(end="most negative"), high.assign(end="most positive")]
    columns = ["article_id", "end", "sentence_id", "section", measure, "text"]
    if not frames:
        return pd.DataFrame({c: [] for c in columns})
    return pd.concat(frames, ignore_index=True).loc[:, columns]
