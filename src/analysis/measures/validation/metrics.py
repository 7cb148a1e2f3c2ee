"""Scoring the framing tables against a coder's codes: counts with intervals, every figure.

:func:`score` compares the tool's ``guarantee_mentions``, ``frames`` and ``quotes`` with
the codes of :func:`analysis.measures.validation.codes.read_codes` on the coded
sentences: precision and recall of labels overall, by dimension and by label, the
dominant label per article, modality, labels on off-topic texts, quote speakers, frames,
and the keyword baseline (:mod:`analysis.measures.validation.baseline`). Each share is a
:class:`Count` with its Wilson interval, gathered in :class:`Scores`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.text import matching_text
from analysis.measures import framing
from analysis.measures.proportions import wilson_interval
from analysis.measures.validation.baseline import keyword_baseline
from analysis.measures.validation.codes import LABEL_KEY, UNNAMED_SPEAKER, sentence_keys

_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")


@dataclass(frozen=True)
class Count:
    """Hits out of a number of items, with the 95% Wilson interval of the share."""

    hits: int
    n: int

    @property
    def share(self) -> float:
        return self.hits / self.n if self.n else float("nan")

    def interval(self) -> tuple[float, float]:
        low, high = wilson_interval(self.hits, self.n)
        return float(low), float(high)


def _prf(true: set, predicted: set) -> dict[str, Count]:
    matched = len(true & predicted)
    return {"precision": Count(matched, len(predicted)), "recall": Count(matched, len(true))}


def f1(precision: Count, recall: Count) -> float:
    """Harmonic mean of the two shares; nan when either is undefined, 0 when both are 0."""
    p, r = precision.share, recall.share
    if p != p or r != r:
        return float("nan")
    return 2 * p * r / (p + r) if p + r else 0.0


def _dominant(labels: pd.DataFrame, dimension: str) -> dict[str, str]:
    """Per article, the affirmed label of ``dimension`` in most sentences (ties: the
    vocabulary's order)."""
    order = {label: i for i, label in enumerate(framing.guarantee_vocabulary()[dimension])}
    rows = labels[(labels["dimension"] == dimension) & ~labels["negated"]]
    counts = rows.groupby(["article_id", "label"])["sentence_key"].nunique().reset_index()
    counts["order"] = counts["label"].map(order)
    counts = counts.sort_values(["article_id", "sentence_key", "order"],
                                ascending=[True, False, True], kind="mergesort")
    return counts.drop_duplicates("article_id").set_index("article_id")["label"].to_dict()


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one surname: equal, or one a transliteration variant of the other
    that only adds letters at the end ("Zelensky", "Zelenskyy")."""
    return a == b or (min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)))


def _speaker_matches(coded: str, speaker: str) -> bool:
    """The tool's speaker names the coded one: the surname of the coded speaker (or of
    one of them, ``;``-separated, for a quote spoken jointly) is one of its words."""
    tool_words = _WORD.findall(matching_text(speaker).casefold())
    for name in coded.split(";"):
        words = _WORD.findall(matching_text(name).casefold())
        if words and any(_same_name(words[-1], word) for word in tool_words):
            return True
    return False


@dataclass(frozen=True)
class Scores:
    """Every figure of the validation report for one part of the set."""

    n_articles: int
    n_sentences: int
    n_missing: int  # coded sentences the processed folder does not have
    overall: dict[str, Count]
    by_dimension: dict[str, dict[str, Count]]
    by_label: pd.DataFrame
    europe_recall: Count
    negated_recall: Count
    modality_agreement: Count
    dominant: dict[str, Count]
    off_topic_labels: Count  # labels on off-topic texts, out of their sentences
    quotes: Count
    frames: dict[str, Count]
    baseline: dict[str, dict[str, Count]]



def score(mentions: pd.DataFrame, frames: pd.DataFrame, quotes: pd.DataFrame,
          sentences: pd.DataFrame, coded: pd.DataFrame, labels: pd.DataFrame,
          sources: pd.DataFrame) -> Scores:
    """Score the tool's tables on the coded sentences of ``sources``' articles.

    Parameters
    ----------
    mentions, frames, quotes, sentences : DataFrame
        The processed tables ``guarantee_mentions``, ``frames``, ``quotes``,
        ``sentences`` of the collected texts (any superset of the articles).
    coded, labels : DataFrame
        :func:`~analysis.measures.validation.codes.read_codes`' output.
    sources : DataFrame
        The articles to score (e.g. one split of ``sources.csv``).

    Returns
    -------
    Scores
    """
    articles = set(sources["article_id"])
    off_topic = set(sources.loc[sources["topic"] == "off", "article_id"])
    coded = coded[coded["article_id"].isin(articles)]
    coded_keys = set(zip(coded["article_id"], coded["sentence_key"], strict=True))
    tool_sentences = sentences[sentences["article_id"].isin(articles)]
    keys = sentence_keys(tool_sentences)
    present = set(zip(keys["article_id"], keys["sentence_key"], strict=True))

    def on_coded(table: pd.DataFrame) -> pd.DataFrame:
        """``table``'s rows of coded sentences, keyed by sentence_key."""
        keyed = table.merge(keys, on=["article_id", "sentence_id"])
        coded_rows = [k in coded_keys for k in zip(keyed["article_id"],
                                                    keyed["sentence_key"], strict=True)]
        return keyed[np.asarray(coded_rows, dtype=bool)]

    gold = labels[labels["article_id"].isin(articles)]
    tool = on_coded(mentions)

    def label_set(table: pd.DataFrame, dimension: str | None = None) -> set:
        if dimension is not None:
            table = table[table["dimension"] == dimension]
        return set(table[list(LABEL_KEY)].itertuples(index=False, name=None))

    overall = _prf(label_set(gold), label_set(tool))
    by_dimension = {d: _prf(label_set(gold, d), label_set(tool, d))
                    for d in framing.GUARANTEE_DIMENSIONS}
    label_rows = []
    for dimension, vocabulary in framing.guarantee_vocabulary().items():
        for label in vocabulary:
            g = label_set(gold[gold["label"] == label], dimension)
            t = label_set(tool[tool["label"] == label], dimension)
            counts = _prf(g, t)
            label_rows.append({"dimension": dimension, "label": label, "coded": len(g),
                               "tool": len(t), "matched": len(g & t),
                               "precision": counts["precision"].share,
                               "recall": counts["recall"].share,
                               "f1": f1(counts["precision"], counts["recall"])})
    europe = gold[gold["label"] == "europe"]
    europe_recall = _prf(label_set(europe, "guarantor"), label_set(tool, "guarantor"))["recall"]
    negated_recall = _prf(label_set(gold[gold["negated"]]), label_set(tool))["recall"]
    merged = gold.merge(tool, on=list(LABEL_KEY), suffixes=("_coded", "_tool"))
    modality = Count(int((merged["modality_coded"] == merged["modality_tool"]).sum()),
                     len(merged))

    dominant = {}
    on_topic = articles - off_topic
    for dimension in framing.GUARANTEE_DIMENSIONS:
        expected = {a: label for a, label in _dominant(gold, dimension).items()
                    if a in on_topic}
        got = _dominant(tool, dimension)
        dominant[dimension] = Count(sum(got.get(a) == label for a, label in expected.items()),
                                    len(expected))

    off_sentences = sum(1 for a, _ in coded_keys if a in off_topic)
    off_labels = Count(len(tool[tool["article_id"].isin(off_topic)]), off_sentences)

    named = coded[(coded["quote_speaker"] != "") & (coded["quote_speaker"] != UNNAMED_SPEAKER)]
    speakers = on_coded(quotes).groupby(["article_id", "sentence_key"])["speaker"].agg(list)
    quotes_right = sum(
        any(_speaker_matches(row.quote_speaker, s)
            for s in speakers.get((row.article_id, row.sentence_key), ()))
        for row in named.itertuples(index=False))

    coded_frames = {(row.article_id, row.sentence_key, f)
                    for row in coded.itertuples(index=False) for f in row.frames}
    tool_frames = {(row.article_id, row.sentence_key, row.frame)
                   for row in on_coded(frames).itertuples(index=False)}

    baseline_tool = on_coded(keyword_baseline(tool_sentences))
    baseline = {d: _prf(label_set(gold, d), label_set(baseline_tool, d))
                for d in framing.GUARANTEE_DIMENSIONS}

    return Scores(
        n_articles=len(articles), n_sentences=len(coded_keys),
        n_missing=len(coded_keys - present), overall=overall, by_dimension=by_dimension,
        by_label=pd.DataFrame(label_rows), europe_recall=europe_recall,
        negated_recall=negated_recall, modality_agreement=modality, dominant=dominant,
        off_topic_labels=off_labels, quotes=Count(quotes_right, len(named)),
        frames=_prf(coded_frames, tool_frames), baseline=baseline,
    )
