"""Tests of analysis.measures.compare: hand-worked log-odds and keyness, properties, KWIC."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import power_divergence

from analysis.data.tables import TABLES, read_table, to_csv_bytes, write_table
from analysis.errors import InputError
from analysis.measures import compare

from factories import SEED_RAW, raw_texts, sentences_table


def row(frame, **where):
    mask = np.logical_and.reduce([frame[k] == v for k, v in where.items()])
    assert mask.sum() == 1, where
    return frame.loc[mask].iloc[0]


# --- log-odds with informative Dirichlet prior (Monroe et al. 2008) -------------------

# Vocabulary {x, y, z}; counts a = (3, 1, 0), n^a = 4; counts b = (1, 2, 3), n^b = 6;
# prior alpha = (1, 1, 2), alpha_0 = 4.
COUNTS_A = {"x": 3, "y": 1, "z": 0}
COUNTS_B = {"x": 1, "y": 2, "z": 3}
PRIOR = {"x": 1.0, "y": 1.0, "z": 2.0}


def test_log_odds_worked_example():
    result = compare.log_odds_dirichlet(COUNTS_A, COUNTS_B, PRIOR).set_index("term")
    # x: a-odds (3+1)/(4+4-3-1) = 4/4 = 1; b-odds (1+1)/(6+4-1-1) = 2/8 = 1/4.
    #    delta = ln 1 - ln(1/4) = ln 4 = 1.386294361; var = 1/(3+1) + 1/(1+1) = 0.75;
    #    z = 1.386294361 / sqrt(0.75) = 1.386294361 / 0.866025404 = 1.600754845.
    # y: a-odds (1+1)/(4+4-1-1) = 2/6 = 1/3; b-odds (2+1)/(6+4-2-1) = 3/7.
    #    delta = ln(1/3) - ln(3/7) = ln(7/9) = -0.251314428; var = 1/2 + 1/3 = 5/6;
    #    z = -0.251314428 / 0.912870929 = -0.275301163.
    # z: a-odds (0+2)/(4+4-0-2) = 2/6 = 1/3; b-odds (3+2)/(6+4-3-2) = 5/5 = 1.
    #    delta = ln(1/3) - ln 1 = -1.098612289; var = 1/2 + 1/5 = 0.7;
    #    z = -1.098612289 / 0.836660027 = -1.313092838.
    expected = {
        "x": (math.log(4), 0.75, 1.600754845137),
        "y": (math.log(7 / 9), 5 / 6, -0.275301162792),
        "z": (-math.log(3), 0.7, -1.313092837982),
    }
    assert list(result.index) == ["x", "y", "z"]
    for term, (delta, variance, z_score) in expected.items():
        assert result.loc[term, "log_odds"] == pytest.approx(delta, abs=1e-9)
        assert result.loc[term, "variance"] == pytest.approx(variance, abs=1e-9)
        assert result.loc[term, "z_score"] == pytest.approx(z_score, abs=1e-9)
    assert result["count_a"].tolist() == [3, 1, 0]
    assert result["alpha"].tolist() == [1.0, 1.0, 2.0]


def test_log_odds_swap_negates_delta_and_z():
    forward = compare.log_odds_dirichlet(COUNTS_A, COUNTS_B, PRIOR)
    backward = compare.log_odds_dirichlet(COUNTS_B, COUNTS_A, PRIOR)
    np.testing.assert_allclose(backward["log_odds"], -forward["log_odds"], atol=1e-12)
    np.testing.assert_allclose(backward["z_score"], -forward["z_score"], atol=1e-12)
    np.testing.assert_allclose(backward["variance"], forward["variance"], atol=1e-12)


def test_log_odds_identical_corpora_give_zero():
    counts = {"a": 5, "b": 1, "c": 9}
    prior = compare.informative_prior(counts, prior_size=50)
    result = compare.log_odds_dirichlet(counts, counts, prior)
    assert (result["log_odds"] == 0).all()
    assert (result["z_score"] == 0).all()


def test_log_odds_prior_only_terms_count_in_alpha0_but_get_no_row():
    # A background term "w" with alpha 4 raises alpha_0 from 4 to 8 without a row.
    result = compare.log_odds_dirichlet(COUNTS_A, COUNTS_B, {**PRIOR, "w": 4.0})
    assert result["term"].tolist() == ["x", "y", "z"]
    # x: a-odds (3+1)/(4+8-4) = 4/8; b-odds (1+1)/(6+8-2) = 2/12; delta = ln(0.5/(1/6)) = ln 3.
    assert result.loc[0, "log_odds"] == pytest.approx(math.log(3), abs=1e-9)


def test_log_odds_of_a_one_term_vocabulary_is_zero_not_nan():
    result = compare.log_odds_dirichlet({"x": 3}, {"x": 5}, {"x": 1.0})
    assert result[["log_odds", "z_score"]].values.tolist() == [[0.0, 0.0]]


def test_log_odds_rejects_missing_prior_and_negative_counts():
    with pytest.raises(ValueError, match="prior must be positive"):
        compare.log_odds_dirichlet(COUNTS_A, COUNTS_B, {"x": 1.0, "y": 1.0})
    with pytest.raises(ValueError, match="non-negative"):
        compare.log_odds_dirichlet({"x": -1}, COUNTS_B, PRIOR)


def test_informative_prior_scales_shares_to_prior_size():
    prior = compare.informative_prior({"a": 3, "b": 1, "zero": 0}, prior_size=1000)
    assert prior.to_dict() == {"a": 750.0, "b": 250.0}
    assert compare.informative_prior({}, prior_size=10).empty
    with pytest.raises(ValueError, match="prior_size"):
        compare.informative_prior({"a": 1}, prior_size=0)


# --- keyness --------------------------------------------------------------------------


def test_keyness_worked_example():
    # Term t: 10 of 1000 tokens in A, 2 of 1000 in B.
    result = compare.keyness({"t": 10, "rest": 990}, {"t": 2, "rest": 998}).set_index("term")
    # Dunning's G2 of the whole table [[10, 2], [990, 998]]: expected 6, 6, 994, 994, so
    # G2 = 2 (10 ln(10/6) + 2 ln(2/6) + 990 ln(990/994) + 998 ln(998/994)) = 5.854256566,
    # not the two-cell 2 (10 ln(10/6) + 2 ln(2/6)) = 5.822063321 of Rayson & Garside.
    # p = P(chi2_1 > 5.854256566) = erfc(sqrt(5.854256566 / 2)).
    # Yates: N = 2000, |10*998 - 2*990| = 8000, (8000 - 1000)^2 = 49e6;
    #        chi2 = 2000 * 49e6 / (12 * 1988 * 1000 * 1000) = 98 / 23.856 = 4.107981221.
    by_hand = 2 * (10 * math.log(10 / 6) + 2 * math.log(2 / 6) + 990 * math.log(990 / 994)
                   + 998 * math.log(998 / 994))
    assert by_hand == pytest.approx(5.854256566, abs=1e-9)
    assert result.loc["t", "log_likelihood"] == pytest.approx(by_hand, abs=1e-9)
    assert result.loc["t", "log_likelihood"] == pytest.approx(power_divergence(
        [10, 2, 990, 998], [6, 6, 994, 994], lambda_="log-likelihood").statistic, abs=1e-9)
    assert result.loc["t", "p_value"] == pytest.approx(math.erfc(math.sqrt(by_hand / 2)),
                                                       abs=1e-9)
    assert result.loc["t", "chi2_yates"] == pytest.approx(98 / 23.856, abs=1e-9)
    assert result.loc["t", "p_value_yates"] == pytest.approx(0.042681280923, abs=1e-9)
    # "rest" is relatively under-used in A (990 < 998): negative sign, same Yates size.
    assert result.loc["rest", "log_likelihood"] < 0
    assert result.loc["rest", "chi2_yates"] == pytest.approx(-98 / 23.856, abs=1e-9)


def test_keyness_sign_flips_with_order_and_is_zero_when_equal():
    a, b = {"p": 7, "q": 1, "r": 4}, {"p": 2, "q": 5, "s": 3}
    forward, backward = compare.keyness(a, b), compare.keyness(b, a)
    np.testing.assert_allclose(backward["log_likelihood"], -forward["log_likelihood"])
    np.testing.assert_allclose(backward["chi2_yates"], -forward["chi2_yates"])
    np.testing.assert_allclose(backward["p_value"], forward["p_value"])
    same = compare.keyness(a, a)
    assert (same["log_likelihood"] == 0).all()
    assert (same["p_value"] == 1).all()


def test_keyness_with_an_empty_corpus_is_zero_not_an_error():
    result = compare.keyness({"p": 3}, {})
    assert result["log_likelihood"].tolist() == [0.0]
    assert result["chi2_yates"].tolist() == [0.0]
    assert compare.keyness({}, {}).empty


# --- distinctive_terms table ----------------------------------------------------------

TWO_ARTICLES = {
    "a": [("title", "NATO guarantee"), ("body", "NATO.")],
    "b": [("title", "Minerals deal"), ("body", "NATO said.")],
}


def test_distinctive_terms_worked_example():
    sentences = sentences_table(articles=TWO_ARTICLES)
    table = compare.distinctive_terms(sentences, prior_size=6)
    assert list(table.columns) == list(TABLES["distinctive_terms"].columns)
    assert list(zip(table["article_id"], table["term"], strict=True)) == [
        ("a", "guarantee"), ("a", "nato"), ("b", "deal"), ("b", "minerals"), ("b", "nato")
    ]
    # Content tokens: a = nato, guarantee, nato (n=3); b = minerals, deal, nato (n=3;
    # "said" is a stop word). Corpus: nato 3, guarantee 1, minerals 1, deal 1 (6 tokens),
    # so with prior_size 6 the prior is the corpus count: alpha_nato = 3, alpha_0 = 6.
    nato = row(table, article_id="a", term="nato")
    assert (nato["count"], nato["count_rest"]) == (2, 1)
    assert nato["rate_per_1000"] == pytest.approx(2000 / 3, abs=1e-9)
    assert nato["rate_rest_per_1000"] == pytest.approx(1000 / 3, abs=1e-9)
    # a-odds (2+3)/(3+6-2-3) = 5/4; rest-odds (1+3)/(3+6-1-3) = 4/5;
    # delta = ln(5/4) - ln(4/5) = 2 ln 1.25 = 0.446287103; var = 1/5 + 1/4 = 0.45;
    # z = 0.446287103 / 0.670820393 = 0.665283...
    assert nato["log_odds"] == pytest.approx(2 * math.log(1.25), abs=1e-9)
    assert nato["z_score"] == pytest.approx(2 * math.log(1.25) / math.sqrt(0.45), abs=1e-9)
    # Table [[2, 1], [1, 2]], every expected count 1.5:
    # G2 = 2 (2 ln(2/1.5) + 1 ln(1/1.5) + 1 ln(1/1.5) + 2 ln(2/1.5)) = 0.679596147,
    # over-used in a: positive.
    assert nato["log_likelihood"] == pytest.approx(0.679596147182, abs=1e-9)
    # guarantee: a-odds (1+1)/(3+6-1-1) = 2/7; rest-odds (0+1)/(3+6-0-1) = 1/8;
    # delta = ln(16/7) = 0.826678573; var = 1/2 + 1/1 = 1.5; z = 0.674972...
    guarantee = row(table, article_id="a", term="guarantee")
    assert guarantee["log_odds"] == pytest.approx(math.log(16 / 7), abs=1e-9)
    assert guarantee["z_score"] == pytest.approx(math.log(16 / 7) / math.sqrt(1.5), abs=1e-9)
    # Two articles: b's rest is a, so the shared term's scores are exactly negated.
    nato_b = row(table, article_id="b", term="nato")
    assert nato_b["log_odds"] == pytest.approx(-nato["log_odds"], abs=1e-12)
    assert nato_b["z_score"] == pytest.approx(-nato["z_score"], abs=1e-12)
    assert nato_b["log_likelihood"] == pytest.approx(-nato["log_likelihood"], abs=1e-12)


def test_distinctive_terms_matches_log_odds_of_article_against_pooled_rest():
    sentences = sentences_table(
        articles={
            "a": ["Security guarantees for Ukraine, security first."],
            "b": ["Minerals deal with Ukraine and Europe."],
            "c": ["Europe security troops Europe.", ("title", "Troops")],
        }
    )
    table = compare.distinctive_terms(sentences, prior_size=100)
    counts = compare.term_counts(sentences).pivot_table(
        index="term", columns="article_id", values="count", fill_value=0
    )
    prior = compare.informative_prior(counts.sum(axis=1), prior_size=100)
    for article_id in ["a", "b", "c"]:
        rest = counts.drop(columns=article_id).sum(axis=1)
        expected = compare.log_odds_dirichlet(counts[article_id], rest, prior).set_index("term")
        got = table.loc[table["article_id"] == article_id].set_index("term")
        assert (got["count_rest"] == expected.loc[got.index, "count_b"]).all()
        np.testing.assert_allclose(got["z_score"], expected.loc[got.index, "z_score"])
        np.testing.assert_allclose(got["log_odds"], expected.loc[got.index, "log_odds"])
        # Only terms the article uses; every one of them.
        assert set(got.index) == set(counts.index[counts[article_id] > 0])
        # q: Benjamini-Hochberg over this article's terms only, never below p.
        from scipy.stats import false_discovery_control
        np.testing.assert_allclose(got["q_value"], false_discovery_control(got["p_value"]),
                                   atol=1e-6)
        assert (got["q_value"] >= got["p_value"] - 1e-6).all()
    assert row(table, article_id="c", term="europe")["count_rest"] == 1


def test_distinctive_terms_single_article_or_no_words_is_empty():
    one = sentences_table("NATO guarantee for Ukraine", article_id="a")
    for sentences in (one, one.iloc[:0], sentences_table(articles={"a": ["NATO"],
                                                                   "b": ["the 2025"]})):
        table = compare.distinctive_terms(sentences)
        assert table.empty
        assert list(table.columns) == list(TABLES["distinctive_terms"].columns)


def test_distinctive_terms_min_count_and_sections():
    sentences = sentences_table(articles=TWO_ARTICLES)
    frequent = compare.distinctive_terms(sentences, min_count=2)
    assert list(zip(frequent["article_id"], frequent["term"], strict=True)) == [("a", "nato")]
    titles = compare.distinctive_terms(sentences, sections=["title"])
    assert sorted(titles["term"]) == ["deal", "guarantee", "minerals", "nato"]
    assert row(titles, article_id="a", term="nato")["count_rest"] == 0
    with pytest.raises(ValueError, match="min_count"):
        compare.distinctive_terms(sentences, min_count=0)
    # A misspelt section used to select nothing, silently; it is named now.
    with pytest.raises(InputError, match=r"unknown \['titel'\]"):
        compare.distinctive_terms(sentences, sections=["titel"])
    with pytest.raises(InputError, match="unknown"):
        compare.keyword_in_context(sentences, "nato", sections="lede")


def test_distinctive_terms_round_trip_is_byte_stable(tmp_path):
    sentences = sentences_table(articles=TWO_ARTICLES)
    table = compare.distinctive_terms(sentences.iloc[::-1])
    path = write_table(table, "distinctive_terms", tmp_path)
    again = compare.distinctive_terms(sentences)
    assert path.read_bytes() == to_csv_bytes(again, "distinctive_terms")
    back = read_table("distinctive_terms", tmp_path)
    np.testing.assert_allclose(back["z_score"], table["z_score"], atol=1e-6)


def test_top_distinctive_terms_orders_by_score_then_term():
    table = pd.DataFrame(
        {
            "article_id": ["b", "a", "a", "a", "a"],
            "term": ["x", "delta", "beta", "alpha", "gamma"],
            "z_score": [0.5, 2.0, 1.0, 1.0, -3.0],
        }
    )
    top = compare.top_distinctive_terms(table, n=3)
    assert list(zip(top["article_id"], top["term"], strict=True)) == [
        ("a", "delta"), ("a", "alpha"), ("a", "beta"), ("b", "x")
    ]
    assert compare.top_distinctive_terms(table, n=1, by=None)["term"].tolist() == ["delta"]


def test_compare_groups_by_section_and_id_sets():
    sentences = sentences_table(
        articles={**TWO_ARTICLES, "c": ["Minerals deal minerals", ("title", "Deal")]}
    )
    by_section = compare.compare_groups(sentences, "section", "title", "body", prior_size=10)
    # title: nato, guarantee, minerals, deal, deal (5); body: nato, nato, minerals x2, deal (5).
    deal = row(by_section, term="deal")
    assert (deal["count_a"], deal["count_b"]) == (2, 1)
    assert deal["rate_a"] == pytest.approx(400.0)
    assert by_section["z_score"].is_monotonic_decreasing
    # Two explicit id sets vs one article against the rest: same as the table for "a".
    sets = compare.compare_groups(sentences, "article_id", ["a"], {"b", "c"}, prior_size=10)
    table = compare.distinctive_terms(sentences, prior_size=10)
    got = sets.loc[sets["count_a"] > 0].set_index("term").sort_index()
    want = table.loc[table["article_id"] == "a"].set_index("term")
    np.testing.assert_allclose(got["z_score"], want["z_score"])
    rest = compare.compare_groups(sentences, "article_id", "a", prior_size=10)
    pd.testing.assert_frame_equal(rest, sets)
    with pytest.raises(ValueError, match="share values"):
        compare.compare_groups(sentences, "article_id", ["a", "b"], "b")


# --- collocations ---------------------------------------------------------------------


def test_collocations_stay_within_sentences_and_rank_deterministically():
    sentences = sentences_table(
        articles={
            "a": ["Security guarantees matter. Security guarantees again",
                  "Security guarantees", "Minerals"],
            "b": ["Deal minerals deal minerals"],
        }
    )
    overall = compare.collocations(sentences, min_freq=2)
    assert list(overall.columns) == ["first", "second", "count", "score"]
    assert overall.iloc[0][["first", "second", "count"]].tolist() == [
        "security", "guarantees", 3
    ]
    # "guarantees" ends sentence 2 and "minerals" starts sentence 3: never a bigram.
    pairs = set(zip(overall["first"], overall["second"], strict=True))
    assert ("guarantees", "minerals") not in pairs
    assert overall["count"].min() >= 2
    assert overall["score"].is_monotonic_decreasing
    per_article = compare.collocations(sentences, by="article_id", min_freq=1, top=1)
    assert per_article[["article_id", "first", "second"]].values.tolist() == [
        ["a", "security", "guarantees"], ["b", "deal", "minerals"]
    ]
    pd.testing.assert_frame_equal(overall, compare.collocations(sentences.iloc[::-1]))
    pmi = compare.collocations(sentences, measure="pmi", min_freq=1)
    assert pmi["score"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="unknown association measure"):
        compare.collocations(sentences, measure="no_such_measure")


def test_collocations_of_nothing_is_an_empty_frame():
    sentences = sentences_table("The", article_id="a")
    result = compare.collocations(sentences, by="article_id")
    assert result.empty
    assert list(result.columns) == ["article_id", "first", "second", "count", "score"]


# --- keyword in context ---------------------------------------------------------------

KWIC_ARTICLES = {
    "a": [
        ("title", "NATO-style security guarantee for Ukraine"),
        "Similar to Article 5 of NATO, said the European and\tNATO's envoys.",
        "Security  Guarantees were offered; Europe\u2019s answer and Europe's.",
    ],
    "b": ["Ukraine cannot join nato; article\n5 was not on offer."],
}


def test_keyword_in_context_offsets_point_into_the_raw_text():
    sentences = sentences_table(articles=KWIC_ARTICLES)
    raw = raw_texts(sentences)
    result = compare.keyword_in_context(sentences, "nato", width=8)
    assert list(result.columns) == list(compare.KWIC_COLUMNS)
    for hit in result.itertuples():
        assert raw[hit.article_id][hit.start:hit.end] == hit.match
    assert result[["article_id", "sentence_id", "section", "match"]].values.tolist() == [
        ["a", 0, "title", "NATO"], ["a", 1, "body", "NATO"], ["a", 1, "body", "NATO"],
        ["b", 0, "body", "nato"],
    ]
    # Sentence 1 of "a" starts after the 41-character title and a newline: 42 + 24.
    assert result.loc[1, ["start", "end"]].tolist() == [66, 70]
    assert result.loc[1, "left"] == "le 5 of "
    assert result.loc[1, "right"] == ", said t"
    assert result.loc[0, "left"] == ""


def test_keyword_in_context_phrases_boundaries_and_inflections():
    sentences = sentences_table(articles=KWIC_ARTICLES)
    raw = raw_texts(sentences)
    article5 = compare.keyword_in_context(sentences, "Article 5")
    assert article5["match"].tolist() == ["Article 5", "article\n5"]
    phrase = compare.keyword_in_context(sentences, "security guarantee")
    assert phrase["match"].tolist() == ["security guarantee"]
    plural = compare.keyword_in_context(sentences, "security guarantee", inflections=True)
    assert plural["match"].tolist() == ["security guarantee", "Security  Guarantees"]
    # "Europe" is not "European"; the possessive needs inflections (curly or straight).
    assert compare.keyword_in_context(sentences, "Europe")["match"].tolist() == [
        "Europe", "Europe"
    ]
    possessive = compare.keyword_in_context(sentences, "europe", inflections=True)
    assert possessive["match"].tolist() == ["Europe\u2019s", "Europe's"]
    for hit in possessive.itertuples():
        assert raw[hit.article_id][hit.start:hit.end] == hit.match
    assert compare.keyword_in_context(sentences, "Europe's")["match"].tolist() == [
        "Europe\u2019s", "Europe's"
    ]
    assert compare.keyword_in_context(sentences, "uk").empty
    assert compare.keyword_in_context(sentences, "raine").empty


def test_keyword_in_context_sections_and_empty_results():
    sentences = sentences_table(articles=KWIC_ARTICLES)
    titles = compare.keyword_in_context(sentences, "NATO", sections=["title"])
    assert titles["sentence_id"].tolist() == [0]
    none = compare.keyword_in_context(sentences, "Crimea")
    assert none.empty
    assert list(none.columns) == list(compare.KWIC_COLUMNS)
    with pytest.raises(ValueError, match="at least one word"):
        compare.keyword_in_context(sentences, "   ")


# --- the seed articles (needs analysis.data.corpus) ----------------------------------------


def test_seed_distinctive_terms_and_kwic(seed_sentences):
    sentences = seed_sentences
    table = compare.distinctive_terms(sentences)
    assert set(table["article_id"]) == {"ked-2025-02-27", "ked-2025-12-15"}
    top = compare.top_distinctive_terms(table, n=10)
    # The minerals-deal article against the Berlin-talks article, and vice versa.
    assert {"economic", "mineral"} <= set(top.loc[top["article_id"] == "ked-2025-02-27", "term"])
    assert top.loc[top["article_id"] == "ked-2025-12-15", "term"].iloc[0] == "ceasefire"
    shared = table.pivot_table(index="term", columns="article_id", values="z_score").dropna()
    np.testing.assert_allclose(shared.iloc[:, 0], -shared.iloc[:, 1], atol=1e-12)
    hits = compare.keyword_in_context(sentences, "security guarantee", inflections=True)
    files = {"ked-2025-02-27": "004_6b0f1225c6dc12f3.txt",
             "ked-2025-12-15": "000_f97049b513315708.txt"}
    texts = {k: (SEED_RAW / v).read_text(encoding="utf-8") for k, v in files.items()}
    assert len(hits) >= 10
    for hit in hits.itertuples():
        assert texts[hit.article_id][hit.start:hit.end] == hit.match


def test_prior_sensitivity_refits_the_compared_articles_under_other_weights():
    sentences = sentences_table(articles={
        "a": ["Troops troops troops guard the border.", "A rare monitoring mission starts."],
        "b": ["Minerals deal signed.", "Border talks continue."],
        "c": ["Europe pledges aid.", "Border guards wait."],
    })
    table = compare.prior_sensitivity(sentences, ["a", "b"], n=3, prior_size=10,
                                      factors=(0.1, 100))
    assert table["prior_size"].tolist() == [10, 10, 1, 1, 1000, 1000]
    # At the built weight the top terms are distinctive_terms' own, so all are kept.
    built = compare.top_distinctive_terms(compare.distinctive_terms(sentences, prior_size=10),
                                          n=3)
    for article_id in ("a", "b"):
        expected = built.loc[built["article_id"] == article_id, "term"].tolist()
        row = table.iloc[["a", "b"].index(article_id)]
        assert row["top_terms"] == ", ".join(expected) and row["kept"] == 3
    assert table["kept"].between(0, 3).all()
