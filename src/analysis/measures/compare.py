"""Which words set an article apart: log-odds with a Dirichlet prior, keyness, collocations, KWIC.

Every function takes the ``sentences`` table (columns article_id, sentence_id, section,
paragraph_id, start, end, text) or term counts derived from it, so it runs on any
subset of the corpus and can be cut by section (``sections=("body",)``).

Terms are the unigrams of :func:`analysis.data.text.content_tokens` (lower-cased, stop words,
numbers and one-letter tokens removed, possessive ``'s`` dropped). Bigrams are left to
:func:`collocations`, which scores them as units instead of counting them as terms.

References
----------
Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: lexical feature
selection and evaluation for identifying the content of political conflict.
*Political Analysis* 16(4), 372-403.

Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
*Proceedings of the Workshop on Comparing Corpora*, ACL 2000, 1-6.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import chi2

from analysis.data.tables import conform, empty_table, require_columns, select_sections
from analysis.data.text import content_tokens

# Weight of the informative prior in pseudo-tokens (alpha_0 of Monroe et al.). A fixed
# weight, rather than the corpus size, keeps each article's shrinkage the same however
# many articles are added: with alpha_0 = corpus size the prior would swamp a 500-word
# article in a corpus of a million words and drive every z-score towards 0. 1000 is the
# order of one to three news articles of content tokens, so rare words are pulled
# firmly towards their corpus share while words an article repeats still stand out.
DEFAULT_PRIOR_SIZE = 1000.0

_KWIC_INPUT_COLUMNS = ("article_id", "sentence_id", "section", "start", "end", "text")

KWIC_COLUMNS = ("article_id", "sentence_id", "section", "start", "end", "left", "match", "right")


def _as_tuple(by: str | Sequence[str] | None) -> tuple[str, ...]:
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
    by = _as_tuple(by)
    require_columns(sentences, [*by, "text"], "sentences")
    frame = select_sections(sentences, sections)
    tokens = frame["text"].map(content_tokens)
    long = frame.loc[:, list(by)].assign(term=tokens).explode("term").dropna(subset=["term"])
    counts = long.groupby([*by, "term"], sort=True).size()
    return counts.rename("count").reset_index().astype({"count": "int64"})


def _series(counts: Mapping[str, float] | pd.Series, what: str) -> pd.Series:
    series = pd.Series(counts, dtype="float64") if not isinstance(counts, pd.Series) else counts
    series = series.astype("float64")
    if series.index.has_duplicates:
        raise ValueError(f"{what} has duplicate terms")
    if (series < 0).any() or series.isna().any():
        raise ValueError(f"{what} must be non-negative numbers")
    return series


def informative_prior(
    background: Mapping[str, float] | pd.Series, prior_size: float = DEFAULT_PRIOR_SIZE
) -> pd.Series:
    """Dirichlet prior proportional to background frequencies (Monroe et al. 2008, sec. 3.5).

    ``alpha_w = prior_size * y_w / sum(y)``, so that ``alpha_0 = sum(alpha_w) = prior_size``.

    Parameters
    ----------
    background : mapping or Series
        Term to count in the background corpus (usually the whole corpus compared).
    prior_size : float, default DEFAULT_PRIOR_SIZE
        ``alpha_0``: the prior's weight in pseudo-tokens; larger shrinks more.

    Returns
    -------
    Series
        Term to ``alpha_w`` (float), for the terms with a positive background count.
    """
    if prior_size <= 0:
        raise ValueError(f"prior_size must be positive, got {prior_size}")
    background = _series(background, "background")
    background = background[background > 0]
    total = background.sum()
    if total == 0:
        return background
    return prior_size * background / total


def _log_odds_arrays(y_a, y_b, n_a, n_b, alpha, alpha_0):
    """Monroe et al. (2008) eq. 16 (delta), eq. 20 (variance) and eq. 22 (z), elementwise."""
    other_a = n_a + alpha_0 - y_a - alpha
    other_b = n_b + alpha_0 - y_b - alpha
    # A term that is the whole vocabulary has share 1 (infinite odds) in both groups:
    # no difference, so delta = 0 rather than inf - inf.
    whole = (other_a <= 0) & (other_b <= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.where(
            whole, 0.0, np.log((y_a + alpha) / other_a) - np.log((y_b + alpha) / other_b)
        )
    variance = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)
    return delta, variance, delta / np.sqrt(variance)


def log_odds_dirichlet(
    counts_a: Mapping[str, float] | pd.Series,
    counts_b: Mapping[str, float] | pd.Series,
    prior: Mapping[str, float] | pd.Series,
) -> pd.DataFrame:
    """Log-odds ratio with informative Dirichlet prior and its z-score (Monroe et al. 2008).

    With counts ``y_w^a``, ``y_w^b``, totals ``n^a``, ``n^b``, prior ``alpha_w`` and
    ``alpha_0 = sum_w alpha_w``::

        delta_w = log((y_w^a + alpha_w) / (n^a + alpha_0 - y_w^a - alpha_w))
                - log((y_w^b + alpha_w) / (n^b + alpha_0 - y_w^b - alpha_w))     (eq. 16)
        var_w  ~= 1 / (y_w^a + alpha_w) + 1 / (y_w^b + alpha_w)                  (eq. 20)
        z_w     = delta_w / sqrt(var_w)                                           (eq. 22)

    Positive values mean ``w`` is used more in ``a`` than in ``b``.

    Parameters
    ----------
    counts_a, counts_b : mapping or Series
        Term to count (non-negative) in each group; missing terms count 0.
    prior : mapping or Series
        Term to ``alpha_w`` > 0 for every term counted in ``a`` or ``b`` (see
        :func:`informative_prior`). Terms only in the prior add to ``alpha_0`` but get no row.

    Returns
    -------
    DataFrame
        One row per term counted in ``a`` or ``b``, sorted by term: ``term``, ``count_a``,
        ``count_b``, ``alpha``, ``log_odds`` (delta), ``variance``, ``z_score``. A term that
        is the whole vocabulary (share 1 on both sides) gets delta = z = 0.

    Raises
    ------
    ValueError
        If counts are negative or a counted term has no positive prior.
    """
    counts_a = _series(counts_a, "counts_a")
    counts_b = _series(counts_b, "counts_b")
    prior = _series(prior, "prior")
    terms = counts_a.index.union(counts_b.index).sort_values()
    alpha = prior.reindex(terms)
    unsupported = terms[~(alpha > 0)]
    if len(unsupported):
        raise ValueError(
            f"prior must be positive for every counted term; missing or zero for "
            f"{len(unsupported)} terms, e.g. {list(unsupported[:5])}"
        )
    y_a = counts_a.reindex(terms, fill_value=0.0).to_numpy()
    y_b = counts_b.reindex(terms, fill_value=0.0).to_numpy()
    delta, variance, z_score = _log_odds_arrays(
        y_a, y_b, counts_a.sum(), counts_b.sum(), alpha.to_numpy(), prior.sum()
    )
    return pd.DataFrame(
        {
            "term": terms.astype(str),
            "count_a": y_a,
            "count_b": y_b,
            "alpha": alpha.to_numpy(),
            "log_odds": delta,
            "variance": variance,
            "z_score": z_score,
        }
    )


def _keyness_arrays(a, b, size_a, size_b):
    """Signed G2 (Rayson & Garside 2000) and signed Yates chi-square, elementwise.

    ``a``, ``b`` are a term's counts in corpora of ``size_a``, ``size_b`` tokens.
    """
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    size_a = np.broadcast_to(np.asarray(size_a, dtype="float64"), a.shape)
    size_b = np.broadcast_to(np.asarray(size_b, dtype="float64"), a.shape)
    total = size_a + size_b
    term_total = a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        expected_a = size_a * term_total / total
        expected_b = size_b * term_total / total
        # 0 * log(0) is 0; an observed count is positive only where its expectation is.
        g2 = 2.0 * (
            np.where(a > 0, a * np.log(a / expected_a), 0.0)
            + np.where(b > 0, b * np.log(b / expected_b), 0.0)
        )
        # 2x2 table [[a, b], [size_a - a, size_b - b]] with Yates' continuity correction;
        # the correction is capped at |ad - bc| so it never flips into a positive value.
        cross = a * (size_b - b) - b * (size_a - a)
        corrected = np.maximum(np.abs(cross) - total / 2.0, 0.0)
        margins = term_total * (total - term_total) * size_a * size_b
        yates = np.where(margins > 0, total * corrected**2 / margins, 0.0)
    # a/size_a > b/size_b  <=>  a * size_b > b * size_a: over-use in the first corpus.
    sign = np.sign(a * size_b - b * size_a)
    # G2 >= 0 by the log-sum inequality; clip rounding noise so the sign alone carries meaning.
    return sign * np.maximum(g2, 0.0), sign * yates


def keyness(
    counts_a: Mapping[str, float] | pd.Series,
    counts_b: Mapping[str, float] | pd.Series,
) -> pd.DataFrame:
    """Keyness of each term in corpus ``a`` against corpus ``b``: signed G2 and chi-square.

    Corpus sizes are the sums of the counts. With ``a``, ``b`` a term's counts and ``c``,
    ``d`` the sizes, Rayson & Garside's (2000) log-likelihood uses the two cells of the
    term only::

        E_a = c (a + b) / (c + d),   E_b = d (a + b) / (c + d)
        G2  = 2 (a ln(a / E_a) + b ln(b / E_b))          (0 ln 0 = 0)

    and the chi-square is Pearson's on the 2x2 table ``[[a, b], [c - a, d - b]]`` with
    Yates' correction, ``N (|a(d-b) - b(c-a)| - N/2)^2 / ((a+b)(N-a-b) c d)``, ``N = c + d``,
    0 where a margin is empty. Both statistics carry the sign of ``a/c - b/d``: positive
    for over-use in ``a``, negative for under-use. P-values are ``chi2.sf(|stat|, df=1)``.

    Parameters
    ----------
    counts_a, counts_b : mapping or Series
        Term to count (non-negative); missing terms count 0.

    Returns
    -------
    DataFrame
        One row per term in either corpus, sorted by term: ``term``, ``count_a``,
        ``count_b``, ``log_likelihood``, ``p_value``, ``chi2_yates``, ``p_value_yates``.
    """
    counts_a = _series(counts_a, "counts_a")
    counts_b = _series(counts_b, "counts_b")
    terms = counts_a.index.union(counts_b.index).sort_values()
    a = counts_a.reindex(terms, fill_value=0.0).to_numpy()
    b = counts_b.reindex(terms, fill_value=0.0).to_numpy()
    g2, yates = _keyness_arrays(a, b, counts_a.sum(), counts_b.sum())
    return pd.DataFrame(
        {
            "term": terms.astype(str),
            "count_a": a,
            "count_b": b,
            "log_likelihood": g2,
            "p_value": chi2.sf(np.abs(g2), df=1),
            "chi2_yates": yates,
            "p_value_yates": chi2.sf(np.abs(yates), df=1),
        }
    )


def _contrast_rows(y_a, y_b, n_a, n_b, alpha, alpha_0) -> dict[str, np.ndarray]:
    """Rates, log-odds, z and signed G2 for aligned arrays of counts (zero-safe)."""
    y_a = np.asarray(y_a, dtype="float64")
    y_b = np.asarray(y_b, dtype="float64")
    n_a = np.broadcast_to(np.asarray(n_a, dtype="float64"), y_a.shape)
    n_b = np.broadcast_to(np.asarray(n_b, dtype="float64"), y_a.shape)
    delta, _, z_score = _log_odds_arrays(y_a, y_b, n_a, n_b, alpha, alpha_0)
    g2, _ = _keyness_arrays(y_a, y_b, n_a, n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_a = np.where(n_a > 0, 1000.0 * y_a / n_a, 0.0)
        rate_b = np.where(n_b > 0, 1000.0 * y_b / n_b, 0.0)
    return {
        "rate_a": rate_a,
        "rate_b": rate_b,
        "log_odds": delta,
        "z_score": z_score,
        "log_likelihood": g2,
        "p_value": chi2.sf(np.abs(g2), df=1),
    }


def distinctive_terms(
    sentences: pd.DataFrame,
    *,
    sections: Collection[str] | None = None,
    prior_size: float = DEFAULT_PRIOR_SIZE,
    min_count: int = 1,
) -> pd.DataFrame:
    """Terms that distinguish each article from the rest of the corpus (table distinctive_terms).

    Each article is compared with all other articles pooled (two articles: A against B),
    using :func:`log_odds_dirichlet` with a prior from the whole corpus,
    ``alpha_w = prior_size * (corpus count of w) / (corpus tokens)``, and the signed
    Rayson & Garside log-likelihood of :func:`keyness`.

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
        signed ``log_likelihood`` (positive = over-used in the article) and its ``p_value``
        (df = 1). Empty unless at least two articles have content tokens (in the
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
    rows = _contrast_rows(
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
    return conform(table.loc[table["count"] >= min_count], "distinctive_terms")


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
    rows = _contrast_rows(y_a, y_b, y_a.sum(), y_b.sum(), alpha, prior_size)
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
    by = _as_tuple(by)
    require_columns(table, [*by, "term", score], "table")
    ordered = _sort_by_score(table, score, by)
    if not by:
        return ordered.head(n).reset_index(drop=True)
    return ordered.groupby(list(by), sort=False).head(n).reset_index(drop=True)


def collocations(
    sentences: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    measure: str = "likelihood_ratio",
    min_freq: int = 2,
    top: int | None = None,
    sections: Collection[str] | None = None,
) -> pd.DataFrame:
    """Bigram collocations of content tokens, scored with NLTK's association measures.

    Bigrams never cross a sentence boundary (each sentence is one NLTK document). Since
    stop words are removed first, "guarantees to Ukraine" yields ``guarantees ukraine``.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table.
    by : str, sequence of str or None, default None
        Score within each group (e.g. ``"article_id"`` or ``("article_id", "section")``);
        ``None`` scores the whole frame as one corpus.
    measure : str, default "likelihood_ratio"
        A ``nltk.collocations.BigramAssocMeasures`` method: ``likelihood_ratio``, ``pmi``,
        ``chi_sq``, ``student_t``, ``poisson_stirling``, ``dice``, ``jaccard``...
    min_freq : int, default 2
        Drop bigrams seen fewer times in their group (PMI favours hapaxes otherwise).
    top : int, optional
        Keep the best ``top`` per group.
    sections : collection of str, optional
        Use only these sections; an unknown name raises ``InputError``.

    Returns
    -------
    DataFrame
        Columns ``*by, first, second, count, score``; per group by descending score, then
        ``first``, ``second``.
    """
    # Imported here: ``import nltk`` loads all of NLTK (seconds), and only this needs it.
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    by = _as_tuple(by)
    score_fn = getattr(BigramAssocMeasures, measure, None)
    if measure.startswith("_") or not callable(score_fn):
        raise ValueError(f"unknown association measure {measure!r}")
    require_columns(sentences, [*by, "text"], "sentences")
    frame = select_sections(sentences, sections)
    rows = []
    groups = frame.groupby(list(by), sort=True) if by else [((), frame)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        finder = BigramCollocationFinder.from_documents(group["text"].map(content_tokens))
        finder.apply_freq_filter(min_freq)
        # score_ngrams sorts by (-score, bigram): deterministic, ties alphabetical.
        scored = finder.score_ngrams(score_fn)[:top]
        rows.extend(
            (*key, first, second, finder.ngram_fd[(first, second)], score)
            for (first, second), score in scored
        )
    columns = [*by, "first", "second", "count", "score"]
    result = pd.DataFrame(rows, columns=columns)
    return result.astype({"count": "int64", "score": "float64"})


def keyword_pattern(term: str, *, inflections: bool = False) -> re.Pattern[str]:
    """Case-insensitive, whole-word pattern for a term or phrase.

    Words of a phrase may be separated by any whitespace or hyphens ("Article 5" matches
    "Article-5-like"); an apostrophe matches straight or curly. Matches must not be
    glued to further letters or digits, so "Europe" does not match "European".

    Parameters
    ----------
    term : str
        A word or phrase, e.g. ``"NATO"``, ``"security guarantee"``.
    inflections : bool, default False
        Also match a plural ``-s``/``-es`` and a possessive ``'s``/``'`` on the last word
        ("guarantees", "Europe's", "Ukraine’s").

    Returns
    -------
    re.Pattern
    """
    words = term.split()
    if not words:
        raise ValueError("term must contain at least one word")
    parts = [re.escape(word).replace("'", "['\u2019]") for word in words]
    suffix = r"(?:e?s)?(?:['\u2019]s?)?" if inflections else ""
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(parts) + suffix + r"(?!\w)", re.IGNORECASE)


def keyword_in_context(
    sentences: pd.DataFrame,
    term: str,
    width: int = 40,
    *,
    inflections: bool = False,
    sections: Collection[str] | None = None,
) -> pd.DataFrame:
    """Concordance (keyword in context) of a term or phrase, with offsets into the raw file.

    NLTK's ``ConcordanceIndex`` works on a token list and reports token positions, which
    loses the character offsets, sentence and section that tie a line back to the source.
    So the match is a regular expression (:func:`keyword_pattern`) run over each
    sentence's text, and ``start = sentence start + offset in the sentence``, giving
    ``raw_text[start:end] == match``.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table.
    term : str
        Word or phrase; case-insensitive, whole words.
    width : int, default 40
        Characters of context on each side, taken from the same sentence.
    inflections : bool, default False
        Also match plural and possessive forms of the last word.
    sections : collection of str, optional
        Search only these sections; an unknown name raises ``InputError``.

    Returns
    -------
    DataFrame
        Columns article_id, sentence_id, section, start, end (character offsets in the
        raw file), left, match, right; sorted by article_id, sentence_id, start.
    """
    if width < 0:
        raise ValueError(f"width must be non-negative, got {width}")
    pattern = keyword_pattern(term, inflections=inflections)
    require_columns(sentences, _KWIC_INPUT_COLUMNS, "sentences")
    frame = select_sections(sentences, sections)
    rows = []
    for article_id, sentence_id, section, start, text in zip(
        frame["article_id"], frame["sentence_id"], frame["section"], frame["start"],
        frame["text"], strict=True,
    ):
        for match in pattern.finditer(text):
            rows.append(
                (
                    article_id, int(sentence_id), section,
                    int(start) + match.start(), int(start) + match.end(),
                    text[max(0, match.start() - width):match.start()],
                    match.group(0),
                    text[match.end():match.end() + width],
                )
            )
    result = pd.DataFrame(rows, columns=list(KWIC_COLUMNS))
    result = result.astype(
        {"sentence_id": "int64", "start": "int64", "end": "int64"}
        | {c: "str" for c in ("article_id", "section", "left", "match", "right")}
    )
    return result.sort_values(
        ["article_id", "sentence_id", "start"], kind="mergesort"
    ).reset_index(drop=True)
