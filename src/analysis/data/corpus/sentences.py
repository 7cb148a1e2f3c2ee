"""Sentence splitting: Punkt with a fixed abbreviation list, offsets into the decoded text.

:func:`split_sentences` splits a region of a text; :func:`sentence_spans` gives the
sentences of a parsed article, where titles and deck lines are one sentence each.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from analysis.data.corpus.lines import ALNUM, CLOSING_MARKS, entity_shadow, strip_span
from analysis.data.corpus.parse import ParsedArticle

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

# Abbreviations (lower case, without the final period) after which a period does not end
# a sentence unless a frequent sentence starter follows ("... the U.S. He said").
ABBREVIATIONS = frozenset(
    {
        # dotted initialisms and times
        "u.s", "u.k", "u.n", "e.u", "d.c", "u.s.a", "u.s.s.r", "n.y", "l.a", "n.j", "ph.d",
        "a.m", "p.m", "e.g", "i.e",
        # titles and ranks
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "lt", "col", "maj", "capt",
        "cpt", "sgt", "adm", "cmdr", "gov", "sen", "rep", "rev", "hon", "amb", "pres", "supt",
        # months
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        # numbering, companies, places
        "no", "nos", "vol", "vs", "v", "fig", "approx", "dept", "est", "inc", "corp", "ltd",
        "co", "bros", "ave", "blvd", "mt", "ft", "al", "cf",
    }
)
SENTENCE_STARTERS = frozenset(
    {
        "he", "she", "it", "they", "we", "i", "you", "the", "this", "that", "these", "those",
        "there", "but", "however", "meanwhile", "in", "on", "at", "after", "before", "when",
        "while", "according", "earlier", "later", "his", "her", "their", "its", "our",
    }
)


@functools.cache
def _sentence_tokenizer() -> PunktSentenceTokenizer:
    """Punkt with a fixed abbreviation list; built once, needs no ``nltk_data``."""
    # Imported here: NLTK takes seconds to import, and readers of the tables
    # (notebooks, check_article_ids) never split sentences.
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    params.sent_starters = set(SENTENCE_STARTERS)
    return PunktSentenceTokenizer(params)


def _continues_sentence(fragment: str) -> bool:
    """Whether a Punkt piece continues the previous sentence.

    Punkt always breaks after ``?`` and ``!``, also inside a quote that the sentence
    goes on after (``Asked "Why?", he argued``): a piece that starts, after closing
    marks, with ``,;:`` or a lower-case letter belongs to the sentence before.
    """
    rest = fragment.lstrip(CLOSING_MARKS + "\u201c\u2018")
    return not rest or rest[0] in ",;:" or rest[0].islower()


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences.

    Parameters
    ----------
    text : str
        The full text the offsets refer to.
    start, end : int
        The region to split; ``end=None`` means ``len(text)``.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` character offsets into ``text`` in reading order; each sentence
        ``text[s:e]`` has no surrounding whitespace and contains a letter or digit. HTML
        entities count as the character they stand for ("&quot;", "&nbsp;").
    """
    end = len(text) if end is None else end
    region = entity_shadow(text[start:end])
    spans: list[tuple[int, int]] = []
    for piece_start, piece_end in _sentence_tokenizer().span_tokenize(region):
        s, e = strip_span(region, piece_start, piece_end)
        if s == e:
            continue
        if spans and _continues_sentence(region[s:e]):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return [(s + start, e + start) for s, e in spans if ALNUM.search(region, s, e)]


def sentence_spans(article: ParsedArticle) -> list[tuple[str, int, int, int]]:
    """Sentences of a parsed article in reading order.

    Titles and deck lines are one sentence each; summary bullets and body paragraphs
    are split with :func:`split_sentences`.

    Returns
    -------
    list of (section, paragraph_id, start, end)
        Offsets into ``article.text``; list position is the ``sentence_id``.
    """
    rows = []
    for paragraph_id, block in enumerate(article.blocks):
        if block.section in ("title", "deck"):
            spans = [(block.start, block.end)]
        else:
            spans = split_sentences(article.text, block.start, block.end)
        rows.extend((block.section, paragraph_id, s, e) for s, e in spans)
    return rows
