"""Rendered pages show corpus text as text: escaped tables stay tables whatever words they
hold, markup that could act in a browser is disarmed, and nothing is typeset or fetched."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.notebooks import pages
from analysis.views import plotting

# Article-like text a pathological corpus may hold: a scheme name, prices, markup.
SCHEME_TEXT = "Guide: type javascript: void(0) in the bar"
PRICES = "Coin slid under $78,000; $250 million sold"


def _notebook(*outputs):
    """A notebook with a heading and one code cell per output (as if executed)."""
    nb = new_notebook()
    nb.cells.append(new_markdown_cell("# Markup page\n\nText."))
    for index, output in enumerate(outputs):
        cell = new_code_cell(f"cell_{index}")
        cell.outputs = [output]
        nb.cells.append(cell)
    return nb


def _html_output(html):
    return new_output("display_data", data={"text/html": html, "text/plain": "<table>"})


def _table_html(frame):
    return plotting.show_table(frame).data


def _render(nb, tmp_path):
    path = tmp_path / "09_markup.ipynb"
    nbformat.write(nb, path)
    return pages.render_page(path).body.decode("utf-8")


class _Active(HTMLParser):
    """Every tag, and every attribute that could run script, of a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            plain = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on") or "javascript:" in plain:
                self.handlers.append(f"{tag} {name}={value}")


def _active(page):
    parser = _Active()
    parser.feed(page)
    parser.close()
    return parser


def test_escaped_tables_with_a_scheme_name_stay_tables():
    frame = pd.DataFrame({"text": [SCHEME_TEXT, '<a href="javascript:go()">x</a>',
                                   "JAVASCRIPT : spaced", "onclick = said"], "n": [1, 2, 3, 4]})
    nb = _notebook(_html_output(_table_html(frame)),
                   _html_output(frame.to_html()),
                   _html_output(frame._repr_html_()))
    assert pages.defuse_outputs(nb) == []
    assert all("text/html" in cell.outputs[0].data for cell in nb.cells[1:])


@pytest.mark.parametrize("html", [
    '<a href="javascript:alert(1)">a</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab inside</a>',
    '<a href=" JavaScript:alert(1)">case and space</a>',
    "<a href=javascript:alert(1)>unquoted</a>",
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html,<b>x</b>">data</a>',
    '<div style="background:url(javascript:alert(1))">css</div>',
    "<img src=x onerror=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<svg><circle r=1></circle></svg>",
    "<iframe srcdoc='x'></iframe>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<form action=/x><button>go</button></form>",
    '<meta http-equiv="refresh" content="0;url=x">',
    '<base href="http://example.invalid/">',
])
def test_markup_that_could_act_is_shown_as_text(html):
    nb = _notebook(_html_output("<p>fine</p>"), _html_output(html))
    assert pages.defuse_outputs(nb) == [2]
    assert nb.cells[1].outputs[0].data["text/html"] == "<p>fine</p>"
    assert nb.cells[2].outputs[0].data == {"text/plain": html}


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt&#58;alert(1))",
    "<b>tag</b>",
])
def test_markdown_links_and_tags_that_could_act_are_shown_as_text(markdown):
    nb = _notebook(new_output("display_data", data={"text/markdown": markdown}))
    assert pages.defuse_outputs(nb) == [1]
    assert nb.cells[1].outputs[0].data == {"text/plain": markdown}


def test_script_outputs_are_shown_as_text():
    nb = _notebook(new_output("display_data", data={"application/javascript": "alert(1)",
                                                    "text/plain": "<Javascript>"}))
    assert pages.defuse_outputs(nb) == [1]
    assert nb.cells[1].outputs[0].data == {"text/plain": "alert(1)"}


def test_a_page_loads_nothing_runs_nothing_and_typesets_nothing(tmp_path):
    frame = pd.DataFrame({"title": [PRICES, SCHEME_TEXT]})
    nb = _notebook(_html_output(_table_html(frame)),
                   new_output("stream", name="stdout", text=PRICES + "\n"),
                   _html_output('<a href="javascript:alert(1)">x</a>'),
                   new_output("display_data", data={"text/markdown": "[m](javascript:x())"}))
    page = _render(nb, tmp_path)
    active = _active(page)
    assert "script" not in active.tags and "link" not in active.tags
    assert active.handlers == []
    # No script at all, so no MathJax to typeset the prices; nothing fetched from a CDN.
    assert "text/x-mathjax-config" not in page
    assert not re.search(r"\b(?:src|href)=[\"']?(?:https?:)?//", page)
    assert "@import" not in page
    # The table is shown as a table, its prices and scheme name as written.
    assert page.count("<table") == 1 and f"<td>{PRICES}</td>" in page
    assert f"<td>{SCHEME_TEXT}</td>" in page
    assert f"{PRICES}\n</pre>" in page
