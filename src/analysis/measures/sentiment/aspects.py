"""Sentence sentiment by what a sentence is about: guarantor, guarantee form and voice."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.data.tables import require_columns
from analysis.measures.sentiment.groups import iter_groups, with_group_columns
from analysis.measures.sentiment.lexicons import MEASURES, SENTENCE_KEY
from analysis.measures.sentiment.statistics import bootstrap_mean_ci

# Fewer sentences than this make an aspect's mean too fragile to read as a tone: the
# figure greys it and the findings name it "too few" instead of giving an interval.
MIN_ASPECT_SENTENCES = 5

VOICE_QUOTE = "quote"
VOICE_NARRATOR = "narrator"


def _aspect_rows(
    frame: pd.DataFrame,
    hits: pd.DataFrame,
    by: list[str],
    measures: Sequence[str],
    n_boot: int | None,
    seed: int,
) -> pd.DataFrame:
    """Mean scores (and with ``n_boot`` their intervals) of the sentences in ``hits``
    (key, aspect_type, aspect, negated)."""
    per_sentence = (
        hits.groupby([*SENTENCE_KEY, "aspect_type", "aspect"], sort=False)["negated"]
        .any()
        .reset_index()
    )
    joined = per_sentence.merge(frame, on=SENTENCE_KEY, how="inner")
    grouped = joined.groupby([*by, "aspect_type", "aspect"], sort=True, dropna=False)
    out = grouped[list(measures)].mean().add_prefix("mean_")
    out.insert(0, "n_negated", grouped["negated"].sum().astype("int64"))
    out.insert(0, "n", grouped.size().astype("int64"))
    if n_boot is not None:
        for measure in measures:
            bounds = grouped[measure].agg(
                lambda values: bootstrap_mean_ci(values, n_boot=n_boot, seed=seed)[1:])
            out[f"ci_low_{measure}"] = [bound[0] for bound in bounds]
            out[f"ci_high_{measure}"] = [bound[1] for bound in bounds]
    return out.reset_index()


def aspect_sentiment(
    sentiment: pd.DataFrame,
    mentions: pd.DataFrame,
    quotes: pd.DataFrame,
    by: Sequence[str] = ("article_id",),
    measures: Sequence[str] = MEASURES,
    sentences: pd.DataFrame | None = None,
    n_boot: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean sentence sentiment per guarantor, guarantee form and voice.

    A sentence counts under a guarantor or form label once, whether the label is
    affirmed or negated there ("Europe, not America, should guarantee" is a sentence
    about both as guarantors); ``n_negated`` says how many of those sentences negate
    it. For affirmed mentions only, pass ``mentions[~mentions["negated"]]``. Voice:
    a sentence with at least one direct quote is ``quote`` (the whole sentence is
    scored, attribution included), every other sentence is ``narrator``.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    mentions : DataFrame
        The ``guarantee_mentions`` table (needs ``article_id, sentence_id, dimension,
        label, negated``). Mentions of sentences absent from ``sentiment`` are ignored.
    quotes : DataFrame
        The ``quotes`` table (needs ``article_id, sentence_id``).
    by : sequence of str, default ("article_id",)
        Group columns; ``()`` for the whole corpus, ``("article_id", "section")`` per
        section (then pass ``sentences``).
    measures : sequence of str, default ("vader_compound", "textblob_polarity")
        Score columns to average.
    sentences : DataFrame, optional
        Needed only when ``by`` names columns the sentiment table lacks.
    n_boot : int, optional
        With a number of resamples, each mean gets its 95% BCa bootstrap interval
        (:func:`~analysis.measures.sentiment.bootstrap_mean_ci`, seeded with ``seed``).
        An interval per article and aspect costs a bootstrap each, so the build's table
        leaves them out and the notebook asks for the compared articles'.
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        Columns ``*by, aspect_type, aspect, n, n_negated`` and ``mean_<measure>``, then
        with ``n_boot`` ``ci_low_<measure>, ci_high_<measure>`` for each measure; one row
        per group and aspect, sorted. ``aspect_type`` is ``guarantor``, ``form`` or
        ``voice``. Labels a group never mentions have no row; both voices always have
        one (mean and interval NaN when ``n`` is 0).
    """
    by = list(by)
    require_columns(sentiment, [*SENTENCE_KEY, *measures], "sentiment")
    require_columns(mentions, [*SENTENCE_KEY, "dimension", "label", "negated"], "mentions")
    require_columns(quotes, SENTENCE_KEY, "quotes")
    frame = with_group_columns(sentiment, by, sentences)

    label_hits = pd.DataFrame({
        "article_id": mentions["article_id"].astype(str),
        "sentence_id": mentions["sentence_id"].astype("int64"),
        "aspect_type": mentions["dimension"].astype(str),
        "aspect": mentions["label"].astype(str),
        "negated": mentions["negated"].astype(bool),
    })
    quoted = pd.MultiIndex.from_frame(quotes.loc[:, SENTENCE_KEY].astype({
        "article_id": str, "sentence_id": "int64"}))
    is_quote = pd.MultiIndex.from_frame(frame.loc[:, SENTENCE_KEY]).isin(quoted)
    voice_hits = pd.DataFrame({
        "article_id": frame["article_id"].astype(str).to_numpy(),
        "sentence_id": frame["sentence_id"].astype("int64").to_numpy(),
        "aspect_type": "voice",
        "aspect": np.where(is_quote, VOICE_QUOTE, VOICE_NARRATOR),
        "negated": False,
    })
    hits = pd.concat([label_hits, voice_hits], ignore_index=True)
    out = _aspect_rows(frame, hits, by, measures, n_boot, seed)

    # Both voices get a row in every group, so "no quotes" reads as n = 0, not as absence.
    group_keys = [key for key, _ in iter_groups(frame, by)]
    voices = pd.DataFrame(
        [[*key, "voice", aspect] for key in group_keys for aspect in (VOICE_NARRATOR,
                                                                       VOICE_QUOTE)],
        columns=[*by, "aspect_type", "aspect"],
    )
    out = voices.merge(out, on=[*by, "aspect_type", "aspect"], how="outer")
    out[["n", "n_negated"]] = out[["n", "n_negated"]].fillna(0).astype("int64")
    columns = [*by, "aspect_type", "aspect", "n", "n_negated", *(f"mean_{m}" for m in measures)]
    if n_boot is not None:
        columns += [f"{bound}_{m}" for m in measures for bound in ("ci_low", "ci_high")]
    return (
        out.loc[:, columns]
        .sort_values([*by, "aspect_type", "aspect"], kind="mergesort")
        .reset_index(drop=True)
    )
