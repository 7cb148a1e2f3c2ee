"""Tests for analysis.measures.topics: fits, prevalence, matching, stability, coherence, sweep."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import psutil
import pytest

from analysis.data import tables
from analysis.errors import InputError
from analysis.measures.topics import (
    NPMI_EPSILON,
    average_jaccard,
    best_per_model,
    choose_k,
    fit_topics,
    match_topics,
    resample_documents,
    selection_score,
    stability_by_topic,
    sweep_row,
    sweep_topics,
    topic_coherence,
    topic_findings,
    topic_labels,
    topic_overview,
    topic_prevalence,
    topic_stability,
)

from factories import sentences_table

# Two planted themes with disjoint words; every sentence draws four words from one.
ECONOMY = ["minerals", "investment", "economy", "fund", "resources", "infrastructure"]
SECURITY = ["troops", "ceasefire", "monitoring", "border", "peacekeepers", "deployment"]


def theme_sentence(words: list[str], offset: int) -> str:
    return " ".join(words[(offset + j) % len(words)] for j in range(4)).capitalize() + "."


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    """Article alpha: 4 economy + 2 security sentences; beta: 2 economy + 4 security."""
    return sentences_table(articles={
        "alpha": [theme_sentence(ECONOMY, i) for i in range(4)]
        + [theme_sentence(SECURITY, i) for i in range(2)],
        "beta": [theme_sentence(ECONOMY, i + 3) for i in range(2)]
        + [theme_sentence(SECURITY, i + 3) for i in range(4)],
    })


def economy_topic(fit) -> int:
    """The topic whose top term is an economy word."""
    first = fit.topic_terms[fit.topic_terms["rank"] == 0]
    return int(first.loc[first["term"].isin(ECONOMY), "topic"].iloc[0])


# --- fitting -----------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_fit_recovers_planted_themes(planted, model):
    fit = fit_topics(planted, 2, model, seed=0, n_top_terms=6)
    terms = fit.topic_terms.groupby("topic")["term"].agg(set)
    assert sorted(map(sorted, terms)) == sorted([sorted(ECONOMY), sorted(SECURITY)])
    assert (fit.n_documents, fit.n_terms) == (12, 12)

    econ = economy_topic(fit)
    weights = fit.doc_topics.pivot(index=["article_id", "sentence_id"], columns="topic",
                                   values="weight")
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-12)
    is_economy = planted.set_index(["article_id", "sentence_id"])["text"].map(
        lambda text: text.split()[0].lower().strip(".") in ECONOMY
    )
    predicted_economy = weights.idxmax(axis=1) == econ
    assert (predicted_economy == is_economy.reindex(weights.index)).all()


def test_fit_tables_follow_the_catalog(planted):
    fit = fit_topics(planted, 3, "lda", seed=1, n_top_terms=4)
    pd.testing.assert_frame_equal(fit.topic_terms, tables.conform(fit.topic_terms, "topic_terms"))
    pd.testing.assert_frame_equal(fit.doc_topics, tables.conform(fit.doc_topics, "topic_weights"))
    assert set(fit.topic_terms[["model", "k", "seed"]].itertuples(index=False)) == {("lda", 3, 1)}
    assert len(fit.doc_topics) == 12 * 3
    # Ranks run 0, 1, ... with weights falling; LDA puts weight on every term.
    for _, group in fit.topic_terms.groupby("topic"):
        assert group["rank"].tolist() == [0, 1, 2, 3]
        assert (np.diff(group["weight"].to_numpy()) <= 0).all()
    # Topics are numbered by corpus share, largest first.
    totals = fit.doc_topics.groupby("topic")["weight"].sum()
    assert (np.diff(totals.to_numpy()) <= 0).all()


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_fit_is_deterministic_and_ignores_row_order(planted, model):
    first = fit_topics(planted, 3, model, seed=7)
    again = fit_topics(planted.iloc[::-1].reset_index(drop=True), 3, model, seed=7)
    for left, right in [(first.topic_terms, again.topic_terms),
                        (first.doc_topics, again.doc_topics)]:
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=0, atol=1e-12)


def test_sentences_without_content_words_are_not_documents():
    sentences = sentences_table("Troops and border monitoring.", "It was there.",
                                "Ceasefire troops border.", article_id="a")
    fit = fit_topics(sentences, 2, "nmf")
    assert sorted(fit.doc_topics["sentence_id"].unique()) == [0, 2]


def test_sections_filter_keeps_only_those_sentences(planted):
    title = sentences_table(("title", "Minerals fund headline."), article_id="gamma")
    titled = pd.concat([planted, title], ignore_index=True)
    body_only = fit_topics(titled, 2, "nmf", sections=["body"])
    assert "headline" not in set(body_only.vectorizer.get_feature_names_out())
    assert body_only.n_documents == 12
    assert "gamma" not in set(body_only.doc_topics["article_id"])
    assert fit_topics(titled, 2, "nmf").n_documents == 13
    # A one-shot iterable serves every fit and the coherence counts of a sweep row.
    row = sweep_row(titled, 2, "nmf", seeds=(0, 1), sections=iter(["body"]))
    assert row["n_documents"].item() == 12


@pytest.mark.parametrize(
    ("sentences", "k", "kwargs", "message"),
    [
        (sentences_table("Troops border.", "Minerals fund.", article_id="a"), 3, {},
         "cannot fit 3 topics to 2 sentence documents"),
        (sentences_table("Troops.", "Troops.", "Minerals.", article_id="a"), 3, {},
         "cannot fit 3 topics to a vocabulary of 2 terms"),
        (sentences_table("It is what it is.", "And so on.", article_id="a"), 1, {},
         "no sentence has content words"),
        (sentences_table("Troops border.", "Minerals fund.", article_id="a"), 1, {"min_df": 2},
         "no usable vocabulary with min_df=2"),
        (tables.empty_table("sentences"), 2, {}, "no sentence has content words"),
        (sentences_table("Troops border.", article_id="a"), 0, {}, "at least 1"),
        (sentences_table("Troops border.", article_id="a"), 1, {"model": "pca"},
         "unknown topic model"),
    ],
)
def test_degenerate_inputs_raise_clear_errors(sentences, k, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        fit_topics(sentences, k, **kwargs)


def test_an_unknown_section_is_bad_input():
    with pytest.raises(InputError, match=r"sections: unknown \['lede'\]"):
        fit_topics(sentences_table("Troops border.", article_id="a"), 1, sections=["lede"])


# --- prevalence --------------------------------------------------------------------------


def test_prevalence_is_mean_sentence_weight_per_article():
    doc_topics = pd.DataFrame({
        "model": "lda", "k": 2, "seed": 0,
        "article_id": ["a", "a", "a", "a", "b", "b"],
        "sentence_id": [0, 0, 1, 1, 0, 0],
        "topic": [0, 1, 0, 1, 0, 1],
        "weight": [0.9, 0.1, 0.3, 0.7, 0.25, 0.75],
    })
    out = topic_prevalence(doc_topics)
    # a: topic 0 (0.9 + 0.3) / 2 = 0.6, topic 1 (0.1 + 0.7) / 2 = 0.4; b: its one sentence.
    assert out[["article_id", "topic", "n_documents"]].values.tolist() == [
        ["a", 0, 2], ["a", 1, 2], ["b", 0, 1], ["b", 1, 1]]
    np.testing.assert_allclose(out["share"], [0.6, 0.4, 0.25, 0.75], atol=1e-12)
    pd.testing.assert_frame_equal(out, tables.conform(out, "topic_prevalence"))


def test_prevalence_by_section_takes_the_column_from_sentences(planted):
    fit = fit_topics(planted, 2, "nmf", n_top_terms=6)
    sections = planted.assign(section=np.where(planted["sentence_id"] < 3, "summary", "body"))
    out = topic_prevalence(fit.doc_topics, by=("article_id", "section"), sentences=sections)
    econ = economy_topic(fit)
    shares = out[out["topic"] == econ].set_index(["article_id", "section"])["share"]
    # NMF gives the planted corpus 0/1 weights: alpha's first three sentences are economy,
    # its body (sentences 3-5) has one economy sentence of three.
    np.testing.assert_allclose(shares[("alpha", "summary")], 1.0, atol=1e-9)
    np.testing.assert_allclose(shares[("alpha", "body")], 1 / 3, atol=1e-9)
    with pytest.raises(ValueError, match="grouping columns \\['section'\\]"):
        topic_prevalence(fit.doc_topics, by=("section",))


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_prevalence_follows_planted_mixture(planted, model):
    fit = fit_topics(planted, 2, model)
    prevalence = topic_prevalence(fit.doc_topics)
    econ = prevalence[prevalence["topic"] == economy_topic(fit)].set_index("article_id")["share"]
    # Planted shares are 4/6 and 2/6; LDA's Dirichlet prior pulls weights toward 1/2.
    assert econ["alpha"] > 0.6 > 0.4 > econ["beta"]
    np.testing.assert_allclose(prevalence.groupby("article_id")["share"].sum(), 1.0, atol=1e-12)


# --- matching and stability --------------------------------------------------------------


def terms_frame(topics: list[list[str]]) -> pd.DataFrame:
    rows = [{"model": "lda", "k": len(topics), "seed": 0, "topic": t, "rank": r, "term": term,
             "weight": 1.0} for t, terms in enumerate(topics) for r, term in enumerate(terms)]
    return pd.DataFrame(rows)


def test_matching_maximises_total_jaccard_not_greedily():
    reference = terms_frame([list("abcd"), list("abef")])
    other = terms_frame([list("abce"), list("cdgh")])
    # Average Jaccard, the Jaccard index of the top-d terms averaged over d = 1..4:
    # AJ(ref0, oth0) = (1 + 1 + 1 + 3/5) / 4 = 9/10     abcd | abce
    # AJ(ref0, oth1) = (0 + 0 + 1/5 + 2/6) / 4 = 2/15   abcd | cdgh
    # AJ(ref1, oth0) = (1 + 1 + 2/4 + 3/5) / 4 = 31/40  abef | abce
    # AJ(ref1, oth1) = 0                                abef | cdgh
    # Greedy takes ref0-oth0 (0.9) and is left with ref1-oth1 (0): total 0.9.
    # The best assignment is ref0-oth1 + ref1-oth0: 2/15 + 31/40 = 109/120.
    matched = match_topics(reference, other)
    assert matched[["reference_topic", "topic"]].values.tolist() == [[0, 1], [1, 0]]
    np.testing.assert_allclose(matched["jaccard"], [2 / 15, 31 / 40], atol=1e-12)


def test_resample_draws_a_share_without_replacement(planted):
    sample = resample_documents(planted, 0.8, seed=3)
    # round(0.8 * 12) = 10 distinct sentences, in key order, all from the corpus.
    keys = list(sample[["article_id", "sentence_id"]].itertuples(index=False, name=None))
    assert len(keys) == 10 == len(set(keys))
    assert keys == sorted(keys)
    assert set(keys) <= set(planted[["article_id", "sentence_id"]].itertuples(index=False,
                                                                             name=None))
    pd.testing.assert_frame_equal(sample, resample_documents(planted.iloc[::-1], 0.8, seed=3))
    assert not sample.equals(resample_documents(planted, 0.8, seed=4))
    assert len(resample_documents(planted, 1.0, seed=3)) == 12
    assert len(resample_documents(planted, 0.01, seed=3)) == 1
    with pytest.raises(ValueError, match="sample_fraction must be in"):
        resample_documents(planted, 0.0)


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_planted_stability_counts_the_rank_order_that_term_sets_miss(planted, model):
    stability = topic_stability(planted, 2, model, seeds=(0, 1, 2), n_top_terms=6)
    assert stability.pairs[["reference_seed", "seed"]].values.tolist() == [[0, 1], [0, 2]]
    pd.testing.assert_frame_equal(stability.pairs,
                                  tables.conform(stability.pairs, "topic_stability"))
    assert len(stability.matches) == 2 * 2
    # Every fit finds the two themes' six words, so the plain Jaccard index of the
    # matched top-term sets is 1. But the themes' words are about equally frequent
    # (3 to 6 sentences each), so a resample reorders them, and the Average Jaccard of
    # the ranked lists falls below 1.
    reference = ranked(fit_topics(planted, 2, model, seed=0, n_top_terms=6))
    for seed in (1, 2):
        refit = ranked(fit_topics(resample_documents(planted, 0.8, seed), 2, model,
                                  seed=seed, n_top_terms=6))
        for pair in stability.matches[stability.matches["seed"] == seed].itertuples():
            a, b = reference[pair.reference_topic], refit[pair.topic]
            assert set(a) == set(b)
            assert pair.jaccard == pytest.approx(average_jaccard(a, b))
    assert stability.mean_jaccard < 1


def ranked(fit) -> list[list[str]]:
    """Each topic's top terms, by rank."""
    terms = fit.topic_terms.sort_values(["topic", "rank"])
    return terms.groupby("topic")["term"].agg(list).tolist()


def test_stability_drops_when_k_overfits(planted):
    # Four topics for two themes: seeds split the themes differently.
    stability = topic_stability(planted, 4, "lda", seeds=(0, 1, 2, 3), n_top_terms=3)
    assert 0 < stability.mean_jaccard < 1
    np.testing.assert_allclose(stability.mean_jaccard, stability.pairs["jaccard"].mean())
    assert (stability.pairs["min_jaccard"] <= stability.pairs["jaccard"]).all()


def test_nmf_stability_with_all_sentences_measures_only_the_seed(planted):
    # With sample_fraction=1 every refit sees all sentences: the refit of seed s is the
    # plain fit with seed s, matched to the reference. Whether another seed changes NMF's
    # topics depends on the randomized SVD behind nndsvda and so on the machine's
    # arithmetic: the test asserts the construction, not a value.
    seeds_only = topic_stability(planted, 3, "nmf", seeds=(0, 1, 2, 3), n_top_terms=3,
                                 sample_fraction=1.0)
    reference = fit_topics(planted, 3, "nmf", seed=0, n_top_terms=3)
    for seed in (1, 2, 3):
        expected = match_topics(reference.topic_terms,
                                fit_topics(planted, 3, "nmf", seed=seed,
                                           n_top_terms=3).topic_terms)
        got = seeds_only.matches[seeds_only.matches["seed"] == seed]
        np.testing.assert_allclose(got["jaccard"], expected["jaccard"], atol=1e-12)
    assert 0.0 <= seeds_only.mean_jaccard <= 1.0


def test_nmf_stability_comes_from_resampling(planted):
    # Refits on 80% resamples split the two planted themes differently.
    resampled = topic_stability(planted, 3, "nmf", seeds=(0, 1, 2, 3), n_top_terms=3)
    assert 0.3 < resampled.mean_jaccard < 0.9
    assert resampled.pairs["seed"].tolist() == [1, 2, 3]
    assert (resampled.pairs["reference_seed"] == 0).all()


def test_stability_refits_match_a_reference_fitted_to_all_sentences(planted):
    stability = topic_stability(planted, 3, "lda", seeds=(5, 6), n_top_terms=3)
    reference = fit_topics(planted, 3, "lda", seed=5, n_top_terms=3)
    refit = fit_topics(resample_documents(planted, 0.8, seed=6), 3, "lda", seed=6,
                       n_top_terms=3)
    expected = match_topics(reference.topic_terms, refit.topic_terms)
    got = stability.matches
    assert got[["reference_topic", "topic"]].values.tolist() == \
        expected[["reference_topic", "topic"]].values.tolist()
    np.testing.assert_allclose(got["jaccard"], expected["jaccard"], atol=1e-12)
    assert stability.pairs["min_jaccard"].item() == pytest.approx(expected["jaccard"].min())


def test_stability_by_topic_summarises_each_reference_topic(planted):
    stability = topic_stability(planted, 3, "nmf", seeds=(0, 1, 2, 3), n_top_terms=3)
    by_topic = stability_by_topic(stability.matches)
    assert by_topic["topic"].tolist() == [0, 1, 2]
    assert (by_topic["n_refits"] == 3).all()
    for row in by_topic.itertuples():
        own = stability.matches.loc[stability.matches["reference_topic"] == row.topic,
                                    "jaccard"]
        assert row.mean_jaccard == pytest.approx(own.mean())
        assert row.min_jaccard == pytest.approx(own.min())
    # Averaging the per-topic means gives back the overall stability (equal counts).
    assert by_topic["mean_jaccard"].mean() == pytest.approx(stability.mean_jaccard)


@pytest.mark.parametrize("seeds", [(0,), (3, 3)])
def test_stability_needs_two_distinct_seeds(planted, seeds):
    with pytest.raises(ValueError, match="two distinct seeds"):
        topic_stability(planted, 2, seeds=seeds)


# --- coherence ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fruit() -> pd.DataFrame:
    # N = 4 documents. D(apple) = 3, D(banana) = 2, D(cherry) = 2, D(durian) = 1;
    # D(apple, banana) = 2, D(apple, cherry) = 2, D(banana, cherry) = 1, D(durian, *) = 0.
    return sentences_table("Apple banana.", "Apple banana cherry.", "Apple cherry.", "Durian.",
                           article_id="f")


def test_npmi_by_hand(fruit):
    topics = terms_frame([["banana", "apple", "cherry"], ["apple", "durian"], ["apple", "zebra"]])
    out = topic_coherence(topics, fruit, "npmi")
    # NPMI(apple, banana) = log((2/4) / (3/4 * 2/4)) / -log(2/4) = log(4/3) / log(2) = 0.415037
    # NPMI(apple, cherry) = the same;  NPMI(banana, cherry) = log((1/4) / (2/4 * 2/4)) = 0.
    # Topic 0: (0.415037 + 0.415037 + 0) / 3 = 0.276692 (epsilon shifts it by ~1e-12).
    # Topic 1 never co-occurs: (log(eps) - log(3/4 * 1/4)) / -log(eps)
    #   = (-27.631021 + 1.673976) / 27.631021 = -0.939417.
    # Topic 2: zebra is not in the corpus, so no pair can be scored: NaN.
    assert out["coherence"].iloc[0] == pytest.approx(2 * math.log(4 / 3) / math.log(2) / 3,
                                                     abs=1e-9)
    assert out["coherence"].iloc[0] == pytest.approx(0.276692, abs=1e-6)
    eps = NPMI_EPSILON
    assert out["coherence"].iloc[1] == pytest.approx(
        (math.log(eps) - math.log(3 / 16)) / -math.log(eps), abs=1e-12)
    assert out["coherence"].iloc[1] == pytest.approx(-0.939417, abs=1e-6)
    assert math.isnan(out["coherence"].iloc[2])
    assert out[["model", "k", "seed", "topic"]].values.tolist() == [
        ["lda", 3, 0, 0], ["lda", 3, 0, 1], ["lda", 3, 0, 2]]


def test_umass_by_hand_depends_on_rank_order(fruit):
    topics = terms_frame([["banana", "apple", "cherry"], ["apple", "banana", "cherry"],
                          ["apple", "durian"]])
    out = topic_coherence(topics, fruit, "umass")["coherence"].tolist()
    # Pairs (w_m | w_l), l ranked above m: log((D(w_m, w_l) + 1) / D(w_l)).
    # Topic 0: apple|banana log(3/2) = 0.405465, cherry|banana log(2/2) = 0,
    #          cherry|apple log(3/3) = 0 -> mean 0.135155.
    # Topic 1: banana|apple log(3/3), cherry|apple log(3/3), cherry|banana log(2/2) -> 0.
    # Topic 2: durian|apple log(1/3) = -1.098612.
    np.testing.assert_allclose(out, [math.log(1.5) / 3, 0.0, math.log(1 / 3)], atol=1e-12)
    assert out[0] == pytest.approx(0.135155, abs=1e-6)


def test_npmi_of_terms_in_every_document_is_one():
    sentences = sentences_table("Troops border.", "Border troops again.", article_id="a")
    out = topic_coherence(terms_frame([["troops", "border"]]), sentences, "npmi")
    assert out["coherence"].tolist() == [1.0]


def test_coherence_rejects_unknown_measure(fruit):
    with pytest.raises(ValueError, match="unknown coherence measure"):
        topic_coherence(terms_frame([["apple", "banana"]]), fruit, "cv")


# --- sweep and choice of k ---------------------------------------------------------------


@pytest.fixture(scope="module")
def planted_sweep(planted) -> pd.DataFrame:
    return sweep_topics(planted, ks=(2, 3, 4), model=("lda", "nmf"), seeds=(0, 1, 2),
                        n_top_terms=6)


def test_sweep_rows_are_table_rows(planted_sweep, planted):
    pd.testing.assert_frame_equal(planted_sweep, tables.conform(planted_sweep, "topic_sweep"))
    assert planted_sweep[["model", "k"]].values.tolist() == [
        ["lda", 2], ["lda", 3], ["lda", 4], ["nmf", 2], ["nmf", 3], ["nmf", 4]]
    assert (planted_sweep[["n_seeds", "n_top_terms", "n_documents", "n_terms"]].values
            == [3, 6, 12, 12]).all()
    lda = planted_sweep["model"] == "lda"
    assert planted_sweep.loc[lda, "perplexity"].gt(0).all()
    assert planted_sweep.loc[~lda, "perplexity"].isna().all()
    expected = planted_sweep["stability_jaccard"] * (1 + planted_sweep["coherence_npmi"]) / 2
    np.testing.assert_allclose(planted_sweep["score"], expected, atol=1e-12)
    row = sweep_row(planted, 3, "nmf", seeds=(0, 1, 2), n_top_terms=6)
    pd.testing.assert_frame_equal(row, planted_sweep.iloc[[4]].reset_index(drop=True))


def sweep_frame(model, ks, npmi, stability) -> pd.DataFrame:
    return pd.DataFrame({
        "model": model, "k": ks, "n_seeds": 5, "n_top_terms": 10, "n_documents": 50,
        "n_terms": 300, "coherence_npmi": npmi, "coherence_umass": -1.0,
        "stability_jaccard": stability, "perplexity": np.nan,
        "score": [selection_score(c, s) for c, s in zip(npmi, stability, strict=True)],
    })


def test_choose_k_rule_ties_and_round_trip(tmp_path):
    # Scores: k=2 0.5 * 1.2 / 2 = 0.30; k=3 0.6 * 1.0 / 2 = 0.30; k=4 0.9 * 0.6 / 2 = 0.27;
    # k=5 undefined. k=2 and k=3 tie, so the smaller k wins.
    sweep = sweep_frame("lda", [2, 3, 4, 5], [0.2, 0.0, -0.4, np.nan], [0.5, 0.6, 0.9, 0.8])
    assert choose_k(sweep) == 2
    assert choose_k(sweep.iloc[::-1]) == 2
    # Stability can outweigh coherence: k=4 scores 0.9 * 0.8 / 2 = 0.36 > 0.30.
    stable = sweep_frame("lda", [2, 3, 4], [0.2, 0.0, -0.2], [0.5, 0.6, 0.9])
    assert choose_k(stable) == 4
    tables.write_table(sweep, "topic_sweep", tmp_path)
    assert choose_k(tables.read_table("topic_sweep", tmp_path)) == 2


def test_choose_k_needs_one_model_and_a_score():
    both = pd.concat([sweep_frame("lda", [2, 3], [0.1, 0.2], [1.0, 1.0]),
                      sweep_frame("nmf", [2, 3], [0.3, 0.1], [1.0, 1.0])], ignore_index=True)
    with pytest.raises(ValueError, match="pass model="):
        choose_k(both)
    assert (choose_k(both, "lda"), choose_k(both, "nmf")) == (3, 2)
    with pytest.raises(ValueError, match="no sweep row with a defined score"):
        choose_k(sweep_frame("lda", [2], [np.nan], [1.0]))


def test_selection_score_stays_in_unit_interval():
    assert selection_score(-1.0, 1.0) == 0.0
    assert selection_score(1.0, 1.0) == 1.0
    # An unstable, incoherent fit must not outscore a stable one of the same coherence.
    assert selection_score(-0.5, 0.2) < selection_score(-0.5, 1.0)


# --- the seed corpus ---------------------------------------------------------------------


def test_seed_corpus_fits_and_sums(tmp_path, seed_sentences):
    sentences = seed_sentences
    fit = fit_topics(sentences, 3, "nmf")
    prevalence = topic_prevalence(fit.doc_topics)
    assert sorted(prevalence["article_id"].unique()) == ["ked-2025-02-27", "ked-2025-12-15"]
    assert prevalence.groupby("article_id")["n_documents"].first().sum() == fit.n_documents
    assert fit.n_documents <= len(sentences)
    np.testing.assert_allclose(prevalence.groupby("article_id")["share"].sum(), 1.0, atol=1e-9)
    row = sweep_row(sentences, 3, "lda", seeds=(0, 1))
    assert row["n_documents"].item() == fit.n_documents
    assert -1 <= row["coherence_npmi"].item() <= 1
    assert 0 <= row["stability_jaccard"].item() <= 1
    # The tables serialise byte-stably: writing twice gives the same bytes.
    first = tables.to_csv_bytes(fit.topic_terms, "topic_terms")
    assert first == tables.to_csv_bytes(fit_topics(sentences, 3, "nmf").topic_terms,
                                        "topic_terms")


# --- notebook helpers: labels, overview, best rows, findings -----------------------------


def test_topic_labels_and_overview(planted):
    fit = fit_topics(planted, 2, "nmf", n_top_terms=6)
    labels = topic_labels(fit.topic_terms, n_terms=2)
    assert sorted(labels) == [0, 1]
    first = fit.topic_terms[fit.topic_terms["rank"] < 2].groupby("topic")["term"].agg(list)
    assert labels[1] == f"T1 {first[1][0]}, {first[1][1]}"
    overview = topic_overview(fit.topic_terms, fit.doc_topics, n_terms=6)
    assert overview["topic"].tolist() == [0, 1]
    # Six economy and six security sentences, each wholly one topic under NMF.
    assert overview["n_dominant"].tolist() == [6, 6]
    np.testing.assert_allclose(overview["share"], [0.5, 0.5], atol=1e-9)
    assert {frozenset(t.split(", ")) for t in overview["terms"]} == {
        frozenset(ECONOMY), frozenset(SECURITY)}
    assert topic_labels(fit.topic_terms.iloc[0:0]) == {}


def test_best_per_model_takes_the_choose_k_row():
    both = pd.concat([sweep_frame("lda", [2, 3], [0.1, 0.2], [1.0, 1.0]),
                      sweep_frame("nmf", [2, 3], [0.3, 0.1], [1.0, 1.0])], ignore_index=True)
    best = best_per_model(both)
    assert best[["model", "k"]].values.tolist() == [["lda", 3], ["nmf", 2]]
    np.testing.assert_allclose(best["score"], [0.6, 0.65], atol=1e-12)
    assert best_per_model(sweep_frame("lda", [2], [np.nan], [1.0])).empty


def test_topic_findings_are_computed_sentences():
    sweep = pd.concat([sweep_frame("lda", [2, 3], [0.1, 0.2], [1.0, 0.5]),
                       sweep_frame("nmf", [2, 3], [0.3, 0.1], [1.0, 1.0])], ignore_index=True)
    by_topic = pd.DataFrame({"model": "nmf", "k": 3, "topic": [0, 1, 2], "n_refits": 4,
                             "mean_jaccard": [0.9, 0.4, 0.7], "min_jaccard": [0.8, 0.1, 0.5]})
    prevalence = pd.DataFrame({
        "model": "nmf", "k": 3, "seed": 0, "article_id": ["a"] * 3 + ["b"] * 3,
        "topic": [0, 1, 2] * 2, "share": [0.5, 0.3, 0.2, 0.1, 0.3, 0.6],
        "n_documents": [10] * 3 + [12] * 3,
    })
    labels = {0: "T0 troops", 1: "T1 minerals", 2: "T2 ceasefire"}
    found = topic_findings(sweep, "nmf", 3, by_topic, prevalence, labels, ["a", "b", "zz"])
    assert found == [
        # lda: k=2 scores 1.0 * 1.1 / 2 = 0.55, k=3 0.5 * 1.2 / 2 = 0.30.
        "The sweep over k = 2..3 supports k = 2 for LDA: score 0.550 (stability 1.00, "
        "NPMI +0.100).",
        "The sweep over k = 2..3 supports k = 2 for NMF: score 0.650 (stability 1.00, "
        "NPMI +0.300).",
        "This run fits k = 3 as set by its parameter; the sweep's choice for NMF is k = 2.",
        "At its chosen k, NMF scores highest (0.650 against LDA's 0.550): the model fitted "
        "here.",
        "Across 4 refits on resampled sentences, the most reproducible topic is T0 troops "
        "(mean average Jaccard 0.90) and the least is T1 minerals (0.40).",
        "In a, the largest topic is T0 troops: 50% of the topic weight of its 10 fitted "
        "sentences.",
        "In b, the largest topic is T2 ceasefire: 60% of the topic weight of its 12 fitted "
        "sentences.",
        "zz has no sentence with content words: no topic shares.",
        # Differences a - b: 0.4, 0.0, -0.4; the tie goes to the lower topic.
        "The topic that separates a and b most is T0 troops: 50% against 10%.",
    ]
    lda = topic_findings(sweep, "lda", 2, by_topic.iloc[:0], prevalence, labels, ["a"])
    assert "not LDA, the model fitted here" in lda[2] and len(lda) == 4


def test_sweep_rows_do_not_depend_on_the_number_of_processes(planted, planted_sweep):
    parallel = sweep_topics(planted, ks=(2, 3, 4), model=("lda", "nmf"), seeds=(0, 1, 2),
                            n_top_terms=6, n_jobs=2)
    pd.testing.assert_frame_equal(parallel, planted_sweep)
    # The workers do not outlive the sweep (they would hold memory while notebooks run).
    workers = [child for child in psutil.Process().children(recursive=True)
               if "LokyProcess" in " ".join(child.cmdline())]
    assert workers == []


def test_infeasible_k_is_left_out_only_when_asked(planted):
    too_many = len(planted) + 1
    with pytest.raises(ValueError, match="cannot fit"):
        sweep_topics(planted, ks=(2, too_many), model="nmf", seeds=(0, 1))
    sweep = sweep_topics(planted, ks=(2, too_many), model="nmf", seeds=(0, 1),
                         skip_infeasible=True)
    assert sweep["k"].tolist() == [2]
    none = sweep_topics(planted, ks=(too_many,), model="nmf", seeds=(0, 1),
                        skip_infeasible=True)
    pd.testing.assert_frame_equal(none, tables.empty_table("topic_sweep"))


# --- large corpora: a sample to fit, every sentence's shares inferred -----------------


def test_sample_sentences_keeps_a_small_table_and_draws_a_seeded_sample_of_a_large_one(
        seed_sentences):
    from analysis.measures.topics import sample_sentences

    assert sample_sentences(seed_sentences, None) is seed_sentences
    assert sample_sentences(seed_sentences, len(seed_sentences)) is seed_sentences
    drawn = sample_sentences(seed_sentences, 20, seed=3)
    assert len(drawn) == 20
    assert drawn.equals(sample_sentences(seed_sentences.iloc[::-1], 20, seed=3))
    assert list(zip(drawn["article_id"], drawn["sentence_id"], strict=True)) == sorted(
        zip(drawn["article_id"], drawn["sentence_id"], strict=True))
    assert not drawn.equals(sample_sentences(seed_sentences, 20, seed=4))


def test_a_model_fitted_to_a_sample_gives_every_sentence_its_shares(seed_sentences):
    from analysis.measures.topics import infer_topics, sample_sentences

    sample = sample_sentences(seed_sentences, 30, seed=0)
    fit = fit_topics(sample, 3, "lda", seed=0)
    weights = infer_topics(fit, seed_sentences)
    all_docs = fit_topics(seed_sentences, 3, "lda", seed=0).doc_topics
    keys = ["article_id", "sentence_id", "topic"]
    assert weights[keys].equals(all_docs[keys])  # every document, k rows each
    per_doc = weights.groupby(["article_id", "sentence_id"])["weight"].sum()
    np.testing.assert_allclose(per_doc, 1.0)
    # LDA's fit_transform is fit then transform, so the sampled sentences get exactly
    # the shares of the fit, topics numbered alike.
    fitted = fit.doc_topics.merge(weights, on=keys, suffixes=("_fit", "_inferred"))
    assert len(fitted) == len(fit.doc_topics)
    np.testing.assert_allclose(fitted["weight_fit"], fitted["weight_inferred"])


def test_lda_learns_online_above_the_batch_limit():
    from analysis.measures.topics import fitting

    limit = fitting.LDA_BATCH_LIMIT
    assert fitting._estimator("lda", 3, 0, limit).learning_method == "batch"
    assert fitting._estimator("lda", 3, 0, limit + 1).learning_method == "online"
    assert type(fitting._estimator("nmf", 3, 0, limit + 1)).__name__ == "NMF"
