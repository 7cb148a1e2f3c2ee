"""The raw corpus: manifest loading and validation, article parsing, sentence splitting.

``data/raw/manifest.csv`` lists the articles (see ``data-contract.md``). This module
checks the manifest and every file it lists, parses each article into its parts
(title, summary bullets, deck lines, body paragraphs, byline author) and splits the
parts into sentences whose character offsets point into the article's decoded text,
so that ``raw_text[start:end] == text`` for every sentence.

Problem messages
----------------
Every problem is one line that names where it is:

* manifest problems name the manifest and the data row, e.g.
  ``data/raw/manifest.csv row 3 (line 4, article_id 'x'): published '2025-13-01' is not a
  real date (YYYY-MM-DD)``. ``row N`` counts data records from 1 (the header is not a
  row, blank lines are skipped); ``line`` is the physical line where the record starts.
* file problems name the file as ``<raw_dir>/<file>`` (the path as given in the manifest,
  joined to ``raw_dir`` as given by the caller) and the article id, e.g.
  ``data/raw/a.txt (article_id 'x'): not valid UTF-8: byte 0xff at byte offset 120
  (line 4)``. A path that leaves ``raw_dir`` is named as written in the manifest:
  ``data/raw/manifest.csv (article_id 'x'): file '../a.txt': path has a '..' component``.
* files under ``raw_dir`` that no row lists are warnings, not errors (hidden files,
  ``README*`` and the manifest itself are not articles).

Decoded text
------------
An article's text is its bytes decoded as strict UTF-8, with no newline translation
(:func:`read_article_text`). Opening the file in text mode would turn ``\\r\\n`` into
``\\n`` and shift the offsets, so readers of ``start``/``end`` must use that function.

Compared articles
-----------------
Notebooks and views compare a few articles of the corpus: :func:`check_article_ids`
checks the ids they were given and :func:`select_articles` picks those articles' rows
of any table, in the order of the ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import html
import io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from analysis.data.tables import conform, empty_table
from analysis.data.text import matching_text, tokenize
from analysis.errors import InputError

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("article_id", "file", "outlet", "published")
OPTIONAL_COLUMNS = ("url", "language", "sha256", "note")
DEFAULT_LANGUAGE = "en"
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
MAX_ID_LENGTH = 64

ARTICLE_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
SHA256_PATTERN = re.compile(r"[0-9a-fA-F]{64}")

# Layout cues. A reporter byline ("Kim Daeyoung, Hankyung.com reporter kdy@...") after
# the article's prose ends the article: what follows is outlet boilerplate. Other bylines
# ("By Name", "Written by Name", "Author: Name", "Name | Reuters", a name printed twice by
# a scraper) only name the author. Bylines are matched on the line's matching_text, so
# entities, typographic quotes and dashes do not hide them.
WIRES = (r"(?:AP|AFP|Reuters|EPA(?:-EFE)?|Getty\s+Images|Bloomberg|Anadolu(?:\s+Agency)?"
         r"|Xinhua|Yonhap|dpa|Pool|Sputnik|TASS|Shutterstock|Alamy|NurPhoto|UPI|Ukrinform)")
REPORTER_BYLINE = re.compile(
    r"^(?P<name>[^,\n]{2,60}),\s+(?:\S+\s+){0,2}"
    r"(?:reporter|correspondent|staff\s+writer|writer|editor|contributor|columnist)\b",
    re.IGNORECASE,
)
BY_LINE = re.compile(
    r"^(?:(?:(?:written|words|story|text|reported)\s+)?by\s+|authors?\s*:\s*)"
    r"(?P<name>[^,;|\n]{2,60})(?:[,;|].{0,80})?$",
    re.IGNORECASE,
)
# "Name | Outlet": the right side must name an agency, an outlet or a role, so that
# headline-like lines ("Live Updates | Ukraine War") are not taken for bylines.
PIPE_BYLINE = re.compile(
    r"^(?P<name>[^|]{2,60}?)\s*\|\s*(?P<outlet>[^|]{2,60})$")
PIPE_BYLINE_OUTLET = re.compile(
    rf"\b(?:{WIRES}|reporter|correspondent|writer|editor|staff|contributor|news|times|post"
    r"|daily|journal|independent|herald|tribune|guardian|telegraph|press|media|agency)\b"
    r"|\.com\b",
    re.IGNORECASE,
)
# Wire copy ends with "(Reporting by X in Kyiv; Editing by Y)": furniture, whose first
# names stand in for the author when the article has no byline.
WIRE_CREDIT = re.compile(
    r"\(?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|graphics)\s+by\b.*",
    re.IGNORECASE,
)
WIRE_REPORTERS = re.compile(r"^\(?\s*reporting\s+by\s+(?P<names>[^;)]+)", re.IGNORECASE)
WIRE_PLACE = re.compile(r"\s+in\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*")
NAME_CONNECTORS = frozenset({"and", "&", "de", "del", "van", "von", "bin", "al", "da", "le"})
MAX_BYLINE_CHARS = 200
# Markdown images ("related article" thumbnails); the alt text may hold one level of
# nested brackets. Alt text never spans "](", so a line matches in one way only: a lazy
# ".*?" alt text backtracks exponentially on a long line of images followed by text.
_ALT_TEXT = r"(?:[^\[\]\n]|\[[^\[\]\n]*\])*"
IMAGE_LINE = re.compile(rf"(?:!\[{_ALT_TEXT}\]\([^\s)]*\)\s*)+")
IMAGE_ALT = re.compile(rf"!\[(?P<alt>{_ALT_TEXT})\]\(")
# Lines that are only links (markdown links or images, bare URLs) between separators; a
# bare URL runs to the next space, again so that a line matches in one way only.
LINK_LINE = re.compile(rf"(?:(?:!?\[{_ALT_TEXT}\]\([^\s)]*\)|<?https?://\S+(?=\s|$))"
                       r"[\s|\u00b7\u2022,/-]*)+")
SUMMARY_HEADER = re.compile(
    r"(?:summary|(?:story\s+)?highlights|key\s+(?:points|takeaways)|at\s+a\s+glance)\s*:?",
    re.IGNORECASE,
)
BULLET = re.compile(r"[-*\u2022]\s+")
# A deck line is short and headline-like: it does not end like a prose sentence.
MAX_DECK_CHARS = 160
CLOSING_MARKS = "\"'\u2019\u201d)]}\u00bb"
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
SENTENCE_ENDING = re.compile(r"[.!?\u2026][" + re.escape(CLOSING_MARKS) + r"]*$")
ALNUM = re.compile(r"[^\W_]")
# BOM is not whitespace to str.strip, but is no content either.
STRIP_CHARS = " \t\n\r\f\v\ufeff\u00a0"
# HTML entities in the raw text. Structure (lines, sentence ends) is read from a copy in
# which each entity becomes its character repeated to the entity's length, so that
# "win.&quot; She" splits like 'win." She' and offsets still point into the raw text.
HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Page furniture of saved web pages: matched against a whole line's matching_text (ASCII
# quotes and dashes), case-insensitive. Such lines are dropped like boilerplate.
_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_WEEKDAYS = (r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
             r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?")
# Whole words only (look-arounds), and separators only before a word, so that "2026"
# cannot be re-read as "20" + "26", a run of separators has one owner, and a line that
# is not a date fails fast.
_DATE_WORD = (rf"(?<!\w)(?:\d{{1,4}}(?:st|nd|rd|th)?|{_MONTHS}|{_WEEKDAYS}|[ap]\.?m\.?"
              r"|gmt|utc|[ecmp][sd]?t|cest|cet|eet|bst|kst|jst|ist|msk|at|on|ago|today"
              r"|yesterday|(?:hour|hr|minute|min|day|week|second|sec)s?)(?!\w)")
_DATE_TEXT = rf"(?:[\s,.:/|()+\u00b7\u2022-]*{_DATE_WORD})+"
_DATE_END = r"[.)]?"
DATE_LINE = re.compile(_DATE_TEXT + _DATE_END, re.IGNORECASE)
TIMESTAMP_LINE = re.compile(
    r"(?:[\s|\u00b7\u2022-]*(?:(?:last\s+|first\s+)?(?:updated|published|posted|modified)"
    rf"|created)(?::|(?=[\s|]|$))(?:{_DATE_TEXT})?)+{_DATE_END}",
    re.IGNORECASE,
)
# A byline may end with its timestamp and read time, a weekday even glued to the name
# ("by Ann Lee February 3, 2025 9:42 AM 2 min read", "Ann LeeMonday, 3 March 2025, 18:07").
BYLINE_STAMP = re.compile(
    r"(?:(?<=[a-z])(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|\s)"
    rf"(?:{_DATE_TEXT}|\s*\d+\s*min(?:ute)?s?\s+read)*{_DATE_END}$",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d+")
# A date glued before a scraped page's first line ("date 2025-03-15 Title ...").
DATE_PREFIX = re.compile(r"date\s+\d{4}-\d{2}-\d{2}\s+")
FURNITURE_LINE = re.compile(
    "|".join((
        # advertising
        r"advertisement|ad|sponsored(?:\s+content)?|paid\s+(?:post|content)"
        r"|promoted(?:\s+content)?"
        r"|(?:story\s+)?continues\s+below(?:\s+(?:this\s+)?(?:advertisement|ad))?",
        # read times (after the outlet's name, too), view and comment counts, audio players
        r"(?:[^.!?]{0,40}\s)?\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s+read",
        r"(?:estimated\s+)?reading\s+time\s*:?\s*\d+\s*(?:min(?:ute)?s?)?",
        r"[\d.,]+\s*[km]?\s+(?:views?|comments?|shares?|likes?|reactions?)",
        # share, follow and subscribe prompts, page navigation
        r"share(?:\s+this)?(?:\s+(?:article|story|post|page))?(?:\s+(?:on|via)\s+[\w.]+)?",
        r"tweet|email|print|copy\s+link|save(?:\s+article)?|comments?",
        r"follow\s+(?:us|@\w+)\b.{0,80}",
        r"subscribe\b.{0,80}",
        r"(?:sign\s+up|get|join)\b.{0,60}\bnewsletters?\b.{0,40}",
        r"listen\s+to\s+this\s+(?:article|story)\b.{0,30}",
        r"this\s+audio\s+is\s+(?:created|generated)\b.{0,60}",
        # page navigation, logos
        r"skip\s+to\s+(?:main\s+)?content|skip\s+navigation|news\s+feed|(?:show|load)\s+more"
        r"|all\s+sections|menu",
        r".{0,40}\blogo",
        r"(?:read\s+more|related(?:\s+(?:articles?|stories|coverage|news))?|also\s+read"
        r"|read\s+also|see\s+also|read\s+next|more\s+on\s+this(?:\s+story)?"
        r"|recommended(?:\s+stories)?|most\s+read)\s*(?::.*)?",
        r"in\s+this\s+article\s*:?",
        # photo credits and image lines
        r"\(?(?:photo(?:graph)?|image|picture|illustration|credit|video)s?\s*(?::|by\b).{1,120}",
        r"\([^()]{0,80}\b(?:photo|photograph|image|picture|credit)s?\b[^()]{0,80}\)",
        r"(?:file|pool|handout)(?:\s+(?:photo|image|picture)s?)?\.?",
        r"(?:[^.!?]{0,60}\s)?getty\s+images(?:\s*(?:/|for)[^.!?]{0,40})?",
        # copyright
        r"(?:\(c\)|\u00a9).{0,200}|copyright\s*(?:\(c\)|\u00a9)?\s*\d{4}.{0,200}",
        r".{0,160}\ball\s+rights\s+reserved\b.{0,40}",
    )),
    re.IGNORECASE,
)
# Labels that head a summary when bullets follow ("Key points"); alone they are dropped.
LABEL_LINE = re.compile(
    r"(?:(?:story\s+)?highlights|key\s+(?:points|takeaways)|at\s+a\s+glance)\s*:?",
    re.IGNORECASE,
)
# Captions: a line ending with a photo credit, in parentheses ("(AP Photo/Name)"), after
# a pipe ("| Photo: AP") or a wire's slash ("REUTERS/Name"). The slash form is
# case-sensitive so that "a Reuters/Ipsos poll." stays prose.
CAPTION_CREDIT = re.compile(
    r"(?:\([^()]{0,80}\b(?:photo|photograph|image|picture|credit|courtesy)s?\b[^()]{0,80}\)"
    rf"|\([^()]{{0,60}}/\s*{WIRES}\b[^()]{{0,40}}\)"
    rf"|\|[^|]{{0,40}}\b(?:photo|image|picture|credit|{WIRES})\b[^|]{{0,60}}"
    r"|\b(?:photo|image|picture|credit)s?\s*(?::|by\b)[^.!?]{1,80}"
    r"|\bgetty\s+images[^.!?]{0,40}"
    rf"|/\s*{WIRES}"
    r"|(?-i:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3}\s*/\s*(?:AP|AFP|Reuters|REUTERS|EPA))"
    r"|(?-i:\b(?:REUTERS|Reuters|AFP|AP(?:\s+Photo)?|EPA(?:-EFE)?|POOL|Pool)\s*/\s*"
    r"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3}(?:\s*/\s*[\w ]{1,20})?)"
    r")\s*\.?$",
    re.IGNORECASE,
)
MAX_CAPTION_CHARS = 400
# Datelines open a wire story's first paragraph: "KYIV, Ukraine (AP) - ", "PARIS - ",
# "LONDON, Dec 15 (Reuters) - ", "Brussels - ". A capitalised place needs an agency or a
# long dash (not a hyphen), and a capital must follow, so prose is not cut.
_PLACE_CAPS = r"[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3}"
_PLACE = r"[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,2}"
_REGION = rf"(?:,\s*{_PLACE})?"
_DATELINE_DATE = rf"(?:,?\s*(?i:{_MONTHS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
_AGENCY = r"\([A-Z][\w./ -]{0,30}\)"
_LONG_DASH = r"(?:[\u2013\u2014]+|--)"
DATELINE = re.compile(
    rf"(?:{_PLACE_CAPS}{_REGION}{_DATELINE_DATE}\s*(?:{_AGENCY}\s*)?(?:{_LONG_DASH}|\s-)"
    rf"|{_PLACE}{_REGION}{_DATELINE_DATE}\s*{_AGENCY}\s*(?:{_LONG_DASH}|-)"
    rf"|{_PLACE}{_REGION}\s*{_LONG_DASH})"
    r"\s+(?=[\"'\u201c\u2018]?[A-Z0-9])"
)

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


# ---------------------------------------------------------------------------
# Parsed article


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


@dataclass
class CorpusReport:
    """Outcome of :func:`validate_corpus`.

    Attributes
    ----------
    manifest : DataFrame
        The manifest as read (all columns str, ``language`` defaulted to ``"en"``,
        index = 1-based data row number), empty when it could not be read.
    errors : list of str
        Problems that stop a build, one line each.
    warnings : list of str
        Things worth knowing that do not stop a build (e.g. unlisted files).
    """

    manifest: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------
# Sentence splitting


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


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
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


def _entity_shadow(text: str) -> str:
    """``text`` with HTML entities replaced by same-length runs of their character.

    Sentence ends and line structure are read from this copy; offsets into it are
    offsets into ``text``, whose characters the sentences keep.
    """
    return HTML_ENTITY.sub(_shadow_entity, text) if "&" in text else text


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
    region = _entity_shadow(text[start:end])
    spans: list[tuple[int, int]] = []
    for piece_start, piece_end in _sentence_tokenizer().span_tokenize(region):
        s, e = _strip_span(region, piece_start, piece_end)
        if s == e:
            continue
        if spans and _continues_sentence(region[s:e]):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return [(s + start, e + start) for s, e in spans if ALNUM.search(region, s, e)]


# ---------------------------------------------------------------------------
# Article parsing


@dataclass(frozen=True)
class _Line:
    """A line's content span (whitespace stripped); ``start == end`` for a blank line."""

    start: int
    end: int

    @property
    def blank(self) -> bool:
        return self.start == self.end


def _lines(text: str) -> list[_Line]:
    """Content spans of the ``\\n``-separated lines of ``text`` (``\\r`` is whitespace)."""
    lines = []
    offset = 0
    for raw_line in text.split("\n"):
        lines.append(_Line(*_strip_span(text, offset, offset + len(raw_line))))
        offset += len(raw_line) + 1
    return lines


def _plain(text: str, line: _Line) -> str:
    """A line as layout cues read it: :func:`analysis.data.text.matching_text`, stripped."""
    return matching_text(text[line.start:line.end]).strip()


def _undouble(name: str) -> str:
    """A name that a scraper printed twice, once: ``"Ann LeeAnn Lee"`` -> ``"Ann Lee"``."""
    half = len(name) // 2
    if half and len(name) % 2 == 0 and name[:half] == name[half:]:
        return name[:half].strip()
    return name


def _person_name(candidate: str, max_words: int = 6) -> str | None:
    """``candidate`` as a person's name (single spaces, printed once), or ``None``.

    A name is 2 to ``max_words`` words; every word but connectors ("and", "van") is
    capitalised and made of letters, periods, apostrophes and hyphens.
    """
    words = _undouble(candidate.strip()).split()
    names = [w for w in words if w.lower() not in NAME_CONNECTORS]
    if not 2 <= len(words) <= max_words or not names:
        return None
    if not all(w[0].isupper() and all(c.isalpha() or c in ".'-" for c in w) for w in names):
        return None
    return " ".join(words)


class _Byline(NamedTuple):
    """A recognised byline.

    Attributes
    ----------
    author : str
        The name it gives (``""`` for a wire credit without reporters).
    ends_article : bool
        A reporter byline, after which outlet boilerplate may follow.
    credit : bool
        A wire credit ("Reporting by ..."), whose author counts only without a byline.
    """

    author: str
    ends_article: bool = False
    credit: bool = False


def _wire_credit(line: str) -> _Byline | None:
    """The wire credit ``line`` is ("Reporting by A in Kyiv; Editing by B"), or ``None``."""
    if not WIRE_CREDIT.fullmatch(line):
        return None
    reporters = WIRE_REPORTERS.match(line)
    author = _person_name(WIRE_PLACE.sub("", reporters.group("names"))) if reporters else None
    return _Byline(author or "", credit=True)


def _without_stamp(line: str) -> tuple[str, bool]:
    """``line`` without a trailing timestamp or read time, and whether it had one."""
    match = BYLINE_STAMP.search(line)
    # A lone year ("Kyiv Talks 2025") is no timestamp: ask for a date and time, or a read time.
    if match is None or (len(DIGITS.findall(match.group())) < 2 and "read" not in match.group()):
        return line, False
    return line[:match.start()].strip(" ,|-"), True


def _byline_author(line: str, *, pipe: bool = True) -> _Byline | None:
    """The byline that ``line`` (a line's matching text) is, or ``None``.

    ``By Name``, ``Written by Name``, ``Author: Name``, ``Name | Outlet`` (only if
    ``pipe``) and a name printed twice ("Ann LeeAnn Lee") name the author; a reporter
    byline (``Name, Outlet reporter ...``, ``Name, Staff Writer``) may also end the
    article. A byline is short and does not end like a sentence (except a wire credit),
    and its name must be capitalised words, so prose such as "Smith, a reporter for the
    Times, said ..." or "By engaging in talks, ..." is not mistaken for one. A trailing
    timestamp is ignored; a line of names (comma-separated) and a timestamp is a byline.
    """
    if len(line) > MAX_BYLINE_CHARS:
        return None
    credit = _wire_credit(line)
    if credit is not None or SENTENCE_ENDING.search(line):
        return credit
    line, stamped = _without_stamp(line)
    if stamped and all(_person_name(part) for part in line.split(",")):
        return _Byline(line)
    for pattern, ends_article in ((BY_LINE, False), (REPORTER_BYLINE, True)):
        match = pattern.match(line)
        name = _person_name(match.group("name")) if match else None
        if name:
            return _Byline(name, ends_article)
    match = PIPE_BYLINE.match(line) if pipe else None
    if match and PIPE_BYLINE_OUTLET.search(match.group("outlet")):
        name = _person_name(match.group("name"), max_words=4)
        if name:
            return _Byline(name)
    once = _undouble(line)
    if once != line and _person_name(once, max_words=4):
        return _Byline(once)
    return None


def _next_content(lines: list[_Line], i: int) -> int:
    """Index of the first non-blank line at or after ``i`` (``len(lines)`` if none)."""
    while i < len(lines) and lines[i].blank:
        i += 1
    return i


def _name_key(name: str) -> str:
    """How an outlet's name compares: case-folded, without "The" and final periods."""
    key = matching_text(name).casefold().strip(" .")
    return key.removeprefix("the ").strip()


def _is_furniture(line: str, outlet_key: str) -> bool:
    """Whether ``line`` (a line's matching text) is page furniture: advertising, prompts,
    counts, credits, copyright, a timestamp or bare date, or the outlet's name."""
    if FURNITURE_LINE.fullmatch(line) or TIMESTAMP_LINE.fullmatch(line):
        return True
    if DATE_LINE.fullmatch(line) and any(c.isdigit() for c in line):
        return True
    return bool(outlet_key) and _name_key(line) == outlet_key


def _is_caption(line: str, image_alt: str | None) -> bool:
    """Whether ``line`` (a line's matching text) is a photo caption.

    A caption ends with a photo credit; right after an image line (``image_alt`` is its
    case-folded alt text) it may also be a short line that does not end like a sentence,
    or one that repeats the alt text. Other lines after an image are kept: pages put
    related-article thumbnails between paragraphs.
    """
    if len(line) > MAX_CAPTION_CHARS:
        return False
    if CAPTION_CREDIT.search(line):
        return True
    if image_alt is None:
        return False
    if len(line) <= MAX_DECK_CHARS and not SENTENCE_ENDING.search(line):
        return True
    return bool(image_alt) and line.casefold().startswith(image_alt)


def _is_lone_label(text: str, lines: list[_Line], i: int) -> bool:
    """Whether line ``i`` is a label such as "Key points" that no bullet follows."""
    if not LABEL_LINE.fullmatch(text, lines[i].start, lines[i].end):
        return False
    j = _next_content(lines, i + 1)
    return j == len(lines) or not BULLET.match(text, lines[j].start, lines[j].end)


def _page_lines(text: str, shadow: str, outlet: str) -> list[_Line]:
    """Lines of the article with image and link lines, page furniture, captions and lone
    labels blanked out.

    Parameters
    ----------
    text : str
        The decoded article text (furniture and captions are recognised on its lines'
        matching text).
    shadow : str
        ``text`` with entities shadowed (:func:`_entity_shadow`); lines are split on it.
    outlet : str
        The outlet's name; a line that is only this name is furniture.

    Returns
    -------
    list of _Line
        One entry a line of ``text``.
    """
    lines = _lines(shadow)
    outlet_key = _name_key(outlet)
    image_alt = None  # alt text of the image line just above, for captions
    page = []
    for i, line in enumerate(lines):
        if line.blank:
            page.append(line)
            continue
        prefix = DATE_PREFIX.match(shadow, line.start, line.end)
        line = _Line(prefix.end(), line.end) if prefix else line
        image = IMAGE_LINE.fullmatch(text, line.start, line.end)
        plain = _plain(text, line)
        dropped = (image or LINK_LINE.fullmatch(text, line.start, line.end)
                   or _is_furniture(plain, outlet_key) or _is_lone_label(shadow, lines, i)
                   # "Name | Reuters" ends like a credited caption but is a byline.
                   or (_is_caption(plain, image_alt) and _byline_author(plain) is None))
        page.append(_Line(line.start, line.start) if dropped else line)
        image_alt = (matching_text(IMAGE_ALT.match(text, line.start).group("alt")).casefold()
                     if image else None)
    return page


def _summary_blocks(text: str, lines: list[_Line], i: int) -> tuple[list[Block], int]:
    """Bullets of a ``Summary`` (or ``Key points``, ``Highlights``) block starting at line
    ``i``, and the line after them."""
    header = lines[i]
    if not SUMMARY_HEADER.fullmatch(text, header.start, header.end):
        return [], i
    blocks = []
    j = _next_content(lines, i + 1)
    while j < len(lines):
        line = lines[j]
        marker = BULLET.match(text, line.start, line.end)
        if not marker:
            break
        blocks.append(Block("summary", *_strip_span(text, marker.end(), line.end)))
        j = _next_content(lines, j + 1)
    return (blocks, j) if blocks else ([], i)


def _is_deck_line(line: str) -> bool:
    return len(line) <= MAX_DECK_CHARS and not PROSE_ENDING.search(line)


def _deck_blocks(text: str, lines: list[_Line], i: int) -> tuple[list[Block], int]:
    """Deck lines: the block of lines from ``i`` to the next blank line, if every one is
    headline-like and body text follows it. Returns the blocks and the line after them."""
    j = i
    while j < len(lines) and not lines[j].blank:
        j += 1
    candidates = lines[i:j]
    has_body_after = _next_content(lines, j) < len(lines)
    if not candidates or not has_body_after:
        return [], i
    if not all(_is_deck_line(text[line.start:line.end]) for line in candidates):
        return [], i
    return [Block("deck", line.start, line.end) for line in candidates], j


def _starts_capitalised(text: str, line: _Line) -> bool:
    """Whether the first letter or digit of ``line`` is a capital or a digit."""
    first = ALNUM.search(text, line.start, line.end)
    return first is not None and (first.group().isupper() or first.group().isdigit())


def _is_subheading(text: str, line: _Line, next_line: _Line | None) -> bool:
    """Whether ``line`` is a subheading: short, capitalised, not ending in a comma or a
    function word (as a hard-wrapped line may), and followed by a capitalised line."""
    if next_line is None or next_line.blank or line.end - line.start > MAX_SUBHEADING_CHARS:
        return False
    last_word = text[line.start:line.end].rsplit(None, 1)[-1].lower()
    if text[line.end - 1] in CONTINUING_END_CHARS or last_word in CONTINUING_WORDS:
        return False
    return _starts_capitalised(text, line) and _starts_capitalised(text, next_line)


def _body_blocks(text: str, lines: list[_Line]) -> Iterator[Block]:
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


def _content_lines(text: str, lines: list[_Line]) -> tuple[list[_Line], str]:
    """Lines other than the title, with bylines blanked out and the boilerplate cut off.

    Returns the lines and the author: the first byline's, else the first wire credit's.
    A reporter byline ends the article (the rest is outlet boilerplate) when more prose
    lines precede it than follow it; at the top of an article, or after a mere
    standfirst, it only names the author.
    """
    plains = [_plain(text, line) for line in lines]
    bylines = [None if line.blank else _byline_author(plain)
               for line, plain in zip(lines, plains, strict=True)]
    prose = [byline is None and _is_prose(plain) for plain, byline in zip(plains, bylines,
                                                                           strict=True)]
    prose_before, prose_after = 0, sum(prose)
    author = credit_author = ""
    kept: list[_Line] = []
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
        kept.append(_Line(line.start, line.start))
    return kept, author or credit_author


def _split_title(text: str, lines: list[_Line]) -> tuple[int, list[_Line]]:
    """Index of the title and the lines above it, with section labels blanked out.

    The title is the first content line that is neither a byline nor a section label (one
    word in capitals, "WORLD"); furniture, dates and the outlet's name are already blank.
    Bylines above the title stay, to give the author. The index is ``len(lines)`` if
    there is no title.
    """
    above: list[_Line] = []
    for i, line in enumerate(lines):
        plain = "" if line.blank else _plain(text, line)
        if not plain or _byline_author(plain, pipe=False) is not None:
            above.append(line)
        elif plain.isupper() and len(plain.split()) == 1:
            above.append(_Line(line.start, line.start))
        else:
            return i, above
    return len(lines), above


def _without_repeats(text: str, lines: list[_Line], title: _Line) -> list[_Line]:
    """``lines`` with repeats of the title blanked out (pages print the headline twice)."""
    title_text = _plain(text, title)
    return [_Line(line.start, line.start)
            if not line.blank and _plain(text, line) == title_text else line
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
    page furniture (advertising, read times, counts, share and follow prompts, photo
    credits, copyright, timestamps and bare dates, the outlet's name), captions, wire
    credits and other bylines (which give the author), repeats of the title. Datelines
    ("PARIS - ") are cut from the start of body paragraphs, and subheadings are
    paragraphs of their own. The title is the first line that is none of these, nor a
    one-word section label in capitals. HTML entities count as the
    characters they stand for; offsets still point into ``text``.

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
    shadow = _entity_shadow(text)
    lines = _page_lines(text, shadow, outlet)
    title_index, above = _split_title(text, lines)
    if title_index == len(lines):
        return ParsedArticle(text=text, blocks=())
    title = lines[title_index]
    below = _without_repeats(text, lines[title_index + 1:], title)
    rest, author = _content_lines(text, above + below)
    blocks = [Block("title", title.start, title.end)]
    i = _next_content(rest, 0)
    if i < len(rest):
        summary, i = _summary_blocks(shadow, rest, i)
        deck, i = _deck_blocks(shadow, rest, _next_content(rest, i))
        body = [_without_dateline(shadow, b) for b in _body_blocks(shadow, rest[i:])]
        blocks += summary + deck + body
    kept = tuple(b for b in blocks if ALNUM.search(shadow, b.start, b.end))
    return ParsedArticle(text=text, blocks=kept, author=author)


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


# ---------------------------------------------------------------------------
# Reading files


def _decode(data: bytes) -> tuple[str | None, str | None]:
    """``(text, None)`` for valid UTF-8, else ``(None, problem)`` saying where it breaks."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start:exc.start + 1].hex()
        return None, f"not valid UTF-8: byte 0x{bad} at byte offset {exc.start} (line {line})"


def read_article_text(path: str | os.PathLike) -> str:
    """Decode an article file as strict UTF-8, without newline translation.

    Parameters
    ----------
    path : path
        The article file.

    Returns
    -------
    str
        The text that ``sentences.start``/``end`` offsets index.

    Raises
    ------
    InputError
        If the file is not valid UTF-8 (the message gives byte offset and line).
    """
    text, problem = _decode(Path(path).read_bytes())
    if problem is not None:
        raise InputError([f"{path}: {problem}"])
    return text


# ---------------------------------------------------------------------------
# Manifest


def _manifest_path(raw_dir: str | os.PathLike) -> Path:
    return Path(raw_dir) / MANIFEST_NAME


def _row_label(raw_dir: str | os.PathLike, row_number: int | None, line: int | None,
               article_id: str) -> str:
    where = [f"line {line}"] if line is not None else []
    where.append(f"article_id {article_id!r}")
    row = f" row {row_number}" if row_number is not None else ""
    return f"{_manifest_path(raw_dir)}{row} ({', '.join(where)})"


def _file_label(raw_dir: str | os.PathLike, row: Mapping) -> str:
    return f"{Path(raw_dir) / str(row.get('file', ''))} (article_id {row.get('article_id', '')!r})"


def _empty_manifest() -> pd.DataFrame:
    columns = list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in columns})


class _ManifestRead(NamedTuple):
    """The manifest as read, before its rows are checked.

    ``frame`` has one row a data record (index = 1-based row number, cells stripped,
    every contract column present, ``language`` defaulted) and is empty if the file is
    unreadable; ``lines`` gives the physical line each record starts on; ``columns`` are
    the contract columns the header really has (missing ones are filled with ``""``).
    """

    frame: pd.DataFrame
    lines: list[int]
    columns: frozenset[str]
    errors: list[str]
    warnings: list[str]


def _unreadable(problem: str) -> _ManifestRead:
    return _ManifestRead(_empty_manifest(), [], frozenset(), [problem], [])


def _read_manifest(raw_dir: str | os.PathLike) -> _ManifestRead:
    """Read ``<raw_dir>/manifest.csv`` (UTF-8, optional BOM) with every cell as str."""
    path = _manifest_path(raw_dir)
    if not path.is_file():
        return _unreadable(f"{path}: manifest not found")
    text, problem = _decode(path.read_bytes())
    if problem is not None:
        return _unreadable(f"{path}: {problem}")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        header = next(reader, None)
        previous_line = reader.line_num
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append(record)
                lines.append(previous_line + 1)
            previous_line = reader.line_num
    except csv.Error as exc:
        return _unreadable(f"{path}: not valid CSV (line {reader.line_num}): {exc}")
    if not header or not any(h.strip() for h in header):
        return _unreadable(f"{path}: no header row")
    return _manifest_frame(path, [h.strip() for h in header], records, lines)


def _manifest_frame(path: Path, header: list[str], records: list[list[str]],
                    lines: list[int]) -> _ManifestRead:
    """Check the header and the field counts and build the manifest frame."""
    errors, warnings = [], []
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        errors.append(f"{path}: duplicate column(s) {duplicated}")
    errors += [f"{path}: missing required column {c!r}" for c in REQUIRED_COLUMNS
               if c not in header]
    unknown = [h for h in header if h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        warnings.append(f"{path}: unknown column(s) {unknown} are ignored")
    for number, (record, line) in enumerate(zip(records, lines, strict=True), start=1):
        if len(record) != len(header):
            errors.append(f"{path} row {number} (line {line}): {len(record)} fields, "
                          f"the header has {len(header)}")
    if duplicated:
        return _ManifestRead(_empty_manifest(), [], frozenset(), errors, warnings)
    width = len(header)
    cells = [[c.strip() for c in (r + [""] * width)[:width]] for r in records]
    frame = pd.DataFrame(cells, columns=header, dtype=str,
                         index=pd.RangeIndex(1, len(cells) + 1, name="row"))
    for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series([""] * len(frame), index=frame.index, dtype=str)
    frame["language"] = frame["language"].mask(frame["language"] == "", DEFAULT_LANGUAGE)
    if not len(frame):
        warnings.append(f"{path}: lists no articles")
    columns = frozenset(header) & frozenset(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    return _ManifestRead(frame, lines, columns, errors, warnings)


def _field_problems(row: Mapping, required: tuple[str, ...] = REQUIRED_COLUMNS) -> list[str]:
    """Problems of a manifest row's own fields (not its file), without a location prefix.

    ``required`` are the required columns to check for emptiness (a column missing from
    the header is reported once for the manifest, not once a row).
    """
    problems = [f"required field {c!r} is empty" for c in required
                if not str(row.get(c, "")).strip()]
    article_id = str(row.get("article_id", ""))
    if article_id and not ARTICLE_ID_PATTERN.fullmatch(article_id):
        problems.append(f"article_id {article_id!r} must match [a-z0-9][a-z0-9_-]*")
    if len(article_id) > MAX_ID_LENGTH:
        problems.append(f"article_id is {len(article_id)} characters long, at most "
                        f"{MAX_ID_LENGTH} allowed")
    published = str(row.get("published", ""))
    if published and not _is_iso_date(published):
        problems.append(f"published {published!r} is not a real date (YYYY-MM-DD)")
    sha256 = str(row.get("sha256", ""))
    if sha256 and not SHA256_PATTERN.fullmatch(sha256):
        problems.append(f"sha256 {sha256!r} is not 64 hexadecimal digits")
    return problems


def _is_iso_date(value: str) -> bool:
    if not DATE_PATTERN.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _manifest_problems(raw_dir: str | os.PathLike,
                       read: _ManifestRead) -> tuple[list[str], list[str]]:
    """Row-level problems (fields, duplicate ids) and warnings (a file listed twice)."""
    errors, warnings = [], []
    required = tuple(c for c in REQUIRED_COLUMNS if c in read.columns)
    first_row_of_id: dict[str, int] = {}
    first_row_of_file: dict[str, int] = {}
    # Plain dicts, and a row's label only when it has something to report: a large
    # corpus's manifest is checked before any article is scored.
    rows = zip(read.frame.index, read.frame.to_dict("records"), read.lines, strict=True)
    for number, row, line in rows:
        problems = _field_problems(row, required)
        article_id, file = row["article_id"], row["file"]
        duplicate_id = bool(article_id) and article_id in first_row_of_id
        listed_twice = bool(file) and file in first_row_of_file
        if problems or duplicate_id or listed_twice:
            label = _row_label(raw_dir, number, line, article_id)
            errors += [f"{label}: {p}" for p in problems]
            if duplicate_id:
                errors.append(f"{label}: duplicate article_id, first used in row "
                              f"{first_row_of_id[article_id]}")
            if listed_twice:
                warnings.append(f"{label}: file {file!r} is also listed in row "
                                f"{first_row_of_file[file]}")
        first_row_of_id.setdefault(article_id, number)
        first_row_of_file.setdefault(file, number)
    return errors, warnings


def load_manifest(raw_dir: str | os.PathLike) -> pd.DataFrame:
    """Read and check ``<raw_dir>/manifest.csv`` (its rows, not the files they list).

    Parameters
    ----------
    raw_dir : path
        The raw corpus folder.

    Returns
    -------
    DataFrame
        One row an article, all columns str (required and optional columns always
        present, empty cells ``""``, ``language`` defaulted to ``"en"``); index ``row`` is
        the 1-based data row number.

    Raises
    ------
    InputError
        Listing every problem: unreadable manifest, missing or duplicate columns, wrong
        field counts, empty required fields, bad ids, duplicate ids, bad dates or hashes.
    """
    read = _read_manifest(raw_dir)
    row_errors, _ = _manifest_problems(raw_dir, read)
    if read.errors or row_errors:
        raise InputError(read.errors + row_errors)
    return read.frame


# ---------------------------------------------------------------------------
# Articles


def _path_problem(raw_dir: str | os.PathLike, file: str) -> str | None:
    """Why ``file`` is not a safe path inside ``raw_dir``, or ``None``."""
    if PurePosixPath(file).is_absolute() or PureWindowsPath(file).is_absolute() \
            or PureWindowsPath(file).drive or file.startswith(("/", "\\")):
        return "path is absolute; it must be relative to the raw folder"
    if ".." in re.split(r"[\\/]", file):
        return "path has a '..' component; it must stay inside the raw folder"
    root = Path(raw_dir).resolve()
    if not (root / file).resolve().is_relative_to(root):
        return "path leads outside the raw folder (through a symbolic link)"
    return None


@dataclass(frozen=True)
class _LoadedArticle:
    """A manifest row's file, read and parsed, or the problems that stopped it."""

    problems: list[str]
    sha256: str = ""
    parsed: ParsedArticle | None = None


def _load_article(row: Mapping, raw_dir: str | os.PathLike) -> _LoadedArticle:
    """Check, read and parse one manifest row's file; problems are labelled by file."""
    label = _file_label(raw_dir, row)
    file = str(row.get("file", ""))
    if not file:
        return _LoadedArticle([])  # reported as an empty required field of the row
    problem = _path_problem(raw_dir, file)
    if problem is not None:
        # The path cannot be shown joined to raw_dir (it may be absolute), so name the
        # manifest entry and the path as written.
        where = f"{_manifest_path(raw_dir)} (article_id {row.get('article_id', '')!r})"
        return _LoadedArticle([f"{where}: file '{file}': {problem}"])
    path = Path(raw_dir) / file
    if not path.exists():
        return _LoadedArticle([f"{label}: file not found"])
    if not path.is_file():
        return _LoadedArticle([f"{label}: not a regular file"])
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        return _LoadedArticle([f"{label}: file is {size} bytes, more than the "
                               f"{MAX_ARTICLE_BYTES} (5 MB) allowed"])
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    problems = []
    expected = str(row.get("sha256", "")).lower()
    if SHA256_PATTERN.fullmatch(expected) and expected != digest:
        problems.append(f"{label}: sha256 in the manifest {expected} does not match the "
                        f"file's {digest}")
    text, problem = _decode(data)
    if problem is not None:
        return _LoadedArticle(problems + [f"{label}: {problem}"], digest)
    if not text.strip(STRIP_CHARS):
        return _LoadedArticle(problems + [f"{label}: article is empty or whitespace only"],
                              digest)
    parsed = parse_article(text, str(row.get("outlet", "")))
    if not parsed.blocks:
        problems.append(f"{label}: article yields no sentence (no letters or digits outside "
                        "bylines, boilerplate and image links)")
    return _LoadedArticle(problems, digest, parsed)


def validate_article(row: Mapping, raw_dir: str | os.PathLike) -> list[str]:
    """Problems of one manifest row's file.

    Checks the path (relative, no ``..``, no link out of ``raw_dir``), existence, size
    (at most 5 MB, checked before reading), UTF-8, a non-empty ``sha256`` against the
    bytes, and that the article is not empty and yields at least one sentence.

    Parameters
    ----------
    row : Mapping
        A manifest row (needs ``article_id`` and ``file``; ``sha256`` optional).
    raw_dir : path
        The raw corpus folder ``file`` is relative to.

    Returns
    -------
    list of str
        One line a problem, each naming the file; empty if the file is fine.
    """
    return _load_article(row, raw_dir).problems


def _is_article_candidate(relative: Path) -> bool:
    """Files of the raw folder that could be articles: not hidden, not the manifest, not
    a README."""
    if any(part.startswith(".") for part in relative.parts):
        return False
    if relative == Path(MANIFEST_NAME):
        return False
    return relative.stem.lower() != "readme"


def _unlisted_files(raw_dir: str | os.PathLike, manifest: pd.DataFrame) -> list[str]:
    """Warnings for files under ``raw_dir`` that no manifest row lists.

    A file counts as listed if a row names it, or names a link inside ``raw_dir`` that
    resolves to it.
    """
    root = Path(raw_dir)
    if not root.is_dir():
        return []
    listed_names = {os.path.normpath(f) for f in manifest["file"] if f}
    listed_targets = {(root / f).resolve() for f in listed_names
                      if _path_problem(raw_dir, f) is None}
    warnings = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or not _is_article_candidate(relative):
            continue
        if str(relative) not in listed_names and path.resolve() not in listed_targets:
            warnings.append(f"{path}: not listed in {_manifest_path(raw_dir)}; ignored")
    return warnings


def validate_corpus(raw_dir: str | os.PathLike) -> CorpusReport:
    """Check the manifest and every file it lists; never raises for bad data.

    Parameters
    ----------
    raw_dir : path
        The raw corpus folder holding ``manifest.csv``.

    Returns
    -------
    CorpusReport
        The manifest as read, every error (one line each, naming the manifest row or
        the file) and warnings (e.g. files the manifest does not list).
    """
    read = _read_manifest(raw_dir)
    row_errors, row_warnings = _manifest_problems(raw_dir, read)
    errors = read.errors + row_errors
    for _, row in read.frame.iterrows():
        errors += validate_article(row, raw_dir)
    warnings = read.warnings + row_warnings + _unlisted_files(raw_dir, read.frame)
    return CorpusReport(manifest=read.frame, errors=errors, warnings=warnings)


def check_corpus(raw_dir: str | os.PathLike) -> CorpusReport:
    """:func:`validate_corpus`, raising ``InputError(report.errors)`` if there are errors."""
    report = validate_corpus(raw_dir)
    if report.errors:
        raise InputError(report.errors)
    return report


# ---------------------------------------------------------------------------
# Tables


def _article_records(row: Mapping, raw_dir: str | os.PathLike) -> tuple[dict, list[tuple]]:
    """One article's ``articles`` row and ``sentences`` records (tuples in column order).

    Raises
    ------
    InputError
        With the row's field problems and its file's problems.
    """
    article_id = str(row.get("article_id", ""))
    label = _row_label(raw_dir, None, None, article_id)
    loaded = _load_article(row, raw_dir)
    problems = [f"{label}: {p}" for p in _field_problems(row)] + loaded.problems
    if problems or loaded.parsed is None:
        raise InputError(problems)
    parsed = loaded.parsed
    sentences = [
        (article_id, sentence_id, section, paragraph_id, start, end, parsed.text[start:end])
        for sentence_id, (section, paragraph_id, start, end) in enumerate(sentence_spans(parsed))
    ]
    article = {
        "article_id": article_id,
        "file": str(row["file"]),
        "sha256": loaded.sha256,
        "title": parsed.title,
        "outlet": str(row.get("outlet", "")),
        "published": str(row.get("published", "")),
        "author": parsed.author,
        "language": str(row.get("language", "")) or DEFAULT_LANGUAGE,
        "n_sentences": len(sentences),
        "n_words": sum(len(tokenize(record[-1])) for record in sentences),
    }
    return article, sentences


def _sentences_frame(records: list[tuple]) -> pd.DataFrame:
    columns = ["article_id", "sentence_id", "section", "paragraph_id", "start", "end", "text"]
    if not records:
        return empty_table("sentences")
    return conform(pd.DataFrame.from_records(records, columns=columns), "sentences")


def article_tables(row: Mapping, raw_dir: str | os.PathLike) -> tuple[dict, pd.DataFrame]:
    """One article's ``articles`` row and its ``sentences`` rows.

    Cheap and free of global state (beyond the cached tokenizer), so a corpus-scale
    engine can map it over manifest partitions.

    Parameters
    ----------
    row : Mapping
        A manifest row (``article_id``, ``file``, ``outlet``, ``published``; optional
        ``language``, ``sha256``).
    raw_dir : path
        The raw corpus folder.

    Returns
    -------
    article : dict
        The ``articles`` columns; ``sha256`` is the file's hash, ``n_words`` counts
        :func:`analysis.data.text.tokenize` tokens over the sentences.
    sentences : DataFrame
        Conformed ``sentences`` table of this article, shape (n_sentences, 7).

    Raises
    ------
    InputError
        With this article's problems (fields and file).
    """
    article, records = _article_records(row, raw_dir)
    return article, _sentences_frame(records)


def partition_tables(manifest: pd.DataFrame,
                     raw_dir: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``articles`` and ``sentences`` tables of some manifest rows.

    The batch form of :func:`article_tables` for a slice of the manifest (e.g. one
    partition of a corpus-scale engine): each table is built and conformed once, not
    once an article. Corpus-level checks (duplicate ids, unlisted files) are not made.

    Parameters
    ----------
    manifest : DataFrame
        Manifest rows, as from :func:`load_manifest`; may be empty.
    raw_dir : path
        The raw corpus folder.

    Returns
    -------
    articles : DataFrame
        Conformed ``articles`` table, one row a manifest row.
    sentences : DataFrame
        Conformed ``sentences`` table of those articles.

    Raises
    ------
    InputError
        With the problems of every bad row, not only the first.
    """
    articles: list[dict] = []
    records: list[tuple] = []
    problems: list[str] = []
    for _, row in manifest.iterrows():
        try:
            article, sentences = _article_records(row, raw_dir)
        except InputError as exc:
            problems += exc.problems
            continue
        articles.append(article)
        records.extend(sentences)
    if problems:
        raise InputError(problems)
    articles_frame = (conform(pd.DataFrame(articles), "articles") if articles
                      else empty_table("articles"))
    return articles_frame, _sentences_frame(records)


def check_article_ids(articles: pd.DataFrame, article_ids: Sequence[str]) -> list[str]:
    """Check the article ids a notebook or caller was asked to compare.

    Parameters
    ----------
    articles : DataFrame
        Any table with an ``article_id`` column (``articles``, ``sentiment``).
    article_ids : sequence of str
        Ids to compare: at least one, no repeats, each an article of the corpus.

    Returns
    -------
    list of str
        ``article_ids`` as a list, in the given order.

    Raises
    ------
    analysis.errors.InputError
        One problem per unknown or repeated id; unknown ids list the available ones.
    """
    ids = [str(a) for a in article_ids]
    available = sorted(set(articles["article_id"].astype(str)))
    problems = [f"article id {a!r} is not in the corpus; available: {', '.join(available)}"
                for a in ids if a not in available]
    repeated = sorted({a for a in ids if ids.count(a) > 1})
    problems += [f"article id {a!r} is given more than once" for a in repeated]
    if not ids:
        problems.append("no article ids given; pass at least one")
    if problems:
        raise InputError(problems)
    return ids


def select_articles(table: pd.DataFrame, article_ids: Sequence[str],
                    column: str = "article_id") -> pd.DataFrame:
    """The rows of the given articles, in ``article_ids`` order.

    Parameters
    ----------
    table : DataFrame
        Any table with an article id column.
    article_ids : sequence of str
        The articles to keep, e.g. the compared ones (see :func:`check_article_ids`);
        ids without rows are skipped.
    column : str, default "article_id"
        The column holding the article id.

    Returns
    -------
    DataFrame
        The rows of the first id, then those of the second, and so on; the rows of one
        article keep their order in ``table``. The index is a fresh ``0..n-1``.
    """
    order = {a: i for i, a in enumerate(article_ids)}
    ranks = np.array([order.get(a, -1) for a in table[column]], dtype=np.int64)
    # Row positions of the given articles, stably sorted by article: one take, no copies.
    rows = np.flatnonzero(ranks >= 0)
    return table.take(rows[np.argsort(ranks[rows], kind="stable")]).reset_index(drop=True)


def build_corpus_tables(raw_dir: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate the corpus and build the ``articles`` and ``sentences`` tables.

    Parameters
    ----------
    raw_dir : path
        The raw corpus folder.

    Returns
    -------
    articles : DataFrame
        Conformed ``articles`` table, one row an article.
    sentences : DataFrame
        Conformed ``sentences`` table, one row a sentence.

    Raises
    ------
    InputError
        If :func:`check_corpus` finds errors.
    """
    return partition_tables(check_corpus(raw_dir).manifest, raw_dir)
