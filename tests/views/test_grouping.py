"""Tests of analysis.views.grouping: per-article views drawn by article while the
articles are few, else by outlet, else by publication period."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.views import grouping


def articles_table(n: int, outlets: int, months: int) -> pd.DataFrame:
    """``n`` articles spread round-robin over ``outlets`` outlets and ``months`` months."""
    return pd.DataFrame({
        "article_id": [f"a{i:03d}" for i in range(n)],
        "outlet": [f"Outlet {i % outlets:02d}" for i in range(n)],
        "published": [f"{2020 + (i % months) // 12}-{(i % months) % 12 + 1:02d}-15"
                      for i in range(n)],
    })


def test_few_articles_are_drawn_one_bar_each_and_tables_pass_through():
    articles = articles_table(3, 2, 2)
    groups = grouping.display_groups(articles, max_groups=3)
    assert groups.by == "article"
    assert groups.of_article == {"a000": "a000", "a001": "a001", "a002": "a002"}
    assert groups.how == "One bar per article (3)."
    counts = pd.DataFrame({"article_id": ["a000"], "section": ["body"], "n_sentences": [4]})
    assert grouping.group_counts(counts, groups) is counts


@pytest.mark.parametrize(("outlets", "months", "by", "n_groups"), [
    (4, 40, "outlet", 4),      # few outlets: by outlet
    (40, 5, "month", 5),       # too many outlets, few months
    (40, 24, "quarter", 8),    # 24 months are too many; 8 quarters are not
    (40, 40, "year", 4),       # even quarters too many (14 > 10): years, however many
])
def test_many_articles_are_grouped_by_the_finest_grouping_that_fits(outlets, months, by,
                                                                     n_groups):
    articles = articles_table(40, outlets, months)
    groups = grouping.display_groups(articles, max_groups=10)
    assert groups.by == by
    assert len(set(groups.of_article.values())) == n_groups
    assert f"per-article views show {n_groups} groups by {by}" in groups.how


def test_group_labels_carry_their_article_counts_and_counts_are_summed():
    articles = articles_table(5, 2, 1)  # outlets 00 (a000, a002, a004) and 01 (a001, a003)
    groups = grouping.display_groups(articles, max_groups=4)
    assert groups.of_article["a000"] == "Outlet 00 (3 articles)"
    assert groups.of_article["a003"] == "Outlet 01 (2 articles)"
    counts = pd.DataFrame({
        "article_id": ["a000", "a002", "a001", "a000"],
        "section": ["body", "body", "body", "title"],
        "n_paragraphs": [2, 3, 1, 1], "n_sentences": [4, 5, 2, 1], "n_words": [40, 50, 20, 8],
    })
    summed = grouping.group_counts(counts, groups)
    assert summed.to_dict("records") == [
        {"article_id": "Outlet 00 (3 articles)", "section": "body", "n_paragraphs": 5,
         "n_sentences": 9, "n_words": 90},
        {"article_id": "Outlet 00 (3 articles)", "section": "title", "n_paragraphs": 1,
         "n_sentences": 1, "n_words": 8},
        {"article_id": "Outlet 01 (2 articles)", "section": "body", "n_paragraphs": 1,
         "n_sentences": 2, "n_words": 20},
    ]


def test_group_prevalence_weights_articles_by_their_sentences():
    articles = articles_table(3, 1, 1)
    groups = grouping.display_groups(articles, max_groups=2)
    prevalence = pd.DataFrame({
        "article_id": ["a000", "a000", "a001", "a001", "a002", "a002"],
        "topic": [0, 1, 0, 1, 0, 1],
        "share": [1.0, 0.0, 0.25, 0.75, 0.0, 0.0],
        "n_documents": [1, 1, 3, 3, 0, 0],
    })
    grouped = grouping.group_prevalence(prevalence, groups)
    # (1 * 1.0 + 3 * 0.25) / 4 and (3 * 0.75) / 4; the article without sentences adds none.
    assert grouped["share"].tolist() == [0.4375, 0.5625]
    assert grouped["n_documents"].tolist() == [4, 4]
    assert set(grouped["article_id"]) == {"Outlet 00 (3 articles)"}


def test_group_means_take_the_article_as_the_unit():
    articles = articles_table(4, 2, 1)  # Outlet 00: a000, a002; Outlet 01: a001, a003
    groups = grouping.display_groups(articles, max_groups=3)
    summary = pd.DataFrame({
        "article_id": ["a000", "a002", "a001", "a003"], "measure": ["vader_compound"] * 4,
        "n": [10, 2, 5, 0], "mean": [0.2, 0.4, -0.5, 0.9],
        "ci_low": [0.0] * 4, "ci_high": [0.0] * 4,
    })
    means = grouping.group_means(summary, groups).set_index("article_id")
    two = means.loc["Outlet 00 (2 articles)"]
    # Unweighted mean of 0.2 and 0.4; t(0.975, 1) * sd / sqrt(2) = 12.7062 * 0.14142 / 1.41421.
    assert two["n"] == 2 and two["mean"] == pytest.approx(0.3)
    assert two["ci_high"] - two["mean"] == pytest.approx(1.270620, rel=1e-5)
    one = means.loc["Outlet 01 (2 articles)"]  # a003 has no sentences: left out
    assert one["n"] == 1 and one["ci_low"] == one["mean"] == one["ci_high"] == -0.5
    few = grouping.display_groups(articles, max_groups=4)
    assert grouping.group_means(summary, few) is summary


def test_keep_largest_merges_the_smallest_outlets_and_counts_every_article_once():
    articles = pd.DataFrame({
        "article_id": [f"a{i}" for i in range(9)],
        "outlet": ["Big"] * 4 + ["Mid"] * 2 + ["Tie B", "Tie A", "Tie C"],
    })
    largest = grouping.keep_largest(articles, "outlet", max_values=4)
    # Ties in size (Tie A, Tie B, Tie C: one article each) are broken by name.
    assert largest.articles["outlet"].tolist() == (["Big"] * 4 + ["Mid"] * 2
                                                   + ["other (2 outlets)", "Tie A",
                                                      "other (2 outlets)"])
    assert largest.how == ("The corpus has 5 values of outlet: the 3 with the most articles "
                           "are drawn apart, the other 2 (2 articles) together as "
                           "'other (2 outlets)'.")
    assert articles["outlet"].iloc[-1] == "Tie C"  # the caller's table is left alone


def test_keep_largest_leaves_few_values_alone_and_refuses_fewer_than_two():
    articles = articles_table(6, 3, 1)
    kept = grouping.keep_largest(articles, "outlet", max_values=3)
    assert kept.articles is articles and kept.how == "Every outlet is drawn apart (3)."
    with pytest.raises(ValueError, match="at least 2"):
        grouping.keep_largest(articles, "outlet", max_values=1)
