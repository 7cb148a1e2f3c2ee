"""Coverage over time and by outlet: guarantor and form shares per period or outlet.

A corpus-level view of the guarantee framing of :mod:`analysis.measures.framing`: for each
period of publication (month by default) or outlet, how the affirmed mentions of a
dimension's labels split (``share``), and how many of the group's articles affirm each
label at least once (``article_rate``, with a 95% Wilson interval), always with the
number of articles behind the numbers. Two periods are compared with Fisher's exact test
of their article rates. With few articles per period these numbers describe those
articles, not a trend; :func:`trend_findings` says so in computed sentences.

Input is the ``articles`` and ``guarantee_mentions`` tables, from the processed CSVs
or from the Parquet output of ``python -m analysis score`` (:func:`load_corpus`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data import tables, text
from analysis.data.periods import publication_periods
from analysis.errors import InputError
from analysis.measures import framing
from analysis.measures.multiplicity import with_q_values
from analysis.measures.proportions import compare_two, wilson_interval
from analysis.views.formatting import (
    format_count,
    format_p_value,
    format_proportion,
    format_q_value,
)

PERIOD = "period"
_YEAR_FIRST = re.compile(r"^\d{4}(?:$|[-Q W])")
DEFAULT_FREQ = "M"
SHARE_COLUMNS = ("dimension", "label", "n_articles", "n_articles_with_label", "article_rate",
                 "article_rate_low", "article_rate_high", "n_mentions", "n_mentions_total",
                 "share", "n_negated")


def load_corpus(processed_dir: str | os.PathLike | None = None,
                scored_dir: str | os.PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tables ``articles`` and ``guarantee_mentions`` of a corpus.

    Parameters
    ----------
    processed_dir : path-like, optional
        Folder of the processed CSV tables (``python -m analysis build``); used when
        ``scored_dir`` is None.
    scored_dir : path-like, optional
        Output folder of ``python -m analysis score`` (Parquet parts per table), read
        with :func:`analysis.pipeline.scale.read_scored`.

    Returns
    -------
    (articles, mentions) : tuple of DataFrame
        Shaped as the catalog tables. A scored folder without parts of a table gives
        that table empty.

    Raises
    ------
    ValueError
        If neither folder is given.
    analysis.errors.InputError
        If a processed CSV table is missing or outdated (see
        :func:`analysis.data.tables.read_tables`).
    """
    if scored_dir is not None:
        from analysis.pipeline import scale

        return (scale.read_scored(scored_dir, "articles"),
                scale.read_scored(scored_dir, "guarantee_mentions"))
    if processed_dir is None:
        raise ValueError("pass processed_dir (CSV tables) or scored_dir (Parquet tables)")
    loaded = tables.read_tables(processed_dir, ("articles", "guarantee_mentions"))
    return loaded["articles"], loaded["guarantee_mentions"]


def check_freq(freq: str) -> str:
    """Validate a pandas period frequency (``"M"``, ``"Q"``, ``"Y"``, ``"W"``, ``"D"``).

    Raises
    ------
    analysis.errors.InputError
        If pandas does not know ``freq`` as a period frequency.
    """
    try:
        pd.Period("2025-01-01", freq=freq)
    except (ValueError, TypeError):
        raise InputError([f"freq {freq!r} is not a pandas period frequency; use e.g. "
                          "'M' (month), 'Q' (quarter), 'Y' (year), 'W' (week)"]) from None
    return freq


def with_period(articles: pd.DataFrame, freq: str = DEFAULT_FREQ) -> pd.DataFrame:
    """``articles`` with a ``period`` column: the publication period as a string.

    Parameters
    ----------
    articles : DataFrame
        Table ``articles`` (``published`` as ISO ``YYYY-MM-DD``).
    freq : str, default "M"
        Period frequency; ``"M"`` gives ``"2025-02"``, ``"Q"`` ``"2025Q1"``.

    Returns
    -------
    DataFrame
        A copy with ``period`` added.
    """
    check_freq(freq)
    return articles.assign(**{PERIOD: publication_periods(articles["published"], freq)})


def period_label(value: str, freq: str = DEFAULT_FREQ) -> str:
    """The period containing ``value`` (a date or period string) at frequency ``freq``.

    ``period_label("2025-02", "Q") == "2025Q1"``; lets a notebook name its default
    points by month whatever frequency it runs at.

    Raises
    ------
    analysis.errors.InputError
        If ``value`` is not a date or period pandas can read.
    """
    check_freq(freq)
    problem = [f"period {value!r} is not a date or period such as '2025-02'"]
    # pandas reads a bare month name as year 1: a period must start with its year.
    if not _YEAR_FIRST.match(str(value)):
        raise InputError(problem)
    try:
        return str(pd.Period(value, freq=freq))
    except (ValueError, TypeError):
        raise InputError(problem) from None


@dataclass(frozen=True)
class ComparedPeriods:
    """The two periods a notebook sets side by side, and how they were chosen.

    Attributes
    ----------
    a, b : str
        The periods at the notebook's frequency (``"2025-02"``), the earlier first when
        chosen from the data.
    how : str
        One sentence for the reader: which periods, how many articles each has, and
        whether the data or the parameters chose them.
    """

    a: str
    b: str
    how: str


def compared_periods(articles: pd.DataFrame, freq: str = DEFAULT_FREQ,
                     period_a: str | None = None,
                     period_b: str | None = None) -> ComparedPeriods:
    """The two periods to compare: given, or the earliest and the latest with articles.

    Parameters
    ----------
    articles : DataFrame
        Table ``articles``.
    freq : str, default "M"
        Period frequency.
    period_a, period_b : str or None
        Dates or periods from the notebook's parameters (turned into periods of
        ``freq``, see :func:`period_label`); ``None`` chooses from the data: the
        earliest period with articles for ``a``, the latest for ``b``.

    Returns
    -------
    ComparedPeriods

    Raises
    ------
    analysis.errors.InputError
        A given value that is not a date or period, or a corpus without articles.
    """
    counts = with_period(articles, freq)[PERIOD].value_counts()
    if counts.empty:
        raise InputError(["the corpus has no articles; there are no periods to compare"])
    ordered = sorted(counts.index)
    a = period_label(period_a, freq) if period_a is not None else ordered[0]
    b = period_label(period_b, freq) if period_b is not None else ordered[-1]

    def name(period: str, given: bool, default: str) -> str:
        n = int(counts.get(period, 0))
        return (f"{period} ({n} article{'' if n == 1 else 's'}), "
                f"{'given' if given else default}")

    how = (f"Compared periods: {name(a, period_a is not None, 'the earliest with articles')}, "
           f"and {name(b, period_b is not None, 'the latest')}. Set period_a / period_b to "
           f"compare others.")
    return ComparedPeriods(a, b, how)


def _dimensions(dimension: str | Sequence[str]) -> list[str]:
    dims = [dimension] if isinstance(dimension, str) else list(dimension)
    vocabulary = framing.guarantee_vocabulary()
    unknown = [d for d in dims if d not in vocabulary]
    if unknown or not dims:
        raise InputError([f"dimension {d!r} is not one of {sorted(vocabulary)}" for d in unknown]
                         or ["no dimension given; use 'guarantor' and/or 'form'"])
    return dims


def _labels(mentions: pd.DataFrame, dimension: str) -> list[str]:
    """Vocabulary labels of ``dimension`` in lexicon order, then any others found, sorted."""
    labels = list(framing.guarantee_vocabulary()[dimension])
    found = set(mentions.loc[mentions["dimension"] == dimension, "label"])
    return labels + sorted(found - set(labels))


def label_shares(mentions: pd.DataFrame, articles: pd.DataFrame,
                 dimension: str | Sequence[str] = ("guarantor", "form"),
                 by: Sequence[str] = (PERIOD,)) -> pd.DataFrame:
    """Share of each label among affirmed mentions, and per-article rate, per group.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions`` (one row per sentence, dimension, label, negation).
    articles : DataFrame
        Table ``articles``, plus any grouping column (e.g. ``period`` from
        :func:`with_period`). Defines the groups and their sizes: mentions of articles
        not listed are ignored. Articles whose ``language`` is not English are left out:
        the guarantee rules are not applied to them, so they would count as articles
        without a label.
    dimension : str or sequence of str, default ("guarantor", "form")
        Dimensions to report.
    by : sequence of str, default ("period",)
        Article columns to group by, e.g. ``("outlet",)`` or ``("period", "outlet")``.

    Returns
    -------
    DataFrame
        One row per group, dimension and label (every vocabulary label, zeros
        included), groups sorted: ``*by``, dimension, label, n_articles (articles in the
        group), n_articles_with_label (articles with at least one affirmed mention of
        the label), article_rate (their fraction), article_rate_low and
        article_rate_high (its 95% Wilson interval,
        :func:`analysis.measures.proportions.wilson_interval`; the
        articles are the independent units), n_mentions (affirmed mention
        sentences of the label), n_mentions_total (of all labels of the dimension),
        share (n_mentions / n_mentions_total, 0.0 when the group has none), n_negated
        (sentences ruling the label out). Zero rows when ``articles`` is empty.
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in by if c not in articles.columns]
    if missing or not by:
        raise ValueError(f"grouping columns {missing or by} must be columns of articles")
    dims = _dimensions(dimension)
    articles = articles[text.english_rows(articles)]
    groups = articles.groupby(by, sort=True).size().rename("n_articles").reset_index()
    keyed = mentions.merge(articles[["article_id", *by]], on="article_id", how="inner")
    frames = [_dimension_shares(keyed, groups, by, dim) for dim in dims]
    return pd.concat(frames, ignore_index=True)


def _dimension_shares(keyed: pd.DataFrame, groups: pd.DataFrame, by: list[str],
                      dimension: str) -> pd.DataFrame:
    items = pd.DataFrame({"dimension": dimension, "label": _labels(keyed, dimension)})
    grid = groups.assign(_g=np.arange(len(groups))).merge(
        items.assign(_i=np.arange(len(items))), how="cross")
    grid = grid.sort_values(["_g", "_i"], kind="mergesort").drop(columns=["_g", "_i"])
    rows = keyed[keyed["dimension"] == dimension]
    negated = rows["negated"].astype(bool)
    keys = [*by, "label"]
    # One grouping and one merge for the three counts (pandas overhead, not data size,
    # is the cost here); the article id is blanked on negated rows so that nunique
    # counts the articles affirming the label.
    counts = rows[keys].assign(_affirmed=~negated, _negated=negated,
                               _article=rows["article_id"].where(~negated))
    counts = counts.groupby(keys).agg(n_mentions=("_affirmed", "sum"),
                                      n_articles_with_label=("_article", "nunique"),
                                      n_negated=("_negated", "sum"))
    grid = grid.merge(counts.reset_index(), on=keys, how="left")
    for name in counts.columns:
        grid[name] = grid[name].fillna(0).astype("int64")
    grid["n_mentions_total"] = grid.groupby(by, sort=False)["n_mentions"].transform("sum")
    grid["article_rate"] = _ratio(grid["n_articles_with_label"], grid["n_articles"])
    grid["article_rate_low"], grid["article_rate_high"] = wilson_interval(
        grid["n_articles_with_label"], grid["n_articles"])
    grid["share"] = _ratio(grid["n_mentions"], grid["n_mentions_total"])
    return grid[[*by, *SHARE_COLUMNS]].reset_index(drop=True)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> np.ndarray:
    """numerator / denominator, 0.0 where the denominator is 0."""
    num, den = numerator.to_numpy(float), denominator.to_numpy(float)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def label_shares_over_time(mentions: pd.DataFrame, articles: pd.DataFrame,
                           dimension: str | Sequence[str] = ("guarantor", "form"),
                           freq: str = DEFAULT_FREQ, by: str | None = None) -> pd.DataFrame:
    """:func:`label_shares` per publication period (and optionally per ``by`` column).

    Parameters
    ----------
    mentions, articles : DataFrame
        Tables ``guarantee_mentions`` and ``articles``.
    dimension : str or sequence of str
        ``"guarantor"``, ``"form"`` or both.
    freq : str, default "M"
        Period frequency (:func:`with_period`); only periods with articles appear.
    by : str, optional
        A further article column to split each period by, e.g. ``"outlet"``.

    Returns
    -------
    DataFrame
        The columns of :func:`label_shares` with ``period`` (and ``by``) first.
    """
    return label_shares(mentions, with_period(articles, freq), dimension,
                        [PERIOD] if by is None else [PERIOD, by])


def label_shares_by(mentions: pd.DataFrame, articles: pd.DataFrame,
                    dimension: str | Sequence[str] = ("guarantor", "form"),
                    by: str = "outlet") -> pd.DataFrame:
    """:func:`label_shares` per value of an article column over the whole period."""
    return label_shares(mentions, articles, dimension, [by])


def articles_per_group(articles: pd.DataFrame, freq: str = DEFAULT_FREQ,
                       by: str = "outlet") -> pd.DataFrame:
    """How many articles each period has, in total and per ``by`` value.

    Returns
    -------
    DataFrame
        One row per period (sorted): ``period``, one column per ``by`` value (sorted)
        with its article count, and ``all``.
    """
    counts = pd.crosstab(with_period(articles, freq)[PERIOD], articles[by])
    counts = counts.reindex(sorted(counts.columns), axis=1)
    counts.columns = [str(c) for c in counts.columns]
    counts["all"] = counts.sum(axis=1)
    return counts.rename_axis(PERIOD).reset_index().astype({"all": "int64"})


def compare_periods(shares: pd.DataFrame, period_a: str, period_b: str,
                    freq: str = DEFAULT_FREQ) -> pd.DataFrame:
    """Two periods side by side, per dimension and label.

    Parameters
    ----------
    shares : DataFrame
        :func:`label_shares_over_time` output (without a ``by`` split).
    period_a, period_b : str
        Dates or periods (``"2025-02"``), turned into periods of ``freq``. A period
        without articles gets zeros.
    freq : str, default "M"
        The frequency ``shares`` was computed at.

    Returns
    -------
    DataFrame
        dimension, label, then for each of a and b: n_articles, n_articles_with_label,
        article_rate with its 95% interval (article_rate_low, article_rate_high), share,
        n_mentions, column names suffixed with the period (``share 2025-02``); last
        ``p_article_rate``, the two-sided p-value of Fisher's exact test that the two
        periods' articles affirm the label at the same rate (1.0 when a period has no
        articles), and ``q_article_rate``, its Benjamini-Hochberg adjustment over the
        labels shown. Labels affirmed or ruled out in neither period are left out.
    """
    periods = [period_label(period_a, freq), period_label(period_b, freq)]
    if periods[0] == periods[1]:
        raise InputError([f"period_a and period_b are the same period {periods[0]!r}"])
    keys = ["dimension", "label"]
    # Articles are the units of the rate, its interval and its test; a period without
    # articles counts none.
    out = compare_two(shares, PERIOD, *periods, "n_articles_with_label", "n_articles", keys,
                      share="article_rate").rename(columns={"p_fisher": "p_article_rate"})
    out = out.drop(columns="q_fisher")
    used = np.zeros(len(out), dtype=bool)
    for period in periods:
        own = shares.loc[shares[PERIOD] == period, [*keys, "share", "n_mentions", "n_negated"]]
        merged = out[keys].merge(own, on=keys, how="left").fillna(0)
        used |= (merged["n_mentions"] + merged["n_negated"]).to_numpy() > 0
        out[f"share {period}"] = merged["share"].to_numpy()
        out[f"n_mentions {period}"] = merged["n_mentions"].astype("int64").to_numpy()
    per_period = ["n_articles", "n_articles_with_label", "article_rate", "article_rate_low",
                  "article_rate_high", "share", "n_mentions"]
    columns = [*keys, *(f"{c} {p}" for p in periods for c in per_period), "p_article_rate"]
    # The family is the labels shown: those used in either period.
    return with_q_values(out.loc[used, columns].reset_index(drop=True), "p_article_rate")


def period_sizes(shares: pd.DataFrame) -> pd.DataFrame:
    """Articles and affirmed mentions per group of a :func:`label_shares` table.

    Returns
    -------
    DataFrame
        The group columns, dimension, n_articles, n_mentions_total; one row per group
        and dimension.
    """
    group = [c for c in shares.columns if c not in SHARE_COLUMNS]
    first = shares.drop_duplicates([*group, "dimension"])
    return first[[*group, "dimension", "n_articles", "n_mentions_total"]].reset_index(drop=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _leader_text(rows: pd.DataFrame) -> str:
    top = rows["share"].max() if len(rows) else 0.0
    if not top > 0:
        return "no affirmed mention"
    leaders = " and ".join(rows.loc[rows["share"] == top, "label"])
    total = int(rows["n_mentions_total"].iloc[0])
    return f"{leaders} (share {top:.2f} of {_plural(total, 'affirmed mention')})"


def _rate_change_text(compared: pd.DataFrame, dimension: str, a: str, b: str) -> str:
    """The label of ``dimension`` whose article rate differs most between ``a`` and ``b``."""
    rows = compared[compared["dimension"] == dimension]
    if rows.empty:
        return f"Article rates, {dimension}: no label affirmed or ruled out at either point."
    change = (rows[f"article_rate {b}"] - rows[f"article_rate {a}"]).abs()
    row = rows.loc[change.idxmax()]  # the first of equal changes, in vocabulary order

    def at(period: str) -> str:
        counts = row[[f"n_articles_with_label {period}", f"n_articles {period}",
                      f"article_rate_low {period}", f"article_rate_high {period}"]]
        return f"{format_proportion(*counts, unit='article')} in {period}"

    return (f"Largest change in article rate, {dimension}: "
            f"{row['label']}, {at(a)} against {at(b)}; Fisher's exact test "
            f"{format_p_value(row['p_article_rate'])}, Benjamini-Hochberg "
            f"{format_q_value(row['q_article_rate'])} over "
            f"{format_count(len(compared), 'label')} compared (95% Wilson intervals).")


def trend_findings(shares: pd.DataFrame, period_a: str, period_b: str,
                   freq: str = DEFAULT_FREQ, min_articles: int = 10) -> list[str]:
    """The over-time view in sentences: what backs each point, leaders, and warnings.

    Parameters
    ----------
    shares : DataFrame
        :func:`label_shares_over_time` output (without a ``by`` split).
    period_a, period_b : str
        The two compared points (dates or periods).
    freq : str, default "M"
        Frequency of ``shares``.
    min_articles : int, default 10
        A compared point with fewer articles draws the warning that its shares
        describe those articles, not a trend in coverage.

    Returns
    -------
    list of str
        Corpus size and number of periods; articles behind each compared point; per
        dimension, the leading label at both points and the label whose article rate
        changes most, with intervals and Fisher's exact test (:func:`compare_periods`);
        warnings when a compared
        point has fewer than ``min_articles`` articles, when the corpus has fewer than
        three periods, and when any of three or more periods has fewer than
        ``min_articles`` articles.
    """
    a, b = period_label(period_a, freq), period_label(period_b, freq)
    sizes = period_sizes(shares).drop_duplicates(PERIOD)
    n_articles = {str(p): int(n) for p, n in zip(sizes[PERIOD], sizes["n_articles"],
                                                   strict=True)}
    n_a, n_b = n_articles.get(a, 0), n_articles.get(b, 0)
    lines = [f"The corpus has {_plural(sum(n_articles.values()), 'article')} in "
             f"{_plural(len(n_articles), 'period')} (freq {freq!r}).",
             f"Period {a} is backed by {_plural(n_a, 'article')}, period {b} by "
             f"{_plural(n_b, 'article')}."]
    compared = compare_periods(shares, a, b, freq)
    for dimension in dict.fromkeys(shares["dimension"]):
        rows = shares[shares["dimension"] == dimension]
        texts = [f"{p}: {_leader_text(rows[rows[PERIOD] == p])}" for p in (a, b)]
        lines.append(f"Leading {dimension}, {texts[0]}; {texts[1]}.")
        lines.append(_rate_change_text(compared, dimension, a, b))
    if min(n_a, n_b) < min_articles:
        lines.append(f"Warning: the two points rest on {_plural(n_a + n_b, 'article')} "
                     f"({n_a} and {n_b}; fewer than {min_articles} at a point). Their shares "
                     "describe those articles; they are not a trend.")
    if len(n_articles) < 3:
        lines.append(f"Warning: the corpus spans {_plural(len(n_articles), 'period')}; a trend "
                     "needs more points than that.")
    thin = sorted(p for p, n in n_articles.items() if n < min_articles)
    if thin and len(n_articles) >= 3:
        lines.append(f"Warning: {len(thin)} of the {len(n_articles)} periods drawn rest on "
                     f"fewer than {min_articles} articles (the fewest: "
                     f"{_plural(min(n_articles[p] for p in thin), 'article')}); the course "
                     "through them describes those articles, not a trend in coverage.")
    return lines
