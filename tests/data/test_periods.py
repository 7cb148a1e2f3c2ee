"""One rule for publication periods, for the trends and the corrected shares alike."""

from __future__ import annotations

import pandas as pd

from analysis.data.periods import publication_periods


def test_periods_of_iso_dates_keep_the_index():
    published = pd.Series(["2025-02-27", "2025-12-15"], index=["a", "b"])
    assert publication_periods(published, "M").to_dict() == {"a": "2025-02", "b": "2025-12"}
    assert publication_periods(published, "Q").tolist() == ["2025Q1", "2025Q4"]
    assert publication_periods(published, "Y").tolist() == ["2025", "2025"]


def test_no_dates_give_no_periods():
    periods = publication_periods(pd.Series([], dtype=object), "M")
    assert periods.empty and periods.dtype == object
