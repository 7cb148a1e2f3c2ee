"""Fixtures shared by the tests of analysis.views: the plot style and two small articles."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.views import plotting

from factories import sentences_table

# a1: title, a summary bullet, two body sentences in one paragraph (and the layout lines a
# parser drops: "Summary", blank lines); a2: title and one body sentence.
SAMPLE_RAW = {
    "a1": "Title A\nSummary\n- Europe must guarantee it.\n\nBody one. Body two.\n",
    "a2": "Title B\n\nOnly body.\n",
}


@pytest.fixture
def styled():
    """The project's matplotlib style for one test; figures closed afterwards."""
    with plt.style.context("default"):
        plotting.use_style()
        yield
    plt.close("all")


@pytest.fixture
def sample_raw() -> dict[str, str]:
    """Raw texts of the sample articles a1 and a2, ``{article_id: text}``."""
    return dict(SAMPLE_RAW)


@pytest.fixture
def sentences(sample_raw) -> pd.DataFrame:
    """The ``sentences`` table of the sample articles, offsets into :func:`sample_raw`.

    a1: sentence 0 title (paragraph 0), 1 summary (1), 2 and 3 body (both paragraph 2);
    a2: sentence 0 title (0), 1 body (1).
    """
    return sentences_table(articles={
        "a1": [("title", 0, "Title A"), ("summary", 1, "Europe must guarantee it."),
               ("body", 2, "Body one."), ("body", 2, "Body two.")],
        "a2": [("title", 0, "Title B"), ("body", 1, "Only body.")],
    }, raw=sample_raw)
