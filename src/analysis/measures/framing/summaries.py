"""Summaries of the framing tables per article or per any grouping of sentence columns,
e.g. ``by=("article_id", "section")``: label counts and shares
(:func:`guarantee_summary`), the dominant labels (:func:`dominant_labels`), frame shares
(:func:`frame_shares`) and who is quoted (:func:`voice_summary`). Every group of English
sentences appears, with zeros where it has nothing; sentences in other languages (the
``language`` column) are in no group, since the framing tables never read them, and a
zero for them would mean nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.data.text import english_rows
from analysis.measures.framing.frames import frame_names
from analysis.measures.framing.guarantee_rules import _vocabulary
from analysis.measures.framing.labels import GUARANTEE_DIMENSIONS, NO_LABEL
from analysis.measures.framing.speakers import _speaker_lexicon


def _check_by(by: Sequence[str], sentences: pd.DataFrame | None) -> list[str]:
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ValueError("by must name at least one column, e.g. ('article_id',)")
    if sentences is not None:
        missing = [c for c in by if c not in sentences.columns]
        if missing:
            raise ValueError(f"by columns {missing} are not sentence columns")
    return by


def _with_by(table: pd.DataFrame, sentences: pd.DataFrame | None, by: list[str]) -> pd.DataFrame:
    """``table`` with the ``by`` columns, taken from ``sentences`` where it lacks them."""
    lacking = [c for c in by if c not in table.columns]
    if not lacking:
        return table
    if sentences is None:
        raise ValueError(f"by columns {lacking} need the sentences table: pass sentences=")
    keys = ["article_id", "sentence_id"]
    return table.merge(sentences[keys + lacking].drop_duplicates(keys), on=keys, how="left",
                       validate="many_to_one")


def _groups(sentences: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Each group of English sentences with its size (n_sentences), sorted by ``by``."""
    sentences = sentences.loc[english_rows(sentences)]
    if sentences.empty:
        return pd.DataFrame({**{c: pd.Series([], dtype=object) for c in by},
                             "n_sentences": pd.Series([], dtype="int64")})
    sizes = sentences.groupby(by, sort=True, dropna=False).size()
    return sizes.rename("n_sentences").reset_index()


def _grid(groups: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Every group with every item, groups in order then items in order."""
    left = groups.assign(_g=np.arange(len(groups)))
    right = items.assign(_i=np.arange(len(items)))
    grid = left.merge(right, how="cross")
    return grid.sort_values(["_g", "_i"], kind="mergesort").drop(columns=["_g", "_i"])


def _share(numerator: pd.Series, denominator: pd.Series) -> np.ndarray:
    """numerator / denominator, 0.0 where the denominator is 0."""
    num = numerator.to_numpy(dtype=float)
    den = denominator.to_numpy(dtype=float)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _vocabulary_items(mentions: pd.DataFrame) -> pd.DataFrame:
    """(dimension, label) in lexicon order, then any other labels found in ``mentions``."""
    vocabulary = _vocabulary()
    items = [(dim, label) for dim in GUARANTEE_DIMENSIONS for label in vocabulary[dim]]
    seen = set(items)
    extra = sorted({(d, lab) for d, lab in zip(mentions["dimension"], mentions["label"],
                                               strict=True)} - seen)
    return pd.DataFrame(items + extra, columns=["dimension", "label"])


def _label_counts(mentions: pd.DataFrame, groups: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Affirmed and negated sentence counts per group and label (complete grid)."""
    grid = _grid(groups, _vocabulary_items(mentions))
    keys = [*by, "dimension", "label"]
    for column, negated in (("affirmed", False), ("negated", True)):
        subset = mentions.loc[mentions["negated"].astype(bool) == negated, keys]
        counts = subset.groupby(keys, sort=False, dropna=False).size().rename(column)
        grid = grid.merge(counts.reset_index(), on=keys, how="left")
        grid[column] = grid[column].fillna(0).astype("int64")
    return grid.reset_index(drop=True)


def guarantee_summary(mentions: pd.DataFrame, sentences: pd.DataFrame,
                      by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """Counts and shares of each guarantor and form label per group of sentences.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``.
    sentences : DataFrame
        Table ``sentences``: defines the groups (every group of English sentences
        appears, with zeros when it has no mentions) and supplies columns such as
        ``section``.
    by : sequence of str, default ("article_id",)
        Sentence columns to group by, e.g. ``("article_id", "section")``.

    Returns
    -------
    DataFrame
        One row per group, dimension and label (all vocabulary labels), columns ``*by``,
        dimension, label, affirmed (sentences affirming the label), negated (sentences
        ruling it out), share (affirmed / all affirmed labels of the dimension in the
        group, 0.0 when there are none) and n_sentences (sentences in the group).
    """
    by = _check_by(by, sentences)
    groups = _groups(sentences, by)
    counts = _label_counts(_with_by(mentions, sentences, by), groups, by)
    total = counts.groupby([*by, "dimension"], sort=False, dropna=False)["affirmed"]
    counts["share"] = _share(counts["affirmed"], total.transform("sum"))
    columns = [*by, "dimension", "label", "affirmed", "negated", "share", "n_sentences"]
    return counts[columns].reset_index(drop=True)


def dominant_labels(mentions: pd.DataFrame, sentences: pd.DataFrame | None = None,
                    by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """The most often affirmed guarantor and form per group.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``.
    sentences : DataFrame, optional
        Table ``sentences``. With it every group of English sentences appears
        (``"none"`` where nothing is affirmed) and ``by`` may use sentence columns such as
        ``section``; without it the groups are those present in ``mentions``.
    by : sequence of str, default ("article_id",)

    Returns
    -------
    DataFrame
        One row per group and dimension: ``*by``, dimension, label (the dominant label or
        ``"none"``), affirmed (its count), tie (True when other labels have the same
        count; the first in vocabulary order is then reported) and tied_labels (all
        labels sharing the top count, "|"-joined in vocabulary order, "" without a tie).
    """
    by = _check_by(by, sentences)
    if sentences is not None:
        groups = _groups(sentences, by)
        mentions = _with_by(mentions, sentences, by)
    else:
        _with_by(mentions, None, by)
        groups = mentions[by].drop_duplicates().sort_values(by, kind="mergesort")
    counts = _label_counts(mentions, groups.reset_index(drop=True), by)
    records = []
    for key, group in counts.groupby([*by, "dimension"], sort=False, dropna=False):
        top = int(group["affirmed"].max()) if len(group) else 0
        leaders = list(group.loc[group["affirmed"] == top, "label"]) if top > 0 else []
        records.append({
            **dict(zip([*by, "dimension"], key, strict=True)),
            "label": leaders[0] if leaders else NO_LABEL,
            "affirmed": top,
            "tie": len(leaders) > 1,
            "tied_labels": "|".join(leaders) if len(leaders) > 1 else "",
        })
    columns = [*by, "dimension", "label", "affirmed", "tie", "tied_labels"]
    result = pd.DataFrame.from_records(records, columns=columns)
    return result.astype({"affirmed": "int64", "tie": bool})


def frame_shares(frames: pd.DataFrame, sentences: pd.DataFrame,
                 by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """Share of sentences signalling each generic frame, per group.

    Parameters
    ----------
    frames : DataFrame
        Table ``frames``.
    sentences : DataFrame
        Table ``sentences`` (defines the groups and their sizes; English sentences only).
    by : sequence of str, default ("article_id",)

    Returns
    -------
    DataFrame
        One row per group and frame (all five, zeros included): ``*by``, frame,
        n_sentences, n_with_frame, share (n_with_frame / n_sentences).
    """
    by = _check_by(by, sentences)
    groups = _groups(sentences, by)
    names = list(frame_names())
    names += sorted(set(frames["frame"]) - set(names))
    grid = _grid(groups, pd.DataFrame({"frame": names}))
    keyed = _with_by(frames, sentences, by)
    counts = keyed.groupby([*by, "frame"], sort=False, dropna=False).size()
    grid = grid.merge(counts.rename("n_with_frame").reset_index(), on=[*by, "frame"],
                      how="left")
    grid["n_with_frame"] = grid["n_with_frame"].fillna(0).astype("int64")
    grid["share"] = _share(grid["n_with_frame"], grid["n_sentences"])
    return grid[[*by, "frame", "n_sentences", "n_with_frame", "share"]].reset_index(drop=True)


def voice_summary(quotes: pd.DataFrame, mentions: pd.DataFrame | None = None,
                  sentences: pd.DataFrame | None = None,
                  by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """Who is quoted, how often, and how often in sentences about security guarantees.

    Parameters
    ----------
    quotes : DataFrame
        Table ``quotes``.
    mentions : DataFrame, optional
        Table ``guarantee_mentions``; adds the guarantee columns.
    sentences : DataFrame, optional
        Table ``sentences``; needed when ``by`` uses a column quotes lack (``section``).
    by : sequence of str, default ("article_id",)

    Returns
    -------
    DataFrame
        One row per group and speaker, sorted by ``*by`` then speaker: ``*by``, speaker,
        actor (the speaker's side in speakers.yaml, "" if none), n_quotes (sentences
        quoting the speaker) and, with ``mentions``, n_guarantee_quotes (those sentences
        that carry a guarantee mention) and guarantee_share (their fraction).
    """
    by = _check_by(by, sentences)
    keyed = _with_by(quotes, sentences, by)
    columns = [*by, "speaker", "actor", "n_quotes"]
    if mentions is not None:
        labelled = set(zip(mentions["article_id"], mentions["sentence_id"], strict=True))
        keyed = keyed.assign(in_guarantee=[
            (a, s) in labelled
            for a, s in zip(keyed["article_id"], keyed["sentence_id"], strict=True)
        ])
        columns += ["n_guarantee_quotes", "guarantee_share"]
    else:
        keyed = keyed.assign(in_guarantee=False)
    summary = keyed.groupby([*by, "speaker"], sort=True, dropna=False).agg(
        n_quotes=("quote", "size"), n_guarantee_quotes=("in_guarantee", "sum"))
    summary = summary.reset_index()
    actors = _speaker_lexicon().actors
    summary["actor"] = [actors.get(s, "") for s in summary["speaker"]]
    summary["n_quotes"] = summary["n_quotes"].astype("int64")
    summary["n_guarantee_quotes"] = summary["n_guarantee_quotes"].astype("int64")
    summary["guarantee_share"] = _share(summary["n_guarantee_quotes"], summary["n_quotes"])
    return summary.reindex(columns=columns).reset_index(drop=True)
