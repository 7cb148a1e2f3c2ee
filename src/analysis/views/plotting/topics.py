"""Figures of notebook 04 (topics): the k sweep, top terms per topic, topic prevalence.

Each takes a tidy table of :mod:`analysis.measures.topics` and returns a Figure.
"""

from __future__ import annotations

from analysis.views.plotting.axes import shorten_words
from analysis.views.plotting.style import label_colors

_SWEEP_PANELS = (
    ("coherence_npmi", "NPMI coherence (-1 to 1)"),
    ("coherence_umass", "UMass coherence (log ratio)"),
    ("stability_jaccard", "stability (average Jaccard, 0 to 1)"),
    ("score", "score = stability x (1 + NPMI) / 2"),
)


def _topic_colors(k: int) -> dict[int, str]:
    """Colour of topic 0..k-1: palette order by topic number, the same in every figure."""
    names = {t: f"topic {t:04d}" for t in range(k)}
    colors = label_colors(names.values())
    return {t: colors[name] for t, name in names.items()}


def plot_topic_sweep(sweep, chosen: dict[str, int] | None = None):
    """Coherence, stability and score against the number of topics, one line per model.

    Parameters
    ----------
    sweep : DataFrame
        Table ``topic_sweep``.
    chosen : dict of str to int, optional
        The k chosen for each model, drawn as a ring on that model's lines.

    Returns
    -------
    matplotlib.figure.Figure
        Four panels (NPMI, UMass, stability, score), a line per model.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    chosen = chosen or {}
    models = sorted(set(sweep["model"]))
    colors = label_colors(models)
    fig, axes = plt.subplots(2, 2, figsize=(8.0, 6.0), sharex=True)
    for ax, (column, label) in zip(axes.ravel(), _SWEEP_PANELS, strict=True):
        for model in models:
            own = sweep[sweep["model"] == model].sort_values("k")
            ax.plot(own["k"], own[column], marker="o", markersize=4, color=colors[model],
                    label=model.upper())
            picked = own[own["k"] == chosen.get(model)]
            ax.scatter(picked["k"], picked[column], s=140, facecolors="none",
                       edgecolors=colors[model], linewidths=1.8, zorder=3)
        ax.set_ylabel(label)
    for ax in axes[-1]:
        ax.set_xlabel("number of topics k")
        ax.set_xticks(sorted(set(sweep["k"])))
    handles = [Line2D([], [], color=colors[m], marker="o", markersize=4, label=m.upper())
               for m in models]
    if chosen:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=10,
                              markerfacecolor="none", markeredgecolor="#333333",
                              label="chosen k"))
    fig.suptitle("Topic-model sweep: coherence and stability against k")
    fig.tight_layout()
    fig.legend(handles=handles, ncols=len(handles), loc="upper center",
               bbox_to_anchor=(0.5, 0.0))
    return fig


def plot_topic_terms(topic_terms, n_terms: int = 8):
    """Top terms of each topic of one fit, one small panel per topic.

    Parameters
    ----------
    topic_terms : DataFrame
        Table ``topic_terms`` of one fit.
    n_terms : int
        Terms per panel.

    Returns
    -------
    matplotlib.figure.Figure
        ``k`` panels of horizontal bars (heaviest term at the top).
    """
    import matplotlib.pyplot as plt

    k = int(topic_terms["k"].iloc[0]) if len(topic_terms) else 0
    ncols = max(1, min(k, 4))
    nrows = max(1, -(-k // ncols))
    fig = plt.figure(figsize=(2.4 * ncols + 0.8, 0.5 + 2.3 * nrows))
    grid = fig.add_gridspec(nrows, ncols)
    colors = _topic_colors(k)
    first = None
    for topic in range(k):
        # One panel per topic and none for the empty slots of the last row; every panel
        # keeps its x tick labels (add_subplot, unlike subplots, does not hide them).
        ax = fig.add_subplot(grid[topic // ncols, topic % ncols], sharex=first)
        first = first or ax
        own = topic_terms[(topic_terms["topic"] == topic) & (topic_terms["rank"] < n_terms)]
        own = own.sort_values("rank")
        # Shortened before the layout, so that it makes room for what is drawn.
        ax.barh([shorten_words(term) for term in own["term"]], own["weight"],
                color=colors[topic])
        ax.set_ylim(n_terms - 0.5, -0.5)
        ax.set_title(f"topic {topic}", fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
        if topic + ncols >= k:
            ax.set_xlabel("share of topic's term weight")
    if k:
        run = topic_terms.iloc[0]
        fig.suptitle(f"Top terms per topic ({str(run['model']).upper()}, k = {k}, "
                     f"seed {int(run['seed'])})")
    fig.tight_layout()
    return fig


def plot_topic_prevalence(prevalence, labels: dict[int, str], by: str = "article"):
    """Topic shares of each article (or display group) as stacked horizontal bars.

    Parameters
    ----------
    prevalence : DataFrame
        Table ``topic_prevalence`` of one fit, or its shares per display group
        (:func:`analysis.views.grouping.group_prevalence`, the label in article_id).
    labels : dict of int to str
        Topic names for the legend (:func:`analysis.measures.topics.topic_labels`).
    by : str, default "article"
        What a bar is, for the title and axis label (``DisplayGroups.by``).

    Returns
    -------
    matplotlib.figure.Figure
        One bar per article (its fitted sentence count in the tick label), one segment
        per topic; segments of 8% or more carry their percentage.
    """
    import matplotlib.pyplot as plt

    articles = sorted(set(prevalence["article_id"]))
    topics = sorted(set(int(t) for t in prevalence["topic"]))
    colors = _topic_colors(max(topics) + 1 if topics else 0)
    fig, ax = plt.subplots(figsize=(8.0, 1.2 + 0.55 * max(len(articles), 1) + 0.2 * len(topics)))
    table = prevalence.pivot(index="article_id", columns="topic", values="share")
    table = table.reindex(index=articles, columns=topics, fill_value=0.0).fillna(0.0)
    sizes = prevalence.groupby("article_id")["n_documents"].first()
    ticks = [f"{a}\n({int(sizes[a])} sentences)" for a in articles]
    left = [0.0] * len(articles)
    for topic in topics:
        widths = table[topic].tolist()
        bars = ax.barh(ticks, widths, left=left, color=colors[topic], edgecolor="white",
                       label=labels.get(topic, f"T{topic}"))
        ax.bar_label(bars, labels=[f"{w:.0%}" if w >= 0.08 else "" for w in widths],
                     label_type="center", fontsize=8)
        left = [a + w for a, w in zip(left, widths, strict=True)]
    ax.set_xlim(0, 1)
    ax.set_ylim(len(articles) - 0.5, -0.5)
    ax.set_xlabel(f"share of the {by}'s sentence-topic weight")
    ax.set_title(f"Topic prevalence per {by}")
    fig.tight_layout()
    fig.legend(title="topic (top terms)", ncols=2, loc="upper center",
               bbox_to_anchor=(0.5, 0.0))
    return fig
