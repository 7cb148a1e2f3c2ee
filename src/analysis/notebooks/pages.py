"""Render executed notebooks as standalone HTML pages, with an index.

Figures are embedded, so each page stands alone; output text is escaped, and markup that
could act in a reader's browser is shown as text (:func:`defuse_outputs`). Same notebook,
same bytes.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.data.tables import write_bytes_atomic
from analysis.notebooks.execute import progress
from analysis.notebooks.files import output_text, read_notebook

_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*$", re.MULTILINE)
# Output markup that would run in a reader's browser: scripts, embedded frames, event
# handler attributes, javascript: links. Escaped pandas tables never contain these.
_ACTIVE_HTML = re.compile(
    r"<\s*(?:script|iframe|object|embed|form)\b|<[^>]*\son\w+\s*=|javascript:", re.IGNORECASE
)
_RAW_TAG = re.compile(r"<\s*[A-Za-z!/]")


def notebook_title(nb, default: str) -> str:
    """Text of the first Markdown heading of the notebook, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _HEADING.search(cell.source)
            if match:
                return match.group("title")
    return default


@dataclass(frozen=True)
class HtmlPage:
    """One rendered notebook page, not yet written."""

    name: str
    title: str
    body: bytes


# One exporter for the process: building it loads and compiles the templates. Threads
# take turns with it, as nbconvert does not promise that an exporter is thread-safe.
_EXPORTER_LOCK = threading.Lock()


@functools.cache
def _html_exporter():
    from nbconvert import HTMLExporter

    # nbconvert warns once per page that figures lack alt text, which notebook outputs
    # cannot carry; its own logger is kept to errors so the run's progress stays readable.
    log = logging.getLogger("analysis.notebooks.execute.nbconvert")
    log.setLevel(logging.ERROR)
    return HTMLExporter(template_name="lab", embed_images=True, log=log)


def render_page(executed: str | os.PathLike, folder: str | os.PathLike | None = None) -> HtmlPage:
    """Render one executed notebook as a standalone HTML page (returned, not written).

    Figures are embedded (outputs as data URIs, Markdown images too), so each page
    stands alone. Output text is escaped by the templates; HTML outputs come from
    pandas (escaped) or :func:`analysis.views.plotting.show_table`, and markup that could act
    in a browser is shown as text (:func:`defuse_outputs`). Same notebook, same bytes.

    Parameters
    ----------
    executed : path-like
        An executed notebook.
    folder : path-like, optional
        The folder relative Markdown image paths are resolved against; default the
        notebook's own (pass the final folder when rendering a staged copy).
    """
    path = Path(executed)
    nb = read_notebook(path)
    for cell_index in defuse_outputs(nb):
        progress(f"{path}: cell {cell_index} displays raw HTML or Markdown markup; "
                  "rendered as text (use analysis.views.plotting.show_table or print)")
    title = notebook_title(nb, path.stem)
    folder = Path(folder) if folder is not None else path.parent
    resources = {"metadata": {"name": title, "path": str(folder.absolute())}}
    with _EXPORTER_LOCK:
        body, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    return HtmlPage(name=path.stem, title=title, body=body.encode("utf-8"))


def write_html(pages: Sequence[HtmlPage], html_dir: str | os.PathLike,
               listed: Sequence[tuple[str, str]] = ()) -> Path:
    """Write ``<html_dir>/<name>.html`` for each page and an index linking them in order.

    ``listed``: (name, title) of pages written before (a run of some notebooks only),
    linked too; the index lists every page by name.

    Returns
    -------
    Path
        ``<html_dir>/index.html``, linking every page with its notebook's title.
    """
    html_dir = Path(html_dir)
    for page in pages:
        write_bytes_atomic(html_dir / f"{page.name}.html", page.body)
    index = _index_html(sorted({*listed, *((page.name, page.title) for page in pages)}))
    return write_bytes_atomic(html_dir / "index.html", index.encode("utf-8"))


def defuse_outputs(nb) -> list[int]:
    """Turn outputs whose markup could act in a browser into plain text, in place.

    A Markdown output with any HTML tag, or an HTML output with scripts, frames, event
    handlers or ``javascript:`` links, is most likely article text displayed without
    escaping; it is replaced by its source as ``text/plain``, which the HTML templates
    escape. Escaped tables (pandas, :func:`analysis.views.plotting.show_table`) pass unchanged.

    Returns
    -------
    list of int
        Indices of the cells that had such outputs.
    """
    cells = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime, unsafe in (("text/markdown", _RAW_TAG), ("text/html", _ACTIVE_HTML)):
                if mime in data and unsafe.search(output_text(data[mime])):
                    data["text/plain"] = output_text(data.pop(mime))
                    cells.append(index)
    return sorted(set(cells))


def _index_html(entries: Sequence[tuple[str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(name)}.html">{html.escape(title)}</a>'
        f" <code>{html.escape(name)}</code></li>"
        for name, title in entries
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Analysis notebooks</title>\n</head>\n<body>\n<h1>Analysis notebooks</h1>\n"
        f"<ol>\n{items}\n</ol>\n</body>\n</html>\n"
    )
