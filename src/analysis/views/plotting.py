"""One figure style, byte-stable figure files, and safe display helpers for the notebooks.

Notebooks call :func:`use_style` once, draw with matplotlib, and end a figure cell with
``show_figure(fig, figures_dir / "name")``: the figure is written as PNG and SVG with
no timestamps or version stamps, and the PNG is returned for display, so the
notebook, the rendered HTML and ``reports/figures`` all carry the same image.

The kernel runs with ``MPLBACKEND=Agg`` (pinned by :mod:`analysis.notebooks`), so
matplotlib never displays a figure on its own: a bare ``fig`` shows only its text repr
and ``plt.show()`` warns on stderr. Only what :func:`show_figure` returns is an image.

Tables go through :func:`show_table`, which escapes every cell: article text may
contain ``<``, ``&`` or markup and must reach the HTML report as text, never as HTML.
Never pass article text to ``IPython.display.Markdown`` or ``HTML``; ``print`` it or
put it in a table.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from analysis.data.tables import FRONT_SECTIONS, section_order, write_bytes_atomic

STYLE_FILE = "analysis.mplstyle"
FIGURE_FORMATS = ("png", "svg")

# Okabe & Ito (2008), the colour-blind safe cycle of analysis.mplstyle.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
)
OTHER_COLOR = "#999999"

# Fixed colours for the data contract's label vocabularies, so that a label looks the
# same in every figure whatever else is plotted beside it.
LABEL_COLORS = {
    # guarantor
    "united_states": "#0072B2",
    "europe": "#E69F00",
    "nato": "#009E73",
    "ukraine": "#56B4E9",
    "russia": "#D55E00",
    # form
    "collective_defense": "#0072B2",
    "troop_deployment": "#D55E00",
    "monitoring": "#56B4E9",
    "military_aid": "#E69F00",
    "economic_stake": "#009E73",
    "alliance_membership": "#CC79A7",
    "other": OTHER_COLOR,
}

# Options of savefig per format. Metadata: none of the stamps matplotlib would otherwise
# write (version, creation date). PNG: zlib level 3 gives files as small as the default
# level 6 on these flat-colour figures and encodes about a third faster.
_SAVE_OPTIONS = {
    "png": {"metadata": {"Software": None}, "pil_kwargs": {"compress_level": 3}},
    "svg": {"metadata": {"Date": None, "Creator": None}},
    "pdf": {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}},
}


def style_path() -> Path:
    """Path of the packaged ``analysis.mplstyle``.

    Raises
    ------
    FileNotFoundError
        If the package was installed without its style file.
    """
    path = Path(os.fspath(resources.files("analysis").joinpath(STYLE_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"{path}: style file missing from the analysis package")
    return path


def use_style() -> None:
    """Apply the project's matplotlib style (fonts, grid, colour cycle, dpi, SVG salt)."""
    import matplotlib.pyplot as plt

    plt.style.use(str(style_path()))


def label_colors(labels: Iterable[str]) -> dict[str, str]:
    """Stable colour for each label.

    Labels of the data contract's vocabularies (guarantors, forms) keep their fixed
    colour from :data:`LABEL_COLORS`; any other label (an article id, a frame) gets the
    palette colours in sorted label order, so the mapping does not depend on the order
    in which labels are met.

    Parameters
    ----------
    labels : iterable of str
        Labels to colour; duplicates are fine.

    Returns
    -------
    dict of str to str
        Label to hex colour, keys sorted.
    """
    unique = sorted(set(labels))
    others = [label for label in unique if label not in LABEL_COLORS]
    colors = {label: LABEL_COLORS[label] for label in unique if label in LABEL_COLORS}
    colors.update({label: PALETTE[i % len(PALETTE)] for i, label in enumerate(others)})
    return dict(sorted(colors.items()))


def tight_bbox(fig):
    """The box ``savefig(bbox_inches="tight")`` would save, in inches.

    Measured with an Agg renderer at the figure's dpi and padded by
    ``savefig.pad_inches``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure whose layout is final.

    Returns
    -------
    matplotlib.transforms.Bbox
        The area to save, in inches.
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    # An Agg canvas (the notebooks' backend) keeps the renderer that laid the figure
    # out, with its text sizes cached; any other canvas is left alone.
    if isinstance(fig.canvas, FigureCanvasAgg):
        renderer = fig.canvas.get_renderer()
    else:
        renderer = RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)
    return fig.get_tightbbox(renderer).padded(mpl.rcParams["savefig.pad_inches"])


@contextmanager
def _laid_out(fig):
    """Lay ``fig`` out once and yield its :func:`tight_bbox`; no layout while saving.

    Matplotlib lays a figure out again (a full draw without output) on every save
    while it has a layout engine, even the inert one ``tight_layout`` leaves behind,
    and once more to measure ``bbox_inches="tight"``. Here the engine runs once, is
    switched off for the saves and put back afterwards, and the box is measured once.
    """
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    # None means "no engine" as long as the style leaves figure.autolayout and
    # figure.constrained_layout.use off, as analysis.mplstyle does.
    fig.set_layout_engine(None)
    try:
        yield tight_bbox(fig)
    finally:
        fig.set_layout_engine(engine)


def _render(fig, fmt: str, bbox_inches) -> bytes:
    # SVG is text: written to a StringIO it is encoded once, not element by element.
    text = fmt == "svg"
    buffer = io.StringIO() if text else io.BytesIO()
    fig.savefig(buffer, format=fmt, bbox_inches=bbox_inches, **_SAVE_OPTIONS.get(fmt, {}))
    data = buffer.getvalue()
    return data.encode("utf-8") if text else data


def figure_bytes(fig, fmt: str) -> bytes:
    """Render ``fig`` in format ``fmt`` without time or version stamps: same figure, same bytes.

    The figure is cropped to its tight box (:func:`tight_bbox`) as ``savefig.bbox:
    tight`` would crop it.
    """
    with _laid_out(fig) as box:
        return _render(fig, fmt, box)


def savefig(fig, path: str | os.PathLike, formats: Sequence[str] = FIGURE_FORMATS) -> list[Path]:
    """Write ``fig`` once per format, byte-stable and atomically.

    The figure is laid out and its tight box measured once for all formats, so each
    format costs one draw of the figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    path : path-like
        Target without format suffix, e.g. ``figures_dir / "sentiment_by_article"``; a
        suffix, if given, is replaced by each format's.
    formats : sequence of str
        Matplotlib format names, default PNG and SVG.

    Returns
    -------
    list of Path
        The written files, one per format, in ``formats`` order.
    """
    path = Path(path)
    with _laid_out(fig) as box:
        return [write_bytes_atomic(path.with_suffix(f".{fmt}"), _render(fig, fmt, box))
                for fmt in formats]


def show_figure(fig, path: str | os.PathLike, formats: Sequence[str] = FIGURE_FORMATS):
    """Save ``fig`` with :func:`savefig`, close it, and return its PNG for display.

    End a notebook cell with this call: the returned image becomes the cell's output,
    embedded in the notebook and in its HTML rendering.

    Returns
    -------
    IPython.display.Image
        The PNG of the figure, exactly the bytes of the ``.png`` written.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image

    written = savefig(fig, path, formats)
    png = next((p for p in written if p.suffix == ".png"), None)
    data = png.read_bytes() if png is not None else figure_bytes(fig, "png")
    plt.close(fig)
    return Image(data=data, format="png")


def show_table(df, max_rows: int | None = None, index: bool = False, float_format=None):
    """Display a DataFrame as an HTML table with every cell escaped.

    Parameters
    ----------
    df : DataFrame
        The table; its text may contain markup, which is shown literally.
    max_rows : int, optional
        Show at most this many rows (pandas marks the cut with ``...``).
    index : bool
        Whether to show the index.
    float_format : callable, optional
        Formatter for floats, e.g. ``"{:.3f}".format``.

    Returns
    -------
    IPython.display.HTML
        The table; its plain-text form is fixed, so notebook outputs stay stable.
    """
    from IPython.display import HTML

    html = df.to_html(
        escape=True, index=index, max_rows=max_rows, float_format=float_format, border=0,
        na_rep="",
    )
    return HTML(html)


# --------------------------------------------------------------------------- corpus and framing
# Figures of notebooks 01 (corpus) and 02 (framing). Each takes the tidy tables of
# analysis.views.report / analysis.measures.framing / analysis.measures.compare and
# returns a Figure.

_NEGATED_HATCH = "////"


def _integer_ticks(ax) -> None:
    """Whole-number ticks on the x axis, for counts."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _score_ticks(axis) -> None:
    """Ticks every 0.5 on a -1 to 1 score axis.

    Five labelled ticks read as well as the nine of matplotlib's default, and every tick
    is several artists that each layout and each save has to handle.
    """
    from matplotlib.ticker import MultipleLocator

    axis.set_major_locator(MultipleLocator(0.5))


def _grouped_barh(ax, categories: Sequence[str], values: dict[str, Sequence[float]],
                  colors: dict[str, str], hatch: str | None = None, labels: bool = True):
    """Horizontal bars, one group per category (first at the top), one bar per series."""
    import numpy as np

    n = max(len(values), 1)
    height = 0.8 / n
    y = np.arange(len(categories))
    for i, (series, vals) in enumerate(values.items()):
        ax.barh(y - 0.4 + height * (i + 0.5), vals, height=height, color=colors[series],
                hatch=hatch, edgecolor="white" if hatch is None else colors[series],
                label=series if labels else None)
    ax.set_yticks(y, list(categories))
    ax.set_ylim(len(categories) - 0.5, -0.5)


def plot_sections_per_article(counts):
    """Stacked horizontal bars: sentences of each section, one bar per article.

    Parameters
    ----------
    counts : DataFrame
        Columns article_id, section, n_sentences (e.g.
        :func:`analysis.views.report.section_counts`).

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
    ax.set_title("Sentences per section, by article")
    ax.set_xlabel("sentences (count)")
    _integer_ticks(ax)
    ax.set_ylabel("article")
    fig.tight_layout()
    fig.legend(title="section", ncols=len(sections), loc="upper center",
               bbox_to_anchor=(0.5, 0.0))
    return fig


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
        _grouped_barh(ax, labels, values, colors)
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
        _grouped_barh(ax, labels, affirmed, colors)
        _grouped_barh(ax, labels, negated, colors, hatch=_NEGATED_HATCH, labels=False)
        for bars in ax.containers[len(article_ids):]:
            for bar in bars:
                bar.set_facecolor("white")
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlim(-top - 0.5, top + 0.5)
        _integer_ticks(ax)
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
            _integer_ticks(ax)
            ax.set_title(f"{a}: {dim}")
            if row == len(dims) - 1:
                ax.set_xlabel("sentences with the label (count)")
            if col == 0:
                ax.set_ylabel("section")
        handles = [Patch(facecolor=colors[lab], label=lab) for lab in labels
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
    _grouped_barh(ax, frames, values, colors)
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
        _integer_ticks(ax)
        ax.set_title(a)
        ax.set_xlabel("sentences quoting the speaker (count)")
        if not speakers:
            ax.set_yticks([])
            ax.text(0.5, 0.5, "no direct quotes", transform=ax.transAxes, ha="center")
    axes[0][0].set_ylabel("speaker")
    actors = sorted({actor for actor in chosen["actor"]})
    handles = [Patch(facecolor=LABEL_COLORS.get(x, OTHER_COLOR), label=x or "no side")
               for x in actors]
    handles += [Patch(facecolor="#777777", alpha=0.35, label="all quotes"),
                Patch(facecolor="#777777", label="quotes in guarantee sentences")]
    fig.suptitle("Who is quoted")
    fig.tight_layout()
    fig.legend(handles=handles, title="speaker's side", loc="upper center",
               ncols=min(len(handles), 4), bbox_to_anchor=(0.5, 0.0))
    return fig


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


# --------------------------------------------------------------------------- sentiment and topics
# Figures of notebooks 03 (sentiment) and 04 (topics). Each takes the tidy tables of
# analysis.measures.sentiment / analysis.measures.topics and returns a Figure.

_SENTIMENT_AXIS = {
    "vader_compound": "VADER compound (-1 to 1)",
    "textblob_polarity": "TextBlob polarity (-1 to 1)",
}
_SWEEP_PANELS = (
    ("coherence_npmi", "NPMI coherence (-1 to 1)"),
    ("coherence_umass", "UMass coherence (log ratio)"),
    ("stability_jaccard", "stability (mean Jaccard, 0 to 1)"),
    ("score", "score = stability x (1 + NPMI) / 2"),
)


def _highlight_colors(articles: Iterable[str], highlight: Sequence[str] | None) -> dict[str, str]:
    """Colours of the compared articles as in every other figure; the rest of the corpus grey."""
    articles = sorted(set(articles))
    if highlight is None:
        return label_colors(articles)
    colors = label_colors(highlight)
    return {a: colors.get(a, OTHER_COLOR) for a in articles}


def _topic_colors(k: int) -> dict[int, str]:
    """Colour of topic 0..k-1: palette order by topic number, the same in every figure."""
    names = {t: f"topic {t:04d}" for t in range(k)}
    colors = label_colors(names.values())
    return {t: colors[name] for t, name in names.items()}


def plot_sentence_sentiment(sentiment, sentences, article_ids: Sequence[str],
                            measures: Sequence[str] = ("vader_compound", "textblob_polarity")):
    """Sentence scores in reading order: one panel per measure, one line per article.

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
        A line per article and panel; square markers are headline, summary or deck
        sentences, round markers body sentences.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    frame = sentiment.merge(sentences.loc[:, ["article_id", "sentence_id", "section"]],
                            on=["article_id", "sentence_id"], how="left")
    colors = label_colors(article_ids)
    fig, axes = plt.subplots(len(measures), 1, figsize=(7.5, 1.2 + 2.3 * len(measures)),
                             sharex=True, squeeze=False)
    for ax, measure in zip(axes[:, 0], measures, strict=True):
        for article in article_ids:
            own = frame[frame["article_id"] == article].sort_values("sentence_id")
            front = own["section"].isin(FRONT_SECTIONS)
            ax.plot(own["sentence_id"], own[measure], color=colors[article], linewidth=1.2,
                    label=article)
            ax.scatter(own.loc[~front, "sentence_id"], own.loc[~front, measure], s=16,
                       color=colors[article], zorder=3)
            ax.scatter(own.loc[front, "sentence_id"], own.loc[front, measure], s=22,
                       marker="s", facecolors="white", edgecolors=colors[article], zorder=3)
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
                           measures: Sequence[str] | None = None):
    """Mean sentence score per article with its bootstrap interval, one panel per measure.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.measures.sentiment.article_sentiment` (article_id, measure, n, mean,
        ci_low, ci_high).
    article_ids : sequence of str, optional
        The compared articles: drawn in their colours, every other article grey.
        Default: every article in its own colour.
    measures : sequence of str, optional
        Panels to draw; default every measure of ``summary`` in sorted order.

    Returns
    -------
    matplotlib.figure.Figure
        A point and error bar per article; the article's sentence count beside it.
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
            ax.annotate(f"n = {int(row['n'])}", (row["ci_high"], y), xytext=(5, 0),
                        textcoords="offset points", va="center", fontsize=8)
        ax.axvline(0, color="#555555", linewidth=0.7)
        ax.set_xlim(-1, 1)
        _score_ticks(ax.xaxis)
        ax.set_xlabel(f"mean {_SENTIMENT_AXIS.get(measure, measure)}")
        ax.set_yticks(range(len(articles)), articles)
        ax.set_ylim(len(articles) - 0.5, -0.5)
    axes[0, 0].set_ylabel("article")
    fig.suptitle("Mean sentence sentiment per article, with 95% bootstrap intervals")
    fig.tight_layout()
    return fig


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
        One point per sentence; the dashed diagonal is perfect agreement.
    """
    import matplotlib.pyplot as plt

    articles = sorted(set(sentiment["article_id"]))
    colors = _highlight_colors(articles, article_ids)
    fig, ax = plt.subplots(figsize=(5.6, 5.0))
    if article_ids is not None:
        rest = sentiment[~sentiment["article_id"].isin(list(article_ids))]
        if len(rest):
            ax.scatter(rest[x], rest[y], s=16, color=OTHER_COLOR, alpha=0.6, linewidths=0,
                       label=f"other articles (n = {len(rest)})")
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


def plot_aspect_sentiment(aspects, article_ids: Sequence[str], measure: str = "vader_compound"):
    """Mean sentence score per guarantor, form and voice, one bar per article.

    Parameters
    ----------
    aspects : DataFrame
        :func:`analysis.measures.sentiment.aspect_sentiment` per article (article_id,
        aspect_type, aspect, n, n_negated, mean_<measure>).
    article_ids : sequence of str
        Articles to draw, in legend order.
    measure : str
        The score whose mean is drawn.

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal bars grouped by aspect (guarantors, then forms, then voices), each
        labelled with its number of sentences n.
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
    colors = label_colors(article_ids)
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.45 * max(len(categories), 1)
                                    * max(len(article_ids), 1) / 2 + 0.6))
    _grouped_barh(ax, categories, values, colors)
    for container, article in zip(ax.containers, article_ids, strict=True):
        ax.bar_label(container, labels=[f"n = {n}" if n else "" for n in counts[article]],
                     padding=3, fontsize=7)
    ax.axvline(0, color="#555555", linewidth=0.7)
    ax.set_xlim(-1.15, 1.15)
    ax.set_xlabel(f"mean {_SENTIMENT_AXIS.get(measure, measure)} of the sentences")
    ax.set_title("Sentence sentiment by guarantor, form and voice")
    if not categories:
        ax.text(0.5, 0.5, "no aspect sentences", transform=ax.transAxes, ha="center")
    fig.tight_layout()
    fig.legend(title="article", ncols=max(len(article_ids), 1), loc="upper center",
               bbox_to_anchor=(0.5, 0.0))
    return fig


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
        ax.barh(own["term"], own["weight"], color=colors[topic])
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


def plot_topic_prevalence(prevalence, labels: dict[int, str]):
    """Topic shares of each article as stacked horizontal bars.

    Parameters
    ----------
    prevalence : DataFrame
        Table ``topic_prevalence`` of one fit.
    labels : dict of int to str
        Topic names for the legend (:func:`analysis.measures.topics.topic_labels`).

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
    ax.set_xlabel("share of the article's sentence-topic weight")
    ax.set_title("Topic prevalence per article")
    fig.tight_layout()
    fig.legend(title="topic (top terms)", ncols=2, loc="upper center",
               bbox_to_anchor=(0.5, 0.0))
    return fig


# --------------------------------------------------------------------------- synthesis, trends
# Figures of notebooks 05 (synthesis) and 06 (coverage over time); tables from
# analysis.views.synthesis and analysis.views.trends.

_SYNTHESIS_MEASURE_NAMES = {
    "vader_compound": "VADER compound", "textblob_polarity": "TextBlob polarity",
}


def _synthesis_empty_panel(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])


def _synthesis_label_bars(ax, counts, dimension: str, article_ids: Sequence[str],
                          colors: dict) -> None:
    """Affirmed (up) and ruled-out (down, hatched) sentence counts per label and article."""
    import numpy as np

    rows = counts[counts["dimension"] == dimension]
    labels = list(dict.fromkeys(rows["label"]))
    ax.set_title(f"{dimension.capitalize()}s: affirmed and ruled out")
    ax.set_ylabel("sentences (ruled out below 0)")
    if not labels:
        _synthesis_empty_panel(ax, f"no {dimension} mentioned")
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
    ax.set_xticks(x, [label.replace("_", " ") for label in labels], rotation=30, ha="right")
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
        bar(position, values, 0.6, base, color=colors[label], label=label.replace("_", " "))
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
                       color=colors[label], label=label.replace("_", " "))
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
            _synthesis_empty_panel(right, f"no {dimension} affirmed in any period")
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
            _synthesis_empty_panel(ax, f"no {dimension} affirmed")
    fig.suptitle(f"Security-guarantee framing by {group} (art. = articles, ment. = affirmed "
                 "mentions)")
    fig.tight_layout()
    return fig
