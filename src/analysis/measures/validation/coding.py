"""Hand coding of the researcher's own corpus: a stratified random sample, its sheet, the codes.

Automatic labels are not true labels. To know how far they are off, and to correct the
shares the notebooks report, a researcher codes a random sample of the corpus's sentences
by hand (docs/codebook.md):

- :func:`draw_sample` draws a stratified random sample of sentences (strata: articles,
  months or outlets) and records each sentence's inclusion probability, which the
  corrected shares (:mod:`analysis.measures.validation.corrected`) weight by;
- :func:`sample_sheet` makes the coding sheet of that sample (``python -m analysis
  codesheet``): one row a sentence, its text and key, empty code columns and the coder's
  name; the tool's labels are not on it, so the coder codes blind;
- coded sheets live in ``data/coding/`` (raw data: nothing writes there), listed in its
  manifest ``coders.csv`` (file, coder, coded_on, role, note); :func:`read_coding` reads
  and checks them against the corpus and gives every coder's codes per sentence.

The code cells use the validation set's format (``europe:asserted; !nato:demanded``; see
:mod:`analysis.measures.validation.codes`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.tables import require_columns
from analysis.errors import InputError
from analysis.measures import framing
from analysis.measures.validation.codes import label_entries, read_string_csv, sentence_key

STRATA = ("article", "period", "outlet")
CODERS_FILE = "coders.csv"
CODER_COLUMNS = ("file", "coder", "coded_on", "role", "note")
# "reference": the project's own coding, not an independent coder (its agreement with the
# tool is not evidence of reliability); "independent": a coder who did not write the rules.
ROLES = ("reference", "independent")
SAMPLE_COLUMNS = ("article_id", "sentence_id", "stratum", "inclusion_probability")
SHEET_COLUMNS = ("article_id", "sentence_id", "sentence_key", "section", "stratum",
                 "inclusion_probability", "text", "guarantor", "form", "frames",
                 "quote_speaker", "coder")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def sentence_strata(sentences: pd.DataFrame, articles: pd.DataFrame, by: str) -> pd.Series:
    """The stratum of each sentence: its article id, publication month or outlet.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences`` (article_id), shape (n_sentences, ...).
    articles : DataFrame
        Table ``articles`` (article_id, published, outlet).
    by : {"article", "period", "outlet"}

    Returns
    -------
    Series of str, shape (n_sentences,)
        Aligned with ``sentences``; a period is a month, ``"2025-02"``.
    """
    if by not in STRATA:
        raise InputError([f"--by must be one of {', '.join(STRATA)}, not {by!r}"])
    require_columns(articles, ("article_id", "published", "outlet"), "articles")
    if by == "article":
        return sentences["article_id"].astype(str)
    per_article = articles.set_index("article_id")
    if by == "outlet":
        values = per_article["outlet"].astype(str)
    else:
        values = pd.Series(pd.to_datetime(per_article["published"]).dt.strftime("%Y-%m"),
                           index=per_article.index)
    return sentences["article_id"].map(values).astype(str)


def allocate(sizes: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sample sizes per stratum, proportional to the strata's sizes in expectation.

    Each stratum gets the whole part of its proportional share ``n * N_h / N``; the
    fractional parts are rounded by systematic sampling (one uniform start, unit steps
    along their running sum), so a stratum gets one more sentence with probability
    exactly its fractional part, and the sizes sum to ``n``. A sentence is then drawn
    with probability ``n / N`` whatever the number of strata, also when there are more
    strata than sentences to draw (a fixed rounding would give some strata none, and
    their sentences probability 0).

    Parameters
    ----------
    sizes : ndarray of int, shape (n_strata,)
        Sentences per stratum, all at least 1.
    n : int
        The whole sample, ``1 <= n <= sizes.sum()``.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of int, shape (n_strata,)
        ``n_h``, summing to ``n``, each at most its stratum's size.
    """
    exact = sizes * (n / sizes.sum())
    whole = np.floor(exact).astype(int)
    fractions = exact - whole
    left = n - int(whole.sum())
    if left:
        points = rng.uniform() + np.arange(left)
        strata = np.searchsorted(np.cumsum(fractions), points, side="right")
        # Rounding error may put the last point just past the running sum's end.
        whole[np.minimum(strata, len(sizes) - 1)] += 1
    return whole


def draw_sample(sentences: pd.DataFrame, articles: pd.DataFrame, n: int, seed: int,
                by: str = "article") -> pd.DataFrame:
    """A stratified random sample of ``n`` sentences, with each one's inclusion probability.

    Each stratum's sample size comes from :func:`allocate`; within a stratum a simple
    random sample of that size is drawn without replacement. Every sentence is drawn
    with probability ``n / N`` (``N`` the corpus's sentences), recorded on each row: the
    strata spread the sample over articles, months or outlets without weighting any.
    One generator seeded by ``seed`` makes every draw, over strata in sorted order and
    sentences in table order (article_id, sentence_id): the same corpus and seed give the
    same sample on any machine.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``, shape (n_sentences, ...).
    articles : DataFrame
        Table ``articles``.
    n : int
        Sentences to draw, at least 1 and at most the corpus's sentences.
    seed : int
        Seed of the draw.
    by : {"article", "period", "outlet"}, default "article"
        The strata.

    Returns
    -------
    DataFrame, shape (n, 4)
        article_id, sentence_id, stratum, inclusion_probability; sorted by article_id,
        sentence_id.

    Raises
    ------
    analysis.errors.InputError
        ``n`` out of range or an unknown ``by``.
    """
    require_columns(sentences, ("article_id", "sentence_id"), "sentences")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(
            sentences):
        raise InputError([f"--n must be a whole number from 1 to the corpus's "
                          f"{len(sentences)} sentences, not {n!r}"])
    ordered = sentences.sort_values(["article_id", "sentence_id"], kind="mergesort")
    strata = sentence_strata(ordered, articles, by).to_numpy()
    names, codes, sizes = np.unique(strata, return_inverse=True, return_counts=True)
    rng = np.random.default_rng(seed)
    allocation = allocate(sizes, int(n), rng)
    # A simple random sample within each stratum: its rows with the smallest random keys.
    order = np.lexsort((rng.random(len(strata)), codes))
    rank = np.arange(len(order)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    rows = np.sort(order[rank < allocation[codes[order]]])
    sample = ordered.iloc[rows][["article_id", "sentence_id"]].assign(
        stratum=names[codes[rows]], inclusion_probability=n / len(strata))
    return sample.reset_index(drop=True)


def sample_sheet(sentences: pd.DataFrame, sample: pd.DataFrame) -> pd.DataFrame:
    """The coding sheet of ``sample``: one row a sentence, empty code and coder columns.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences`` (article_id, sentence_id, section, text).
    sample : DataFrame
        :func:`draw_sample`'s output.

    Returns
    -------
    DataFrame
        Columns ``SHEET_COLUMNS``, one row per sampled sentence in sample order. The
        tool's labels are deliberately absent, so that the coder codes blind.
    """
    sheet = sample.merge(sentences[["article_id", "sentence_id", "section", "text"]],
                         on=["article_id", "sentence_id"], how="left", validate="1:1")
    sheet["sentence_key"] = [sentence_key(text) for text in sheet["text"]]
    for column in ("guarantor", "form", "frames", "quote_speaker", "coder"):
        sheet[column] = ""
    return sheet[list(SHEET_COLUMNS)]


@dataclass(frozen=True)
class Coding:
    """The coded sheets of a corpus, checked.

    Attributes
    ----------
    coders : DataFrame
        The manifest ``coders.csv``: file, coder, coded_on, role, note.
    coded : DataFrame
        One row per (coder, sentence) coded: coder, article_id, sentence_id,
        inclusion_probability, labels (tuple of (dimension, label) pairs the coder
        affirms; a negated label is not affirmed), negated (tuple of the pairs ruled out).
    """

    coders: pd.DataFrame
    coded: pd.DataFrame


def read_coders(coding_dir: str | os.PathLike) -> pd.DataFrame:
    """The manifest ``coders.csv`` of ``coding_dir``, checked row by row."""
    path = Path(coding_dir) / CODERS_FILE
    coders = read_string_csv(path, CODER_COLUMNS)
    problems = []
    for row_number, row in enumerate(coders.itertuples(index=False), start=2):
        where = f"{path} row {row_number}"
        if not row.coder.strip():
            problems.append(f"{where}: no coder named")
        if row.role not in ROLES:
            problems.append(f"{where}: role {row.role!r} not in {ROLES}")
        if not _DATE.fullmatch(row.coded_on):
            problems.append(f"{where}: coded_on {row.coded_on!r} is not YYYY-MM-DD")
        sheet = Path(coding_dir) / row.file
        if Path(row.file).is_absolute() or ".." in Path(row.file).parts:
            problems.append(f"{where}: file {row.file!r} must be a path inside {coding_dir}")
        elif not sheet.is_file():
            problems.append(f"{where}: file {row.file!r} does not exist")
    listed_twice = coders.loc[coders["file"].duplicated(), "file"].tolist()
    problems += [f"{path}: file {name!r} is listed twice" for name in listed_twice]
    if problems:
        raise InputError(problems)
    return coders[list(CODER_COLUMNS)]


def _sheet_rows(path: Path, coder: str, keys: dict[tuple[str, int], str]
                ) -> tuple[list[dict], list[str]]:
    """The coded rows of one sheet and the problems found, each naming its row."""
    sheet = read_string_csv(path, SHEET_COLUMNS)
    frames = set(framing.frame_names())
    rows, problems, seen = [], [], {}
    for row_number, row in enumerate(sheet.itertuples(index=False), start=2):
        where = f"{path} row {row_number}"
        try:
            unit = (row.article_id, int(row.sentence_id))
        except ValueError:
            problems.append(f"{where}: sentence_id {row.sentence_id!r} is not a number")
            continue
        if unit in seen:
            problems.append(f"{where}: sentence {unit[0]}/{unit[1]} is also row {seen[unit]}")
            continue
        seen[unit] = row_number
        if unit not in keys:
            problems.append(f"{where}: sentence {unit[0]}/{unit[1]} is not in the corpus")
            continue
        if row.sentence_key != keys[unit] or sentence_key(row.text) != keys[unit]:
            problems.append(f"{where}: the text of sentence {unit[0]}/{unit[1]} differs from "
                            "the corpus (changed on the sheet, or the corpus changed since)")
        if row.coder and row.coder != coder:
            problems.append(f"{where}: coder {row.coder!r} is not the manifest's {coder!r}")
        try:
            probability = float(row.inclusion_probability)
        except ValueError:
            probability = float("nan")
        if not 0.0 < probability <= 1.0:
            problems.append(f"{where}: inclusion_probability {row.inclusion_probability!r} "
                            "is not in (0, 1]")
        entries = []
        for dimension in framing.GUARANTEE_DIMENSIONS:
            found, bad = label_entries(getattr(row, dimension), dimension, where)
            entries += found
            problems += bad
        problems += [f"{where}: frame {f!r} not in {sorted(frames)}"
                     for f in filter(None, (p.strip() for p in row.frames.split(";")))
                     if f not in frames]
        rows.append({
            "coder": coder, "article_id": unit[0], "sentence_id": unit[1],
            "inclusion_probability": probability,
            "labels": tuple(sorted({(d, lab) for d, lab, negated, _ in entries if not negated})),
            "negated": tuple(sorted({(d, lab) for d, lab, negated, _ in entries if negated})),
        })
    return rows, problems


def read_coding(coding_dir: str | os.PathLike, sentences: pd.DataFrame) -> Coding:
    """Every coded sheet listed in ``coding_dir/coders.csv``, checked against the corpus.

    Parameters
    ----------
    coding_dir : path-like
        The coding folder (``data/coding``).
    sentences : DataFrame
        Table ``sentences`` of the corpus the sheets were drawn from.

    Returns
    -------
    Coding

    Raises
    ------
    analysis.errors.InputError
        Naming file and row: an unknown label, modality or frame; a sentence not in the
        corpus; a text that differs from the corpus's; a sentence twice on a sheet or
        coded twice by one coder; a coder other than the manifest's; an inclusion
        probability outside (0, 1] or differing between sheets for one sentence.
    """
    coders = read_coders(coding_dir)
    units = zip(sentences["article_id"].astype(str), sentences["sentence_id"].astype(int),
                strict=True)
    keys = dict(zip(units, (sentence_key(text) for text in sentences["text"]), strict=True))
    rows, problems = [], []
    for file, coder in zip(coders["file"], coders["coder"], strict=True):
        found, bad = _sheet_rows(Path(coding_dir) / file, coder, keys)
        rows += found
        problems += bad
    columns = ["coder", "article_id", "sentence_id", "inclusion_probability", "labels",
               "negated"]
    coded = pd.DataFrame(rows, columns=columns)
    twice = coded.loc[coded.duplicated(["coder", "article_id", "sentence_id"])]
    problems += [f"{coding_dir}: coder {c!r} coded sentence {a}/{s} on two sheets"
                 for c, a, s in zip(twice["coder"], twice["article_id"], twice["sentence_id"],
                                    strict=True)]
    spread = coded.groupby(["article_id", "sentence_id"])["inclusion_probability"].nunique()
    problems += [f"{coding_dir}: sentence {a}/{s} has different inclusion probabilities on "
                 "different sheets (sheets of different samples)"
                 for a, s in spread.index[spread > 1]]
    if problems:
        raise InputError(problems)
    coded = coded.sort_values(["coder", "article_id", "sentence_id"], kind="mergesort")
    return Coding(coders, coded.reset_index(drop=True))
