"""The corpus's label shares, as the tool counts them and as its coded sample corrects them.

The notebooks report shares of sentences that affirm a guarantee label (per article, per
month, per outlet, for the corpus). :func:`label_outcomes` lays out, for every sentence
and label, the tool's call, the coders' consensus where the sentence was coded, and its
inclusion probability; :func:`label_shares` turns that into the naive and the
DSL-corrected share of each group (:mod:`analysis.measures.validation.corrected`), and
:func:`sample_coverage` says whether the coded sample still is a probability sample of
the corpus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.periods import publication_periods
from analysis.data.tables import require_columns
from analysis.measures.validation.agreement import Consensus
from analysis.measures.validation.corrected import corrected_shares

UNIT = ("article_id", "sentence_id")
LABEL = ("dimension", "label")
GROUPINGS = ("corpus", "article", "period")


def label_outcomes(mentions: pd.DataFrame, sentences: pd.DataFrame, agreed: Consensus,
                   inclusion: pd.DataFrame, vocabulary: Mapping[str, Sequence[str]]
                   ) -> pd.DataFrame:
    """Per sentence and label: the tool's call, the coders' consensus and π.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``; a label counts as the tool's when affirmed (not
        negated).
    sentences : DataFrame, shape (n_sentences, ...)
        Table ``sentences``: every sentence the shares are over.
    agreed : Consensus
        :func:`analysis.measures.validation.agreement.consensus` of the coded sheets.
    inclusion : DataFrame
        article_id, sentence_id, inclusion_probability of each coded sentence.
    vocabulary : mapping of str to sequence of str
        Labels per dimension.

    Returns
    -------
    DataFrame, shape (n_sentences * n_labels, 7)
        article_id, sentence_id, dimension, label, predicted (0/1), coded (1/0 where
        the consensus decides, nan where the sentence was not coded or its coders tie
        on the label) and inclusion_probability (nan where not coded).
    """
    require_columns(mentions, (*UNIT, *LABEL, "negated"), "guarantee_mentions")
    units = sentences[list(UNIT)].astype({"sentence_id": "int64"})
    labels = pd.DataFrame([(d, lab) for d, labs in vocabulary.items() for lab in labs],
                          columns=list(LABEL))
    table = units.merge(labels, how="cross")
    affirmed = mentions.loc[~mentions["negated"].astype(bool), [*UNIT, *LABEL]]
    table = _flag(table, affirmed, "predicted")
    table = _flag(table, agreed.labels[[*UNIT, *LABEL]], "affirmed_by_coders")
    table = _flag(table, agreed.ties[[*UNIT, *LABEL]], "tied")
    pi = inclusion[[*UNIT, "inclusion_probability"]].drop_duplicates(list(UNIT))
    table = table.merge(pi.astype({"sentence_id": "int64"}), on=list(UNIT), how="left")
    coded = table["affirmed_by_coders"].astype(float)
    table["coded"] = coded.where(table["inclusion_probability"].notna()
                                 & (table["tied"] == 0))
    columns = [*UNIT, *LABEL, "predicted", "coded", "inclusion_probability"]
    return table[columns].sort_values([*UNIT, *LABEL], kind="mergesort").reset_index(drop=True)


def _flag(table: pd.DataFrame, keys: pd.DataFrame, name: str) -> pd.DataFrame:
    """``table`` with an int column ``name``: 1 where its unit and label are in ``keys``."""
    marked = keys.drop_duplicates().astype({"sentence_id": "int64"}).assign(**{name: 1})
    table = table.merge(marked, on=[*UNIT, *LABEL], how="left")
    return table.assign(**{name: table[name].fillna(0).astype("int64")})


def label_shares(outcomes: pd.DataFrame, articles: pd.DataFrame, by: str = "corpus",
                 level: float = 0.95, freq: str = "M") -> pd.DataFrame:
    """Naive and corrected share of sentences affirming each label, per group.

    Parameters
    ----------
    outcomes : DataFrame
        :func:`label_outcomes`.
    articles : DataFrame
        Table ``articles`` (article_id, published, outlet).
    by : str, default "corpus"
        The groups: ``"corpus"``, ``"article"``, ``"period"`` or a column of
        ``articles`` (``"outlet"``).
    level : float, default 0.95
        Coverage of the intervals.
    freq : str, default "M"
        The period of ``by="period"`` as a pandas period frequency, named as
        :func:`analysis.views.trends.with_period` names it (``"2025-02"``, ``"2025Q1"``).

    Returns
    -------
    DataFrame
        ``group`` (the article id, period or column value; ``"corpus"``), dimension, label,
        then
        the fields of :class:`~analysis.measures.validation.corrected.CorrectedShare`
        (n, n_coded, naive, naive_low, naive_high, estimate, se, low, high,
        width_ratio), sorted by group, dimension and label. A group without coded
        sentences has nan corrected fields: its share cannot be corrected.
    """
    require_columns(articles, ("article_id", "published"), "articles")
    if by not in GROUPINGS and by not in articles.columns:
        raise ValueError(f"by must be one of {GROUPINGS} or a column of articles, got {by!r}")
    per_article = articles.set_index("article_id")
    if by == "corpus":
        group = pd.Series("corpus", index=per_article.index)
    elif by == "article":
        group = pd.Series(per_article.index, index=per_article.index)
    elif by == "period":
        group = publication_periods(per_article["published"], freq)
    else:
        group = per_article[by].astype(str)
    table = outcomes.assign(group=outcomes["article_id"].map(group))
    return corrected_shares(table, ["group", *LABEL], level=level)


@dataclass(frozen=True)
class SampleCoverage:
    """How the coded sample relates to the corpus.

    Attributes
    ----------
    n_sentences : int
        Sentences in the corpus now.
    n_coded : int
        Coded sentences among them.
    n_drawn_from : float
        The corpus size the sample's inclusion probabilities imply, ``sum(1 / π)``.
    valid : bool
        Whether the sample is a probability sample of this corpus: the implied size
        equals the corpus's (within 0.5 sentence). When sentences were added after the
        draw they had no chance to be coded, and the corrected shares would be biased.
    how : str
        One sentence for the reader.
    """

    n_sentences: int
    n_coded: int
    n_drawn_from: float
    valid: bool
    how: str


def sample_coverage(inclusion: pd.DataFrame, sentences: pd.DataFrame) -> SampleCoverage:
    """Whether the coded sample (its inclusion probabilities) covers this corpus."""
    coded = inclusion.drop_duplicates(list(UNIT))
    n, n_coded = len(sentences), len(coded)
    drawn_from = float((1.0 / coded["inclusion_probability"].astype(float)).sum())
    valid = n_coded > 0 and bool(np.isclose(drawn_from, n, atol=0.5))
    if n_coded == 0:
        how = "No coded sample: every share is the tool's count, uncorrected."
    elif valid:
        how = (f"{n_coded} of the corpus's {n} sentences are coded by hand, a probability "
               f"sample of this corpus (the inclusion probabilities add up to its size): "
               f"shares are corrected by it.")
    else:
        how = (f"{n_coded} sentences are coded, but their inclusion probabilities imply a "
               f"corpus of {drawn_from:.0f} sentences, not this one's {n}: the sample was "
               f"drawn from another version of the corpus, so the corrected shares are not "
               f"valid for this one. Draw and code a new sample (python -m analysis "
               f"codesheet).")
    return SampleCoverage(n, n_coded, drawn_from, valid, how)
