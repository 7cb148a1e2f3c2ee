"""One listed article file: its path checked, then read, hashed, decoded and parsed.

:func:`validate_article` gives the problems of one manifest row's file. The corpus check
and the table builder share :func:`load_article`, which also returns the file's hash, the
parsed article and warnings.

An article is refused (an error naming the file) if it cannot be read (missing, not a
regular file, no permission), is over 5 MB, is not UTF-8 (the likely encoding and how to
convert it are named), or has no body: no sentence at all outside bylines, boilerplate
and links, or a title and nothing after it (a one-paragraph file, or a byline and a
paragraph, whose only text line is taken as the title). Such an article would give no
body sentence to measure while still counting as an article. Sentences longer than
:data:`~analysis.data.corpus.sentences.MAX_SENTENCE_CHARS` are accepted with a warning:
they are cut into pieces of at most that length.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from analysis.data.corpus.decoding import decode_utf8
from analysis.data.corpus.lines import STRIP_CHARS
from analysis.data.corpus.manifest import SHA256_PATTERN, manifest_path
from analysis.data.corpus.parse import ParsedArticle, parse_article
from analysis.data.corpus.sentences import MAX_SENTENCE_CHARS, overlong_sentences

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
# How much of an article's title a problem quotes.
QUOTED_TITLE_CHARS = 80


def _file_label(raw_dir: str | os.PathLike, row: Mapping) -> str:
    return f"{Path(raw_dir) / str(row.get('file', ''))} (article_id {row.get('article_id', '')!r})"


def path_problem(raw_dir: str | os.PathLike, file: str) -> str | None:
    """Why ``file`` is not a safe path inside ``raw_dir``, or ``None``."""
    if PurePosixPath(file).is_absolute() or PureWindowsPath(file).is_absolute() \
            or PureWindowsPath(file).drive or file.startswith(("/", "\\")):
        return "path is absolute; it must be relative to the raw folder"
    if ".." in re.split(r"[\\/]", file):
        return "path has a '..' component; it must stay inside the raw folder"
    root = Path(raw_dir).resolve()
    if not (root / file).resolve().is_relative_to(root):
        return "path leads outside the raw folder (through a symbolic link)"
    return None


@dataclass(frozen=True)
class LoadedArticle:
    """A manifest row's file, read and parsed, or the problems that stopped it.

    ``problems`` are errors and ``warnings`` things that do not stop a build, each a line
    naming the file.
    """

    problems: list[str]
    sha256: str = ""
    parsed: ParsedArticle | None = None
    warnings: tuple[str, ...] = ()


def _quoted_title(title: str) -> str:
    if len(title) <= QUOTED_TITLE_CHARS:
        return repr(title)
    return repr(title[:QUOTED_TITLE_CHARS]) + "..."


def _body_problem(parsed: ParsedArticle) -> str | None:
    """Why ``parsed`` has no body sentence, or ``None`` if it has one."""
    if not parsed.blocks:
        return ("article yields no sentence (no letters or digits outside bylines, "
                "boilerplate and image links)")
    if any(block.section == "body" for block in parsed.blocks):
        return None
    return (f"article has no body sentence: its only text line outside bylines and "
            f"boilerplate, {_quoted_title(parsed.title)}, is taken as the title (an "
            "article is a title line, then its body)")


def load_article(row: Mapping, raw_dir: str | os.PathLike) -> LoadedArticle:
    """Check, read and parse one manifest row's file; problems are labelled by file."""
    label = _file_label(raw_dir, row)
    file = str(row.get("file", ""))
    if not file:
        return LoadedArticle([])  # reported as an empty required field of the row
    problem = path_problem(raw_dir, file)
    if problem is not None:
        # The path cannot be shown joined to raw_dir (it may be absolute), so name the
        # manifest entry and the path as written.
        where = f"{manifest_path(raw_dir)} (article_id {row.get('article_id', '')!r})"
        return LoadedArticle([f"{where}: file '{file}': {problem}"])
    path = Path(raw_dir) / file
    try:
        if not path.exists():
            return LoadedArticle([f"{label}: file not found"])
        if not path.is_file():
            return LoadedArticle([f"{label}: not a regular file"])
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            return LoadedArticle([f"{label}: file is {size} bytes, more than the "
                                   f"{MAX_ARTICLE_BYTES} (5 MB) allowed"])
        data = path.read_bytes()
    except OSError as exc:
        # No permission (on the file or a folder above it), an I/O error: name the file
        # rather than end in a traceback.
        return LoadedArticle([f"{label}: cannot be read: {exc.strerror or exc}"])
    digest = hashlib.sha256(data).hexdigest()
    problems = []
    expected = str(row.get("sha256", "")).lower()
    if SHA256_PATTERN.fullmatch(expected) and expected != digest:
        problems.append(f"{label}: sha256 in the manifest {expected} does not match the "
                        f"file's {digest}")
    text, problem = decode_utf8(data, path)
    if problem is not None:
        return LoadedArticle(problems + [f"{label}: {problem}"], digest)
    if not text.strip(STRIP_CHARS):
        return LoadedArticle(problems + [f"{label}: article is empty or whitespace only"],
                              digest)
    parsed = parse_article(text, str(row.get("outlet", "")))
    body_problem = _body_problem(parsed)
    if body_problem is not None:
        problems.append(f"{label}: {body_problem}")
    warnings = []
    overlong = overlong_sentences(parsed) if body_problem is None else 0
    if overlong:
        warnings.append(f"{label}: {overlong} sentence(s) longer than {MAX_SENTENCE_CHARS} "
                        f"characters (MAX_SENTENCE_CHARS) are cut into pieces of at most "
                        "that length; the text may lack sentence punctuation")
    return LoadedArticle(problems, digest, parsed, tuple(warnings))


def validate_article(row: Mapping, raw_dir: str | os.PathLike) -> list[str]:
    """Problems of one manifest row's file.

    Checks the path (relative, no ``..``, no link out of ``raw_dir``), existence,
    permission to read, size (at most 5 MB, checked before reading), UTF-8, a non-empty
    ``sha256`` against the bytes, and that the article is not empty and has a body
    sentence. Warnings (:func:`load_article`) are not returned.

    Parameters
    ----------
    row : Mapping
        A manifest row (needs ``article_id`` and ``file``; ``sha256`` optional).
    raw_dir : path
        The raw corpus folder ``file`` is relative to.

    Returns
    -------
    list of str
        One line a problem, each naming the file; empty if the file is fine.
    """
    return load_article(row, raw_dir).problems
