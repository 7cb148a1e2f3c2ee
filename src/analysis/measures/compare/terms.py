"""Term tables of the ``sentences`` table: counts, each article's distinctive terms, groups.

Terms are the unigrams of :func:`analysis.data.text.content_tokens` (lower-cased, stop
words, numbers and one-letter tokens removed, possessive ``'s`` dropped), counted per
group by :func:`term_counts`; bigrams are left to
:func:`analysis.measures.compare.bigrams.collocations`, which scores them as units
instead of counting them as terms. :func:`distinctive_terms` contrasts each article with the
rest of the corpus, :func:`compare_groups` any two groups of sentences, both with the
statistics of :mod:`analysis.measures.compare.statistics`; :func:`top_distinctive_terms`
keeps the best terms of a group for notebooks.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from analysis.data.tables import conform, empty_table, require_columns, select_sections
from analysis.data.text import content_tokens
from analysis.measures.compare.statistics import DEFAULT_PRIOR_SIZE, contrast_rows
from analysis.measures.multiplicity import with_q_values


def grouping_columns(by: str | Sequence[str] | None) -> tuple[str, ...]:
    """``by`` as a tuple of column names: one name alone, none for ``None``."""
    if by is None:
        return ()
    return (by,) if isinstance(by, str) else tuple(by)


def term_counts(
    sentences: pd.DataFrame,
    by: str | Sequence[str] = ("article_id",),
    *,
    sections: Collection[str] | None = None,
) -> pd.DataFrame:
    """Count content tokens per group.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (needs ``text`` and the ``by`` columns).
    by : str or sequence of str, default ("article_id",)
        Grouping columns, e.g. ``("article_id", "section")``; ``()`` counts the whole frame.
    sections : collection of str, optional
        Count only these sections (:func:`analysis.data.tables.select_sections`: an
        unknown name raises ``InputError``).

    Returns
    -------
    DataFrame
        Columns ``*by, term, count`` (count >= 1), one row per group and term, sorted.
    """
    by = grouping_columns(by)
    require_columns(sentences, [*by, "text"], "sentences")
    frame = select_sections(sentences, sections)
    tokens = frame["text"].map(content_tokens)
    long = frame.loc[:, list(by)].assign(term=tokens).explode("term").dropna(subset=["term"])
    counts = long.groupby([*by, "term"], sort=True).size()
    return counts.rename("count").reset_index().astype({"count": "int64"})


def distinctive_terms(
    sentences: pd.DataFrame,
    *,
    sections: Collection[str] | None = None,
    prior_size: float = DEFAULT_PRIOR_SIZE,
    min_count: int = 1,
) -> pd.DataFrame:
    """Terms that distinguish each article from the rest of the corpus (table distinctive_terms).

    Each article is compared with all other articles pooled (two articles: A against B),
    using :func:`~analysis.measures.compare.statistics.log_odds_dirichlet` with a prior
    from the whole corpus, ``alpha_w = prior_size * (corpus count of w) / (corpus tokens)``,
    and the signed Dunning log-likelihood G2 (whole 2x2 table) of
    :func:`~analysis.measures.compare.statistics.keyness`.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table, any number of articles.
    sections : collection of str, optional
        Use only these sections (e.g. ``("body",)``); counts, rates and the prior follow.
        An unknown name raises ``InputError``.
    prior_size : float, default DEFAULT_PRIOR_SIZE
        ``alpha_0`` of the prior, in pseudo-tokens.
    min_count : int, default 1
        Keep terms used at least this often in the article. All terms are kept by default
        so that z can be plotted against frequency.

    Returns
    -------
    DataFrame
        Conformed to table ``distinctive_terms``: one row per article and term used in it,
        with ``count``/``count_rest`` in content tokens, ``rate_per_1000`` and
        ``rate_rest_per_1000`` per 1,000 content tokens, ``log_odds``, ``z_score``,
        signed ``log_likelihood`` (positive = over-used in the article), its ``p_value``
        (df = 1) and ``q_value``, the Benjamini-Hochberg adjustment over the article's
        terms. Empty unless at least two articles have content tokens (in the
        selected sections): a single article has no rest to be compared with.
    """
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    if prior_size <= 0:
        raise ValueError(f"prior_size must be positive, got {prior_size}")
    counts = term_counts(sentences, "article_id", sections=sections)
    if counts["article_id"].nunique() < 2:
        return empty_table("distinctive_terms")
    corpus_term = counts.groupby("term")["count"].transform("sum").to_numpy(dtype="float64")
    corpus_tokens = float(counts["count"].sum())
    article_tokens = counts.groupby("article_id")["count"].transform("sum").to_numpy("float64")
    y_a = counts["count"].to_numpy(dtype="float64")
    rows = contrast_rows(
        y_a,
        corpus_term - y_a,
        article_tokens,
        corpus_tokens - article_tokens,
        alpha=prior_size * corpus_term / corpus_tokens,
        alpha_0=prior_size,
    )
    table = pd.DataFrame(
        {
            "article_id": counts["article_id"],
            "term": counts["term"],
            "count": counts["count"],
            "count_rest": (corpus_term - y_a).astype("int64"),
            "rate_per_1000": rows["rate_a"],
            "rate_rest_per_1000": rows["rate_b"],
            "log_odds": rows["log_odds"],
            "z_score": rows["z_score"],
            "log_likelihood": rows["log_likelihood"],
            "p_value": rows["p_value"],
        }
    )
    # One family of tests per article: the terms its row of the table shows.
    kept = with_q_values(table.loc[table["count"] >= min_count], within=["article_id"])
    return conform(kept, "distinctive_terms")


def compare_groups(
    sentences: pd.DataFrame,
    column: str,
    group_a: object | Collection[object],
    group_b: object | Collection[object] | None = None,
    *,
    sections: Collection[str] | None = None,
    prior_size: float = DEFAULT_PRIOR_SIZE,
) -> pd.DataFrame:
    """Distinctive terms of one group of sentences against another, grouped by any column.

    For example ``compare_groups(s, "section", "title", "body")``,
    ``compare_groups(s, "article_id", {"a1", "a2"}, {"b1"})`` or
    ``compare_groups(s, "article_id", "a1")`` (``a1`` against all other articles).

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (or any frame with ``text`` and ``column``).
    column : str
        Column whose values define the groups.
    group_a : value or collection of values
        Values of ``column`` in group ``a``.
    group_b : value or collection of values, optional
        Values in group ``b`` (none shared with ``a``); default: every row not in ``a``.
    sections : collection of str, optional
        Use only these sections; an unknown name raises ``InputError``.
    prior_size : float, default DEFAULT_PRIOR_SIZE
        ``alpha_0`` of a prior taken from ``a`` and ``b`` pooled.

    Returns
    -------
    DataFrame
        One row per term used in ``a`` or ``b``, sorted by ``z_score`` descending then
        term: ``term``, ``count_a``, ``count_b``, ``rate_a`` and ``rate_b`` (per 1,000
        content tokens), ``log_odds``, ``z_score``, ``log_likelihood`` (signed), ``p_value``.
    """
    require_columns(sentences, [column, "text"], "sentences")
    values_a = _as_values(group_a)
    values_b = None if group_b is None else _as_values(group_b)
    shared = sorted(set(values_a) & set(values_b or ()), key=str)
    if shared:
        raise ValueError(f"groups a and b share values {shared}")
    frame = select_sections(sentences, sections)
    in_a = frame[column].isin(values_a)
    in_b = ~in_a if values_b is None else frame[column].isin(values_b)
    counts_a = term_counts(frame.loc[in_a], ()).set_index("term")["count"]
    counts_b = term_counts(frame.loc[in_b], ()).set_index("term")["count"]
    terms = counts_a.index.union(counts_b.index).sort_values()
    y_a = counts_a.reindex(terms, fill_value=0).to_numpy(dtype="float64")
    y_b = counts_b.reindex(terms, fill_value=0).to_numpy(dtype="float64")
    alpha = prior_size * (y_a + y_b) / max(y_a.sum() + y_b.sum(), 1.0)
    rows = contrast_rows(y_a, y_b, y_a.sum(), y_b.sum(), alpha, prior_size)
    result = pd.DataFrame(
        {"term": terms.astype(str), "count_a": y_a.astype("int64"),
         "count_b": y_b.astype("int64"), **rows}
    )
    return _sort_by_score(result, "z_score", ())


def _as_values(group: object | Collection[object]) -> list[object]:
    if isinstance(group, str) or not isinstance(group, Collection):
        return [group]
    return sorted(group, key=str)


def _sort_by_score(frame: pd.DataFrame, score: str, by: tuple[str, ...]) -> pd.DataFrame:
    ordered = frame.assign(_neg=-frame[score]).sort_values(
        [*by, "_neg", "term"], kind="mergesort", na_position="last"
    )
    return ordered.drop(columns="_neg").reset_index(drop=True)


def top_distinctive_terms(
    table: pd.DataFrame,
    n: int = 10,
    by: str | Sequence[str] | None = "article_id",
    *,
    score: str = "z_score",
) -> pd.DataFrame:
    """The ``n`` highest-scoring terms per group, for notebooks.

    Parameters
    ----------
    table : DataFrame
        The ``distinctive_terms`` table (or :func:`compare_groups` output with ``by=None``).
    n : int, default 10
        Terms per group.
    by : str, sequence of str or None, default "article_id"
        Grouping columns; ``None`` ranks the whole table.
    score : str, default "z_score"
        Column ranked descending; ties go to the alphabetically first term.

    Returns
    -------
    DataFrame
        At most ``n`` rows per group, groups sorted, rows by descending score, then term.
    """
    by = grouping_columns(by)
    require_columns(table, [*by, "term", score], "table")
    ordered = _sort_by_score(table, score, by)
    if not by:
        return ordered.head(n).reset_index(drop=True)
    return ordered.groupby(list(by), sort=False).head(n).reset_index(drop=True)


def prior_sensitivity(sentences: pd.DataFrame, article_ids: Sequence[str], n: int = 10,
                      prior_size: float = DEFAULT_PRIOR_SIZE,
                      factors: Sequence[float] = (0.1, 10.0)) -> pd.DataFrame:
    """How much an article's most distinctive terms depend on the prior's weight.

    The informative Dirichlet prior of :func:`distinctive_terms` pulls rare words
    towards their corpus share; its weight ``alpha_0`` (``prior_size``) is a choice.
    This refits the compared articles' z-scores with the weight multiplied by each of
    ``factors`` and reports how many of the ``n`` top terms stay.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (the whole corpus: the rest of it is what each article
        is compared with).
    article_ids : sequence of str
        The articles to report.
    n : int, default 10
        Top terms compared, by z-score.
    prior_size : float, default DEFAULT_PRIOR_SIZE
        The weight the tables are built with.
    factors : sequence of float, default (0.1, 10.0)
        Multipliers of ``prior_size`` to try.

    Returns
    -------
    DataFrame
        One row per article and weight (the built one first): article_id, prior_size,
        top_terms (the ``n`` terms, ``", "``-joined, by z), kept (how many of the built
        weight's top terms are among them).
    """
    counts = term_counts(sentences, "article_id")
    corpus_term = counts.groupby("term")["count"].transform("sum").to_numpy(dtype="float64")
    corpus_tokens = float(counts["count"].sum())
    article_tokens = counts.groupby("article_id")["count"].transform("sum").to_numpy("float64")
    mine = counts["article_id"].isin(list(article_ids)).to_numpy()
    y_a = counts["count"].to_numpy(dtype="float64")
    rows, baseline = [], {}
    for size in (prior_size, *(prior_size * f for f in factors)):
        z = contrast_rows(y_a[mine], (corpus_term - y_a)[mine], article_tokens[mine],
                          (corpus_tokens - article_tokens)[mine],
                          alpha=size * corpus_term[mine] / corpus_tokens,
                          alpha_0=size)["z_score"]
        scored = counts.loc[mine, ["article_id", "term"]].assign(z_score=z)
        top = top_distinctive_terms(scored, n=n)
        for article_id in article_ids:
            terms = top.loc[top["article_id"] == article_id, "term"].tolist()
            baseline.setdefault(article_id, set(terms))
            rows.append({"article_id": article_id, "prior_size": size,
                         "top_terms": ", ".join(terms),
                         "kept": len(baseline[article_id] & set(terms))})
    return pd.DataFrame(rows, columns=["article_id", "prior_size", "top_terms", "kept"])
