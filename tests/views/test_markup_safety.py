"""Corpus text in figures and tables is shown as written: never as mathematics, never so
long that one word stretches a figure, never typeset by MathJax."""

from __future__ import annotations

import re
import struct
from html.parser import HTMLParser

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.data import tables
from analysis.views import plotting
from analysis.views.plotting.axes import MAX_WORD_CHARS, shorten_words

# Corpus-like strings that matplotlib's mathtext would read as mathematics: an unbalanced
# command between two dollar signs (a parse error) and two prices (valid "math").
BROKEN_MATH = "Odd $\\frac{$ Times"
PRICES = "rose to $91,500 then $410"


def _dollar_glyph() -> str:
    """How an SVG written with svg.fonttype "path" draws one upright dollar sign."""
    from matplotlib import font_manager, ft2font

    font = ft2font.FT2Font(font_manager.findfont("DejaVu Sans"))
    return f'xlink:href="#DejaVuSans-{font.get_char_index(ord("$")):x}"'


DOLLAR_GLYPH = _dollar_glyph()

HUGE_WORD = "x" * 4750


def _dollar_figure():
    """One panel whose title, tick labels, legend and annotation all carry dollar signs."""
    fig, ax = plt.subplots()
    ax.bar([BROKEN_MATH, PRICES], [2, 3], label=PRICES)
    ax.set_title(BROKEN_MATH)
    ax.set_xlabel("price in $ and $$")
    ax.annotate(BROKEN_MATH, (0, 2))
    ax.legend()
    fig.tight_layout()
    return fig


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    return struct.unpack(">II", data[16:24])


def test_the_style_never_parses_text_as_mathematics(styled):
    assert matplotlib.rcParams["text.parse_math"] is False


def test_dollar_signs_in_a_styled_figure_are_drawn_as_written(styled, tmp_path):
    fig = _dollar_figure()
    png, svg = plotting.savefig(fig, tmp_path / "dollars")
    assert _png_size(png.read_bytes())[0] < 2000
    svg_text = svg.read_text("utf-8")
    # Each dollar sign is one literal glyph, none a math delimiter: title, two tick
    # labels, legend, x label and annotation.
    drawn = [BROKEN_MATH, BROKEN_MATH, PRICES, PRICES, "price in $ and $$", BROKEN_MATH]
    assert svg_text.count(DOLLAR_GLYPH) == sum(text.count("$") for text in drawn)
    assert "Oblique" not in svg_text  # mathtext would set the prices in italics


def test_a_figure_drawn_without_the_style_still_saves_dollars_as_text(tmp_path):
    """savefig and show_figure guard figures whose texts were made under other settings."""
    with plt.style.context("default"), matplotlib.rc_context({"svg.hashsalt": "t"}):
        fig, ax = plt.subplots()
        ax.set_xticks([0, 1], [BROKEN_MATH, PRICES])
        ax.set_title(BROKEN_MATH)
        ax.text(0.5, 0.5, PRICES)
        svg = plotting.figure_bytes(fig, "svg").decode("utf-8")
        assert svg.count(DOLLAR_GLYPH) == 2 * BROKEN_MATH.count("$") + 2 * PRICES.count("$")
        image = plotting.show_figure(fig, tmp_path / "unstyled", formats=("png",))
    assert _png_size(image.data)[0] < 2000
    assert matplotlib.rcParams["text.parse_math"] is True  # the default is back afterwards


def test_shorten_words_cuts_only_words_over_the_limit():
    assert MAX_WORD_CHARS == 40
    limit = "y" * MAX_WORD_CHARS
    assert shorten_words(f"short {limit} words") == f"short {limit} words"
    cut = shorten_words(f"a {limit}z\tb")
    assert cut == f"a {'y' * (MAX_WORD_CHARS - 1)}\u2026\tb"
    assert shorten_words(HUGE_WORD + "\n" + HUGE_WORD) == "\n".join(2 * ["x" * 39 + "\u2026"])
    assert shorten_words("") == ""


# The figure is laid out with the whole word before saving cuts it; that first layout
# gives up with a warning, the one at save time fits.
@pytest.mark.filterwarnings("ignore:Tight layout not applied")
def test_a_huge_word_anywhere_in_a_figure_keeps_it_narrow(styled, tmp_path):
    fig, ax = plt.subplots()
    ax.barh(["fine", HUGE_WORD], [1, 2], label=HUGE_WORD)
    ax.set_title(f"about {HUGE_WORD}")
    ax.set_xlabel(HUGE_WORD)
    ax.annotate(HUGE_WORD, (1, 0))
    ax.legend(title=HUGE_WORD)
    fig.suptitle(HUGE_WORD)
    fig.tight_layout()
    png, svg = plotting.savefig(fig, tmp_path / "huge")
    width, height = _png_size(png.read_bytes())
    assert width < 1200 and height < 800
    assert "\u2026" in svg.read_text("utf-8")  # the cut is shown in the SVG's text comments
    # The figure itself keeps its text: only what is saved is shortened.
    assert ax.get_title() == f"about {HUGE_WORD}"
    assert ax.get_legend().get_texts()[0].get_text() == HUGE_WORD
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["fine", HUGE_WORD]
    # Saving again gives the same bytes.
    again = plotting.savefig(fig, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [png.read_bytes(), svg.read_bytes()]


# The figure is laid out with the whole word before saving cuts it; that first layout
# gives up with a warning, the one at save time fits.
@pytest.mark.filterwarnings("ignore:Tight layout not applied")
def test_a_topic_with_a_huge_term_keeps_the_topic_terms_figure_narrow(styled):
    rows = [{"model": "nmf", "k": 2, "seed": 0, "topic": t, "rank": r,
             "term": HUGE_WORD if (t, r) == (1, 0) else f"t{t}r{r}", "weight": 0.5 - 0.1 * r}
            for t in range(2) for r in range(3)]
    fig = plotting.plot_topic_terms(tables.conform(pd.DataFrame(rows), "topic_terms"),
                                    n_terms=3)
    width, _ = _png_size(plotting.figure_bytes(fig, "png"))
    assert width < 1200


class _MathIgnored(HTMLParser):
    """Collects text that MathJax would search: outside any element of an ignore class."""

    IGNORE = {"tex2jax_ignore", "mathjax_ignore"}
    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.exposed: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append(bool(classes & self.IGNORE) or any(self.stack))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.exposed.append(data)


def _exposed_to_mathjax(html: str) -> str:
    parser = _MathIgnored()
    parser.feed(html)
    parser.close()
    return "".join(parser.exposed)


@pytest.mark.parametrize("max_rows", [None, 1])
def test_show_table_keeps_prices_away_from_mathjax(tmp_path, max_rows):
    table = pd.DataFrame({"title": [f"Shares {PRICES}", "$5 <b>"], "n": [1, 2]})
    html = plotting.show_table(table, max_rows=max_rows, full=tmp_path / "t.csv").data
    assert "Shares rose to $91,500 then $410" in html
    assert ("$5 &lt;b&gt;" in html) == (max_rows is None)
    # MathJax (JupyterLab, classic notebook) skips elements of these classes; no dollar
    # sign is left where it would look for $...$.
    assert "$" not in _exposed_to_mathjax(html)
    assert re.search(r"<table[^>]*>", html)
