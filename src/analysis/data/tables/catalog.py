"""The catalog of processed tables, and frames checked against it.

Every processed table is declared here once (:data:`TABLES`): its name, key, columns and
their kinds, and a description. :func:`conform` checks and casts a frame to its table,
:func:`empty_table` gives a table without rows, and :func:`require_columns` checks the
columns of a frame a function is given.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

_KINDS = {"str", "int", "float", "bool"}


@dataclass(frozen=True)
class TableSpec:
    """One processed table.

    Attributes
    ----------
    name : str
        Table name; the file is ``<name>.csv``.
    key : tuple of str
        Columns that identify a row; rows are sorted by them.
    columns : dict
        Column name to kind, one of ``"str"``, ``"int"``, ``"float"``, ``"bool"``,
        in file order.
    description : str
        One line for ``data/processed/README.md`` readers.
    defaults : dict
        Column name to the value :func:`conform` fills in when a frame lacks that
        column: a column added to a table after folders were built with the table
        without it (the value is what those folders' rows meant).
    """

    name: str
    key: tuple[str, ...]
    columns: dict[str, str]
    description: str = ""
    defaults: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = {kind for kind in self.columns.values() if kind not in _KINDS}
        if unknown:
            raise ValueError(f"table {self.name}: unknown column kinds {sorted(unknown)}")
        missing = [k for k in self.key if k not in self.columns]
        if missing:
            raise ValueError(f"table {self.name}: key columns {missing} are not columns")
        undeclared = [c for c in self.defaults if c not in self.columns]
        if undeclared:
            raise ValueError(f"table {self.name}: defaults for {undeclared}, which are not "
                             "columns")

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def path(self, directory: str | os.PathLike) -> Path:
        return Path(directory) / self.filename


def _spec(name, key, columns, description="", defaults=None):
    return TableSpec(name=name, key=tuple(key), columns=dict(columns), description=description,
                     defaults=dict(defaults or {}))


_SENTENCE_KEY = {"article_id": "str", "sentence_id": "int"}

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        _spec(
            "articles",
            ["article_id"],
            {
                "article_id": "str", "file": "str", "sha256": "str", "title": "str",
                "outlet": "str", "published": "str", "author": "str", "language": "str",
                "n_sentences": "int", "n_words": "int",
            },
            "One row an article: manifest facts, file hash, parsed title and byline author.",
        ),
        _spec(
            "sentences",
            ["article_id", "sentence_id"],
            {
                **_SENTENCE_KEY, "section": "str", "paragraph_id": "int",
                "start": "int", "end": "int", "language": "str", "text": "str",
            },
            "One row a sentence, in reading order; raw_text[start:end] == text; language "
            "is the article's (manifest, default en): the English-only measures "
            "(guarantee_mentions, frames, quotes, sentiment) skip other languages.",
            # Sentences built before the column was added (and frames made by hand)
            # are English: the manifest's default.
            defaults={"language": "en"},
        ),
        _spec(
            "guarantee_mentions",
            ["article_id", "sentence_id", "dimension", "label", "negated"],
            {
                **_SENTENCE_KEY, "dimension": "str", "label": "str", "negated": "bool",
                "modality": "str", "cue": "str",
            },
            "Security-guarantee framing: guarantor and form labels of a sentence, with negation "
            "and modality (asserted, demanded, conditional; docs/codebook.md).",
        ),
        _spec(
            "frames",
            ["article_id", "sentence_id", "frame"],
            {**_SENTENCE_KEY, "frame": "str", "cue": "str"},
            "Generic news frames (Semetko & Valkenburg 2000) a sentence signals.",
        ),
        _spec(
            "quotes",
            ["article_id", "sentence_id", "speaker"],
            {**_SENTENCE_KEY, "speaker": "str", "quote": "str"},
            "Direct quotes with their speaker resolved to a canonical name.",
        ),
        _spec(
            "sentiment",
            ["article_id", "sentence_id"],
            {
                **_SENTENCE_KEY, "vader_compound": "float", "vader_pos": "float",
                "vader_neu": "float", "vader_neg": "float", "textblob_polarity": "float",
                "textblob_subjectivity": "float",
            },
            "Per-sentence sentiment: VADER (reference lexicon) and TextBlob (pattern lexicon).",
        ),
        _spec(
            "topic_terms",
            ["model", "k", "seed", "topic", "rank"],
            {
                "model": "str", "k": "int", "seed": "int", "topic": "int", "rank": "int",
                "term": "str", "weight": "float",
            },
            "Top terms of each topic of an LDA/NMF fit; a topic that continues one of the "
            "previous build's keeps its number, new topics are numbered by corpus share; "
            "weight = the term's share of the topic's term mass.",
        ),
        _spec(
            "topic_weights",
            ["model", "k", "seed", "article_id", "sentence_id", "topic"],
            {
                "model": "str", "k": "int", "seed": "int", **_SENTENCE_KEY, "topic": "int",
                "weight": "float",
            },
            "Sentence-topic weights of a fit (a sentence's weights sum to 1); sentences "
            "without content words are not fitted.",
        ),
        _spec(
            "topic_prevalence",
            ["model", "k", "seed", "article_id", "topic"],
            {
                "model": "str", "k": "int", "seed": "int", "article_id": "str",
                "topic": "int", "share": "float", "n_documents": "int",
            },
            "Topic share per article: mean sentence-topic weight over its n_documents "
            "fitted sentences.",
        ),
        _spec(
            "topic_stability",
            ["model", "k", "reference_seed", "seed"],
            {
                "model": "str", "k": "int", "reference_seed": "int", "seed": "int",
                "jaccard": "float", "min_jaccard": "float",
            },
            "Topic agreement of a refit on a seeded 80% resample of the sentences with the "
            "full-data reference fit: mean and minimum Average Jaccard of ranked top terms "
            "(the Jaccard index of the top-d terms averaged over d) over Hungarian-matched "
            "topic pairs (Greene et al. 2014).",
        ),
        _spec(
            "topic_matches",
            ["model", "k", "reference_seed", "seed", "reference_topic"],
            {
                "model": "str", "k": "int", "reference_seed": "int", "seed": "int",
                "reference_topic": "int", "topic": "int", "jaccard": "float",
            },
            "The topic pairs behind topic_stability: each reference topic, the refit's "
            "topic matched to it and the Average Jaccard of their ranked top terms.",
        ),
        _spec(
            "topic_sweep",
            ["model", "k"],
            {
                "model": "str", "k": "int", "n_seeds": "int", "n_top_terms": "int",
                "n_documents": "int", "n_terms": "int", "coherence_npmi": "float",
                "coherence_umass": "float", "stability_jaccard": "float",
                "perplexity": "float", "score": "float",
            },
            "One row per (model, k), averaged over seeds: NPMI/UMass coherence, stability "
            "(mean Average-Jaccard agreement), "
            "LDA in-sample perplexity, score = stability * (1 + NPMI) / 2 that picks k.",
        ),
        _spec(
            "topic_choice",
            ["model", "n_refits"],
            {
                "model": "str", "n_refits": "int", "k": "int", "score": "float",
                "stability_jaccard": "float", "coherence_npmi": "float",
            },
            "The k the sweep chooses for each model when stability rests on n_refits "
            "refits (the first n_refits of the sweep's), with that k's score, stability "
            "and NPMI: the choice has settled when it stays the same up to the sweep's "
            "own number of refits (n_seeds - 1).",
        ),
        _spec(
            "distinctive_terms",
            ["article_id", "term"],
            {
                "article_id": "str", "term": "str", "count": "int", "count_rest": "int",
                "rate_per_1000": "float", "rate_rest_per_1000": "float", "log_odds": "float",
                "z_score": "float", "log_likelihood": "float", "p_value": "float",
                "q_value": "float",
            },
            "Content terms of each article against the rest of the corpus: log-odds with "
            "informative Dirichlet prior and its z (Monroe et al. 2008), signed G2 keyness, "
            "its p and the Benjamini-Hochberg q over the article's terms.",
        ),
        _spec(
            "article_sentiment",
            ["article_id", "measure"],
            {
                "article_id": "str", "measure": "str", "n": "int", "mean": "float",
                "ci_low": "float", "ci_high": "float",
            },
            "Mean sentence score per article (vader_compound, textblob_polarity) over n "
            "sentences, with a 95% BCa bootstrap interval (fixed seed).",
        ),
        _spec(
            "aspect_sentiment",
            ["article_id", "aspect_type", "aspect"],
            {
                "article_id": "str", "aspect_type": "str", "aspect": "str", "n": "int",
                "n_negated": "int", "mean_vader_compound": "float",
                "mean_textblob_polarity": "float",
            },
            "Mean sentence sentiment per guarantor/form label (n_negated of n sentences "
            "negate it) and per voice (quote vs narrator sentences).",
        ),
    ]
}


def spec_for(name: str) -> TableSpec:
    """Return the declared spec of table ``name`` (``KeyError`` names the known ones)."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known tables: {sorted(TABLES)}") from None


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    spec = spec_for(name)
    return conform(pd.DataFrame({col: [] for col in spec.columns}), name)


def conform(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Check and cast ``df`` to table ``name``: declared columns in order, rows sorted by key.

    Parameters
    ----------
    df : DataFrame
        Must have exactly the declared columns (in any order); a column with a default
        (:attr:`TableSpec.defaults`) may be missing and is then filled with it.
    name : str
        Table name in :data:`TABLES`.

    Returns
    -------
    DataFrame
        A new frame, columns ordered and typed, sorted by the key, with a fresh index.

    Raises
    ------
    ValueError
        If columns are missing or extra, or the key is not unique.
    """
    spec = spec_for(name)
    filled = {c: value for c, value in spec.defaults.items() if c not in df.columns}
    if filled:
        df = df.assign(**filled)
    missing = [c for c in spec.columns if c not in df.columns]
    extra = [c for c in df.columns if c not in spec.columns]
    if missing or extra:
        raise ValueError(f"table {name}: missing columns {missing}, unexpected columns {extra}")
    out = df.loc[:, list(spec.columns)].copy()
    for col, kind in spec.columns.items():
        if kind == "str":
            out[col] = out[col].fillna("").astype(str).astype(object)
        elif kind == "int":
            out[col] = out[col].astype("int64")
        elif kind == "float":
            out[col] = out[col].astype("float64")
        else:
            out[col] = out[col].astype(bool)
    out = out.sort_values(list(spec.key), kind="mergesort").reset_index(drop=True)
    if out.duplicated(list(spec.key)).any():
        dupes = out.loc[out.duplicated(list(spec.key), keep=False), list(spec.key)]
        raise ValueError(f"table {name}: duplicate keys {dupes.head(5).to_dict('records')}")
    return out


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Check that ``frame`` has ``columns``.

    Parameters
    ----------
    frame : DataFrame
        The frame a function was given.
    columns : sequence of str
        Columns the function needs.
    what : str
        Name of the frame in the message, e.g. ``"sentences"``.

    Raises
    ------
    ValueError
        Naming the missing columns and the columns ``frame`` has.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks columns {missing}; it has {list(frame.columns)}")
