"""Synthesis: every measure of the compared articles side by side, and findings in words.

The synthesis reads the processed tables (:func:`load_tables`), computes one profile of
each compared article from them with the other helpers' summaries
(:func:`compute_synthesis`), and turns that into a table of formatted strings, one row a
measure and one column an article (:func:`format_synthesis`, or :func:`synthesis_table`
in one call), and into sentences (:func:`findings`). Nothing is stored as a result:
notebooks print what these functions compute, so the text stays true when the corpus,
the lexicons or the parameters change.

The first compared article is the reference: the permutation test of sentence
sentiment compares every other article with it, differences read ``other - reference``.

Modules:

- ``profile``: the tables read and every measure computed, :class:`Synthesis`.
- ``tables``: the side-by-side table of formatted strings and the figure's label counts.
- ``findings_text``: the synthesis in sentences, :func:`findings`.
"""

from analysis.views.synthesis.findings_text import findings
from analysis.views.synthesis.profile import (
    ECONOMIC_FORM,
    ECONOMIC_FRAME,
    NATO_MEMBERSHIP,
    SENTIMENT_MEASURES,
    SYNTHESIS_TABLES,
    Synthesis,
    compute_synthesis,
    economic_framing,
    load_tables,
    main_topics,
    main_voices,
    nato_membership,
    nato_stance,
    select_topic_fit,
    sentiment_tests,
)
from analysis.views.synthesis.tables import (
    NONE_TEXT,
    format_synthesis,
    label_counts_long,
    synthesis_table,
)

__all__ = [
    "SYNTHESIS_TABLES",
    "NATO_MEMBERSHIP",
    "ECONOMIC_FORM",
    "ECONOMIC_FRAME",
    "SENTIMENT_MEASURES",
    "NONE_TEXT",
    "Synthesis",
    "load_tables",
    "nato_stance",
    "nato_membership",
    "economic_framing",
    "sentiment_tests",
    "main_voices",
    "select_topic_fit",
    "main_topics",
    "compute_synthesis",
    "format_synthesis",
    "synthesis_table",
    "findings",
    "label_counts_long",
]
