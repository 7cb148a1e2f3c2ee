"""The corpus notebook's tables and findings: what the corpus holds and whether it is intact.

Per-section counts (:func:`section_counts`), each file's hash against the manifest and the
built tables (:func:`file_provenance`), the sentence offsets checked against the raw files
(:func:`verify_offsets`), the raw lines no sentence covers (:func:`uncovered_lines`), a
sample of sentences (:func:`sentence_sample`) and the notebook's findings in words
(:func:`corpus_findings`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.data.corpus import read_article_text
from analysis.data.tables import SECTIONS, section_order
from analysis.data.text import english_rows, tokenize
from analysis.views.formatting import format_count, format_list


def section_counts(sentences: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs, sentences and word tokens per article and section.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``.

    Returns
    -------
    DataFrame
        One row per article and section (every section of :data:`SECTIONS`, zeros
        included), sections in reading order: article_id, section, n_paragraphs,
        n_sentences, n_words (tokens of :func:`analysis.data.text.tokenize`).
    """
    sections = section_order([*SECTIONS, *sentences["section"]])
    counted = sentences.assign(n_words=[len(tokenize(t)) for t in sentences["text"]])
    sums = counted.groupby(["article_id", "section"], sort=False).agg(
        n_paragraphs=("paragraph_id", "nunique"), n_sentences=("sentence_id", "size"),
        n_words=("n_words", "sum"))
    grid = pd.MultiIndex.from_product([sorted(set(sentences["article_id"])), sections],
                                      names=["article_id", "section"])
    out = sums.reindex(grid, fill_value=0).reset_index()
    return out.astype({"n_paragraphs": "int64", "n_sentences": "int64", "n_words": "int64"})


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _hash_check(expected: str, actual: str, absent: str) -> str:
    if not expected:
        return absent
    return "match" if expected.lower() == actual else "DIFFERS"


def file_provenance(manifest: pd.DataFrame, articles: pd.DataFrame,
                    raw_dir: str | os.PathLike) -> pd.DataFrame:
    """Each article file's SHA-256, recomputed now, against the manifest and ``articles``.

    Parameters
    ----------
    manifest : DataFrame
        The manifest from :func:`analysis.data.corpus.load_manifest`.
    articles : DataFrame
        Table ``articles``, whose ``sha256`` records the bytes the tables were built from.
    raw_dir : path-like
        The raw corpus folder the manifest's ``file`` paths are relative to.

    Returns
    -------
    DataFrame
        One row per manifest row, sorted by article_id: article_id, file, n_bytes,
        sha256 (of the file now, "" if it is missing), manifest_check ("match",
        "DIFFERS" or "not given") and tables_check ("match", "DIFFERS" or "not built":
        the article is not in ``articles``).
    """
    built = dict(zip(articles["article_id"], articles["sha256"], strict=True))
    rows = []
    for article_id, file, expected in zip(manifest["article_id"], manifest["file"],
                                          manifest["sha256"], strict=True):
        path = Path(raw_dir) / file
        found = path.is_file()
        digest = _sha256(path) if found else ""
        rows.append({
            "article_id": article_id, "file": file,
            "n_bytes": path.stat().st_size if found else 0, "sha256": digest,
            "manifest_check": _hash_check(expected, digest, "not given"),
            "tables_check": _hash_check(built.get(article_id, ""), digest, "not built"),
        })
    columns = ["article_id", "file", "n_bytes", "sha256", "manifest_check", "tables_check"]
    out = pd.DataFrame(rows, columns=columns).astype({"n_bytes": "int64"})
    return out.sort_values("article_id", kind="mergesort").reset_index(drop=True)


def _raw_text_by_article(sentences: pd.DataFrame, articles: pd.DataFrame,
                         raw_dir: str | os.PathLike) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """``(article_id, raw text, the article's sentences)`` per article, in id order.

    Arguments as for :func:`verify_offsets`; the raw text is the file decoded by
    :func:`analysis.data.corpus.read_article_text`, the text the sentence offsets index.
    """
    files = dict(zip(articles["article_id"], articles["file"], strict=True))
    # One grouping pass: selecting each article's rows by a mask would cost articles x rows.
    by_article = dict(tuple(sentences.groupby("article_id", sort=False)))
    no_sentences = sentences.iloc[:0]
    for article_id in sorted(files):
        raw = read_article_text(Path(raw_dir) / files[article_id])
        yield article_id, raw, by_article.get(article_id, no_sentences)


def verify_offsets(sentences: pd.DataFrame, articles: pd.DataFrame,
                   raw_dir: str | os.PathLike) -> pd.DataFrame:
    """Check ``raw_text[start:end] == text`` for every sentence, against the raw files.

    The raw text is the file decoded by :func:`analysis.data.corpus.read_article_text` (strict
    UTF-8, no newline translation), the text the offsets index.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``.
    articles : DataFrame
        Table ``articles`` (``article_id`` and ``file``).
    raw_dir : path-like
        The raw corpus folder.

    Returns
    -------
    DataFrame
        One row per article of ``articles``: article_id, n_sentences, n_verified,
        failed (the sentence_ids whose text differs, space-separated, "" when none).
    """
    rows = []
    for article_id, raw, own in _raw_text_by_article(sentences, articles, raw_dir):
        failed = [
            int(sentence_id)
            for sentence_id, start, end, text in zip(own["sentence_id"], own["start"],
                                                     own["end"], own["text"], strict=True)
            if raw[int(start):int(end)] != text
        ]
        rows.append({"article_id": article_id, "n_sentences": len(own),
                     "n_verified": len(own) - len(failed),
                     "failed": " ".join(str(i) for i in failed)})
    columns = ["article_id", "n_sentences", "n_verified", "failed"]
    return pd.DataFrame(rows, columns=columns).astype({"n_sentences": "int64",
                                                       "n_verified": "int64"})


def uncovered_lines(sentences: pd.DataFrame, articles: pd.DataFrame,
                    raw_dir: str | os.PathLike) -> pd.DataFrame:
    """Lines of each raw file that no sentence touches: what the parser left out.

    These are the layout lines (``Summary`` header), the byline, outlet boilerplate and
    image links; anything else here would be text lost by the parser.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``.
    articles : DataFrame
        Table ``articles`` (``article_id`` and ``file``).
    raw_dir : path-like
        The raw corpus folder.

    Returns
    -------
    DataFrame
        One row per non-blank uncovered line: article_id, line (1-based), start, end
        (character offsets of the line without its line break), text.
    """
    rows = []
    for article_id, raw, own in _raw_text_by_article(sentences, articles, raw_dir):
        spans = list(zip(own["start"].astype(int), own["end"].astype(int), strict=True))
        start = 0
        for number, line in enumerate(raw.splitlines(keepends=True), start=1):
            text = line.rstrip("\r\n")
            end = start + len(text)
            touched = any(s < end and e > start for s, e in spans)
            if text.strip() and not touched:
                rows.append((article_id, number, start, end, text))
            start += len(line)
    columns = ["article_id", "line", "start", "end", "text"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"line": "int64", "start": "int64", "end": "int64"})


def sentence_sample(sentences: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The first ``n`` sentences of each article, in reading order.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``.
    n : int, default 5
        Sentences per article.

    Returns
    -------
    DataFrame
        At most ``n`` rows per article, all columns of the table, fresh index.
    """
    ordered = sentences.sort_values(["article_id", "sentence_id"], kind="mergesort")
    return ordered.groupby("article_id", sort=True).head(n).reset_index(drop=True)


# Outlets named one by one up to this many; a larger corpus gives their number.
MAX_OUTLETS_NAMED = 3


def corpus_line(articles: pd.DataFrame) -> str:
    """The corpus in one sentence: articles, outlets, dates, sentences, word tokens, languages.

    Parameters
    ----------
    articles : DataFrame
        Table ``articles``.

    Returns
    -------
    str
        E.g. "The corpus holds 2 articles from The Korea Economic Daily, published
        2025-02-27 to 2025-12-15: 48 sentences and 1118 word tokens." Outlets are named
        up to :data:`MAX_OUTLETS_NAMED`, counted beyond; languages other than English
        are counted.
    """
    if articles.empty:
        return "The corpus holds no article."
    outlets = sorted(set(articles["outlet"]))
    named = (format_list(outlets) if len(outlets) <= MAX_OUTLETS_NAMED
             else f"{len(outlets)} outlets")
    other = articles.loc[~english_rows(articles), "language"].value_counts()
    languages = "" if other.empty else " Not in English: " + format_list(
        [f"{format_count(int(n), 'article')} in {language}"
         for language, n in sorted(other.items())]) + "."
    return (f"The corpus holds {format_count(len(articles), 'article')} from {named}, "
            f"published {articles['published'].min()} to {articles['published'].max()}: "
            f"{int(articles['n_sentences'].sum())} sentences and "
            f"{int(articles['n_words'].sum())} word tokens.{languages}")


def corpus_findings(articles: pd.DataFrame, counts: pd.DataFrame, offsets: pd.DataFrame,
                    provenance: pd.DataFrame) -> list[str]:
    """The corpus notebook's findings, one sentence a string.

    Parameters
    ----------
    articles : DataFrame
        Table ``articles``.
    counts : DataFrame
        From :func:`section_counts`.
    offsets : DataFrame
        From :func:`verify_offsets`.
    provenance : DataFrame
        From :func:`file_provenance`.

    Returns
    -------
    list of str
    """
    lines = [corpus_line(articles)]
    if articles.empty:
        return lines
    for row in articles.itertuples(index=False):
        own = counts.loc[counts["article_id"] == row.article_id]
        parts = ", ".join(f"{s} {n}" for s, n in zip(own["section"], own["n_sentences"],
                                                       strict=True))
        author = f"by {row.author}" if row.author else "no byline found"
        lines.append(f"{row.article_id} ({row.published}, {author}): {row.n_sentences} "
                     f"sentences ({parts}) and {row.n_words} word tokens.")
    verified, total = int(offsets["n_verified"].sum()), int(offsets["n_sentences"].sum())
    lines.append(f"Offsets: {verified} of {total} sentences satisfy raw[start:end] == text.")
    checks = provenance["manifest_check"]
    lines.append(
        f"File hashes: {int((checks == 'match').sum())} of {len(provenance)} files match the "
        f"manifest's sha256 ({int((checks == 'not given').sum())} without one, "
        f"{int((checks == 'DIFFERS').sum())} differing); "
        f"{int((provenance['tables_check'] == 'match').sum())} match the hash recorded in "
        "articles.csv."
    )
    return lines
