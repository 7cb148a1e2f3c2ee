"""Drawing helpers the figure modules share: count ticks, grouped bars, empty panels."""

from __future__ import annotations

from collections.abc import Sequence


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
    ax.set_yticks(y, list(categories))
    ax.set_ylim(len(categories) - 0.5, -0.5)


def empty_panel(ax, text: str) -> None:
    """Write ``text`` in the middle of a panel that has nothing to draw; no x ticks."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
