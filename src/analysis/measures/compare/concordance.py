"""Keyword in context: concordance lines of a term, with character offsets into the raw file."""

from __future__ import annotations

import re
from collections.abc import Collection

import pandas as pd

from analysis.data.tables import require_columns, select_sections

_KWIC_INPUT_COLUMNS = ("article_id", "sentence_id", "section", "start", "end", "text")

KWIC_COLUMNS = ("article_id", "sentence_id", "section", "start", "end", "left", "match", "right")


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
