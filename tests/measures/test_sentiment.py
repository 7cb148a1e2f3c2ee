"""Sentence sentiment, bootstrap intervals, permutation tests and aspect means."""

from __future__ import annotations

import math
import warnings
from itertools import combinations

import nltk.data
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from textblob.en.sentiments import PatternAnalyzer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.data import tables
from analysis.errors import InputError
from analysis.measures import sentiment

from factories import sentences_table

TEXTS = [
    "No deal, no peace.",
    "It is without doubt a good deal.",
    "Ukraine is not a NATO member.",
    "They have already lost that territory.",
    "We will have a very good meeting.",
    "It is unclear how Putin will react, and a key issue remains the fate of territory.",
    "There is no peace.",
    "",
]


def _sentiment(rows):
    """A sentiment table from (article_id, sentence_id, compound, polarity) rows."""
    frame = pd.DataFrame(
        rows, columns=["article_id", "sentence_id", "vader_compound", "textblob_polarity"]
    )
    for col in ("vader_pos", "vader_neu", "vader_neg", "textblob_subjectivity"):
        frame[col] = 0.0
    return tables.conform(frame, "sentiment")


@pytest.fixture(scope="module")
def two_articles():
    # One paragraph (0) per article, as in every sentences table of this file.
    return sentences_table(articles={
        "b": [("body", 0, t) for t in TEXTS[4:]],
        "a": [("title" if i == 0 else "body", 0, t) for i, t in enumerate(TEXTS[:4])],
    })


# --- scoring -----------------------------------------------------------------------


def test_score_sentences_equals_reference_vader_and_pattern_textblob(two_articles):
    scored = sentiment.score_sentences(two_articles)
    reference = SentimentIntensityAnalyzer()
    pattern = PatternAnalyzer()
    assert list(scored.columns) == list(tables.spec_for("sentiment").columns)
    assert scored[["article_id", "sentence_id"]].values.tolist() == [
        ["a", 0], ["a", 1], ["a", 2], ["a", 3], ["b", 0], ["b", 1], ["b", 2], ["b", 3]
    ]
    texts = two_articles["text"].tolist()
    for row, text in zip(scored.itertuples(), texts, strict=True):
        vader = reference.polarity_scores(text)
        assert (row.vader_compound, row.vader_pos, row.vader_neu, row.vader_neg) == (
            vader["compound"], vader["pos"], vader["neu"], vader["neg"]
        )
        blob = pattern.analyze(text)
        assert (row.textblob_polarity, row.textblob_subjectivity) == (
            blob.polarity, blob.subjectivity
        )
    by_text = dict(zip(texts, scored["vader_compound"], strict=True))
    assert by_text["No deal, no peace."] == -0.4874
    assert by_text["We will have a very good meeting."] == 0.4927
    assert by_text[""] == 0.0


def test_score_sentences_is_byte_stable_and_handles_empty_and_missing_text(two_articles):
    first = tables.to_csv_bytes(sentiment.score_sentences(two_articles), "sentiment")
    shuffled = two_articles.sample(frac=1.0, random_state=3)
    assert tables.to_csv_bytes(sentiment.score_sentences(shuffled), "sentiment") == first
    empty = sentiment.score_sentences(two_articles.iloc[:0])
    assert empty.empty and list(empty.columns) == list(tables.spec_for("sentiment").columns)
    missing = two_articles.head(1).assign(text=[None])
    assert sentiment.score_sentences(missing)["vader_compound"].tolist() == [0.0]
    assert sentiment.reference_vader() is sentiment.reference_vader()


def test_score_sentences_names_missing_columns():
    with pytest.raises(ValueError, match="text"):
        sentiment.score_sentences(pd.DataFrame({"article_id": ["a"], "sentence_id": [0]}))


# --- reference VADER versus NLTK's port --------------------------------------------


def test_nltk_port_reads_the_reference_lexicon_offline_and_restores_the_data_path():
    before = list(nltk.data.path)
    ported = sentiment.nltk_vader()
    assert nltk.data.path == before
    assert ported.lexicon == sentiment.reference_vader().lexicon
    assert sentiment.nltk_vader() is ported


def test_disagreement_lists_the_negation_cases_with_both_scores(two_articles):
    disagreement = sentiment.vader_implementation_disagreement(two_articles)
    assert list(disagreement.columns) == [
        "article_id", "sentence_id", "text", "reference_compound", "nltk_compound",
        "difference",
    ]
    found = {row.text: (row.reference_compound, row.nltk_compound, row.difference)
             for row in disagreement.itertuples()}
    # The reference reads "no" before a lexicon word as a negator; NLTK scores it as a
    # negative word and flips "peace" the other way.
    assert found["No deal, no peace."] == pytest.approx((-0.4874, 0.0258, 0.5132))
    # The reference keeps "without doubt" affirmative; NLTK negates the "good" after it.
    assert found["It is without doubt a good deal."] == pytest.approx(
        (0.6136, -0.0762, -0.6898)
    )
    assert found["There is no peace."] == pytest.approx((-0.431, 0.3182, 0.7492))
    assert set(found) == {
        "No deal, no peace.", "It is without doubt a good deal.", "There is no peace."
    }
    assert disagreement[["article_id", "sentence_id"]].values.tolist() == [
        ["a", 0], ["a", 1], ["b", 2]
    ]


def test_disagreement_shows_nltk_losing_words_that_close_a_quotation():
    quoted = sentences_table(("body", 0, 'Zelensky said they "look very good."'),
                             ("body", 0, "Zelensky said they look very good."), article_id="q")
    disagreement = sentiment.vader_implementation_disagreement(quoted)
    assert disagreement[["sentence_id", "reference_compound", "nltk_compound"]].values.tolist(
    ) == [[0, 0.4927, 0.0]]


def test_disagreement_is_empty_when_the_ports_agree(two_articles):
    agreeing = two_articles[two_articles["text"] == "Ukraine is not a NATO member."]
    assert sentiment.vader_implementation_disagreement(agreeing).empty


# --- bootstrap ---------------------------------------------------------------------


VALUES = [0.5, -0.2, 0.0, 0.8, -0.6, 0.3, 0.1]


def _naive_bootstrap(values, n_boot, seed, level):
    # The hand-written percentile bootstrap the module used before scipy's: one
    # resample a loop turn from the same PCG64 stream.
    rng = np.random.Generator(np.random.PCG64(seed))
    values = np.asarray(values, dtype=float)
    means = [values[rng.integers(0, values.size, size=values.size)].mean()
             for _ in range(n_boot)]
    alpha = 1 - level
    return values.mean(), *np.quantile(means, [alpha / 2, 1 - alpha / 2])


def _naive_bca(values, n_boot, seed, level):
    # Efron's (1987) BCa written out: bias correction z0 from the share of resampled
    # means below the mean (ties counted half), acceleration from the jackknife means'
    # skew.
    from scipy.stats import norm

    rng = np.random.Generator(np.random.PCG64(seed))
    values = np.asarray(values, dtype=float)
    n = values.size
    means = values[rng.integers(0, n, size=(n_boot, n))].mean(axis=1)
    z0 = norm.ppf((np.mean(means < values.mean()) + np.mean(means <= values.mean())) / 2)
    jackknife = (values.sum() - values) / (n - 1)
    spread = jackknife.mean() - jackknife
    acceleration = (spread ** 3).sum() / (6 * ((spread ** 2).sum()) ** 1.5)
    alpha = 1 - level
    z = norm.ppf([alpha / 2, 1 - alpha / 2])
    adjusted = norm.cdf(z0 + (z0 + z) / (1 - acceleration * (z0 + z)))
    return values.mean(), *np.percentile(means, adjusted * 100)


def test_percentile_bootstrap_gives_the_hand_written_copys_numbers():
    mean, low, high = sentiment.bootstrap_mean_ci(VALUES, n_boot=2000, seed=0,
                                                  method="percentile")
    assert mean == pytest.approx(0.9 / 7)
    assert (low, high) == pytest.approx((-0.2, 0.428571428571), abs=1e-9)
    other = sentiment.bootstrap_mean_ci(VALUES, n_boot=2000, seed=1, method="percentile")
    assert other[1] == pytest.approx(-0.171785714286, abs=1e-9)
    rng = np.random.default_rng(7)
    long = rng.normal(size=5000)  # 2**21 // 5000 = 419 resamples a batch: 2 batches
    assert sentiment.bootstrap_mean_ci(long, n_boot=500, seed=4, level=0.9,
                                       method="percentile") == pytest.approx(
        _naive_bootstrap(long, 500, 4, 0.9), abs=1e-12)
    assert sentiment.bootstrap_mean_ci(VALUES, n_boot=300, seed=2,
                                       method="percentile") == pytest.approx(
        _naive_bootstrap(VALUES, 300, 2, 0.95), abs=1e-12)


def test_bootstrap_is_bca_by_default_and_shifts_with_skew():
    skewed = [0.0] * 9 + [0.1, 0.2, 0.9]
    bca = sentiment.bootstrap_mean_ci(skewed, n_boot=2000, seed=0)
    assert bca == pytest.approx(_naive_bca(skewed, 2000, 0, 0.95), abs=1e-9)
    percentile = sentiment.bootstrap_mean_ci(skewed, n_boot=2000, seed=0,
                                             method="percentile")
    # Right-skewed scores: BCa moves the interval up, towards the long tail.
    assert bca[1] > percentile[1] and bca[2] > percentile[2]
    assert sentiment.bootstrap_mean_ci(VALUES, n_boot=2000, seed=0) == (
        sentiment.bootstrap_mean_ci(VALUES, n_boot=2000, seed=0))
    with pytest.raises(ValueError, match="method"):
        sentiment.bootstrap_mean_ci(VALUES, method="basic")


def test_bootstrap_edge_cases():
    assert all(math.isnan(x) for x in sentiment.bootstrap_mean_ci([]))
    assert all(math.isnan(x) for x in sentiment.bootstrap_mean_ci([np.nan]))
    assert sentiment.bootstrap_mean_ci([0.25], n_boot=50) == (0.25, 0.25, 0.25)
    assert sentiment.bootstrap_mean_ci([0.5] * 3, n_boot=50) == (0.5, 0.5, 0.5)
    with_nan = sentiment.bootstrap_mean_ci([*VALUES, np.nan], n_boot=300, seed=2)
    assert with_nan == sentiment.bootstrap_mean_ci(VALUES, n_boot=300, seed=2)
    narrow = sentiment.bootstrap_mean_ci(VALUES, n_boot=2000, level=0.5)
    wide = sentiment.bootstrap_mean_ci(VALUES, n_boot=2000, level=0.99)
    assert wide[1] < narrow[1] <= narrow[0] <= narrow[2] < wide[2]
    with pytest.raises(ValueError, match="level"):
        sentiment.bootstrap_mean_ci(VALUES, level=1.0)
    with pytest.raises(ValueError, match="n_boot"):
        sentiment.bootstrap_mean_ci(VALUES, n_boot=0)


# --- per-article summaries ---------------------------------------------------------


@pytest.fixture(scope="module")
def scores():
    return _sentiment([
        ("a", 0, 0.5, 0.2), ("a", 1, -0.2, 0.0), ("a", 2, 0.0, 0.1), ("a", 3, 0.8, 0.6),
        ("b", 0, -0.6, -0.4), ("b", 1, 0.3, 0.0), ("b", 2, 0.1, 0.05),
        ("c", 0, 0.4, 0.3),
    ])


def test_article_sentiment_is_the_bootstrap_per_article_and_a_table(scores):
    summary = sentiment.article_sentiment(scores, n_boot=500, seed=3)
    assert list(summary.columns) == ["article_id", "measure", "n", "mean", "ci_low", "ci_high"]
    assert summary[["article_id", "measure", "n"]].values.tolist() == [
        ["a", "textblob_polarity", 4], ["a", "vader_compound", 4],
        ["b", "textblob_polarity", 3], ["b", "vader_compound", 3],
        ["c", "textblob_polarity", 1], ["c", "vader_compound", 1],
    ]
    row = summary.iloc[1]
    assert (row["mean"], row["ci_low"], row["ci_high"]) == sentiment.bootstrap_mean_ci(
        [0.5, -0.2, 0.0, 0.8], n_boot=500, seed=3
    )
    assert summary.iloc[5][["mean", "ci_low", "ci_high"]].tolist() == [0.4, 0.4, 0.4]
    pd.testing.assert_frame_equal(tables.conform(summary, "article_sentiment"), summary,
                                  check_dtype=False)
    # An article's interval does not depend on which other articles are in the corpus.
    alone = sentiment.article_sentiment(scores[scores["article_id"] == "a"], n_boot=500, seed=3)
    pd.testing.assert_frame_equal(alone, summary.iloc[:2])


def test_article_sentiment_by_section_and_corpus_wide(scores):
    sections = sentences_table(articles={
        "a": [("title" if i == 0 else "body", 0, "x") for i in range(4)],
        "b": [("body", 0, "x")] * 3,
        "c": [("title", 0, "x")],
    })
    by_section = sentiment.article_sentiment(
        scores, n_boot=200, by=("article_id", "section"), measures=["vader_compound"],
        sentences=sections,
    )
    assert by_section[["article_id", "section", "n"]].values.tolist() == [
        ["a", "body", 3], ["a", "title", 1], ["b", "body", 3], ["c", "title", 1]
    ]
    assert by_section["mean"].tolist() == pytest.approx([0.2, 0.5, -0.2 / 3, 0.4])
    with pytest.raises(ValueError, match="section"):
        sentiment.article_sentiment(scores, by=("article_id", "section"))
    corpus = sentiment.article_sentiment(scores, n_boot=200, by=())
    assert corpus[["measure", "n"]].values.tolist() == [
        ["textblob_polarity", 8], ["vader_compound", 8]
    ]
    assert corpus["mean"].iloc[1] == pytest.approx(1.3 / 8)
    assert sentiment.article_sentiment(scores.iloc[:0]).empty


# --- permutation test --------------------------------------------------------------


A = [0.5, 0.4, 0.0, 0.8, 0.6, 0.3]
B = [-0.2, 0.0, 0.1, -0.5, 0.2]


def _exact_p(a, b):
    pooled, n = a + b, len(a) + len(b)
    observed = abs(np.mean(a) - np.mean(b))
    splits = list(combinations(range(n), len(a)))
    extreme = sum(
        abs(np.mean([pooled[i] for i in s]) - np.mean([pooled[i] for i in range(n) if i not in s]))
        >= observed - 1e-12
        for s in splits
    )
    return extreme / len(splits)


def test_permutation_with_random_relabellings_gives_the_hand_written_copys_numbers():
    a, b = [*A, 0.1, -0.3, 0.2, 0.7], [*B, 0.4, -0.1, 0.0]  # 43,758 splits > n_perm
    result = sentiment.permutation_test(a, b, n_perm=2000, seed=0)
    assert result.difference == pytest.approx(0.3425)
    assert result.p_value == pytest.approx(68 / 2001)
    assert result.cohens_d == pytest.approx(1.100499234114)
    assert result.cliffs_delta == pytest.approx(0.5875)
    assert (result.n_a, result.n_b) == (10, 8)
    assert sentiment.permutation_test(a, b, n_perm=2000, seed=0) == result
    assert sentiment.permutation_test(a, b, n_perm=2000, seed=1).p_value == pytest.approx(
        58 / 2001)


def test_permutation_is_exact_when_the_relabellings_are_few():
    # 462 splits of 6 + 5 sentences: at most n_perm, so every one is counted.
    result = sentiment.permutation_test(A, B, n_perm=2000, seed=0)
    assert result.p_value == pytest.approx(_exact_p(A, B), abs=1e-12)
    assert result.p_value == pytest.approx(9 / 462)
    a, b = [1.0, 2.0, 3.0, 7.0], [4.0, 5.0, 6.0]
    assert sentiment.permutation_test(a, b, seed=5).p_value == pytest.approx(
        _exact_p(a, b), abs=1e-12)


def test_permutation_identical_samples_give_zero_difference_and_p_one():
    result = sentiment.permutation_test(A, list(A), n_perm=500, seed=0)
    assert (result.difference, result.p_value, result.cohens_d, result.cliffs_delta) == (
        0.0, 1.0, 0.0, 0.0
    )


def test_effect_sizes_against_definitions():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0.2, 1.0, 40), rng.normal(0.0, 2.0, 30)
    result = sentiment.permutation_test(a, b, n_perm=10)
    pooled_sd = math.sqrt((39 * a.var(ddof=1) + 29 * b.var(ddof=1)) / 68)
    assert result.cohens_d == pytest.approx((a.mean() - b.mean()) / pooled_sd)
    assert result.cliffs_delta == pytest.approx(np.sign(a[:, None] - b[None, :]).mean())


def test_permutation_zero_spread_and_empty_samples():
    constant = sentiment.permutation_test([0.5] * 4, [0.2] * 3, n_perm=1000)
    assert math.isnan(constant.cohens_d)
    assert constant.cliffs_delta == 1.0
    assert constant.p_value == pytest.approx(1 / 35)
    single = sentiment.permutation_test([0.5], [0.5], n_perm=100)
    assert (single.difference, single.cohens_d) == (0.0, 0.0)
    assert math.isnan(single.p_value)  # one sentence a side: nothing to relabel
    empty = sentiment.permutation_test([], B)
    assert math.isnan(empty.difference) and math.isnan(empty.p_value)
    assert (empty.n_a, empty.n_b) == (0, 5)
    with pytest.raises(ValueError, match="n_perm"):
        sentiment.permutation_test(A, B, n_perm=0)


def test_compare_sentiment_one_row_and_identical_articles():
    twins = _sentiment([("x", i, v, 0.0) for i, v in enumerate(A)]
                       + [("y", i, v, 0.0) for i, v in enumerate(A)]
                       + [("z", i, v, 0.0) for i, v in enumerate(B)])
    same = sentiment.compare_sentiment(twins, "x", "y", n_perm=500)
    assert len(same) == 1
    assert same.iloc[0][["difference", "p_value", "cohens_d", "cliffs_delta"]].tolist() == [
        0.0, 1.0, 0.0, 0.0
    ]
    differ = sentiment.compare_sentiment(twins, "x", "z", n_perm=2000, seed=0)
    assert differ.iloc[0]["p_value"] == pytest.approx(9 / 462)  # exact: 462 splits
    assert differ.iloc[0][["n_a", "n_b"]].tolist() == [6, 5]
    assert differ.iloc[0]["mean_a"] - differ.iloc[0]["mean_b"] == pytest.approx(
        differ.iloc[0]["difference"]
    )
    with pytest.raises(InputError, match="'nope'"):
        sentiment.compare_sentiment(twins, "x", "nope")


# --- lexicon agreement -------------------------------------------------------------


def test_lexicon_agreement_is_spearman_overall_and_per_article(scores):
    overall = sentiment.lexicon_agreement(scores)
    expected = stats.spearmanr(scores["vader_compound"], scores["textblob_polarity"])
    assert overall.values.tolist() == [[8, pytest.approx(expected.statistic),
                                        pytest.approx(expected.pvalue)]]
    per_article = sentiment.lexicon_agreement(scores, by=["article_id"])
    assert per_article["article_id"].tolist() == ["a", "b", "c"]
    assert per_article["n"].tolist() == [4, 3, 1]
    assert per_article["spearman_rho"].iloc[0] == pytest.approx(1.0)
    assert math.isnan(per_article["spearman_rho"].iloc[2])


def test_lexicon_agreement_is_nan_for_constant_scores_without_warnings():
    flat = _sentiment([("a", i, 0.1 * i, 0.0) for i in range(5)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = sentiment.lexicon_agreement(flat)
    assert result["n"].tolist() == [5]
    assert math.isnan(result["spearman_rho"].iloc[0])
    assert sentiment.lexicon_agreement(flat.iloc[:0])["n"].tolist() == [0]


# --- aspects -----------------------------------------------------------------------


def _mentions(rows):
    return pd.DataFrame(
        rows, columns=["article_id", "sentence_id", "dimension", "label", "negated", "cue"]
    )


def _quotes(rows):
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "speaker", "quote"])


def test_aspect_sentiment_means_with_n_and_negation(scores):
    mentions = _mentions([
        ["a", 0, "guarantor", "europe", False, "Europe"],
        ["a", 0, "guarantor", "united_states", True, "not America"],
        ["a", 3, "guarantor", "europe", False, "European"],
        ["a", 3, "guarantor", "europe", True, "not Europe alone"],
        ["a", 3, "form", "troop_deployment", False, "troops"],
        ["b", 1, "guarantor", "europe", False, "EU"],
        ["b", 9, "guarantor", "nato", False, "sentence not scored"],
    ])
    quotes = _quotes([["a", 3, "Trump", "q1"], ["a", 3, "Zelensky", "q2"], ["b", 0, "X", "q"]])
    result = sentiment.aspect_sentiment(scores, mentions, quotes)
    assert list(result.columns) == [
        "article_id", "aspect_type", "aspect", "n", "n_negated",
        "mean_vader_compound", "mean_textblob_polarity",
    ]
    rows = {(r.article_id, r.aspect_type, r.aspect): (r.n, r.n_negated, r.mean_vader_compound)
            for r in result.itertuples()}
    assert rows[("a", "guarantor", "europe")] == (2, 1, pytest.approx(0.65))
    assert rows[("a", "guarantor", "united_states")] == (1, 1, pytest.approx(0.5))
    assert rows[("a", "form", "troop_deployment")] == (1, 0, pytest.approx(0.8))
    assert rows[("a", "voice", "quote")] == (1, 0, pytest.approx(0.8))
    assert rows[("a", "voice", "narrator")] == (3, 0, pytest.approx(0.1))
    assert rows[("b", "guarantor", "europe")] == (1, 0, pytest.approx(0.3))
    assert rows[("b", "voice", "quote")] == (1, 0, pytest.approx(-0.6))
    assert rows[("c", "voice", "narrator")] == (1, 0, pytest.approx(0.4))
    c_quote = rows[("c", "voice", "quote")]
    assert c_quote[:2] == (0, 0) and math.isnan(c_quote[2])
    assert ("b", "guarantor", "nato") not in rows
    assert len(rows) == 10
    keys = result[["article_id", "aspect_type", "aspect"]].values.tolist()
    assert keys == sorted(keys)
    pd.testing.assert_frame_equal(tables.conform(result, "aspect_sentiment"), result,
                                  check_dtype=False)


def test_aspect_sentiment_intervals_are_the_bootstrap_of_each_aspects_sentences(scores):
    mentions = _mentions([["a", i, "guarantor", "europe", False, "Europe"] for i in range(4)]
                         + [["b", 0, "guarantor", "europe", False, "EU"]])
    result = sentiment.aspect_sentiment(scores, mentions, _quotes([]), n_boot=400, seed=2)
    assert list(result.columns)[-4:] == [
        "ci_low_vader_compound", "ci_high_vader_compound",
        "ci_low_textblob_polarity", "ci_high_textblob_polarity"]
    europe = result[(result["aspect"] == "europe")].set_index("article_id")
    assert (europe.loc["a", "mean_vader_compound"], europe.loc["a", "ci_low_vader_compound"],
            europe.loc["a", "ci_high_vader_compound"]) == sentiment.bootstrap_mean_ci(
        [0.5, -0.2, 0.0, 0.8], n_boot=400, seed=2)
    # One sentence: a degenerate interval, the mean itself.
    assert europe.loc["b", ["ci_low_vader_compound", "ci_high_vader_compound"]].tolist() == [
        -0.6, -0.6]
    quote = result[(result["article_id"] == "c") & (result["aspect"] == "quote")]
    assert quote["ci_low_vader_compound"].isna().all()  # no quoted sentence: no interval
    without = sentiment.aspect_sentiment(scores, mentions, _quotes([]))
    assert "ci_low_vader_compound" not in without


def test_aspect_sentiment_without_guarantee_content_or_quotes(scores):
    result = sentiment.aspect_sentiment(scores, _mentions([]), _quotes([]), by=())
    assert result[["aspect_type", "aspect", "n"]].values.tolist() == [
        ["voice", "narrator", 8], ["voice", "quote", 0]
    ]
    assert result["mean_vader_compound"].iloc[0] == pytest.approx(1.3 / 8)
    empty = sentiment.aspect_sentiment(scores.iloc[:0], _mentions([]), _quotes([]))
    assert empty.empty


def test_aspect_sentiment_by_section(scores):
    sections = sentences_table(*[("title" if i == 0 else "body", 0, "x") for i in range(4)],
                               article_id="a")
    mentions = _mentions([["a", 0, "form", "monitoring", False, "monitoring"],
                          ["a", 1, "form", "monitoring", False, "monitoring"]])
    result = sentiment.aspect_sentiment(
        scores[scores["article_id"] == "a"], mentions, _quotes([]),
        by=("article_id", "section"), sentences=sections,
    )
    monitoring = result[result["aspect"] == "monitoring"]
    assert monitoring[["section", "n", "mean_vader_compound"]].values.tolist() == [
        ["body", 1, pytest.approx(-0.2)], ["title", 1, pytest.approx(0.5)]
    ]


# --- the seed corpus ---------------------------------------------------------------


def test_seed_articles_end_to_end(seed_sentences):
    scored = sentiment.score_sentences(seed_sentences)
    assert len(scored) == len(seed_sentences)
    reference = SentimentIntensityAnalyzer()
    expected = [reference.polarity_scores(t)["compound"] for t in seed_sentences["text"]]
    assert scored["vader_compound"].tolist() == expected
    assert scored["vader_compound"].between(-1, 1).all()
    assert scored["textblob_subjectivity"].between(0, 1).all()

    summary = sentiment.article_sentiment(scored, n_boot=2000)
    counts = seed_sentences.groupby("article_id").size()
    for row in summary.itertuples():
        assert row.n == counts[row.article_id]
        assert row.ci_low <= row.mean <= row.ci_high
    assert tables.to_csv_bytes(summary, "article_sentiment") == tables.to_csv_bytes(
        sentiment.article_sentiment(sentiment.score_sentences(seed_sentences), n_boot=2000),
        "article_sentiment",
    )

    first, second = sorted(counts.index)[:2]
    comparison = sentiment.compare_sentiment(scored, first, second, n_perm=2000)
    assert 0 < comparison.iloc[0]["p_value"] <= 1
    assert sentiment.compare_sentiment(scored, first, first, n_perm=500).iloc[0][
        ["difference", "p_value"]].tolist() == [0.0, 1.0]

    disagreement = sentiment.vader_implementation_disagreement(seed_sentences)
    merged = disagreement.merge(scored, on=["article_id", "sentence_id"])
    assert (merged["reference_compound"] == merged["vader_compound"]).all()


# --- notebook helpers --------------------------------------------------------------


def test_select_sections_keeps_only_those_sentences(two_articles):
    scores = sentiment.score_sentences(two_articles)
    body = sentiment.select_sections(scores, two_articles, ["body"])
    # Article a's sentence 0 is its title; every other sentence is body.
    assert body[["article_id", "sentence_id"]].values.tolist() == [
        ["a", 1], ["a", 2], ["a", 3], ["b", 0], ["b", 1], ["b", 2], ["b", 3]]
    pd.testing.assert_frame_equal(body, tables.conform(body, "sentiment"))
    assert sentiment.select_sections(scores, two_articles, ["deck"]).empty
    with pytest.raises(InputError, match="unknown \\['lede'\\]"):
        sentiment.select_sections(scores, two_articles, ["body", "lede"])
    pd.testing.assert_frame_equal(sentiment.select_sections(scores, two_articles, "body"), body)
    assert len(sentiment.select_sections(scores, two_articles, None)) == len(scores)
    with pytest.raises(ValueError, match="lacks columns"):
        sentiment.select_sections(scores, two_articles.drop(columns="sentence_id"), ["body"])


def _findings_inputs():
    scores = _sentiment([("a", 0, 0.5, 0.2), ("a", 1, 0.3, 0.1), ("a", 2, 0.1, 0.3),
                         ("b", 0, -0.2, 0.0), ("b", 1, 0.0, 0.0), ("b", 2, -0.4, 0.0)])
    summary = sentiment.article_sentiment(scores, n_boot=200, seed=1)
    comparisons = sentiment.compare_measures(scores, "a", "b", sentiment.MEASURES, n_perm=200)
    agreement = sentiment.lexicon_agreement(scores, by=("article_id",))
    overall = sentiment.lexicon_agreement(scores)
    mentions = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 1],
                             "dimension": ["guarantor", "form"],
                             "label": ["europe", "alliance_membership"],
                             "negated": [False, True]})
    quotes = pd.DataFrame({"article_id": ["b"], "sentence_id": [2]})
    aspects = sentiment.aspect_sentiment(scores, mentions, quotes, n_boot=200)
    return scores, summary, comparisons, agreement, overall, aspects


def test_sentiment_findings_report_computed_numbers():
    scores, summary, comparisons, agreement, overall, aspects = _findings_inputs()
    disagreement = pd.DataFrame({"article_id": ["a", "b"], "sentence_id": [2, 0],
                                 "difference": [0.1, -0.25]})
    found = sentiment.sentiment_findings(summary, comparisons, agreement, overall, aspects,
                                         disagreement, 6, "a", "b")
    vader = summary[summary["measure"] == "vader_compound"].set_index("article_id")
    # Means by hand: a (0.5 + 0.3 + 0.1) / 3 = 0.3, b (-0.2 + 0 - 0.4) / 3 = -0.2.
    assert found[0].startswith("Mean VADER compound per sentence: a +0.300 (95% CI "
                               f"{vader.loc['a', 'ci_low']:+.3f} to ")
    assert "; b -0.200 (95% CI" in found[0] and found[0].endswith("n = 3).")
    vader_test = comparisons.iloc[0]
    # Two measures, one family: q is the Benjamini-Hochberg adjustment over both.
    p_vader, p_textblob = comparisons["p_value"]
    assert vader_test["q_value"] == pytest.approx(
        min(2 * p_vader, p_textblob) if p_vader <= p_textblob else p_vader)
    assert found[1] == (
        f"VADER compound, a minus b: +0.500; permutation p = {vader_test['p_value']:.4f}, "
        f"Benjamini-Hochberg q = {vader_test['q_value']:.4f} over the 2 measures "
        f"({'below' if vader_test['q_value'] < 0.05 else 'not below'} 0.05), Cohen's d = "
        f"{vader_test['cohens_d']:+.2f}, Cliff's delta = +1.00.")
    assert found[2].startswith("Mean TextBlob polarity per sentence: a +0.200")
    # Spearman of (0.5, 0.3, 0.1) against (0.2, 0.1, 0.3): ranks (3, 2, 1) vs (2, 1, 3).
    assert found[4] == "Rank agreement of VADER and TextBlob in a (Spearman rho over 3 " \
        "sentences) is -0.50."
    assert found[5].startswith("Rank agreement of VADER and TextBlob in b") \
        and found[5].endswith("cannot be computed (fewer than 3 sentences or a constant score).")
    assert found[6].startswith("Rank agreement of VADER and TextBlob in all articles "
                               "(Spearman rho over 6 sentences) is ")
    assert found[7] == ("NLTK's VADER port disagrees with the reference on 2 of 6 sentences; "
                        "the largest gap is -0.250 (b, sentence 0).")
    # Every aspect rests on fewer than 5 sentences: named, without a mean to read as tone.
    assert found[8] == ("a, mean VADER compound by guarantor named: europe (n = 1, too few "
                        "for a tone). By form: alliance_membership (n = 1, 1 negated, too few "
                        "for a tone). By voice: narrator (n = 3, too few for a tone).")
    assert found[9] == ("b, mean VADER compound by guarantor named: none. By form: none. "
                        "By voice: narrator (n = 2, too few for a tone); quote (n = 1, too "
                        "few for a tone).")
    agree = sentiment.sentiment_findings(summary, comparisons.iloc[:0], agreement.iloc[:0],
                                         overall.iloc[:0], aspects, disagreement.iloc[:0], 6,
                                         "a", "b")
    assert agree[0] == "NLTK's VADER port agrees with the reference on all 6 sentences."


def test_sentiment_findings_give_aspect_means_with_intervals_from_five_sentences():
    scores = _sentiment([("a", i, v, 0.0) for i, v in enumerate([0.5, 0.3, 0.1, 0.0, 0.6, -0.2])]
                        + [("b", 0, 0.1, 0.0), ("b", 1, 0.2, 0.0)])
    mentions = pd.DataFrame({"article_id": ["a"] * 5, "sentence_id": range(5),
                             "dimension": "guarantor", "label": "europe", "negated": False})
    aspects = sentiment.aspect_sentiment(scores, mentions, pd.DataFrame(
        {"article_id": [], "sentence_id": []}), n_boot=300, seed=0)
    found = sentiment.sentiment_findings(
        sentiment.article_sentiment(scores, n_boot=100), scores.iloc[:0].assign(
            measure=[], p_value=[], q_value=[]), sentiment.lexicon_agreement(scores).iloc[:0],
        sentiment.lexicon_agreement(scores).iloc[:0], aspects, pd.DataFrame(), 8, "a", "b")
    _, low, high = sentiment.bootstrap_mean_ci([0.5, 0.3, 0.1, 0.0, 0.6], n_boot=300)
    assert found[-2].startswith(
        f"a, mean VADER compound by guarantor named: europe +0.300 (95% CI {low:+.3f} to "
        f"{high:+.3f}, n = 5). By form: none. By voice: narrator +0.217 (95% CI ")


def test_lexicon_disagreement_only_when_the_verdicts_differ():
    tests = pd.DataFrame({"measure": ["vader_compound", "textblob_polarity"],
                          "q_value": [0.01, 0.2]})
    assert sentiment.lexicon_disagreement(tests) == (
        "The lexicons disagree: VADER compound finds a difference at q < 0.05, TextBlob "
        "polarity does not; the tone difference rests on one lexicon's word list, not on "
        "the articles alone.")
    assert sentiment.lexicon_disagreement(tests.assign(q_value=[0.01, 0.02])) is None
    assert sentiment.lexicon_disagreement(tests.assign(q_value=[0.01, float("nan")])) is None


def test_extreme_sentences_lists_both_ends_per_article():
    scores = _sentiment([("a", 0, 0.5, 0.0), ("a", 1, -0.3, 0.0), ("a", 2, 0.5, 0.0),
                         ("a", 3, 0.0, 0.0), ("a", 4, -0.9, 0.0), ("b", 0, 0.2, 0.0)])
    texts = sentences_table(articles={"a": [("body", 0, f"a{i}") for i in range(5)],
                                      "b": [("body", 0, "b0")]})
    out = sentiment.extreme_sentences(scores, texts, ["b", "a"], n=2)
    # b has one sentence: listed once, at the negative end. a: -0.9, -0.3 | 0.5 (0), 0.5 (2).
    assert out[["article_id", "end", "sentence_id"]].values.tolist() == [
        ["b", "most negative", 0],
        ["a", "most negative", 4], ["a", "most negative", 1],
        ["a", "most positive", 0], ["a", "most positive", 2],
    ]
    assert out["text"].tolist() == ["b0", "a4", "a1", "a0", "a2"]
    assert list(out.columns) == ["article_id", "end", "sentence_id", "section",
                                 "vader_compound", "text"]
    assert sentiment.extreme_sentences(scores, texts, []).empty


def test_sentiment_findings_say_when_the_lexicons_disagree():
    scores, summary, comparisons, agreement, overall, aspects = _findings_inputs()
    disagreement = pd.DataFrame({"article_id": [], "sentence_id": [], "difference": []})
    split = comparisons.assign(q_value=[0.01, 0.5])
    found = sentiment.sentiment_findings(summary, split, agreement, overall, aspects,
                                         disagreement, 6, "a", "b")
    assert ("The lexicons disagree: VADER compound finds a difference at q < 0.05, TextBlob "
            "polarity does not; the tone difference rests on one lexicon's word list, not on "
            "the articles alone.") in found
    agreeing = sentiment.sentiment_findings(summary, comparisons.assign(q_value=[0.5, 0.6]),
                                            agreement, overall, aspects, disagreement, 6,
                                            "a", "b")
    assert not any(line.startswith("The lexicons disagree") for line in agreeing)
