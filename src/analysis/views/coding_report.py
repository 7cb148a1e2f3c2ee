"""What notebook 07 shows of the hand-coded sample: agreement, scores, corrected shares.

:func:`load_sample` reads the coding folder of a run (or notes that there is none),
checks it against the corpus and computes what 07 shows from it: the coders' consensus,
the per-sentence outcomes the corrected shares rest on and whether the sample covers
the corpus. The ``*_table`` functions shape its results for display, and
:func:`validation_findings` words them, from computed values only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.measures import framing
from analysis.measures.validation import agreement, coding, corrected, error_aware
from analysis.views.formatting import format_count

SHARE_COLUMNS = ("group", "dimension", "label", "n", "n_coded", "naive", "naive_low",
                 "naive_high", "estimate", "low", "high", "width_ratio")


@dataclass(frozen=True)
class CodedSample:
    """A corpus's hand-coded sample and what follows from it (``coding`` None: none).

    Attributes
    ----------
    coding : Coding or None
        The checked sheets and their manifest.
    agreed : Consensus or None
        The coders' consensus.
    outcomes : DataFrame or None
        :func:`analysis.measures.validation.error_aware.label_outcomes`.
    coverage : SampleCoverage
        Whether the sample covers this corpus; its ``how`` says so in one sentence.
    """

    coding: coding.Coding | None
    agreed: agreement.Consensus | None
    outcomes: pd.DataFrame | None
    coverage: error_aware.SampleCoverage

    @property
    def corrects(self) -> bool:
        """Whether shares can be corrected by this sample."""
        return self.coding is not None and self.coverage.valid


def load_sample(coding_dir: str | os.PathLike | None, sentences: pd.DataFrame,
                mentions: pd.DataFrame) -> CodedSample:
    """The coded sample in ``coding_dir`` (None, or a folder without ``coders.csv``: none).

    Raises
    ------
    analysis.errors.InputError
        A bad manifest or sheet, naming file and row.
    """
    no_sample = pd.DataFrame(columns=["article_id", "sentence_id", "inclusion_probability"])
    if coding_dir is None or not (Path(coding_dir) / coding.CODERS_FILE).is_file():
        return CodedSample(None, None, None, error_aware.sample_coverage(no_sample, sentences))
    read = coding.read_coding(coding_dir, sentences)
    agreed = agreement.consensus(read.coded)
    outcomes = error_aware.label_outcomes(mentions, sentences, agreed, read.coded,
                                          framing.guarantee_vocabulary())
    return CodedSample(read, agreed, outcomes,
                       error_aware.sample_coverage(read.coded, sentences))


def coders_table(sample: CodedSample) -> pd.DataFrame:
    """The coders' manifest with the number of sentences each coded."""
    if sample.coding is None:
        return pd.DataFrame(columns=["coder", "role", "coded_on", "n_sentences", "file"])
    counts = sample.coding.coded.groupby("coder").size().rename("n_sentences")
    return (sample.coding.coders.merge(counts, left_on="coder", right_index=True, how="left")
            [["coder", "role", "coded_on", "n_sentences", "file"]])


def alpha_table(sample: CodedSample, mentions: pd.DataFrame) -> pd.DataFrame:
    """Krippendorff's alpha per dimension and label (empty without a sample)."""
    if sample.coding is None:
        return pd.DataFrame(columns=["dimension", "label", "comparison", "n_units", "alpha"])
    return agreement.alpha_table(sample.coding.coded, mentions, framing.guarantee_vocabulary())


def scores_table(sample: CodedSample, mentions: pd.DataFrame) -> pd.DataFrame:
    """The tool's precision, recall and F1 against the consensus, labels it ever met."""
    if sample.agreed is None:
        return pd.DataFrame(columns=["dimension", "label", "tp", "fp", "fn", "precision",
                                     "recall", "f1"])
    scores = agreement.tool_scores(sample.agreed, mentions, framing.guarantee_vocabulary())
    met = (scores[["tp", "fp", "fn"]].sum(axis=1) > 0) | (scores["label"] == "(all)")
    return scores.loc[met].reset_index(drop=True)


def confusion(sample: CodedSample, mentions: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Sentences by the consensus's label set and the tool's (empty without a sample)."""
    if sample.agreed is None:
        return pd.DataFrame(columns=["consensus"])
    return agreement.confusion_table(sample.agreed, mentions, dimension)


def disagreement_table(sample: CodedSample, mentions: pd.DataFrame,
                       sentences: pd.DataFrame) -> pd.DataFrame:
    """Every (sentence, label) the tool and the consensus decide differently, with cue."""
    if sample.agreed is None:
        return pd.DataFrame(columns=["article_id", "sentence_id", "dimension", "label",
                                     "coders", "tool", "cue", "text"])
    return agreement.disagreements(sample.agreed, mentions, sentences)


def shares_table(sample: CodedSample, articles: pd.DataFrame, by: str = "corpus",
                 groups: Sequence[str] | None = None, freq: str = "M") -> pd.DataFrame:
    """Naive and corrected shares of labelled sentences side by side, labels that occur.

    Parameters
    ----------
    sample : CodedSample
    articles : DataFrame
        Table ``articles``.
    by : str
        ``"corpus"``, ``"article"``, ``"period"`` or a column of ``articles``.
    groups : sequence of str, optional
        Keep these groups only (the compared articles, say), in this order.
    freq : str, default "M"
        The period of ``by="period"`` (pandas frequency).

    Returns
    -------
    DataFrame
        ``SHARE_COLUMNS``; rows of labels that the tool or the coders found somewhere
        in the corpus. Empty without a sample that covers the corpus.
    """
    if not sample.corrects:
        return pd.DataFrame(columns=list(SHARE_COLUMNS))
    shares = error_aware.label_shares(sample.outcomes, articles, by, freq=freq)
    found = sample.outcomes.groupby(["dimension", "label"]).apply(
        lambda own: bool(own["predicted"].any() or (own["coded"] == 1).any()),
        include_groups=False)
    shares = shares.loc[[found[(d, lab)] for d, lab in zip(shares["dimension"],
                                                          shares["label"], strict=True)]]
    if groups is not None:
        order = {group: i for i, group in enumerate(groups)}
        shares = shares.loc[shares["group"].isin(order)].sort_values(
            "group", key=lambda g: g.map(order), kind="mergesort")
    return shares[list(SHARE_COLUMNS)].reset_index(drop=True)


def compared_difference(sample: CodedSample, articles: pd.DataFrame, article_a: str,
                        article_b: str) -> pd.DataFrame:
    """Per label, the corrected difference ``b - a`` of two articles' shares.

    Parameters
    ----------
    sample : CodedSample
    articles : DataFrame
        Table ``articles``.
    article_a, article_b : str

    Returns
    -------
    DataFrame
        dimension, label, naive_difference, difference (corrected), its 95% interval
        low, high and the normal test's two-sided p; labels found in either article by
        the tool or the coders. Empty without a sample that covers the corpus.
    """
    columns = ["dimension", "label", "naive_difference", "difference", "low", "high", "p"]
    if not sample.corrects:
        return pd.DataFrame(columns=columns)
    shares = error_aware.label_shares(sample.outcomes, articles, "article")
    pair = sample.outcomes.loc[sample.outcomes["article_id"].isin([article_a, article_b])]
    found = set(map(tuple, pair.loc[(pair["predicted"] == 1) | (pair["coded"] == 1),
                                    ["dimension", "label"]].to_numpy()))
    rows = []
    fields = [f for f in corrected.CorrectedShare.__dataclass_fields__]
    for (dimension, label), own in shares.groupby(["dimension", "label"], sort=True):
        if (dimension, label) not in found:
            continue
        by_group = own.set_index("group")
        a, b = (corrected.CorrectedShare(**by_group.loc[g, fields].to_dict())
                for g in (article_a, article_b))
        diff = corrected.compare_corrected(a, b)
        rows.append({"dimension": dimension, "label": label,
                     "naive_difference": diff.naive_difference, "difference": diff.difference,
                     "low": diff.low, "high": diff.high, "p": diff.p})
    return pd.DataFrame(rows, columns=columns)


def validation_findings(sample: CodedSample, alpha: pd.DataFrame, scores: pd.DataFrame,
                        shares: pd.DataFrame) -> list[str]:
    """07's "What we found", from the computed tables only.

    Parameters
    ----------
    sample : CodedSample
    alpha : DataFrame
        :func:`alpha_table`.
    scores : DataFrame
        :func:`scores_table`.
    shares : DataFrame
        :func:`shares_table` of the corpus.

    Returns
    -------
    list of str
    """
    lines = [sample.coverage.how]
    if sample.coding is None:
        return lines
    roles = sample.coding.coders["role"]
    if (roles == "reference").all():
        lines.append("Every coder is the project's own reference coding, made by whoever "
                     "wrote the rules: agreement with the tool is an upper bound, not "
                     "evidence of reliability; an independent coder is needed for that.")
    n_coders = sample.coding.coders["coder"].nunique()
    if n_coders < 2:
        lines.append("One coder: agreement between coders cannot be measured yet.")
    overall = alpha.loc[alpha["label"] == agreement.ANY_LABEL]
    for row in overall.itertuples(index=False):
        lines.append(f"Krippendorff's alpha, {row.dimension} label sets, {row.comparison}: "
                     f"{row.alpha:.2f} over {format_count(row.n_units, 'sentence')}.")
    for row in scores.loc[scores["label"] == agreement.ALL_LABELS].itertuples(index=False):
        lines.append(
            f"The tool against the coders, {row.dimension}: precision {row.precision:.2f} "
            f"[{row.precision_low:.2f}, {row.precision_high:.2f}], recall {row.recall:.2f} "
            f"[{row.recall_low:.2f}, {row.recall_high:.2f}] (true positives {row.tp}, false "
            f"positives {row.fp}, false negatives {row.fn}; 95% Wilson intervals).")
    if not shares.empty:
        change = (shares["estimate"] - shares["naive"]).abs()
        row = shares.loc[change.idxmax()]
        lines.append(
            f"Largest correction: {row['dimension']} {row['label']}, the tool's share "
            f"{row['naive']:.3f} against {row['estimate']:.3f} corrected "
            f"[{row['low']:.3f}, {row['high']:.3f}]; over all labels the corrected "
            f"intervals are {shares['width_ratio'].median():.2f} times as wide as the "
            f"naive ones (median).")
    return lines


def corrected_findings(sample: CodedSample, shares: pd.DataFrame) -> list[str]:
    """Per group and dimension, the label with the largest corrected share, worded.

    Parameters
    ----------
    sample : CodedSample
    shares : DataFrame
        :func:`shares_table` of the groups a notebook compares (articles, periods).

    Returns
    -------
    list of str
        Without a sample that covers the corpus, one line saying the shares are the
        tool's counts, uncorrected; else one line per group and dimension: the label's
        corrected share with its interval, beside the tool's, and how much wider the
        corrected interval is.
    """
    if sample.coding is None:
        return ["Shares are the tool's counts, uncorrected for its errors: there is no "
                "hand-coded sample of this corpus (see notebook 07 and `python -m analysis "
                "codesheet`)."]
    if not sample.corrects:
        return [f"Shares are the tool's counts, uncorrected. {sample.coverage.how}"]
    lines = []
    for (group, dimension), own in shares.groupby(["group", "dimension"], sort=False):
        corrected_rows = own.dropna(subset=["estimate"])
        if corrected_rows.empty:
            lines.append(f"{group}, {dimension}: no coded sentence, no corrected share.")
            continue
        row = corrected_rows.loc[corrected_rows["estimate"].idxmax()]
        lines.append(
            f"{group}, {dimension}: corrected by the coded sample, {row['label']} has the "
            f"largest share, {row['estimate']:.2f} [{row['low']:.2f}, {row['high']:.2f}] of "
            f"{format_count(int(row['n']), 'sentence')} (the tool counts "
            f"{row['naive']:.2f} [{row['naive_low']:.2f}, {row['naive_high']:.2f}]); the "
            f"corrected interval is {row['width_ratio']:.2f} times as wide.")
    return lines
