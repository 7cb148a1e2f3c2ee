"""The ``articles`` and ``sentences`` tables of the raw corpus.

:func:`build_corpus_tables` checks the whole corpus and builds both tables;
:func:`partition_tables` builds them for some manifest rows (a partition of corpus
mode) and :func:`article_tables` for one row.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pandas as pd

from analysis.data.corpus.articles import load_article
from analysis.data.corpus.manifest import DEFAULT_LANGUAGE, field_problems, row_label
from analysis.data.corpus.sentences import sentence_spans
from analysis.data.corpus.validate import check_corpus
from analysis.data.tables import conform, empty_table
from analysis.data.text import tokenize
from analysis.errors import InputError


def _article_records(row: Mapping, raw_dir: str | os.PathLike) -> tuple[dict, list[tuple]]:
    """One article's ``articles`` row and ``sentences`` records (tuples in column order).

    Raises
    ------
    InputError
        With the row's field problems and its file's problems.
    """
    article_id = str(row.get("article_id", ""))
    label = row_label(raw_dir, None, None, article_id)
    loaded = load_article(row, raw_dir)
    problems = [f"{label}: {p}" for p in field_problems(row)] + loaded.problems
    if problems or loaded.parsed is None:
        raise InputError(problems)
    parsed = loaded.parsed
    language = str(row.get("language", "")) or DEFAULT_LANGUAGE
    sentences = [
        (article_id, sentence_id, section, paragraph_id, start, end, language,
         parsed.text[start:end])
        for sentence_id, (section, paragraph_id, start, end) in enumerate(sentence_spans(parsed))
    ]
    article = {
        "article_id": article_id,
        "file": str(row["file"]),
        "sha256": loaded.sha256,
        "title": parsed.title,
        "outlet": str(row.get("outlet", "")),
        "published": str(row.get("published", "")),
        "author": parsed.author,
        "language": language,
        "n_sentences": len(sentences),
        "n_words": sum(len(tokenize(record[-1])) for record in sentences),
    }
    return article, sentences


def _sentences_frame(records: list[tuple]) -> pd.DataFrame:
    columns = ["article_id", "sentence_id", "section", "paragraph_id", "start", "end",
               "language", "text"]
    if not records:
        return empty_table("sentences")
    return conform(pd.DataFrame.from_records(records, columns=columns), "sentences")


def article_tables(row: Mapping, raw_dir: str | os.PathLike) -> tuple[dict, pd.DataFrame]:
    """One article's ``articles`` row and its ``sentences`` rows.

    Cheap and free of global state (beyond the cached tokenizer), so a corpus-scale
    engine can map it over manifest partitions.

    Parameters
    ----------
    row : Mapping
        A manifest row (``article_id``, ``file``, ``outlet``, ``published``; optional
        ``language``, ``sha256``).
    raw_dir : path
        The raw corpus folder.

    Returns
    -------
    article : dict
        The ``articles`` columns; ``sha256`` is the file's hash, ``n_words`` counts
        :func:`analysis.data.text.tokenize` tokens over the sentences (words of any
        script).
    sentences : DataFrame
        Conformed ``sentences`` table of this article, shape (n_sentences, 8); every
        row carries the article's ``language``, so that the per-article measures, which
        read only sentences, know which articles are not English.

    Raises
    ------
    InputError
        With this article's problems (fields and file).
    """
    article, records = _article_records(row, raw_dir)
    return article, _sentences_frame(records)


def partition_tables(manifest: pd.DataFrame,
                     raw_dir: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``articles`` and ``sentences`` tables of some manifest rows.

    The batch form of :func:`article_tables` for a slice of the manifest (e.g. one
    partition of a corpus-scale engine): each table is built and conformed once, not
    once an article. Corpus-level checks (duplicate ids, unlisted files) are not made.

    Parameters
    ----------
    manifest : DataFrame
        Manifest rows, as from :func:`load_manifest`; may be empty.
    raw_dir : path
        The raw corpus folder.

    Returns
    -------
    articles : DataFrame
        Conformed ``articles`` table, one row a manifest row.
    sentences : DataFrame
        Conformed ``sentences`` table of those articles.

    Raises
    ------
    InputError
        With the problems of every bad row, not only the first.
    """
    articles: list[dict] = []
    records: list[tuple] = []
    problems: list[str] = []
    for _, row in manifest.iterrows():
        try:
            article, sentences = _article_records(row, raw_dir)
        except InputError as exc:
            problems += exc.problems
            continue
        articles.append(article)
        records.extend(sentences)
    if problems:
        raise InputError(problems)
    articles_frame = (conform(pd.DataFrame(articles), "articles") if articles
                      else empty_table("articles"))
    return articles_frame, _sentences_frame(records)


def build_corpus_tables(raw_dir: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate the corpus and build the ``articles`` and ``sentences`` tables.

    Parameters
    ----------
    raw_dir : path
        The raw corpus folder.

    Returns
    -------
    articles : DataFrame
        Conformed ``articles`` table, one row an article.
    sentences : DataFrame
        Conformed ``sentences`` table, one row a sentence.

    Raises
    ------
    InputError
        If :func:`check_corpus` finds errors.
    """
    return partition_tables(check_corpus(raw_dir).manifest, raw_dir)
