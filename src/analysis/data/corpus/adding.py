"""Adding articles to the raw corpus (``python -m analysis add``): all or nothing.

A plain text file is copied byte for byte under its own name. An HTML page saved from
the web (:func:`is_html`) becomes ``<stem>.txt`` (:func:`extract_article`, trafilatura:
the title line, then the body paragraphs separated by blank lines, UTF-8 with ``\\n``);
the page is kept beside it byte for byte as ``<stem>.html``, and the row's ``note`` names
it (``extracted from <stem>.html by trafilatura <version>``). Each article's row, with its
``sha256`` and an ``article_id`` given or derived (:func:`derive_article_id`), is appended
to ``manifest.csv`` without changing the bytes already there (:func:`manifest_bytes`).

Every check is made before anything is written; the files are then written through
temporary files and renames, the manifest last, and the corpus is checked with
:func:`~analysis.data.corpus.validate.check_corpus`, the one corpus check. If that, or
anything before it, fails, the raw folder is put back as it was (:func:`write_checked`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.data.corpus.articles import path_problem
from analysis.data.corpus.decoding import decode_utf8
from analysis.data.corpus.lines import SENTENCE_ENDING, STRIP_CHARS
from analysis.data.corpus.manifest import (
    DEFAULT_LANGUAGE,
    MANIFEST_NAME,
    MAX_ID_LENGTH,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SOURCE_PAGE_NOTE,
    field_problems,
    manifest_path,
    manifest_problems,
    normalised_file,
    read_manifest,
)
from analysis.data.corpus.parse import MIN_WRAPPED_LINE_CHARS
from analysis.data.corpus.validate import CorpusReport, check_corpus
from analysis.errors import InputError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIX = ".txt"
# A file is sniffed as HTML when its start (after a BOM, blank space, comments and an
# XML declaration) is a doctype or an html, head or body tag.
SNIFF_BYTES = 4096
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*)*"
                         rb"<(?:!doctype\s+html|html|head|body)[\s>]",
                         re.IGNORECASE | re.DOTALL)
# trafilatura's settings: the article text alone, no comments and no tables (their cells
# would become one-word paragraphs), a doubtful line of page furniture left out.
EXTRACTION_OPTIONS = {"include_comments": False, "include_tables": False,
                      "include_images": False, "include_links": False,
                      "favor_precision": True, "deduplicate": False, "with_metadata": True}
NEW_MANIFEST_HEADER = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class Source:
    """One file given (``given``) as it goes into the raw folder: the article file's name
    and bytes, the HTML page kept beside it (``None`` for a text file) and the address
    and date the page names (``""`` if none)."""

    given: Path
    text_name: str
    text: bytes
    html_name: str | None = None
    html: bytes | None = None
    page_url: str = ""
    page_date: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text).hexdigest()

    def files(self) -> dict[str, bytes]:
        """The files it puts in the raw folder, by name."""
        kept = {} if self.html_name is None else {self.html_name: self.html}
        return {self.text_name: self.text, **kept}


@dataclass(frozen=True)
class AddReport:
    """What :func:`add_articles` did: each file given with the row appended for it, in
    the order given; the corpus check of the result; warnings about the files added."""

    added: list[tuple[Source, dict[str, str]]]
    corpus: CorpusReport
    warnings: list[str]


def is_html(name: str, data: bytes) -> bool:
    """Whether a file is an HTML page: an HTML suffix, or HTML's first bytes."""
    return name.lower().endswith(HTML_SUFFIXES) or bool(_HTML_START.match(data[:SNIFF_BYTES]))


def read_given(path: Path) -> bytes:
    """A given file's bytes; ``InputError`` naming it if missing, a folder, unreadable,
    empty, or named as no article can be (:func:`name_problem`)."""
    try:
        if not path.exists():
            raise InputError([f"{path}: file not found"])
        if path.is_dir():
            raise InputError([f"{path}: is a folder, not an article file"])
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([f"{path}: cannot be read: {exc.strerror or exc}"]) from None
    problem = "file is empty" if not data else name_problem(path.name)
    if problem is not None:
        raise InputError([f"{path}: {problem}"])
    return data


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an article file's name in the raw folder, or ``None``."""
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        return f"file name {name!r} has a path separator or is not a name"
    if name.startswith("."):
        return f"file name {name!r} starts with '.' (hidden files are not articles)"
    if name == MANIFEST_NAME:
        return f"file name {name!r} is the manifest's; rename the file"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return f"file name {name!r} has a control character"
    return None


def article_text(title: str, paragraphs: Sequence[str]) -> str:
    """An extracted article's raw text: the title line, then the paragraphs, separated by
    blank lines, with a final line end."""
    return "\n\n".join([title, *paragraphs]) + "\n"


def extract_article(html: bytes, label: str) -> tuple[str, str, str]:
    """The article of an HTML page (bytes as saved) as raw text, and the page's url and
    date (``""`` if none); the same bytes always give the same text.

    The text is :func:`article_text` of trafilatura's title (else the first line of its
    text) and the other lines of its text, blank space collapsed, a repeat of the title
    left out. ``InputError`` naming ``label`` if no line is prose (at least
    :data:`~analysis.data.corpus.parse.MIN_WRAPPED_LINE_CHARS` characters, ending a
    sentence): the page has no article.
    """
    import trafilatura

    document = trafilatura.bare_extraction(html, **EXTRACTION_OPTIONS)
    text = (document.text or "") if document is not None else ""
    lines = [line for line in (" ".join(line.split()) for line in text.splitlines()) if line]
    title = " ".join((document.title or "").split()) if document is not None else ""
    if not title and lines:
        title = lines.pop(0)
    paragraphs = [line for line in lines if line != title]
    if not any(len(p) >= MIN_WRAPPED_LINE_CHARS and SENTENCE_ENDING.search(p)
               for p in paragraphs):
        found = f"{len(paragraphs)} short line(s)" if paragraphs else "no text"
        raise InputError([f"{label}: no article text found in the HTML page (trafilatura "
                          f"{trafilatura.__version__} extracted {found}, no paragraph of "
                          "prose)"])
    return article_text(title, paragraphs), document.url or "", document.date or ""


def checked_text(data: bytes, label: str) -> bytes:
    """A plain text file's bytes, checked as the corpus check reads them: UTF-8 (with the
    corpus check's message when not) and not whitespace only."""
    text, problem = decode_utf8(data, label)
    if problem is not None:
        raise InputError([f"{label}: {problem}"])
    if not text.strip(STRIP_CHARS):
        raise InputError([f"{label}: article is empty or whitespace only"])
    return data


def prepare_source(path: str | os.PathLike) -> Source:
    """What one given file puts in the raw folder; ``InputError`` naming the file."""
    path = Path(path)
    data = read_given(path)
    if not is_html(path.name, data):
        return Source(path, path.name, checked_text(data, str(path)))
    stem = path.name[:-len(path.suffix)] if path.suffix else path.name
    html_name = path.name if path.name.lower().endswith(HTML_SUFFIXES) else f"{stem}.html"
    text, url, date = extract_article(data, str(path))
    return Source(path, stem + TEXT_SUFFIX, text.encode("utf-8"), html_name, data, url, date)


def prepare_sources(files: Sequence[str | os.PathLike]) -> list[Source]:
    """:func:`prepare_source` of every file; the problems of all of them raised together."""
    sources, problems = [], []
    for file in files:
        try:
            sources.append(prepare_source(file))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return sources


def slug(text: str) -> str:
    """``text`` as an id part: ASCII letters and digits, lower case, any other run one
    ``-`` (``"Le Monde (Paris)"`` gives ``le-monde-paris``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def derive_article_id(outlet: str, published: str, stem: str, taken: set[str]) -> str:
    """An id not in ``taken``: the outlet's slug and the date (``kyiv-post-2025-03-04``),
    else the file stem's slug, else ``article``; ``-2``, ``-3``, ... added while taken, the
    slug cut so that the id has at most :data:`MAX_ID_LENGTH` characters."""
    base = slug(outlet) or slug(stem) or "article"
    date = f"-{published}" if slug(outlet) else ""
    for number in range(1, len(taken) + 2):
        count = "" if number == 1 else f"-{number}"
        candidate = base[:MAX_ID_LENGTH - len(date) - len(count)].strip("-") + date + count
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: len(taken) + 1 ids cannot all be taken")


def option_problems(files: Sequence[str | os.PathLike], outlet: str, published: str,
                    language: str, url: str, note: str) -> list[str]:
    """Problems of the values every added row shares (the manifest's own field checks),
    each naming the files and the option."""
    where = ", ".join(str(f) for f in files) or "add: no file given"
    problems = [f"{where}: --outlet is empty"] if not outlet else []
    problems += [f"{where}: --published: {p}" for p in
                 field_problems({"published": published}, required=("published",))]
    problems += [f"{where}: {option} {value!r} has a line break or control character"
                 for option, value in (("--outlet", outlet), ("--language", language),
                                       ("--url", url), ("--note", note))
                 if any(unicodedata.category(c) == "Cc" for c in value)]
    if not LANGUAGE_PATTERN.fullmatch(language):
        problems.append(f"{where}: --language {language!r} is not a language code (e.g. "
                        "en, uk, en-GB)")
    return problems


def source_note(source: Source, note: str) -> str:
    """A row's ``note``: the note given, then, for an extracted page, which page."""
    if source.html_name is None:
        return note
    import trafilatura

    extracted = SOURCE_PAGE_NOTE.format(page=source.html_name,
                                        extractor=f"trafilatura {trafilatura.__version__}")
    return f"{note}; {extracted}" if note else extracted


def new_rows(sources: Sequence[Source], ids: Sequence[str | None], taken: set[str], *,
             outlet: str, published: str, url: str, language: str, note: str
             ) -> list[dict[str, str]]:
    """The manifest row of each source; an id not given is derived, unique."""
    rows = []
    taken = set(taken) | {i for i in ids if i is not None}
    for source, article_id in zip(sources, ids, strict=True):
        if article_id is None:
            article_id = derive_article_id(outlet, published, Path(source.text_name).stem,
                                           taken)
            taken.add(article_id)
        rows.append({"article_id": article_id, "file": source.text_name, "outlet": outlet,
                     "published": published, "url": url or source.page_url,
                     "language": language, "sha256": source.sha256,
                     "note": source_note(source, note)})
    return rows


@dataclass(frozen=True)
class ExistingManifest:
    """The raw folder's manifest as found: its bytes (``None`` when there is none), its
    header, the line end of its lines, and its rows (``row`` number, id, file, sha256)."""

    data: bytes | None
    header: tuple[str, ...]
    line_end: str
    rows: list[dict[str, str]]


def read_existing(raw_dir: Path) -> ExistingManifest:
    """The manifest of ``raw_dir``, which must pass the corpus's manifest checks; a raw
    folder without one gives an empty manifest with the contract's header."""
    if not raw_dir.is_dir():
        raise InputError([f"{raw_dir}: raw folder not found; create it first (--raw)"])
    path = manifest_path(raw_dir)
    if not path.exists():
        return ExistingManifest(None, NEW_MANIFEST_HEADER, "\n", [])
    read = read_manifest(raw_dir)
    errors = read.errors + manifest_problems(raw_dir, read)[0]
    if errors:
        raise InputError(errors + [f"{path}: fix the manifest before adding articles"])
    data = path.read_bytes()
    last = data.rfind(b"\n")
    line_end = "\r\n" if last > 0 and data[last - 1:last] == b"\r" else "\n"
    rows = [{"row": str(number), **row} for number, row in zip(
        read.frame.index, read.frame[["article_id", "file", "sha256"]].to_dict("records"),
        strict=True)]
    # The frame's columns are the header's, then the contract's it lacks.
    header = tuple(c for c in read.frame.columns
                   if c in read.columns or c not in NEW_MANIFEST_HEADER)
    return ExistingManifest(data, header, line_end, rows)


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data``."""
    try:
        return (path.is_file() and path.stat().st_size == len(data)
                and path.read_bytes() == data)
    except OSError:
        return False


def _listed_row(raw_dir: Path, manifest: ExistingManifest, source: Source) -> dict | None:
    """The manifest row whose file has ``source``'s bytes, by the row's ``sha256`` or,
    where it has none, by the file itself."""
    for row in manifest.rows:
        if row["sha256"]:
            if row["sha256"].lower() == source.sha256:
                return row
        elif path_problem(raw_dir, row["file"]) is None \
                and _holds(raw_dir / row["file"], source.text):
            return row
    return None


def _row_name(raw_dir: Path, row: dict) -> str:
    return (f"{manifest_path(raw_dir)} row {row['row']} (article_id {row['article_id']!r}, "
            f"file {row['file']!r})")


def placement_problems(raw_dir: Path, source: Source, manifest: ExistingManifest) -> list[str]:
    """Why ``source`` cannot go into ``raw_dir``: its bytes already listed, a name
    already listed, or a file of its name there with other bytes (the same bytes,
    unlisted, are taken as they are)."""
    listed = _listed_row(raw_dir, manifest, source)
    if listed is not None:
        return [f"{source.given}: already in the corpus: {_row_name(raw_dir, listed)} has "
                "the same bytes"]
    listed_files = {normalised_file(row["file"]): row for row in manifest.rows}
    problems = []
    for name, data in source.files().items():
        target = raw_dir / name
        if name in listed_files:
            problems.append(f"{source.given}: {target} is already listed in "
                            f"{_row_name(raw_dir, listed_files[name])}; rename the file")
        elif (target.exists() or target.is_symlink()) and not _holds(target, data):
            problems.append(f"{source.given}: {target} already exists with other content; "
                            "rename the file")
    return problems


def duplicate_problems(sources: Sequence[Source]) -> list[str]:
    """Files given twice: the same bytes, or the same name in the raw folder."""
    problems = []
    first_of: dict[str | bytes, Path] = {}
    for source in sources:
        for key in (source.text, *source.files()):
            first = first_of.setdefault(key, source.given)
            if first is not source.given:
                problems.append(f"{source.given}: the same article as {first}, given twice"
                                if key == source.text else f"{source.given}: would be "
                                f"written as {key}, as {first} would; rename one of them")
                break
    return problems


def id_problems(ids: Sequence[str | None], sources: Sequence[Source],
                taken: set[str]) -> list[str]:
    """Problems of the ids given: the manifest's id rules, and ids already used."""
    problems = []
    given: set[str] = set()
    for article_id, source in zip(ids, sources, strict=True):
        if article_id is None:
            continue
        problems += [f"{source.given}: --id: {p}" for p in
                     field_problems({"article_id": article_id}, required=("article_id",))]
        if article_id in taken or article_id in given:
            problems.append(f"{source.given}: --id: article_id {article_id!r} is already used")
        given.add(article_id)
    return problems


def missing_columns(manifest: ExistingManifest, rows: Sequence[dict[str, str]]) -> list[str]:
    """Columns the manifest's header lacks though an added row has a value for them."""
    return [column for column in NEW_MANIFEST_HEADER if column not in manifest.header
            and any(row.get(column) for row in rows)]


def manifest_bytes(manifest: ExistingManifest, rows: Sequence[dict[str, str]]) -> bytes:
    """The manifest with ``rows`` appended in its header's columns, its bytes kept."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=manifest.line_end)
    if manifest.data is None:
        writer.writerow(manifest.header)
    writer.writerows([row.get(column, "") for column in manifest.header] for row in rows)
    data = manifest.data or b""
    if data and not data.endswith(b"\n"):
        data += manifest.line_end.encode("ascii")
    return data + out.getvalue().encode("utf-8")


def write_checked(raw_dir: Path, files: dict[str, bytes], manifest: bytes,
                  previous: bytes | None) -> CorpusReport:
    """Write ``files`` (new names), then the manifest, each through a temporary file and a
    rename, and check the corpus; on any failure remove what was written and put back the
    ``previous`` manifest (none: remove it), then raise."""
    from analysis.data.tables import write_bytes_atomic

    path = manifest_path(raw_dir)
    written: list[Path] = []
    manifest_touched = False
    try:
        for name, data in files.items():
            written.append(raw_dir / name)
            write_bytes_atomic(raw_dir / name, data)
        manifest_touched = True
        write_bytes_atomic(path, manifest)
        return check_corpus(raw_dir)
    except BaseException:
        if manifest_touched and previous is not None:
            write_bytes_atomic(path, previous)
        elif manifest_touched:
            path.unlink(missing_ok=True)
        for target in written:
            target.unlink(missing_ok=True)
        raise


def add_articles(raw_dir: str | os.PathLike, files: Sequence[str | os.PathLike],
                 outlet: str, published: str, *, url: str | None = None,
                 language: str | None = None,
                 article_ids: Sequence[str | None] | None = None,
                 note: str | None = None) -> AddReport:
    """Add article files to the raw corpus: copy or extract them, append their rows.

    Parameters
    ----------
    raw_dir : path
        The raw corpus folder; it must exist (a missing ``manifest.csv`` is created).
    files : sequence of path
        Plain UTF-8 text files (copied byte for byte) and HTML pages saved from the web
        (extracted to ``<stem>.txt``, the page kept as ``<stem>.html``).
    outlet, published : str
        The outlet and the date (``YYYY-MM-DD``) of every file.
    url, language, note : str, optional
        The rows' ``url`` (default: an HTML page's own address), ``language`` (default
        ``"en"``) and ``note`` (an extracted page's note also names the page).
    article_ids : sequence of (str or None), optional
        One id a file, ``None`` to derive it (:func:`derive_article_id`).

    Returns
    -------
    AddReport
        The files and rows added, in the order given, and the check of the corpus.

    Raises
    ------
    InputError
        Naming the file or option, the raw folder left as it was: a bad option; a file
        missing, unreadable, a folder, empty, not UTF-8, badly named or given twice; a
        page without an article; a name or bytes already in the corpus; an id in use;
        a manifest to fix first; a corpus failing its check with the files added.
    """
    raw_dir = Path(raw_dir)
    outlet, published = outlet.strip(), published.strip()
    url, note = (url or "").strip(), (note or "").strip()
    language = (language or DEFAULT_LANGUAGE).strip()
    ids = list(article_ids) if article_ids is not None else [None] * len(files)
    problems = option_problems(files, outlet, published, language, url, note)
    if len(ids) != len(files):
        problems.append(f"{len(ids)} article ids for {len(files)} files; give one a file")
    if problems:
        raise InputError(problems)
    manifest = read_existing(raw_dir)
    sources = prepare_sources(files)
    taken = {row["article_id"] for row in manifest.rows}
    problems = duplicate_problems(sources) + id_problems(ids, sources, taken)
    for source in sources:
        problems += placement_problems(raw_dir, source, manifest)
    rows = new_rows(sources, ids, taken, outlet=outlet, published=published, url=url,
                    language=language, note=note)
    problems += [f"{manifest_path(raw_dir)}: no column {column!r} for the added rows' "
                 f"values; add it to the header ({','.join(NEW_MANIFEST_HEADER)})"
                 for column in missing_columns(manifest, rows)]
    if problems:
        raise InputError(problems)
    new_files = {name: data for source in sources for name, data in source.files().items()
                 if not (raw_dir / name).exists()}
    try:
        report = write_checked(raw_dir, new_files, manifest_bytes(manifest, rows),
                               manifest.data)
    except InputError as error:
        raise InputError([*error.problems, f"{raw_dir}: nothing added; the raw folder is "
                          "as it was"]) from None
    warnings = [f"{s.given}: the page is dated {s.page_date}, --published {published}; the "
                "row has --published" for s in sources if s.page_date not in ("", published)]
    return AddReport(list(zip(sources, rows, strict=True)), report, warnings)
