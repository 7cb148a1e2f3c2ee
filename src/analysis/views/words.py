"""Labels and column names in words, for what a reader sees on a rendered page.

The tables keep the data contract's labels (``united_states``, ``collective_defense``)
and column names (``n_sentences``): they are the interface researchers join and filter
on. Pages and the landing page show them in words ("United States", "collective
defence", "n sentences"). Only whole labels of the contract's vocabularies are
replaced, so article text, ids and parameter names (``topics.k``) stay as written.
"""

from __future__ import annotations

import re

# The data contract's vocabularies (guarantors, forms, generic frames, modalities,
# sections) whose label is not already a word as it stands.
LABEL_WORDS = {
    # guarantors
    "united_states": "United States",
    "europe": "Europe",
    "nato": "NATO",
    "ukraine": "Ukraine",
    "russia": "Russia",
    # forms of guarantee
    "collective_defense": "collective defence",
    "troop_deployment": "troop deployment",
    "military_aid": "military aid",
    "economic_stake": "economic stake",
    "alliance_membership": "alliance membership",
    # generic frames (Semetko & Valkenburg 2000)
    "economic_consequences": "economic consequences",
    "human_interest": "human interest",
}



def _label_pattern(labels) -> re.Pattern:
    """Any of ``labels`` as a whole word: not inside an identifier, a file name or a
    dotted parameter name ("topics.n_seeds", "02_guarantee_shares.png", "article_a=...")."""
    alternatives = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    return re.compile(r"(?<![\w.=/-])(" + alternatives + r")(?![\w=/]|\.\w)")


_LABEL = _label_pattern(LABEL_WORDS)
# Labels of two words or more, joined by "_": never a word of running text.
_COMPOUND_LABEL = _label_pattern(label for label in LABEL_WORDS if "_" in label)


def label_words(label: str) -> str:
    """One label in words: ``"collective_defense"`` gives ``"collective defence"``.

    A value that is not a vocabulary label is returned unchanged.
    """
    return LABEL_WORDS.get(label, label)


def labels_in_words(text: str, single_words: bool = True) -> str:
    """``text`` with every whole vocabulary label in words.

    ``"most affirmed form: collective_defense (6 sentences)"`` gives ``"most affirmed
    form: collective defence (6 sentences)"``; ``"topics.n_seeds"`` and
    ``"united_states_share"`` are left alone. With ``single_words=False`` only labels
    joined by "_" are replaced, for text that may quote an article ("nato" in a URL or
    a lower-case headline stays as written).
    """
    pattern = _LABEL if single_words else _COMPOUND_LABEL
    return pattern.sub(lambda match: LABEL_WORDS[match.group(1)], text)


def column_words(name: str) -> str:
    """A column name in words: ``"n_sentences"`` gives ``"n sentences"``."""
    return str(name).replace("_", " ")
