"""Figure of notebook 05 (synthesis): guarantors, forms, frames and sentiment side by side.

It takes the tables of :mod:`analysis.views.synthesis` and returns a Figure.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.views.plotting.axes import empty_panel
from analysis.views.plotting.style import label_colors
from analysis.views.words import column_words, label_words

_SYNTHESIS_MEASURE_NAMES = {
    "vader_compound": "VADER compound", "textblob_polarity": "TextBlob polarity",
}


def _synthesis_label_bars(ax, counts, dimension: str, article_ids: Sequence[str],
                          colors: dict) -> None:
    """Affirmed (up) and ruled-out (down, hatched) sentence counts per label and article."""
    import numpy as np

    rows = counts[counts["dimension"] == dimension]
    labels = list(dict.fromkeys(rows["label"]))
    ax.set_title(f"{dimension.capitalize()}s: affirmed and ruled out")
    ax.set_ylabel("sentences (ruled out below 0)")
    if not labels:
        empty_panel(ax, f"no {dimension} mentioned")
        return
    width = 0.8 / len(article_ids)
    x = np.arange(len(labels))
    for i, article in enumerate(article_ids):
        sub = rows[rows["article_id"] == article].set_index("label").reindex(labels).fillna(0)
        offset = x - 0.4 + width * (i + 0.5)
        ax.bar(offset, sub["affirmed"].to_numpy(), width, color=colors[article])
        # Ruled out: hatched outline in the article's colour, readable for light colours too.
        negated = sub["negated"].to_numpy()
        ax.bar(offset, -negated, width, facecolor="white", edgecolor=colors[article],
               hatch="///", linewidth=[1.0 if n else 0.0 for n in negated])
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xticks(x, [column_words(label_words(label)) for label in labels], rotation=30,
                  ha="right")
    ax.yaxis.get_major_locator().set_params(integer=True)


def plot_synthesis_summary(label_counts, frames, sentiment, article_ids: Sequence[str]):
    """Four panels comparing articles: guarantors, forms, generic frames, sentiment.

    Parameters
    ----------
    label_counts : DataFrame
        article_id, dimension, label, affirmed, negated (sentences), e.g.
        :func:`analysis.views.synthesis.label_counts_long`; labels in the order to show.
    frames : DataFrame
        article_id, frame, share (fraction of the article's sentences).
    sentiment : DataFrame
        article_id, measure, mean, ci_low, ci_high (table ``article_sentiment``).
    article_ids : sequence of str
        Articles in legend order; each keeps its colour from :func:`label_colors`.

    Returns
    -------
    matplotlib.figure.Figure
        Panels: guarantors and forms (affirmed sentences up, ruled-out sentences down,
        hatched), frame shares (grouped bars), mean sentence sentiment with 95%
        intervals (one marker per article and measure).
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch

    ids = list(article_ids)
    colors = label_colors(ids)
    fig, axes = plt.subplots(2, 2, figsize=(11, 8.5))
    for ax, dimension in zip(axes[0], ("guarantor", "form"), strict=True):
        _synthesis_label_bars(ax, label_counts, dimension, ids, colors)

    ax = axes[1, 0]
    names = list(dict.fromkeys(frames["frame"]))
    width = 0.8 / len(ids)
    x = np.arange(len(names))
    for i, article in enumerate(ids):
        sub = frames[frames["article_id"] == article].set_index("frame").reindex(names)
        ax.bar(x - 0.4 + width * (i + 0.5), sub["share"].fillna(0).to_numpy(), width,
               color=colors[article])
    ax.set_xticks(x, [name.replace("_", " ") for name in names], rotation=30, ha="right")
    ax.set_ylim(0, 1)
    ax.set_title("Generic frames (Semetko & Valkenburg)")
    ax.set_ylabel("share of sentences")

    ax = axes[1, 1]
    known = list(_SYNTHESIS_MEASURE_NAMES)
    measures = sorted(dict.fromkeys(sentiment["measure"]),
                      key=lambda m: known.index(m) if m in known else len(known))
    for i, article in enumerate(ids):
        sub = sentiment[sentiment["article_id"] == article].set_index("measure").reindex(
            measures)
        mean = sub["mean"].to_numpy(dtype=float)
        error = np.abs(np.vstack([mean - sub["ci_low"].to_numpy(dtype=float),
                                  sub["ci_high"].to_numpy(dtype=float) - mean]))
        ax.errorbar(np.arange(len(measures)) - 0.2 + 0.4 * (i + 0.5) / len(ids), mean,
                    yerr=error, fmt="o", color=colors[article], capsize=4)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xticks(np.arange(len(measures)), [_SYNTHESIS_MEASURE_NAMES.get(m, m) for m in measures])
    ax.set_xlim(-0.6, len(measures) - 0.4)
    ax.set_title("Sentence sentiment: mean and 95% bootstrap CI")
    ax.set_ylabel("mean score (-1 negative to +1 positive)")

    handles = [Patch(color=colors[a], label=a) for a in ids]
    handles += [Patch(facecolor="#777777", label="affirmed"),
                Patch(facecolor="white", hatch="///", edgecolor="#777777", label="ruled out")]
    fig.suptitle("Synthesis: how the compared articles frame security guarantees")
    # Legend under the panels, as in the other figures: tight_layout then needs no
    # reserved band (a rect costs it a second measuring pass).
    fig.tight_layout()
    fig.legend(handles=handles, loc="upper center", ncols=len(handles),
               bbox_to_anchor=(0.5, 0.0))
    return fig
