"""Figures of notebooks 05 (synthesis summary) and 06 (shares over time, by outlet)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from analysis.views import plotting, trends

IDS = ["art-b", "art-a"]


pytestmark = pytest.mark.usefixtures("styled")


def _label_counts():
    rows = []
    for article, counts in (("art-b", {"europe": (3, 0), "united_states": (0, 2),
                                       "economic_stake": (1, 0)}),
                            ("art-a", {"europe": (1, 0), "united_states": (2, 0),
                                       "economic_stake": (0, 0)})):
        for label, (affirmed, negated) in counts.items():
            dimension = "form" if label == "economic_stake" else "guarantor"
            rows.append((article, dimension, label, affirmed, negated, 0.0))
    return pd.DataFrame(rows, columns=["article_id", "dimension", "label", "affirmed",
                                       "negated", "share"])


def _frames():
    return pd.DataFrame([(a, f, s) for a in IDS for f, s in
                         (("responsibility", 0.4), ("conflict", 0.1), ("morality", 0.0))],
                        columns=["article_id", "frame", "share"])


def _sentiment():
    return pd.DataFrame([
        ("art-a", "textblob_polarity", 0.05, 0.0, 0.1),
        ("art-a", "vader_compound", 0.1, -0.1, 0.3),
        ("art-b", "textblob_polarity", 0.09, 0.04, 0.14),
        ("art-b", "vader_compound", 0.4, 0.2, 0.6),
    ], columns=["article_id", "measure", "mean", "ci_low", "ci_high"])


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_synthesis_summary_panels():
    fig = plotting.plot_synthesis_summary(_label_counts(), _frames(), _sentiment(), IDS)
    guarantor, form, frames, sentiment = fig.axes
    assert fig._suptitle.get_text().startswith("Synthesis")
    # Affirmed and ruled-out bars per label and article.
    assert len(_bars(guarantor)) == 2 * 2 * 2 and len(_bars(form)) == 1 * 2 * 2
    heights = sorted(round(p.get_height(), 6) for p in _bars(guarantor))
    assert heights == [-2, 0, 0, 0, 0, 1, 2, 3]
    assert len(_bars(frames)) == 3 * 2
    assert [t.get_text() for t in sentiment.get_xticklabels()] == [
        "VADER compound", "TextBlob polarity"]
    assert len(sentiment.lines) >= 2 and len(sentiment.collections) == 2  # one errorbar each
    for ax in fig.axes:
        assert ax.get_title() and ax.get_ylabel()
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [*IDS, "affirmed", "ruled out"]
    # Each article keeps its colour of label_colors whatever the order given.
    colors = plotting.label_colors(IDS)
    assert frames.patches[0].get_facecolor()[:3] == pytest.approx(
        plt.matplotlib.colors.to_rgb(colors["art-b"]))


def test_synthesis_summary_without_mentions():
    counts = _label_counts().iloc[:0]
    fig = plotting.plot_synthesis_summary(counts, _frames(), _sentiment(), IDS)
    assert any("no guarantor" in t.get_text() for t in fig.axes[0].texts)
    assert not _bars(fig.axes[0])


def test_synthesis_summary_bytes_are_deterministic():
    first = plotting.figure_bytes(
        plotting.plot_synthesis_summary(_label_counts(), _frames(), _sentiment(), IDS), "svg")
    second = plotting.figure_bytes(
        plotting.plot_synthesis_summary(_label_counts(), _frames(), _sentiment(), IDS), "svg")
    assert first == second


def _toy_shares():
    articles = pd.DataFrame({
        "article_id": ["a", "b", "c"], "outlet": ["One", "Two", "One"],
        "published": ["2025-02-03", "2025-02-20", "2025-04-01"],
    })
    mentions = pd.DataFrame({
        "article_id": ["a", "a", "b", "a"], "sentence_id": [0, 1, 0, 2],
        "dimension": ["guarantor", "guarantor", "guarantor", "form"],
        "label": ["europe", "europe", "united_states", "economic_stake"],
        "negated": [False, False, False, False], "cue": [""] * 4,
    })
    return articles, mentions


def test_shares_over_time_figure():
    articles, mentions = _toy_shares()
    shares = trends.label_shares_over_time(mentions, articles)
    fig = plotting.plot_label_shares_over_time(shares)
    axes = fig.axes
    assert len(axes) == 4  # (share, rate) x (guarantor, form)
    share_ax, rate_ax, form_share, form_rate = axes
    # Two labels with affirmed mentions x two periods; the empty period draws zero-height bars.
    assert len(_bars(share_ax)) == 2 * 2 and len(rate_ax.get_lines()) == 2
    assert len(_bars(form_share)) == 1 * 2 and len(form_rate.get_lines()) == 1
    # One whisker a period and label: the article rate's 95% interval.
    whiskers = [c for c in rate_ax.collections if len(c.get_segments()) == 2]
    assert len(whiskers) == 2
    europe = shares[(shares["dimension"] == "guarantor") & (shares["label"] == "europe")]
    ends = sorted(y for c in whiskers for segment in c.get_segments() for _, y in segment)
    assert set(europe["article_rate_low"]) | set(europe["article_rate_high"]) <= set(ends)
    ticks = [t.get_text() for t in share_ax.get_xticklabels()]
    assert ticks == ["2025-02\n2 art.\n3 ment.", "2025-04\n1 art.\n0 ment."]
    assert share_ax.get_xticklabels()[0].get_rotation() == 0
    for ax in axes:
        assert ax.get_title() and ax.get_ylabel() and ax.get_xlabel()
    assert [t.get_text() for t in share_ax.get_legend().get_texts()] == [
        "United States", "Europe"]
    assert plotting.figure_bytes(fig, "svg") == plotting.figure_bytes(
        plotting.plot_label_shares_over_time(shares), "svg")


def test_shares_over_time_turns_many_period_ticks_upright():
    articles = pd.DataFrame({"article_id": [f"a{m}" for m in range(1, 9)], "outlet": "One",
                             "published": [f"2025-{m:02d}-01" for m in range(1, 9)]})
    _, mentions = _toy_shares()
    shares = trends.label_shares_over_time(mentions.assign(article_id="a1"), articles, "form")
    share_ax, rate_ax = plotting.plot_label_shares_over_time(shares).axes
    assert len(share_ax.get_xticklabels()) == 8
    assert {t.get_rotation() for t in share_ax.get_xticklabels()} == {90}
    assert {t.get_rotation() for t in rate_ax.get_xticklabels()} == {90}


def test_shares_over_time_without_mentions():
    articles, mentions = _toy_shares()
    shares = trends.label_shares_over_time(mentions.iloc[:0], articles, "form")
    fig = plotting.plot_label_shares_over_time(shares)
    assert len(fig.axes) == 2
    assert any("no form affirmed" in t.get_text() for t in fig.axes[1].texts)


def test_shares_by_outlet_figure():
    articles, mentions = _toy_shares()
    shares = trends.label_shares_by(mentions, articles, by="outlet")
    fig = plotting.plot_label_shares_by_group(shares, "outlet")
    guarantor, form = fig.axes
    assert len(_bars(guarantor)) == 2 * 2  # two labels x two outlets
    assert [t.get_text() for t in guarantor.get_yticklabels()] == [
        "One\n2 art., 2 ment.", "Two\n1 art., 1 ment."]
    assert guarantor.get_xlabel() == "share of affirmed mentions"
    assert guarantor.get_ylabel() == "outlet" and guarantor.get_title()
    assert len(_bars(form)) == 1 * 2
    assert plotting.figure_bytes(fig, "png") == plotting.figure_bytes(
        plotting.plot_label_shares_by_group(shares, "outlet"), "png")
