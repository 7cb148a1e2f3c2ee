"""Fixtures shared by the plot tests."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from analysis.views import plotting


@pytest.fixture
def styled():
    """The project's matplotlib style for one test; figures closed afterwards."""
    with plt.style.context("default"):
        plotting.use_style()
        yield
    plt.close("all")
