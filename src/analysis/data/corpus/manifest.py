"""The manifest ``<raw_dir>/manifest.csv``: reading it and checking its rows.

:func:`load_manifest` reads and checks the manifest (its rows, not the files they list).
The corpus check and the table builder use its parts: :func:`read_manifest` (the file as
read), :func:`manifest_problems` (every row), :func:`field_problems` (one row's fields)
and :func:`row_label` (how a problem names a row).

Blank lines before the header and between rows are skipped. Two kinds of row are kept
with a warning rather than refused: a ``published`` date outside
:func:`plausible_published_range` (before 1900-01-01 or more than a year after today,
e.g. ``0001-01-01`` or ``2099-01-01``: a real date, but most likely a typo), and a file
listed by more than one row, also when the paths are spelt differently (``x.txt`` and
``./x.txt`` or ``sub//x.txt``): paths are compared after :func:`normalised_file`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis.data.corpus.decoding import decode_utf8
from analysis.errors import InputError

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("article_id", "file", "outlet", "published")
OPTIONAL_COLUMNS = ("url", "language", "sha256", "note")
DEFAULT_LANGUAGE = "en"
MAX_ID_LENGTH = 64

ARTICLE_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
# The note of a row whose text was extracted from a saved web page (``add``): the page
# is kept beside the text, and the row names it.
SOURCE_PAGE_NOTE = "extracted from {page} by {extractor}"
_SOURCE_PAGE = re.compile(r"extracted from (?P<page>\S+) by ")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
# Dates outside [EARLIEST_PUBLISHED, today + LATEST_PUBLISHED_YEARS_AHEAD years] are
# accepted with a warning: a news corpus of this project has none, so they are typos.
EARLIEST_PUBLISHED = dt.date(1900, 1, 1)
LATEST_PUBLISHED_YEARS_AHEAD = 1
SHA256_PATTERN = re.compile(r"[0-9a-fA-F]{64}")


def manifest_path(raw_dir: str | os.PathLike) -> Path:
    """``<raw_dir>/manifest.csv``."""
    return Path(raw_dir) / MANIFEST_NAME


def no_articles_problem(raw_dir: str | os.PathLike) -> str:
    """The error for a manifest without rows, which every command that reads a whole
    corpus refuses: an empty manifest is a mistake, not a corpus."""
    return (f"{manifest_path(raw_dir)}: lists no articles; add a row for each article "
            "file (article_id,file,outlet,published)")


def row_label(raw_dir: str | os.PathLike, row_number: int | None, line: int | None,
              article_id: str) -> str:
    """A manifest row as problems name it: ``<manifest> row N (line L, article_id 'x')``;
    row and line are left out when ``None``."""
    where = [f"line {line}"] if line is not None else []
    where.append(f"article_id {article_id!r}")
    row = f" row {row_number}" if row_number is not None else ""
    return f"{manifest_path(raw_dir)}{row} ({', '.join(where)})"


def _empty_manifest() -> pd.DataFrame:
    columns = list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in columns})


class ManifestRead(NamedTuple):
    """The manifest as read, before its rows are checked.

    ``frame`` has one row a data record (index = 1-based row number, cells stripped,
    every contract column present, ``language`` defaulted) and is empty if the file is
    unreadable; ``lines`` gives the physical line each record starts on; ``columns`` are
    the contract columns the header really has (missing ones are filled with ``""``).
    """

    frame: pd.DataFrame
    lines: list[int]
    columns: frozenset[str]
    errors: list[str]
    warnings: list[str]


def _unreadable(problem: str) -> ManifestRead:
    return ManifestRead(_empty_manifest(), [], frozenset(), [problem], [])


def read_manifest(raw_dir: str | os.PathLike) -> ManifestRead:
    """Read ``<raw_dir>/manifest.csv`` (UTF-8, optional BOM) with every cell as str."""
    path = manifest_path(raw_dir)
    if not path.is_file():
        return _unreadable(f"{path}: manifest not found")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _unreadable(f"{path}: cannot be read: {exc.strerror or exc}")
    text, problem = decode_utf8(data, path)
    if problem is not None:
        return _unreadable(f"{path}: {problem}")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        header = next(reader, None)
        # Editors and spreadsheet exports leave blank lines above the header.
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        previous_line = reader.line_num
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append(record)
                lines.append(previous_line + 1)
            previous_line = reader.line_num
    except csv.Error as exc:
        return _unreadable(f"{path}: not valid CSV (line {reader.line_num}): {exc}")
    if not header or not any(h.strip() for h in header):
        return _unreadable(f"{path}: no header row")
    return _manifest_frame(path, [h.strip() for h in header], records, lines)


def _manifest_frame(path: Path, header: list[str], records: list[list[str]],
                    lines: list[int]) -> ManifestRead:
    """Check the header and the field counts and build the manifest frame."""
    errors, warnings = [], []
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        errors.append(f"{path}: duplicate column(s) {duplicated}")
    errors += [f"{path}: missing required column {c!r}" for c in REQUIRED_COLUMNS
               if c not in header]
    unknown = [h for h in header if h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        warnings.append(f"{path}: unknown column(s) {unknown} are ignored")
    for number, (record, line) in enumerate(zip(records, lines, strict=True), start=1):
        if len(record) != len(header):
            errors.append(f"{path} row {number} (line {line}): {len(record)} fields, "
                          f"the header has {len(header)}")
    if duplicated:
        return ManifestRead(_empty_manifest(), [], frozenset(), errors, warnings)
    width = len(header)
    cells = [[c.strip() for c in (r + [""] * width)[:width]] for r in records]
    frame = pd.DataFrame(cells, columns=header, dtype=str,
                         index=pd.RangeIndex(1, len(cells) + 1, name="row"))
    for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series([""] * len(frame), index=frame.index, dtype=str)
    frame["language"] = frame["language"].mask(frame["language"] == "", DEFAULT_LANGUAGE)
    columns = frozenset(header) & frozenset(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    return ManifestRead(frame, lines, columns, errors, warnings)


def field_problems(row: Mapping, required: tuple[str, ...] = REQUIRED_COLUMNS) -> list[str]:
    """Problems of a manifest row's own fields (not its file), without a location prefix.

    ``required`` are the required columns to check for emptiness (a column missing from
    the header is reported once for the manifest, not once a row).
    """
    problems = [f"required field {c!r} is empty" for c in required
                if not str(row.get(c, "")).strip()]
    article_id = str(row.get("article_id", ""))
    if article_id and not ARTICLE_ID_PATTERN.fullmatch(article_id):
        problems.append(f"article_id {article_id!r} must match [a-z0-9][a-z0-9_-]*")
    if len(article_id) > MAX_ID_LENGTH:
        problems.append(f"article_id is {len(article_id)} characters long, at most "
                        f"{MAX_ID_LENGTH} allowed")
    published = str(row.get("published", ""))
    if published and not _is_iso_date(published):
        problems.append(f"published {published!r} is not a real date (YYYY-MM-DD)")
    sha256 = str(row.get("sha256", ""))
    if sha256 and not SHA256_PATTERN.fullmatch(sha256):
        problems.append(f"sha256 {sha256!r} is not 64 hexadecimal digits")
    return problems


def _is_iso_date(value: str) -> bool:
    if not DATE_PATTERN.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def plausible_published_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The ``published`` dates accepted without a warning, both ends included.

    Parameters
    ----------
    today : date, optional
        The day the check is made; default ``datetime.date.today()`` (given in tests,
        so that they do not depend on the day they run).

    Returns
    -------
    (date, date)
        :data:`EARLIEST_PUBLISHED` and ``today`` plus
        :data:`LATEST_PUBLISHED_YEARS_AHEAD` years (29 February gives 28 February).
    """
    today = dt.date.today() if today is None else today
    year = today.year + LATEST_PUBLISHED_YEARS_AHEAD
    try:
        latest = today.replace(year=year)
    except ValueError:  # 29 February, and the year ahead is not a leap year
        latest = today.replace(year=year, day=28)
    return EARLIEST_PUBLISHED, latest


def normalised_file(file: str) -> str:
    """``file`` as two rows naming the same file spell it: ``./x.txt``, ``sub//x.txt``
    and ``sub/./x.txt`` give ``x.txt`` and ``sub/x.txt``.

    Only the spelling is normalised (``..`` is refused elsewhere, so no component is
    resolved against the file system here); backslashes count as separators, as the
    ``..`` check counts them.
    """
    return posixpath.normpath(file.replace("\\", "/")) if file else file


def manifest_problems(raw_dir: str | os.PathLike, read: ManifestRead,
                      today: dt.date | None = None) -> tuple[list[str], list[str]]:
    """Row-level problems (fields, duplicate ids) and warnings (a file listed twice, a
    ``published`` date outside :func:`plausible_published_range` of ``today``)."""
    errors, warnings = [], []
    required = tuple(c for c in REQUIRED_COLUMNS if c in read.columns)
    earliest, latest = plausible_published_range(today)
    # ISO dates compare as strings, and a row's label is made only when it has something
    # to report: a large corpus's manifest is checked before any article is scored.
    earliest_text, latest_text = earliest.isoformat(), latest.isoformat()
    first_row_of_id: dict[str, int] = {}
    first_row_of_file: dict[str, tuple[int, str]] = {}
    rows = zip(read.frame.index, read.frame.to_dict("records"), read.lines, strict=True)
    for number, row, line in rows:
        problems = field_problems(row, required)
        article_id, file, published = row["article_id"], row["file"], row["published"]
        duplicate_id = bool(article_id) and article_id in first_row_of_id
        same_file = normalised_file(file)
        listed_twice = bool(file) and same_file in first_row_of_file
        implausible = (bool(published) and not (earliest_text <= published <= latest_text)
                       and _is_iso_date(published))
        if problems or duplicate_id or listed_twice or implausible:
            label = row_label(raw_dir, number, line, article_id)
            errors += [f"{label}: {p}" for p in problems]
            if duplicate_id:
                errors.append(f"{label}: duplicate article_id, first used in row "
                              f"{first_row_of_id[article_id]}")
            if listed_twice:
                first_row, first_file = first_row_of_file[same_file]
                spelt = "" if first_file == file else f" (as {first_file!r})"
                warnings.append(f"{label}: file {file!r} is also listed in row {first_row}"
                                f"{spelt}; the article is counted once for each row")
            if implausible:
                warnings.append(f"{label}: published {published!r} is outside "
                                f"{earliest_text} to {latest_text}; kept, but check the date")
        first_row_of_id.setdefault(article_id, number)
        first_row_of_file.setdefault(same_file, (number, file))
    return errors, warnings


def load_manifest(raw_dir: str | os.PathLike) -> pd.DataFrame:
    """Read and check ``<raw_dir>/manifest.csv`` (its rows, not the files they list).

    Parameters
    ----------
    raw_dir : path
        The raw corpus folder.

    Returns
    -------
    DataFrame
        One row an article, all columns str (required and optional columns always
        present, empty cells ``""``, ``language`` defaulted to ``"en"``); index ``row`` is
        the 1-based data row number.

    Raises
    ------
    InputError
        Listing every problem: unreadable manifest, missing or duplicate columns, wrong
        field counts, empty required fields, bad ids, duplicate ids, bad dates or hashes.
    """
    read = read_manifest(raw_dir)
    row_errors, _ = manifest_problems(raw_dir, read)
    if read.errors or row_errors:
        raise InputError(read.errors + row_errors)
    return read.frame


def source_pages(manifest: pd.DataFrame) -> set[str]:
    """The saved web pages (paths relative to the raw folder) that rows name as their
    text's source in ``note`` (:data:`SOURCE_PAGE_NOTE`)."""
    if "note" not in manifest.columns:
        return set()
    return {os.path.normpath(match.group("page")) for note in manifest["note"]
            if isinstance(note, str) for match in _SOURCE_PAGE.finditer(note)}
