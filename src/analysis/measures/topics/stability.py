"""Stability of topics under resampling (Greene, O'Callaghan & Cunningham 2014).

Greene, O'Callaghan & Cunningham (2014), "How many topics? Stability analysis for topic
models" (ECML PKDD 2014), compare topics by their ranked lists of top terms:

- The Average Jaccard of two ranked lists ``R1, R2`` of ``t`` terms is
  ``AJ(R1, R2) = (1/t) * sum over d = 1..t of Jaccard(R1[:d], R2[:d])``: the Jaccard
  index of the top-``d`` prefixes, averaged over the depths. Agreement at the top counts
  at every depth, so two lists of the same terms in another order score below 1.
- The agreement of two models with ``k`` topics each is the mean AJ of the ``k`` topic
  pairs matched one-to-one so that their total AJ is largest (the Hungarian method).
- The stability of ``k`` is the mean agreement of models fitted to random subsamples of
  the documents with a reference model fitted to all of them.

Here the reference model is fitted to all sentence documents with the first seed, and
for every other seed the model is refitted, with that seed, to a random share of the
documents (:func:`analysis.measures.topics.documents.resample_documents`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from analysis.data.tables import conform
from analysis.measures.topics.documents import (
    DEFAULT_SAMPLE_FRACTION,
    check_fraction,
    draw_documents,
    select_documents,
)
from analysis.measures.topics.fitting import TopicModelResult, check_fit, fit_documents

DEFAULT_SEEDS = (0, 1, 2, 3, 4)


@dataclass(frozen=True, eq=False)
class TopicStability:
    """Agreement of topic fits across seeds.

    The column and attribute names say "jaccard" for the tables' sake; every value is
    Greene et al.'s Average Jaccard (:func:`average_jaccard`), not the plain Jaccard index.

    Attributes
    ----------
    mean_jaccard : float
        The stability: mean of ``pairs.jaccard``, 1 when every refit ranks the reference
        topics' top terms exactly alike, 0 when no top term is shared.
    pairs : DataFrame
        Table ``topic_stability``: one row per non-reference seed; ``jaccard`` is the
        agreement of its refit with the reference (mean Average Jaccard over the matched
        topic pairs) and ``min_jaccard`` the smallest Average Jaccard of a matched pair.
    matches : DataFrame
        One row per matched topic pair: model, k, reference_seed, seed,
        reference_topic, topic, jaccard (the pair's Average Jaccard).
    """

    mean_jaccard: float
    pairs: pd.DataFrame
    matches: pd.DataFrame


def average_jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    """Average Jaccard of two ranked term lists (Greene, O'Callaghan & Cunningham 2014).

    ``AJ(a, b) = (1/t) * sum over d = 1..t of |a[:d] & b[:d]| / |a[:d] | b[:d]|``, the
    Jaccard index of the top-``d`` prefixes averaged over the depths ``d``.

    Parameters
    ----------
    a, b : sequence of str
        Ranked lists of lengths ``t_a`` and ``t_b``, most important term first, each
        without repeats.

    Returns
    -------
    float
        In ``[0, 1]``: 1 only for identical non-empty lists. ``t = max(t_a, t_b)``: for
        lists of different lengths (a topic with weight on fewer terms than
        ``n_top_terms``) the shorter list's prefixes stop growing, so a missing term
        counts against the agreement and the term for ``d = t`` is the plain Jaccard
        index of the two sets (Greene et al.'s reference implementation,
        github.com/derekgreene/topic-stability, cuts both lists to the shorter length
        instead). 0 when both lists are empty: two topics without terms share nothing
        worth calling agreement.
    """
    depth = max(len(a), len(b))
    if depth == 0:
        return 0.0
    prefix_a: set[str] = set()
    prefix_b: set[str] = set()
    total = 0.0
    for d in range(depth):
        prefix_a.update(a[d:d + 1])
        prefix_b.update(b[d:d + 1])
        total += len(prefix_a & prefix_b) / len(prefix_a | prefix_b)
    return total / depth


def ranked_terms(topic_terms: pd.DataFrame) -> list[list[str]]:
    """Ranked top terms of each topic ``0..k-1`` (empty for a topic without terms).

    Ordered by ``rank`` (0 = heaviest), ties by term, whatever the rows' order.
    """
    k = int(topic_terms["k"].iloc[0]) if len(topic_terms) else 0
    ordered = topic_terms.sort_values(["topic", "rank", "term"], kind="mergesort")
    grouped = ordered.groupby("topic", sort=False)["term"].agg(list)
    return [grouped.get(t, []) for t in range(k)]


def similarity_matrix(lists_a: Sequence[Sequence[str]],
                      lists_b: Sequence[Sequence[str]]) -> np.ndarray:
    """``(len(lists_a), len(lists_b))`` :func:`average_jaccard` of every pair of ranked
    term lists, the matrix the Hungarian matching of topics solves."""
    return np.array([[average_jaccard(a, b) for b in lists_b] for a in lists_a])


def match_topics(reference_terms: pd.DataFrame, other_terms: pd.DataFrame) -> pd.DataFrame:
    """Pair the topics of two fits one-to-one so that the total Average Jaccard is largest.

    The ``(k, k)`` matrix of :func:`average_jaccard` between the ranked top terms of the
    reference topics (rows) and the other fit's topics (columns) is solved as an
    assignment problem by the Hungarian method (``scipy.optimize.linear_sum_assignment``),
    as Greene et al. (2014) match topics.

    Parameters
    ----------
    reference_terms, other_terms : DataFrame
        ``topic_terms`` of two fits with the same ``k``; terms are ranked by ``rank``.

    Returns
    -------
    DataFrame
        ``k`` rows: reference_topic, topic (its match in ``other_terms``) and jaccard,
        the Average Jaccard of their ranked top terms, sorted by reference_topic. The
        mean of ``jaccard`` is Greene et al.'s agreement of the two fits.
    """
    ref_lists, other_lists = ranked_terms(reference_terms), ranked_terms(other_terms)
    if len(ref_lists) != len(other_lists):
        raise ValueError(f"cannot match {len(ref_lists)} topics to {len(other_lists)} topics")
    similarity = similarity_matrix(ref_lists, other_lists)
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return pd.DataFrame(
        {"reference_topic": rows, "topic": cols, "jaccard": similarity[rows, cols]}
    )


def check_seeds(seeds: Sequence[int]) -> list[int]:
    """``seeds`` as ints, refused unless there are at least two and all differ."""
    seeds = [int(s) for s in seeds]
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"stability needs at least two distinct seeds, got {seeds}")
    return seeds


def stability_fits(
    docs: pd.DataFrame,
    k: int,
    model: str,
    seeds: Sequence[int],
    n_top_terms: int,
    min_df: int | float,
    sample_fraction: float,
) -> list[TopicModelResult]:
    """The reference fit (all documents, first seed), then one resampled refit per other seed.

    ``docs`` are the selected documents (:func:`select_documents`).
    """
    check_fit(model, k, n_top_terms)
    sample_fraction = check_fraction(sample_fraction)
    reference = fit_documents(docs, k, model, seeds[0], n_top_terms, min_df)
    refits = [
        fit_documents(draw_documents(docs, sample_fraction, seed), k, model, seed, n_top_terms,
                      min_df)
        for seed in seeds[1:]
    ]
    return [reference, *refits]


def stability_of_fits(fits: Sequence[TopicModelResult]) -> TopicStability:
    """Match every fit after the first against the first one (the reference fit)."""
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

    Greene, O'Callaghan & Cunningham's (2014) stability with ``len(seeds) - 1`` refits:
    the reference model is fitted to all sentence documents with the first seed. For
    each other seed, ``sample_fraction`` of the documents are drawn without replacement
    with that seed (:func:`resample_documents`) and the model is refitted to them with
    that seed as its random state. The refit's topics are matched one-to-one to the
    reference topics by the Hungarian method on the Average Jaccard of their ranked top
    terms (:func:`match_topics`); the refit's agreement is the mean Average Jaccard over
    the ``k`` matched pairs, and the stability is the mean agreement over the refits. A
    topic that only one or two sentences carry drops out of resamples that miss them,
    so stability falls when ``k`` splits the corpus too finely.

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
    seeds = check_seeds(seeds)
    fits = stability_fits(select_documents(sentences, sections), k, model, seeds,
                          n_top_terms, min_df, sample_fraction)
    return stability_of_fits(fits)


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
        mean_jaccard and min_jaccard of its matches' Average Jaccard over the refits,
        sorted.
    """
    out = (
        matches.groupby(["model", "k", "reference_topic"], sort=True)["jaccard"]
        .agg(n_refits="size", mean_jaccard="mean", min_jaccard="min")
        .reset_index()
        .rename(columns={"reference_topic": "topic"})
    )
    return out.astype({"n_refits": "int64", "mean_jaccard": float, "min_jaccard": float})
