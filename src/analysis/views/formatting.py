"""Numbers and words as the findings print them: fixed decimals, intervals, p-values,
counts of a noun and lists in prose.

Shared by the modules whose findings are sentences (:mod:`analysis.views.report`,
:mod:`analysis.views.synthesis`, :mod:`analysis.views.trends`), so that a notebook's
printed numbers read alike everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

NOT_AVAILABLE = "n/a"


def format_number(value: float, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals; ``"n/a"`` for NaN; never ``"-0.00"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_AVAILABLE
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def format_interval(mean: float, low: float, high: float, digits: int = 2) -> str:
    """``"0.43 [0.25, 0.60]"``; ``"n/a"`` when the mean is undefined."""
    if mean is None or math.isnan(mean):
        return NOT_AVAILABLE
    return (f"{format_number(mean, digits)} "
            f"[{format_number(low, digits)}, {format_number(high, digits)}]")


def format_p_value(p: float, name: str = "p") -> str:
    """``"p = 0.012"``, ``"p < 0.001"`` below 0.001, ``"p = n/a"`` when undefined."""
    if p is None or math.isnan(p):
        return f"{name} = {NOT_AVAILABLE}"
    return f"{name} < 0.001" if p < 0.001 else f"{name} = {p:.3f}"


def format_q_value(q: float) -> str:
    """A Benjamini-Hochberg q-value as :func:`format_p_value` words a p-value: ``"q = 0.03"``."""
    return format_p_value(q, "q")


def format_proportion(successes: int, trials: int, low: float, high: float,
                      unit: str = "", digits: int = 2) -> str:
    """``"0.27 [0.13, 0.48] (6 of 22)"``; with ``unit="article"``, ``"(6 of 22 articles)"``.

    The share is ``successes / trials`` (``"n/a"`` without trials); ``low`` and
    ``high`` are its interval.
    """
    k, n = int(successes), int(trials)
    share = format_interval(k / n if n else math.nan, low, high, digits)
    units = f" {unit}{'' if n == 1 else 's'}" if unit else ""
    return f"{share} ({k} of {n}{units})"


def format_count(n: int, noun: str) -> str:
    """``"1 sentence"``, ``"2 sentences"``: ``n`` and ``noun``, plural unless ``n`` is 1."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def format_list(items: Sequence[str], empty: str = "none") -> str:
    """``"a, b and c"``; the one item alone; ``empty`` without items."""
    items = list(items)
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"
