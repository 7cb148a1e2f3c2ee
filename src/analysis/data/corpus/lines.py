"""An article's decoded text as the parser reads it: lines, spans and the entity shadow.

All offsets are character offsets into the decoded text. :func:`line_spans` gives the
content span of every line, :func:`strip_span` trims a span, :func:`entity_shadow` is
the copy that structure (lines, sentence ends) is read from, and :func:`plain_text` a
line as layout cues read it. The character cues here (sentence ends, bullets, the length
of a headline-like line) are shared by the sentence splitter, the furniture filter and
the article parser.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from analysis.data.text import matching_text

BULLET = re.compile(r"[-*\u2022]\s+")
# A headline-like line is short: a deck line, or a caption right under an image.
MAX_DECK_CHARS = 160
CLOSING_MARKS = "\"'\u2019\u201d)]}\u00bb"
SENTENCE_ENDING = re.compile(r"[.!?\u2026][" + re.escape(CLOSING_MARKS) + r"]*$")
ALNUM = re.compile(r"[^\W_]")
# BOM is not whitespace to str.strip, but is no content either.
STRIP_CHARS = " \t\n\r\f\v\ufeff\u00a0"
# HTML entities in the raw text. Structure (lines, sentence ends) is read from a copy in
# which each entity becomes its character repeated to the entity's length, so that
# "win.&quot; She" splits like 'win." She' and offsets still point into the raw text.
HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace."""
    while start < end and text[start] in STRIP_CHARS:
        start += 1
    while end > start and text[end - 1] in STRIP_CHARS:
        end -= 1
    return start, end


def _shadow_entity(match: re.Match) -> str:
    """The entity's character repeated to the entity's length (spaces for a space)."""
    entity = match.group()
    char = html.unescape(entity)
    if len(char) != 1:
        return entity
    return " " * len(entity) if char.isspace() else char * len(entity)


def entity_shadow(text: str) -> str:
    """``text`` with HTML entities replaced by same-length runs of their character.

    Sentence ends and line structure are read from this copy; offsets into it are
    offsets into ``text``, whose characters the sentences keep.
    """
    return HTML_ENTITY.sub(_shadow_entity, text) if "&" in text else text


@dataclass(frozen=True)
class Line:
    """A line's content span (whitespace stripped); ``start == end`` for a blank line."""

    start: int
    end: int

    @property
    def blank(self) -> bool:
        return self.start == self.end


def line_spans(text: str) -> list[Line]:
    """Content spans of the ``\\n``-separated lines of ``text`` (``\\r`` is whitespace)."""
    lines = []
    offset = 0
    for raw_line in text.split("\n"):
        lines.append(Line(*strip_span(text, offset, offset + len(raw_line))))
        offset += len(raw_line) + 1
    return lines


def plain_text(text: str, line: Line) -> str:
    """A line as layout cues read it: :func:`analysis.data.text.matching_text`, stripped."""
    return matching_text(text[line.start:line.end]).strip()


def next_content(lines: list[Line], i: int) -> int:
    """Index of the first non-blank line at or after ``i`` (``len(lines)`` if none)."""
    while i < len(lines) and lines[i].blank:
        i += 1
    return i
