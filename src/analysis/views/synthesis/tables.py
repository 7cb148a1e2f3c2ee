"""The synthesis as tables: the compared articles side by side, and the figure's label counts.

:func:`format_synthesis` turns a :class:`~analysis.views.synthesis.Synthesis` into
a table of formatted strings, one row a measure and one column an article
(:func:`synthesis_table` computes and formats in one call); :func:`label_counts_long`
gives the labels the summary figure shows. Nothing is stored as a result: notebooks print
what these functions compute, so the text stays true when the corpus, the lexicons or the
parameters change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.measures import framing
from analysis.views.formatting import (
    NOT_AVAILABLE,
    format_count,
    format_interval,
    format_number,
    format_p_value,
    format_q_value,
)
from analysis.views.synthesis.profile import (
    SENTIMENT_MEASURES,
    Synthesis,
    compute_synthesis,
    nato_stance,
)

NONE_TEXT = "none"


def _label_list(rows: pd.DataFrame, count: str, with_share: bool) -> str:
    """``"europe 0.67 (2), united_states 0.33 (1)"``: labels with a count, by count."""
    rows = rows[rows[count] > 0]
    if rows.empty:
        return NONE_TEXT
    rows = rows.assign(_neg=-rows[count]).sort_values("_neg", kind="mergesort")
    if with_share:
        return ", ".join(f"{lab} {format_number(s)} ({int(c)})" for lab, s, c in
                         zip(rows["label"], rows["share"], rows[count], strict=True))
    return ", ".join(f"{lab} ({int(c)})" for lab, c in zip(rows["label"], rows[count],
                                                            strict=True))


def _dominant_text(row: pd.Series) -> str:
    if row["label"] == framing.NO_LABEL:
        return NONE_TEXT
    label = row["tied_labels"].replace("|", " = ") + " (tie)" if row["tie"] else row["label"]
    return f"{label}: {format_count(int(row['affirmed']), 'sentence')}"


def _per_article(synthesis: Synthesis, frame: pd.DataFrame, render, empty: str = NONE_TEXT
                 ) -> list[str]:
    """One cell per compared article: ``render(rows of the article)`` or ``empty``."""
    cells = []
    for article in synthesis.article_ids:
        rows = frame[frame["article_id"] == article]
        cells.append(render(rows) if len(rows) else empty)
    return cells


def _article_rows(synthesis: Synthesis) -> list[tuple[str, list[str]]]:
    articles = synthesis.articles.set_index("article_id")
    facts = [("Published", "published"), ("Outlet", "outlet"), ("Author", "author"),
             ("Title", "title")]
    rows = [(name, [str(articles.at[a, col]) or NOT_AVAILABLE for a in synthesis.article_ids])
            for name, col in facts]
    rows.append(("Sentences", [str(int(articles.at[a, "n_sentences"]))
                               for a in synthesis.article_ids]))
    return rows


def _guarantee_rows(synthesis: Synthesis) -> list[tuple[str, list[str]]]:
    rows = []
    for dimension, name in (("guarantor", "guarantor"), ("form", "form")):
        dominant = synthesis.dominant[synthesis.dominant["dimension"] == dimension]
        labels = synthesis.guarantees[synthesis.guarantees["dimension"] == dimension]
        rows += [
            (f"Dominant {name} (affirming sentences)",
             _per_article(synthesis, dominant, lambda r: _dominant_text(r.iloc[0]))),
            (f"{name.capitalize()}s affirmed: share of affirmed mentions (sentences)",
             _per_article(synthesis, labels, lambda r: _label_list(r, "affirmed", True))),
            (f"{name.capitalize()}s ruled out (sentences)",
             _per_article(synthesis, labels, lambda r: _label_list(r, "negated", False))),
        ]
    return rows


def _stance_text(affirmed: int, negated: int) -> str:
    """``"ruled out (2 sentences)"``, ``"both affirmed and ruled out (1 and 2 sentences)"``."""
    stance = nato_stance(affirmed, negated)
    if affirmed and negated:
        return f"{stance} ({affirmed} and {format_count(negated, 'sentence')})"
    return (f"{stance} ({format_count(affirmed or negated, 'sentence')})"
            if affirmed or negated else stance)


def _nato_text(rows: pd.DataFrame) -> str:
    return _stance_text(int(rows["affirmed"].iloc[0]), int(rows["negated"].iloc[0]))


def _economic_text(rows: pd.DataFrame) -> str:
    row = rows.iloc[0]
    stake = _stance_text(int(row["stake_affirmed"]), int(row["stake_negated"]))
    return (f"stake {stake}; frame in {int(row['frame_sentences'])} of "
            f"{format_count(int(row['n_sentences']), 'sentence')} "
            f"({format_number(row['frame_share'])})")


def _frame_rows(synthesis: Synthesis) -> list[tuple[str, list[str]]]:
    rows = []
    for name in dict.fromkeys(synthesis.frames["frame"]):
        subset = synthesis.frames[synthesis.frames["frame"] == name]
        rows.append((f"Frame {name}: share of sentences (count)", _per_article(
            synthesis, subset,
            lambda r: f"{format_number(r['share'].iloc[0])} ({int(r['n_with_frame'].iloc[0])})")))
    return rows


def _mean_text(rows: pd.DataFrame) -> str:
    row = rows.iloc[0]
    return f"{format_interval(row['mean'], row['ci_low'], row['ci_high'])} (n={int(row['n'])})"


def _sentiment_rows(synthesis: Synthesis) -> list[tuple[str, list[str]]]:
    rows = []
    measures = list(dict.fromkeys(synthesis.sentiment["measure"]))
    known = list(SENTIMENT_MEASURES)
    for measure in sorted(measures, key=lambda m: (known.index(m) if m in known else len(known),
                                                   m)):
        subset = synthesis.sentiment[synthesis.sentiment["measure"] == measure]
        name = SENTIMENT_MEASURES.get(measure, measure)
        rows.append((f"{name}: mean of sentences [95% CI] (n)",
                     _per_article(synthesis, subset, _mean_text, NOT_AVAILABLE)))
    tests = synthesis.sentiment_tests
    reference = synthesis.article_ids[0]
    for measure in dict.fromkeys(tests["measure"]):
        name = SENTIMENT_MEASURES.get(measure, measure)
        cells = ["reference"]
        for other in synthesis.article_ids[1:]:
            row = tests[(tests["article_a"] == other) & (tests["measure"] == measure)].iloc[0]
            cells.append(f"{format_number(row['difference'])}, {format_p_value(row['p_value'])}"
                         f", {format_q_value(row['q_value'])}"
                         f", Cliff's delta {format_number(row['cliffs_delta'])}")
        rows.append((f"{name}: mean difference, article minus {reference} (permutation test)",
                     cells))
    return rows


def _topic_text(rows: pd.DataFrame) -> str:
    row = rows.iloc[0]
    return (f"topic {int(row['topic'])} ({row['model']}, k={int(row['k'])}), share "
            f"{format_number(row['share'])}: {row['terms']}")


def format_synthesis(synthesis: Synthesis) -> pd.DataFrame:
    """The side-by-side table: one row a measure, one column an article.

    Parameters
    ----------
    synthesis : Synthesis
        From :func:`~analysis.views.synthesis.compute_synthesis`.

    Returns
    -------
    DataFrame
        Column ``measure`` (readable name, units in parentheses) then one column per
        compared article id; every cell a formatted string (``"n/a"`` where a value is
        undefined, ``"none"`` where nothing was found). Sentiment differences are
        ``article - reference``.
    """
    nato = _per_article(synthesis, synthesis.nato, _nato_text)
    economic = _per_article(synthesis, synthesis.economic, _economic_text)
    terms = _per_article(synthesis, synthesis.terms, lambda r: ", ".join(r["term"]))
    voices = _per_article(synthesis, synthesis.voices, lambda r: ", ".join(
        f"{s} ({int(n)})" for s, n in zip(r["speaker"], r["n_quotes"], strict=True)))
    topics = _per_article(synthesis, synthesis.topics, _topic_text, NOT_AVAILABLE)
    rows = [
        *_article_rows(synthesis),
        *_guarantee_rows(synthesis),
        ("NATO membership for Ukraine", nato),
        ("Economic framing: economic stake as guarantee; economic-consequences frame",
         economic),
        *_frame_rows(synthesis),
        *_sentiment_rows(synthesis),
        ("Distinctive terms (vs rest of corpus, by z-score)", terms),
        ("Main voices (quoted sentences)", voices),
        ("Most prevalent topic (top terms)", topics),
    ]
    table = pd.DataFrame([[name, *cells] for name, cells in rows],
                         columns=["measure", *synthesis.article_ids])
    return table.astype(object)


def synthesis_table(loaded: Mapping[str, pd.DataFrame], article_ids: Sequence[str],
                    **options) -> pd.DataFrame:
    """:func:`format_synthesis` of :func:`~analysis.views.synthesis.compute_synthesis` in one call.

    Parameters
    ----------
    loaded : mapping of str to DataFrame
        The processed tables (:func:`~analysis.views.synthesis.load_tables`).
    article_ids : sequence of str
        Compared articles, the first the reference.
    **options
        Keyword arguments of :func:`~analysis.views.synthesis.compute_synthesis`.

    Returns
    -------
    DataFrame
        See :func:`format_synthesis`.
    """
    return format_synthesis(compute_synthesis(loaded, article_ids, **options))


# --------------------------------------------------------------------------- figure data


def label_counts_long(synthesis: Synthesis) -> pd.DataFrame:
    """Guarantor and form labels that any compared article affirms or rules out.

    Returns
    -------
    DataFrame
        article_id, dimension, label, affirmed, negated, share; labels kept in
        vocabulary order, only those with a non-zero count in some article.
    """
    g = synthesis.guarantees
    used = g.groupby(["dimension", "label"], sort=False)[["affirmed", "negated"]].transform(
        "sum").sum(axis=1) > 0
    return g.loc[used.to_numpy(), ["article_id", "dimension", "label", "affirmed", "negated",
                                   "share"]].reset_index(drop=True)
