"""The naive keyword tagger, the floor the framing rules must beat."""

from __future__ import annotations

import functools
import re

import pandas as pd

from analysis.data.text import matching_text

# The naive keyword tagger: every keyword a regular expression, matched as a word.
_BASELINE_TOPIC = r"guarantee|guarantees|security|troops|peacekeepers|peacekeeping"
_BASELINE_KEYWORDS = {
    "guarantor": {
        "united_states": r"US|U\.S\.|United States|America|American|Washington|Trump",
        "europe": r"Europe|European|Europeans|EU|UK|Britain|British|France|French|Germany|"
                  r"German|Macron|Starmer|Merz|coalition of the willing",
        "nato": r"NATO",
        "ukraine": r"Ukraine|Ukrainian|Kyiv|Zelensky|Zelenskyy",
        "russia": r"Russia|Russian|Moscow|Kremlin|Putin",
        "other": r"UN|United Nations|China|Turkey|Japan|Canada|Australia",
    },
    "form": {
        "collective_defense": r"Article 5|Article-5|collective defen[cs]e|mutual defen[cs]e",
        "troop_deployment": r"troops|peacekeepers|peacekeeping|boots on the ground",
        "monitoring": r"monitoring|monitor|surveillance|observers",
        "military_aid": r"weapons|air defen[cs]e|military aid|arms",
        "economic_stake": r"minerals|mineral|investment|economic",
        "alliance_membership": r"NATO membership|join NATO|accession",
        "other": r"Budapest Memorandum|neutrality|buffer zone",
    },
}


@functools.cache
def _baseline_regexes() -> tuple[re.Pattern, dict[str, dict[str, re.Pattern]]]:
    def word(pattern: str, flags: int = 0) -> re.Pattern:
        return re.compile(rf"(?<![\w.])(?:{pattern})(?![\w])", flags)

    return word(_BASELINE_TOPIC, re.IGNORECASE), {
        dimension: {label: word(pattern) for label, pattern in keywords.items()}
        for dimension, keywords in _BASELINE_KEYWORDS.items()
    }


def keyword_baseline(sentences: pd.DataFrame) -> pd.DataFrame:
    """A naive keyword tagger, the floor the rules must beat.

    A sentence that says "guarantee", "security", "troops" or "peacekeeping" gets every
    guarantor whose name it contains and every form whose keyword it contains
    (``_BASELINE_KEYWORDS``), none negated.

    Returns
    -------
    DataFrame
        article_id, sentence_id, dimension, label, negated: one row per label.
    """
    topic, keywords = _baseline_regexes()
    rows = []
    for article_id, sentence_id, text in sentences[["article_id", "sentence_id", "text"]
                                                   ].itertuples(index=False):
        text = matching_text(text)
        if not topic.search(text):
            continue
        rows += [(article_id, sentence_id, dimension, label, False)
                 for dimension, finders in keywords.items()
                 for label, finder in finders.items() if finder.search(text)]
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "dimension", "label",
                                       "negated"])
