"""Figures of notebooks 03 (sentiment) and 04 (topics) in analysis.views.plotting."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection

from analysis.data import tables
from analysis.measures import sentiment
from analysis.views import plotting

from factories import sentences_table

IDS = ["b-art", "a-art"]


pytestmark = pytest.mark.usefixtures("styled")


@pytest.fixture
def sentences():
    """Overrides the sample of views/conftest.py: articles a-art and b-art, one paragraph each."""
    return sentences_table(articles={
        "a-art": [("title", 0, "x"), ("body", 0, "x"), ("body", 0, "x")],
        "b-art": [("title", 0, "x"), ("summary", 0, "x"), ("body", 0, "x"), ("body", 0, "x")],
    })


@pytest.fixture
def scores():
    frame = pd.DataFrame({
        "article_id": ["a-art"] * 3 + ["b-art"] * 4, "sentence_id": [0, 1, 2, 0, 1, 2, 3],
        "vader_compound": [0.5, -0.2, 0.1, 0.0, 0.3, -0.6, 0.4],
        "textblob_polarity": [0.1, 0.0, -0.1, 0.2, 0.0, 0.0, 0.3],
    }).assign(vader_pos=0.0, vader_neu=1.0, vader_neg=0.0, textblob_subjectivity=0.0)
    return tables.conform(frame, "sentiment")


def _sweep():
    rows = []
    for model, stability in (("lda", [0.5, 0.3, 0.35]), ("nmf", [0.6, 0.7, 0.5])):
        for k, s in zip([2, 3, 4], stability, strict=True):
            rows.append({"model": model, "k": k, "n_seeds": 5, "n_top_terms": 10,
                         "n_documents": 40, "n_terms": 200, "coherence_npmi": 0.1 * k,
                         "coherence_umass": -1.0 + 0.1 * k, "stability_jaccard": s,
                         "perplexity": np.nan, "score": s * (1 + 0.1 * k) / 2})
    return tables.conform(pd.DataFrame(rows), "topic_sweep")


def _topic_terms(k=3, n=4):
    rows = [{"model": "nmf", "k": k, "seed": 0, "topic": t, "rank": r, "term": f"w{t}{r}",
             "weight": 0.4 - 0.05 * r} for t in range(k) for r in range(n)]
    return tables.conform(pd.DataFrame(rows), "topic_terms")


def _prevalence():
    rows = [{"model": "nmf", "k": 3, "seed": 0, "article_id": a, "topic": t, "share": s,
             "n_documents": n}
            for a, shares, n in (("a-art", [0.5, 0.3, 0.2], 10), ("b-art", [0.05, 0.15, 0.8], 12))
            for t, s in enumerate(shares)]
    return tables.conform(pd.DataFrame(rows), "topic_prevalence")


def _twice(make) -> tuple[bytes, bytes]:
    return plotting.figure_bytes(make(), "png"), plotting.figure_bytes(make(), "png")


def _title(fig) -> str:
    return fig._suptitle.get_text() if fig._suptitle is not None else fig.axes[0].get_title()


def test_sentence_sentiment_points_per_sentence_never_joined(scores, sentences):
    fig = plotting.plot_sentence_sentiment(scores, sentences, IDS)
    assert _title(fig) == "Sentence sentiment in reading order"
    assert len(fig.axes) == 2
    for ax, measure in zip(fig.axes, sentiment.MEASURES, strict=True):
        assert ax.get_ylabel().startswith({"vader_compound": "VADER",
                                           "textblob_polarity": "TextBlob"}[measure])
        # Separate statements: no line joins sentences, one stem each from 0.
        assert not [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
        stems = [c for c in ax.collections if isinstance(c, LineCollection)]
        assert [len(c.get_segments()) for c in stems] == [4, 3]
        assert all(segment[0][1] == 0 for c in stems for segment in c.get_segments())
        # Body points (round) and front-matter points (square), one collection each article.
        sizes = [len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)]
        assert sizes == [2, 2, 2, 1]
    assert fig.axes[-1].get_xlabel().startswith("sentence position")
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == IDS
    first, second = _twice(lambda: plotting.plot_sentence_sentiment(scores, sentences, IDS))
    assert first == second


def test_article_sentiment_points_with_intervals(scores):
    summary = sentiment.article_sentiment(scores, n_boot=100)
    fig = plotting.plot_article_sentiment(summary, ["b-art"], measures=sentiment.MEASURES)
    assert _title(fig).startswith("Mean sentence sentiment per article")
    assert len(fig.axes) == 2
    for ax, measure in zip(fig.axes, sentiment.MEASURES, strict=True):
        assert measure.split("_")[0] in ax.get_xlabel().lower()
        # One errorbar container per article, its point at the mean.
        means = summary[summary["measure"] == measure]["mean"].tolist()
        points = [c.lines[0].get_xdata()[0] for c in ax.containers]
        np.testing.assert_allclose(points, means)
        colors = [matplotlib.colors.to_hex(c.lines[0].get_color()).upper() for c in
                  ax.containers]
        assert colors == [plotting.OTHER_COLOR, plotting.PALETTE[0]]
        assert [t.get_text() for t in ax.texts] == ["n = 3", "n = 4"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a-art", "b-art"]
    first, second = _twice(lambda: plotting.plot_article_sentiment(summary))
    assert first == second


def test_lexicon_agreement_one_point_per_sentence(scores):
    fig = plotting.plot_lexicon_agreement(scores)
    ax = fig.axes[0]
    assert ax.get_title() and "VADER" in ax.get_xlabel() and "TextBlob" in ax.get_ylabel()
    assert [len(c.get_offsets()) for c in ax.collections] == [3, 4]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a-art (n = 3)",
                                                                   "b-art (n = 4)"]
    first, second = _twice(lambda: plotting.plot_lexicon_agreement(scores))
    assert first == second
    # Compared articles keep their colours; the rest of the corpus is one grey group.
    focus = plotting.plot_lexicon_agreement(scores, ["b-art"]).axes[0]
    assert [len(c.get_offsets()) for c in focus.collections] == [3, 4]
    assert [t.get_text() for t in focus.get_legend().get_texts()] == [
        "other articles (n = 3)", "b-art (n = 4)"]
    grey, own = (tuple(c.get_facecolor()[0][:3]) for c in focus.collections)
    assert grey == pytest.approx(matplotlib.colors.to_rgb(plotting.OTHER_COLOR))
    assert own == pytest.approx(matplotlib.colors.to_rgb(plotting.PALETTE[0]))
    assert not any(c.get_rasterized() for c in focus.collections)


def test_lexicon_agreement_draws_many_grey_points_as_one_image(styled):
    n = plotting.sentiment.RASTER_ABOVE + 1
    rng = np.random.default_rng(0)
    many = pd.DataFrame({"article_id": ["a"] * 3 + [f"o{i % 50}" for i in range(n)],
                         "vader_compound": rng.uniform(-1, 1, n + 3),
                         "textblob_polarity": rng.uniform(-1, 1, n + 3)})
    fig = plotting.plot_lexicon_agreement(many, ["a"])
    grey, own = fig.axes[0].collections
    assert grey.get_rasterized() and not own.get_rasterized()
    svg = plotting.figure_bytes(fig, "svg")
    assert svg.count(b"<image") == 1 and len(svg) < 200_000


def test_aspect_sentiment_bars_with_counts(scores):
    mentions = pd.DataFrame({"article_id": ["a-art", "b-art", "b-art"],
                             "sentence_id": [0, 2, 3], "dimension": ["guarantor", "form", "form"],
                             "label": ["europe", "monitoring", "monitoring"],
                             "negated": [False, True, False]})
    quotes = pd.DataFrame({"article_id": ["b-art"], "sentence_id": [3]})
    aspects = sentiment.aspect_sentiment(scores, mentions, quotes, n_boot=200)
    fig = plotting.plot_aspect_sentiment(aspects, IDS)
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel().startswith("mean VADER")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["guarantor: Europe", "form: monitoring", "voice: narrator", "voice: quote"]
    # One bar container per article, one bar per aspect; absent aspects have no n label.
    assert [len(c) for c in ax.containers] == [4, 4]
    b_bars, a_bars = ax.containers
    assert [round(bar.get_width(), 6) for bar in b_bars] == [0.0, -0.1, -0.1, 0.4]
    texts = sorted(t.get_text() for t in ax.texts if t.get_text())
    assert texts == ["n = 1, too few", "n = 1, too few", "n = 2, too few", "n = 3, too few",
                     "n = 3, too few"]
    # Below the minimum a mean is an outline, not a coloured bar; at it, a coloured bar.
    assert all(bar.get_facecolor()[3] == 0 for c in ax.containers for bar in c
               if bar.get_width() != 0)
    assert len(ax.lines) == 1  # the zero line; no whisker below the minimum
    lenient = plotting.plot_aspect_sentiment(aspects, IDS, min_sentences=2).axes[0]
    filled = [bar.get_facecolor()[3] > 0 for c in lenient.containers for bar in c]
    assert sum(filled) == 6 and "fewer than 2 sentences" in lenient.get_title()
    # From the minimum on, each mean has its interval as a whisker around the bar's end.
    whiskers = [line.get_xdata() for line in lenient.lines[:-1]]  # the last: the zero line
    assert len(whiskers) == 3  # b-art monitoring and narrator, a-art narrator
    assert all(low <= high for low, high in whiskers)
    # Without intervals (aspect_sentiment without n_boot) no mean is drawn as a tone.
    bare = plotting.plot_aspect_sentiment(sentiment.aspect_sentiment(scores, mentions, quotes),
                                          IDS, min_sentences=2).axes[0]
    assert not any(bar.get_facecolor()[3] > 0 for c in bare.containers for bar in c
                   if bar.get_width() != 0)
    assert _twice(lambda: plotting.plot_aspect_sentiment(aspects, IDS))[0] == \
        plotting.figure_bytes(plotting.plot_aspect_sentiment(aspects, IDS), "png")


def test_topic_sweep_four_panels_and_chosen_rings():
    sweep = _sweep()
    fig = plotting.plot_topic_sweep(sweep, chosen={"lda": 2, "nmf": 3})
    assert _title(fig).startswith("Topic-model sweep")
    assert len(fig.axes) == 4
    for ax, column in zip(fig.axes, ["coherence_npmi", "coherence_umass", "stability_jaccard",
                                     "score"], strict=True):
        assert ax.get_ylabel()
        assert len(ax.get_lines()) == 2
        rings = [c.get_offsets().tolist() for c in ax.collections]
        expected = [sweep.loc[(sweep["model"] == m) & (sweep["k"] == k), column].item()
                    for m, k in (("lda", 2), ("nmf", 3))]
        assert [r[0][0] for r in rings] == [2, 3]
        np.testing.assert_allclose([r[0][1] for r in rings], expected)
    assert fig.axes[-1].get_xlabel() == "number of topics k"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["LDA", "NMF", "chosen k"]
    first, second = _twice(lambda: plotting.plot_topic_sweep(sweep, {"nmf": 3}))
    assert first == second


def test_topic_terms_one_panel_per_topic():
    fig = plotting.plot_topic_terms(_topic_terms(k=5, n=4), n_terms=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 5 and len(fig.axes) == 5  # no panel for the empty slots
    assert all(ax.xaxis.get_tick_params()["labelbottom"] for ax in visible)
    assert _title(fig) == "Top terms per topic (NMF, k = 5, seed 0)"
    assert [ax.get_title() for ax in visible] == [f"topic {t}" for t in range(5)]
    assert [len(ax.patches) for ax in visible] == [3] * 5
    assert [t.get_text() for t in visible[2].get_yticklabels()] == ["w20", "w21", "w22"]
    assert all(ax.get_xlabel() for ax in visible[1:])
    first, second = _twice(lambda: plotting.plot_topic_terms(_topic_terms(), n_terms=3))
    assert first == second


def test_topic_prevalence_stacks_shares_per_article():
    labels = {0: "T0 w00", 1: "T1 w10", 2: "T2 w20"}
    fig = plotting.plot_topic_prevalence(_prevalence(), labels)
    ax = fig.axes[0]
    assert ax.get_title() == "Topic prevalence per article" and ax.get_xlabel()
    assert [len(c) for c in ax.containers] == [2, 2, 2]
    # Segments start where the previous topic's ended.
    lefts = [[round(bar.get_x(), 6) for bar in c] for c in ax.containers]
    assert lefts == [[0.0, 0.0], [0.5, 0.05], [0.8, 0.2]]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == list(labels.values())
    # Shares below 8% are not labelled.
    assert "5%" not in [t.get_text() for t in ax.texts] and "80%" in [t.get_text()
                                                                       for t in ax.texts]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a-art\n(10 sentences)",
                                                            "b-art\n(12 sentences)"]
    first, second = _twice(lambda: plotting.plot_topic_prevalence(_prevalence(), labels))
    assert first == second
