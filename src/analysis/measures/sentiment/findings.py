"""The sentiment notebook's findings as sentences, every number computed."""

from __future__ import annotations

import math

import pandas as pd

from analysis.measures.sentiment.aspects import MIN_ASPECT_SENTENCES

MEASURE_NAMES = {"vader_compound": "VADER compound", "textblob_polarity": "TextBlob polarity"}


def _signed(value: float, digits: int = 3) -> str:
    return "undefined" if value is None or math.isnan(value) else f"{value:+.{digits}f}"


def _article_mean(summary: pd.DataFrame, article: str, measure: str) -> str:
    row = summary[(summary["article_id"] == article) & (summary["measure"] == measure)]
    if row.empty or row["n"].iloc[0] == 0:
        return f"{article} has no scored sentence"
    r = row.iloc[0]
    return (f"{article} {_signed(r['mean'])} (95% CI {_signed(r['ci_low'])} to "
            f"{_signed(r['ci_high'])}, n = {int(r['n'])})")


def _aspect_list(aspects: pd.DataFrame, article: str, aspect_type: str, measure: str) -> str:
    rows = aspects[(aspects["article_id"] == article) & (aspects["aspect_type"] == aspect_type)
                   & (aspects["n"] > 0)]
    parts = []
    for _, r in rows.iterrows():
        negated = f", {r['n_negated']} negated" if r["n_negated"] else ""
        if r["n"] < MIN_ASPECT_SENTENCES:
            parts.append(f"{r['aspect']} (n = {r['n']}{negated}, too few for a tone)")
            continue
        interval = (f"95% CI {_signed(r[f'ci_low_{measure}'])} to "
                    f"{_signed(r[f'ci_high_{measure}'])}, " if f"ci_low_{measure}" in r else "")
        parts.append(f"{r['aspect']} {_signed(r[f'mean_{measure}'])} "
                     f"({interval}n = {r['n']}{negated})")
    return "; ".join(parts) if parts else "none"


def lexicon_disagreement(comparisons: pd.DataFrame, alpha: float = 0.05) -> str | None:
    """A sentence saying that the lexicons disagree about a difference, or None.

    Parameters
    ----------
    comparisons : DataFrame
        Tests of one pair of articles, one row a measure (``measure``, ``q_value``), as
        :func:`compare_measures` gives.
    alpha : float, default 0.05
        The false discovery rate at which a difference counts as found.

    Returns
    -------
    str or None
        When some measures find a difference at ``q < alpha`` and others do not, the
        sentence naming both; None when they agree or fewer than two were tested.
    """
    tested = comparisons.dropna(subset=["q_value"])
    if len(tested) < 2 or (tested["q_value"] < alpha).nunique() < 2:
        return None
    names = [MEASURE_NAMES.get(m, m) for m in tested["measure"]]
    below = [n for n, q in zip(names, tested["q_value"], strict=True) if q < alpha]
    return (f"The lexicons disagree: {', '.join(below)} finds a difference at q < {alpha:g}, "
            f"{', '.join(n for n in names if n not in below)} does not; the tone difference "
            "rests on one lexicon's word list, not on the articles alone.")


def sentiment_findings(
    summary: pd.DataFrame,
    comparisons: pd.DataFrame,
    agreement: pd.DataFrame,
    overall_agreement: pd.DataFrame,
    aspects: pd.DataFrame,
    disagreement: pd.DataFrame,
    n_sentences: int,
    article_a: str,
    article_b: str,
    measure: str = "vader_compound",
    alpha: float = 0.05,
) -> list[str]:
    """The sentiment notebook's findings as sentences, every number computed.

    Parameters
    ----------
    summary : DataFrame
        :func:`article_sentiment` (per article and measure, with intervals).
    comparisons : DataFrame
        :func:`compare_measures` for ``article_a`` against ``article_b``: one row per
        measure, with the q-values over the measures.
    agreement : DataFrame
        :func:`lexicon_agreement` with ``by=("article_id",)``.
    overall_agreement : DataFrame
        :func:`lexicon_agreement` without ``by`` (one row, all sentences).
    aspects : DataFrame
        :func:`aspect_sentiment` per article; with its intervals (``n_boot``), each
        aspect of at least ``MIN_ASPECT_SENTENCES`` sentences is reported with its
        95% interval. Fewer sentences are named "too few for a tone", without a mean.
    disagreement : DataFrame
        :func:`vader_implementation_disagreement` of the scored sentences.
    n_sentences : int
        Number of sentences ``disagreement`` was computed over.
    article_a, article_b : str
        The compared articles.
    measure : str, default "vader_compound"
        The measure the aspect findings report.
    alpha : float, default 0.05
        False discovery rate at which a difference is called distinguishable from
        chance (its q-value over the measures).

    Returns
    -------
    list of str
        One finding a string.
    """
    findings = []
    for r in comparisons.itertuples(index=False):
        name = MEASURE_NAMES.get(r.measure, r.measure)
        findings.append(f"Mean {name} per sentence: {_article_mean(summary, article_a, r.measure)}"
                        f"; {_article_mean(summary, article_b, r.measure)}.")
        if math.isnan(r.p_value):
            findings.append(f"{name}: no test, one article has fewer than two scored "
                            "sentences.")
            continue
        verdict = "below" if r.q_value < alpha else "not below"
        findings.append(
            f"{name}, {article_a} minus {article_b}: {_signed(r.difference)}; permutation "
            f"p = {r.p_value:.4f}, Benjamini-Hochberg q = {r.q_value:.4f} over the "
            f"{len(comparisons)} measures ({verdict} {alpha:g}), Cohen's d = "
            f"{_signed(r.cohens_d, 2)}, Cliff's delta = {_signed(r.cliffs_delta, 2)}."
        )
    disagreement_text = lexicon_disagreement(comparisons, alpha)
    if disagreement_text:
        findings.append(disagreement_text)
    groups = [(r.article_id, r) for r in agreement.itertuples(index=False)]
    groups += [("all articles", r) for r in overall_agreement.itertuples(index=False)]
    for where, r in groups:
        rho = ("cannot be computed (fewer than 3 sentences or a constant score)"
               if math.isnan(r.spearman_rho) else f"is {r.spearman_rho:+.2f}")
        findings.append(f"Rank agreement of VADER and TextBlob in {where} "
                        f"(Spearman rho over {r.n} sentences) {rho}.")
    if disagreement.empty:
        findings.append(f"NLTK's VADER port agrees with the reference on all {n_sentences} "
                        "sentences.")
    else:
        largest = disagreement.loc[disagreement["difference"].abs().idxmax()]
        findings.append(
            f"NLTK's VADER port disagrees with the reference on {len(disagreement)} of "
            f"{n_sentences} sentences; the largest gap is {_signed(largest['difference'])} "
            f"({largest['article_id']}, sentence {int(largest['sentence_id'])})."
        )
    name = MEASURE_NAMES.get(measure, measure)
    for article in (article_a, article_b):
        findings.append(
            f"{article}, mean {name} by guarantor named: "
            f"{_aspect_list(aspects, article, 'guarantor', measure)}. By form: "
            f"{_aspect_list(aspects, article, 'form', measure)}. By voice: "
            f"{_aspect_list(aspects, article, 'voice', measure)}."
        )
    return findings
