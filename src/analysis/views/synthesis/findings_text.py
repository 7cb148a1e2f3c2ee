"""The synthesis in sentences, every number in them computed.

:func:`findings` words a :class:`~analysis.views.synthesis.Synthesis`: per compared
article its guarantors and forms, NATO membership and economic framing, main generic
frame, main voice, distinctive terms and main topic, then each sentiment test against the
reference article. The text stays true when the corpus, the lexicons or the parameters
change.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.measures import framing, sentiment
from analysis.views.formatting import (
    NOT_AVAILABLE,
    format_count,
    format_interval,
    format_list,
    format_number,
    format_p_value,
    format_q_value,
)
from analysis.views.synthesis.profile import SENTIMENT_MEASURES, Synthesis


def _guarantee_finding(synthesis: Synthesis, article: str) -> str:
    parts = []
    for dimension in ("guarantor", "form"):
        row = synthesis.dominant[(synthesis.dominant["article_id"] == article)
                                 & (synthesis.dominant["dimension"] == dimension)].iloc[0]
        labels = synthesis.guarantees[(synthesis.guarantees["article_id"] == article)
                                      & (synthesis.guarantees["dimension"] == dimension)]
        total = int(labels["affirmed"].sum())
        if row["label"] == framing.NO_LABEL:
            parts.append(f"no {dimension} is affirmed")
            continue
        share = f"{int(row['affirmed'])} of {total} affirmed {dimension} mentions"
        if row["tie"]:
            tied = format_list(row["tied_labels"].split("|"))
            parts.append(f"the {dimension}s {tied} are tied, each in {share}")
        else:
            parts.append(f"the dominant {dimension} is {row['label']}, in {share}")
    negated = synthesis.guarantees[(synthesis.guarantees["article_id"] == article)
                                   & (synthesis.guarantees["negated"] > 0)]
    ruled_out = (f"; it rules out {format_list(list(negated['label']))}" if len(negated)
                 else "; it rules out no guarantor or form")
    return f"{article}: {'; '.join(parts)}{ruled_out}."


def _economic_finding(synthesis: Synthesis, article: str) -> str:
    nato = synthesis.nato[synthesis.nato["article_id"] == article].iloc[0]
    econ = synthesis.economic[synthesis.economic["article_id"] == article].iloc[0]
    stake = format_count(int(econ["stake_affirmed"]), "sentence")
    sentences = format_count(int(econ["n_sentences"]), "sentence")
    return (f"{article}: NATO membership for Ukraine is {nato['stance']}; the economic stake "
            f"is affirmed as a guarantee in {stake}, and {int(econ['frame_sentences'])} of "
            f"{sentences} ({format_number(econ['frame_share'])}) signal the "
            "economic-consequences frame.")


def _frame_finding(synthesis: Synthesis, article: str) -> str:
    rows = synthesis.frames[synthesis.frames["article_id"] == article]
    top = rows["share"].max() if len(rows) else 0.0
    if not top > 0:
        return f"{article}: no sentence signals a generic frame."
    leaders = list(rows.loc[rows["share"] == top, "frame"])
    return (f"{article}: the most frequent generic frame is {format_list(leaders)} "
            f"(share of sentences {format_number(top)}).")


def _relabellings(row: pd.Series) -> str:
    # scipy's permutation test enumerates every relabelling when there are no more of
    # them than n_perm; the text must not call an exact test a random one.
    count = math.comb(int(row["n_a"]) + int(row["n_b"]), int(row["n_a"]))
    n_perm = int(row["n_perm"])
    return (f"exact, all {count} relabellings" if count <= n_perm
            else f"{n_perm} random relabellings")


def _sentiment_finding(synthesis: Synthesis, row: pd.Series, alpha: float) -> str:
    means = synthesis.sentiment[synthesis.sentiment["measure"] == row["measure"]]
    intervals = {a: format_interval(*r[["mean", "ci_low", "ci_high"]])
                 for a, (_, r) in zip(means["article_id"], means.iterrows(), strict=True)}
    significant = row["q_value"] < alpha
    name = SENTIMENT_MEASURES.get(row["measure"], row["measure"])
    verdict = ("below" if significant else "not below") + f" {alpha:g}"
    return (f"Mean {name}: {row['article_a']} {intervals.get(row['article_a'], NOT_AVAILABLE)}"
            f" versus {row['article_b']} {intervals.get(row['article_b'], NOT_AVAILABLE)}; "
            f"difference {format_number(row['difference'])} ({row['article_a']} minus "
            f"{row['article_b']}), permutation {format_p_value(row['p_value'])}, "
            f"Benjamini-Hochberg {format_q_value(row['q_value'])} over "
            f"{format_count(len(synthesis.sentiment_tests), 'test')} "
            f"({_relabellings(row)}; {verdict}), Cliff's delta "
            f"{format_number(row['cliffs_delta'])}.")


def _voice_finding(synthesis: Synthesis, article: str) -> str:
    rows = synthesis.voices[synthesis.voices["article_id"] == article]
    if rows.empty:
        return f"{article}: no named speaker is quoted."
    top = rows.iloc[0]
    return (f"{article}: the most quoted speaker is {top['speaker']} "
            f"({format_count(int(top['n_quotes']), 'sentence')}, "
            f"{int(top['n_guarantee_quotes'])} of them "
            f"about security guarantees).")


def _terms_finding(synthesis: Synthesis, article: str) -> str:
    rows = synthesis.terms[synthesis.terms["article_id"] == article].head(3)
    if rows.empty:
        return f"{article}: no distinctive terms (the corpus needs a second article)."
    terms = format_list([f"{t} (z = {format_number(z)})"
                   for t, z in zip(rows["term"], rows["z_score"], strict=True)])
    return f"{article}: the most distinctive terms against the rest of the corpus are {terms}."


def _topic_finding(synthesis: Synthesis, article: str) -> str:
    rows = synthesis.topics[synthesis.topics["article_id"] == article]
    if rows.empty:
        return f"{article}: no sentence of it was fitted by the topic model."
    row = rows.iloc[0]
    return (f"{article}: the most prevalent topic ({row['model']}, k = {int(row['k'])}) is "
            f"topic {int(row['topic'])}, mean sentence weight {format_number(row['share'])}, "
            f"top terms {row['terms']}.")


def findings(synthesis: Synthesis, alpha: float = 0.05) -> list[str]:
    """The synthesis in sentences, every number computed.

    Parameters
    ----------
    synthesis : Synthesis
        From :func:`~analysis.views.synthesis.compute_synthesis`.
    alpha : float, default 0.05
        False discovery rate against which the permutation tests' q-values are read.

    Returns
    -------
    list of str
        Per article: guarantors and forms, NATO membership and economic framing,
        main generic frame, main voice, distinctive terms, main topic; then per other
        article one sentence per lexicon's test against the reference, and one saying so
        when the lexicons disagree.
    """
    lines = []
    for article in synthesis.article_ids:
        lines += [_guarantee_finding(synthesis, article), _economic_finding(synthesis, article),
                  _frame_finding(synthesis, article), _voice_finding(synthesis, article),
                  _terms_finding(synthesis, article), _topic_finding(synthesis, article)]
    tests = synthesis.sentiment_tests
    for other in dict.fromkeys(tests["article_a"]):
        pair = tests[tests["article_a"] == other]
        lines += [_sentiment_finding(synthesis, row, alpha) for _, row in pair.iterrows()]
        disagreement = sentiment.lexicon_disagreement(pair, alpha)
        if disagreement:
            lines.append(f"{other} against {pair['article_b'].iloc[0]}: "
                         f"{disagreement[0].lower()}{disagreement[1:]}")
    return lines
