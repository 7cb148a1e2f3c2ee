"""Page furniture: the lines of a saved web page that are not the article.

:func:`page_lines` blanks out image and link lines, page furniture (advertising, read
times, counts, share and follow prompts, contact lines, photo credits, copyright,
timestamps and bare dates, the outlet's name), captions and labels that no bullet
follows, so that the article parser reads only the rest.
"""

from __future__ import annotations

import re

from analysis.data.corpus.bylines import WIRES, byline_author
from analysis.data.corpus.dates import DATE_LINE, TIMESTAMP_LINE
from analysis.data.corpus.lines import (
    BULLET,
    MAX_DECK_CHARS,
    SENTENCE_ENDING,
    Line,
    line_spans,
    next_content,
    plain_text,
)
from analysis.data.text import matching_text

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
# A date glued before a scraped page's first line ("date 2025-03-15 Title ...").
DATE_PREFIX = re.compile(r"date\s+\d{4}-\d{2}-\d{2}\s+")
# Page furniture of saved web pages: matched against a whole line's matching_text (ASCII
# quotes and dashes), case-insensitive. Such lines are dropped like boilerplate.
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
        # contact lines: an e-mail address first (scrapers glue the outlet's blurb to it:
        # "desk@outlet.exampleThe Outlet is a digital medium ...")
        r"[\w.+-]+@[\w-]+\.\w.*",
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


def _is_lone_label(text: str, lines: list[Line], i: int) -> bool:
    """Whether line ``i`` is a label such as "Key points" that no bullet follows."""
    if not LABEL_LINE.fullmatch(text, lines[i].start, lines[i].end):
        return False
    j = next_content(lines, i + 1)
    return j == len(lines) or not BULLET.match(text, lines[j].start, lines[j].end)


def page_lines(text: str, shadow: str, outlet: str) -> list[Line]:
    """Lines of the article with image and link lines, page furniture, captions and lone
    labels blanked out.

    Parameters
    ----------
    text : str
        The decoded article text (furniture and captions are recognised on its lines'
        matching text).
    shadow : str
        ``text`` with entities shadowed (:func:`entity_shadow`); lines are split on it.
    outlet : str
        The outlet's name; a line that is only this name is furniture.

    Returns
    -------
    list of Line
        One entry a line of ``text``.
    """
    lines = line_spans(shadow)
    outlet_key = _name_key(outlet)
    image_alt = None  # alt text of the image line just above, for captions
    page = []
    for i, line in enumerate(lines):
        if line.blank:
            page.append(line)
            continue
        prefix = DATE_PREFIX.match(shadow, line.start, line.end)
        line = Line(prefix.end(), line.end) if prefix else line
        image = IMAGE_LINE.fullmatch(text, line.start, line.end)
        plain = plain_text(text, line)
        dropped = (image or LINK_LINE.fullmatch(text, line.start, line.end)
                   or _is_furniture(plain, outlet_key) or _is_lone_label(shadow, lines, i)
                   # "Name | Reuters" ends like a credited caption but is a byline.
                   or (_is_caption(plain, image_alt) and byline_author(plain) is None))
        page.append(Line(line.start, line.start) if dropped else line)
        image_alt = (matching_text(IMAGE_ALT.match(text, line.start).group("alt")).casefold()
                     if image else None)
    return page
