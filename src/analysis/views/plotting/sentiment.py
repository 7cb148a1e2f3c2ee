"""Figures of notebook 03 (sentiment): sentence scores, article means, lexicon agreement, aspects.

Each takes a tidy table of :mod:`analysis.measures.sentiment` and returns a Figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from analysis.data.tables import FRONT_SECTIONS
from analysis.measures.sentiment.aspects import MIN_ASPECT_SENTENCES
from analysis.views.plotting.axes import grouped_barh
from analysis.views.plotting.style import OTHER_COLOR, label_colors

_SENTIMENT_AXIS = {
    "vader_compound": "VADER compound (-1 to 1)",
    "textblob_polarity": "TextBlob polarity (-1 to 1)",
}


def _score_ticks(axis) -> None:
    """Ticks every 0.5 on a -1 to 1 score axis.

    Five labelled ticks read as well as the nine of matplotlib's default, and every tick
    is several artists that each layout and each save has to handle.
    """
    from matplotlib.ticker import MultipleLocator

    axis.set_major_locator(MultipleLocator(0.5))


def _highlight_colors(articles: Iterable[str], highlight: Sequence[str] | None) -> dict[str, str]:
    """Colours of the compared articles as in every other figure; the rest of the corpus grey."""
    articles = sorted(set(articles))
    if highlight is None:
        return label_colors(articles)
    colors = label_colors(highlight)
    return {a: colors.get(a, OTHER_COLOR) for a in articles}


def plot_sentence_sentiment(sentiment, sentences, article_ids: Sequence[str],
                            measures: Sequence[str] = ("vader_compound", "textblob_polarity")):
    """Sentence scores in reading order: one panel per measure, one stem per sentence.

    Parameters
    ----------
    sentiment : DataFrame
        Table ``sentiment`` (any subset of sentences).
    sentences : DataFrame
        Table ``sentences`` (for each sentence's section).
    article_ids : sequence of str
        Articles to draw, in legend order.
    measures : sequence of str
        Score columns, one panel each.

    Returns
    -------
    matplotlib.figure.Figure
        Each sentence a point on a thin stem from 0, in its article's colour: sentences
        are separate statements, so no line joins them (a line would suggest a course
        between them). Square markers are headline, summary or deck sentences, round
        markers body sentences; the articles' sentences sit side by side, slightly
        offset, so that equal positions do not hide each other.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    frame = sentiment.merge(sentences.loc[:, ["article_id", "sentence_id", "section"]],
                            on=["article_id", "sentence_id"], how="left")
    colors = label_colors(article_ids)
    fig, axes = plt.subplots(len(measures), 1, figsize=(7.5, 1.2 + 2.3 * len(measures)),
                             sharex=True, squeeze=False)
    width = 0.7 / max(len(article_ids), 1)
    for ax, measure in zip(axes[:, 0], measures, strict=True):
        for position, article in enumerate(article_ids):
            own = frame[frame["article_id"] == article].sort_values("sentence_id")
            front = own["section"].isin(FRONT_SECTIONS)
            x = own["sentence_id"] + (position - (len(article_ids) - 1) / 2) * width
            ax.vlines(x, 0, own[measure], color=colors[article], linewidth=0.8, alpha=0.7)
            ax.scatter(x[~front], own.loc[~front, measure], s=16, color=colors[article],
                       zorder=3)
            ax.scatter(x[front], own.loc[front, measure], s=22, marker="s",
                       facecolors="white", edgecolors=colors[article], zorder=3)
        ax.axhline(0, color="#555555", linewidth=0.7)
        ax.set_ylim(-1.05, 1.05)
        _score_ticks(ax.yaxis)
        ax.set_ylabel(_SENTIMENT_AXIS.get(measure, measure))
    axes[-1, 0].set_xlabel("sentence position in the article (0 = title)")
    handles = [Line2D([], [], color=colors[a], label=a) for a in article_ids] + [
        Line2D([], [], marker="s", linestyle="", markerfacecolor="white",
               markeredgecolor="#333333", label="title / summary / deck"),
        Line2D([], [], marker="o", linestyle="", color="#333333", markersize=4, label="body"),
    ]
    fig.suptitle("Sentence sentiment in reading order")
    fig.tight_layout()
    fig.legend(handles=handles, ncols=min(len(handles), 4), loc="upper center",
               bbox_to_anchor=(0.5, 0.0))
    return fig


def plot_article_sentiment(summary, article_ids: Sequence[str] | None = None,
                           measures: Sequence[str] | None = None, by: str = "article"):
    """Mean sentence score per article with its bootstrap interval, one panel per measure.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.measures.sentiment.article_sentiment` (article_id, measure, n, mean,
        ci_low, ci_high), or its means per display group
        (:func:`analysis.views.grouping.group_means`, the group label in article_id).
    article_ids : sequence of str, optional
        The compared articles: drawn in their colours, every other article grey.
        Default: every article in its own colour.
    measures : sequence of str, optional
        Panels to draw; default every measure of ``summary`` in sorted order.
    by : str, default "article"
        What a row is (``DisplayGroups.by``): for articles ``n`` counts sentences and
        the intervals are bootstrap ones; for groups ``n`` counts articles and the
        intervals are t intervals over them.

    Returns
    -------
    matplotlib.figure.Figure
        A point and error bar per article (or group); its ``n`` beside it.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    measures = list(measures) if measures is not None else sorted(set(summary["measure"]))
    articles = sorted(set(summary["article_id"]))
    colors = _highlight_colors(articles, article_ids)
    fig, axes = plt.subplots(1, len(measures), figsize=(3.6 * len(measures) + 1.8,
                                                        1.5 + 0.5 * len(articles)),
                             sharey=True, squeeze=False)
    for ax, measure in zip(axes[0], measures, strict=True):
        own = summary[summary["measure"] == measure].set_index("article_id")
        for y, article in enumerate(articles):
            if article not in own.index or own.loc[article, "n"] == 0:
                continue
            row = own.loc[article]
            err = np.array([[row["mean"] - row["ci_low"]], [row["ci_high"] - row["mean"]]])
            ax.errorbar(row["mean"], y, xerr=err, fmt="o", color=colors[article], capsize=4)
            count = f"n = {int(row['n'])}" + ("" if by == "article" else " articles")
            ax.annotate(count, (row["ci_high"], y), xytext=(5, 0),
                        textcoords="offset points", va="center", fontsize=8)
        ax.axvline(0, color="#555555", linewidth=0.7)
        ax.set_xlim(-1, 1)
        _score_ticks(ax.xaxis)
        ax.set_xlabel(f"mean {_SENTIMENT_AXIS.get(measure, measure)}")
        ax.set_yticks(range(len(articles)), articles)
        ax.set_ylim(len(articles) - 0.5, -0.5)
    axes[0, 0].set_ylabel(by)
    fig.suptitle("Mean sentence sentiment per article, with 95% bootstrap intervals"
                 if by == "article" else
                 f"Mean of the articles' mean sentence sentiment per {by}, with 95% t "
                 "intervals over articles")
    fig.tight_layout()
    return fig


# Grey points beyond which the scatter is an image inside the SVG. A circle costs about
# 120 bytes of SVG (4,140 sentences of a generated corpus gave 495 KB), so 200,000
# sentences would make some 24 MB that a browser draws slowly.
RASTER_ABOVE = 2000


def plot_lexicon_agreement(sentiment, article_ids: Sequence[str] | None = None,
                           x: str = "vader_compound", y: str = "textblob_polarity"):
    """Scatter of the two lexicons' scores of the same sentences, coloured by article.

    Parameters
    ----------
    sentiment : DataFrame
        Table ``sentiment``; every article is drawn.
    article_ids : sequence of str, optional
        The compared articles: drawn last, in their colours; every other article grey
        (one legend entry, "other articles"). Default: every article in its own colour.
    x, y : str
        Score columns on the two axes.

    Returns
    -------
    matplotlib.figure.Figure
        One point per sentence; the dashed diagonal is perfect agreement. More than
        ``RASTER_ABOVE`` grey points are drawn as one image in vector formats, so the
        SVG of a large corpus stays small.
    """
    import matplotlib.pyplot as plt

    articles = sorted(set(sentiment["article_id"]))
    colors = _highlight_colors(articles, article_ids)
    fig, ax = plt.subplots(figsize=(5.6, 5.0))
    if article_ids is not None:
        rest = sentiment[~sentiment["article_id"].isin(list(article_ids))]
        if len(rest):
            ax.scatter(rest[x], rest[y], s=16, color=OTHER_COLOR, alpha=0.6, linewidths=0,
                       label=f"other articles (n = {len(rest)})",
                       rasterized=len(rest) > RASTER_ABOVE)
        articles = [a for a in article_ids if a in set(articles)]
    for article in articles:
        own = sentiment[sentiment["article_id"] == article]
        ax.scatter(own[x], own[y], s=22, color=colors[article], alpha=0.8,
                   edgecolors="white", linewidths=0.5, label=f"{article} (n = {len(own)})")
    ax.plot([-1, 1], [-1, 1], color="#555555", linewidth=0.7, linestyle="--")
    ax.axhline(0, color="#999999", linewidth=0.5)
    ax.axvline(0, color="#999999", linewidth=0.5)
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    _score_ticks(ax.xaxis)
    _score_ticks(ax.yaxis)
    ax.set_xlabel(f"{_SENTIMENT_AXIS.get(x, x)} per sentence")
    ax.set_ylabel(f"{_SENTIMENT_AXIS.get(y, y)} per sentence")
    ax.set_title("Two lexicons, the same sentences")
    ax.legend(title="article (sentences)", loc="upper left")
    fig.tight_layout()
    return fig


def _annotate_bars(ax, bars, counts, bounds, min_sentences: int) -> None:
    """Each aspect bar's interval whisker (from ``min_sentences`` sentences) and its n.

    The n label sits past the end of the bar or of its whisker, on the bar's side of 0,
    so that the whisker never runs through it.
    """
    for bar, n, (low, high) in zip(bars, counts, bounds, strict=True):
        if not n:
            continue
        value, y = bar.get_x() + bar.get_width(), bar.get_y() + bar.get_height() / 2
        end = value
        if n >= min_sentences and math.isfinite(low) and math.isfinite(high):
            ax.plot([low, high], [y, y], color="#222222", linewidth=1.0,
                    solid_capstyle="butt")
            end = high if value >= 0 else low
        else:
            bar.set_facecolor("none")
            bar.set_edgecolor("#999999")
            bar.set_hatch("///")
        side = 1 if value >= 0 else -1
        ax.text(end + side * 0.02, y, f"n = {n}" + (", too few" if n < min_sentences else ""),
                ha="left" if side > 0 else "right", va="center", fontsize=7)


def plot_aspect_sentiment(aspects, article_ids: Sequence[str], measure: str = "vader_compound",
                          min_sentences: int = MIN_ASPECT_SENTENCES):
    """Mean sentence score per guarantor, form and voice, one bar per article.

    Parameters
    ----------
    aspects : DataFrame
        :func:`analysis.measures.sentiment.aspect_sentiment` per article (article_id,
        aspect_type, aspect, n, n_negated, mean_<measure>, and, when it was computed
        with ``n_boot``, ci_low_<measure> and ci_high_<measure>).
    article_ids : sequence of str
        Articles to draw, in legend order.
    measure : str
        The score whose mean is drawn.
    min_sentences : int, default 5
        A mean of fewer sentences is drawn as a grey outline without an interval, not a
        coloured bar: one or two sentences do not make a tone.

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal bars grouped by aspect (guarantors, then forms, then voices), each
        labelled with its number of sentences n and, from ``min_sentences`` sentences
        and when ``aspects`` has them, its 95% interval as a whisker; means of fewer
        sentences greyed and marked "too few".
    """
    import matplotlib.pyplot as plt

    own = aspects[aspects["article_id"].isin(list(article_ids)) & (aspects["n"] > 0)]
    order = {"guarantor": 0, "form": 1, "voice": 2}
    keys = sorted({(t, a) for t, a in zip(own["aspect_type"], own["aspect"], strict=True)},
                  key=lambda key: (order.get(key[0], 3), key[0], key[1]))
    categories = [f"{t}: {a}" for t, a in keys]
    column = f"mean_{measure}"
    indexed = own.set_index(["article_id", "aspect_type", "aspect"])
    values = {
        article: [float(indexed[column].get((article, t, a), 0.0)) for t, a in keys]
        for article in article_ids
    }
    counts = {
        article: [int(indexed["n"].get((article, t, a), 0)) for t, a in keys]
        for article in article_ids
    }
    nan = float("nan")
    bounds = {
        article: [(float(indexed.get(f"ci_low_{measure}", {}).get((article, t, a), nan)),
                   float(indexed.get(f"ci_high_{measure}", {}).get((article, t, a), nan)))
                  for t, a in keys]
        for article in article_ids
    }
    colors = label_colors(article_ids)
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.45 * max(len(categories), 1)
                                    * max(len(article_ids), 1) / 2 + 0.6))
    grouped_barh(ax, categories, values, colors)
    for container, article in zip(ax.containers, article_ids, strict=True):
        _annotate_bars(ax, container.patches, counts[article], bounds[article],
                       min_sentences)
    ax.axvline(0, color="#555555", linewidth=0.7)
    ax.set_xlim(-1.15, 1.15)
    ax.set_xlabel(f"mean {_SENTIMENT_AXIS.get(measure, measure)} of the sentences")
    ax.set_title(f"Sentence sentiment by guarantor, form and voice\n(whiskers: 95% interval;"
                 f" hatched: fewer than {min_sentences} sentences or no interval)")
    if not categories:
        ax.text(0.5, 0.5, "no aspect sentences", transform=ax.transAxes, ha="center")
    fig.tight_layout()
    fig.legend(title="article", ncols=max(len(article_ids), 1), loc="upper center",
               bbox_to_anchor=(0.5, 0.0))
    return fig
