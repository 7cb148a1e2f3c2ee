"""Small helpers that shape tables for the notebooks and word their computed findings.

The notebooks keep their logic here so that it is tested: the corpus notebook's
provenance and offset checks (:func:`file_provenance`, :func:`verify_offsets`), the
per-section counts (:func:`section_counts`), the framing notebook's audit tables (every
label next to its cue and sentence), wide tables for two compared articles, and the
"What we found" sentences (``*_findings``), which are built from computed values only, so
that they stay true when the corpus or the parameters change.

Every function takes the processed tables (``articles``, ``sentences``,
``guarantee_mentions``, ``frames``, ``quotes``, ``distinctive_terms``) or the summaries
of :mod:`analysis.measures.framing`, works for any number of articles and gives zero rows or
zero counts, never an error, for articles without guarantee content.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from analysis.data.corpus import read_article_text, select_articles
from analysis.data.tables import FRONT_SECTIONS, SECTIONS, section_order
from analysis.data.text import tokenize
from analysis.measures import compare, framing
from analysis.views.formatting import format_p_value, format_proportion

__all__ = [
    "mark_compared",
    "section_counts",
    "file_provenance",
    "verify_offsets",
    "uncovered_lines",
    "sentence_sample",
    "corpus_findings",
    "label_table",
    "labelled_sentences",
    "modality_table",
    "modality_findings",
    "guarantee_density",
    "section_labels",
    "frame_table",
    "frame_cues",
    "quote_table",
    "kwic_table",
    "kwic_counts",
    "guarantee_findings",
    "frame_findings",
    "voice_findings",
    "term_findings",
    "kwic_findings",
]

# ---------------------------------------------------------------------------
# Shared


def mark_compared(table: pd.DataFrame, article_ids: Sequence[str]) -> pd.DataFrame:
    """``table`` with a ``compared`` column after ``article_id``: "A", "B", ... or "".

    Corpus-wide tables show every article; the mark picks out the compared ones.

    Parameters
    ----------
    table : DataFrame
        Any table with an ``article_id`` column.
    article_ids : sequence of str
        The compared articles; the first is marked "A", the second "B", and so on.

    Returns
    -------
    DataFrame
        A copy, same rows, one more column.
    """
    marks = {article_id: chr(ord("A") + i) for i, article_id in enumerate(article_ids)}
    out = table.copy()
    position = list(out.columns).index("article_id") + 1
    out.insert(position, "compared", [marks.get(a, "") for a in out["article_id"]])
    return out


def _section_rank(sections: pd.Series) -> pd.Series:
    """Each section's place in reading order (unknown names after, sorted)."""
    order = {name: i for i, name in enumerate(section_order(sections))}
    return sections.map(order)


def _percent(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.0f}%" if whole else "0%"


def _count(n: int, noun: str) -> str:
    """"1 sentence", "2 sentences"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _join(items: Sequence[str], empty: str = "none") -> str:
    items = list(items)
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


# ---------------------------------------------------------------------------
# Corpus notebook


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
    for article_id in sorted(files):
        raw = read_article_text(Path(raw_dir) / files[article_id])
        yield article_id, raw, sentences.loc[sentences["article_id"] == article_id]


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
    if articles.empty:
        return ["The corpus holds no article."]
    outlets = _join(sorted(set(articles["outlet"])))
    lines = [
        f"The corpus holds {_count(len(articles), 'article')} from {outlets}, published "
        f"{articles['published'].min()} to {articles['published'].max()}: "
        f"{int(articles['n_sentences'].sum())} sentences and "
        f"{int(articles['n_words'].sum())} word tokens."
    ]
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


# ---------------------------------------------------------------------------
# Framing notebook: tables


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


def modality_findings(table: pd.DataFrame, article_ids: Sequence[str]) -> list[str]:
    """One sentence per compared article: how many labels it asserts, demands, conditions.

    Parameters
    ----------
    table : DataFrame
        :func:`modality_table`.
    article_ids : sequence of str

    Returns
    -------
    list of str
    """
    lines = []
    for article_id in article_ids:
        own = table.loc[table["article_id"] == article_id]
        total = int(own[list(framing.MODALITIES)].to_numpy().sum())
        if total == 0:
            lines.append(f"{article_id}: no guarantee label.")
            continue
        parts = []
        for modality in framing.MODALITIES:
            n = int(own[modality].sum())
            labels = own.loc[own[modality] > 0, "label"].tolist()
            shown = f" ({_join(labels)})" if n and modality != framing.MODALITY_ASSERTED else ""
            parts.append(f"{n} {modality}{shown}")
        lines.append(f"{article_id}: of {total} labelled mentions, " + ", ".join(parts) + ".")
    return lines


def guarantee_density(mentions: pd.DataFrame, sentences: pd.DataFrame,
                      by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """How many sentences of each group carry at least one guarantee label.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``.
    sentences : DataFrame
        Table ``sentences`` (defines the groups; every group appears).
    by : sequence of str, default ("article_id",)
        Sentence columns, e.g. ``("article_id", "section")``; sections are put in
        reading order.

    Returns
    -------
    DataFrame
        ``*by``, n_sentences, n_labelled, share (n_labelled / n_sentences, 0 when empty).
    """
    by = list(by)
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


# ---------------------------------------------------------------------------
# Framing notebook: findings


def _leader_text(row: pd.Series | None, what: str) -> str:
    """"europe (4 sentences)" from a row of dominant_labels; ties and absence worded."""
    if row is None or row["label"] == framing.NO_LABEL:
        return f"no {what} affirmed"
    if row["tie"]:
        tied = _join(row["tied_labels"].split("|"))
        return f"{tied} tie as most affirmed {what} ({_count(row['affirmed'], 'sentence')} each)"
    return f"most affirmed {what}: {row['label']} ({_count(row['affirmed'], 'sentence')})"


def _negated_text(summary: pd.DataFrame) -> str:
    ruled_out = summary.loc[summary["negated"] > 0]
    items = [f"{label} ({_count(n, 'sentence')})"
             for label, n in zip(ruled_out["label"], ruled_out["negated"], strict=True)]
    return f"ruled out (negated): {_join(items)}" if items else "no label negated"


def guarantee_findings(summary: pd.DataFrame, dominant: pd.DataFrame, density: pd.DataFrame,
                       article_ids: Sequence[str]) -> list[str]:
    """Findings on guarantors and forms, one sentence per compared article.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.measures.framing.guarantee_summary` by article.
    dominant : DataFrame
        :func:`analysis.measures.framing.dominant_labels` by article (with sentences).
    density : DataFrame
        :func:`guarantee_density` with ``by=("article_id", "section")``.
    article_ids : sequence of str

    Returns
    -------
    list of str
    """
    lines = []
    for article_id in article_ids:
        own = density.loc[density["article_id"] == article_id]
        front = own.loc[own["section"].isin(FRONT_SECTIONS)]
        body = own.loc[~own["section"].isin(FRONT_SECTIONS)]
        top = {row["dimension"]: row
               for _, row in dominant.loc[dominant["article_id"] == article_id].iterrows()}
        labels = summary.loc[summary["article_id"] == article_id]
        lines.append(
            f"{article_id}: {int(own['n_labelled'].sum())} of {int(own['n_sentences'].sum())} "
            f"sentences carry a guarantee label ({int(front['n_labelled'].sum())} of "
            f"{int(front['n_sentences'].sum())} in title/summary/deck, "
            f"{int(body['n_labelled'].sum())} of {int(body['n_sentences'].sum())} in the "
            f"body); {_leader_text(top.get('guarantor'), 'guarantor')}; "
            f"{_leader_text(top.get('form'), 'form')}; {_negated_text(labels)}."
        )
    return lines


def frame_findings(shares: pd.DataFrame, article_ids: Sequence[str]) -> list[str]:
    """The most frequent generic frame of each compared article.

    Parameters
    ----------
    shares : DataFrame
        :func:`analysis.measures.framing.frame_shares` by article.
    article_ids : sequence of str

    Returns
    -------
    list of str
    """
    lines = []
    for article_id in article_ids:
        own = shares.loc[shares["article_id"] == article_id]
        top = int(own["n_with_frame"].max()) if len(own) else 0
        n = int(own["n_sentences"].max()) if len(own) else 0
        if top == 0:
            lines.append(f"{article_id}: no sentence has a generic-frame cue.")
            continue
        leaders = list(own.loc[own["n_with_frame"] == top, "frame"])
        absent = list(own.loc[own["n_with_frame"] == 0, "frame"])
        each = " each" if len(leaders) > 1 else ""
        lines.append(f"{article_id}: most frequent generic frame {_join(leaders)} ({top} of {n} "
                     f"sentences{each}, {_percent(top, n)}); frames without a cue: "
                     f"{_join(absent)}.")
    return lines


def _share_text(row: pd.Series, article_id: str, successes: str, trials: str) -> str:
    return format_proportion(*row[[f"{successes} {article_id}", f"{trials} {article_id}",
                                   f"share_low {article_id}", f"share_high {article_id}"]])


def share_test_findings(density_test: pd.DataFrame, frame_test: pd.DataFrame,
                        article_ids: Sequence[str], alpha: float = 0.05) -> list[str]:
    """The two compared articles' sentence shares, with intervals and Fisher's test.

    Parameters
    ----------
    density_test : DataFrame
        :func:`analysis.measures.proportions.compare_two` of :func:`guarantee_density` by
        article (``n_labelled`` of ``n_sentences``).
    frame_test : DataFrame
        :func:`analysis.measures.proportions.compare_two` of
        :func:`analysis.measures.framing.frame_shares` by article, items ``("frame",)``.
    article_ids : sequence of str
        The two compared articles, as passed to ``compare_two``.
    alpha : float, default 0.05
        Level at which frames are counted as differing (uncorrected).

    Returns
    -------
    list of str
        The share of sentences with a guarantee label, then the generic frame whose
        shares differ most (smallest p) and how many frames differ at ``alpha``.
    """
    a, b = article_ids
    row = density_test.iloc[0]
    lines = [f"Sentences with a guarantee label: {a} "
             f"{_share_text(row, a, 'n_labelled', 'n_sentences')} against {b} "
             f"{_share_text(row, b, 'n_labelled', 'n_sentences')}; Fisher's exact test "
             f"{format_p_value(row['p_fisher'])}."]
    if not frame_test.empty:
        row = frame_test.loc[frame_test["p_fisher"].idxmin()]
        below = int((frame_test["p_fisher"] < alpha).sum())
        lines.append(
            f"Generic frames, largest difference: {row['frame']}, {a} "
            f"{_share_text(row, a, 'n_with_frame', 'n_sentences')} against {b} "
            f"{_share_text(row, b, 'n_with_frame', 'n_sentences')}; Fisher's exact test "
            f"{format_p_value(row['p_fisher'])}; {below} of {len(frame_test)} frames "
            f"differ at p < {alpha:g}, uncorrected for the number of frames.")
    return lines


def voice_findings(voices: pd.DataFrame, article_ids: Sequence[str]) -> list[str]:
    """Who is quoted in each compared article, and from which side.

    Parameters
    ----------
    voices : DataFrame
        :func:`analysis.measures.framing.voice_summary` by article, with ``mentions``.
    article_ids : sequence of str

    Returns
    -------
    list of str
    """
    lines = []
    for article_id in article_ids:
        own = voices.loc[voices["article_id"] == article_id]
        named = own.loc[own["speaker"] != framing.UNKNOWN_SPEAKER]
        if own.empty:
            lines.append(f"{article_id}: no direct quote found.")
            continue
        text = (f"{article_id}: quotes are attributed {int(own['n_quotes'].sum())} times, to "
                f"{_count(len(named), 'named speaker')}")
        if not named.empty:
            top = named.sort_values(["n_quotes", "speaker"], ascending=[False, True],
                                    kind="mergesort").iloc[0]
            text += (f"; most quoted: {top['speaker']} ({_count(top['n_quotes'], 'sentence')}, "
                     f"{top['n_guarantee_quotes']} of them with a guarantee label)")
        sides = named.loc[named["actor"] != ""].groupby("actor")["n_quotes"].sum()
        sides = sides.sort_values(ascending=False, kind="mergesort")
        if not sides.empty:
            text += "; by side: " + ", ".join(f"{a} {int(n)}" for a, n in sides.items())
        unknown = int(own.loc[own["speaker"] == framing.UNKNOWN_SPEAKER, "n_quotes"].sum())
        lines.append(text + (f"; unattributed: {_count(unknown, 'quote')}." if unknown else "."))
    return lines


def term_findings(distinctive: pd.DataFrame, article_ids: Sequence[str], n: int = 5,
                  z_threshold: float = 1.96) -> list[str]:
    """The most distinctive terms of each compared article against the rest of the corpus.

    Parameters
    ----------
    distinctive : DataFrame
        Table ``distinctive_terms``.
    article_ids : sequence of str
    n : int, default 5
        Terms to name.
    z_threshold : float, default 1.96
        z at or above which a term counts as clearly over-used in the article; the
        finding gives how many of its terms are.

    Returns
    -------
    list of str
    """
    lines = []
    top = compare.top_distinctive_terms(select_articles(distinctive, article_ids), n=n)
    for article_id in article_ids:
        own = distinctive.loc[distinctive["article_id"] == article_id]
        best = top.loc[(top["article_id"] == article_id) & (top["z_score"] > 0)]
        if own.empty:
            lines.append(f"{article_id}: no distinctive terms (needs at least two articles "
                         "with content words).")
            continue
        named = ", ".join(f"{t} (z = {z:.2f})" for t, z in zip(best["term"], best["z_score"],
                                                               strict=True))
        over = int((own["z_score"] >= z_threshold).sum())
        lines.append(f"{article_id}: most distinctive terms against the rest of the corpus: "
                     f"{named or 'none'}; terms with z >= {z_threshold}: {over} of {len(own)}.")
    return lines


def kwic_findings(counts: pd.DataFrame, article_ids: Sequence[str]) -> list[str]:
    """One sentence: how often each concordance term occurs in each compared article.

    Parameters
    ----------
    counts : DataFrame
        From :func:`kwic_counts`.
    article_ids : sequence of str

    Returns
    -------
    list of str
    """
    items = [
        f"'{row['term']}' " + " vs ".join(str(int(row[a])) for a in article_ids)
        for _, row in counts.iterrows()
    ]
    return [f"Keyword matches ({' vs '.join(article_ids)}): {_join(items)}."]
