"""Generic news frames (Semetko & Valkenburg 2000), sentence by sentence: :func:`generic_frames`.

``frames.yaml`` holds one dictionary of lower-case terms per codebook question, each
with the phrases in which its terms have another sense; :func:`frame_names` lists the
frames.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

from analysis.data.tables import conform, empty_table
from analysis.data.text import matching_text
from analysis.errors import InputError
from analysis.measures.framing.rules import (
    _compile,
    _factored_alternation,
    _matches_at,
    _read_lexicon,
)
from analysis.measures.framing.sentences import _articles, _checked_sentences, _clean

_FRAME_FILE = "frames.yaml"


@dataclass(frozen=True)
class _FrameLexicon:
    version: str
    frames: tuple[str, ...]
    regexes: dict[str, re.Pattern]  # frame -> regex with one named group per question
    anchor: re.Pattern  # empty match wherever a cue of any frame matches
    exclusions: dict[str, re.Pattern]  # question id -> phrases in which its terms are no cue


# Frame cues and their exclusions are whole words: no word character or hyphen on either side.
_WORD_START, _WORD_END = r"(?<![\w\-])", r"(?![\w\-])"
# How far around a cue an exclusion phrase that contains it is looked for.
_EXCLUSION_CONTEXT = 80


def _lower_case_terms(terms: list[str], where: str) -> list[str]:
    upper = [t for t in terms if t != t.lower()]
    if upper:
        raise InputError([f"{where}: write terms in lower case: {upper}"])
    return terms


def _frame_exclusions(questions: list[dict], where: str) -> dict[str, re.Pattern]:
    """Per question with an ``exclude`` list, the regex of the phrases that void its cues."""
    return {
        question["id"]: _compile(
            _WORD_START + "(?:" + "|".join(_lower_case_terms(
                [str(p) for p in question["exclude"]], f"{where}: {question['id']}")) + ")"
            + _WORD_END, f"{where}: {question['id']}: exclude", flags=0)
        for question in questions if question.get("exclude")
    }


@functools.cache
def _frame_lexicon() -> _FrameLexicon:
    data = _read_lexicon(_FRAME_FILE)
    where = f"analysis/lexicons/{_FRAME_FILE}"
    if not isinstance(data.get("frames"), dict) or not data["frames"]:
        raise InputError([f"{where}: missing section 'frames'"])
    regexes, all_terms, exclusions = {}, [], {}
    for frame, questions in data["frames"].items():
        all_terms += _lower_case_terms(
            [str(t) for question in questions for t in question.get("terms") or []],
            f"{where}: {frame}")
        exclusions.update(_frame_exclusions(questions, where))
        groups = [
            f"(?P<{question['id']}>{_factored_alternation(question['terms'])})"
            for question in questions if question.get("terms")
        ]
        # Lower-case terms on lower-cased text: faster than IGNORECASE, same matches.
        regexes[frame] = _compile(
            _WORD_START + "(?:" + "|".join(groups) + ")" + _WORD_END, f"{where}: {frame}",
            flags=0)
    # Any frame's match starts where one of all the terms matches, with the same
    # boundaries: the lookahead finds every such start, overlapping ones included.
    anchor = _compile(_WORD_START + "(?=" + _factored_alternation(all_terms) + _WORD_END + ")",
                      f"{where}: frames", flags=0)
    return _FrameLexicon(version=str(data["version"]), frames=tuple(data["frames"]),
                         regexes=regexes, anchor=anchor, exclusions=exclusions)


def _excluded(match: re.Match, lowered: str, lex: _FrameLexicon) -> bool:
    """Whether a cue lies inside a phrase where its word has another sense ("won't")."""
    exclusion = lex.exclusions.get(match.lastgroup)
    if exclusion is None:
        return False
    start, end = match.span()
    window = exclusion.finditer(lowered, max(0, start - _EXCLUSION_CONTEXT),
                                end + _EXCLUSION_CONTEXT)
    return any(phrase.start() <= start and end <= phrase.end() for phrase in window)


@functools.cache
def frame_names() -> tuple[str, ...]:
    """The generic frames of ``frames.yaml`` in the lexicon's order."""
    frames = _read_lexicon(_FRAME_FILE).get("frames")
    if not isinstance(frames, dict) or not frames:
        raise InputError([f"analysis/lexicons/{_FRAME_FILE}: missing section 'frames'"])
    return tuple(frames)


def generic_frames(sentences: pd.DataFrame) -> pd.DataFrame:
    """Generic news frames (Semetko & Valkenburg 2000) each sentence signals.

    Cues are matched on the sentence's :func:`analysis.data.text.matching_text`; a term inside
    one of its question's ``exclude`` phrases (another sense of the word) is no cue.
    The dictionaries are English: sentences whose ``language`` is another give no rows.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table.

    Returns
    -------
    DataFrame
        Table ``frames``: one row per (article_id, sentence_id, frame) with at least one
        cue; ``cue`` lists ``question_id: 'matched text'`` pairs in reading order, "; "
        separated, the text as matching_text spells it.
    """
    sentences = _checked_sentences(sentences)
    lex = _frame_lexicon()
    records = []
    for article_id, rows in _articles(sentences):
        for sentence_id, _, _, raw in rows:
            text = matching_text(raw)
            lowered = text.lower()
            starts = [match.start() for match in lex.anchor.finditer(lowered)]
            if not starts:
                continue
            # Cues quote the sentence as written where lower-casing kept the offsets.
            source = text if len(lowered) == len(text) else lowered
            for frame, regex in lex.regexes.items():
                cues = {}
                for match in _matches_at(regex, lowered, starts):
                    if _excluded(match, lowered, lex):
                        continue
                    cues.setdefault((match.lastgroup, match.group(0)),
                                    f"{match.lastgroup}: "
                                    f"'{_clean(source[match.start():match.end()])}'")
                if cues:
                    records.append({"article_id": article_id, "sentence_id": sentence_id,
                                    "frame": frame, "cue": "; ".join(cues.values())})
    if not records:
        return empty_table("frames")
    return conform(pd.DataFrame.from_records(records), "frames")
