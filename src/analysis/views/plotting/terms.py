"""Figure of notebook 02: each article's distinctive terms against the rest of the corpus.

It takes the ``distinctive_terms`` table (:mod:`analysis.measures.compare`) and returns
a Figure.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.views.plotting.style import OTHER_COLOR, label_colors


def _label_points(ax, texts: Sequence[str], xs: Sequence[float], ys: Sequence[float],
                  gap: float) -> None:
    """Name points in one column right of the rightmost, rows at least ``gap`` apart.

    Points are taken in the order given (highest first); each label sits at its point's
    height unless that crowds the label above, and a thin line ties it to its point.
    On a log x axis the column is 1.5 times the largest x.
    """
    from matplotlib.collections import LineCollection

    column = max(xs, default=1.0) * 1.5
    rows, row = [], None
    for y in ys:
        row = y if row is None else min(y, row - gap)
        rows.append(row)
    # One collection of straight ties under the points, not an arrow per label: matplotlib
    # clips each arrow against its label's box on every draw, the costliest part of the figure.
    ties = [[(x, y), (column, r)] for x, y, r in zip(xs, ys, rows, strict=True)]
    ax.add_collection(LineCollection(ties, colors="#999999", linewidths=0.5, zorder=0.9),
                      autolim=False)
    for text, r in zip(texts, rows, strict=True):
        ax.annotate(text, (column, r), xytext=(2, 0), textcoords="offset points", fontsize=7,
                    va="center")


def plot_distinctive_terms(table, article_ids: Sequence[str], n_labels: int = 8,
                           z_threshold: float = 1.96):
    """Distinctive terms: log-odds z-score against corpus frequency (Monroe et al. 2008).

    Parameters
    ----------
    table : DataFrame
        Table ``distinctive_terms`` (article_id, term, count, count_rest, z_score).
    article_ids : sequence of str
        One panel per article (each against the rest of the corpus).
    n_labels : int, default 8
        Terms with the highest z named in each panel.
    z_threshold : float, default 1.96
        Dashed guide lines at +-z_threshold; points beyond it are drawn in colour.

    Returns
    -------
    matplotlib.figure.Figure
        One scatter per article: x = the term's count in the whole corpus (log scale),
        y = z-score of the article's log-odds against the rest.
    """
    import matplotlib.pyplot as plt

    colors = label_colors(article_ids)
    chosen = table.loc[table["article_id"].isin(list(article_ids))]
    reach = max(float(chosen["z_score"].abs().max()) if len(chosen) else 0.0, z_threshold) + 0.4
    fig, axes = plt.subplots(1, len(article_ids), squeeze=False, sharey=True,
                             figsize=(5.0 * len(article_ids), 4.4))
    for ax, a in zip(axes[0], article_ids, strict=True):
        own = chosen.loc[chosen["article_id"] == a].sort_values(
            ["z_score", "term"], ascending=[False, True], kind="mergesort")
        total = own["count"] + own["count_rest"]
        strong = own["z_score"].abs() >= z_threshold
        ax.scatter(total[~strong], own.loc[~strong, "z_score"], s=12, color=OTHER_COLOR,
                   alpha=0.5, linewidths=0)
        ax.scatter(total[strong], own.loc[strong, "z_score"], s=18, color=colors[a],
                   edgecolors="#333333", linewidths=0.6)
        labelled = own.loc[own["z_score"] > 0].head(n_labels)
        ax.scatter(labelled["count"] + labelled["count_rest"], labelled["z_score"], s=18,
                   color=colors[a])
        _label_points(ax, list(labelled["term"]),
                      list(labelled["count"] + labelled["count_rest"]),
                      list(labelled["z_score"]), gap=2 * reach / 18)
        for level in (z_threshold, -z_threshold):
            ax.axhline(level, color="#555555", linewidth=0.7, linestyle="--")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:g}")
        ax.set_ylim(-reach, reach)
        ax.set_title(f"{a} vs rest of corpus")
        ax.set_xlabel("term count in the corpus (log scale)")
        if own.empty:
            ax.set_xlim(1, 10)  # a log axis without data needs positive limits
            ax.text(0.5, 0.5, "no terms to compare", transform=ax.transAxes, ha="center")
    axes[0][0].set_ylabel("log-odds z-score (informative Dirichlet prior)")
    fig.suptitle("Distinctive terms: log-odds z-score against frequency "
                 f"(top {n_labels} named; dashed: |z| = {z_threshold:g})")
    fig.tight_layout()
    return fig
