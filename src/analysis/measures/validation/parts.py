"""A processed folder scored against the validation set, part by part.

:func:`score_processed` reads ``sources.csv``, ``codes.csv`` and the processed tables and
scores one part a split. ``agreement_codes.csv``, when present, holds a second coder's
independent codes of some texts: the second coder is then scored against the first on
the sentences both coded (:func:`coders_part`; how far coders agree is the ceiling the
rules can be held to), and the rules on those same sentences (:func:`rules_on_coders_part`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.data.tables import read_tables
from analysis.errors import InputError
from analysis.measures.validation.codes import (
    AGREEMENT_FILE,
    SPLITS,
    read_codes,
    read_sources,
    sentence_keys,
)
from analysis.measures.validation.metrics import Scores, score


def coders_part(split: str) -> str:
    """The report's column scoring coder 2 against coder 1 on ``split``'s double-coded texts."""
    return f"{split}: coder 2 vs coder 1"


def rules_on_coders_part(split: str) -> str:
    """The report's column scoring the rules against coder 1 on those same sentences."""
    return f"{split}: rules on the same sentences"


def codes_as_tables(coded: pd.DataFrame, labels: pd.DataFrame, sentences: pd.DataFrame
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A coder's codes as the tool's tables, to score one coder against another.

    Parameters
    ----------
    coded, labels : DataFrame
        :func:`~analysis.measures.validation.codes.read_codes`' output.
    sentences : DataFrame
        The ``sentences`` table of the collected texts: it gives each key its
        ``sentence_id``.

    Returns
    -------
    mentions, frames, quotes : DataFrame
        The columns of ``guarantee_mentions``, ``frames`` and ``quotes`` that
        :func:`~analysis.measures.validation.metrics.score` reads (article_id,
        sentence_id, and the labels, frame or speaker).
    """
    ids = sentence_keys(sentences)

    def with_ids(table: pd.DataFrame) -> pd.DataFrame:
        return table.merge(ids, on=["article_id", "sentence_key"]).drop(
            columns="sentence_key")

    mentions = with_ids(labels)
    frames = with_ids(pd.DataFrame(
        [(row.article_id, row.sentence_key, frame) for row in coded.itertuples(index=False)
         for frame in row.frames], columns=["article_id", "sentence_key", "frame"]))
    quotes = with_ids(pd.DataFrame(
        [(row.article_id, row.sentence_key, speaker.strip())
         for row in coded.itertuples(index=False) if row.quote_speaker
         for speaker in row.quote_speaker.split(";")],
        columns=["article_id", "sentence_key", "speaker"]))
    return mentions, frames, quotes


def score_processed(processed_dir: str | Path, validation_dir: str | Path,
                    splits: Sequence[str] = SPLITS
                    ) -> tuple[dict[str, Scores], dict[str, pd.DataFrame]]:
    """Score a processed folder of the collected texts against the validation set.

    With ``agreement_codes.csv`` in ``validation_dir``, two more parts follow the splits
    for each split with double-coded texts: :func:`coders_part` scores the second coder's
    codes against the first coder's (those of ``codes.csv``) on the sentences both coded,
    as if the second coder were the tool, and :func:`rules_on_coders_part` scores the
    rules against the first coder on those same sentences.

    Returns
    -------
    scores : dict
        Part name -> :class:`~analysis.measures.validation.metrics.Scores`.
    parts : dict
        Part name -> the rows of ``sources.csv`` it covers.

    Raises
    ------
    InputError
        If the validation files have bad rows, a processed table is missing or outdated
        (:func:`analysis.data.tables.read_tables`), a part asked for has no texts, or
        the processed folder lacks the sentences of a scored text.
    """
    validation_dir = Path(validation_dir)
    sources = read_sources(validation_dir / "sources.csv")
    coded, labels = read_codes(validation_dir / "codes.csv", sources)
    tables = read_tables(processed_dir, ("sentences", "guarantee_mentions", "frames", "quotes"))
    parts = {split: sources[sources["split"] == split] for split in splits}
    # "all" asks for every part the set has; a part asked for by name must have texts.
    empty = [split for split, part in parts.items() if part.empty]
    if len(empty) == len(parts) or (empty and list(splits) != list(SPLITS)):
        raise InputError([f"{validation_dir / 'sources.csv'}: no texts in part(s) {empty}"])
    parts = {split: part for split, part in parts.items() if not part.empty}
    # Only the parts scored need their texts: a held-out part need not be collected yet.
    wanted = set().union(*(set(part["article_id"]) for part in parts.values()))
    absent = sorted(wanted - set(tables["sentences"]["article_id"]))
    if absent:
        raise InputError([f"{processed_dir}: no sentences of {len(absent)} validation "
                          f"articles, e.g. {absent[:3]}; collect and build them first"])
    scores = {
        split: score(tables["guarantee_mentions"], tables["frames"], tables["quotes"],
                     tables["sentences"], coded, labels, part)
        for split, part in parts.items()
    }
    if (validation_dir / AGREEMENT_FILE).is_file():
        second, second_labels = read_codes(validation_dir / AGREEMENT_FILE, sources)
        both = set(zip(second["article_id"], second["sentence_key"], strict=True))
        first = coded[[key in both for key in zip(coded["article_id"], coded["sentence_key"],
                                                   strict=True)]]
        second_tables = codes_as_tables(second, second_labels, tables["sentences"])
        for split in splits:
            part = parts[split][parts[split]["article_id"].isin(second["article_id"])]
            if part.empty:
                continue
            scores[coders_part(split)] = score(*second_tables, tables["sentences"], first,
                                               labels, part)
            scores[rules_on_coders_part(split)] = score(
                tables["guarantee_mentions"], tables["frames"], tables["quotes"],
                tables["sentences"], first, labels, part)
            parts[coders_part(split)] = parts[rules_on_coders_part(split)] = part
    return scores, parts
