"""Synthesis: side-by-side table, findings, on hand-made tables and on the seed corpus."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.data import corpus, tables
from analysis.errors import InputError
from analysis.measures import compare, framing, sentiment, topics
from analysis.pipeline import build
from analysis.views import synthesis

from factories import SEED_RAW, sentences_table

SEED_A, SEED_B = "ked-2025-02-27", "ked-2025-12-15"


# --------------------------------------------------------------------------- hand-made tables


def _table(name, records):
    spec = tables.spec_for(name)
    if not records:
        return tables.empty_table(name)
    return tables.conform(pd.DataFrame(records, columns=list(spec.columns)), name)


@pytest.fixture(scope="module")
def small():
    """Three articles: a1 Europe-led, a2 a US/Europe tie, a3 without guarantee content."""
    sentences = sentences_table(articles={
        "a1": ["Europe must guarantee security.", "Not America, says the president.",
               "Ukraine cannot join NATO.", "Minerals matter for the economy."],
        "a2": ["The US offers Article 5.", "Europe joins the guarantee.",
               "The US and Europe sign."],
        "a3": ["Grain exports rose in spring.", "Farmers were pleased."],
    })
    mentions = _table("guarantee_mentions", [
        ("a1", 0, "guarantor", "europe", False, "asserted", "c"),
        ("a1", 1, "guarantor", "europe", False, "asserted", "c"),
        ("a1", 1, "guarantor", "united_states", True, "asserted", "c"),
        ("a1", 2, "form", "alliance_membership", True, "asserted", "c"),
        ("a1", 3, "form", "economic_stake", False, "asserted", "c"),
        ("a2", 0, "guarantor", "united_states", False, "asserted", "c"),
        ("a2", 0, "form", "collective_defense", False, "asserted", "c"),
        ("a2", 1, "guarantor", "europe", False, "asserted", "c"),
        ("a2", 2, "guarantor", "united_states", False, "asserted", "c"),
        ("a2", 2, "guarantor", "europe", False, "asserted", "c"),
    ])
    frames = _table("frames", [
        ("a1", 0, "responsibility", "c"), ("a1", 3, "economic_consequences", "c"),
        ("a1", 2, "economic_consequences", "c"), ("a2", 0, "conflict", "c"),
    ])
    quotes = _table("quotes", [
        ("a1", 1, "Donald Trump", "Not America"), ("a1", 2, "Donald Trump", "cannot"),
        ("a1", 3, framing.UNKNOWN_SPEAKER, "Minerals"), ("a1", 3, "Scott Bessent", "matter"),
        ("a2", 1, "Volodymyr Zelensky", "joins"),
    ])
    scores = _table("sentiment", [
        (a, i, v, 0.0, 1.0, 0.0, p, 0.0) for a, i, v, p in [
            ("a1", 0, 0.5, 0.1), ("a1", 1, 0.7, 0.2), ("a1", 2, 0.6, 0.0), ("a1", 3, 0.4, 0.1),
            ("a2", 0, -0.2, 0.0), ("a2", 1, 0.0, -0.1), ("a2", 2, -0.4, 0.0),
            ("a3", 0, 0.3, 0.2), ("a3", 1, 0.5, 0.4),
        ]
    ])
    articles = _table("articles", [
        (a, f"{a}.txt", "", f"Title {a}", outlet, date, author, "en", n, 10 * n)
        for a, outlet, date, author, n in [
            ("a1", "Outlet One", "2025-02-01", "Ann", 4), ("a2", "Outlet Two", "2025-03-01",
                                                           "", 3),
            ("a3", "Outlet One", "2025-04-01", "Bo", 2),
        ]
    ])
    prevalence = _table("topic_prevalence", [
        ("lda", 2, 1, "a1", 0, 0.9, 4), ("lda", 2, 1, "a1", 1, 0.1, 4),
        ("lda", 2, 0, "a1", 0, 0.3, 4), ("lda", 2, 0, "a1", 1, 0.7, 4),
        ("lda", 2, 0, "a2", 0, 0.5, 3), ("lda", 2, 0, "a2", 1, 0.5, 3),
    ])
    terms = _table("topic_terms", [
        ("lda", 2, 0, 0, r, t, 0.1) for r, t in enumerate(["us", "article", "guarantee"])
    ] + [("lda", 2, 0, 1, r, t, 0.1) for r, t in enumerate(["europe", "minerals", "nato"])]
      + [("lda", 2, 1, 0, 0, "other", 0.1)])
    return {
        "articles": articles, "sentences": sentences, "guarantee_mentions": mentions,
        "frames": frames, "quotes": quotes, "sentiment": scores,
        "article_sentiment": sentiment.article_sentiment(scores, n_boot=200, seed=0),
        "distinctive_terms": compare.distinctive_terms(sentences),
        "topic_terms": terms, "topic_prevalence": prevalence,
    }


@pytest.fixture(scope="module")
def small_result(small):
    return synthesis.compute_synthesis(small, ["a1", "a2", "a3"], n_perm=500, seed=0)


def _cells(table, measure):
    rows = table[table["measure"] == measure]
    assert len(rows) == 1, f"{measure!r} should be one row of the table"
    return rows.iloc[0, 1:].tolist()


def test_table_has_one_column_per_article_and_readable_measures(small_result):
    table = synthesis.format_synthesis(small_result)
    assert list(table.columns) == ["measure", "a1", "a2", "a3"]
    assert table["measure"].is_unique
    assert all(isinstance(v, str) for v in table.iloc[:, 1:].to_numpy().ravel())
    assert _cells(table, "Published") == ["2025-02-01", "2025-03-01", "2025-04-01"]
    assert _cells(table, "Author") == ["Ann", "n/a", "Bo"]
    assert _cells(table, "Sentences") == ["4", "3", "2"]


def test_guarantee_rows(small_result):
    table = synthesis.format_synthesis(small_result)
    assert _cells(table, "Dominant guarantor (affirming sentences)") == [
        "europe: 2 sentences", "united_states = europe (tie): 2 sentences", "none"]
    affirmed = _cells(table, "Guarantors affirmed: share of affirmed mentions (sentences)")
    assert affirmed == ["europe 1.00 (2)", "united_states 0.50 (2), europe 0.50 (2)", "none"]
    assert _cells(table, "Guarantors ruled out (sentences)") == [
        "united_states (1)", "none", "none"]
    assert _cells(table, "Forms ruled out (sentences)") == [
        "alliance_membership (1)", "none", "none"]
    assert _cells(table, "NATO membership for Ukraine") == [
        "ruled out (1 sentence)", "not mentioned", "not mentioned"]
    assert _cells(table, "Economic framing: economic stake as guarantee; "
                         "economic-consequences frame") == [
        "stake affirmed (1 sentence); frame in 2 of 4 sentences (0.50)",
        "stake not mentioned; frame in 0 of 3 sentences (0.00)",
        "stake not mentioned; frame in 0 of 2 sentences (0.00)"]


def test_frame_rows_cover_all_five_frames(small_result):
    table = synthesis.format_synthesis(small_result)
    frame_rows = table[table["measure"].str.startswith("Frame ")]
    assert len(frame_rows) == len(framing.frame_names())
    assert _cells(table, "Frame responsibility: share of sentences (count)") == [
        "0.25 (1)", "0.00 (0)", "0.00 (0)"]


def test_sentiment_rows_follow_the_tables(small, small_result):
    table = synthesis.format_synthesis(small_result)
    means = small["article_sentiment"].set_index(["article_id", "measure"])
    a1 = means.loc[("a1", "vader_compound")]
    expected = f"{a1['mean']:.2f} [{a1['ci_low']:.2f}, {a1['ci_high']:.2f}] (n=4)"
    assert _cells(table, "VADER compound: mean of sentences [95% CI] (n)")[0] == expected
    tests = small_result.sentiment_tests
    assert list(tests["article_a"]) == ["a2", "a2", "a3", "a3"]
    assert list(tests["measure"]) == ["vader_compound", "textblob_polarity"] * 2
    assert set(tests["article_b"]) == {"a1"}
    a2 = tests.iloc[0]
    assert a2["difference"] == pytest.approx(-0.2 - 0.55)
    cells = _cells(table, "VADER compound: mean difference, article minus a1 (permutation test)")
    assert cells[0] == "reference"
    assert cells[1].startswith("-0.75, p = ") and "Cliff's delta -1.00" in cells[1]
    # Two articles by two lexicons against the reference: one family of four tests.
    from scipy.stats import false_discovery_control
    assert list(tests["q_value"]) == pytest.approx(
        list(false_discovery_control(tests["p_value"])))
    assert f"q = {a2['q_value']:.3f}" in cells[1] or "q < 0.001" in cells[1]
    textblob = _cells(table, "TextBlob polarity: mean difference, article minus a1 "
                             "(permutation test)")
    assert textblob[1].startswith(f"{tests.iloc[1]['difference']:.2f}, p = ")


def test_voices_terms_topics(small_result):
    table = synthesis.format_synthesis(small_result)
    # The unresolved speaker is not a voice; ties in count go alphabetically.
    assert _cells(table, "Main voices (quoted sentences)") == [
        "Donald Trump (2), Scott Bessent (1)", "Volodymyr Zelensky (1)", "none"]
    topics_cells = _cells(table, "Most prevalent topic (top terms)")
    # Fit (lda, 2, 0) is the first in (model, k, seed) order; a2's tie goes to topic 0.
    assert topics_cells == ["topic 1 (lda, k=2), share 0.70: europe, minerals, nato",
                            "topic 0 (lda, k=2), share 0.50: us, article, guarantee", "n/a"]
    terms = _cells(table, "Distinctive terms (vs rest of corpus, by z-score)")
    assert all(t != "none" for t in terms)


def test_findings_are_computed_sentences(small_result):
    lines = synthesis.findings(small_result)
    assert len(lines) == 6 * 3 + 4
    assert lines[0] == ("a1: the dominant guarantor is europe, in 2 of 2 affirmed guarantor "
                        "mentions; the dominant form is economic_stake, in 1 of 1 affirmed form"
                        " mentions; it rules out united_states and alliance_membership.")
    assert lines[6].startswith("a2: the guarantors united_states and europe are tied, each in "
                               "2 of 4 affirmed guarantor mentions;")
    assert lines[12].startswith("a3: no guarantor is affirmed; no form is affirmed")
    assert "NATO membership for Ukraine is ruled out" in lines[1]
    assert "the most quoted speaker is Donald Trump (2 sentences" in lines[3]
    assert lines[15] == "a3: no named speaker is quoted."
    assert lines[5] == ("a1: the most prevalent topic (lda, k = 2) is topic 1, mean sentence "
                        "weight 0.70, top terms europe, minerals, nato.")
    assert lines[17] == "a3: no sentence of it was fitted by the topic model."
    assert lines[-4].startswith("Mean VADER compound: a2 ") and "(a2 minus a1)" in lines[-4]
    # 4 + 3 sentences have 35 relabellings, fewer than n_perm = 500: an exact test.
    assert "(exact, all 35 relabellings; not below 0.05)" in lines[-4]
    assert lines[-3].startswith("Mean TextBlob polarity: a2 ")


def test_findings_say_when_the_lexicons_disagree(small_result):
    tests = small_result.sentiment_tests
    disagreeing = dataclasses.replace(small_result, sentiment_tests=tests.assign(
        q_value=[0.01, 0.3, 0.5, 0.5]))
    lines = synthesis.findings(disagreeing)
    assert lines[-3] == (
        "a2 against a1: the lexicons disagree: VADER compound finds a difference at q < 0.05, "
        "TextBlob polarity does not; the tone difference rests on one lexicon's word list, not "
        "on the articles alone.")
    assert len(lines) == len(synthesis.findings(small_result)) + 1


def test_synthesis_table_is_format_of_compute(small):
    direct = synthesis.synthesis_table(small, ["a2", "a1"], n_perm=200, seed=3)
    result = synthesis.compute_synthesis(small, ["a2", "a1"], n_perm=200, seed=3)
    pd.testing.assert_frame_equal(direct, synthesis.format_synthesis(result))
    assert list(direct.columns) == ["measure", "a2", "a1"]


def test_single_article_has_no_test_row(small):
    result = synthesis.compute_synthesis(small, ["a3"], n_perm=100)
    assert result.sentiment_tests.empty
    table = synthesis.format_synthesis(result)
    assert not table["measure"].str.contains("permutation").any()
    assert len(synthesis.findings(result)) == 6


def test_check_article_ids_names_the_unknown_id_and_the_listing_command(small):
    with pytest.raises(InputError) as error:
        corpus.check_article_ids(small["articles"], ["a1", "zz", "a1"])
    problems = error.value.problems
    assert any("'zz' is not in the corpus of 3 articles" in p
               and "python -m analysis articles" in p and "a2" not in p for p in problems)
    assert any("'a1' is given more than once" in p for p in problems)
    with pytest.raises(InputError):
        corpus.check_article_ids(small["articles"], [])


def test_select_articles_picks_rows_in_the_order_of_the_ids():
    table = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a1", "a2"],
                          "row": [0, 1, 2, 3, 4]}, index=[10, 11, 12, 13, 14])
    picked = corpus.select_articles(table, ["a2", "zz", "a1"])
    assert picked["row"].tolist() == [1, 4, 0, 3]
    assert picked.index.tolist() == [0, 1, 2, 3]
    assert corpus.select_articles(table, []).empty
    other = table.rename(columns={"article_id": "article_a"})
    assert corpus.select_articles(other, ["a3"], column="article_a")["row"].tolist() == [2]


def test_load_tables_names_missing_tables(tmp_path, small):
    tables.write_table(small["articles"], "articles", tmp_path)
    with pytest.raises(InputError) as error:
        synthesis.load_tables(tmp_path, ["articles", "sentences", "topic_terms"])
    problems = error.value.problems
    assert len(problems) == 2
    assert all("python -m analysis build" in problem for problem in problems)
    assert "sentences.csv" in problems[0] and "topic_terms.csv" in problems[1]
    loaded = synthesis.load_tables(tmp_path, ["articles"])
    pd.testing.assert_frame_equal(loaded["articles"], small["articles"])


def test_select_topic_fit(small):
    prevalence = small["topic_prevalence"]
    assert synthesis.select_topic_fit(prevalence) == ("lda", 2, 0)
    assert synthesis.select_topic_fit(prevalence, seed=1) == ("lda", 2, 1)
    with pytest.raises(ValueError, match="available"):
        synthesis.select_topic_fit(prevalence, model="nmf")


@pytest.mark.parametrize(("affirmed", "negated", "stance"), [
    (0, 0, "not mentioned"), (2, 0, "affirmed"), (0, 1, "ruled out"),
    (1, 1, "both affirmed and ruled out"),
])
def test_nato_stance(affirmed, negated, stance):
    assert synthesis.nato_stance(affirmed, negated) == stance



def test_label_counts_long_keeps_used_labels(small_result):
    counts = synthesis.label_counts_long(small_result)
    assert set(counts["label"]) == {"europe", "united_states", "alliance_membership",
                                    "economic_stake", "collective_defense"}
    assert len(counts) == 5 * 3  # every used label for every article, zeros included


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """The seed corpus built from data/raw, plus one topic fit as the topics notebook does."""
    processed = tmp_path_factory.mktemp("seeds")
    build.build_tables(SEED_RAW, processed)
    fit = topics.fit_topics(tables.read_table("sentences", processed), 3, "lda", 0)
    tables.write_table(fit.topic_terms, "topic_terms", processed)
    tables.write_table(topics.topic_prevalence(fit.doc_topics), "topic_prevalence", processed)
    return synthesis.load_tables(processed)


def test_seeds_facts_of_the_articles(seeds):
    table = synthesis.synthesis_table(seeds, [SEED_A, SEED_B], n_perm=1000)
    assert _cells(table, "Published") == ["2025-02-27", "2025-12-15"]
    assert _cells(table, "Outlet") == ["The Korea Economic Daily"] * 2
    assert _cells(table, "Author") == ["Park Soo-bin", "Kim Daeyoung"]


def test_seeds_values_follow_from_the_tables(seeds):
    result = synthesis.compute_synthesis(seeds, [SEED_A, SEED_B], n_perm=1000)
    table = synthesis.format_synthesis(result)
    dominant = framing.dominant_labels(seeds["guarantee_mentions"], seeds["sentences"])
    for column, article in enumerate([SEED_A, SEED_B]):
        for dimension in ("guarantor", "form"):
            row = dominant[(dominant["article_id"] == article)
                           & (dominant["dimension"] == dimension)].iloc[0]
            cell = _cells(table, f"Dominant {dimension} (affirming sentences)")[column]
            assert cell.startswith(row["label"] if not row["tie"] else
                                   row["tied_labels"].replace("|", " = "))
    summary = framing.guarantee_summary(seeds["guarantee_mentions"], seeds["sentences"])
    nato = summary[(summary["label"] == "alliance_membership")].set_index("article_id")
    stances = _cells(table, "NATO membership for Ukraine")
    for column, article in enumerate([SEED_A, SEED_B]):
        expected = synthesis.nato_stance(nato.at[article, "affirmed"], nato.at[article, "negated"])
        assert stances[column].startswith(expected)
    means = seeds["article_sentiment"].set_index(["article_id", "measure"])["mean"]
    tests = result.sentiment_tests.iloc[0]
    assert tests["difference"] == pytest.approx(
        means[(SEED_B, "vader_compound")] - means[(SEED_A, "vader_compound")], abs=1e-5)
    # The test counts each statement once, as the build's means do.
    counted = sentiment.counted_once(seeds["sentiment"], seeds["sentences"], 0.8)
    assert len(counted) < len(seeds["sentiment"])
    direct = sentiment.compare_sentiment(counted, SEED_B, SEED_A, n_perm=1000)
    assert tests["p_value"] == direct["p_value"].iloc[0]
    top = compare.top_distinctive_terms(seeds["distinctive_terms"], n=8)
    assert _cells(table, "Distinctive terms (vs rest of corpus, by z-score)")[0] == ", ".join(
        top.loc[top["article_id"] == SEED_A, "term"])
    prevalence = seeds["topic_prevalence"]
    top = prevalence.loc[prevalence.groupby("article_id")["share"].idxmax()].set_index(
        "article_id")
    topic_cells = _cells(table, "Most prevalent topic (top terms)")
    for column, article in enumerate([SEED_A, SEED_B]):
        assert topic_cells[column].startswith(
            f"topic {top.at[article, 'topic']} (lda, k=3), share "
            f"{top.at[article, 'share']:.2f}: ")
    lines = synthesis.findings(result)
    assert all(isinstance(line, str) and line for line in lines)
    # Both lexicons are tested, and a sentence says so when only one finds a difference.
    pair = result.sentiment_tests
    assert list(pair["measure"]) == ["vader_compound", "textblob_polarity"]
    assert len(lines) == 6 * 2 + 2 + (sentiment.lexicon_disagreement(pair) is not None)

