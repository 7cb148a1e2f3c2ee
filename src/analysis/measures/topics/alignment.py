"""Topic identity across builds: a new fit's topics numbered after the previous fit's.

A topic model numbers its topics arbitrarily (here by corpus share), so adding one
article can turn topic 3 into topic 4 and make findings incomparable between runs.
:func:`align_topics` pairs each topic of a new fit with a topic of the previous fit by
the Average Jaccard of their ranked top terms, matched one-to-one by the Hungarian
method (as the stability refits are, :func:`~analysis.measures.topics.match_topics`), and
:func:`aligned_fit` renumbers the new fit so that a topic that continues a previous one
keeps its number. A topic with no previous counterpart at :data:`CONTINUES_AT` or above
is new and takes a free number; so does a continuing topic whose number the new fit
does not have (the previous fit had more topics).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from analysis.data.tables import conform
from analysis.measures.topics.fitting import TopicModelResult
from analysis.measures.topics.stability import ranked_terms, similarity_matrix

# Average Jaccard of two topics' ranked top terms from which the newer continues the
# older. Unrelated top-10 lists score near 0; two lists that share their leading term
# and a few more score above 0.2.
CONTINUES_AT = 0.2

NO_TOPIC = -1


def align_topics(topic_terms: pd.DataFrame, previous_terms: pd.DataFrame,
                 continues_at: float = CONTINUES_AT) -> pd.DataFrame:
    """Pair each topic of a fit with the previous fit's topic it continues, if any.

    Parameters
    ----------
    topic_terms : DataFrame
        Table ``topic_terms`` of the new fit (one model, k and seed).
    previous_terms : DataFrame
        Table ``topic_terms`` of the previous build; only its rows of the same model are
        used (and of its one fit of that model). Empty: every topic is new.
    continues_at : float, default CONTINUES_AT
        Least Average Jaccard at which a matched pair counts as the same topic.

    Returns
    -------
    DataFrame
        One row per topic of the new fit, by topic: ``topic``, ``previous_k`` (the
        previous fit's number of topics, 0 without one), ``previous_topic``
        (:data:`NO_TOPIC` for a new topic) and ``average_jaccard`` of the matched pair
        (NaN for a new topic).
    """
    current = ranked_terms(topic_terms)
    model = topic_terms["model"].iloc[0] if len(topic_terms) else None
    previous = previous_terms[previous_terms["model"] == model]
    if len(previous):
        # A table holds one fit a model; should it hold more, the first (k, seed) counts.
        first = previous[["k", "seed"]].drop_duplicates().iloc[0]
        previous = previous[(previous["k"] == first["k"]) & (previous["seed"] == first["seed"])]
    before = ranked_terms(previous) if len(previous) else []
    out = pd.DataFrame({"topic": np.arange(len(current), dtype="int64"),
                        "previous_k": len(before), "previous_topic": NO_TOPIC,
                        "average_jaccard": np.nan})
    if not before or not current:
        return out
    similarity = similarity_matrix(current, before)
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    kept = similarity[rows, cols] >= continues_at
    out.loc[rows[kept], "previous_topic"] = cols[kept]
    out.loc[rows[kept], "average_jaccard"] = similarity[rows[kept], cols[kept]]
    return out


def aligned_numbers(alignment: pd.DataFrame) -> np.ndarray:
    """The new number of each topic: its previous topic's where it can, else a free one.

    Parameters
    ----------
    alignment : DataFrame
        :func:`align_topics` of a fit with ``k`` topics.

    Returns
    -------
    ndarray of int, shape (k,)
        A permutation of ``0..k-1``: entry ``t`` is topic ``t``'s new number. Topics
        that continue a previous topic numbered below ``k`` keep that number; the
        others take the free numbers in their own order (corpus share).
    """
    k = len(alignment)
    numbers = np.full(k, NO_TOPIC, dtype="int64")
    previous = alignment["previous_topic"].to_numpy()
    keeps = (previous != NO_TOPIC) & (previous < k)
    numbers[keeps] = previous[keeps]
    free = iter(sorted(set(range(k)) - set(previous[keeps].tolist())))
    for topic in np.flatnonzero(~keeps):
        numbers[topic] = next(free)
    return numbers


def aligned_fit(fit: TopicModelResult, previous_terms: pd.DataFrame,
                continues_at: float = CONTINUES_AT) -> tuple[TopicModelResult, pd.DataFrame]:
    """Renumber a fit's topics after the previous build's fit of the same model.

    Parameters
    ----------
    fit : TopicModelResult
        The new fit.
    previous_terms : DataFrame
        Table ``topic_terms`` of the previous build (may be empty).
    continues_at : float, default CONTINUES_AT
        As for :func:`align_topics`.

    Returns
    -------
    fit : TopicModelResult
        ``fit`` with its topics renumbered (terms, weights and the order applied to
        new documents alike); unchanged without a previous fit of the model.
    alignment : DataFrame
        :func:`align_topics` with each topic under its new number (column ``topic``),
        sorted by it.
    """
    alignment = align_topics(fit.topic_terms, previous_terms, continues_at)
    numbers = aligned_numbers(alignment)
    order = np.argsort(numbers)  # order[new number] = topic as fitted
    terms = fit.topic_terms.assign(topic=numbers[fit.topic_terms["topic"].to_numpy()])
    renumbered = dataclasses.replace(
        fit, topic_terms=conform(terms, "topic_terms"),
        doc_weights=fit.doc_weights[:, order], topic_order=fit.topic_order[order])
    table = alignment.assign(topic=numbers[alignment["topic"].to_numpy()])
    return renumbered, table.sort_values("topic", kind="mergesort").reset_index(drop=True)


def alignment_summary(alignment: pd.DataFrame) -> str:
    """One line on how a fit's topics continue the previous fit's, for the build's log.

    Parameters
    ----------
    alignment : DataFrame
        The alignment :func:`aligned_fit` returns.

    Returns
    -------
    str
        E.g. ``"4 of 5 topics continue the previous build's 4 (topics 0, 1, 2, 3 keep
        their numbers); new: 4"``.
    """
    alignment = alignment.sort_values("topic", kind="mergesort")
    continuing = alignment[alignment["previous_topic"] != NO_TOPIC]
    kept = continuing.loc[continuing["topic"] == continuing["previous_topic"], "topic"]
    renumbered = continuing[continuing["topic"] != continuing["previous_topic"]]
    new = alignment.loc[alignment["previous_topic"] == NO_TOPIC, "topic"]
    parts = [f"{len(continuing)} of {len(alignment)} topics continue one of the previous "
             f"build's {int(alignment['previous_k'].iloc[0])} (Average Jaccard of top terms "
             f"at least {CONTINUES_AT})"]
    if len(kept):
        parts.append("keeping their numbers: " + ", ".join(map(str, kept)))
    if len(renumbered):
        parts.append("renumbered: " + ", ".join(
            f"{p} -> {t}" for p, t in zip(renumbered["previous_topic"], renumbered["topic"],
                                         strict=True)))
    if len(new):
        parts.append("new: " + ", ".join(map(str, new)))
    return "; ".join(parts)
