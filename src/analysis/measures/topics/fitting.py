"""One LDA or NMF fit to the sentence documents: :func:`fit_topics` and its result.

Topic numbers are 0-based and ordered by corpus share, largest first, so topic 0 is
the one that covers most of the corpus (the order of an estimator's components is
arbitrary).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis.data.tables import conform
from analysis.measures.topics.documents import document_term, select_documents

MODELS = ("lda", "nmf")

# Batch LDA stops when in-sample perplexity moves by less than LDA_PERPLEXITY_TOL
# between checks made every LDA_EVALUATE_EVERY passes. On the seed corpus (k = 2..8,
# seeds 0..4) that takes 9-59 passes, and the top-10 terms agree with those of 800-pass
# fits at a mean best-match Jaccard index of 0.99 (lowest 0.90); fits with different
# seeds agree at only 0.3-0.5, so the stability in a sweep measures seeds and resamples,
# not the stopping rule. A fixed 200 passes gets to 0.998 at about seven times the cost.
LDA_MAX_ITER = 400
LDA_EVALUATE_EVERY = 5
LDA_PERPLEXITY_TOL = 1e-3
# Batch LDA passes over every document each iteration; above LDA_BATCH_LIMIT documents
# LDA learns online instead (mini-batches of LDA_BATCH_SIZE, LDA_ONLINE_PASSES passes).
# On 1,000 sentences of a generated 200-article corpus (k = 3, 5, 8) that takes 1.7-2.2 s
# of CPU against 3.4-10.4 s, and its top-10 terms match the batch fit's of the same seed
# at a mean best-match Jaccard index of 0.46-0.88, where two batch fits with different
# seeds match at 0.34-0.41: the difference is within the model's own seed-to-seed
# spread (benchmarks/lda_online_vs_batch.py).
LDA_BATCH_LIMIT = 500
LDA_BATCH_SIZE = 256
LDA_ONLINE_PASSES = 10
# NMF's coordinate descent reaches NMF_TOL within 1000 passes on the seed corpus, but
# one of its resamples (k = 7) needs about 2000; the cap only bounds a fit that fails
# to converge, which scikit-learn then reports with a ConvergenceWarning.
NMF_MAX_ITER = 5000
NMF_TOL = 1e-6

# The columns that tell the rows of one fit from another's when tables of several fits
# are concatenated (a sweep's, a stability analysis's).
RUN_COLUMNS = ("model", "k", "seed")


@dataclass(frozen=True, eq=False)
class TopicModelResult:
    """One fitted topic model and its tables.

    Attributes
    ----------
    model : str
        ``"lda"`` or ``"nmf"``.
    k : int
        Number of topics.
    seed : int
        Random state of the estimator.
    topic_terms : DataFrame
        Table ``topic_terms``: ``n_top_terms`` rows a topic (fewer if the topic puts
        weight on fewer terms), ``weight`` the term's share of the topic's term mass.
    doc_topics : DataFrame
        Table ``topic_weights``: ``n_documents * k`` rows, ``weight`` the sentence's
        share in each topic (a sentence's weights sum to 1; for NMF a sentence the
        model gives no weight at all has zeros). Built from ``doc_weights`` when first
        read: the refits of a sweep never need it.
    doc_weights : ndarray
        ``(n_documents, k)`` sentence-topic shares, rows in the order of ``documents``.
    documents : DataFrame
        article_id and sentence_id of the fitted sentences, in (article_id,
        sentence_id) order.
    estimator : LatentDirichletAllocation or NMF
        The fitted scikit-learn estimator.
    vectorizer : CountVectorizer or TfidfVectorizer
        The fitted vectorizer; ``vectorizer.get_feature_names_out()`` are the terms.
    document_term : scipy.sparse.csr_matrix
        The ``(n_documents, n_terms)`` matrix the estimator was fitted on; row ``i`` is
        the ``i``-th row of ``doc_topics``' documents in (article_id, sentence_id) order.
    topic_order : ndarray of int
        ``topic_order[t]`` is the estimator component reported as topic ``t``.
    """

    model: str
    k: int
    seed: int
    topic_terms: pd.DataFrame
    doc_weights: np.ndarray
    documents: pd.DataFrame
    estimator: LatentDirichletAllocation | NMF
    vectorizer: CountVectorizer | TfidfVectorizer
    document_term: csr_matrix
    topic_order: np.ndarray

    @functools.cached_property
    def doc_topics(self) -> pd.DataFrame:
        return _topic_weights_table(self.doc_weights, self.documents, self.model, self.k,
                                    self.seed)

    @property
    def n_documents(self) -> int:
        """Number of sentences the model was fitted on (those with content words)."""
        return int(self.document_term.shape[0])

    @property
    def n_terms(self) -> int:
        """Size of the fitted vocabulary."""
        return int(self.document_term.shape[1])

    def perplexity(self) -> float:
        """In-sample perplexity of an LDA fit; NaN for NMF, which has no likelihood."""
        if self.model != "lda":
            return float("nan")
        return float(self.estimator.perplexity(self.document_term))


def _topic_weights_table(doc_weights: np.ndarray, documents: pd.DataFrame, model: str,
                         k: int, seed: int) -> pd.DataFrame:
    """Table ``topic_weights`` from ``(n_documents, k)`` shares and the documents' keys."""
    n_docs = doc_weights.shape[0]
    frame = pd.DataFrame({
        "article_id": np.repeat(documents["article_id"].to_numpy(), k),
        "sentence_id": np.repeat(documents["sentence_id"].to_numpy(), k),
        "topic": np.tile(np.arange(k), n_docs),
        "weight": doc_weights.reshape(-1),
    })
    return conform(frame.assign(model=model, k=k, seed=seed), "topic_weights")


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ValueError(f"unknown topic model {model!r}; choose one of {list(MODELS)}")


def _estimator(model: str, k: int, seed: int,
               n_documents: int) -> LatentDirichletAllocation | NMF:
    if model == "lda" and n_documents > LDA_BATCH_LIMIT:
        return LatentDirichletAllocation(
            n_components=k, learning_method="online", batch_size=LDA_BATCH_SIZE,
            max_iter=LDA_ONLINE_PASSES, random_state=seed, n_jobs=None,
        )
    if model == "lda":
        return LatentDirichletAllocation(
            n_components=k, learning_method="batch", max_iter=LDA_MAX_ITER,
            evaluate_every=LDA_EVALUATE_EVERY, perp_tol=LDA_PERPLEXITY_TOL,
            random_state=seed, n_jobs=None,
        )
    return NMF(
        n_components=k, init="nndsvda", max_iter=NMF_MAX_ITER, tol=NMF_TOL,
        random_state=seed,
    )


def _row_shares(matrix: np.ndarray) -> np.ndarray:
    """Divide each row by its sum; all-zero rows stay zero instead of dividing by zero."""
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float), where=totals > 0)


def _top_terms(
    term_weights: np.ndarray, terms: np.ndarray, n_top_terms: int
) -> list[tuple[int, int, str, float]]:
    """(topic, rank, term, weight) rows: heaviest terms first, ties by term, zeros left out."""
    rows = []
    for topic, weights in enumerate(term_weights):
        order = np.lexsort((terms, -weights))
        order = order[weights[order] > 0][:n_top_terms]
        rows.extend(
            (topic, rank, str(terms[j]), float(weights[j])) for rank, j in enumerate(order)
        )
    return rows


def fit_topics(
    sentences: pd.DataFrame,
    k: int,
    model: str = "lda",
    seed: int = 0,
    n_top_terms: int = 10,
    *,
    min_df: int | float = 1,
    sections: Iterable[str] | None = None,
) -> TopicModelResult:
    """Fit an LDA or NMF topic model with one document per sentence.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences`` (at least article_id, sentence_id, section, text); any
        subset of articles. Row order does not matter.
    k : int
        Number of topics, at least 1 and at most the number of documents and terms.
    model : {"lda", "nmf"}
        LDA on term counts (variational Bayes: batch, or online above
        ``LDA_BATCH_LIMIT`` documents) or NMF on TF-IDF weights (coordinate descent,
        Frobenius loss, ``nndsvda`` initialisation).
    seed : int
        Random state of the estimator. Same input and seed give the same numbers.
    n_top_terms : int
        Terms reported per topic.
    min_df : int or float, default 1
        Passed to the vectorizer: a term must occur in at least this many sentences
        (or this share of them). 1 keeps every term, which a small corpus needs.
    sections : iterable of str, optional
        Keep only sentences of these sections (``title``, ``summary``, ``deck``,
        ``body``); all by default.

    Returns
    -------
    TopicModelResult

    Raises
    ------
    ValueError
        For an unknown model, ``k < 1``, no sentence with content words, an empty
        vocabulary, or fewer documents or terms than ``k`` (:class:`CorpusTooSmall`).
    analysis.errors.InputError
        For an unknown section.
    """
    check_fit(model, k, n_top_terms)
    return fit_documents(select_documents(sentences, sections), k, model, seed, n_top_terms,
                         min_df)


def check_fit(model: str, k: int, n_top_terms: int) -> None:
    """Refuse an unknown model, fewer than one topic or fewer than one top term."""
    _check_model(model)
    if k < 1:
        raise ValueError(f"the number of topics must be at least 1, got {k}")
    if n_top_terms < 1:
        raise ValueError(f"n_top_terms must be at least 1, got {n_top_terms}")


def fit_documents(docs: pd.DataFrame, k: int, model: str, seed: int, n_top_terms: int,
                  min_df: int | float) -> TopicModelResult:
    """:func:`fit_topics` on documents already selected by :func:`select_documents`."""
    vectorizer, matrix = document_term(docs, k, model, min_df)
    estimator = _estimator(model, k, seed, matrix.shape[0])
    doc_weights = _row_shares(estimator.fit_transform(matrix))
    topic_order = np.argsort(-doc_weights.sum(axis=0), kind="stable")
    term_weights = _row_shares(estimator.components_[topic_order])
    terms = vectorizer.get_feature_names_out()
    topic_terms = pd.DataFrame(
        _top_terms(term_weights, terms, n_top_terms), columns=["topic", "rank", "term", "weight"]
    ).assign(model=model, k=k, seed=seed)
    return TopicModelResult(
        model=model, k=k, seed=seed,
        topic_terms=conform(topic_terms, "topic_terms"),
        doc_weights=doc_weights[:, topic_order],
        documents=docs.loc[:, ["article_id", "sentence_id"]],
        estimator=estimator, vectorizer=vectorizer, document_term=matrix,
        topic_order=topic_order,
    )


def infer_topics(fit: TopicModelResult, sentences: pd.DataFrame,
                 sections: Iterable[str] | None = None) -> pd.DataFrame:
    """Table ``topic_weights`` of a fitted model for every sentence document.

    For a model fitted to a sample of the sentences: the fitted vectorizer and
    estimator give each sentence document of ``sentences`` its topic shares (terms the
    fit never saw are ignored), numbered like ``fit``'s topics.

    Parameters
    ----------
    fit : TopicModelResult
        The fitted model.
    sentences : DataFrame
        Table ``sentences``, usually the whole corpus.
    sections : iterable of str, optional
        As for :func:`fit_topics`; use the fit's.

    Returns
    -------
    DataFrame
        Table ``topic_weights``: ``k`` rows a sentence document.
    """
    docs = select_documents(sentences, sections)
    weights = fit.estimator.transform(fit.vectorizer.transform(docs["text"].tolist()))
    return _topic_weights_table(_row_shares(weights)[:, fit.topic_order], docs, fit.model,
                                fit.k, fit.seed)
