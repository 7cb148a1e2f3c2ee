"""Framing of security guarantees, generic news frames and voices, sentence by sentence.

Three tables come from the ``sentences`` table (columns article_id, sentence_id, section,
paragraph_id, start, end, text), each with transparent rules kept in versioned YAML files
under ``analysis/lexicons``:

- :func:`guarantee_mentions` (``guarantees.yaml``): who provides or is asked to provide
  security to Ukraine (guarantor) and in what form, with negation; each row cites the rule
  and the text that gave it.
- :func:`generic_frames` (``frames.yaml``): the five generic frames of Semetko &
  Valkenburg (2000), one dictionary per codebook question.
- :func:`extract_quotes` (``speakers.yaml``): direct quotes with the speaker resolved to a
  canonical name, carrying "he added" back to the last named speaker.

The summaries (:func:`guarantee_summary`, :func:`dominant_labels`, :func:`frame_shares`,
:func:`voice_summary`) aggregate per article or per any grouping of sentence columns,
e.g. ``by=("article_id", "section")``, and are zero-safe. Everything works article by
article, so any subset of articles (a partition) gives the same rows as the whole corpus.
Lexicons are compiled once per process.

Modules:

- ``labels``: the label constants the tables and summaries share.
- ``sentences``: the ``sentences`` input, checked and cut into articles.
- ``rules``: reading the lexicon files, macros, regex compiling and the faster alternations.
- ``guarantee_rules``: the guarantee lexicon compiled into rules; its vocabulary.
- ``guarantees``: gate, labels, roles, contrasts of a sentence; :func:`guarantee_mentions`.
- ``frames``: the frame lexicon and :func:`generic_frames`.
- ``speakers``: the speaker lexicon and whom a name or "he" refers to in an article.
- ``quotes``: quote segments and their attribution; :func:`extract_quotes`.
- ``summaries``: :func:`guarantee_summary`, :func:`dominant_labels`, :func:`frame_shares`,
  :func:`voice_summary`.
"""

from analysis.measures.framing.frames import frame_names, generic_frames
from analysis.measures.framing.guarantee_rules import guarantee_vocabulary, lexicon_versions
from analysis.measures.framing.guarantees import guarantee_mentions
from analysis.measures.framing.labels import (
    GUARANTEE_DIMENSIONS,
    MODALITIES,
    MODALITY_ASSERTED,
    MODALITY_CONDITIONAL,
    MODALITY_DEMANDED,
    NO_LABEL,
    UNKNOWN_SPEAKER,
)
from analysis.measures.framing.quotes import extract_quotes
from analysis.measures.framing.sentences import SENTENCE_COLUMNS
from analysis.measures.framing.summaries import (
    dominant_labels,
    frame_shares,
    guarantee_summary,
    voice_summary,
)

__all__ = [
    "GUARANTEE_DIMENSIONS",
    "MODALITIES",
    "MODALITY_ASSERTED",
    "MODALITY_DEMANDED",
    "MODALITY_CONDITIONAL",
    "UNKNOWN_SPEAKER",
    "NO_LABEL",
    "SENTENCE_COLUMNS",
    "lexicon_versions",
    "guarantee_vocabulary",
    "frame_names",
    "guarantee_mentions",
    "generic_frames",
    "extract_quotes",
    "guarantee_summary",
    "dominant_labels",
    "frame_shares",
    "voice_summary",
]
