"""Figure of notebook 01 (corpus): the sentences of each section, per article.

It takes :func:`analysis.views.report.section_counts` and returns a Figure.
"""

from __future__ import annotations

from analysis.data.tables import section_order
from analysis.views.plotting.axes import integer_ticks
from analysis.views.plotting.style import label_colors


def plot_sections_per_article(counts, by: str = "article"):
    """Stacked horizontal bars: sentences of each section, one bar per article (or group).

    Parameters
    ----------
    counts : DataFrame
        Columns article_id, section, n_sentences (e.g.
        :func:`analysis.views.report.section_counts`, or its sums per display group from
        :func:`analysis.views.grouping.group_counts`, the group label in article_id).
    by : str, default "article"
        What a bar is, for the title and axis label (``DisplayGroups.by``).

    Returns
    -------
    matplotlib.figure.Figure
        One bar segment per (article, section) with sentences, labelled with its count.
    """
    import matplotlib.pyplot as plt

    articles = sorted(set(counts["article_id"]))
    sections = section_order(counts["section"])
    colors = label_colors(sections)
    fig, ax = plt.subplots(figsize=(7.0, 1.6 + 0.45 * max(len(articles), 1)))
    left = dict.fromkeys(articles, 0)
    for section in sections:
        own = counts.loc[counts["section"] == section].set_index("article_id")["n_sentences"]
        widths = [int(own.get(a, 0)) for a in articles]
        bars = ax.barh(articles, widths, left=[left[a] for a in articles],
                       color=colors[section], edgecolor="white", label=section)
        ax.bar_label(bars, labels=[str(w) if w else "" for w in widths], label_type="center",
                     fontsize=8)
        left = {a: left[a] + w for a, w in zip(articles, widths, strict=True)}
    ax.set_ylim(len(articles) - 0.5, -0.5)
    ax.set_title(f"Sentences per section, by {by}")
    ax.set_xlabel("sentences (count)")
    integer_ticks(ax)
    ax.set_ylabel(by)
    fig.tight_layout()
    fig.legend(title="section", ncols=len(sections), loc="upper center",
               bbox_to_anchor=(0.5, 0.0))
    return fig
