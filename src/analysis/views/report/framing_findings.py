"""The framing notebook's "What we found" sentences, built from computed values only.

The corpus's guarantee labels pooled over its articles (:func:`corpus_guarantee_findings`);
one sentence per compared article on its guarantee labels (:func:`guarantee_findings`),
their modality (:func:`modality_findings`), generic frames (:func:`frame_findings`), voices
(:func:`voice_findings`), distinctive terms (:func:`term_findings`); the two articles'
shares with Fisher's test (:func:`share_test_findings`) and the keyword counts
(:func:`kwic_findings`). They stay true when the corpus or the parameters change.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.data.corpus import select_articles
from analysis.data.tables import FRONT_SECTIONS
from analysis.measures import compare, framing
from analysis.views.formatting import (
    format_count,
    format_list,
    format_p_value,
    format_proportion,
    format_q_value,
)


def _percent(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.0f}%" if whole else "0%"


def modality_findings(table: pd.DataFrame, article_ids: Sequence[str]) -> list[str]:
    """One sentence per compared article: how many labels it asserts, demands, conditions.

    Parameters
    ----------
    table : DataFrame
        :func:`~analysis.views.report.modality_table`.
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
            shown = (f" ({format_list(labels)})"
                     if n and modality != framing.MODALITY_ASSERTED else "")
            parts.append(f"{n} {modality}{shown}")
        lines.append(f"{article_id}: of {total} labelled mentions, " + ", ".join(parts) + ".")
    return lines


def _leader_text(row: pd.Series | None, what: str) -> str:
    """"europe (4 sentences)" from a row of dominant_labels; ties and absence worded."""
    if row is None or row["label"] == framing.NO_LABEL:
        return f"no {what} affirmed"
    if row["tie"]:
        tied = format_list(row["tied_labels"].split("|"))
        sentences = format_count(row["affirmed"], "sentence")
        return f"{tied} tie as most affirmed {what} ({sentences} each)"
    return f"most affirmed {what}: {row['label']} ({format_count(row['affirmed'], 'sentence')})"


def _negated_text(summary: pd.DataFrame) -> str:
    ruled_out = summary.loc[summary["negated"] > 0]
    items = [f"{label} ({format_count(n, 'sentence')})"
             for label, n in zip(ruled_out["label"], ruled_out["negated"], strict=True)]
    return f"ruled out (negated): {format_list(items)}" if items else "no label negated"


def corpus_guarantee_findings(summary: pd.DataFrame, density: pd.DataFrame) -> list[str]:
    """Findings on guarantee labels over the whole corpus, each with the counts behind it.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.measures.framing.guarantee_summary` by article.
    density : DataFrame
        :func:`~analysis.views.report.guarantee_density` with ``by=("article_id", "section")``.

    Returns
    -------
    list of str
        One sentence on how many articles and sentences carry a label, and one per
        dimension on its most affirmed label, pooled over all articles (each sentence
        counted once per label it affirms).
    """
    per_article = density.groupby("article_id", sort=False)[["n_labelled", "n_sentences"]].sum()
    n_labelled, n_sentences = int(per_article["n_labelled"].sum()), int(
        per_article["n_sentences"].sum())
    with_label = int((per_article["n_labelled"] > 0).sum())
    lines = [f"Corpus: {with_label} of {format_count(len(per_article), 'article')} carry at "
             f"least one guarantee label; {n_labelled} of {n_sentences} sentences "
             f"({_percent(n_labelled, n_sentences)}) do."]
    pooled = summary.groupby(["dimension", "label"], sort=False)["affirmed"].sum()
    for dimension in dict.fromkeys(summary["dimension"]):
        counts = pooled.loc[dimension]
        total = int(counts.sum())
        if total == 0:
            lines.append(f"Corpus: no {dimension} affirmed.")
            continue
        leaders = sorted(counts.loc[counts == counts.max()].index)
        lines.append(
            f"Corpus: most affirmed {dimension}: {format_list(leaders)} "
            f"({format_count(int(counts.max()), 'sentence')}"
            f"{' each' if len(leaders) > 1 else ''}, {_percent(counts.max(), total)} of "
            f"{total} affirmed {dimension} mentions).")
    return lines


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
        :func:`~analysis.views.report.guarantee_density` with ``by=("article_id", "section")``.
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
        lines.append(f"{article_id}: most frequent generic frame {format_list(leaders)} "
                     f"({top} of {n} sentences{each}, {_percent(top, n)}); frames without a cue: "
                     f"{format_list(absent)}.")
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
        :func:`analysis.measures.proportions.compare_two` of
        :func:`~analysis.views.report.guarantee_density` by article (``n_labelled`` of
        ``n_sentences``).
    frame_test : DataFrame
        :func:`analysis.measures.proportions.compare_two` of
        :func:`analysis.measures.framing.frame_shares` by article, items ``("frame",)``.
    article_ids : sequence of str
        The two compared articles, as passed to ``compare_two``.
    alpha : float, default 0.05
        False discovery rate at which frames are counted as differing (their
        Benjamini-Hochberg q-values, ``q_fisher``, over the frames compared).

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
        below = int((frame_test["q_fisher"] < alpha).sum())
        lines.append(
            f"Generic frames, largest difference: {row['frame']}, {a} "
            f"{_share_text(row, a, 'n_with_frame', 'n_sentences')} against {b} "
            f"{_share_text(row, b, 'n_with_frame', 'n_sentences')}; Fisher's exact test "
            f"{format_p_value(row['p_fisher'])}, {format_q_value(row['q_fisher'])}; "
            f"{below} of {len(frame_test)} frames differ at a false discovery rate of "
            f"{alpha:g} (Benjamini-Hochberg over the frames).")
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
                f"{format_count(len(named), 'named speaker')}")
        if not named.empty:
            top = named.sort_values(["n_quotes", "speaker"], ascending=[False, True],
                                    kind="mergesort").iloc[0]
            text += (f"; most quoted: {top['speaker']} "
                     f"({format_count(top['n_quotes'], 'sentence')}, "
                     f"{top['n_guarantee_quotes']} of them with a guarantee label)")
        sides = named.loc[named["actor"] != ""].groupby("actor")["n_quotes"].sum()
        sides = sides.sort_values(ascending=False, kind="mergesort")
        if not sides.empty:
            text += "; by side: " + ", ".join(f"{a} {int(n)}" for a, n in sides.items())
        unknown = int(own.loc[own["speaker"] == framing.UNKNOWN_SPEAKER, "n_quotes"].sum())
        lines.append(text + (f"; unattributed: {format_count(unknown, 'quote')}."
                             if unknown else "."))
    return lines


def term_findings(distinctive: pd.DataFrame, article_ids: Sequence[str], n: int = 5,
                  z_threshold: float = 1.96, alpha: float = 0.05) -> list[str]:
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
        finding gives how many of its terms are. That is one test per term, so the
        finding also counts the over-used terms whose keyness test survives the
        Benjamini-Hochberg correction over the article's terms (``q_value < alpha``).
    alpha : float, default 0.05
        The false discovery rate of that count.

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
        kept = int(((own["log_likelihood"] > 0) & (own["q_value"] < alpha)).sum())
        lines.append(f"{article_id}: most distinctive terms against the rest of the corpus: "
                     f"{named or 'none'}; terms with z >= {z_threshold}: {over} of {len(own)}, "
                     f"over-used at a false discovery rate of {alpha:g} (G2, "
                     f"Benjamini-Hochberg over the article's terms): {kept}.")
    return lines


def kwic_findings(counts: pd.DataFrame, article_ids: Sequence[str]) -> list[str]:
    """One sentence: how often each concordance term occurs in each compared article.

    Parameters
    ----------
    counts : DataFrame
        From :func:`~analysis.views.report.kwic_counts`.
    article_ids : sequence of str

    Returns
    -------
    list of str
    """
    items = [
        f"'{row['term']}' " + " vs ".join(str(int(row[a])) for a in article_ids)
        for _, row in counts.iterrows()
    ]
    return [f"Keyword matches ({' vs '.join(article_ids)}): {format_list(items)}."]
