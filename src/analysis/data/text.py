"""Word tokens, the stop list, the text the measures match, and which rows are English.

Kept free of NLTK data: the tokenizer is a regular expression and the stop list is
scikit-learn's built-in English list, so nothing needs ``nltk_data``.
:func:`matching_text` is the one normalisation of text for matching: framing, frames,
quotes and speakers, both sentiment lexicons and :func:`tokenize` read it. Sentences keep
their raw text (so offsets trace to the file), and only the copy that is matched is
normalised. :func:`english_rows` says which sentences the English-only measures
(:data:`ENGLISH_ONLY_TABLES`) may read.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

import pandas as pd
import regex

# Dotted initialisms ("U.S.", "U.K."), words with inner apostrophes or hyphens
# ("Europe's", "Article-5-like") and numbers ("90%", "2014"), in any script: a word is
# letters, digits and combining marks (Cyrillic, Hangul, accented Latin, Devanagari's
# vowel signs). The third-party ``regex`` module (already required by NLTK) is used for
# its Unicode categories: ``re``'s ``\w`` leaves out combining marks and takes "_".
# Tokens are found in :func:`matching_text`, so curly apostrophes, soft hyphens and
# zero-width spaces do not split or change a word.
_WORD = r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*"
TOKEN_PATTERN = regex.compile(rf"(?:\p{{L}}\.){{2,}}|{_WORD}(?:['\-]{_WORD})*%?")

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
        Tokens of :func:`matching_text` in reading order, in any script ("Україна",
        "한국은", "déjà" are one token each; a run of Chinese or Japanese characters without
        spaces is one token too); possessive ``'s`` is dropped ("Europe's" -> "europe").
    """
    text = matching_text(text)
    tokens = TOKEN_PATTERN.findall(text.lower() if lowercase else text)
    return [t[:-2] if t.lower().endswith("'s") else t for t in tokens]


def content_tokens(text: str) -> list[str]:
    """Lower-cased tokens without stop words, bare numbers or one-letter tokens."""
    stop = stop_words()
    return [
        t for t in tokenize(text)
        if t not in stop and len(t) > 1 and not t.replace("%", "").isdigit()
    ]


# Typographic variants that news pages use for the same ASCII character: quotes and
# apostrophes, the dashes and hyphens that rules spell "-", and every Unicode space
# (categories Zs, Zl, Zp: no-break, thin, em, ideographic, line and paragraph separators).
_FOLDED = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2035": "'", "\u02bc": "'", "\u02b9": "'", "\u0060": "'", "\u00b4": "'",
    "\u2039": "'", "\u203a": "'", "\uff07": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2036": '"', "\u00ab": '"', "\u00bb": '"', "\uff02": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    "\u00a0": " ", "\u1680": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ",
    "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2007": " ",
    "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u2028": " ", "\u2029": " ",
    "\u202f": " ", "\u205f": " ", "\u3000": " ",
})
# Invisible formatting characters (Unicode category Cf, less the Arabic and Syriac
# signs that print): they split a word for a regular expression but not for a reader.
# Soft hyphen, Mongolian vowel separator, zero-width space, non-joiner and joiner, the
# bidirectional marks, embeddings, overrides and isolates, word joiner and invisible
# operators, the deprecated format characters, byte order mark, interlinear annotation.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb]")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def matching_text(text: str) -> str:
    """The copy of ``text`` that rules match: one spelling for what reads the same.

    HTML entities are decoded ("&amp;" -> "&", "&#8217;" -> "'"), the text is put in
    Unicode NFC, invisible formatting characters (soft hyphen, zero-width space, joiner
    and non-joiner, word joiner, byte order mark, bidirectional marks and isolates) are
    dropped, and typographic quotes, apostrophes (U+2019, U+02BC, ...), dashes and
    hyphens, and Unicode spaces (no-break, thin, ideographic, line separator, ...)
    become their ASCII forms. Letters and case are unchanged. Every measure that
    matches words reads this copy: the guarantee rules, frames, quotes and speakers,
    both sentiment lexicons and :func:`tokenize`.

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


# ---------------------------------------------------------------------------
# Language: which articles the English-only measures read

# The measures built for English: the guarantee rules, the frame dictionaries, the
# speaker and quote rules, and VADER's and TextBlob's lexicons. On another language they
# would find no cue and score every sentence neutral, a 0 that means nothing.
ENGLISH_ONLY_TABLES = ("guarantee_mentions", "frames", "quotes", "sentiment",
                       "distinctive_terms", "topic_weights")
_LANGUAGE_SUBTAG = re.compile(r"[-_\s]")


def language_code(language: object) -> str:
    """A manifest ``language`` value as a lower-case primary language subtag.

    "en-GB", "en_US", "EN" and "English" give "en"; "uk-UA" gives "uk"; "eng" stays
    "eng". An empty or missing value gives "en", the manifest's default.

    Parameters
    ----------
    language : object
        The value of a ``language`` cell (str, or NaN/None when missing).

    Returns
    -------
    str
        The primary subtag, lower case.
    """
    text = "" if language is None or language != language else str(language).strip()
    if not text:
        return "en"
    code = _LANGUAGE_SUBTAG.split(text, maxsplit=1)[0].lower()
    return "en" if code in ("eng", "english") else code


def is_english(language: object) -> bool:
    """Whether a ``language`` value names English (see :func:`language_code`)."""
    return language_code(language) == "en"


def english_rows(sentences: pd.DataFrame) -> pd.Series:
    """Boolean mask (a Series on ``sentences``' index) of the rows in English.

    Parameters
    ----------
    sentences : DataFrame
        Rows with an optional ``language`` column; without it every row is English, the
        manifest's default.

    Returns
    -------
    Series of bool
        True where the row's language is English (:func:`is_english`).
    """
    if "language" not in sentences.columns:
        return pd.Series(True, index=sentences.index, dtype=bool)
    languages = sentences["language"].fillna("").astype(str)
    # One verdict per distinct value: a corpus has few languages and many sentences.
    return languages.map({value: is_english(value) for value in languages.unique()}
                         ).astype(bool)
