"""Word tokens and the stop list shared by the term-level measures (compare, topics).

Kept free of NLTK data: the tokenizer is a regular expression and the stop list is
scikit-learn's built-in English list, so nothing needs ``nltk_data``.
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

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

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | NEWS_STOP_WORDS


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
    return [
        t for t in tokenize(text)
        if t not in STOP_WORDS and len(t) > 1 and not t.replace("%", "").isdigit()
    ]
