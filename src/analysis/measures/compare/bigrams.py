"""Bigram collocations of content tokens, scored with NLTK's association measures."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from analysis.data.tables import require_columns, select_sections
from analysis.data.text import content_tokens
from analysis.measures.compare.terms import grouping_columns


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

    by = grouping_columns(by)
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
