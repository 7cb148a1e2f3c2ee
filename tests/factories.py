"""Paths and builders shared by the tests, importable from every test folder.

``pyproject.toml`` puts ``tests/`` on ``sys.path`` (pytest's ``pythonpath``), so any test
module can ``from factories import ...``; test modules never import each other.

Paths: :data:`ROOT` (the repository), :data:`SEED_RAW` (the seed corpus, ``data/raw``)
and :data:`FIXTURES` (articles written for the tests, ``tests/fixtures``).

Builders: :func:`make_corpus` writes a small raw corpus (manifest and files) into a
folder; :func:`sentences_table` builds a ``sentences`` table from hand-written lines and
:func:`raw_texts` gives the raw texts its offsets refer to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from analysis.data.tables import conform

ROOT = Path(__file__).resolve().parent.parent
"""The repository's root folder."""
SEED_RAW = ROOT / "data" / "raw"
"""The seed corpus: raw articles and their manifest."""
FIXTURES = ROOT / "tests" / "fixtures"
"""Articles written for the tests, in the seed layout (``framing/``, ``trends/``)."""

# ----------------------------------------------------------------------------- raw corpora

HEADER = "article_id,file,outlet,published,url,language,sha256,note"
"""The manifest's header line."""
GOOD_TEXT = "A plain title\nThe first sentence is here. The second one follows.\n"
"""A valid raw article: a title line and a body of two sentences."""


def make_corpus(tmp_path: Path, files: dict[str, str | bytes] | None = None,
                rows: list[str] | None = None, manifest: str | bytes | None = None) -> Path:
    """Write ``files`` and a manifest into ``tmp_path/raw``; return that folder.

    ``rows`` are CSV lines under the standard header (default: one good row per file);
    ``manifest`` replaces the whole manifest text when given.
    """
    raw = tmp_path / "raw"
    raw.mkdir()
    files = {"a.txt": GOOD_TEXT} if files is None else files
    for name, content in files.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
    if manifest is None:
        if rows is None:
            rows = [f"art-{i},{name},Outlet,2025-01-0{i + 1},,,," for i, name in
                    enumerate(files)]
        manifest = "\n".join([HEADER, *rows]) + "\n"
    data = manifest.encode("utf-8") if isinstance(manifest, str) else manifest
    (raw / "manifest.csv").write_bytes(data)
    return raw


# ------------------------------------------------------------------------- sentences tables

Line = str | tuple[str, str] | tuple[str, int, str]
"""One sentence for :func:`sentences_table`: ``text``, ``(section, text)`` or
``(section, paragraph_id, text)``."""


def sentences_table(*lines: Line, article_id: str = "t1",
                    articles: Mapping[str, Sequence[Line]] | None = None,
                    raw: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A ``sentences`` table from hand-written sentences, in reading order.

    Parameters
    ----------
    *lines : str or tuple
        The sentences of one article, ``article_id``. A line is its ``text`` (a ``body``
        sentence, a paragraph of its own), ``(section, text)`` (a paragraph of its own) or
        ``(section, paragraph_id, text)``. "A paragraph of its own" means ``paragraph_id``
        is the line's position in its article (0, 1, ...).
    article_id : str, default "t1"
        The article of ``lines``.
    articles : mapping of str to sequence of lines, optional
        Several articles at once, ``{article_id: lines}``, instead of ``lines``.
    raw : mapping of str to str, optional
        Each article's raw text; a sentence's ``start`` is where its text is next found
        in it, searching from the end of the article's previous sentence. Default: the
        raw text of an article is its texts joined by newlines (see :func:`raw_texts`).

    Returns
    -------
    DataFrame
        The catalog's ``sentences`` table (``analysis.data.tables.conform``: its columns,
        types and key order). ``sentence_id`` counts 0, 1, ... within each article, and
        ``raw_text[start:end] == text`` for every row. No lines give an empty table.

    Raises
    ------
    TypeError
        If both ``lines`` and ``articles`` are given.
    ValueError
        If a text is not found in its article's ``raw`` text.

    Examples
    --------
    >>> sentences_table("Europe will send troops.", ("title", "Troops")).shape
    (2, 7)
    >>> table = sentences_table(articles={"a": ["One.", "Two."], "b": [("title", 0, "B")]})
    >>> table[["article_id", "sentence_id", "paragraph_id", "start", "end"]].values.tolist()
    [['a', 0, 0, 0, 4], ['a', 1, 1, 5, 9], ['b', 0, 0, 0, 1]]
    """
    if articles is not None and lines:
        raise TypeError("sentences_table takes lines or articles=, not both")
    if articles is None:
        articles = {article_id: lines}
    rows = []
    for article, article_lines in articles.items():
        offset = 0
        for sentence_id, line in enumerate(article_lines):
            if isinstance(line, str):
                section, paragraph_id, text = "body", sentence_id, line
            elif len(line) == 2:
                (section, text), paragraph_id = line, sentence_id
            else:
                section, paragraph_id, text = line
            if raw is None:
                start, offset = offset, offset + len(text) + 1
            else:
                start = raw[article].find(text, offset)
                if start < 0:
                    raise ValueError(f"{article}: {text!r} is not in its raw text after "
                                     f"offset {offset}")
                offset = start + len(text)
            rows.append({"article_id": article, "sentence_id": sentence_id,
                         "section": section, "paragraph_id": paragraph_id, "start": start,
                         "end": start + len(text), "text": text})
    columns = ["article_id", "sentence_id", "section", "paragraph_id", "start", "end", "text"]
    return conform(pd.DataFrame(rows, columns=columns), "sentences")


def raw_texts(sentences: pd.DataFrame) -> dict[str, str]:
    """The raw text of each article of a :func:`sentences_table` built without ``raw``.

    Parameters
    ----------
    sentences : DataFrame
        A ``sentences`` table whose offsets are those of each article's texts joined by
        newlines in ``sentence_id`` order (:func:`sentences_table`'s default).

    Returns
    -------
    dict of str to str
        ``{article_id: raw_text}``, with ``raw_text[start:end] == text`` for every row.

    Raises
    ------
    ValueError
        If the offsets are not those of the joined texts (e.g. the table was built with
        ``raw=``).
    """
    texts: dict[str, str] = {}
    for article_id, group in sentences.sort_values(["article_id", "sentence_id"]).groupby(
            "article_id", sort=False):
        texts[article_id] = "\n".join(group["text"])
        for start, end, text in zip(group["start"], group["end"], group["text"], strict=True):
            if texts[article_id][start:end] != text:
                raise ValueError(f"{article_id}: offsets are not those of the joined texts")
    return texts
