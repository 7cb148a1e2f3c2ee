"""Bylines: whether a line names the article's author, and the name it gives.

:func:`byline_author` reads one line. A reporter byline may end the article, other
bylines only name the author, and a wire credit ("Reporting by ...") names reporters who
stand in for a missing byline.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from analysis.data.corpus.dates import BYLINE_STAMP
from analysis.data.corpus.lines import SENTENCE_ENDING

# A reporter byline ("Kim Daeyoung, Hankyung.com reporter kdy@...") after
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
# An e-mail address after a byline's name ("By Jane Doe jdoe@example.com").
EMAIL = r"[(<]?[\w.+-]+@[\w-]+(?:\.[\w-]+)+[)>]?"
BY_LINE = re.compile(
    r"^(?:(?:(?:written|words|story|text|reported)\s+)?by\s+|authors?\s*:\s*)"
    rf"(?P<name>[^,;|\n]{{2,60}}?)(?:\s+{EMAIL})?(?:[,;|].{{0,80}})?$",
    re.IGNORECASE,
)
# "Name, Agency" ("JANE DOE, Associated Press"): names the author, does not end the article.
AGENCIES = rf"(?:the\s+)?(?:{WIRES}|Associated\s+Press|Agence\s+France-Presse)"
AGENCY_BYLINE = re.compile(rf"^(?P<name>[^,\n]{{2,60}}),\s+{AGENCIES}$", re.IGNORECASE)
# A line that is only an agency's name: under a "By NAME" line, the byline's second line.
AGENCY_LINE = re.compile(AGENCIES, re.IGNORECASE)
# "Name | Outlet": the right side must name an agency, an outlet or a role, so that
# headline-like lines ("Live Updates | Ukraine War") are not taken for bylines.
PIPE_BYLINE = re.compile(
    r"^(?P<name>[^|]{2,60}?)\s*\|\s*(?P<outlet>[^|]{2,60})$")
# A role on the right names a person even above the title, where "Headline | Outlet" is
# the page's title.
PIPE_BYLINE_ROLE = re.compile(
    r"\b(?:reporter|correspondent|staff\s+writer|writer|editor|contributor|columnist)\b",
    re.IGNORECASE,
)
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
DIGITS = re.compile(r"\d+")


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


class Byline(NamedTuple):
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


def _wire_credit(line: str) -> Byline | None:
    """The wire credit ``line`` is ("Reporting by A in Kyiv; Editing by B"), or ``None``."""
    if not WIRE_CREDIT.fullmatch(line):
        return None
    reporters = WIRE_REPORTERS.match(line)
    author = _person_name(WIRE_PLACE.sub("", reporters.group("names"))) if reporters else None
    return Byline(author or "", credit=True)


def _without_stamp(line: str) -> tuple[str, bool]:
    """``line`` without a trailing timestamp or read time, and whether it had one."""
    match = BYLINE_STAMP.search(line)
    # A lone year ("Kyiv Talks 2025") is no timestamp: ask for a date and time, or a read time.
    if match is None or (len(DIGITS.findall(match.group())) < 2 and "read" not in match.group()):
        return line, False
    return line[:match.start()].strip(" ,|-"), True


def byline_author(line: str, *, pipe: bool = True) -> Byline | None:
    """The byline that ``line`` (a line's matching text) is, or ``None``.

    ``By Name`` (an e-mail address may follow the name), ``Written by Name``, ``Author:
    Name``, ``Name, Agency`` (a wire or news agency: "Jane Doe, Associated Press"),
    ``Name | Outlet`` (without ``pipe``, only ``Name | Role``: "Jane Doe | Staff Writer")
    and a name printed twice ("Ann LeeAnn Lee") name the author; a reporter byline
    (``Name, Outlet reporter ...``, ``Name, Staff Writer``) may also end the article. A
    byline is short and does not end like a sentence (except a wire credit), and its name
    must be capitalised words, so prose such as "Smith, a reporter for the Times, said
    ..." or "By engaging in talks, ..." is not mistaken for one. A trailing timestamp is
    ignored; a line of names (comma-separated) and a timestamp is a byline.
    """
    if len(line) > MAX_BYLINE_CHARS:
        return None
    credit = _wire_credit(line)
    if credit is not None or SENTENCE_ENDING.search(line):
        return credit
    line, stamped = _without_stamp(line)
    if stamped and all(_person_name(part) for part in line.split(",")):
        return Byline(line)
    for pattern, ends_article in ((BY_LINE, False), (REPORTER_BYLINE, True),
                                  (AGENCY_BYLINE, False)):
        match = pattern.match(line)
        name = _person_name(match.group("name")) if match else None
        if name:
            return Byline(name, ends_article)
    match = PIPE_BYLINE.match(line)
    right = PIPE_BYLINE_OUTLET if pipe else PIPE_BYLINE_ROLE
    if match and right.search(match.group("outlet")):
        name = _person_name(match.group("name"), max_words=4)
        if name:
            return Byline(name)
    once = _undouble(line)
    if once != line and _person_name(once, max_words=4):
        return Byline(once)
    return None
