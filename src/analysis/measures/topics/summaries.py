"""Tables and findings of one fit and its sweep, for the topics notebook and the pipeline.

:func:`topic_prevalence` (topic shares per article or other group), :func:`topic_labels`,
:func:`topic_overview`, :func:`best_per_model` and :func:`topic_findings`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.data.tables import conform
from analysis.measures.topics.fitting import RUN_COLUMNS
from analysis.measures.topics.sweep import choose_k


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
    groups = [c for c in RUN_COLUMNS if c in frame.columns] + by + ["topic"]
    out = (
        frame.groupby(groups, sort=True, dropna=False)["weight"]
        .agg(share="mean", n_documents="size")
        .reset_index()
    )
    if by == ["article_id"] and all(c in frame.columns for c in RUN_COLUMNS):
        return conform(out, "topic_prevalence")
    return out.sort_values(groups, kind="mergesort").reset_index(drop=True)


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
                f"topics reappear equally well (mean average Jaccard {most['mean_jaccard']:.2f})."
            )
        else:
            findings.append(
                f"Across {int(most['n_refits'])} refits on resampled sentences, the most "
                f"reproducible topic is {_name(labels, most['topic'])} (mean average Jaccard "
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
