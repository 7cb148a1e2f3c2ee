"""The ``sentences`` table as the framing measures read it: checked, its English rows
only, sorted and cut into articles; and the one whitespace rule of the texts that cues
and names quote.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pandas as pd

from analysis.data.tables import require_columns
from analysis.data.text import english_rows

SENTENCE_COLUMNS = ("article_id", "sentence_id", "section", "paragraph_id", "text")


def _clean(text: str) -> str:
    """Whitespace runs as one space, none at the ends (``str.split`` splits on what ``\\s``
    matches)."""
    return " ".join(text.split())


def _checked_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Validate the sentences frame and return its English rows sorted by (article_id,
    sentence_id).

    The rules and dictionaries are English: an article in another language (its
    ``language`` column, :func:`analysis.data.text.english_rows`) would only show no
    cue, which reads as "no framing". It gets no rows instead; the corpus check says so.
    """
    require_columns(sentences, SENTENCE_COLUMNS, "sentences")
    sentences = sentences.loc[english_rows(sentences)]
    return sentences.sort_values(["article_id", "sentence_id"], kind="mergesort")


def _articles(sentences: pd.DataFrame) -> Iterator[tuple[str, list[tuple]]]:
    """(article_id, rows) per article in sentence order; a row is
    (sentence_id, section, paragraph_id, text)."""
    rows = zip(sentences["article_id"].astype(str).tolist(),
               sentences["sentence_id"].astype(int).tolist(),
               sentences["section"].astype(str).tolist(),
               sentences["paragraph_id"].astype(int).tolist(),
               sentences["text"].astype(str).tolist(), strict=True)
    for article_id, group in itertools.groupby(rows, key=lambda row: row[0]):
        yield article_id, [row[1:] for row in group]
