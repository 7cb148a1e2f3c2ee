"""Checking the raw corpus: the manifest, every file it lists, and the files it does not.

:func:`validate_corpus` gathers every problem into a :class:`CorpusReport` and never
raises for bad data; :func:`check_corpus` raises ``InputError`` with the errors.

A manifest that lists no article is an error here (``validate``, ``build`` and ``run``
would otherwise write empty tables and reports that read as findings); reading a
manifest with :func:`~analysis.data.corpus.manifest.load_manifest` still accepts it, so
that a slice of the corpus may be empty.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.corpus.articles import _file_label, load_article, path_problem
from analysis.data.corpus.language import language_check_missing, language_warnings
from analysis.data.corpus.manifest import (
    MANIFEST_NAME,
    manifest_path,
    manifest_problems,
    no_articles_problem,
    read_manifest,
    source_pages,
)
from analysis.errors import InputError


@dataclass
class CorpusReport:
    """Outcome of :func:`validate_corpus`.

    Attributes
    ----------
    manifest : DataFrame
        The manifest as read (all columns str, ``language`` defaulted to ``"en"``,
        index = 1-based data row number), empty when it could not be read.
    errors : list of str
        Problems that stop a build, one line each.
    warnings : list of str
        Things worth knowing that do not stop a build (e.g. unlisted files).
    """

    manifest: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _is_article_candidate(relative: Path) -> bool:
    """Files of the raw folder that could be articles: not hidden, not the manifest, not
    a README."""
    if any(part.startswith(".") for part in relative.parts):
        return False
    if relative == Path(MANIFEST_NAME):
        return False
    return relative.stem.lower() != "readme"


def _unlisted_files(raw_dir: str | os.PathLike, manifest: pd.DataFrame) -> list[str]:
    """Warnings for files under ``raw_dir`` that no manifest row lists.

    A file counts as listed if a row names it, or names a link inside ``raw_dir`` that
    resolves to it, or names it in ``note`` as the web page its text was extracted from.
    """
    root = Path(raw_dir)
    if not root.is_dir():
        return []
    listed_names = {os.path.normpath(f) for f in manifest["file"] if f} | source_pages(manifest)
    listed_targets = {(root / f).resolve() for f in listed_names
                      if path_problem(raw_dir, f) is None}
    warnings = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or not _is_article_candidate(relative):
            continue
        if str(relative) not in listed_names and path.resolve() not in listed_targets:
            warnings.append(f"{path}: not listed in {manifest_path(raw_dir)}; ignored")
    return warnings


def validate_corpus(raw_dir: str | os.PathLike, today: dt.date | None = None) -> CorpusReport:
    """Check the manifest and every file it lists; never raises for bad data.

    Parameters
    ----------
    raw_dir : path
        The raw corpus folder holding ``manifest.csv``.
    today : date, optional
        The day ``published`` dates are checked against (see
        :func:`~analysis.data.corpus.manifest.plausible_published_range`); default
        today.

    Returns
    -------
    CorpusReport
        The manifest as read, every error (one line each, naming the manifest row or
        the file; a manifest without rows is one) and warnings (files the manifest does
        not list, a file listed twice, implausible dates, cut overlong sentences, an
        article not in English left out of the English-only measures, a text that reads
        as another language than its row's: :mod:`~analysis.data.corpus.language`).
    """
    read = read_manifest(raw_dir)
    row_errors, row_warnings = manifest_problems(raw_dir, read, today)
    errors = read.errors + row_errors
    if not read.errors and read.frame.empty:
        errors.append(no_articles_problem(raw_dir))
    article_warnings: list[str] = []
    for _, row in read.frame.iterrows():
        loaded = load_article(row, raw_dir)
        errors += loaded.problems
        article_warnings += loaded.warnings
        if not loaded.problems:
            article_warnings += language_warnings(row, loaded.parsed,
                                                  _file_label(raw_dir, row))
    if not read.frame.empty:
        article_warnings += language_check_missing(raw_dir)
    warnings = (read.warnings + row_warnings + article_warnings
                + _unlisted_files(raw_dir, read.frame))
    return CorpusReport(manifest=read.frame, errors=errors, warnings=warnings)


def check_corpus(raw_dir: str | os.PathLike) -> CorpusReport:
    """:func:`validate_corpus`, raising ``InputError(report.errors)`` if there are errors."""
    report = validate_corpus(raw_dir)
    if report.errors:
        raise InputError(report.errors)
    return report
