"""Tests of analysis.measures.repeats: sentences that repeat another of their article."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.measures import sentiment
from analysis.measures.repeats import repeated_sentences

from factories import sentences_table

# Written for the test: a headline and a deck restating body sentences, a summary that
# says something new, and a body sentence that nearly repeats an earlier one.
ARTICLE = [
    ("title", "Britain pledges troops for Ukraine reassurance force"),
    ("summary", "Talks on a ceasefire resume next week in Geneva."),
    ("deck", "Minister: 'We will send troops to the reassurance force'"),
    ("body", "Britain pledges troops for the Ukraine reassurance force, the minister said."),
    ("body", "We will send troops to the reassurance force, she told parliament."),
    ("body", "We will send troops to the reassurance force, she told parliament on Tuesday."),
    ("body", "Critics doubt the plan."),
]


@pytest.fixture
def sentences():
    return sentences_table(*[(section, text) for section, text in ARTICLE], article_id="a")


def test_front_matter_copying_the_body_and_near_duplicates_are_repeats(sentences):
    repeated = repeated_sentences(sentences)
    # title and deck copy body sentences; the summary is new; body 5 repeats body 4.
    assert repeated.tolist() == [True, False, True, False, False, True, False]
    # At a threshold of 1 every content word must recur: the deck's "minister" is not in
    # the body sentence it quotes, and body 5 adds "Tuesday".
    strict = repeated_sentences(sentences, threshold=1.0)
    assert strict.tolist() == [True, False, False, False, False, False, False]


def test_other_articles_never_count_as_the_source(sentences):
    other = sentences.assign(article_id="b")
    only_title = sentences.iloc[[0]]
    both = pd.concat([only_title, other.iloc[[3]]], ignore_index=True)
    assert not repeated_sentences(both).any()
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        repeated_sentences(sentences, threshold=0.0)


def test_counted_once_drops_the_repeats_from_the_scores(sentences):
    scores = sentences[["article_id", "sentence_id"]].assign(vader_compound=range(7))
    kept = sentiment.counted_once(scores, sentences, 0.8)
    assert kept["sentence_id"].tolist() == [1, 3, 4, 6]
    assert sentiment.counted_once(scores, sentences, None) is scores
