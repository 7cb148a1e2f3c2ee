"""Topic models of sentence documents: fit, stability across seeds, coherence, k sweep.

Every sentence is one document (title, summary bullets, deck lines and body alike,
unless a ``sections`` filter says otherwise); news articles are short, so a sentence
is the unit that can carry one topic. Terms are :func:`analysis.data.text.content_tokens`,
the project's stop-list tokenizer, so no NLTK data is needed. LDA (Blei et al. 2003)
is fitted to raw counts, NMF (Lee & Seung 1999) to TF-IDF weights, as each model's
likelihood or loss expects.

How many topics? :func:`sweep_row` scores one ``(model, k)`` by the coherence of its
topics on the corpus (NPMI, Bouma 2009; UMass, Mimno et al. 2011) and by their
stability under resampling as Greene, O'Callaghan & Cunningham (2014, "How many topics?
Stability analysis for topic models", ECML PKDD) define it: a reference model is fitted
to all sentences with the first seed, and for every other seed the model is refitted,
with that seed, to a random share of the sentences (80% by default, drawn without
replacement with that seed); each refit's topics are matched one-to-one to the
reference topics by the Hungarian method on the Average Jaccard of their ranked top
terms (:func:`average_jaccard`: the Jaccard index of the top-``d`` terms averaged over
``d = 1..t``, so that the order of the terms counts), a refit's agreement is the mean
Average Jaccard of its matched pairs, and the stability is the mean agreement over the
refits. Refitting on other data is what makes stability mean something for both
models: NMF's ``nndsvda`` start comes from a randomized SVD seeded by
``random_state``, so on the same data other seeds change NMF's start only a little
and, depending on the machine's floating-point arithmetic, may or may not change its
topics; seeds alone measure that arithmetic more than the data. :func:`choose_k`
picks ``k`` from those rows by a stated rule, so the choice follows from the data and
not from a constant; :func:`sweep_by_refits` and :func:`chosen_k_by_refits` show
whether that choice still changes with the number of refits.

Topic numbers are 0-based and ordered by corpus share, largest first, so topic 0 is
the one that covers most of the corpus (the order of an estimator's components is
arbitrary).

Modules:

- ``documents``: the sentence documents (selection, resampling) and the vectorizer's
  document-term matrix; :class:`CorpusTooSmall`.
- ``fitting``: one LDA or NMF fit; :func:`fit_topics`, :class:`TopicModelResult`.
- ``stability``: Average Jaccard, topic matching and refits on resamples;
  :func:`average_jaccard`, :func:`match_topics`, :func:`topic_stability`,
  :func:`stability_by_topic`.
- ``alignment``: topic identity across builds, a new fit numbered after the previous
  fit's topics it continues; :func:`align_topics`, :func:`aligned_fit`,
  :func:`alignment_summary`.
- ``coherence``: NPMI and UMass coherence of top terms; :func:`topic_coherence`.
- ``sweep``: :func:`sweep_row`, :func:`sweep_topics`, :func:`selection_score`,
  :func:`choose_k`, :func:`sweep_by_refits`, :func:`chosen_k_by_refits`,
  :func:`choice_settled`.
- ``summaries``: :func:`topic_prevalence`, :func:`topic_labels`, :func:`topic_overview`,
  :func:`best_per_model`, :func:`topic_findings`.
"""

from analysis.measures.topics.alignment import (
    CONTINUES_AT,
    align_topics,
    aligned_fit,
    aligned_numbers,
    alignment_summary,
)
from analysis.measures.topics.coherence import COHERENCE_MEASURES, NPMI_EPSILON, topic_coherence
from analysis.measures.topics.documents import (
    DEFAULT_SAMPLE_FRACTION,
    CorpusTooSmall,
    resample_documents,
    sample_sentences,
)
from analysis.measures.topics.fitting import MODELS, TopicModelResult, fit_topics, infer_topics
from analysis.measures.topics.stability import (
    DEFAULT_SEEDS,
    TopicStability,
    average_jaccard,
    match_topics,
    stability_by_topic,
    topic_stability,
)
from analysis.measures.topics.summaries import (
    best_per_model,
    topic_findings,
    topic_labels,
    topic_overview,
    topic_prevalence,
)
from analysis.measures.topics.sweep import (
    choice_settled,
    choose_k,
    chosen_k_by_refits,
    selection_score,
    sweep_by_refits,
    sweep_row,
    sweep_topics,
)

__all__ = [
    "MODELS",
    "DEFAULT_SEEDS",
    "DEFAULT_SAMPLE_FRACTION",
    "COHERENCE_MEASURES",
    "NPMI_EPSILON",
    "CorpusTooSmall",
    "TopicModelResult",
    "TopicStability",
    "fit_topics",
    "infer_topics",
    "sample_sentences",
    "resample_documents",
    "CONTINUES_AT",
    "align_topics",
    "aligned_numbers",
    "aligned_fit",
    "alignment_summary",
    "average_jaccard",
    "match_topics",
    "topic_stability",
    "stability_by_topic",
    "topic_coherence",
    "selection_score",
    "sweep_row",
    "sweep_topics",
    "choose_k",
    "sweep_by_refits",
    "chosen_k_by_refits",
    "choice_settled",
    "topic_prevalence",
    "topic_labels",
    "topic_overview",
    "best_per_model",
    "topic_findings",
]
