"""The manifest's ``language`` of an article, checked: what it leaves out, and whether the
text reads as that language.

:func:`language_warnings` gives the corpus check's warnings for one article: an article
not in English is left out of the English-only measures
(:data:`analysis.data.text.ENGLISH_ONLY_TABLES`), and the warning says which and why; an
article whose text a language identifier confidently reads as another language than its
row's gets a warning naming both. The identifier is ``py3langid`` (Lui & Baldwin's
langid.py model, shipped with the package, deterministic, no download); it reads at most
:data:`DETECT_CHARS` characters of an article, so the check costs about a millisecond an
article after the model is loaded once (about 0.7 s).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from analysis.data.corpus.parse import ParsedArticle
from analysis.data.text import ENGLISH_ONLY_TABLES, language_code, matching_text

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Below this many letters a guess is not trusted: a headline and a line of body can
# read as several languages.
MIN_DETECT_LETTERS = 200
# The identifier reads at most this much of an article: enough for a confident guess,
# and the check stays cheap on long articles.
DETECT_CHARS = 3000
# A mismatch is reported only when the identifier is at least this sure (its
# probabilities are normalised over its 140 languages).
MIN_CONFIDENCE = 0.99
# Languages the identifier cannot tell apart reliably, and codes it spells otherwise:
# a row written with one of a group is not contradicted by another of the same group.
_SAME_LANGUAGE = (
    frozenset({"no", "nb", "nn"}), frozenset({"sr", "hr", "bs", "sh"}),
    frozenset({"ms", "id"}), frozenset({"zh", "yue", "wuu"}), frozenset({"fa", "prs"}),
)


@functools.cache
def _identifier() -> LanguageIdentifier | None:
    """py3langid's identifier with normalised probabilities, loaded once; None when the
    package is not installed (the check is then skipped with a warning)."""
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        return None
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_check_missing(raw_dir: object) -> list[str]:
    """One warning when ``py3langid`` is not installed and texts are not checked."""
    if _identifier() is not None:
        return []
    return [f"{raw_dir}: the articles' language was not checked against their text: the "
            "package py3langid is not installed"]


def _same_language(row_code: str, detected: str) -> bool:
    return row_code == detected or any(
        row_code in group and detected in group for group in _SAME_LANGUAGE)


def _article_sample(parsed: ParsedArticle) -> str:
    """The start of the article's title, summary, deck and body, as the measures read it."""
    parts, size = [], 0
    for block in parsed.blocks:
        parts.append(parsed.text[block.start:block.end])
        size += block.end - block.start
        if size >= DETECT_CHARS:
            break
    return matching_text("\n".join(parts)[:DETECT_CHARS])


def detected_language(parsed: ParsedArticle) -> tuple[str, float] | None:
    """The language the identifier reads in ``parsed``, if it can judge it.

    Parameters
    ----------
    parsed : ParsedArticle
        The parsed article (its blocks: page furniture and bylines are not read).

    Returns
    -------
    (str, float) or None
        The ISO 639 code and its probability; None when the article has fewer than
        :data:`MIN_DETECT_LETTERS` letters in its first :data:`DETECT_CHARS` characters
        or when ``py3langid`` is not installed.
    """
    identifier = _identifier()
    sample = _article_sample(parsed)
    if identifier is None or sum(char.isalpha() for char in sample) < MIN_DETECT_LETTERS:
        return None
    code, probability = identifier.classify(sample)
    return code, probability


def language_warnings(row: Mapping, parsed: ParsedArticle | None, label: str) -> list[str]:
    """Warnings about one article's ``language``.

    Parameters
    ----------
    row : Mapping
        The manifest row (``language``, defaulted to "en").
    parsed : ParsedArticle or None
        The parsed article; None when it could not be read (its errors say why).
    label : str
        How the warnings name the article: its file and id.

    Returns
    -------
    list of str
        At most two lines: that an article not in English is left out of the
        English-only tables, and that its text reads as another language than its row
        says (only for a confident guess on enough text, and only where ``py3langid``
        is installed: see :func:`language_check_missing`).
    """
    if parsed is None:
        return []
    language = str(row.get("language", "")).strip()
    row_code = language_code(language)
    warnings = []
    if row_code != "en":
        warnings.append(
            f"{label}: language {language!r} is not English: left out of "
            f"{', '.join(ENGLISH_ONLY_TABLES)} (no rows), whose rules and lexicons are "
            "English; its sentences are still counted in articles and sentences")
    detected = detected_language(parsed)
    if detected is not None:
        code, probability = detected
        if probability >= MIN_CONFIDENCE and not _same_language(row_code, code):
            warnings.append(
                f"{label}: the manifest's language is {language!r} but the text reads as "
                f"{code!r} (py3langid, probability {probability:.2f}); correct the row's "
                "language if the text is in that language")
    return warnings
