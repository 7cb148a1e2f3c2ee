"""Framing measured against human coding of real news: coding sheets, codes, scores.

The validation set lives in ``validation/framing/``: ``sources.csv`` names each real
text (URL, outlet, date, title, topic, split) and ``codes.csv`` holds a coder's codes
(docs/codebook.md), one row a sentence, keyed by article and :func:`sentence_key` (a
hash of the normalised sentence text), never the text itself. Whoever collects the texts
again (the manifest layout of ``data/raw``, the article ids of ``sources.csv``) and builds
them with ``python -m analysis build`` can score the processed folder against the codes
with :func:`score_processed` (``python -m analysis framing-validation score``);
:mod:`analysis.views.validation_report` writes what it finds. ``agreement_codes.csv``, when
present, holds a second coder's independent codes of some texts: the same measures then
compare the two coders on the sentences both coded (how far coders agree is the ceiling
the rules can be held to), and the rules on those same sentences.

Modules:

- ``codes``: the set's files (:func:`read_sources`, :func:`read_codes`, the code cells'
  format), :func:`sentence_key` and blank coding sheets (:func:`coding_sheet`).
- ``baseline``: :func:`keyword_baseline`, the naive keyword tagger the rules must beat.
- ``metrics``: :class:`Count`, :func:`f1`, :class:`Scores` and :func:`score`, the tool's
  tables against a coder's codes.
- ``parts``: :func:`score_processed`, a processed folder scored part by part, with
  :func:`codes_as_tables` to score a second coder like the tool.

The researcher's own corpus is validated the same way, on a random sample of its
sentences coded by hand (``data/coding/``):

- ``coding``: the stratified sample with its inclusion probabilities
  (:func:`coding.draw_sample`, ``python -m analysis codesheet``), its sheet and the coded
  sheets read and checked (:func:`coding.read_coding`);
- ``agreement``: Krippendorff's alpha between coders and between the tool and each
  coder, the coders' consensus, the tool's precision and recall against it, the
  confusion table and the disagreements;
- ``corrected``: shares of labelled sentences from the tool's labels corrected by the
  coded sample (design-based supervised learning), with valid intervals.
"""

from analysis.measures.validation.baseline import keyword_baseline
from analysis.measures.validation.codes import (
    AGREEMENT_FILE,
    CODE_COLUMNS,
    HELD_OUT,
    LABEL_KEY,
    SHEET_COLUMNS,
    SOURCE_COLUMNS,
    SPLITS,
    TOPICS,
    UNNAMED_SPEAKER,
    coding_sheet,
    read_codes,
    read_sources,
    sentence_key,
)
from analysis.measures.validation.metrics import Count, Scores, f1, score
from analysis.measures.validation.parts import (
    coders_part,
    codes_as_tables,
    rules_on_coders_part,
    score_processed,
)

__all__ = [
    "SOURCE_COLUMNS",
    "CODE_COLUMNS",
    "SHEET_COLUMNS",
    "TOPICS",
    "SPLITS",
    "HELD_OUT",
    "AGREEMENT_FILE",
    "UNNAMED_SPEAKER",
    "LABEL_KEY",
    "sentence_key",
    "read_sources",
    "read_codes",
    "coding_sheet",
    "keyword_baseline",
    "Count",
    "Scores",
    "f1",
    "score",
    "codes_as_tables",
    "coders_part",
    "rules_on_coders_part",
    "score_processed",
]
