"""Figures of notebook 06 (coverage over time): label shares per period and per outlet.

Each takes a table of :mod:`analysis.views.trends` and returns a Figure.
"""

from __future__ import annotations

from analysis.views.plotting.axes import empty_panel
from analysis.views.plotting.style import label_colors
from analysis.views.words import column_words, label_words


def _trend_group_ticks(sizes, group: str, template: str = "{g}\n{a} art., {m} ment.") -> list[str]:
    return [template.format(g=g, a=int(a), m=int(m)) for g, a, m in
            zip(sizes[group], sizes["n_articles"], sizes["n_mentions_total"], strict=True)]


def _trend_period_axis(ax, rows) -> None:
    """Period ticks with the articles and mentions behind each; upright when there are many."""
    import numpy as np

    sizes = rows.drop_duplicates("period")
    many = len(sizes) > 6
    template = "{g} ({a} art., {m} ment.)" if many else "{g}\n{a} art.\n{m} ment."
    ax.set_xticks(np.arange(len(sizes)), _trend_group_ticks(sizes, "period", template),
                  rotation=90 if many else 0)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_xlabel("publication period")


def _trend_stacked_shares(ax, rows, group: str, horizontal: bool = False) -> list[str]:
    """Stacked share bars of each group's labels; returns the labels drawn (legend order)."""
    import numpy as np

    groups = list(dict.fromkeys(rows[group]))
    labels = [lab for lab in dict.fromkeys(rows["label"])
              if rows.loc[rows["label"] == lab, "share"].sum() > 0]
    colors = label_colors(labels)
    base = np.zeros(len(groups))
    position = np.arange(len(groups))
    for label in labels:
        share = rows[rows["label"] == label].set_index(group)["share"].reindex(groups)
        values = share.fillna(0).to_numpy()
        bar = ax.barh if horizontal else ax.bar
        bar(position, values, 0.6, base, color=colors[label],
            label=column_words(label_words(label)))
        base += values
    if horizontal:
        ax.set_yticks(position, _trend_group_ticks(rows.drop_duplicates(group), group))
        ax.set_xlim(0, 1)
        ax.invert_yaxis()
    else:
        _trend_period_axis(ax, rows)
        ax.set_ylim(0, 1)
    return labels


def plot_label_shares_over_time(shares):
    """Guarantor/form shares per period: stacked mention shares and per-article rates.

    Parameters
    ----------
    shares : DataFrame
        :func:`analysis.views.trends.label_shares_over_time` output: period, dimension,
        label, n_articles, article_rate, article_rate_low, article_rate_high,
        n_mentions_total, share (one row per period, dimension and label, periods in
        time order).

    Returns
    -------
    matplotlib.figure.Figure
        One row of panels per dimension. Left: share of each label among the period's
        affirmed mentions (stacked bars; periods without affirmed mentions stay empty).
        Right: fraction of the period's articles affirming each label (lines), with
        its 95% Wilson interval (vertical whiskers). Tick labels give the articles and
        affirmed mentions behind each period.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    dimensions = list(dict.fromkeys(shares["dimension"]))
    # Many periods get upright one-line tick labels, which need more height.
    row_height = 3.8 if shares["period"].nunique() <= 6 else 5.4
    fig, axes = plt.subplots(len(dimensions), 2, figsize=(11, row_height * len(dimensions)),
                             squeeze=False)
    for (left, right), dimension in zip(axes, dimensions, strict=True):
        rows = shares[shares["dimension"] == dimension]
        drawn = _trend_stacked_shares(left, rows, "period")
        left.set_title(f"{dimension.capitalize()}: share of affirmed mentions")
        left.set_ylabel("share of affirmed mentions")
        periods = list(dict.fromkeys(rows["period"]))
        colors = label_colors(drawn)
        for i, label in enumerate(drawn):
            rates = rows[rows["label"] == label].set_index("period").reindex(periods)
            # Labels with equal rates would hide each other: each is nudged sideways.
            x = np.arange(len(periods)) + (i - (len(drawn) - 1) / 2) * 0.03
            right.plot(x, rates["article_rate"].to_numpy(), marker="o",
                       color=colors[label], label=column_words(label_words(label)))
            right.vlines(x, rates["article_rate_low"].to_numpy(),
                         rates["article_rate_high"].to_numpy(), color=colors[label],
                         linewidth=1.0, alpha=0.6)
        _trend_period_axis(right, rows)
        right.set_ylim(-0.05, 1.05)
        right.set_title(f"{dimension.capitalize()}: articles affirming the label (95% CI)")
        right.set_ylabel("fraction of the period's articles")
        if drawn:
            left.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=dimension)
        else:
            empty_panel(right, f"no {dimension} affirmed in any period")
    fig.suptitle("Security-guarantee framing over time (art. = articles, ment. = affirmed "
                 "mentions)")
    fig.tight_layout()
    return fig


def plot_label_shares_by_group(shares, group: str = "outlet"):
    """Guarantor/form shares per outlet (or another article column), stacked horizontally.

    Parameters
    ----------
    shares : DataFrame
        :func:`analysis.views.trends.label_shares_by` output: ``group``, dimension, label,
        n_articles, n_mentions_total, share.
    group : str, default "outlet"
        The grouping column.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per dimension: one bar per group, split into the labels' shares of
        its affirmed mentions; tick labels give the articles and mentions behind it.
    """
    import matplotlib.pyplot as plt

    dimensions = list(dict.fromkeys(shares["dimension"]))
    n_groups = max(1, shares[group].nunique())
    fig, axes = plt.subplots(len(dimensions), 1, figsize=(10, (1.4 + 0.55 * n_groups)
                                                          * len(dimensions) + 0.6),
                             squeeze=False)
    for ax, dimension in zip(axes[:, 0], dimensions, strict=True):
        drawn = _trend_stacked_shares(ax, shares[shares["dimension"] == dimension], group,
                                horizontal=True)
        ax.set_title(f"{dimension.capitalize()}: share of affirmed mentions")
        ax.set_xlabel("share of affirmed mentions")
        ax.set_ylabel(group)
        if drawn:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title=dimension)
        else:
            empty_panel(ax, f"no {dimension} affirmed")
    fig.suptitle(f"Security-guarantee framing by {group} (art. = articles, ment. = affirmed "
                 "mentions)")
    fig.tight_layout()
    return fig
