"""Topic models of sentence documents: fit, stability across seeds, coherence, k sweep.

Every sentence is one document (title, summary bullets, deck lines and body alike,
unless a ``sections`` filter says otherwise); news articles are short, so a sentence
is the unit that can carry one topic. Terms are :func:`analysis.text.content_tokens`,
the project's stop-list tokenizer, so no NLTK data is needed. LDA (Blei et al. 2003)
is fitted to raw counts, NMF (Lee & Seung 1999) to TF-IDF weights, as each model's
likelihood or loss expects.

How many topics? :func:`sweep_row` scores one ``(model, k)`` by the coherence of its
topics on the corpus (NPMI, Bouma 2009; UMass, Mimno et al. 2011) and by their
stability across random seeds (best-match Jaccard of top terms, Hungarian matching,
cf. Greene et al. 2014); :func:`choose_k` picks ``k`` from those rows by a stated
rule, so the choice follows from the data and not from a constant.

Topic numbers are 0-based and ordered by corpus share, largest first, so topic 0 is
the one that covers most of the corpus (the order of an estimator's components is
arbitrary).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis.tables import conform
from analysis.text import content_tokens

MODELS = ("lda", "nmf")
SECTIONS = ("title", "summary", "deck", "body")
DEFAULT_SEEDS = (0, 1, 2, 3, 4)
COHERENCE_MEASURES = ("npmi", "umass")

# Batch LDA stops when in-sample perplexity moves by less than LDA_PERPLEXITY_TOL
# between checks made every LDA_EVALUATE_EVERY passes. On the seed corpus (k = 2..8,
# seeds 0..4) that takes 9-59 passes, and the top-10 terms agree with those of 800-pass
# fits at a mean best-match Jaccard index of 0.99 (lowest 0.90); fits with different
# seeds agree at only 0.3-0.5, so the stability in a sweep measures the seeds, not the
# stopping rule. A fixed 200 passes gets to 0.998 at about seven times the cost.
LDA_MAX_ITER = 400
LDA_EVALUATE_EVERY = 5
LDA_PERPLEXITY_TOL = 1e-3
NMF_MAX_ITER = 1000
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
        model gives no weight at all has zeros).
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
    doc_topics: pd.DataFrame
    estimator: LatentDirichletAllocation | NMF
    vectorizer: CountVectorizer | TfidfVectorizer
    document_term: csr_matrix
    topic_order: np.ndarray

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
    missing = [c for c in _SENTENCE_COLUMNS if c not in sentences.columns]
    if missing:
        raise ValueError(f"sentences frame lacks columns {missing}")
    docs = sentences.loc[:, list(_SENTENCE_COLUMNS)]
    if sections is not None:
        sections = list(sections)
        unknown = sorted(set(sections) - set(SECTIONS))
        if unknown:
            raise ValueError(f"unknown sections {unknown}; known sections: {list(SECTIONS)}")
        docs = docs[docs["section"].isin(sections)]
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


def _document_term(docs: pd.DataFrame, k: int, model: str, min_df: int | float):
    """Fit the model's vectorizer, refusing corpora too small for ``k`` topics."""
    if len(docs) == 0:
        raise ValueError("no sentence has content words: there is nothing to fit topics to")
    if len(docs) < k:
        raise ValueError(
            f"cannot fit {k} topics to {len(docs)} sentence documents: "
            f"need at least as many documents as topics"
        )
    vectorizer = _vectorizer(model, min_df)
    try:
        matrix = vectorizer.fit_transform(docs["text"].tolist())
    except ValueError as err:  # min_df pruned every term, or exceeds the document count
        raise ValueError(f"no usable vocabulary with min_df={min_df!r}: {err}") from None
    if matrix.shape[1] < k:
        raise ValueError(
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
        For an unknown model or section, ``k < 1``, no sentence with content words, an
        empty vocabulary, or fewer documents or terms than ``k``.
    """
    _check_model(model)
    if k < 1:
        raise ValueError(f"the number of topics must be at least 1, got {k}")
    if n_top_terms < 1:
        raise ValueError(f"n_top_terms must be at least 1, got {n_top_terms}")
    docs = _select_documents(sentences, sections)
    vectorizer, matrix = _document_term(docs, k, model, min_df)
    estimator = _estimator(model, k, seed)
    doc_weights = _row_shares(estimator.fit_transform(matrix))
    topic_order = np.argsort(-doc_weights.sum(axis=0), kind="stable")
    doc_weights = doc_weights[:, topic_order]
    term_weights = _row_shares(estimator.components_[topic_order])
    run = {"model": model, "k": k, "seed": seed}

    terms = vectorizer.get_feature_names_out()
    topic_terms = pd.DataFrame(
        _top_terms(term_weights, terms, n_top_terms), columns=["topic", "rank", "term", "weight"]
    ).assign(**run)
    n_docs = len(docs)
    doc_topics = pd.DataFrame(
        {
            "article_id": np.repeat(docs["article_id"].to_numpy(), k),
            "sentence_id": np.repeat(docs["sentence_id"].to_numpy(), k),
            "topic": np.tile(np.arange(k), n_docs),
            "weight": doc_weights.reshape(-1),
        }
    ).assign(**run)
    return TopicModelResult(
        model=model, k=k, seed=seed,
        topic_terms=conform(topic_terms, "topic_terms"),
        doc_topics=conform(doc_topics, "topic_weights"),
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


def _as_tuple(sections: Iterable[str] | None) -> tuple[str, ...] | None:
    """Freeze a sections filter that is used more than once (a generator would run dry)."""
    return None if sections is None else tuple(sections)


def _check_seeds(seeds: Sequence[int]) -> list[int]:
    seeds = [int(s) for s in seeds]
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"stability needs at least two distinct seeds, got {seeds}")
    return seeds


def _stability(fits: Sequence[TopicModelResult]) -> TopicStability:
    """Match every fit against the first one (the reference seed)."""
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
) -> TopicStability:
    """How well topics reappear when the model is refitted with other seeds.

    The first seed is the reference. For each other seed, its topics are matched
    one-to-one to the reference topics by the Hungarian algorithm on the Jaccard
    index of their top-term sets; the seed's value is the mean Jaccard index over the
    ``k`` matched pairs, and the stability is the mean over seeds.

    Parameters
    ----------
    sentences, k, model, n_top_terms, min_df, sections
        As for :func:`fit_topics`.
    seeds : sequence of int
        At least two distinct seeds; the first is the reference.

    Returns
    -------
    TopicStability
    """
    seeds = _check_seeds(seeds)
    sections = _as_tuple(sections)
    fits = [
        fit_topics(sentences, k, model, seed, n_top_terms, min_df=min_df, sections=sections)
        for seed in seeds
    ]
    return _stability(fits)


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
    docs = _select_documents(sentences, sections)
    run = [c for c in _RUN_COLUMNS if c in topic_terms.columns]
    groups = [*run, "topic"]
    if len(docs) == 0:
        occurs, vocabulary = csr_matrix((0, 0)), {}
    else:
        counter = CountVectorizer(analyzer=content_tokens, binary=True)
        occurs = csr_matrix(counter.fit_transform(docs["text"].tolist()))
        vocabulary = counter.vocabulary_
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
) -> pd.DataFrame:
    """Score one ``(model, k)``: the row a papermill run of the topics notebook writes.

    Fits the model once per seed and reports, averaged over the seeds' fits: NPMI and
    UMass coherence (mean over topics, see :func:`topic_coherence`), stability (see
    :func:`topic_stability`, first seed the reference), LDA's in-sample perplexity
    (NaN for NMF; measured on the fitted sentences themselves, so it is shown for
    reference and not used to choose), and the
    :func:`selection_score` that :func:`choose_k` maximises.

    Parameters
    ----------
    sentences, k, model, n_top_terms, min_df, sections
        As for :func:`fit_topics`.
    seeds : sequence of int
        At least two distinct seeds.

    Returns
    -------
    DataFrame
        One row of table ``topic_sweep``.
    """
    seeds = _check_seeds(seeds)
    sections = _as_tuple(sections)
    fits = [
        fit_topics(sentences, k, model, seed, n_top_terms, min_df=min_df, sections=sections)
        for seed in seeds
    ]
    terms = pd.concat([fit.topic_terms for fit in fits], ignore_index=True)
    coherence_npmi, coherence_umass = (
        float(topic_coherence(terms, sentences, measure, sections=sections)["coherence"].mean())
        for measure in ("npmi", "umass")
    )
    stability = _stability(fits).mean_jaccard
    row = {
        "model": model, "k": k, "n_seeds": len(seeds), "n_top_terms": n_top_terms,
        "n_documents": fits[0].n_documents, "n_terms": fits[0].n_terms,
        "coherence_npmi": coherence_npmi, "coherence_umass": coherence_umass,
        "stability_jaccard": stability,
        "perplexity": float(np.mean([fit.perplexity() for fit in fits])),
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
) -> pd.DataFrame:
    """:func:`sweep_row` for every ``k`` in ``ks`` (and every model), in one table.

    The in-process equivalent of the papermill sweep, which runs one ``(model, k)``
    per notebook execution and concatenates the rows.

    Returns
    -------
    DataFrame
        Table ``topic_sweep``, one row per (model, k).
    """
    models = [model] if isinstance(model, str) else list(model)
    sections = _as_tuple(sections)
    rows = [
        sweep_row(sentences, k, m, seeds, n_top_terms, min_df=min_df, sections=sections)
        for m in models for k in ks
    ]
    if not rows:
        raise ValueError("sweep_topics needs at least one k and one model")
    return conform(pd.concat(rows, ignore_index=True), "topic_sweep")


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
