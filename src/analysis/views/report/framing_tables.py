"""The framing notebook's tables: compared articles side by side and every label for audit.

Wide tables of two or more compared articles (:func:`label_table`, :func:`frame_table`),
every guarantee label, frame cue and quote next to its sentence (:func:`labelled_sentences`,
:func:`frame_cues`, :func:`quote_table`), labels by modality (:func:`modality_table`) and
by section (:func:`section_labels`), the share of sentences with a label
(:func:`guarantee_density`), keyword-in-context lines (:func:`kwic_table`,
:func:`kwic_counts`), and the mark of the compared articles in corpus-wide tables
(:func:`mark_compared`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.data import text
from analysis.data.corpus import select_articles
from analysis.data.tables import section_order
from analysis.measures import compare, framing


def mark_compared(table: pd.DataFrame, article_ids: Sequence[str]) -> pd.DataFrame:
    """``table`` with a ``compared`` column after ``article_id``: "A", "B", ... or "";
    the compared articles' rows first.

    Corpus-wide tables show every article; the mark picks out the compared ones, and
    putting their rows first keeps them in view when a long table is shown cut.

    Parameters
    ----------
    table : DataFrame
        Any table with an ``article_id`` column.
    article_ids : sequence of str
        The compared articles; the first is marked "A", the second "B", and so on.

    Returns
    -------
    DataFrame
        A copy with one more column: the rows of A, then B, ..., then the others, each
        in their order in ``table``.
    """
    marks = {article_id: chr(ord("A") + i) for i, article_id in enumerate(article_ids)}
    out = table.copy()
    position = list(out.columns).index("article_id") + 1
    out.insert(position, "compared", [marks.get(a, "") for a in out["article_id"]])
    place = {article_id: i for i, article_id in enumerate(marks)}
    rank = [place.get(a, len(place)) for a in out["article_id"]]
    return out.iloc[np.argsort(rank, kind="stable")]


def _section_rank(sections: pd.Series) -> pd.Series:
    """Each section's place in reading order (unknown names after, sorted)."""
    order = {name: i for i, name in enumerate(section_order(sections))}
    return sections.map(order)


def _side_by_side(summary: pd.DataFrame, article_ids: Sequence[str], keys: Sequence[str],
                  counts: dict[str, str]) -> pd.DataFrame:
    """A per-article summary made wide: one row per item, one column group per article.

    Parameters
    ----------
    summary : DataFrame
        A summary of :mod:`analysis.measures.framing` by article, with columns ``*keys``,
        ``share`` and those of ``counts``.
    article_ids : sequence of str
        The articles to put side by side, in column order.
    keys : sequence of str
        The columns naming an item (a label, a frame).
    counts : dict of str to str
        Count column of ``summary`` to its column name in the table, after the id.

    Returns
    -------
    DataFrame
        ``*keys`` in the order of the first article's rows; for each article
        "<id> <name>" per count and "<id> share %" (percent, one decimal).
    """
    out = summary.loc[summary["article_id"] == article_ids[0], list(keys)]
    out = out.reset_index(drop=True)
    for article_id in article_ids:
        # The framing summaries list every item for every article, zeros included, and
        # in the same order, so the articles' rows line up by position.
        own = summary.loc[summary["article_id"] == article_id].reset_index(drop=True)
        for column, name in counts.items():
            out[f"{article_id} {name}"] = own[column]
        out[f"{article_id} share %"] = (100.0 * own["share"]).round(1)
    return out


def label_table(summary: pd.DataFrame, article_ids: Sequence[str]) -> pd.DataFrame:
    """Affirmed, negated and share per label, one column group per compared article.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.measures.framing.guarantee_summary` with ``by=("article_id",)``.
    article_ids : sequence of str
        The articles to put side by side.

    Returns
    -------
    DataFrame
        One row per (dimension, label) in vocabulary order; for each article the
        columns "<id> affirmed", "<id> negated" (sentence counts) and "<id> share %"
        (percent of the article's affirmed labels of that dimension).
    """
    return _side_by_side(summary, article_ids, ["dimension", "label"],
                         {"affirmed": "affirmed", "negated": "negated"})


def labelled_sentences(mentions: pd.DataFrame, sentences: pd.DataFrame,
                       article_ids: Sequence[str]) -> pd.DataFrame:
    """Every guarantee label of the chosen articles with its cue and sentence, for audit.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``.
    sentences : DataFrame
        Table ``sentences``.
    article_ids : sequence of str

    Returns
    -------
    DataFrame
        One row per label: article_id, sentence_id, section, dimension, label, negated,
        modality, cue (rule id, matched text, what negated it or made it demanded or
        conditional), text; sorted by article, sentence, dimension.
    """
    keys = ["article_id", "sentence_id"]
    out = select_articles(mentions, article_ids).merge(
        sentences[[*keys, "section", "text"]], on=keys, how="left")
    columns = [*keys, "section", "dimension", "label", "negated", "modality", "cue", "text"]
    return out.sort_values([*keys, "dimension", "label"], kind="mergesort")[columns] \
        .reset_index(drop=True)


def modality_table(mentions: pd.DataFrame, article_ids: Sequence[str]) -> pd.DataFrame:
    """How each compared article holds its labels: asserted, demanded or conditional.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``.
    article_ids : sequence of str

    Returns
    -------
    DataFrame
        One row per (article_id, dimension, label) that the article mentions, in the
        articles' and the vocabulary's order: a column of sentence counts per modality
        (:data:`analysis.measures.framing.MODALITIES`) and ``negated``, the sentences of them
        that rule the label out.
    """
    vocabulary = framing.guarantee_vocabulary()
    order = {(d, label): i for i, (d, label) in enumerate(
        (d, label) for d in framing.GUARANTEE_DIMENSIONS for label in vocabulary[d])}
    rows = []
    for article_id in article_ids:
        own = mentions.loc[mentions["article_id"] == article_id]
        for (dimension, label), group in sorted(
                own.groupby(["dimension", "label"]), key=lambda item: order[item[0]]):
            counts = group["modality"].value_counts()
            rows.append({"article_id": article_id, "dimension": dimension, "label": label,
                         **{m: int(counts.get(m, 0)) for m in framing.MODALITIES},
                         "negated": int(group["negated"].sum())})
    columns = ["article_id", "dimension", "label", *framing.MODALITIES, "negated"]
    return pd.DataFrame(rows, columns=columns)


def guarantee_density(mentions: pd.DataFrame, sentences: pd.DataFrame,
                      by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """How many sentences of each group carry at least one guarantee label.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``.
    sentences : DataFrame
        Table ``sentences`` (defines the groups; every group appears). Only English
        sentences count: the guarantee rules are not applied to other languages
        (:data:`analysis.data.text.ENGLISH_ONLY_TABLES`), so their sentences would be
        unlabelled by construction, not by content.
    by : sequence of str, default ("article_id",)
        Sentence columns, e.g. ``("article_id", "section")``; sections are put in
        reading order.

    Returns
    -------
    DataFrame
        ``*by``, n_sentences, n_labelled, share (n_labelled / n_sentences, 0 when empty).
    """
    by = list(by)
    sentences = sentences[text.english_rows(sentences)]
    labelled = set(zip(mentions["article_id"], mentions["sentence_id"], strict=True))
    flagged = sentences.assign(labelled=[
        (a, s) in labelled
        for a, s in zip(sentences["article_id"], sentences["sentence_id"], strict=True)
    ])
    out = flagged.groupby(by, sort=True).agg(n_sentences=("sentence_id", "size"),
                                             n_labelled=("labelled", "sum")).reset_index()
    if "section" in by:
        out = out.assign(_rank=_section_rank(out["section"]))
        out = out.sort_values([c if c != "section" else "_rank" for c in by],
                              kind="mergesort").drop(columns="_rank")
    out = out.astype({"n_sentences": "int64", "n_labelled": "int64"}).reset_index(drop=True)
    out["share"] = out["n_labelled"] / out["n_sentences"].where(out["n_sentences"] > 0)
    out["share"] = out["share"].fillna(0.0)
    return out


def section_labels(section_summary: pd.DataFrame, article_ids: Sequence[str]) -> pd.DataFrame:
    """The labels found in each section of the chosen articles (non-zero rows only).

    Parameters
    ----------
    section_summary : DataFrame
        :func:`analysis.measures.framing.guarantee_summary` with ``by=("article_id", "section")``.
    article_ids : sequence of str

    Returns
    -------
    DataFrame
        article_id, section, n_sentences, dimension, label, affirmed, negated; rows
        with a label affirmed or negated, sections in reading order, labels in
        vocabulary order.
    """
    found = select_articles(section_summary, article_ids)
    found = found.loc[(found["affirmed"] > 0) | (found["negated"] > 0)]
    found = found.assign(_rank=_section_rank(found["section"]),
                         _article=found["article_id"].map(
                             {a: i for i, a in enumerate(article_ids)}))
    found = found.sort_values(["_article", "_rank"], kind="mergesort")
    columns = ["article_id", "section", "n_sentences", "dimension", "label", "affirmed",
               "negated"]
    return found[columns].reset_index(drop=True)


def frame_table(shares: pd.DataFrame, article_ids: Sequence[str]) -> pd.DataFrame:
    """Generic frames side by side: sentences with the frame and their percent, per article.

    Parameters
    ----------
    shares : DataFrame
        :func:`analysis.measures.framing.frame_shares` with ``by=("article_id",)``.
    article_ids : sequence of str

    Returns
    -------
    DataFrame
        One row per frame in lexicon order; per article "<id> sentences" and
        "<id> share %".
    """
    return _side_by_side(shares, article_ids, ["frame"], {"n_with_frame": "sentences"})


def frame_cues(frames: pd.DataFrame, sentences: pd.DataFrame,
               article_ids: Sequence[str]) -> pd.DataFrame:
    """Every generic-frame label of the chosen articles with its cue and sentence.

    Returns
    -------
    DataFrame
        article_id, sentence_id, section, frame, cue, text; the articles in
        ``article_ids`` order, each by sentence.
    """
    keys = ["article_id", "sentence_id"]
    out = select_articles(frames, article_ids).merge(
        sentences[[*keys, "section", "text"]], on=keys, how="left")
    return out[[*keys, "section", "frame", "cue", "text"]].reset_index(drop=True)


def quote_table(quotes: pd.DataFrame, sentences: pd.DataFrame,
                article_ids: Sequence[str]) -> pd.DataFrame:
    """The direct quotes of the chosen articles with section and speaker.

    Returns
    -------
    DataFrame
        article_id, sentence_id, section, speaker, quote; the articles in ``article_ids``
        order, each by sentence.
    """
    keys = ["article_id", "sentence_id"]
    out = select_articles(quotes, article_ids).merge(
        sentences[[*keys, "section"]], on=keys, how="left")
    return out[[*keys, "section", "speaker", "quote"]].reset_index(drop=True)


def kwic_table(sentences: pd.DataFrame, terms: Sequence[str], article_ids: Sequence[str],
               width: int = 40, inflections: bool = True) -> pd.DataFrame:
    """Keyword-in-context lines of several terms in the chosen articles.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``.
    terms : sequence of str
        Words or phrases for :func:`analysis.measures.compare.keyword_in_context`.
    article_ids : sequence of str
    width : int, default 40
        Characters of context on each side.
    inflections : bool, default True
        Also match plural and possessive forms ("guarantees", "Europe's").

    Returns
    -------
    DataFrame
        Column ``term`` then the concordance columns (article_id, sentence_id, section,
        start, end, left, match, right); by term (in ``terms`` order), article, position.
    """
    chosen = select_articles(sentences, article_ids)
    parts = [
        compare.keyword_in_context(chosen, term, width, inflections=inflections)
        .assign(term=term)
        for term in terms
    ]
    columns = ["term", *compare.KWIC_COLUMNS]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def kwic_counts(kwic: pd.DataFrame, terms: Sequence[str],
                article_ids: Sequence[str]) -> pd.DataFrame:
    """Matches per term and article, zeros included.

    Parameters
    ----------
    kwic : DataFrame
        From :func:`kwic_table`.
    terms, article_ids : sequence of str

    Returns
    -------
    DataFrame
        One row per term (in ``terms`` order), one int column per article.
    """
    counts = kwic.groupby(["term", "article_id"]).size()
    grid = pd.MultiIndex.from_product([list(terms), list(article_ids)],
                                      names=["term", "article_id"])
    wide = counts.reindex(grid, fill_value=0).unstack("article_id")
    wide = wide.reindex(index=list(terms), columns=list(article_ids)).astype("int64")
    wide.columns.name = None
    return wide.reset_index()
