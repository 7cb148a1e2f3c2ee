"""What a notebook cell ends with: a saved figure's PNG, or an escaped table.

The kernel runs with ``MPLBACKEND=Agg`` (pinned by :mod:`analysis.notebooks`), so
matplotlib never displays a figure on its own: a bare ``fig`` shows only its text repr
and ``plt.show()`` warns on stderr. Only what :func:`show_figure` returns is an image,
so the notebook, the rendered HTML and ``reports/figures`` all carry the same image.

Tables go through :func:`show_table`, which escapes every cell: article text may
contain ``<``, ``&`` or markup and must reach the HTML report as text, never as HTML.
Never pass article text to ``IPython.display.Markdown`` or ``HTML``; ``print`` it or
put it in a table.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from analysis.views.plotting.save import FIGURE_FORMATS, figure_bytes, savefig


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
