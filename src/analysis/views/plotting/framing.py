"""Figures of notebook 02 (framing): guarantors and forms, generic frames, voices.

Each takes a tidy table of :mod:`analysis.measures.framing` and returns a Figure.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.data.tables import section_order
from analysis.views.plotting.axes import grouped_barh, integer_ticks
from analysis.views.plotting.style import LABEL_COLORS, OTHER_COLOR, label_colors
from analysis.views.words import label_words

_NEGATED_HATCH = "////"


def plot_guarantee_shares(summary, article_ids: Sequence[str]):
    """Guarantor and form shares of the compared articles, side by side.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.measures.framing.guarantee_summary` by article (columns article_id,
        dimension, label, affirmed, share).
    article_ids : sequence of str
        Articles to compare; one bar each per label, in the order given.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels (guarantor, form): per label, each article's share of its affirmed
        labels of that dimension, in percent, with the sentence count at the bar's end.
    """
    import matplotlib.pyplot as plt

    colors = label_colors(article_ids)
    dims = list(dict.fromkeys(summary["dimension"]))
    fig, axes = plt.subplots(1, len(dims), figsize=(10.0, 4.6), squeeze=False)
    for ax, dim in zip(axes[0], dims, strict=True):
        own = summary.loc[summary["dimension"] == dim]
        labels = list(dict.fromkeys(own["label"]))
        values, counts = {}, {}
        for a in article_ids:
            rows = own.loc[own["article_id"] == a].set_index("label")
            values[a] = [100.0 * float(rows["share"].get(lab, 0.0)) for lab in labels]
            counts[a] = [int(rows["affirmed"].get(lab, 0)) for lab in labels]
        grouped_barh(ax, labels, values, colors)
        for container, a in zip(ax.containers, article_ids, strict=True):
            ax.bar_label(container, labels=[str(c) if c else "" for c in counts[a]],
                         padding=2, fontsize=8)
        ax.set_xlim(0, 112)
        ax.set_title(dim)
        ax.set_xlabel(f"share of the article's affirmed {dim} labels (%)")
    axes[0][0].set_ylabel("label")
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.suptitle("Who guarantees, and in what form: shares of affirmed labels "
                 "(numbers: sentences)")
    fig.tight_layout()
    fig.legend(handles, names, title="article", loc="upper center", ncols=len(article_ids),
               bbox_to_anchor=(0.5, 0.0))
    return fig


def plot_guarantee_polarity(summary, article_ids: Sequence[str]):
    """Affirmed versus negated guarantee labels of the compared articles.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.measures.framing.guarantee_summary` by article (columns article_id,
        dimension, label, affirmed, negated).
    article_ids : sequence of str

    Returns
    -------
    matplotlib.figure.Figure
        Two panels (guarantor, form); per label and article a bar to the right (sentences
        affirming the label) and a hatched bar to the left (sentences ruling it out).
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    colors = label_colors(article_ids)
    dims = list(dict.fromkeys(summary["dimension"]))
    top = max(int(summary["affirmed"].max() if len(summary) else 0),
              int(summary["negated"].max() if len(summary) else 0), 1)
    fig, axes = plt.subplots(1, len(dims), figsize=(10.0, 4.6), squeeze=False, sharex=True)
    for ax, dim in zip(axes[0], dims, strict=True):
        own = summary.loc[summary["dimension"] == dim]
        labels = list(dict.fromkeys(own["label"]))
        affirmed, negated = {}, {}
        for a in article_ids:
            rows = own.loc[own["article_id"] == a].set_index("label")
            affirmed[a] = [int(rows["affirmed"].get(lab, 0)) for lab in labels]
            negated[a] = [-int(rows["negated"].get(lab, 0)) for lab in labels]
        grouped_barh(ax, labels, affirmed, colors)
        grouped_barh(ax, labels, negated, colors, hatch=_NEGATED_HATCH, labels=False)
        for bars in ax.containers[len(article_ids):]:
            for bar in bars:
                bar.set_facecolor("white")
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlim(-top - 0.5, top + 0.5)
        integer_ticks(ax)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{abs(x):g}")
        ax.set_title(dim)
        ax.set_xlabel("sentences (count): negated \u2190 | \u2192 affirmed")
    axes[0][0].set_ylabel("label")
    handles = [Patch(facecolor=colors[a], label=a) for a in article_ids]
    handles.append(Patch(facecolor="white", edgecolor="#333333", hatch=_NEGATED_HATCH,
                         label="negated (ruled out)"))
    fig.suptitle("Affirmed versus negated guarantee labels")
    fig.tight_layout()
    fig.legend(handles=handles, loc="upper center", ncols=len(handles),
               bbox_to_anchor=(0.5, 0.0))
    return fig


def plot_guarantee_by_section(section_summary, article_ids: Sequence[str]):
    """Guarantee labels per section (title, summary, deck, body) of the compared articles.

    Parameters
    ----------
    section_summary : DataFrame
        :func:`analysis.measures.framing.guarantee_summary` with ``by=("article_id", "section")``.
    article_ids : sequence of str

    Returns
    -------
    matplotlib.figure.Figure
        A grid: rows guarantor and form, one column per article; per section a stacked
        bar of sentences per label (fixed label colours), negated labels hatched.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    dims = list(dict.fromkeys(section_summary["dimension"]))
    sections = section_order(section_summary["section"])
    chosen = section_summary.loc[section_summary["article_id"].isin(list(article_ids))]
    stacked = chosen.groupby(["article_id", "section", "dimension"])[["affirmed", "negated"]] \
        .sum().sum(axis=1)
    top = max(int(stacked.max()) if len(stacked) else 0, 1)
    fig, axes = plt.subplots(len(dims), len(article_ids), squeeze=False, sharex=True,
                             figsize=(4.2 * len(article_ids) + 1.6, 2.0 * len(dims) + 1.4))
    for row, dim in enumerate(dims):
        own = chosen.loc[chosen["dimension"] == dim]
        labels = list(dict.fromkeys(section_summary.loc[
            section_summary["dimension"] == dim, "label"]))
        colors = label_colors(labels)
        # Plain dicts: one lookup per bar segment instead of one pandas indexing each.
        keys = list(own[["article_id", "section", "label"]].itertuples(index=False, name=None))
        counts = {kind: dict(zip(keys, own[kind], strict=True))
                  for kind in ("affirmed", "negated")}
        for col, a in enumerate(article_ids):
            ax = axes[row][col]
            rows = own.loc[own["article_id"] == a].set_index(["section", "label"])
            left = [0] * len(sections)
            for label in labels:
                for kind, hatch in (("affirmed", None), ("negated", _NEGATED_HATCH)):
                    widths = [int(counts[kind].get((a, s, label), 0)) for s in sections]
                    if not any(widths):
                        continue
                    ax.barh(sections, widths, left=left, hatch=hatch,
                            color="white" if hatch else colors[label],
                            edgecolor=colors[label] if hatch else "white")
                    left = [x + w for x, w in zip(left, widths, strict=True)]
            sizes = rows["n_sentences"].groupby(level="section").max()
            ax.set_yticks(range(len(sections)),
                          [f"{s} (n={int(sizes.get(s, 0))})" for s in sections])
            ax.set_ylim(len(sections) - 0.5, -0.5)
            ax.set_xlim(0, top + 0.5)
            integer_ticks(ax)
            ax.set_title(f"{a}: {dim}")
            if row == len(dims) - 1:
                ax.set_xlabel("sentences with the label (count)")
            if col == 0:
                ax.set_ylabel("section")
        handles = [Patch(facecolor=colors[lab], label=label_words(lab)) for lab in labels
                   if (own["label"] == lab).any() and
                   (own.loc[own["label"] == lab, ["affirmed", "negated"]].to_numpy().sum() > 0)]
        handles = handles or [Patch(facecolor="white", label="no label")]
        axes[row][-1].legend(handles=handles, title=dim, loc="upper left",
                             bbox_to_anchor=(1.02, 1.0))
    hatch = Patch(facecolor="white", edgecolor="#333333", hatch=_NEGATED_HATCH,
                  label="negated (ruled out)")
    fig.suptitle("Guarantee labels by section (n = sentences in the section)")
    fig.tight_layout()
    fig.legend(handles=[hatch], loc="upper center", bbox_to_anchor=(0.5, 0.0))
    return fig


def plot_frame_shares(shares, article_ids: Sequence[str]):
    """Generic news frames: share of each compared article's sentences with a frame cue.

    Parameters
    ----------
    shares : DataFrame
        :func:`analysis.measures.framing.frame_shares` by article (article_id, frame, share).
    article_ids : sequence of str

    Returns
    -------
    matplotlib.figure.Figure
        One group of bars per frame, one bar per article, in percent of sentences.
    """
    import matplotlib.pyplot as plt

    colors = label_colors(article_ids)
    frames = list(dict.fromkeys(shares["frame"]))
    values = {}
    for a in article_ids:
        own = shares.loc[shares["article_id"] == a].set_index("frame")["share"]
        values[a] = [100.0 * float(own.get(f, 0.0)) for f in frames]
    fig, ax = plt.subplots(figsize=(7.0, 1.2 + 0.55 * max(len(frames), 1)))
    grouped_barh(ax, frames, values, colors)
    ax.set_xlim(0, 100)
    ax.set_title("Generic news frames (Semetko & Valkenburg 2000)")
    ax.set_xlabel("sentences with a cue of the frame (% of the article's sentences)")
    ax.set_ylabel("frame")
    ax.legend(title="article", loc="lower right")
    return fig


def plot_voices(voices, article_ids: Sequence[str]):
    """Who is quoted in each compared article, and how often on security guarantees.

    Parameters
    ----------
    voices : DataFrame
        :func:`analysis.measures.framing.voice_summary` by article with ``mentions`` (columns
        article_id, speaker, actor, n_quotes, n_guarantee_quotes).
    article_ids : sequence of str

    Returns
    -------
    matplotlib.figure.Figure
        One panel per article: per speaker (most quoted first) a light bar of sentences
        quoting them and a solid bar of those that carry a guarantee label; colour = the
        speaker's side.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    chosen = voices.loc[voices["article_id"].isin(list(article_ids))]
    n_rows = max([int((chosen["article_id"] == a).sum()) for a in article_ids] + [1])
    top = max(int(chosen["n_quotes"].max()) if len(chosen) else 0, 1)
    fig, axes = plt.subplots(1, len(article_ids), squeeze=False,
                             figsize=(4.6 * len(article_ids) + 0.8, 1.6 + 0.4 * n_rows))
    for ax, a in zip(axes[0], article_ids, strict=True):
        own = chosen.loc[chosen["article_id"] == a].sort_values(
            ["n_quotes", "speaker"], ascending=[False, True], kind="mergesort")
        speakers = list(own["speaker"])
        colors = [LABEL_COLORS.get(actor, OTHER_COLOR) for actor in own["actor"]]
        ax.barh(speakers, list(own["n_quotes"]), color=colors, alpha=0.35)
        ax.barh(speakers, list(own["n_guarantee_quotes"]), color=colors, height=0.45)
        ax.set_ylim(n_rows - 0.5, -0.5)
        ax.set_xlim(0, top + 0.5)
        integer_ticks(ax)
        ax.set_title(a)
        ax.set_xlabel("sentences quoting the speaker (count)")
        if not speakers:
            ax.set_yticks([])
            ax.text(0.5, 0.5, "no direct quotes", transform=ax.transAxes, ha="center")
    axes[0][0].set_ylabel("speaker")
    actors = sorted({actor for actor in chosen["actor"]})
    handles = [Patch(facecolor=LABEL_COLORS.get(x, OTHER_COLOR),
                     label=label_words(x) if x else "no side") for x in actors]
    handles += [Patch(facecolor="#777777", alpha=0.35, label="all quotes"),
                Patch(facecolor="#777777", label="quotes in guarantee sentences")]
    fig.suptitle("Who is quoted")
    fig.tight_layout()
    fig.legend(handles=handles, title="speaker's side", loc="upper center",
               ncols=min(len(handles), 4), bbox_to_anchor=(0.5, 0.0))
    return fig
