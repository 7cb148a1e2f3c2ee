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
put it in a table. A notebook's findings go through :func:`show_findings`: a list in
the page (its rendered page and the landing page open with it) and in plain text.
Both show the vocabularies' labels and the column names in words
(:mod:`analysis.views.words`); the tables on disk keep the contract's labels.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from analysis.data.tables import write_bytes_atomic
from analysis.errors import InputError
from analysis.views.plotting.save import FIGURE_FORMATS, figure_bytes, savefig
from analysis.views.words import LABEL_WORDS, column_words, label_words, labels_in_words

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

    Column names are shown in words (``n_sentences`` as "n sentences"), and so is every
    cell that is a vocabulary label (``europe`` as "Europe") and every label joined by
    "_" in any cell (``collective_defense`` as "collective defence"); the CSV written
    to ``full`` keeps the table as it is. The table (and its note) is wrapped in a
    ``<div>`` of the classes :data:`MATHJAX_IGNORE`, so that dollar signs in its text
    are never typeset.

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
    shown = _in_words(df.head(max_rows) if cut else df)
    table = shown.to_html(
        escape=True, index=index, max_rows=None if cut else max_rows,
        float_format=float_format, border=0, na_rep="", justify="left",
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


class Findings:
    """A notebook's findings as a cell shows them: a list in HTML, dashed lines as text.

    Made by :func:`show_findings`. The HTML items are escaped, with labels in words;
    the plain text is the lines as given.
    """

    def __init__(self, lines: Sequence[str]):
        self.lines = [str(line) for line in lines]

    def _repr_html_(self) -> str:
        import html as html_text

        items = "\n".join(f"<li>{html_text.escape(labels_in_words(line))}</li>"
                          for line in self.lines)
        return _mathjax_ignored(f'<ul class="{FINDINGS_CLASS}">\n{items}\n</ul>')

    def __repr__(self) -> str:
        return "\n".join(f"- {line}" for line in self.lines)


# The class of a findings list in a page: the page and the landing page find it by it.
FINDINGS_CLASS = "analysis-findings"


def show_findings(lines: Sequence[str]) -> Findings:
    """Return a notebook's findings for display: end the findings cell with this call.

    Parameters
    ----------
    lines : sequence of str
        One finding a line, computed (never typed); article text in them is escaped.

    Returns
    -------
    Findings
        Shown as a bulleted list (labels in words) in JupyterLab and the rendered page,
        and as ``- line`` lines in plain text.
    """
    return Findings(lines)


def _in_words(df):
    """``df`` as a page shows it: column names, and cells holding a label, in words."""
    import pandas as pd

    shown = df.rename(columns=column_words)
    shown.index.names = [None if name is None else column_words(name)
                         for name in shown.index.names]
    for position in range(shown.shape[1]):
        values = shown.iloc[:, position]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            shown.isetitem(position, values.map(_cell_in_words))
    return shown


def _cell_in_words(value):
    # A cell may quote an article: only a whole-cell label, or a label joined by "_"
    # (never a word of running text), is put in words.
    if not isinstance(value, str):
        return value
    return label_words(value) if value in LABEL_WORDS else labels_in_words(value, False)


def _mathjax_ignored(html: str) -> str:
    return f'<div class="{MATHJAX_IGNORE}">\n{html}\n</div>'
