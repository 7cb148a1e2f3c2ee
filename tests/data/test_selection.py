"""Tests of analysis.data.corpus.selection: the compared articles, chosen from the data
unless given and stated, and the message for an unknown id."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import corpus
from analysis.errors import InputError


def articles_table(rows):
    """An ``articles``-like table from (article_id, published, outlet) rows."""
    return pd.DataFrame(rows, columns=["article_id", "published", "outlet"])


ARTICLES = articles_table([
    ("mid", "2025-06-01", "Daily"),
    ("late", "2025-12-15", "Weekly"),
    ("early-b", "2025-02-27", "Weekly"),
    ("early-a", "2025-02-27", "Daily"),
])


def test_default_articles_are_the_earliest_and_the_latest_and_are_stated():
    compared = corpus.compared_articles(ARTICLES)
    # Same date: the id breaks the tie, so the choice does not depend on row order.
    assert compared.ids == ["early-a", "late"]
    assert compared.how.startswith("Compared: early-a (Daily, 2025-02-27), the earliest "
                                   "article, and late (Weekly, 2025-12-15), the latest article.")
    assert "python -m analysis articles" in compared.how
    shuffled = ARTICLES.sample(frac=1.0, random_state=3)
    assert corpus.compared_articles(shuffled).ids == ["early-a", "late"]


def test_given_articles_win_and_a_default_never_repeats_a_given_one():
    assert corpus.compared_articles(ARTICLES, "mid", "early-b").ids == ["mid", "early-b"]
    assert corpus.compared_articles(ARTICLES, article_a="late").ids == ["late", "mid"]
    assert corpus.compared_articles(ARTICLES, article_b="early-a").ids == ["early-b", "early-a"]
    compared = corpus.compared_articles(ARTICLES, "mid", None, ["early-b"])
    assert compared.ids == ["mid", "late", "early-b"]
    assert "mid (Daily, 2025-06-01), given" in compared.how
    assert "also early-b (Weekly, 2025-02-27)" in compared.how


def test_an_unknown_id_names_it_and_the_listing_command_not_every_id():
    with pytest.raises(InputError) as caught:
        corpus.compared_articles(ARTICLES, "nope")
    (problem,) = caught.value.problems
    assert "'nope' is not in the corpus of 4 articles" in problem
    assert "python -m analysis articles" in problem
    assert "early-a" not in problem


def test_a_corpus_of_one_article_cannot_be_compared():
    with pytest.raises(InputError, match="1 article"):
        corpus.compared_articles(ARTICLES.iloc[:1])


def test_defaults_are_english_articles_while_there_are_two():
    mixed = ARTICLES.assign(language=["en", "de", "uk", "en-GB"])
    compared = corpus.compared_articles(mixed)
    assert compared.ids == ["early-a", "mid"]
    assert "the earliest English article" in compared.how
    assert "mid (Daily, 2025-06-01), the latest English article" in compared.how
    # One English article only: the choice is among all, as without languages.
    assert corpus.compared_articles(mixed.assign(
        language=["de", "de", "uk", "en"])).ids == ["early-a", "late"]
    assert corpus.compared_articles(ARTICLES.assign(language="en")).how == \
        corpus.compared_articles(ARTICLES).how
