"""Render executed notebooks as standalone HTML pages, with a landing page.

A reviewer reads the findings first. The landing page (``index.html``) gives the corpus
in one line, then for each notebook in number order its question, its findings and its
key figure, linking to the full page. Each page opens with its title, question,
findings and a table of contents; the notebook follows. A notebook marks the cells
these come from with cell tags: :data:`FINDINGS_TAG` on the cell that ends with
:func:`analysis.views.plotting.show_findings`, :data:`KEY_FIGURE_TAG` on one figure cell.
:mod:`analysis.notebooks.page_checks` checks the written pages as a reviewer needs them.

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
from analysis.notebooks.files import output_text, read_notebook
from analysis.progress import say

# The cell tags that mark what a page and the landing page put first.
FINDINGS_TAG = "findings"
KEY_FIGURE_TAG = "key-figure"

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


_QUESTION = re.compile(r"^\*\*Question\.\*\*.*?(?=\n\s*\n|\Z)", re.MULTILINE | re.DOTALL)
# A heading of the rendered page: nbconvert gives each an id and an anchor link.
_PAGE_HEADING = re.compile(
    r'<h(?P<level>[23]) id="(?P<id>[^"]+)">(?P<title>.*?)<a class="anchor-link"', re.DOTALL)


@dataclass(frozen=True)
class PageSummary:
    """What the landing page shows of one notebook; HTML fragments, safe to insert.

    Attributes
    ----------
    name, title : str
        The notebook's file stem (``03_sentiment``) and its first heading.
    question : str
        The first Markdown cell's "**Question.**" paragraph as HTML; empty without one.
    findings : str
        The outputs of the cell tagged :data:`FINDINGS_TAG` as HTML (a list, from
        ``show_findings``; plain text in ``<pre>`` otherwise); empty without that cell.
    figure : str
        The PNG of the cell tagged :data:`KEY_FIGURE_TAG` as a ``data:`` URI; empty
        without one.
    """

    name: str
    title: str
    question: str
    findings: str
    figure: str


@dataclass(frozen=True)
class HtmlPage:
    """One rendered notebook page, not yet written, with its landing-page summary."""

    name: str
    body: bytes
    summary: PageSummary


def page_summary(nb, name: str) -> PageSummary:
    """The question, findings and key figure of an executed notebook (see :class:`PageSummary`).

    ``nb`` should have been through :func:`defuse_outputs`: the findings' HTML is taken
    as the notebook holds it.
    """
    return PageSummary(name=name, title=notebook_title(nb, name), question=_question(nb),
                       findings=_findings_html(nb), figure=_key_figure(nb))


def read_summary(executed: str | os.PathLike) -> PageSummary:
    """:func:`page_summary` of an executed notebook file, its outputs defused first."""
    path = Path(executed)
    nb = read_notebook(path)
    defuse_outputs(nb)
    return page_summary(nb, path.stem)


def _tagged(nb, tag: str):
    return next((cell for cell in nb.cells if tag in cell.get("metadata", {}).get("tags", [])),
                None)


def _question(nb) -> str:
    import mistune

    first = next((cell for cell in nb.cells if cell.cell_type == "markdown"), None)
    match = _QUESTION.search(first.source) if first is not None else None
    # The notebook's own Markdown, written by its authors, never article text.
    return mistune.html(match.group(0)) if match else ""


def _findings_html(nb) -> str:
    cell = _tagged(nb, FINDINGS_TAG)
    if cell is None:
        return ""
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "text/html" in data:
            parts.append(output_text(data["text/html"]))
        elif output.get("output_type") == "stream" or "text/plain" in data:
            text = output_text(output["text"]) if "text" in output else output_text(
                data["text/plain"])
            parts.append(f"<pre>{html.escape(text)}</pre>")
    return "\n".join(parts)


def _key_figure(nb) -> str:
    cell = _tagged(nb, KEY_FIGURE_TAG)
    images = [output_text(output["data"]["image/png"]).replace("\n", "")
              for output in (cell.get("outputs", []) if cell is not None else [])
              if "image/png" in output.get("data", {})]
    return f"data:image/png;base64,{images[0]}" if images else ""


# One exporter for the process: building it loads and compiles the templates. Threads
# take turns with it, as nbconvert does not promise that an exporter is thread-safe.
_EXPORTER_LOCK = threading.Lock()


# The lab template without the scripts it loads from a CDN: require.js (for widgets and
# JavaScript outputs, which pages do not run), Jupyter widgets, MathJax (which typesets
# $...$ anywhere in a page, article text in tables included) and Mermaid. Its styles
# are inlined by the template itself.
_PAGE_TEMPLATE = "analysis_page.html.j2"
# The styles the pages add, after the template's own (which they override): tables scroll sideways inside the page and wrap long text,
# every cell left-aligned; the summary box; a readable line length.
PAGE_CSS = """
main { max-width: 72rem; margin: 0 auto; }
.jp-RenderedHTMLCommon table { display: block; max-width: 100%; overflow-x: auto; }
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th,
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td,
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon tr,
.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td {
  text-align: left; vertical-align: top; white-space: normal; max-width: 36em;
  overflow-wrap: break-word;
}
.jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: break-word; }
.analysis-summary { border: 1px solid #c8d1dc; background: #f6f8fb; padding: 0.5em 1.5em;
  margin: 1em 0 2em; }
.analysis-summary h1 { margin-top: 0.3em; }
.analysis-summary h2 { margin-top: 0.8em; }
.analysis-findings li { margin: 0.35em 0; }
.analysis-toc ol { margin: 0.2em 0; }
.analysis-toc-h3 { margin-left: 1.5em; list-style-type: circle; }
.analysis-nav { margin: 0.5em 0; }
"""

_PAGE_TEMPLATE_SOURCE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style type="text/css">{{ resources.analysis_css }}</style>{%- endblock html_head_css -%}
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
        say(f"{path}: cell {cell_index} displays raw HTML or Markdown markup; "
                  "rendered as text (use analysis.views.plotting.show_table or print)")
    summary = page_summary(nb, path.stem)
    _without_title_and_question(nb)
    folder = Path(folder) if folder is not None else path.parent
    resources = {"metadata": {"name": summary.title, "path": str(folder.absolute())},
                 "analysis_css": PAGE_CSS}
    with _EXPORTER_LOCK:
        body, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    body = body.replace("<main>", f"<main>\n{_page_top(body, summary)}", 1)
    return HtmlPage(name=path.stem, body=body.encode("utf-8"), summary=summary)


def _without_title_and_question(nb) -> None:
    """Drop the first Markdown cell's title and question, in place: the page's top shows
    them, above the findings."""
    first = next((cell for cell in nb.cells if cell.cell_type == "markdown"), None)
    if first is not None:
        source = _HEADING.sub("", first.source, count=1)
        first.source = _QUESTION.sub("", source, count=1).strip()


def _page_top(body: str, summary: PageSummary) -> str:
    """What a page opens with: its title, question, findings and table of contents."""
    contents = "\n".join(
        f'<li class="analysis-toc-h{m["level"]}"><a href="#{m["id"]}">{m["title"]}</a></li>'
        for m in _PAGE_HEADING.finditer(body))
    findings = summary.findings or "<p>This notebook marks no findings cell.</p>"
    return (
        '<header class="analysis-summary jp-RenderedHTMLCommon">\n'
        '<p class="analysis-nav"><a href="index.html">All notebooks</a></p>\n'
        f"<h1>{html.escape(summary.title)}</h1>\n{summary.question}\n"
        f'<h2 id="analysis-findings">Findings</h2>\n{findings}\n'
        f'<nav class="analysis-toc"><h2 id="analysis-contents">Contents</h2>\n<ol>\n'
        f"{contents}\n</ol></nav>\n</header>"
    )


def write_html(pages: Sequence[HtmlPage], html_dir: str | os.PathLike, corpus: str = "",
               earlier: Sequence[PageSummary] = ()) -> Path:
    """Write ``<html_dir>/<name>.html`` for each page and the landing page.

    Parameters
    ----------
    pages : sequence of HtmlPage
        The pages of this run.
    html_dir : path-like
        Where they go.
    corpus : str, optional
        The corpus in one line (plain text), the landing page's first line.
    earlier : sequence of PageSummary
        Summaries of pages written before (a run of some notebooks only), shown too.

    Returns
    -------
    Path
        ``<html_dir>/index.html``: for each notebook in name order, its question,
        findings and key figure, linking its page.
    """
    html_dir = Path(html_dir)
    for page in pages:
        write_bytes_atomic(html_dir / f"{page.name}.html", page.body)
    summaries = {summary.name: summary for summary in earlier}
    summaries.update((page.name, page.summary) for page in pages)
    index = landing_page([summaries[name] for name in sorted(summaries)], corpus)
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


def landing_page(summaries: Sequence[PageSummary], corpus: str = "") -> str:
    """The landing page: the corpus line, then each notebook's question, findings and
    key figure, linking its full page. A standalone page that loads and runs nothing."""
    contents = "\n".join(
        f'<li><a href="#{html.escape(s.name)}">{html.escape(s.title)}</a></li>'
        for s in summaries)
    sections = "\n".join(_landing_section(summary) for summary in summaries)
    corpus_line = f'<p class="analysis-corpus">{html.escape(corpus)}</p>\n' if corpus else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(LANDING_TITLE)}</title>\n"
        f'<style type="text/css">{LANDING_CSS}</style>\n</head>\n<body>\n<main>\n'
        f"<h1>{html.escape(LANDING_TITLE)}</h1>\n{corpus_line}"
        f'<nav class="analysis-toc"><ol>\n{contents}\n</ol></nav>\n{sections}\n'
        "</main>\n</body>\n</html>\n"
    )


LANDING_TITLE = "Framing of security guarantees for Ukraine: what the notebooks found"
LANDING_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: #1f2328; line-height: 1.5; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; }
.analysis-corpus { font-size: 1.05rem; background: #f6f8fb; border: 1px solid #c8d1dc;
  padding: 0.6em 1em; }
.analysis-notebook { border-top: 1px solid #c8d1dc; padding-top: 0.5em; margin-top: 1.5em; }
.analysis-notebook-body { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.analysis-notebook-text { flex: 1 1 28rem; min-width: 0; }
.analysis-notebook figure { flex: 0 1 30rem; margin: 0; }
.analysis-notebook figure img { max-width: 100%; height: auto; border: 1px solid #e1e4e8; }
.analysis-findings li { margin: 0.3em 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
details summary { cursor: pointer; color: #0550ae; margin: 0.3em 0; }
"""


# Findings the landing page shows of a notebook before "N more findings" (a <details>
# element: the page stays readable in two minutes and still runs no script).
LANDING_FINDINGS = 6
_FINDING_ITEM = re.compile(r"<li>.*?</li>", re.DOTALL)


def _first_findings(findings: str) -> str:
    """A findings list with the items after the first :data:`LANDING_FINDINGS` folded."""
    items = list(_FINDING_ITEM.finditer(findings))
    if len(items) <= LANDING_FINDINGS:
        return findings
    shown_end, list_end = items[LANDING_FINDINGS - 1].end(), findings.index("</ul>", items[-1].end())
    rest = findings[items[LANDING_FINDINGS].start():list_end]
    return (f"{findings[:shown_end]}\n</ul>\n<details><summary>"
            f"{len(items) - LANDING_FINDINGS} more findings</summary>\n"
            f'<ul class="analysis-findings">\n{rest}</ul></details>{findings[list_end + 5:]}')


def _landing_section(summary: PageSummary) -> str:
    name, title = html.escape(summary.name), html.escape(summary.title)
    link = f'<a href="{name}.html">{title}</a>'
    figure = (f'<figure><a href="{name}.html"><img src="{summary.figure}" '
              f'alt="Key figure of {title}"></a></figure>' if summary.figure else "")
    findings = _first_findings(summary.findings) or \
        "<p>This notebook marks no findings cell.</p>"
    return (
        f'<section class="analysis-notebook" id="{name}">\n<h2>{link}</h2>\n'
        f'<div class="analysis-notebook-body">\n<div class="analysis-notebook-text">\n'
        f"{summary.question}\n<h3>Findings</h3>\n{findings}\n"
        f'<p><a href="{name}.html">The whole notebook: {title}</a></p>\n</div>\n'
        f"{figure}\n</div>\n</section>"
    )
