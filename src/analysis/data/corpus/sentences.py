"""Sentence splitting: Punkt with a fixed abbreviation list, offsets into the decoded text.

:func:`split_sentences` splits a region of a text; :func:`sentence_spans` gives the
sentences of a parsed article, where titles and deck lines are one sentence each.

No sentence is longer than :data:`MAX_SENTENCE_CHARS`: a longer one (a page scraped
without punctuation, a run of characters with no space) is cut into pieces of at most
that length, at the last whitespace of the piece's second half where there is one, else
at the limit itself. The measures' cost grows faster than the length of a sentence
(sentiment's with its square), so one such line would otherwise take hours; a real news
sentence is rarely over 600 characters. The pieces are sentences like any other, their
offsets exact; :func:`overlong_sentences` counts the sentences that were cut, for the
corpus check's warning.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from analysis.data.corpus.lines import (
    ALNUM,
    CLOSING_MARKS,
    STRIP_CHARS,
    entity_shadow,
    strip_span,
)
from analysis.data.corpus.parse import Block, ParsedArticle

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

MAX_SENTENCE_CHARS = 2000

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


def _cut_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut into stripped pieces of at most :data:`MAX_SENTENCE_CHARS`
    (``limit``) characters.

    A piece ends at the last whitespace of its second half (whitespace right after the
    limit counts), or at the limit itself if there is none (one long "word"). Each cut
    looks at most ``limit / 2`` characters, so the whole is linear in ``end - start``.
    """
    limit = MAX_SENTENCE_CHARS
    pieces = []
    while end - start > limit:
        # A piece may end at the limit itself when whitespace follows it.
        cut = start + limit + 1
        floor = start + limit // 2
        while cut > floor and text[cut - 1] not in STRIP_CHARS:
            cut -= 1
        if cut == floor:
            cut = start + limit
        s, e = strip_span(text, start, cut)
        if s < e:
            pieces.append((s, e))
        start = strip_span(text, cut, end)[0]
    s, e = strip_span(text, start, end)
    if s < e:
        pieces.append((s, e))
    return pieces


def _punkt_spans(region: str) -> list[tuple[int, int]]:
    """Sentences of ``region`` as Punkt splits it (quotes mended), offsets into ``region``,
    not yet cut to :data:`MAX_SENTENCE_CHARS`."""
    spans: list[tuple[int, int]] = []
    for piece_start, piece_end in _sentence_tokenizer().span_tokenize(region):
        s, e = strip_span(region, piece_start, piece_end)
        if s == e:
            continue
        if spans and _continues_sentence(region[s:e]):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


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
        ``text[s:e]`` has no surrounding whitespace, contains a letter or digit and is at
        most :data:`MAX_SENTENCE_CHARS` long (longer ones are cut into pieces). HTML
        entities count as the character they stand for ("&quot;", "&nbsp;").
    """
    end = len(text) if end is None else end
    region = entity_shadow(text[start:end])
    spans = []
    for s, e in _punkt_spans(region):
        spans += _cut_span(region, s, e) if e - s > MAX_SENTENCE_CHARS else [(s, e)]
    return [(s + start, e + start) for s, e in spans if ALNUM.search(region, s, e)]


def _block_spans(article: ParsedArticle, block: Block) -> list[tuple[int, int]]:
    if block.section not in ("title", "deck"):
        return split_sentences(article.text, block.start, block.end)
    if block.end - block.start <= MAX_SENTENCE_CHARS:
        return [(block.start, block.end)]
    return [(s, e) for s, e in _cut_span(article.text, block.start, block.end)
            if ALNUM.search(article.text, s, e)]


def sentence_spans(article: ParsedArticle) -> list[tuple[str, int, int, int]]:
    """Sentences of a parsed article in reading order.

    Titles and deck lines are one sentence each; summary bullets and body paragraphs
    are split with :func:`split_sentences`. A sentence (or title, or deck line) longer
    than :data:`MAX_SENTENCE_CHARS` is cut into pieces, which keep its section and
    paragraph.

    Returns
    -------
    list of (section, paragraph_id, start, end)
        Offsets into ``article.text``; list position is the ``sentence_id``.
    """
    rows = []
    for paragraph_id, block in enumerate(article.blocks):
        rows.extend((block.section, paragraph_id, s, e)
                    for s, e in _block_spans(article, block))
    return rows


def overlong_sentences(article: ParsedArticle) -> int:
    """How many sentences (titles and deck lines included) of ``article`` are longer
    than :data:`MAX_SENTENCE_CHARS`, and so are cut by :func:`sentence_spans`.

    Only blocks longer than the limit are split to find out, so the count is cheap
    for ordinary articles.
    """
    count = 0
    for block in article.blocks:
        if block.end - block.start <= MAX_SENTENCE_CHARS:
            continue
        if block.section in ("title", "deck"):
            count += 1
            continue
        region = entity_shadow(article.text[block.start:block.end])
        count += sum(e - s > MAX_SENTENCE_CHARS for s, e in _punkt_spans(region))
    return count
