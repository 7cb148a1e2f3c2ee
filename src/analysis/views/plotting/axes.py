"""Drawing helpers the figure modules share: count ticks, grouped bars, empty panels, and
corpus text shown as written (:func:`shorten_words`, :func:`plain_figure_text`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager

from analysis.views.words import labels_in_words

# Longest word a figure shows whole. Terms, titles and outlet names of real articles stay
# far below it; a longer "word" (a URL, a run of letters without spaces) would stretch the
# figure by its whole length, so it is cut and ends in an ellipsis.
MAX_WORD_CHARS = 40
ELLIPSIS = "\u2026"

_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


def shorten_words(text: str) -> str:
    """``text`` with every word over :data:`MAX_WORD_CHARS` characters cut to that length.

    A word is a run of non-space characters; a cut word keeps its first
    ``MAX_WORD_CHARS - 1`` characters and ends in an ellipsis. Spaces, tabs and line
    breaks are kept.

    Parameters
    ----------
    text : str
        Text to draw.

    Returns
    -------
    str
        The text, each word at most ``MAX_WORD_CHARS`` characters long.
    """
    return _LONG_WORD.sub(lambda m: m.group()[:MAX_WORD_CHARS - 1] + ELLIPSIS, text)


def _short_formatter(inner):
    """A tick formatter that gives ``inner``'s labels with :func:`shorten_words` applied."""
    from matplotlib.ticker import Formatter

    class ShortWords(Formatter):
        # Tick labels are written again from the formatter on every draw, so a long
        # label has to be cut here rather than in the tick's Text.
        def __call__(self, x, pos=None):
            return shorten_words(inner(x, pos))

        def format_ticks(self, values):
            return [shorten_words(label) for label in inner.format_ticks(values)]

        def get_offset(self):
            return shorten_words(inner.get_offset())

        def set_locs(self, locs):
            inner.set_locs(locs)

        def format_data(self, value):
            return inner.format_data(value)

        def format_data_short(self, value):
            return inner.format_data_short(value)

    return ShortWords()


@contextmanager
def plain_figure_text(fig) -> Iterator[None]:
    """Within the block, ``fig`` draws its text as written and without over-long words.

    Corpus text (outlet names, titles, terms) may hold dollar signs or endless words.
    Inside the block every text of the figure, and any made while drawing it (new
    ticks), is drawn literally: matplotlib's ``text.parse_math`` is off, so ``$...$`` is
    never read as mathematics (an unbalanced ``$\\frac{$`` would otherwise stop the
    draw with a parse error). Every word over :data:`MAX_WORD_CHARS` characters in
    titles, labels, tick labels, legends and annotations is cut by
    :func:`shorten_words`. On leaving, texts and tick formatters are put back; math
    parsing stays off on the figure's texts.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure about to be laid out and drawn.
    """
    import matplotlib as mpl
    from matplotlib.text import Text

    with ExitStack() as restore:
        restore.enter_context(mpl.rc_context({"text.parse_math": False}))
        for text in fig.findobj(Text):
            text.set_parse_math(False)
            written = text.get_text()
            short = shorten_words(written)
            if short != written:
                text.set_text(short)
                restore.callback(text.set_text, written)
        for ax in fig.axes:
            for axis in (getattr(ax, name, None) for name in ("xaxis", "yaxis", "zaxis")):
                if axis is None:
                    continue
                for ticker in (axis.major, axis.minor):
                    formatter = ticker.formatter
                    ticker.formatter = _short_formatter(formatter)
                    restore.callback(setattr, ticker, "formatter", formatter)
        yield


def integer_ticks(ax) -> None:
    """Whole-number ticks on the x axis, for counts."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def grouped_barh(ax, categories: Sequence[str], values: dict[str, Sequence[float]],
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
    ax.set_yticks(y, [labels_in_words(str(c)) for c in categories])
    ax.set_ylim(len(categories) - 0.5, -0.5)


def empty_panel(ax, text: str) -> None:
    """Write ``text`` in the middle of a panel that has nothing to draw; no x ticks."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
