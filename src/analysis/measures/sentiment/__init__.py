"""Sentence-level sentiment with two lexicons, and the statistics to compare articles.

Each sentence is scored on its own and scores are aggregated afterwards, because
VADER's compound score is a squashed sum that saturates towards +-1 on long texts:
a whole article scored at once says little more than "long".

Two independent lexicons score every sentence:

* VADER (Hutto & Gilbert 2014), the reference implementation of the
  ``vaderSentiment`` package with the lexicon it ships, offline. VADER was built for
  social-media text and is weakest on news and editorials: its paper reports a
  classification F1 of 0.96 on tweets but 0.55 on New York Times editorials. Read
  its scores on news as a rough, lexical signal, and check them against the second
  lexicon (:func:`lexicon_agreement`).
* TextBlob's pattern lexicon (polarity in [-1, 1], subjectivity in [0, 1]),
  adjective-based, also offline.

NLTK ships its own port of VADER whose rules differ on some negations ("No deal, no
peace.", "without doubt") and on words that close a quotation (``good."``);
:func:`vader_implementation_disagreement` lists the sentences where the two ports
disagree instead of hiding it. Scores in the tables are the reference's.

Per-article statistics use sentences as the sampling unit: a BCa bootstrap interval
for the mean (:func:`bootstrap_mean_ci`) and a permutation test for the difference
between two articles (:func:`permutation_test`). Sentences of one article are not
independent draws (they share a topic and an author), so the intervals describe
the variability of these sentences, not of an outlet's coverage.

Modules:

- ``lexicons``: the VADER and TextBlob scorers; :func:`score_sentences`,
  :func:`vader_implementation_disagreement`.
- ``statistics``: :func:`bootstrap_mean_ci`, :func:`permutation_test` and its effect sizes.
- ``groups``: :func:`select_sections`, and the grouping of sentences the summaries share.
- ``summaries``: :func:`article_sentiment`, :func:`compare_sentiment`, :func:`compare_measures`,
  :func:`lexicon_agreement`, :func:`extreme_sentences`.
- ``aspects``: :func:`aspect_sentiment` by guarantor, guarantee form and voice.
- ``findings``: :func:`sentiment_findings`, :func:`lexicon_disagreement`.
"""

from analysis.measures.sentiment.aspects import VOICE_NARRATOR, VOICE_QUOTE, aspect_sentiment
from analysis.measures.sentiment.findings import (
    MEASURE_NAMES,
    lexicon_disagreement,
    sentiment_findings,
)
from analysis.measures.sentiment.groups import counted_once, select_sections
from analysis.measures.sentiment.lexicons import (
    MEASURES,
    SENTENCE_KEY,
    nltk_vader,
    reference_vader,
    score_sentences,
    vader_implementation_disagreement,
)
from analysis.measures.sentiment.statistics import (
    PermutationResult,
    bootstrap_mean_ci,
    permutation_test,
)
from analysis.measures.sentiment.summaries import (
    article_sentiment,
    compare_measures,
    compare_sentiment,
    extreme_sentences,
    lexicon_agreement,
)

__all__ = [
    "SENTENCE_KEY",
    "MEASURES",
    "MEASURE_NAMES",
    "VOICE_QUOTE",
    "VOICE_NARRATOR",
    "PermutationResult",
    "reference_vader",
    "nltk_vader",
    "score_sentences",
    "vader_implementation_disagreement",
    "select_sections",
    "counted_once",
    "bootstrap_mean_ci",
    "permutation_test",
    "article_sentiment",
    "compare_measures",
    "compare_sentiment",
    "lexicon_agreement",
    "extreme_sentences",
    "aspect_sentiment",
    "sentiment_findings",
    "lexicon_disagreement",
]
