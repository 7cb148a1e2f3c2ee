"""What a notebook cell ends with: a saved figure's PNG, or an escaped table.

The kernel runs with ``MPLBACKEND=Agg`` (pinned by :mod:`analysis.notebooks`), so
matplotlib never displays a figure on its own: a bare ``fig`` shows only its text repr
and ``plt.show()`` warns on stderr. Only what :func:`show_figure` returns is an image,
so the notebook, the rendered HTML and ``reports/figures`` all carry the same image.

Tables go through :func:`show_table`, which escapes every cell: article text may
contain ``<``, ``&`` or markup and must reach the HTML report as text, never as HTML.
Nor as mathematics: JupyterLab and the classic notebook typeset HTML outputs with
MathJax, which would read "$82,000 ... $320" as a formula, so the table sits in an
element of the classes MathJax skips (:data:`MATHJAX_IGNORE`).
A table that grows with the corpus shows its first rows and links the whole table,
written as a CSV file beside the pages (``reports/tables/``).
Never pass article text to ``IPython.display.Markdown`` or ``HTML``; ``print`` it or
put it in a table.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from analysis.data.tables import write_bytes_atomic
from analysis.errors import InputError
from analysis.views.plotting.save import FIGURE_FORMATS, figure_bytes, savefig

# Where a page finds the whole tables: run writes pages to <reports>/html/ and the
# tables to <reports>/tables/.
TABLES_FROM_PAGES = "../tables"

# Classes whose elements MathJax leaves alone: "mathjax_ignore" for MathJax 3 (JupyterLab
# 4), "tex2jax_ignore" for MathJax 2 (classic notebook, older nbconvert pages). Escaping
# "$" as "&#36;" would not do: MathJax reads the page's text after entities are decoded.
MATHJAX_IGNORE = "tex2jax_ignore mathjax_ignore"


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


def show_table(df, max_rows: int | None = None, index: bool = False, float_format=None,
               full: str | os.PathLike | None = None):
    """Display a DataFrame as an HTML table with every cell escaped.

    The table (and its note) is wrapped in a ``<div>`` of the classes
    :data:`MATHJAX_IGNORE`, so that dollar signs in its text are never typeset.

    Parameters
    ----------
    df : DataFrame
        The table; its text may contain markup or dollar signs, shown literally.
    max_rows : int, optional
        Show at most this many rows: the first ones where ``full`` is given, else the
        first and last halves (pandas marks the cut with ``...``).
    index : bool
        Whether to show the index.
    float_format : callable, optional
        Formatter for floats, e.g. ``"{:.3f}".format``.
    full : path-like, optional
        Where to write the whole table (CSV, UTF-8, ``\n``) when it has more than
        ``max_rows`` rows; the display then says how many rows it shows and links the
        file (``../tables/<name>`` from the rendered page). Nothing is written for a
        table that is shown whole.

    Raises
    ------
    analysis.errors.InputError
        ``max_rows`` that is not a whole number of at least 1 (a notebook parameter).

    Returns
    -------
    IPython.display.HTML
        The table; its plain-text form is fixed, so notebook outputs stay stable.
    """
    import html as html_text

    from IPython.display import HTML

    if max_rows is not None and (isinstance(max_rows, bool) or not isinstance(max_rows, int)
                                 or max_rows < 1):
        raise InputError([f"max_rows must be a whole number of at least 1, got {max_rows!r}"])
    cut = full is not None and max_rows is not None and len(df) > max_rows
    shown = df.head(max_rows) if cut else df
    table = shown.to_html(
        escape=True, index=index, max_rows=None if cut else max_rows,
        float_format=float_format, border=0, na_rep="",
    )
    if not cut:
        return HTML(_mathjax_ignored(table))
    path = write_bytes_atomic(full, df.to_csv(index=index, lineterminator="\n")
                              .encode("utf-8"))
    name = html_text.escape(path.name)
    note = (f"<p>The first {max_rows} of {len(df)} rows. The whole table: "
            f'<a href="{TABLES_FROM_PAGES}/{name}">{name}</a> '
            f"(<code>{html_text.escape(os.fspath(full))}</code>).</p>")
    return HTML(_mathjax_ignored(table + note))


def _mathjax_ignored(html: str) -> str:
    return f'<div class="{MATHJAX_IGNORE}">\n{html}\n</div>'
