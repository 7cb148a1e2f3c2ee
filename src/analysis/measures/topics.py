"""Topic models of sentence documents: fit, stability across seeds, coherence, k sweep.

Every sentence is one document (title, summary bullets, deck lines and body alike,
unless a ``sections`` filter says otherwise); news articles are short, so a sentence
is the unit that can carry one topic. Terms are :func:`analysis.data.text.content_tokens`,
the project's stop-list tokenizer, so no NLTK data is needed. LDA (Blei et al. 2003)
is fitted to raw counts, NMF (Lee & Seung 1999) to TF-IDF weights, as each model's
likelihood or loss expects.

How many topics? :func:`sweep_row` scores one ``(model, k)`` by the coherence of its
topics on the corpus (NPMI, Bouma 2009; UMass, Mimno et al. 2011) and by their
stability under resampling (Greene, O'Callaghan & Cunningham 2014, "How many topics?
Stability analysis for topic models"): a reference model is fitted to all sentences
with the first seed, and for every other seed the model is refitted, with that seed,
to a random share of the sentences (80% by default, drawn without replacement with
that seed); each refit's topics are matched one-to-one to the reference topics
(Hungarian matching on the Jaccard index of their top-term sets) and the stability is
the mean matched Jaccard index. Refitting on other data is what makes stability mean
something for both models: NMF's ``nndsvda`` start comes from a randomized SVD seeded
by ``random_state``, so on the same data other seeds change NMF's start only a little
and, depending on the machine's floating-point arithmetic, may or may not change its
topics; seeds alone measure that arithmetic more than the data. :func:`choose_k`
picks ``k`` from those rows by a stated rule, so the choice follows from the data and
not from a constant.

Topic numbers are 0-based and ordered by corpus share, largest first, so topic 0 is
the one that covers most of the corpus (the order of an estimator's components is
arbitrary).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis.data.tables import conform, empty_table, require_columns, select_sections
from analysis.data.text import content_tokens

MODELS = ("lda", "nmf")
DEFAULT_SEEDS = (0, 1, 2, 3, 4)
# Share of the sentence documents each stability refit sees. Greene et al. (2014) use
# 80%: enough data that a real topic reappears, little enough that a topic resting on
# one or two sentences can disappear from a resample.
DEFAULT_SAMPLE_FRACTION = 0.8
COHERENCE_MEASURES = ("npmi", "umass")

# Batch LDA stops when in-sample perplexity moves by less than LDA_PERPLEXITY_TOL
# between checks made every LDA_EVALUATE_EVERY passes. On the seed corpus (k = 2..8,
# seeds 0..4) that takes 9-59 passes, and the top-10 terms agree with those of 800-pass
# fits at a mean best-match Jaccard index of 0.99 (lowest 0.90); fits with different
# seeds agree at only 0.3-0.5, so the stability in a sweep measures seeds and resamples,
# not the stopping rule. A fixed 200 passes gets to 0.998 at about seven times the cost.
LDA_MAX_ITER = 400
LDA_EVALUATE_EVERY = 5
LDA_PERPLEXITY_TOL = 1e-3
# NMF's coordinate descent reaches NMF_TOL within 1000 passes on the seed corpus, but
# one of its resamples (k = 7) needs about 2000; the cap only bounds a fit that fails
# to converge, which scikit-learn then reports with a ConvergenceWarning.
NMF_MAX_ITER = 5000
NMF_TOL = 1e-6

# Added to a joint probability before the logarithm so that word pairs which never
# co-occur get a finite NPMI (the value used by Roeder et al. 2015 and gensim).
NPMI_EPSILON = 1e-12

_RUN_COLUMNS = ("model", "k", "seed")
_SENTENCE_COLUMNS = ("article_id", "sentence_id", "section", "text")


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
        n_docs, k = self.doc_weights.shape
        frame = pd.DataFrame({
            "article_id": np.repeat(self.documents["article_id"].to_numpy(), k),
            "sentence_id": np.repeat(self.documents["sentence_id"].to_numpy(), k),
            "topic": np.tile(np.arange(k), n_docs),
            "weight": self.doc_weights.reshape(-1),
        })
        return conform(frame.assign(model=self.model, k=self.k, seed=self.seed), "topic_weights")

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


@dataclass(frozen=True, eq=False)
class TopicStability:
    """Agreement of topic fits across seeds.

    Attributes
    ----------
    mean_jaccard : float
        Mean of ``pairs.jaccard``: 1 when every seed finds the reference topics' top
        terms exactly, 0 when no top term is shared.
    pairs : DataFrame
        Table ``topic_stability``: one row per non-reference seed, ``jaccard`` the mean
        and ``min_jaccard`` the smallest Jaccard index over the matched topic pairs.
    matches : DataFrame
        One row per matched topic pair: model, k, reference_seed, seed,
        reference_topic, topic, jaccard.
    """

    mean_jaccard: float
    pairs: pd.DataFrame
    matches: pd.DataFrame


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ValueError(f"unknown topic model {model!r}; choose one of {list(MODELS)}")


def _select_documents(
    sentences: pd.DataFrame, sections: Iterable[str] | None
) -> pd.DataFrame:
    """Sentences of the chosen sections that have content words, in key order."""
    require_columns(sentences, _SENTENCE_COLUMNS, "sentences")
    docs = select_sections(sentences.loc[:, list(_SENTENCE_COLUMNS)], sections)
    docs = docs.sort_values(["article_id", "sentence_id"], kind="mergesort")
    # A sentence of stop words only carries no topic evidence; LDA would give it the
    # prior and NMF nothing, so it is left out rather than reported with made-up weights.
    has_content = np.array([bool(content_tokens(t)) for t in docs["text"]], dtype=bool)
    return docs[has_content].reset_index(drop=True)


def _vectorizer(model: str, min_df: int | float) -> CountVectorizer | TfidfVectorizer:
    if model == "lda":
        return CountVectorizer(analyzer=content_tokens, min_df=min_df)
    return TfidfVectorizer(analyzer=content_tokens, min_df=min_df)


def _estimator(model: str, k: int, seed: int) -> LatentDirichletAllocation | NMF:
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


class CorpusTooSmall(ValueError):
    """The documents (or their vocabulary) are too few for the number of topics."""


def _document_term(docs: pd.DataFrame, k: int, model: str, min_df: int | float):
    """Fit the model's vectorizer, refusing corpora too small for ``k`` topics."""
    if len(docs) == 0:
        raise CorpusTooSmall("no sentence has content words: there is nothing to fit "
                             "topics to")
    if len(docs) < k:
        raise CorpusTooSmall(
            f"cannot fit {k} topics to {len(docs)} sentence documents: "
            f"need at least as many documents as topics"
        )
    vectorizer = _vectorizer(model, min_df)
    try:
        matrix = vectorizer.fit_transform(docs["text"].tolist())
    except ValueError as err:  # min_df pruned every term, or exceeds the document count
        raise CorpusTooSmall(f"no usable vocabulary with min_df={min_df!r}: {err}") from None
    if matrix.shape[1] < k:
        raise CorpusTooSmall(
            f"cannot fit {k} topics to a vocabulary of {matrix.shape[1]} terms "
            f"(min_df={min_df!r}): need at least as many terms as topics"
        )
    return vectorizer, csr_matrix(matrix)


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
        LDA on term counts (batch variational Bayes) or NMF on TF-IDF weights
        (coordinate descent, Frobenius loss, ``nndsvda`` initialisation).
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
    _check_fit(model, k, n_top_terms)
    return _fit_documents(_select_documents(sentences, sections), k, model, seed, n_top_terms,
                          min_df)


def _check_fit(model: str, k: int, n_top_terms: int) -> None:
    _check_model(model)
    if k < 1:
        raise ValueError(f"the number of topics must be at least 1, got {k}")
    if n_top_terms < 1:
        raise ValueError(f"n_top_terms must be at least 1, got {n_top_terms}")


def _fit_documents(docs: pd.DataFrame, k: int, model: str, seed: int, n_top_terms: int,
                   min_df: int | float) -> TopicModelResult:
    """:func:`fit_topics` on documents already selected by :func:`_select_documents`."""
    vectorizer, matrix = _document_term(docs, k, model, min_df)
    estimator = _estimator(model, k, seed)
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


def topic_prevalence(
    doc_topics: pd.DataFrame,
    by: Sequence[str] = ("article_id",),
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of each topic in each group of sentences (by default, each article).

    The share is the mean of the group's sentence-topic weights, so every sentence
    counts once whatever its length, and a group's shares sum to 1 (less only where
    NMF gave a sentence no weight). Sentences without content words were never fitted
    and do not count.

    Parameters
    ----------
    doc_topics : DataFrame
        Table ``topic_weights`` (``TopicModelResult.doc_topics``, or several runs
        concatenated: model, k and seed are kept apart).
    by : sequence of str, default ("article_id",)
        Grouping columns. Columns not in ``doc_topics`` (e.g. ``section``) are taken
        from ``sentences``.
    sentences : DataFrame, optional
        Table ``sentences``; needed only when ``by`` names its columns.

    Returns
    -------
    DataFrame
        Columns model, k, seed, *by, topic, share, n_documents (sentences in the
        group); the table ``topic_prevalence`` when ``by`` is ``("article_id",)``.
    """
    by = list(by)
    frame = doc_topics
    extra = [c for c in by if c not in frame.columns]
    if extra:
        if sentences is None or any(c not in sentences.columns for c in extra):
            raise ValueError(f"grouping columns {extra} are in neither doc_topics nor sentences")
        keys = ["article_id", "sentence_id"]
        frame = frame.merge(sentences.loc[:, keys + extra], on=keys, how="left", validate="m:1")
    groups = [c for c in _RUN_COLUMNS if c in frame.columns] + by + ["topic"]
    out = (
        frame.groupby(groups, sort=True, dropna=False)["weight"]
        .agg(share="mean", n_documents="size")
        .reset_index()
    )
    if by == ["article_id"] and all(c in frame.columns for c in _RUN_COLUMNS):
        return conform(out, "topic_prevalence")
    return out.sort_values(groups, kind="mergesort").reset_index(drop=True)


def _term_sets(topic_terms: pd.DataFrame) -> list[frozenset[str]]:
    """Top-term set of each topic ``0..k-1`` (empty for a topic without terms)."""
    k = int(topic_terms["k"].iloc[0]) if len(topic_terms) else 0
    grouped = topic_terms.groupby("topic")["term"].agg(frozenset)
    return [grouped.get(t, frozenset()) for t in range(k)]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    # Two topics without terms share nothing worth calling agreement.
    return len(a & b) / union if union else 0.0


def match_topics(reference_terms: pd.DataFrame, other_terms: pd.DataFrame) -> pd.DataFrame:
    """Pair the topics of two fits one-to-one so that the total Jaccard index is largest.

    Parameters
    ----------
    reference_terms, other_terms : DataFrame
        ``topic_terms`` of two fits with the same ``k``.

    Returns
    -------
    DataFrame
        ``k`` rows: reference_topic, topic (its match in ``other_terms``) and jaccard,
        the Jaccard index of their top-term sets, sorted by reference_topic.
    """
    ref_sets, other_sets = _term_sets(reference_terms), _term_sets(other_terms)
    if len(ref_sets) != len(other_sets):
        raise ValueError(f"cannot match {len(ref_sets)} topics to {len(other_sets)} topics")
    similarity = np.array([[_jaccard(a, b) for b in other_sets] for a in ref_sets])
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return pd.DataFrame(
        {"reference_topic": rows, "topic": cols, "jaccard": similarity[rows, cols]}
    )


def _check_seeds(seeds: Sequence[int]) -> list[int]:
    seeds = [int(s) for s in seeds]
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"stability needs at least two distinct seeds, got {seeds}")
    return seeds


def _check_fraction(sample_fraction: float) -> float:
    sample_fraction = float(sample_fraction)
    if not 0 < sample_fraction <= 1:
        raise ValueError(f"sample_fraction must be in (0, 1], got {sample_fraction}")
    return sample_fraction


def resample_documents(
    sentences: pd.DataFrame,
    sample_fraction: float = DEFAULT_SAMPLE_FRACTION,
    seed: int = 0,
    *,
    sections: Iterable[str] | None = None,
) -> pd.DataFrame:
    """A random share of the sentence documents, drawn without replacement.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``; row order does not matter.
    sample_fraction : float, default 0.8
        Share of the documents to keep, in (0, 1]; the sample has
        ``round(sample_fraction * n_documents)`` documents (at least one).
    seed : int
        Seed of the ``PCG64`` generator that draws the sample.
    sections : iterable of str, optional
        As for :func:`fit_topics`; applied before drawing.

    Returns
    -------
    DataFrame
        Columns article_id, sentence_id, section, text of the drawn documents (only
        sentences with content words are documents), in (article_id, sentence_id) order.
        The same sentences and seed give the same sample.
    """
    sample_fraction = _check_fraction(sample_fraction)
    return _draw(_select_documents(sentences, sections), sample_fraction, seed)


def _draw(docs: pd.DataFrame, sample_fraction: float, seed: int) -> pd.DataFrame:
    """:func:`resample_documents` of documents already selected."""
    size = max(1, int(round(sample_fraction * len(docs)))) if len(docs) else 0
    rng = np.random.Generator(np.random.PCG64(seed))
    keep = np.sort(rng.choice(len(docs), size=size, replace=False))
    return docs.iloc[keep].reset_index(drop=True)


def _stability_fits(
    docs: pd.DataFrame,
    k: int,
    model: str,
    seeds: Sequence[int],
    n_top_terms: int,
    min_df: int | float,
    sample_fraction: float,
) -> list[TopicModelResult]:
    """The reference fit (all documents, first seed), then one resampled refit per other seed.

    ``docs`` are the selected documents (:func:`_select_documents`).
    """
    _check_fit(model, k, n_top_terms)
    sample_fraction = _check_fraction(sample_fraction)
    reference = _fit_documents(docs, k, model, seeds[0], n_top_terms, min_df)
    refits = [
        _fit_documents(_draw(docs, sample_fraction, seed), k, model, seed, n_top_terms, min_df)
        for seed in seeds[1:]
    ]
    return [reference, *refits]


def _stability(fits: Sequence[TopicModelResult]) -> TopicStability:
    """Match every fit against the first one (the reference fit)."""
    reference = fits[0]
    matches = []
    for fit in fits[1:]:
        matched = match_topics(reference.topic_terms, fit.topic_terms)
        matches.append(
            matched.assign(model=fit.model, k=fit.k, reference_seed=reference.seed, seed=fit.seed)
        )
    matches = pd.concat(matches, ignore_index=True)
    run = ["model", "k", "reference_seed", "seed"]
    pairs = (
        matches.groupby(run, sort=True)["jaccard"]
        .agg(jaccard="mean", min_jaccard="min")
        .reset_index()
    )
    pairs = conform(pairs, "topic_stability")
    matches = matches.loc[:, [*run, "reference_topic", "topic", "jaccard"]]
    return TopicStability(
        mean_jaccard=float(pairs["jaccard"].mean()),
        pairs=pairs,
        matches=matches.sort_values([*run, "reference_topic"], kind="mergesort")
        .reset_index(drop=True),
    )


def topic_stability(
    sentences: pd.DataFrame,
    k: int,
    model: str = "lda",
    seeds: Sequence[int] = DEFAULT_SEEDS,
    n_top_terms: int = 10,
    *,
    min_df: int | float = 1,
    sections: Iterable[str] | None = None,
    sample_fraction: float = DEFAULT_SAMPLE_FRACTION,
) -> TopicStability:
    """How well the topics reappear when the model is refitted to resampled sentences.

    After Greene, O'Callaghan & Cunningham (2014): the reference model is fitted to all
    sentence documents with the first seed. For each other seed, ``sample_fraction`` of
    the documents are drawn without replacement with that seed
    (:func:`resample_documents`) and the model is refitted to them with that seed as its
    random state. The refit's topics are matched one-to-one to the reference topics by
    the Hungarian algorithm on the Jaccard index of their top-term sets; the seed's
    value is the mean Jaccard index over the ``k`` matched pairs, and the stability is
    the mean over seeds. A topic that only one or two sentences carry drops out of
    resamples that miss them, so stability falls when ``k`` splits the corpus too finely.

    Parameters
    ----------
    sentences, k, model, n_top_terms, min_df, sections
        As for :func:`fit_topics`.
    seeds : sequence of int
        At least two distinct seeds; the first is the reference.
    sample_fraction : float, default 0.8
        Share of the documents each refit sees, in (0, 1]. With 1 every refit sees all
        documents and only the seed changes (for NMF only the randomized SVD behind its
        ``nndsvda`` start, so the value then says little about the data).

    Returns
    -------
    TopicStability
        ``pairs`` has one row per refit (``seed``) against ``reference_seed``;
        ``matches`` one row per matched topic pair.
    """
    seeds = _check_seeds(seeds)
    fits = _stability_fits(_select_documents(sentences, sections), k, model, seeds,
                           n_top_terms, min_df, sample_fraction)
    return _stability(fits)


def stability_by_topic(matches: pd.DataFrame) -> pd.DataFrame:
    """How reliably each reference topic reappears across the resampled refits.

    Parameters
    ----------
    matches : DataFrame
        Table ``topic_matches`` (``TopicStability.matches`` of :func:`topic_stability`),
        one row per matched topic pair of one or more fits.

    Returns
    -------
    DataFrame
        One row per reference topic of each (model, k): model, k, topic, n_refits,
        mean_jaccard and min_jaccard of its matches over the refits, sorted.
    """
    out = (
        matches.groupby(["model", "k", "reference_topic"], sort=True)["jaccard"]
        .agg(n_refits="size", mean_jaccard="mean", min_jaccard="min")
        .reset_index()
        .rename(columns={"reference_topic": "topic"})
    )
    return out.astype({"n_refits": "int64", "mean_jaccard": float, "min_jaccard": float})


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
    occurrences = _occurrences(_select_documents(sentences, sections))
    return _coherence(topic_terms, occurrences, measure, epsilon)


def _occurrences(docs: pd.DataFrame) -> tuple[csr_matrix, dict[str, int]]:
    """Binary ``(n_documents, n_terms)`` occurrence matrix of the documents and its vocabulary."""
    if len(docs) == 0:
        return csr_matrix((0, 0)), {}
    counter = CountVectorizer(analyzer=content_tokens, binary=True)
    return csr_matrix(counter.fit_transform(docs["text"].tolist())), counter.vocabulary_


def _coherence(topic_terms: pd.DataFrame, occurrences: tuple[csr_matrix, dict[str, int]],
               measure: str, epsilon: float) -> pd.DataFrame:
    """:func:`topic_coherence` with the documents' occurrences counted already."""
    occurs, vocabulary = occurrences
    run = [c for c in _RUN_COLUMNS if c in topic_terms.columns]
    groups = [*run, "topic"]
    rows = []
    ordered = topic_terms.sort_values([*groups, "rank"], kind="mergesort")
    for key, group in ordered.groupby(groups, sort=True):
        terms = group["term"].tolist()
        rows.append((*key, _topic_coherence(terms, occurs, vocabulary, measure, epsilon)))
    return pd.DataFrame(rows, columns=[*groups, "coherence"])


def selection_score(coherence_npmi: float, stability_jaccard: float) -> float:
    """Stability-weighted coherence: ``stability * (1 + NPMI) / 2``, in ``[0, 1]``.

    NPMI is rescaled from ``[-1, 1]`` to ``[0, 1]`` first, so that weighting by
    stability can only lower a score (an unstable set of incoherent topics must not
    look better than a stable one because the product of two negatives grows).
    """
    return float(stability_jaccard) * (1.0 + float(coherence_npmi)) / 2.0


def sweep_row(
    sentences: pd.DataFrame,
    k: int,
    model: str = "lda",
    seeds: Sequence[int] = DEFAULT_SEEDS,
    n_top_terms: int = 10,
    *,
    min_df: int | float = 1,
    sections: Iterable[str] | None = None,
    sample_fraction: float = DEFAULT_SAMPLE_FRACTION,
) -> pd.DataFrame:
    """Score one ``(model, k)``: one row of table ``topic_sweep``.

    Makes the fits of :func:`topic_stability` (the reference on all documents with the
    first seed, one refit on a resample per other seed) and reports: stability (mean
    matched Jaccard index of the refits against the reference); NPMI and UMass
    coherence (mean over the topics of all ``len(seeds)`` fits, each scored on all
    documents, so that it describes the typical fit at this ``k`` and not one seed);
    LDA's in-sample perplexity of the reference fit (NaN for NMF; measured on the
    fitted sentences themselves, so it is shown for reference and not used to choose);
    and the :func:`selection_score` that :func:`choose_k` maximises.

    Parameters
    ----------
    sentences, k, model, n_top_terms, min_df, sections
        As for :func:`fit_topics`.
    seeds : sequence of int
        At least two distinct seeds; the first is the reference.
    sample_fraction : float, default 0.8
        As for :func:`topic_stability`.

    Returns
    -------
    DataFrame
        One row of table ``topic_sweep``; ``n_seeds`` is the number of fits.
    """
    docs = _select_documents(sentences, sections)
    return _sweep_row(docs, _occurrences(docs), k, model, _check_seeds(seeds), n_top_terms,
                      min_df, sample_fraction)


def _sweep_row(docs: pd.DataFrame, occurrences: tuple[csr_matrix, dict[str, int]], k: int,
               model: str, seeds: list[int], n_top_terms: int, min_df: int | float,
               sample_fraction: float) -> pd.DataFrame:
    """:func:`sweep_row` with the documents selected and their occurrences counted."""
    fits = _stability_fits(docs, k, model, seeds, n_top_terms, min_df, sample_fraction)
    terms = pd.concat([fit.topic_terms for fit in fits], ignore_index=True)
    coherence_npmi, coherence_umass = (
        float(_coherence(terms, occurrences, measure, NPMI_EPSILON)["coherence"].mean())
        for measure in ("npmi", "umass")
    )
    stability = _stability(fits).mean_jaccard
    row = {
        "model": model, "k": k, "n_seeds": len(seeds), "n_top_terms": n_top_terms,
        "n_documents": fits[0].n_documents, "n_terms": fits[0].n_terms,
        "coherence_npmi": coherence_npmi, "coherence_umass": coherence_umass,
        "stability_jaccard": stability,
        "perplexity": fits[0].perplexity(),
        "score": selection_score(coherence_npmi, stability),
    }
    return conform(pd.DataFrame([row]), "topic_sweep")


def sweep_topics(
    sentences: pd.DataFrame,
    ks: Iterable[int] = range(2, 9),
    model: str | Iterable[str] = "lda",
    seeds: Sequence[int] = DEFAULT_SEEDS,
    n_top_terms: int = 10,
    *,
    min_df: int | float = 1,
    sections: Iterable[str] | None = None,
    sample_fraction: float = DEFAULT_SAMPLE_FRACTION,
    n_jobs: int = 1,
    skip_infeasible: bool = False,
) -> pd.DataFrame:
    """:func:`sweep_row` for every ``k`` in ``ks`` (and every model), in one table.

    Parameters
    ----------
    sentences, ks, model, seeds, n_top_terms, min_df, sections, sample_fraction
        As for :func:`sweep_row`; ``model`` may name several models.
    n_jobs : int, default 1
        Processes the (model, k) rows are computed in. Each row's fits are seeded by
        ``seeds`` alone and run with one BLAS thread, so the rows are the same for any
        ``n_jobs``.
    skip_infeasible : bool, default False
        Leave out a (model, k) that the corpus is too small for (fewer sentence
        documents or terms than topics, also in a resample) instead of raising.

    Returns
    -------
    DataFrame
        Table ``topic_sweep``, one row per (model, k) (per feasible one with
        ``skip_infeasible``; possibly none).

    Raises
    ------
    ValueError
        A (model, k) cannot be fitted and ``skip_infeasible`` is false, or no ``k`` or
        no model is given.
    """
    models = [model] if isinstance(model, str) else list(model)
    seeds = _check_seeds(seeds)
    cells = [(m, k) for m in models for k in ks]
    if not cells:
        raise ValueError("sweep_topics needs at least one k and one model")
    # Every row fits and scores the same documents: select and count them once.
    docs = _select_documents(sentences, sections)
    occurrences = _occurrences(docs)
    arguments = [(docs, occurrences, k, m, seeds, n_top_terms, min_df, sample_fraction,
                  skip_infeasible) for m, k in cells]
    if n_jobs > 1 and len(cells) > 1:
        from joblib import Parallel, delayed

        rows = Parallel(n_jobs=n_jobs)(delayed(_sweep_cell)(*a) for a in arguments)
    else:
        rows = [_sweep_cell(*a) for a in arguments]
    rows = [row for row in rows if row is not None]
    if not rows:
        return empty_table("topic_sweep")
    return conform(pd.concat(rows, ignore_index=True), "topic_sweep")


def _sweep_cell(docs: pd.DataFrame, occurrences: tuple[csr_matrix, dict[str, int]], k: int,
                model: str, seeds: list[int], n_top_terms: int, min_df: int | float,
                sample_fraction: float, skip_infeasible: bool) -> pd.DataFrame | None:
    """One row of :func:`sweep_topics`, fitted with one BLAS thread; None if it cannot
    be fitted and ``skip_infeasible``."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        try:
            return _sweep_row(docs, occurrences, k, model, seeds, n_top_terms, min_df,
                              sample_fraction)
        except CorpusTooSmall:
            if skip_infeasible:
                return None
            raise


def choose_k(sweep: pd.DataFrame, model: str | None = None) -> int:
    """The number of topics a sweep supports.

    Rule: the ``k`` with the highest :func:`selection_score` (stability-weighted NPMI
    coherence), compared at the tables' 6-decimal precision so that a sweep read back
    from CSV chooses the same ``k``; ties go to the smaller ``k`` (fewer topics explain
    the same evidence more simply). Rows whose score is undefined are ignored.

    Parameters
    ----------
    sweep : DataFrame
        Table ``topic_sweep`` (rows of :func:`sweep_row`), possibly several models.
    model : str, optional
        Which model's rows to use; required when the sweep holds more than one.

    Returns
    -------
    int
    """
    rows = sweep if model is None else sweep[sweep["model"] == model]
    models = sorted(rows["model"].unique())
    if len(models) > 1:
        raise ValueError(f"the sweep holds models {models}; pass model= to choose for one")
    scores = np.round(
        [
            selection_score(c, s)
            for c, s in zip(rows["coherence_npmi"], rows["stability_jaccard"], strict=True)
        ],
        6,
    )
    candidates = pd.DataFrame({"k": rows["k"].to_numpy(), "score": scores}).dropna()
    if candidates.empty:
        raise ValueError(f"no sweep row with a defined score for model {model or models}")
    best = candidates[candidates["score"] == candidates["score"].max()]
    return int(best["k"].min())


def topic_labels(topic_terms: pd.DataFrame, n_terms: int = 3) -> dict[int, str]:
    """Short name of each topic of one fit: ``"T0 minerals, economic, fund"``.

    Parameters
    ----------
    topic_terms : DataFrame
        Table ``topic_terms`` of one fit (one model, k and seed).
    n_terms : int, default 3
        Top terms in the name.

    Returns
    -------
    dict of int to str
        Topic number to name, for every topic ``0..k-1`` (a topic without terms is
        named by its number only).
    """
    sets = topic_terms.sort_values(["topic", "rank"], kind="mergesort")
    terms = sets[sets["rank"] < n_terms].groupby("topic")["term"].agg(", ".join)
    k = int(topic_terms["k"].iloc[0]) if len(topic_terms) else 0
    return {t: f"T{t} {terms[t]}" if t in terms.index else f"T{t}" for t in range(k)}


def topic_overview(topic_terms: pd.DataFrame, topic_weights: pd.DataFrame,
                   n_terms: int = 10) -> pd.DataFrame:
    """One row per topic of a fit: corpus share, sentences it dominates, top terms.

    Parameters
    ----------
    topic_terms : DataFrame
        Table ``topic_terms`` of one fit (one model, k and seed).
    topic_weights : DataFrame
        Table ``topic_weights`` of the same fit.
    n_terms : int, default 10
        Top terms listed (at most the fit's ``n_top_terms``).

    Returns
    -------
    DataFrame
        ``k`` rows: topic, share (mean sentence-topic weight over all fitted
        sentences), n_dominant (sentences whose largest weight is this topic; ties go
        to the lower topic, sentences without any weight count for none) and terms
        (comma-separated, heaviest first).
    """
    k = int(topic_terms["k"].iloc[0]) if len(topic_terms) else 0
    weights = topic_weights.pivot(index=["article_id", "sentence_id"], columns="topic",
                                  values="weight").reindex(columns=range(k), fill_value=0)
    matrix = weights.to_numpy(dtype=float)
    weighted = matrix.sum(axis=1) > 0
    dominant = np.bincount(matrix[weighted].argmax(axis=1), minlength=k)
    ordered = topic_terms.sort_values(["topic", "rank"], kind="mergesort")
    terms = ordered[ordered["rank"] < n_terms].groupby("topic")["term"].agg(", ".join)
    return pd.DataFrame({
        "topic": np.arange(k),
        "share": matrix.mean(axis=0) if len(matrix) else np.zeros(k),
        "n_dominant": dominant.astype("int64"),
        "terms": [terms.get(t, "") for t in range(k)],
    })


def best_per_model(sweep: pd.DataFrame) -> pd.DataFrame:
    """The :func:`choose_k` row of every model of a sweep.

    Parameters
    ----------
    sweep : DataFrame
        Table ``topic_sweep``.

    Returns
    -------
    DataFrame
        One row per model with a defined score, sorted by model: model, k, score,
        stability_jaccard, coherence_npmi, coherence_umass.
    """
    columns = ["model", "k", "score", "stability_jaccard", "coherence_npmi", "coherence_umass"]
    rows = []
    for model in sorted(sweep["model"].unique()):
        rows_of_model = sweep[sweep["model"] == model]
        if rows_of_model["score"].notna().any():
            k = choose_k(rows_of_model)
            rows.append(rows_of_model.loc[rows_of_model["k"] == k, columns])
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "model" else float)
                             for c in columns})
    return pd.concat(rows, ignore_index=True)


def _name(labels: dict[int, str], topic: int) -> str:
    return labels.get(int(topic), f"T{int(topic)}")


def topic_findings(
    sweep: pd.DataFrame,
    model: str,
    k: int,
    by_topic: pd.DataFrame,
    prevalence: pd.DataFrame,
    labels: dict[int, str],
    article_ids: Sequence[str],
) -> list[str]:
    """The topics notebook's findings as sentences, every number computed.

    Parameters
    ----------
    sweep : DataFrame
        Table ``topic_sweep`` the choice of ``k`` was made from.
    model : str
        The fitted model.
    k : int
        The fitted number of topics (the sweep's choice, or a parameter).
    by_topic : DataFrame
        :func:`stability_by_topic` of the fitted ``(model, k)``.
    prevalence : DataFrame
        Table ``topic_prevalence`` of the fit.
    labels : dict of int to str
        :func:`topic_labels` of the fit.
    article_ids : sequence of str
        Articles to describe (usually the two compared); the largest difference in
        topic share is reported between the first two.

    Returns
    -------
    list of str
        One finding a string.
    """
    findings = []
    best = best_per_model(sweep)
    for row in best.itertuples(index=False):
        rows = sweep[sweep["model"] == row.model]
        findings.append(
            f"The sweep over k = {int(rows['k'].min())}..{int(rows['k'].max())} supports "
            f"k = {int(row.k)} for {row.model.upper()}: score {row.score:.3f} "
            f"(stability {row.stability_jaccard:.2f}, NPMI {row.coherence_npmi:+.3f})."
        )
    chosen = best.set_index("model")["k"].get(model)
    if chosen is not None and int(chosen) != k:
        findings.append(f"This run fits k = {k} as set by its parameter; the sweep's choice "
                        f"for {model.upper()} is k = {int(chosen)}.")
    if len(best) > 1:
        ranked = best.sort_values(["score", "model"], ascending=[False, True], kind="mergesort")
        top, runner = ranked.iloc[0], ranked.iloc[1]
        if round(top["score"], 6) == round(runner["score"], 6):
            findings.append(f"At their chosen k, {top['model'].upper()} and "
                            f"{runner['model'].upper()} score the same ({top['score']:.3f}).")
        else:
            verdict = ("the model fitted here" if top["model"] == model
                       else f"not {model.upper()}, the model fitted here")
            findings.append(
                f"At its chosen k, {top['model'].upper()} scores highest ({top['score']:.3f} "
                f"against {runner['model'].upper()}'s {runner['score']:.3f}): {verdict}."
            )
    if len(by_topic):
        ordered = by_topic.sort_values(["mean_jaccard", "topic"], ascending=[False, True],
                                       kind="mergesort")
        most, least = ordered.iloc[0], ordered.iloc[-1]
        if round(most["mean_jaccard"], 6) == round(least["mean_jaccard"], 6):
            findings.append(
                f"Across {int(most['n_refits'])} refits on resampled sentences, all {k} "
                f"topics reappear equally well (mean Jaccard {most['mean_jaccard']:.2f})."
            )
        else:
            findings.append(
                f"Across {int(most['n_refits'])} refits on resampled sentences, the most "
                f"reproducible topic is {_name(labels, most['topic'])} (mean Jaccard "
                f"{most['mean_jaccard']:.2f}) and the least is "
                f"{_name(labels, least['topic'])} ({least['mean_jaccard']:.2f})."
            )
    shares = prevalence.pivot(index="topic", columns="article_id", values="share")
    for article in article_ids:
        if article not in shares.columns:
            findings.append(f"{article} has no sentence with content words: no topic shares.")
            continue
        column = shares[article].sort_index()
        top_topic = int(column.idxmax())
        n_docs = int(prevalence.loc[prevalence["article_id"] == article, "n_documents"].iloc[0])
        findings.append(
            f"In {article}, the largest topic is {_name(labels, top_topic)}: "
            f"{column[top_topic]:.0%} of the topic weight of its {n_docs} fitted sentences."
        )
    pair = [a for a in article_ids[:2] if a in shares.columns]
    if len(pair) == 2:
        gap = (shares[pair[0]] - shares[pair[1]]).sort_index()
        topic = int(gap.abs().idxmax())
        findings.append(
            f"The topic that separates {pair[0]} and {pair[1]} most is "
            f"{_name(labels, topic)}: {shares.loc[topic, pair[0]]:.0%} against "
            f"{shares.loc[topic, pair[1]]:.0%}."
        )
    return findings
