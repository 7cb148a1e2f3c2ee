"""Small helpers that shape tables for the notebooks and word their computed findings.

The notebooks keep their logic here so that it is tested: the corpus notebook's
provenance and offset checks (:func:`file_provenance`, :func:`verify_offsets`), the
per-section counts (:func:`section_counts`), the framing notebook's audit tables (every
label next to its cue and sentence), wide tables for two compared articles, and the
"What we found" sentences (``*_findings``), which are built from computed values only, so
that they stay true when the corpus or the parameters change.

Every function takes the processed tables (``articles``, ``sentences``,
``guarantee_mentions``, ``frames``, ``quotes``, ``distinctive_terms``) or the summaries
of :mod:`analysis.measures.framing`, works for any number of articles and gives zero rows or
zero counts, never an error, for articles without guarantee content.

Modules:

- ``corpus``: the corpus notebook's counts, provenance and offset checks, sample and
  findings.
- ``framing_tables``: the framing notebook's tables, compared articles side by side and
  every label, cue and quote with its sentence.
- ``framing_findings``: the framing notebook's findings in words.
"""

from analysis.views.report.corpus import (
    corpus_findings,
    corpus_line,
    file_provenance,
    section_counts,
    sentence_sample,
    uncovered_lines,
    verify_offsets,
)
from analysis.views.report.framing_findings import (
    corpus_guarantee_findings,
    frame_findings,
    guarantee_findings,
    kwic_findings,
    modality_findings,
    share_test_findings,
    term_findings,
    voice_findings,
)
from analysis.views.report.framing_tables import (
    frame_cues,
    frame_table,
    guarantee_density,
    kwic_counts,
    kwic_table,
    label_table,
    labelled_sentences,
    mark_compared,
    modality_table,
    quote_table,
    section_labels,
)

__all__ = [
    "mark_compared",
    "section_counts",
    "file_provenance",
    "verify_offsets",
    "uncovered_lines",
    "sentence_sample",
    "corpus_findings",
    "corpus_line",
    "label_table",
    "labelled_sentences",
    "modality_table",
    "modality_findings",
    "guarantee_density",
    "section_labels",
    "frame_table",
    "frame_cues",
    "quote_table",
    "kwic_table",
    "kwic_counts",
    "corpus_guarantee_findings",
    "guarantee_findings",
    "frame_findings",
    "share_test_findings",
    "voice_findings",
    "term_findings",
    "kwic_findings",
]
