"""Coherence of a topic's top terms from their co-occurrence in the sentence documents.

NPMI (Bouma 2009) and UMass (Mimno et al. 2011), counted over the same documents a
topic model is fitted to.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer

from analysis.data.text import content_tokens
from analysis.measures.topics.documents import select_documents
from analysis.measures.topics.fitting import RUN_COLUMNS

COHERENCE_MEASURES = ("npmi", "umass")
# Added to a joint probability before the logarithm so that word pairs which never
# co-occur get a finite NPMI (the value used by Roeder et al. 2015 and gensim).
NPMI_EPSILON = 1e-12


def _pair_npmi(d_i: float, d_j: float, d_ij: float, n: int, epsilon: float) -> float:
    p_i, p_j, p_ij = d_i / n, d_j / n, d_ij / n
    if p_ij == 1.0:
        # Both terms are in every document: complete co-occurrence, NPMI's upper bound.
        return 1.0
    return np.log((p_ij + epsilon) / (p_i * p_j)) / -np.log(p_ij + epsilon)


def _topic_coherence(
    terms: list[str], occurs: csr_matrix, vocabulary: dict[str, int], measure: str,
    epsilon: float,
) -> float:
    """Mean pair score of one topic's ranked terms; NaN when no pair can be scored."""
    sub = np.zeros((occurs.shape[0], len(terms)))
    for position, term in enumerate(terms):
        if term in vocabulary:
            sub[:, position] = occurs[:, vocabulary[term]].toarray().ravel()
    n_docs = occurs.shape[0]
    doc_freq = sub.sum(axis=0)
    co_freq = sub.T @ sub
    scores = []
    for m in range(1, len(terms)):
        for ell in range(m):
            # A term absent from the reference documents has no probability to score.
            if doc_freq[m] == 0 or doc_freq[ell] == 0:
                continue
            if measure == "npmi":
                scores.append(
                    _pair_npmi(doc_freq[ell], doc_freq[m], co_freq[m, ell], n_docs, epsilon)
                )
            else:
                scores.append(np.log((co_freq[m, ell] + 1.0) / doc_freq[ell]))
    return float(np.mean(scores)) if scores else float("nan")


def topic_coherence(
    topic_terms: pd.DataFrame,
    sentences: pd.DataFrame,
    measure: str = "npmi",
    *,
    sections: Iterable[str] | None = None,
    epsilon: float = NPMI_EPSILON,
) -> pd.DataFrame:
    """Coherence of each topic's top terms, from their co-occurrence in sentences.

    Counts are binary per document: ``D(w)`` sentences contain term ``w`` and
    ``D(w, v)`` contain both, out of ``N`` sentences with content words (the documents
    a topic model is fitted to). A topic's coherence is the mean over its pairs of top
    terms; terms absent from the sentences are skipped.

    - ``"npmi"`` (Bouma 2009): ``log((P(w, v) + eps) / (P(w) P(v))) / -log(P(w, v) + eps)``
      with ``P = D / N``. In ``[-1, 1]``; ``eps`` keeps pairs that never co-occur finite
      (close to -1), and a pair present in every sentence scores 1.
    - ``"umass"`` (Mimno et al. 2011): for terms ranked ``w_1, w_2, ...``, the mean over
      ``l < m`` of ``log((D(w_m, w_l) + 1) / D(w_l))``; at most ``log 2`` here (the
      original sums rather than averages, which makes it grow with the number of terms).

    Parameters
    ----------
    topic_terms : DataFrame
        Table ``topic_terms`` (one run or several).
    sentences : DataFrame
        Table ``sentences``: the reference corpus for the counts.
    measure : {"npmi", "umass"}
    sections : iterable of str, optional
        Count only sentences of these sections, as for :func:`fit_topics`.
    epsilon : float, default 1e-12
        NPMI smoothing; must be positive.

    Returns
    -------
    DataFrame
        Columns model, k, seed (those present in ``topic_terms``), topic, coherence;
        NaN for a topic with fewer than two scorable terms.
    """
    if measure not in COHERENCE_MEASURES:
        raise ValueError(
            f"unknown coherence measure {measure!r}; choose {list(COHERENCE_MEASURES)}"
        )
    if not epsilon > 0:
        raise ValueError(f"epsilon must be positive, got {epsilon}")
    occurrences = term_occurrences(select_documents(sentences, sections))
    return coherence_from_counts(topic_terms, occurrences, measure, epsilon)


def term_occurrences(docs: pd.DataFrame) -> tuple[csr_matrix, dict[str, int]]:
    """Binary ``(n_documents, n_terms)`` occurrence matrix of the documents and its vocabulary."""
    if len(docs) == 0:
        return csr_matrix((0, 0)), {}
    counter = CountVectorizer(analyzer=content_tokens, binary=True)
    return csr_matrix(counter.fit_transform(docs["text"].tolist())), counter.vocabulary_


def coherence_from_counts(topic_terms: pd.DataFrame,
                          occurrences: tuple[csr_matrix, dict[str, int]],
                          measure: str, epsilon: float) -> pd.DataFrame:
    """:func:`topic_coherence` with the documents' occurrences counted already."""
    occurs, vocabulary = occurrences
    run = [c for c in RUN_COLUMNS if c in topic_terms.columns]
    groups = [*run, "topic"]
    rows = []
    ordered = topic_terms.sort_values([*groups, "rank"], kind="mergesort")
    for key, group in ordered.groupby(groups, sort=True):
        terms = group["term"].tolist()
        rows.append((*key, _topic_coherence(terms, occurs, vocabulary, measure, epsilon)))
    return pd.DataFrame(rows, columns=[*groups, "coherence"])
