"""Render executed notebooks as standalone HTML pages, with an index.

Figures are embedded, so each page stands alone; output text is escaped, and markup that
could act in a reader's browser is shown as text (:func:`defuse_outputs`). Pages load no
script or style from elsewhere and run none: no MathJax (which would typeset "$82,000
... $320" in article text as a formula), no require.js, no Mermaid. Same notebook, same
bytes.
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
from html.parser import HTMLParser
from pathlib import Path

from analysis.data.tables import write_bytes_atomic
from analysis.notebooks.execute import progress
from analysis.notebooks.files import output_text, read_notebook

_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*$", re.MULTILINE)
# HTML output markup that could act in a reader's browser, seen in its tags only: text
# between tags is never searched, as an escaped table (pandas, show_table) holds article
# text there, where "javascript:" or "onclick=" are harmless words. Escaped text has no
# "<", so these patterns, which start at one, cannot match it either; they catch what a
# browser may read as a tag where Python's parser (_ActiveMarkup) does not.
_ACTIVE_TAG = re.compile(
    r"<\s*/?\s*(?:script|iframe|frame|object|embed|applet|form|base|meta|link|svg|math)\b"
    r"|<[^>]*[\s/\"']on\w+\s*="
    r"|<[^>]*(?:java|vb)script\s*:",
    re.IGNORECASE,
)
# Elements that run, fetch or redirect: scripts, frames, plug-ins, forms, the page's base
# URL or refresh, and SVG or MathML, which can carry scripts and handlers of their own.
_ACTIVE_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base",
    "meta", "link", "svg", "math",
})
# URL schemes that run script, searched in attribute values once the parser has decoded
# their character references and browsers' ignored characters (controls, spaces) are
# dropped: "&#106;ava&#x09;script:" is "javascript:" to a browser.
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:text/html")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")
# Markdown: any tag, or a link whose URL runs script (Markdown links are rendered as
# they are written, "[x](javascript:...)" included).
_RAW_TAG = re.compile(r"<\s*[A-Za-z!/]")
# Output types that are script whatever they hold; the page template would run them.
_SCRIPT_MIMES = ("application/javascript", "text/javascript")


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


# The lab template without the scripts it loads from a CDN: require.js (for widgets and
# JavaScript outputs, which pages do not run), Jupyter widgets, MathJax (which typesets
# $...$ anywhere in a page, article text in tables included) and Mermaid. Its styles
# are inlined by the template itself.
_PAGE_TEMPLATE = "analysis_page.html.j2"
_PAGE_TEMPLATE_SOURCE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


@functools.cache
def _html_exporter():
    import jinja2
    from nbconvert import HTMLExporter

    # nbconvert warns once per page that figures lack alt text, which notebook outputs
    # cannot carry; its own logger is kept to errors so the run's progress stays readable.
    log = logging.getLogger("analysis.notebooks.execute.nbconvert")
    log.setLevel(logging.ERROR)
    return HTMLExporter(
        template_name="lab", template_file=_PAGE_TEMPLATE, embed_images=True, log=log,
        extra_loaders=[jinja2.DictLoader({_PAGE_TEMPLATE: _PAGE_TEMPLATE_SOURCE})],
    )


def render_page(executed: str | os.PathLike, folder: str | os.PathLike | None = None) -> HtmlPage:
    """Render one executed notebook as a standalone HTML page (returned, not written).

    Figures are embedded (outputs as data URIs, Markdown images too) and styles inlined,
    so each page stands alone; it loads and runs no script (no MathJax: dollar signs in
    article text are never typeset). Output text is escaped by the templates; HTML
    outputs come from pandas (escaped) or :func:`analysis.views.plotting.show_table`, and
    markup that could act in a browser is shown as text (:func:`defuse_outputs`). Same
    notebook, same bytes.

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

    Such an output is most likely article text displayed without escaping. An HTML
    output is defused when one of its tags could act: a script, frame, plug-in, form,
    ``<base>``, ``<meta>``, ``<link>``, SVG or MathML element, an event handler
    attribute (``on...``), or an attribute whose value, decoded as a browser decodes it,
    holds a ``javascript:``, ``vbscript:`` or ``data:text/html`` URL. The text between
    tags is not searched, so escaped tables (pandas,
    :func:`analysis.views.plotting.show_table`) pass unchanged whatever words they hold.
    A Markdown output is defused when it has any HTML tag or such a URL; a JavaScript
    output always is. The defused output's source becomes its ``text/plain``, which the
    HTML templates escape.

    Returns
    -------
    list of int
        Indices of the cells that had such outputs.
    """
    cells = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in ("text/markdown", "text/html", *_SCRIPT_MIMES):
                if mime in data and _could_act(mime, output_text(data[mime])):
                    data["text/plain"] = output_text(data.pop(mime))
                    cells.append(index)
    return sorted(set(cells))


def _could_act(mime: str, text: str) -> bool:
    if mime in _SCRIPT_MIMES:
        return True
    if mime == "text/markdown":
        return bool(_RAW_TAG.search(text) or _script_url(html.unescape(text)))
    if _ACTIVE_TAG.search(text):
        return True
    parser = _ActiveMarkup()
    parser.feed(text)
    parser.close()
    return parser.active


def _script_url(value: str) -> bool:
    return bool(_SCRIPT_URL.search(_IGNORED_IN_URLS.sub("", value).lower()))


class _ActiveMarkup(HTMLParser):
    """Reads an HTML output's tags; ``active`` once one of them could act in a browser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.active = False

    def handle_starttag(self, tag, attrs):
        # Attribute values arrive with their character references decoded.
        self.active = self.active or tag in _ACTIVE_ELEMENTS or any(
            name.startswith("on") or name == "srcdoc" or _script_url(value or "")
            for name, value in attrs
        )

    def handle_endtag(self, tag):
        self.active = self.active or tag in _ACTIVE_ELEMENTS


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
