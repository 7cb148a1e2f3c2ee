"""The validation set's files: ``sources.csv`` and ``codes.csv`` read and checked, coding sheets.

``sources.csv`` names each real text (URL, outlet, date, title, topic, split) and
``codes.csv`` holds a coder's codes (docs/codebook.md), one row a sentence, keyed by
article and :func:`sentence_key` (a hash of the normalised sentence text), never the
text itself. Bad rows raise ``InputError`` naming the file and row.

Code cells (``codes.csv``)
--------------------------
``guarantor`` and ``form``: ``;``-separated entries ``label:modality``, ``!`` before the
label when negated, e.g. ``europe:asserted; !united_states:asserted``. ``frames``:
``;``-separated generic frames. ``quote_speaker``: the speaker the text names for a
direct quote in the sentence (``;``-separated when several speak it jointly),
``unnamed`` when it names none, empty for no quote.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.data.text import matching_text
from analysis.errors import InputError
from analysis.measures import framing

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
UNNAMED_SPEAKER = "unnamed"
LABEL_KEY = ("article_id", "sentence_key", "dimension", "label", "negated")

_ENTRY = re.compile(r"(?P<negated>!)?\s*(?P<label>[a-z_]+)\s*:\s*(?P<modality>[a-z]+)")


def sentence_key(text: str) -> str:
    """A stable key of a sentence's text: 16 hex digits of the SHA-256 of its normal form.

    The normal form is :func:`analysis.data.text.matching_text` (entities decoded, typographic
    variants folded), whitespace runs as one space, case folded: the same sentence
    collected again from another copy of the page gets the same key.
    """
    normal = " ".join(matching_text(text).split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def sentence_keys(sentences: pd.DataFrame) -> pd.DataFrame:
    """article_id, sentence_id and :func:`sentence_key` of each sentence."""
    return sentences[["article_id", "sentence_id"]].assign(
        sentence_key=[sentence_key(t) for t in sentences["text"]])


# ---------------------------------------------------------------------------
# Reading the validation set


def read_string_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """The ``columns`` of a CSV file, every cell a string (empty, never NaN).

    Raises
    ------
    analysis.errors.InputError
        Naming the file: it cannot be read or parsed, or lacks one of ``columns``.
    """
    return string_csv(read_csv_bytes(path), path, columns)[list(columns)]


def read_csv_bytes(path: Path) -> bytes:
    """The bytes of a CSV file; ``InputError`` naming it when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise InputError([f"{path}: cannot be read: {err}"]) from err


def string_csv(data: bytes, path: Path, required: Sequence[str],
               what: str = "") -> pd.DataFrame:
    """Every column of the CSV ``data`` read from ``path``, every cell a string.

    Raises
    ------
    analysis.errors.InputError
        Naming ``path``: the data cannot be parsed, or lacks one of ``required`` (the
        message then says it is not ``what``, e.g. "a coding sheet", when given).
    """
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError([f"{path}: cannot be read: {err}"]) from err
    missing = [c for c in required if c not in frame.columns]
    if missing:
        prefix = f"not {what}, " if what else ""
        raise InputError([f"{path}: {prefix}missing columns {missing}"])
    return frame


def read_sources(path: str | Path) -> pd.DataFrame:
    """``sources.csv``: one row a real text; bad rows raise InputError naming them."""
    path = Path(path)
    sources = read_string_csv(path, SOURCE_COLUMNS)
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


def label_entries(cell: str, dimension: str, where: str) -> tuple[list[tuple], list[str]]:
    """The entries of one code cell, ``europe:asserted; !nato:demanded``, and its problems.

    Returns
    -------
    entries : list of tuple
        (dimension, label, negated, modality) per well-formed entry.
    problems : list of str
        One message per bad entry (not ``[!]label:modality``, unknown label or
        modality), each starting with ``where``.
    """
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
    codes = read_string_csv(path, CODE_COLUMNS)
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
            rows, found = label_entries(getattr(row, dimension), dimension, where)
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
