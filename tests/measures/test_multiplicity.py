"""Tests of analysis.measures.multiplicity: Benjamini-Hochberg q-values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.measures.multiplicity import q_values, with_q_values


def bh_by_hand(p):
    """The step-up adjustment written out: q_(i) = min over j >= i of p_(j) n / j."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    n = len(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty(n)
    out[order] = adjusted
    return out


def test_q_values_are_the_benjamini_hochberg_adjustment_and_skip_nan():
    p = [0.01, 0.04, 0.03, 0.20, float("nan"), 0.005]
    q = q_values(p)
    expected = bh_by_hand([0.01, 0.04, 0.03, 0.20, 0.005])
    np.testing.assert_allclose(np.delete(q, 4), expected)
    assert np.isnan(q[4])
    # Five tests: the smallest p 0.005 becomes 0.025, and 0.04 (rank 4) 0.05.
    assert q[5] == pytest.approx(0.025) and q[1] == pytest.approx(0.05)
    assert np.isnan(q_values([float("nan")])).all()
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        q_values([0.5, 1.5])


def test_with_q_values_adjusts_within_each_family_and_places_q_after_p():
    table = pd.DataFrame({"article_id": ["a", "a", "b", "b", "b"],
                          "p_value": [0.01, 0.02, 0.01, 0.02, 0.9], "z": range(5)})
    out = with_q_values(table, within=["article_id"])
    assert list(out.columns) == ["article_id", "p_value", "q_value", "z"]
    np.testing.assert_allclose(out["q_value"], [0.02, 0.02, 0.03, 0.03, 0.9])
    whole = with_q_values(table.rename(columns={"p_value": "p_fisher"}), p="p_fisher")
    np.testing.assert_allclose(whole["q_fisher"], bh_by_hand(table["p_value"]))
