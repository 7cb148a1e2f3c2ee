"""Tests of analysis.measures.validation.error_aware: label shares, naive and corrected."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.measures.validation import agreement, error_aware

VOCABULARY = {"guarantor": ["europe", "nato"]}
NAN = float("nan")


def sentences_of(counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame([(a, i) for a, n in counts.items() for i in range(n)],
                        columns=["article_id", "sentence_id"])


def tool(*keys) -> pd.DataFrame:
    """guarantee_mentions rows (article, sentence, label, negated) in the guarantor dimension."""
    return pd.DataFrame([(a, s, "guarantor", label, negated) for a, s, label, negated in keys],
                        columns=["article_id", "sentence_id", "dimension", "label", "negated"])


def coded(*rows) -> pd.DataFrame:
    """Coded sheets' rows: (coder, article, sentence, labels, inclusion probability)."""
    return pd.DataFrame([(c, a, s, tuple(("guarantor", lab) for lab in labels), pi)
                         for c, a, s, labels, pi in rows],
                        columns=["coder", "article_id", "sentence_id", "labels",
                                 "inclusion_probability"])


@pytest.fixture
def outcomes():
    sentences = sentences_of({"a": 3, "b": 2})
    mentions = tool(("a", 0, "europe", False), ("a", 1, "europe", True),
                    ("b", 0, "nato", False))
    sheets = coded(("ann", "a", 1, ["europe"], 0.5), ("ben", "a", 1, ["europe"], 0.5),
                   ("ann", "b", 0, ["nato"], 0.5), ("ben", "b", 0, [], 0.5))
    return error_aware.label_outcomes(mentions, sentences, agreement.consensus(sheets),
                                      sheets, VOCABULARY)


def test_outcomes_hold_the_tools_call_the_consensus_and_pi(outcomes):
    europe = outcomes.loc[outcomes["label"] == "europe"]
    # A negated mention is not the tool's label; a's sentence 1 is coded europe by both.
    assert europe["predicted"].tolist() == [1, 0, 0, 0, 0]
    np.testing.assert_array_equal(europe["coded"], [NAN, 1.0, NAN, 0.0, NAN])
    nato = outcomes.loc[outcomes["label"] == "nato"]
    # ann and ben tie on nato in b's sentence 0: left uncoded for that label.
    np.testing.assert_array_equal(nato["coded"], [NAN, 0.0, NAN, NAN, NAN])
    np.testing.assert_array_equal(nato["inclusion_probability"], [NAN, 0.5, NAN, 0.5, NAN])
    assert len(outcomes) == 5 * 2


def test_shares_by_article_correct_each_article_by_its_own_codes(outcomes):
    articles = pd.DataFrame({"article_id": ["a", "b"], "published": ["2025-02-01",
                                                                      "2025-03-05"],
                             "outlet": ["X", "X"]})
    shares = error_aware.label_shares(outcomes, articles, by="article").set_index(
        ["group", "label"])
    # a, europe: pseudo-outcomes 1, 0 + (1 - 0) / 0.5, 0 -> mean 1.0; naive 1/3.
    assert shares.loc[("a", "europe"), "estimate"] == pytest.approx(1.0)
    assert shares.loc[("a", "europe"), "naive"] == pytest.approx(1 / 3)
    corpus = error_aware.label_shares(outcomes, articles).set_index("label")
    assert corpus.loc["europe", "n"] == 5 and corpus.loc["europe", "n_coded"] == 2
    months = error_aware.label_shares(outcomes, articles, by="period")
    assert sorted(set(months["group"])) == ["2025-02", "2025-03"]
    with pytest.raises(ValueError, match="by must be one of"):
        error_aware.label_shares(outcomes, articles, by="week")


def test_sample_coverage_tells_a_sample_of_another_corpus():
    sentences = sentences_of({"a": 4})
    sample = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 2],
                           "inclusion_probability": [0.5, 0.5]})
    assert error_aware.sample_coverage(sample, sentences).valid
    grown = sentences_of({"a": 4, "b": 6})
    coverage = error_aware.sample_coverage(sample, grown)
    assert not coverage.valid and "imply a corpus of 4 sentences, not this one's 10" in (
        coverage.how)
    none = error_aware.sample_coverage(sample.iloc[:0], sentences)
    assert not none.valid and none.how.startswith("No coded sample")
