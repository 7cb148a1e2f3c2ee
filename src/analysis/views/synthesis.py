"""Synthesis: every measure of the compared articles side by side, and findings in words.

The synthesis reads the processed tables (:func:`load_tables`), computes one profile of
each compared article from them with the other helpers' summaries
(:func:`compute_synthesis`), and turns that into a table of formatted strings, one row a
measure and one column an article (:func:`format_synthesis`, or :func:`synthesis_table`
in one call), and into sentences (:func:`findings`). Nothing is stored as a result:
notebooks print what these functions compute, so the text stays true when the corpus,
the lexicons or the parameters change.

The first compared article is the reference: the permutation test of sentence
sentiment compares every other article with it, differences read ``other - reference``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.data import corpus, tables
from analysis.measures import compare, framing, sentiment
from analysis.views.formatting import NOT_AVAILABLE, format_interval, format_number, format_p_value

#: Tables read by :func:`load_tables`, all written by the build.
SYNTHESIS_TABLES = (
    "articles", "sentences", "guarantee_mentions", "frames", "quotes", "sentiment",
    "article_sentiment", "distinctive_terms", "topic_terms", "topic_prevalence",
)
NATO_MEMBERSHIP = "alliance_membership"
ECONOMIC_FORM = "economic_stake"
ECONOMIC_FRAME = "economic_consequences"
SENTIMENT_MEASURES = {"vader_compound": "VADER compound", "textblob_polarity": "TextBlob polarity"}
NONE_TEXT = "none"


@dataclass(frozen=True)
class Synthesis:
    """Computed profile of the compared articles, one tidy frame per measure.

    Every frame but ``sentiment_tests`` (whose rows name two articles, ``article_a``
    and ``article_b``) has an ``article_id`` column and only the compared articles, in
    the order of ``article_ids`` (rows of one article keep their own order).

    Attributes
    ----------
    article_ids : tuple of str
        Compared articles; the first is the reference of the sentiment tests.
    articles : DataFrame
        Their rows of table ``articles``.
    guarantees : DataFrame
        :func:`analysis.measures.framing.guarantee_summary`: article_id, dimension, label,
        affirmed, negated, share, n_sentences (every vocabulary label).
    dominant : DataFrame
        :func:`analysis.measures.framing.dominant_labels`: article_id, dimension, label,
        affirmed, tie, tied_labels.
    nato : DataFrame
        article_id, affirmed, negated (sentences affirming / ruling out NATO
        membership, form ``alliance_membership``), stance (see :func:`nato_stance`).
    economic : DataFrame
        article_id, stake_affirmed, stake_negated (form ``economic_stake``),
        n_sentences, frame_sentences, frame_share (frame ``economic_consequences``).
    frames : DataFrame
        :func:`analysis.measures.framing.frame_shares`: article_id, frame, n_sentences,
        n_with_frame, share.
    sentiment : DataFrame
        Rows of table ``article_sentiment``: article_id, measure, n, mean, ci_low,
        ci_high (95% percentile bootstrap).
    sentiment_tests : DataFrame
        :func:`analysis.measures.sentiment.compare_sentiment` of every other article against the
        reference: article_a (the other article), article_b (the reference), measure,
        n_a, n_b, mean_a, mean_b, difference (a - b), p_value, cohens_d, cliffs_delta,
        n_perm.
    terms : DataFrame
        Top rows of table ``distinctive_terms`` per article (each article against the
        rest of the corpus), by descending z-score.
    voices : DataFrame
        :func:`analysis.measures.framing.voice_summary` rows of the most quoted named speakers:
        article_id, speaker, actor, n_quotes, n_guarantee_quotes, guarantee_share.
    topics : DataFrame
        Most prevalent topic per article (see :func:`main_topics`).
    """

    article_ids: tuple[str, ...]
    articles: pd.DataFrame
    guarantees: pd.DataFrame
    dominant: pd.DataFrame
    nato: pd.DataFrame
    economic: pd.DataFrame
    frames: pd.DataFrame
    sentiment: pd.DataFrame
    sentiment_tests: pd.DataFrame
    terms: pd.DataFrame
    voices: pd.DataFrame
    topics: pd.DataFrame


# --------------------------------------------------------------------------- loading


def load_tables(processed_dir: str | os.PathLike,
                names: Sequence[str] = SYNTHESIS_TABLES) -> dict[str, pd.DataFrame]:
    """Read the processed tables the synthesis needs (:func:`analysis.data.tables.read_tables`).

    Parameters
    ----------
    processed_dir : path-like
        Folder of the processed CSV tables.
    names : sequence of str, default SYNTHESIS_TABLES
        Tables to read.

    Returns
    -------
    dict of str to DataFrame
        Table name to table, with the catalog's dtypes.

    Raises
    ------
    analysis.errors.InputError
        Naming every missing or outdated table and how to make it
        (``python -m analysis build``).
    """
    return tables.read_tables(processed_dir, names)


def nato_stance(affirmed: int, negated: int) -> str:
    """Stance on Ukraine's NATO membership from sentence counts.

    Returns
    -------
    str
        ``"not mentioned"`` (no sentence), ``"ruled out"`` (only negated),
        ``"affirmed"`` (only affirmed) or ``"both affirmed and ruled out"``.
    """
    if affirmed and negated:
        return "both affirmed and ruled out"
    if negated:
        return "ruled out"
    return "affirmed" if affirmed else "not mentioned"


def _label_counts(guarantees: pd.DataFrame, dimension: str, label: str) -> pd.DataFrame:
    rows = guarantees[(guarantees["dimension"] == dimension) & (guarantees["label"] == label)]
    return rows[["article_id", "affirmed", "negated", "n_sentences"]].reset_index(drop=True)


def nato_membership(guarantees: pd.DataFrame) -> pd.DataFrame:
    """NATO membership stance per article from a
    :func:`~analysis.measures.framing.guarantee_summary`.

    Returns
    -------
    DataFrame
        article_id, affirmed, negated, stance.
    """
    counts = _label_counts(guarantees, "form", NATO_MEMBERSHIP)
    stance = [nato_stance(a, n) for a, n in zip(counts["affirmed"], counts["negated"],
                                                 strict=True)]
    return counts.drop(columns="n_sentences").assign(stance=stance)


def economic_framing(guarantees: pd.DataFrame, frames: pd.DataFrame) -> pd.DataFrame:
    """Economic framing per article: the economic stake as a guarantee and the frame.

    Parameters
    ----------
    guarantees : DataFrame
        :func:`analysis.measures.framing.guarantee_summary` per article.
    frames : DataFrame
        :func:`analysis.measures.framing.frame_shares` per article.

    Returns
    -------
    DataFrame
        article_id, stake_affirmed, stake_negated (sentences with form
        ``economic_stake``), n_sentences, frame_sentences and frame_share (sentences
        signalling the ``economic_consequences`` frame, and their fraction).
    """
    stake = _label_counts(guarantees, "form", ECONOMIC_FORM).drop(columns="n_sentences")
    stake = stake.rename(columns={"affirmed": "stake_affirmed", "negated": "stake_negated"})
    frame = frames.loc[frames["frame"] == ECONOMIC_FRAME,
                       ["article_id", "n_sentences", "n_with_frame", "share"]]
    frame = frame.rename(columns={"n_with_frame": "frame_sentences", "share": "frame_share"})
    return stake.merge(frame, on="article_id", how="left", sort=False)


def sentiment_tests(scores: pd.DataFrame, article_ids: Sequence[str],
                    measure: str = "vader_compound", n_perm: int = 10_000,
                    seed: int = 0) -> pd.DataFrame:
    """Permutation test of sentence sentiment: each other article against the first.

    Parameters
    ----------
    scores : DataFrame
        Table ``sentiment``.
    article_ids : sequence of str
        Compared articles; the first is the reference (``article_b`` of every row, so
        that ``difference`` is other minus reference).
    measure : str, default "vader_compound"
        Score column compared.
    n_perm, seed
        Passed to :func:`analysis.measures.sentiment.compare_sentiment`.

    Returns
    -------
    DataFrame
        One row per other article: the columns of
        :func:`~analysis.measures.sentiment.compare_sentiment` plus ``n_perm``. Zero rows for a
        single article.
    """
    reference = article_ids[0]
    rows = [sentiment.compare_sentiment(scores, other, reference, measure=measure,
                                        n_perm=n_perm, seed=seed)
            for other in article_ids[1:]]
    if not rows:
        columns = ["article_a", "article_b", "measure", "n_a", "n_b", "mean_a", "mean_b",
                   "difference", "p_value", "cohens_d", "cliffs_delta"]
        return pd.DataFrame({c: [] for c in columns}).assign(n_perm=pd.Series([], dtype=int))
    return pd.concat(rows, ignore_index=True).assign(n_perm=n_perm)


def main_voices(quotes: pd.DataFrame, mentions: pd.DataFrame, article_ids: Sequence[str],
                n: int = 3) -> pd.DataFrame:
    """The ``n`` most quoted named speakers of each article.

    Quotes whose speaker could not be resolved (``framing.UNKNOWN_SPEAKER``) are left
    out: they have no voice to name.

    Returns
    -------
    DataFrame
        Rows of :func:`analysis.measures.framing.voice_summary`, at most ``n`` per article, by
        descending ``n_quotes`` then speaker name.
    """
    voices = framing.voice_summary(quotes[quotes["article_id"].isin(list(article_ids))],
                                   mentions)
    voices = voices[voices["speaker"] != framing.UNKNOWN_SPEAKER]
    voices = voices.assign(_neg=-voices["n_quotes"]).sort_values(
        ["article_id", "_neg", "speaker"], kind="mergesort").drop(columns="_neg")
    return corpus.select_articles(voices.groupby("article_id", sort=False).head(n), article_ids)


def select_topic_fit(prevalence: pd.DataFrame, model: str | None = None,
                     k: int | None = None, seed: int | None = None) -> tuple[str, int, int]:
    """The (model, k, seed) fit of a ``topic_prevalence`` table to report.

    Parameters
    ----------
    prevalence : DataFrame
        Table ``topic_prevalence``; it may hold several fits.
    model, k, seed : optional
        Restrict to fits with these values.

    Returns
    -------
    (model, k, seed)
        The only fit left after the restrictions; among several, the first in
        (model, k, seed) order, which for one model and k is the smallest seed, the
        reference seed of the build's stability check (step ``topic_stability``).

    Raises
    ------
    ValueError
        If no fit matches.
    """
    fits = prevalence[["model", "k", "seed"]].drop_duplicates()
    for column, value in (("model", model), ("k", k), ("seed", seed)):
        if value is not None:
            fits = fits[fits[column] == value]
    if fits.empty:
        available = sorted(set(prevalence[["model", "k", "seed"]].itertuples(index=False)))
        raise ValueError(f"no topic fit with model={model}, k={k}, seed={seed}; "
                         f"available (model, k, seed): {available}")
    first = fits.sort_values(["model", "k", "seed"], kind="mergesort").iloc[0]
    return str(first["model"]), int(first["k"]), int(first["seed"])


def main_topics(prevalence: pd.DataFrame, terms: pd.DataFrame, article_ids: Sequence[str],
                n_terms: int = 5, model: str | None = None, k: int | None = None,
                seed: int | None = None) -> pd.DataFrame:
    """Most prevalent topic of each article, with its top terms.

    Parameters
    ----------
    prevalence, terms : DataFrame
        Tables ``topic_prevalence`` and ``topic_terms``.
    article_ids : sequence of str
        Articles to report.
    n_terms : int, default 5
        Top terms of the topic to show.
    model, k, seed : optional
        Which fit (see :func:`select_topic_fit`).

    Returns
    -------
    DataFrame
        One row per article with fitted sentences: article_id, model, k, seed, topic,
        share (mean sentence weight), n_documents, terms (comma-joined, by rank). Ties
        in share go to the lower topic number. Articles without fitted sentences
        have no row.
    """
    if prevalence.empty:
        return pd.DataFrame(columns=["article_id", "model", "k", "seed", "topic", "share",
                                     "n_documents", "terms"])
    model, k, seed = select_topic_fit(prevalence, model, k, seed)
    fit = (prevalence["model"] == model) & (prevalence["k"] == k) & (prevalence["seed"] == seed)
    rows = prevalence[fit & prevalence["article_id"].isin(list(article_ids))]
    rows = rows.assign(_neg=-rows["share"]).sort_values(["article_id", "_neg", "topic"],
                                                       kind="mergesort")
    top = rows.groupby("article_id", sort=False).head(1).drop(columns="_neg")
    fit_terms = terms[(terms["model"] == model) & (terms["k"] == k) & (terms["seed"] == seed)
                      & (terms["rank"] < n_terms)].sort_values(["topic", "rank"])
    joined = fit_terms.groupby("topic")["term"].agg(", ".join)
    top = top.assign(terms=[joined.get(t, "") for t in top["topic"]])
    return corpus.select_articles(top, article_ids)


def compute_synthesis(
    loaded: Mapping[str, pd.DataFrame],
    article_ids: Sequence[str],
    *,
    n_perm: int = 10_000,
    seed: int = 0,
    n_terms: int = 8,
    n_voices: int = 3,
    n_topic_terms: int = 5,
    sentiment_measure: str = "vader_compound",
    topic_model: str | None = None,
    topic_k: int | None = None,
    topic_seed: int | None = None,
) -> Synthesis:
    """Compute every measure of the compared articles from the processed tables.

    Parameters
    ----------
    loaded : mapping of str to DataFrame
        The tables of :data:`SYNTHESIS_TABLES` (e.g. from :func:`load_tables`).
    article_ids : sequence of str
        Articles to compare, in column order; the first is the reference.
    n_perm, seed
        Permutation test of sentence sentiment (:func:`sentiment_tests`).
    n_terms : int, default 8
        Distinctive terms per article.
    n_voices : int, default 3
        Most quoted speakers per article.
    n_topic_terms : int, default 5
        Terms shown for the main topic.
    sentiment_measure : str, default "vader_compound"
        Score compared by the permutation test.
    topic_model, topic_k, topic_seed : optional
        Topic fit to report (see :func:`select_topic_fit`).

    Returns
    -------
    Synthesis

    Raises
    ------
    analysis.errors.InputError
        If an article id is unknown or repeated.
    """
    ids = corpus.check_article_ids(loaded["articles"], article_ids)
    sentences = loaded["sentences"]
    sentences = sentences[sentences["article_id"].isin(ids)]
    mentions = loaded["guarantee_mentions"]
    mentions = mentions[mentions["article_id"].isin(ids)]
    frames = loaded["frames"]
    # An article without sentences still gets its rows (zeros): groups come from the ids.
    guarantees = corpus.select_articles(framing.guarantee_summary(mentions, sentences), ids)
    frame_share = corpus.select_articles(
        framing.frame_shares(frames[frames["article_id"].isin(ids)], sentences), ids)
    distinctive = compare.top_distinctive_terms(
        loaded["distinctive_terms"][loaded["distinctive_terms"]["article_id"].isin(ids)],
        n=n_terms)
    return Synthesis(
        article_ids=tuple(ids),
        articles=corpus.select_articles(loaded["articles"], ids),
        guarantees=guarantees,
        dominant=corpus.select_articles(framing.dominant_labels(mentions, sentences), ids),
        nato=nato_membership(guarantees),
        economic=economic_framing(guarantees, frame_share),
        frames=frame_share,
        sentiment=corpus.select_articles(loaded["article_sentiment"], ids),
        sentiment_tests=sentiment_tests(loaded["sentiment"], ids, sentiment_measure,
                                        n_perm=n_perm, seed=seed),
        terms=corpus.select_articles(distinctive, ids),
        voices=main_voices(loaded["quotes"], mentions, ids, n=n_voices),
        topics=main_topics(loaded["topic_prevalence"], loaded["topic_terms"], ids,
                           n_terms=n_topic_terms, model=topic_model, k=topic_k,
                           seed=topic_seed),
    )


# --------------------------------------------------------------------------- formatting


def _sentences(n: int) -> str:
    return f"{n} sentence" + ("" if n == 1 else "s")


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
    return f"{label}: {_sentences(int(row['affirmed']))}"


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
        return f"{stance} ({affirmed} and {_sentences(negated)})"
    return f"{stance} ({_sentences(affirmed or negated)})" if affirmed or negated else stance


def _nato_text(rows: pd.DataFrame) -> str:
    return _stance_text(int(rows["affirmed"].iloc[0]), int(rows["negated"].iloc[0]))


def _economic_text(rows: pd.DataFrame) -> str:
    row = rows.iloc[0]
    stake = _stance_text(int(row["stake_affirmed"]), int(row["stake_negated"]))
    return (f"stake {stake}; frame in {int(row['frame_sentences'])} of "
            f"{_sentences(int(row['n_sentences']))} ({format_number(row['frame_share'])})")


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
    if len(tests):
        name = SENTIMENT_MEASURES.get(tests["measure"].iloc[0], tests["measure"].iloc[0])
        reference = synthesis.article_ids[0]
        cells = ["reference"]
        for other in synthesis.article_ids[1:]:
            row = tests[tests["article_a"] == other].iloc[0]
            cells.append(f"{format_number(row['difference'])}, {format_p_value(row['p_value'])}"
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
        From :func:`compute_synthesis`.

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
    """:func:`format_synthesis` of :func:`compute_synthesis` in one call.

    Parameters
    ----------
    loaded : mapping of str to DataFrame
        The processed tables (:func:`load_tables`).
    article_ids : sequence of str
        Compared articles, the first the reference.
    **options
        Keyword arguments of :func:`compute_synthesis`.

    Returns
    -------
    DataFrame
        See :func:`format_synthesis`.
    """
    return format_synthesis(compute_synthesis(loaded, article_ids, **options))


# --------------------------------------------------------------------------- findings


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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
            tied = _join(row["tied_labels"].split("|"))
            parts.append(f"the {dimension}s {tied} are tied, each in {share}")
        else:
            parts.append(f"the dominant {dimension} is {row['label']}, in {share}")
    negated = synthesis.guarantees[(synthesis.guarantees["article_id"] == article)
                                   & (synthesis.guarantees["negated"] > 0)]
    ruled_out = (f"; it rules out {_join(list(negated['label']))}" if len(negated)
                 else "; it rules out no guarantor or form")
    return f"{article}: {'; '.join(parts)}{ruled_out}."


def _economic_finding(synthesis: Synthesis, article: str) -> str:
    nato = synthesis.nato[synthesis.nato["article_id"] == article].iloc[0]
    econ = synthesis.economic[synthesis.economic["article_id"] == article].iloc[0]
    return (f"{article}: NATO membership for Ukraine is {nato['stance']}; the economic stake "
            f"is affirmed as a guarantee in {_sentences(int(econ['stake_affirmed']))}, and "
            f"{int(econ['frame_sentences'])} of {_sentences(int(econ['n_sentences']))} "
            f"({format_number(econ['frame_share'])}) signal the economic-consequences frame.")


def _frame_finding(synthesis: Synthesis, article: str) -> str:
    rows = synthesis.frames[synthesis.frames["article_id"] == article]
    top = rows["share"].max() if len(rows) else 0.0
    if not top > 0:
        return f"{article}: no sentence signals a generic frame."
    leaders = list(rows.loc[rows["share"] == top, "frame"])
    return (f"{article}: the most frequent generic frame is {_join(leaders)} "
            f"(share of sentences {format_number(top)}).")


def _sentiment_finding(synthesis: Synthesis, row: pd.Series, alpha: float) -> str:
    means = synthesis.sentiment[synthesis.sentiment["measure"] == row["measure"]]
    intervals = {a: format_interval(*r[["mean", "ci_low", "ci_high"]])
                 for a, (_, r) in zip(means["article_id"], means.iterrows(), strict=True)}
    significant = row["p_value"] < alpha
    name = SENTIMENT_MEASURES.get(row["measure"], row["measure"])
    verdict = ("below" if significant else "not below") + f" {alpha:g}"
    return (f"Mean {name}: {row['article_a']} {intervals.get(row['article_a'], NOT_AVAILABLE)}"
            f" versus {row['article_b']} {intervals.get(row['article_b'], NOT_AVAILABLE)}; "
            f"difference {format_number(row['difference'])} ({row['article_a']} minus "
            f"{row['article_b']}), permutation {format_p_value(row['p_value'])} "
            f"({int(row['n_perm'])} relabellings; {verdict}), Cliff's delta "
            f"{format_number(row['cliffs_delta'])}.")


def _voice_finding(synthesis: Synthesis, article: str) -> str:
    rows = synthesis.voices[synthesis.voices["article_id"] == article]
    if rows.empty:
        return f"{article}: no named speaker is quoted."
    top = rows.iloc[0]
    return (f"{article}: the most quoted speaker is {top['speaker']} "
            f"({_sentences(int(top['n_quotes']))}, {int(top['n_guarantee_quotes'])} of them "
            f"about security guarantees).")


def _terms_finding(synthesis: Synthesis, article: str) -> str:
    rows = synthesis.terms[synthesis.terms["article_id"] == article].head(3)
    if rows.empty:
        return f"{article}: no distinctive terms (the corpus needs a second article)."
    terms = _join([f"{t} (z = {format_number(z)})"
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
        From :func:`compute_synthesis`.
    alpha : float, default 0.05
        Level against which the permutation p-values are reported.

    Returns
    -------
    list of str
        Per article: guarantors and forms, NATO membership and economic framing,
        main generic frame, main voice, distinctive terms, main topic; then one sentence per
        sentiment test (reference against each other article).
    """
    lines = []
    for article in synthesis.article_ids:
        lines += [_guarantee_finding(synthesis, article), _economic_finding(synthesis, article),
                  _frame_finding(synthesis, article), _voice_finding(synthesis, article),
                  _terms_finding(synthesis, article), _topic_finding(synthesis, article)]
    lines += [_sentiment_finding(synthesis, row, alpha)
              for _, row in synthesis.sentiment_tests.iterrows()]
    return lines


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
