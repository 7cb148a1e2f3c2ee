"""The synthesis's measures: every measure of the compared articles, one tidy frame each.

The synthesis reads the processed tables (:func:`load_tables`) and computes one profile
of the compared articles from them with the other helpers' summaries
(:func:`compute_synthesis`, giving a :class:`Synthesis`): guarantors and forms, NATO
membership (:func:`nato_membership`), economic framing (:func:`economic_framing`),
generic frames, sentence sentiment and its permutation tests (:func:`sentiment_tests`),
distinctive terms, the main voices (:func:`main_voices`) and the main topic
(:func:`main_topics`).

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
from analysis.measures.multiplicity import with_q_values
from analysis.measures.repeats import DEFAULT_THRESHOLD

#: Tables read by :func:`load_tables`, all written by the build.
SYNTHESIS_TABLES = (
    "articles", "sentences", "guarantee_mentions", "frames", "quotes", "sentiment",
    "article_sentiment", "distinctive_terms", "topic_terms", "topic_prevalence",
)
NATO_MEMBERSHIP = "alliance_membership"
ECONOMIC_FORM = "economic_stake"
ECONOMIC_FRAME = "economic_consequences"
SENTIMENT_MEASURES = {"vader_compound": "VADER compound", "textblob_polarity": "TextBlob polarity"}


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
        ci_high (95% BCa bootstrap).
    sentiment_tests : DataFrame
        :func:`sentiment_tests`: every other article against the reference, by each
        lexicon: article_a (the other article), article_b (the reference), measure,
        n_a, n_b, mean_a, mean_b, difference (a - b), p_value, q_value, cohens_d,
        cliffs_delta, n_perm.
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
                    measures: Sequence[str] = sentiment.MEASURES, n_perm: int = 10_000,
                    seed: int = 0) -> pd.DataFrame:
    """Permutation tests of sentence sentiment: each other article against the first, by
    each lexicon.

    Parameters
    ----------
    scores : DataFrame
        Table ``sentiment``.
    article_ids : sequence of str
        Compared articles; the first is the reference (``article_b`` of every row, so
        that ``difference`` is other minus reference).
    measures : sequence of str, default ("vader_compound", "textblob_polarity")
        Score columns compared; reporting both lexicons shows when a difference rests
        on one word list.
    n_perm, seed
        Passed to :func:`analysis.measures.sentiment.compare_sentiment`.

    Returns
    -------
    DataFrame
        One row per other article and measure (articles in ``article_ids`` order): the
        columns of :func:`~analysis.measures.sentiment.compare_sentiment`, ``q_value``
        after ``p_value`` (Benjamini-Hochberg over all these tests), and ``n_perm``.
        Zero rows for a single article.
    """
    reference = article_ids[0]
    rows = [sentiment.compare_sentiment(scores, other, reference, measure=measure,
                                        n_perm=n_perm, seed=seed)
            for other in article_ids[1:] for measure in measures]
    if not rows:
        columns = ["article_a", "article_b", "measure", "n_a", "n_b", "mean_a", "mean_b",
                   "difference", "p_value", "q_value", "cohens_d", "cliffs_delta"]
        return pd.DataFrame({c: [] for c in columns}).assign(n_perm=pd.Series([], dtype=int))
    return with_q_values(pd.concat(rows, ignore_index=True)).assign(n_perm=n_perm)


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
    sentiment_measures: Sequence[str] = sentiment.MEASURES,
    topic_model: str | None = None,
    topic_k: int | None = None,
    topic_seed: int | None = None,
    repeat_threshold: float | None = DEFAULT_THRESHOLD,
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
    sentiment_measures : sequence of str, default ("vader_compound", "textblob_polarity")
        Scores compared by the permutation tests.
    topic_model, topic_k, topic_seed : optional
        Topic fit to report (see :func:`select_topic_fit`).
    repeat_threshold : float or None, default 0.8
        Sentences that repeat another of their article
        (:func:`analysis.measures.repeats.repeated_sentences` at this threshold) are
        left out of the permutation test; ``None`` tests every sentence. Pass the
        build's ``sentiment.repeat_threshold`` so the test counts what the means count.

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
        sentiment_tests=sentiment_tests(
            sentiment.counted_once(loaded["sentiment"], loaded["sentences"], repeat_threshold),
            ids, sentiment_measures, n_perm=n_perm, seed=seed),
        terms=corpus.select_articles(distinctive, ids),
        voices=main_voices(loaded["quotes"], mentions, ids, n=n_voices),
        topics=main_topics(loaded["topic_prevalence"], loaded["topic_terms"], ids,
                           n_terms=n_topic_terms, model=topic_model, k=topic_k,
                           seed=topic_seed),
    )
