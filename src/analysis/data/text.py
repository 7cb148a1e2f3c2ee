"""Word tokens, the stop list, and the text the rule-based measures match.

Kept free of NLTK data: the tokenizer is a regular expression and the stop list is
scikit-learn's built-in English list, so nothing needs ``nltk_data``.
:func:`matching_text` is what framing, frames and quotes read: sentences keep their raw
text (so offsets trace to the file), and only the copy that rules match is normalised.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

# Dotted initialisms ("U.S.", "U.K."), words with inner apostrophes or hyphens
# ("Europe's", "Article-5-like") and numbers ("90%", "2014"). Curly apostrophes are
# folded to straight ones first.
TOKEN_PATTERN = re.compile(r"(?:[a-z]\.){2,}|[a-z0-9]+(?:['\-][a-z0-9]+)*%?", re.IGNORECASE)

# News boilerplate that carries no framing: reporting verbs and date words.
NEWS_STOP_WORDS = frozenset(
    {
        "said", "says", "say", "added", "told", "according", "reported", "reports",
        "local", "time", "th", "st", "nd", "rd", "mr", "ms", "also", "would", "could",
    }
)



@functools.cache
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop list plus :data:`NEWS_STOP_WORDS`.

    Imported on first use: importing scikit-learn costs a notebook kernel about 1.5 s
    of CPU, and most notebooks only read tables and never split words.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | NEWS_STOP_WORDS


def tokenize(text: str, *, lowercase: bool = True) -> list[str]:
    """Split ``text`` into word tokens.

    Parameters
    ----------
    text : str
        Any text (a sentence, a paragraph).
    lowercase : bool, default True
        Lower-case the tokens.

    Returns
    -------
    list of str
        Tokens in reading order; possessive ``'s`` is dropped ("Europe's" -> "europe").
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    tokens = TOKEN_PATTERN.findall(text.lower() if lowercase else text)
    return [t[:-2] if t.lower().endswith("'s") else t for t in tokens]


def content_tokens(text: str) -> list[str]:
    """Lower-cased tokens without stop words, bare numbers or one-letter tokens."""
    stop = stop_words()
    return [
        t for t in tokenize(text)
        if t not in stop and len(t) > 1 and not t.replace("%", "").isdigit()
    ]


# Typographic variants that news pages use for the same ASCII character.
_FOLDED = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "\u02b9": "'", "\u0060": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ",
    "\u2007": " ", "\u2008": " ", "\u200a": " ", "\u3000": " ",
})
# Invisible characters that split a word for a regular expression but not for a reader.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def matching_text(text: str) -> str:
    """The copy of ``text`` that rules match: one spelling for what reads the same.

    HTML entities are decoded ("&amp;" -> "&", "&#8217;" -> "'"), the text is put in
    Unicode NFC, invisible characters (soft hyphen, zero-width spaces and joiners) are
    dropped, and typographic quotes, apostrophes (U+2019, U+02BC, ...), dashes and
    spaces become their ASCII forms. Letters and case are unchanged.

    Parameters
    ----------
    text : str
        A sentence as stored (``sentences.text``: the raw file's characters).

    Returns
    -------
    str
        The normalised text. Its length may differ from ``text``'s, so positions in it
        are not offsets into the raw file; the tables' offsets come from the sentences.
    """
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).translate(_FOLDED)
    return text
