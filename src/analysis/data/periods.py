"""Publication periods: an article's ``published`` date as the period that contains it.

One rule for every grouping by period (the trends of notebook 06, the corrected shares
by period of notebook 07): ``"M"`` gives ``"2025-02"``, ``"Q"`` ``"2025Q1"``, ``"Y"``
``"2025"``, ``"W"`` pandas' week label.
"""

from __future__ import annotations

import pandas as pd


def publication_periods(published: pd.Series, freq: str) -> pd.Series:
    """The period of each ISO date ``YYYY-MM-DD`` at frequency ``freq``, as strings.

    Parameters
    ----------
    published : Series of str
        Dates as the ``articles`` table holds them.
    freq : str
        A pandas period frequency (``"M"``, ``"Q"``, ``"Y"``, ``"W"``).

    Returns
    -------
    Series of str (object dtype)
        Same index as ``published``; empty for an empty input.
    """
    dates = pd.to_datetime(published, format="%Y-%m-%d")
    periods = dates.dt.to_period(freq).astype(str) if len(published) else dates.astype(str)
    return periods.astype(object)
