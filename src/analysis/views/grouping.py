"""Groups a per-article view is drawn by: the articles themselves while they are few,
else their outlets, else their publication periods.

A figure with one bar per article is readable for a few dozen articles and useless for
hundreds. :func:`display_groups` picks the finest grouping with at most ``max_groups``
groups (article, outlet, month, quarter, year) and says which; :func:`group_counts` and
:func:`group_prevalence` aggregate per-article tables to those groups, each group
labelled with the number of articles behind it; :func:`group_means` gives a group's
mean of its articles' means with an interval that takes the article as the unit;
:func:`keep_largest` merges the small values of one column (outlets, say) into one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.tables import require_columns
from analysis.views.trends import PERIOD, with_period

MAX_GROUPS = 30
# Values of one column a figure shows apart; the rest are drawn as one "other" bar.
MAX_VALUES = 15
# Coarser and coarser periods, tried in turn when the outlets are too many as well.
_PERIODS = (("M", "month"), ("Q", "quarter"), ("Y", "year"))


@dataclass(frozen=True)
class DisplayGroups:
    """Which group each article is drawn in.

    Attributes
    ----------
    by : str
        ``"article"``, ``"outlet"``, ``"month"``, ``"quarter"`` or ``"year"``.
    of_article : dict of str to str
        Article id to its group's label; for ``"article"`` the id itself, otherwise
        the group's value followed by its article count, e.g. ``"Daily (12 articles)"``.
    how : str
        One sentence for the reader saying what the per-article views show.
    """

    by: str
    of_article: dict[str, str]
    how: str


def display_groups(articles: pd.DataFrame, max_groups: int = MAX_GROUPS) -> DisplayGroups:
    """The finest grouping of ``articles`` with at most ``max_groups`` groups.

    Parameters
    ----------
    articles : DataFrame
        Table ``articles`` (article_id, outlet, published).
    max_groups : int, default 30
        The most bars (or rows) a per-article view may show.

    Returns
    -------
    DisplayGroups
    """
    require_columns(articles, ("article_id", "outlet", "published"), "articles")
    ids = articles["article_id"].astype(str)
    if len(articles) <= max_groups:
        return DisplayGroups("article", dict(zip(ids, ids, strict=True)),
                             f"One bar per article ({len(articles)}).")
    candidates = [("outlet", articles["outlet"].astype(str))]
    candidates += [(name, with_period(articles, freq)[PERIOD]) for freq, name in _PERIODS]
    for by, values in candidates:
        if values.nunique() <= max_groups or by == "year":
            break
    sizes = values.value_counts()
    labels = {v: f"{v} ({sizes[v]} article{'' if sizes[v] == 1 else 's'})" for v in sizes.index}
    return DisplayGroups(
        by, {a: labels[v] for a, v in zip(ids, values, strict=True)},
        f"The corpus has {len(articles)} articles, too many for one bar each: per-article "
        f"views show {sizes.size} groups by {by}, each labelled with its article count.")


def group_counts(counts: pd.DataFrame, groups: DisplayGroups) -> pd.DataFrame:
    """Per-article counts summed per display group.

    Parameters
    ----------
    counts : DataFrame
        article_id, category columns (e.g. ``section``) and count columns named
        ``n_*``, such as :func:`analysis.views.report.section_counts`.
    groups : DisplayGroups

    Returns
    -------
    DataFrame
        The same columns, ``article_id`` holding the group label and the counts summed;
        ``counts`` itself when the groups are the articles.
    """
    if groups.by == "article":
        return counts
    totals = [c for c in counts.columns if c.startswith("n_")]
    keys = [c for c in counts.columns if c != "article_id" and c not in totals]
    grouped = counts.assign(article_id=counts["article_id"].map(groups.of_article))
    return (grouped.groupby(["article_id", *keys], sort=True, observed=True)[totals]
            .sum().reset_index())


def group_prevalence(prevalence: pd.DataFrame, groups: DisplayGroups) -> pd.DataFrame:
    """Table ``topic_prevalence`` per display group: shares weighted by sentences.

    A group's share of a topic is the mean of its articles' shares weighted by their
    fitted sentences (``n_documents``), i.e. the topic's share of the group's sentence
    weight; ``n_documents`` is summed. ``prevalence`` itself when the groups are the
    articles.
    """
    if groups.by == "article":
        return prevalence
    frame = prevalence.assign(article_id=prevalence["article_id"].map(groups.of_article),
                              mass=prevalence["share"] * prevalence["n_documents"])
    grouped = frame.groupby(["article_id", "topic"], sort=True).agg(
        mass=("mass", "sum"), n_documents=("n_documents", "sum")).reset_index()
    return grouped.assign(share=grouped["mass"] / grouped["n_documents"].where(
        grouped["n_documents"] > 0)).fillna({"share": 0.0}).drop(columns="mass")


def group_means(summary: pd.DataFrame, groups: DisplayGroups) -> pd.DataFrame:
    """Per-article means (table ``article_sentiment``) as means per display group.

    A group's value is the mean of its articles' means, each article counting once,
    with a 95% t interval over those articles: sentences of one article are not
    independent, so the article is the unit. A group of one article has no interval
    (its bounds are its mean). ``n`` is the number of articles. ``summary`` itself when
    the groups are the articles.

    Returns
    -------
    DataFrame
        article_id (the group label), measure, n, mean, ci_low, ci_high.
    """
    from scipy.stats import t

    if groups.by == "article":
        return summary
    rows = []
    labelled = summary.loc[summary["n"] > 0].assign(
        article_id=summary["article_id"].map(groups.of_article))
    for (label, measure), own in labelled.groupby(["article_id", "measure"], sort=True):
        means = own["mean"].to_numpy(dtype=float)
        mean, n = float(means.mean()), len(means)
        half = (float(t.ppf(0.975, n - 1) * means.std(ddof=1) / np.sqrt(n)) if n > 1
                else 0.0)
        rows.append((label, measure, n, mean, mean - half, mean + half))
    return pd.DataFrame(rows, columns=["article_id", "measure", "n", "mean", "ci_low",
                                       "ci_high"])


@dataclass(frozen=True)
class LargestValues:
    """Articles whose column keeps only its most frequent values (see :func:`keep_largest`).

    Attributes
    ----------
    articles : DataFrame
        The articles, with the column's smaller values replaced by one "other" value.
    how : str
        One sentence for the reader saying what was merged.
    """

    articles: pd.DataFrame
    how: str


def keep_largest(articles: pd.DataFrame, column: str,
                 max_values: int = MAX_VALUES) -> LargestValues:
    """Merge all but the ``max_values - 1`` most frequent values of ``column`` into one.

    A figure with a bar per outlet stays readable for about fifteen outlets; a corpus of
    many outlets is drawn as its largest ones and one bar for all the others, so every
    article is still counted once.

    Parameters
    ----------
    articles : DataFrame
        Table ``articles`` (article_id and ``column``).
    column : str
        The article column to group by, such as ``"outlet"``.
    max_values : int, default 15
        The most values kept, the merged one included; at least 2.

    Returns
    -------
    LargestValues
        ``articles`` unchanged when the column has at most ``max_values`` values;
        otherwise the largest ``max_values - 1`` values (by article count, ties by
        value) kept and the rest replaced by ``"other (N <column>s)"``.
    """
    require_columns(articles, ("article_id", column), "articles")
    if max_values < 2:
        raise ValueError(f"max_values must be at least 2, got {max_values}")
    values = articles[column].astype(str)
    sizes = values.value_counts()
    if len(sizes) <= max_values:
        return LargestValues(articles, f"Every {column} is drawn apart ({len(sizes)}).")
    ranked = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))
    kept = {value for value, _ in ranked[:max_values - 1]}
    n_other = len(sizes) - len(kept)
    other = f"other ({n_other} {column}s)"
    merged = articles.assign(**{column: values.where(values.isin(kept), other)})
    n_articles = int((~values.isin(kept)).sum())
    return LargestValues(merged, f"The corpus has {len(sizes)} values of {column}: the "
                         f"{len(kept)} with the most articles are drawn apart, the other "
                         f"{n_other} ({n_articles} articles) together as {other!r}.")
