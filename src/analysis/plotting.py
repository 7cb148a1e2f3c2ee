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
from importlib import resources
from pathlib import Path

from analysis.tables import write_bytes_atomic

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

# Metadata matplotlib would otherwise stamp into the files (version, creation date).
_UNSTAMPED = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
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


def figure_bytes(fig, fmt: str) -> bytes:
    """Render ``fig`` in format ``fmt`` without time or version stamps: same figure, same bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=_UNSTAMPED.get(fmt))
    return buffer.getvalue()


def savefig(fig, path: str | os.PathLike, formats: Sequence[str] = FIGURE_FORMATS) -> list[Path]:
    """Write ``fig`` once per format, byte-stable and atomically.

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
    return [
        write_bytes_atomic(path.with_suffix(f".{fmt}"), figure_bytes(fig, fmt)) for fmt in formats
    ]


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
