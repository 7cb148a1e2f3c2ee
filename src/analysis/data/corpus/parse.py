"""Article parsing: the decoded text split into title, summary, deck, body and author.

:func:`parse_article` gives a :class:`ParsedArticle`, whose blocks hold offsets into the
text. The layout it reads is the data contract's; page furniture and bylines are
recognised by :mod:`~analysis.data.corpus.furniture` and
:mod:`~analysis.data.corpus.bylines`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from analysis.data.corpus.bylines import AGENCY_LINE, byline_author
from analysis.data.corpus.dates import MONTHS
from analysis.data.corpus.furniture import page_lines
from analysis.data.corpus.lines import (
    ALNUM,
    BULLET,
    CLOSING_MARKS,
    MAX_DECK_CHARS,
    SENTENCE_ENDING,
    Line,
    entity_shadow,
    next_content,
    plain_text,
    strip_span,
)

SUMMARY_HEADER = re.compile(
    r"(?:summary|(?:story\s+)?highlights|key\s+(?:points|takeaways)|at\s+a\s+glance)\s*:?",
    re.IGNORECASE,
)
# A deck line is short (MAX_DECK_CHARS) and headline-like: it does not end like a prose
# sentence.
PROSE_ENDING = re.compile(r"(?<!\.)\.[" + re.escape(CLOSING_MARKS) + r"]*$")
# A line that ends a sentence, or a short one, ends a paragraph; so does a subheading (a
# line of at most MAX_SUBHEADING_CHARS, capitalised, not ending in a comma or a function
# word, followed by a capitalised line). Other lines are hard-wrapped prose that the
# next line continues.
MIN_WRAPPED_LINE_CHARS = 40
MAX_SUBHEADING_CHARS = 100
CONTINUING_END_CHARS = ",;:-(\u2013\u2014"
CONTINUING_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "for",
     "with", "by", "from", "as", "that", "which", "who", "whose", "its", "his", "her",
     "their", "our", "is", "are", "was", "were", "be", "has", "have", "had", "will",
     "would", "could", "should", "can", "may", "than", "into", "over", "after", "before"}
)
# Datelines open a wire story's first paragraph: "KYIV, Ukraine (AP) - ", "PARIS - ",
# "LONDON, Dec 15 (Reuters) - ", "Brussels - ". A capitalised place needs an agency or a
# long dash (not a hyphen), and a capital must follow, so prose is not cut.
_PLACE_CAPS = r"[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3}"
_PLACE = r"[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,2}"
_REGION = rf"(?:,\s*{_PLACE})?"
_DATELINE_DATE = rf"(?:,?\s*(?i:{MONTHS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
_AGENCY = r"\([A-Z][\w./ -]{0,30}\)"
_LONG_DASH = r"(?:[\u2013\u2014]+|--)"
DATELINE = re.compile(
    rf"(?:{_PLACE_CAPS}{_REGION}{_DATELINE_DATE}\s*(?:{_AGENCY}\s*)?(?:{_LONG_DASH}|\s-)"
    rf"|{_PLACE}{_REGION}{_DATELINE_DATE}\s*{_AGENCY}\s*(?:{_LONG_DASH}|-)"
    rf"|{_PLACE}{_REGION}\s*{_LONG_DASH})"
    r"\s+(?=[\"'\u201c\u2018]?[A-Z0-9])"
)


@dataclass(frozen=True)
class Block:
    """One paragraph-level part of an article.

    Attributes
    ----------
    section : str
        ``"title"``, ``"summary"``, ``"deck"`` or ``"body"``.
    start, end : int
        Character offsets into the decoded text; the part is ``text[start:end]``, with
        surrounding whitespace and (for summary bullets) the bullet marker excluded.
    """

    section: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedArticle:
    """An article split into its parts, in reading order.

    Attributes
    ----------
    text : str
        The decoded text all offsets point into.
    blocks : tuple of Block
        Title, summary bullets, deck lines and body paragraphs in reading order; the
        index of a block is its ``paragraph_id``. Bylines, boilerplate, image and link
        lines, page furniture and captions are not blocks.
    author : str
        Author name from the byline, ``""`` without a recognisable byline.
    """

    text: str
    blocks: tuple[Block, ...]
    author: str = ""

    def section_texts(self, section: str) -> list[str]:
        """Texts of the blocks of one section, in reading order."""
        return [self.text[b.start:b.end] for b in self.blocks if b.section == section]

    @property
    def title(self) -> str:
        titles = self.section_texts("title")
        return titles[0] if titles else ""

    @property
    def summary(self) -> list[str]:
        return self.section_texts("summary")

    @property
    def deck(self) -> list[str]:
        return self.section_texts("deck")

    @property
    def body(self) -> list[str]:
        return self.section_texts("body")


def _summary_blocks(text: str, lines: list[Line], i: int) -> tuple[list[Block], int]:
    """Bullets of a ``Summary`` (or ``Key points``, ``Highlights``) block starting at line
    ``i``, and the line after them."""
    header = lines[i]
    if not SUMMARY_HEADER.fullmatch(text, header.start, header.end):
        return [], i
    blocks = []
    j = next_content(lines, i + 1)
    while j < len(lines):
        line = lines[j]
        marker = BULLET.match(text, line.start, line.end)
        if not marker:
            break
        blocks.append(Block("summary", *strip_span(text, marker.end(), line.end)))
        j = next_content(lines, j + 1)
    return (blocks, j) if blocks else ([], i)


def _is_deck_line(line: str) -> bool:
    return len(line) <= MAX_DECK_CHARS and not PROSE_ENDING.search(line)


def _deck_blocks(text: str, lines: list[Line], i: int) -> tuple[list[Block], int]:
    """Deck lines: the block of lines from ``i`` to the next blank line, if every one is
    headline-like and body text follows it. Returns the blocks and the line after them."""
    j = i
    while j < len(lines) and not lines[j].blank:
        j += 1
    candidates = lines[i:j]
    has_body_after = next_content(lines, j) < len(lines)
    if not candidates or not has_body_after:
        return [], i
    if not all(_is_deck_line(text[line.start:line.end]) for line in candidates):
        return [], i
    return [Block("deck", line.start, line.end) for line in candidates], j


def _starts_capitalised(text: str, line: Line) -> bool:
    """Whether the first letter or digit of ``line`` is a capital or a digit."""
    first = ALNUM.search(text, line.start, line.end)
    return first is not None and (first.group().isupper() or first.group().isdigit())


def _is_subheading(text: str, line: Line, next_line: Line | None) -> bool:
    """Whether ``line`` is a subheading: short, capitalised, not ending in a comma or a
    function word (as a hard-wrapped line may), and followed by a capitalised line."""
    if next_line is None or next_line.blank or line.end - line.start > MAX_SUBHEADING_CHARS:
        return False
    last_word = text[line.start:line.end].rsplit(None, 1)[-1].lower()
    if text[line.end - 1] in CONTINUING_END_CHARS or last_word in CONTINUING_WORDS:
        return False
    return _starts_capitalised(text, line) and _starts_capitalised(text, next_line)


def _body_blocks(text: str, lines: list[Line]) -> Iterator[Block]:
    """Body paragraphs: runs of non-blank lines, ended by a blank line, by a line that
    ends a sentence or is short, or by a subheading, which is a paragraph of its own (one
    paragraph a line in the seeds; hard-wrapped prose is joined)."""
    start = None
    end = 0
    for k, line in enumerate(lines):
        if line.blank:
            if start is not None:
                yield Block("body", start, end)
            start = None
            continue
        begins = start is None
        start = line.start if begins else start
        end = line.end
        next_line = lines[k + 1] if k + 1 < len(lines) else None
        if (line.end - line.start < MIN_WRAPPED_LINE_CHARS
                or SENTENCE_ENDING.search(text, line.start, line.end)
                or (begins and _is_subheading(text, line, next_line))):
            yield Block("body", start, end)
            start = None
    if start is not None:
        yield Block("body", start, end)


def _without_dateline(text: str, block: Block) -> Block:
    """``block`` starting after its dateline ("PARIS - ", "KYIV (AP) - "), if it has one."""
    match = DATELINE.match(text, block.start, block.end)
    return Block(block.section, match.end(), block.end) if match else block


def _is_prose(line: str) -> bool:
    """Whether ``line`` (a line's matching text) reads as article prose: long enough to be
    wrapped, not a bullet, ending a sentence."""
    return (len(line) >= MIN_WRAPPED_LINE_CHARS and not BULLET.match(line)
            and SENTENCE_ENDING.search(line) is not None)


def _content_lines(text: str, lines: list[Line]) -> tuple[list[Line], str]:
    """Lines other than the title, with bylines blanked out and the boilerplate cut off.

    Returns the lines and the author: the first byline's, else the first wire credit's.
    A reporter byline ends the article (the rest is outlet boilerplate) when more prose
    lines precede it than follow it; at the top of an article, or after a mere
    standfirst, it only names the author.
    """
    plains = [plain_text(text, line) for line in lines]
    bylines = [None if line.blank else byline_author(plain)
               for line, plain in zip(lines, plains, strict=True)]
    prose = [byline is None and _is_prose(plain) for plain, byline in zip(plains, bylines,
                                                                           strict=True)]
    prose_before, prose_after = 0, sum(prose)
    author = credit_author = ""
    kept: list[Line] = []
    for line, byline, is_prose in zip(lines, bylines, prose, strict=True):
        if byline is None:
            kept.append(line)
            prose_before += is_prose
            prose_after -= is_prose
            continue
        if byline.credit:
            credit_author = credit_author or byline.author
        else:
            author = author or byline.author
        if byline.ends_article and prose_before > prose_after:
            break
        kept.append(Line(line.start, line.start))
    return kept, author or credit_author


def _split_title(text: str, lines: list[Line]) -> tuple[int, list[Line]]:
    """Index of the title and the lines above it, with section labels blanked out.

    The title is the first content line that is neither a byline, nor an agency's name
    alone (a byline's second line: "By JANE DOE" / "Associated Press"), nor a section
    label (one word in capitals, "WORLD"); furniture, dates, the outlet's name and its
    contact lines are already blank. Bylines above the title stay, to give the author.
    The index is ``len(lines)`` if there is no title.
    """
    above: list[Line] = []
    for i, line in enumerate(lines):
        plain = "" if line.blank else plain_text(text, line)
        if not plain or byline_author(plain, pipe=False) is not None:
            above.append(line)
        elif (plain.isupper() and len(plain.split()) == 1) or AGENCY_LINE.fullmatch(plain):
            above.append(Line(line.start, line.start))
        else:
            return i, above
    return len(lines), above


def _without_repeats(text: str, lines: list[Line], title: Line) -> list[Line]:
    """``lines`` with repeats of the title blanked out (pages print the headline twice)."""
    title_text = plain_text(text, title)
    return [Line(line.start, line.start)
            if not line.blank and plain_text(text, line) == title_text else line
            for line in lines]


def parse_article(text: str, outlet: str = "") -> ParsedArticle:
    """Parse an article's decoded text into title, summary, deck, body and author.

    The layout (data contract): a title line; an optional ``Summary`` (or ``Key
    points``, ``Highlights``) line followed by ``- `` bullets; optional deck lines (a
    block of short headline-like lines before the first blank line, followed by body
    text); body paragraphs; a byline (``Name, Outlet reporter ...``) after which
    everything is boilerplate. Without these parts, the first line is the title and the
    rest is body.

    Saved web pages carry more, which is dropped everywhere: image and link-only lines,
    page furniture (advertising, read times, counts, share and follow prompts, contact
    lines, photo credits, copyright, timestamps and bare dates, the outlet's name),
    captions, wire credits and other bylines (which give the author), repeats of the
    title. Datelines ("PARIS - ") are cut from the start of body paragraphs, and
    subheadings are paragraphs of their own. The title is the first line that is none of
    these, nor an agency's name alone, nor a one-word section label in capitals: a byline
    or boilerplate line is never the title. HTML entities count as the characters they
    stand for; offsets still point into ``text``.

    Parameters
    ----------
    text : str
        Decoded article text (see :func:`read_article_text`).
    outlet : str, optional
        The outlet's name (manifest ``outlet``); a line that is only this name, with or
        without "The", is dropped.

    Returns
    -------
    ParsedArticle
        Blocks with offsets into ``text``; blocks without a letter or digit are dropped.
    """
    shadow = entity_shadow(text)
    lines = page_lines(text, shadow, outlet)
    title_index, above = _split_title(text, lines)
    if title_index == len(lines):
        return ParsedArticle(text=text, blocks=())
    title = lines[title_index]
    below = _without_repeats(text, lines[title_index + 1:], title)
    rest, author = _content_lines(text, above + below)
    blocks = [Block("title", title.start, title.end)]
    i = next_content(rest, 0)
    if i < len(rest):
        summary, i = _summary_blocks(shadow, rest, i)
        deck, i = _deck_blocks(shadow, rest, next_content(rest, i))
        body = [_without_dateline(shadow, b) for b in _body_blocks(shadow, rest[i:])]
        blocks += summary + deck + body
    kept = tuple(b for b in blocks if ALNUM.search(shadow, b.start, b.end))
    return ParsedArticle(text=text, blocks=kept, author=author)
