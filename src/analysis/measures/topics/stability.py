"""Stability of topics under resampling (Greene, O'Callaghan & Cunningham 2014).

A reference model is fitted to all sentence documents with the first seed, and for
every other seed the model is refitted, with that seed, to a random share of the
documents; each refit's topics are matched one-to-one to the reference topics
(Hungarian matching on the Jaccard index of their top-term sets) and the stability is
the mean matched Jaccard index.
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
        mean_jaccard and min_jaccard of its matches over the refits, sorted.
    """
    out = (
        matches.groupby(["model", "k", "reference_topic"], sort=True)["jaccard"]
        .agg(n_refits="size", mean_jaccard="mean", min_jaccard="min")
        .reset_index()
        .rename(columns={"reference_topic": "topic"})
    )
    return out.astype({"n_refits": "int64", "mean_jaccard": float, "min_jaccard": float})
