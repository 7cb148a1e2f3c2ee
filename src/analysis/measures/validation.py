"""Framing measured against human coding of real news: coding sheets, codes, scores.

The validation set lives in ``validation/framing/``: ``sources.csv`` names each real
text (URL, outlet, date, title, topic, split) and ``codes.csv`` holds a coder's codes
(docs/codebook.md), one row a sentence, keyed by article and :func:`sentence_key` (a
hash of the normalised sentence text), never the text itself. Whoever collects the texts
again (the manifest layout of ``data/raw``, the article ids of ``sources.csv``) and builds
them with ``python -m analysis build`` can score the processed folder against the codes
with :func:`score_processed` (``python -m analysis framing-validation score``);
:mod:`analysis.views.validation_report` writes what it finds. ``agreement_codes.csv``, when
present, holds a second coder's independent codes of some texts: the same measures then
compare the two coders on the sentences both coded (how far coders agree is the ceiling
the rules can be held to), and the rules on those same sentences.

Code cells (``codes.csv``)
--------------------------
``guarantor`` and ``form``: ``;``-separated entries ``label:modality``, ``!`` before the
label when negated, e.g. ``europe:asserted; !united_states:asserted``. ``frames``:
``;``-separated generic frames. ``quote_speaker``: the speaker the text names for a
direct quote in the sentence (``;``-separated when several speak it jointly),
``unnamed`` when it names none, empty for no quote.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.tables import read_tables
from analysis.data.text import matching_text
from analysis.errors import InputError
from analysis.measures import framing
from analysis.measures.proportions import wilson_interval

SOURCE_COLUMNS = ("article_id", "url", "outlet", "published", "title", "topic", "split")
CODE_COLUMNS = ("article_id", "sentence_key", "guarantor", "form", "frames", "quote_speaker")
SHEET_COLUMNS = ("article_id", "sentence_id", "sentence_key", "section", "text",
                 "guarantor", "form", "frames", "quote_speaker")
TOPICS = ("on", "off")
# dev: to develop the rules on; test: held out, scored once when work was done; test2 and
# test3: held-out parts collected after the one before had been scored.
SPLITS = ("dev", "test", "test2", "test3")
HELD_OUT = ("test", "test2", "test3")
AGREEMENT_FILE = "agreement_codes.csv"


def coders_part(split: str) -> str:
    """The report's column scoring coder 2 against coder 1 on ``split``'s double-coded texts."""
    return f"{split}: coder 2 vs coder 1"


def rules_on_coders_part(split: str) -> str:
    """The report's column scoring the rules against coder 1 on those same sentences."""
    return f"{split}: rules on the same sentences"
UNNAMED_SPEAKER = "unnamed"
LABEL_KEY = ("article_id", "sentence_key", "dimension", "label", "negated")

_ENTRY = re.compile(r"(?P<negated>!)?\s*(?P<label>[a-z_]+)\s*:\s*(?P<modality>[a-z]+)")
_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")


def sentence_key(text: str) -> str:
    """A stable key of a sentence's text: 16 hex digits of the SHA-256 of its normal form.

    The normal form is :func:`analysis.data.text.matching_text` (entities decoded, typographic
    variants folded), whitespace runs as one space, case folded: the same sentence
    collected again from another copy of the page gets the same key.
    """
    normal = " ".join(matching_text(text).split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Reading the validation set


def _read_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise InputError([f"{path}: cannot be read: {err}"]) from err
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError([f"{path}: missing columns {missing}"])
    return frame[list(columns)]


def read_sources(path: str | Path) -> pd.DataFrame:
    """``sources.csv``: one row a real text; bad rows raise InputError naming them."""
    path = Path(path)
    sources = _read_csv(path, SOURCE_COLUMNS)
    problems = []
    for row_number, row in enumerate(sources.itertuples(index=False), start=2):
        if row.topic not in TOPICS:
            problems.append(f"{path} row {row_number}: topic '{row.topic}' not in {TOPICS}")
        if row.split not in SPLITS:
            problems.append(f"{path} row {row_number}: split '{row.split}' not in {SPLITS}")
    duplicated = sources.loc[sources["article_id"].duplicated(), "article_id"].tolist()
    problems += [f"{path}: article_id '{a}' is listed twice" for a in duplicated]
    if problems:
        raise InputError(problems)
    return sources


def _entries(cell: str, dimension: str, where: str) -> tuple[list[tuple], list[str]]:
    labels = framing.guarantee_vocabulary()[dimension]
    rows, problems = [], []
    for entry in filter(None, (part.strip() for part in cell.split(";"))):
        match = _ENTRY.fullmatch(entry)
        if match is None:
            problems.append(f"{where}: {dimension} entry '{entry}' is not [!]label:modality")
        elif match["label"] not in labels:
            problems.append(f"{where}: {dimension} label '{match['label']}' not in {labels}")
        elif match["modality"] not in framing.MODALITIES:
            problems.append(f"{where}: modality '{match['modality']}' not in "
                            f"{framing.MODALITIES}")
        else:
            rows.append((dimension, match["label"], bool(match["negated"]),
                         match["modality"]))
    return rows, problems


def read_codes(path: str | Path, sources: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``codes.csv`` as (coded sentences, labels).

    Returns
    -------
    sentences : DataFrame
        One row a coded sentence: article_id, sentence_key, frames (tuple of str),
        quote_speaker.
    labels : DataFrame
        One row per (article_id, sentence_key, dimension, label, negated), with modality.
    """
    path = Path(path)
    codes = _read_csv(path, CODE_COLUMNS)
    known = set(sources["article_id"])
    frames = set(framing.frame_names())
    problems, label_rows, frame_cells = [], [], []
    for row_number, row in enumerate(codes.itertuples(index=False), start=2):
        where = f"{path} row {row_number}"
        if row.article_id not in known:
            problems.append(f"{where}: article_id '{row.article_id}' is not in sources.csv")
        if not re.fullmatch(r"[0-9a-f]{16}", row.sentence_key):
            problems.append(f"{where}: sentence_key '{row.sentence_key}' is not 16 hex digits")
        for dimension in framing.GUARANTEE_DIMENSIONS:
            rows, found = _entries(getattr(row, dimension), dimension, where)
            problems += found
            label_rows += [(row.article_id, row.sentence_key, *entry) for entry in rows]
        cell = tuple(sorted({f.strip() for f in row.frames.split(";") if f.strip()}))
        problems += [f"{where}: frame '{f}' not in {sorted(frames)}" for f in cell
                     if f not in frames]
        frame_cells.append(cell)
    duplicated = codes.duplicated(["article_id", "sentence_key"])
    problems += [f"{path} row {i + 2}: sentence coded twice" for i in codes.index[duplicated]]
    if problems:
        raise InputError(problems)
    sentences = codes[["article_id", "sentence_key", "quote_speaker"]].assign(
        frames=frame_cells)
    labels = pd.DataFrame(label_rows, columns=[*LABEL_KEY, "modality"])
    labels = labels.drop_duplicates(list(LABEL_KEY))
    return sentences, labels


# ---------------------------------------------------------------------------
# Coding sheets


def coding_sheet(sentences: pd.DataFrame) -> pd.DataFrame:
    """A blank coding sheet of ``sentences``: text and key, empty code columns.

    The tool's labels are deliberately absent, so that the coder codes blind.
    """
    sheet = sentences[["article_id", "sentence_id", "section", "text"]].copy()
    sheet.insert(2, "sentence_key", [sentence_key(t) for t in sheet["text"]])
    for column in ("guarantor", "form", "frames", "quote_speaker"):
        sheet[column] = ""
    return sheet[list(SHEET_COLUMNS)]


# ---------------------------------------------------------------------------
# Scoring


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


def _sentence_keys(sentences: pd.DataFrame) -> pd.DataFrame:
    """article_id, sentence_id and :func:`sentence_key` of each sentence."""
    return sentences[["article_id", "sentence_id"]].assign(
        sentence_key=[sentence_key(t) for t in sentences["text"]])


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


# The naive keyword tagger: every keyword a regular expression, matched as a word.
_BASELINE_TOPIC = r"guarantee|guarantees|security|troops|peacekeepers|peacekeeping"
_BASELINE_KEYWORDS = {
    "guarantor": {
        "united_states": r"US|U\.S\.|United States|America|American|Washington|Trump",
        "europe": r"Europe|European|Europeans|EU|UK|Britain|British|France|French|Germany|"
                  r"German|Macron|Starmer|Merz|coalition of the willing",
        "nato": r"NATO",
        "ukraine": r"Ukraine|Ukrainian|Kyiv|Zelensky|Zelenskyy",
        "russia": r"Russia|Russian|Moscow|Kremlin|Putin",
        "other": r"UN|United Nations|China|Turkey|Japan|Canada|Australia",
    },
    "form": {
        "collective_defense": r"Article 5|Article-5|collective defen[cs]e|mutual defen[cs]e",
        "troop_deployment": r"troops|peacekeepers|peacekeeping|boots on the ground",
        "monitoring": r"monitoring|monitor|surveillance|observers",
        "military_aid": r"weapons|air defen[cs]e|military aid|arms",
        "economic_stake": r"minerals|mineral|investment|economic",
        "alliance_membership": r"NATO membership|join NATO|accession",
        "other": r"Budapest Memorandum|neutrality|buffer zone",
    },
}


@functools.cache
def _baseline_regexes() -> tuple[re.Pattern, dict[str, dict[str, re.Pattern]]]:
    def word(pattern: str, flags: int = 0) -> re.Pattern:
        return re.compile(rf"(?<![\w.])(?:{pattern})(?![\w])", flags)

    return word(_BASELINE_TOPIC, re.IGNORECASE), {
        dimension: {label: word(pattern) for label, pattern in keywords.items()}
        for dimension, keywords in _BASELINE_KEYWORDS.items()
    }


def keyword_baseline(sentences: pd.DataFrame) -> pd.DataFrame:
    """A naive keyword tagger, the floor the rules must beat.

    A sentence that says "guarantee", "security", "troops" or "peacekeeping" gets every
    guarantor whose name it contains and every form whose keyword it contains
    (``_BASELINE_KEYWORDS``), none negated.

    Returns
    -------
    DataFrame
        article_id, sentence_id, dimension, label, negated: one row per label.
    """
    topic, keywords = _baseline_regexes()
    rows = []
    for article_id, sentence_id, text in sentences[["article_id", "sentence_id", "text"]
                                                   ].itertuples(index=False):
        text = matching_text(text)
        if not topic.search(text):
            continue
        rows += [(article_id, sentence_id, dimension, label, False)
                 for dimension, finders in keywords.items()
                 for label, finder in finders.items() if finder.search(text)]
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "dimension", "label",
                                       "negated"])


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
        :func:`read_codes`' output.
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
    keys = _sentence_keys(tool_sentences)
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


def codes_as_tables(coded: pd.DataFrame, labels: pd.DataFrame, sentences: pd.DataFrame
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A coder's codes as the tool's tables, to score one coder against another.

    Parameters
    ----------
    coded, labels : DataFrame
        :func:`read_codes`' output.
    sentences : DataFrame
        The ``sentences`` table of the collected texts: it gives each key its
        ``sentence_id``.

    Returns
    -------
    mentions, frames, quotes : DataFrame
        The columns of ``guarantee_mentions``, ``frames`` and ``quotes`` that
        :func:`score` reads (article_id, sentence_id, and the labels, frame or speaker).
    """
    ids = _sentence_keys(sentences)

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
        Part name -> :class:`Scores`.
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
