"""Which sentences of the ``sentiment`` table a summary covers, and how it groups them.

The ``sentiment`` table holds only the sentence key and the scores: a summary by
section or paragraph joins those columns from the ``sentences`` table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.data import tables
from analysis.data.tables import conform, require_columns
from analysis.measures.repeats import repeated_sentences
from analysis.measures.sentiment.lexicons import SENTENCE_KEY


def select_sections(
    sentiment: pd.DataFrame, sentences: pd.DataFrame, sections: str | Sequence[str] | None
) -> pd.DataFrame:
    """The rows of ``sentiment`` whose sentences are in one of ``sections``.

    Headlines, summary bullets and deck lines often repeat a quote of the body, so the
    same statement can count several times; ``sections=("body",)`` scores each once.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    sentences : DataFrame
        The ``sentences`` table (needs article_id, sentence_id, section).
    sections : str, sequence of str or None
        Sections to keep, each one of :data:`analysis.data.tables.SECTIONS` (``title``,
        ``summary``, ``deck``, ``body``); ``None`` keeps every sentence (see
        :func:`analysis.data.tables.select_sections`).

    Returns
    -------
    DataFrame
        Table ``sentiment`` restricted to those sentences, in key order.

    Raises
    ------
    InputError
        If ``sections`` names a section that is not one of the four.
    ValueError
        If ``sentences`` lacks one of the columns it needs.
    """
    keep = tables.select_sections(sentences, sections)
    require_columns(keep, SENTENCE_KEY, "sentences")
    return conform(sentiment.merge(keep.loc[:, SENTENCE_KEY], on=SENTENCE_KEY, how="inner"),
                   "sentiment")


def with_group_columns(
    frame: pd.DataFrame, by: Sequence[str], sentences: pd.DataFrame | None
) -> pd.DataFrame:
    """Join the ``by`` columns that ``frame`` lacks (e.g. ``section``) from ``sentences``."""
    missing = [c for c in by if c not in frame.columns]
    if not missing:
        return frame
    if sentences is None:
        raise ValueError(f"group columns {missing} are not in the frame; pass sentences= "
                         "to join them from the sentences table")
    require_columns(sentences, [*SENTENCE_KEY, *missing], "sentences")
    return frame.merge(sentences.loc[:, [*SENTENCE_KEY, *missing]], on=SENTENCE_KEY,
                       how="left", validate="one_to_one")


def iter_groups(frame: pd.DataFrame, by: Sequence[str]):
    """Yield ``(key tuple, sub-frame)`` in sorted key order; one group when ``by`` is empty."""
    if not by:
        yield (), frame
        return
    yield from frame.groupby(list(by), sort=True, dropna=False)


def counted_once(sentiment: pd.DataFrame, sentences: pd.DataFrame,
                 threshold: float | None) -> pd.DataFrame:
    """The rows of ``sentiment`` whose sentence is no repeat of another in its article.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table (or any subset of it).
    sentences : DataFrame
        The ``sentences`` table (article_id, sentence_id, section, text).
    threshold : float or None
        :func:`analysis.measures.repeats.repeated_sentences`'s threshold; ``None`` keeps
        every row.

    Returns
    -------
    DataFrame
        ``sentiment`` without the repeats, in its order.
    """
    if threshold is None:
        return sentiment
    repeats = sentences.loc[repeated_sentences(sentences, threshold),
                            ["article_id", "sentence_id"]]
    marked = sentiment[["article_id", "sentence_id"]].merge(
        repeats.assign(repeat=True), on=["article_id", "sentence_id"], how="left")
    return sentiment.loc[marked["repeat"].isna().to_numpy()]
