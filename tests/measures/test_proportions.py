"""Wilson intervals, Fisher's exact test, and two groups' shares side by side."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact

from analysis.measures import proportions


@pytest.mark.parametrize(("successes", "trials", "low", "high"), [
    (0, 1, 0.0, 0.7935),      # z^2 / (n + z^2)
    (1, 1, 0.2065, 1.0),
    (5, 10, 0.2366, 0.7634),
    (1, 50, 0.0035, 0.1050),
    (0, 0, 0.0, 1.0),         # no articles: no information
])
def test_wilson_interval_known_values(successes, trials, low, high):
    got = proportions.wilson_interval([successes], [trials])
    assert (got[0][0], got[1][0]) == pytest.approx((low, high), abs=1e-4)


def _closed_form_wilson(k, n, confidence):
    # The hand-written formula the module used before scipy's binomtest.
    from scipy.stats import norm

    z2 = norm.ppf(0.5 + confidence / 2) ** 2
    p = k / n
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = np.sqrt(z2 * p * (1 - p) / n + z2 ** 2 / (4 * n ** 2)) / (1 + z2 / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_interval_gives_the_closed_form_copys_numbers(confidence):
    trials = np.array([[1, 2, 7], [12, 50, 400]])
    successes = np.array([[0, 1, 3], [12, 17, 5]])
    low, high = proportions.wilson_interval(successes, trials, confidence)
    assert low.shape == high.shape == (2, 3)
    expected = _closed_form_wilson(successes, trials, confidence)
    np.testing.assert_allclose(low, expected[0], atol=1e-12)
    np.testing.assert_allclose(high, expected[1], atol=1e-12)
    scalar = proportions.wilson_interval(3, 7, confidence)
    assert (float(scalar[0]), float(scalar[1])) == pytest.approx(
        _closed_form_wilson(3, 7, confidence), abs=1e-12)


def test_wilson_interval_holds_its_coverage_for_small_samples():
    # Exact coverage over every outcome of 12 trials, for rates from 0.1 to 0.9: the
    # Wilson interval stays near 95% where the normal approximation does not.
    from scipy.stats import binom

    n, outcomes = 12, list(range(13))
    low, high = proportions.wilson_interval(outcomes, [n] * len(outcomes))
    for rate in (0.1, 0.3, 0.5, 0.7, 0.9):
        covered = [(lo <= rate <= hi) for lo, hi in zip(low, high, strict=True)]
        coverage = sum(binom.pmf(k, n, rate) for k in outcomes if covered[k])
        assert 0.88 <= coverage <= 1.0, rate


def test_fisher_p_is_scipys_and_one_without_units():
    assert proportions.fisher_p(8, 10, 1, 10) == pytest.approx(
        fisher_exact([[8, 2], [1, 9]]).pvalue)
    assert proportions.fisher_p(3, 3, 0, 3) == pytest.approx(0.1)  # 2 / C(6, 3)
    assert proportions.fisher_p(1, 2, 0, 0) == 1.0


def test_compare_two_per_item_with_a_missing_item_and_group():
    table = pd.DataFrame({
        "article_id": ["a", "a", "b", "c"],
        "frame": ["conflict", "morality", "conflict", "conflict"],
        "n_with_frame": [8, 0, 1, 5],
        "n_sentences": [10, 10, 10, 7],
    })
    out = proportions.compare_two(table, "article_id", "a", "b", "n_with_frame",
                                  "n_sentences", items=["frame"])
    assert list(out.columns) == [
        "frame", "n_with_frame a", "n_sentences a", "share a", "share_low a", "share_high a",
        "n_with_frame b", "n_sentences b", "share b", "share_low b", "share_high b",
        "p_fisher", "q_fisher"]
    assert out["frame"].tolist() == ["conflict", "morality"]
    assert out["share a"].tolist() == [0.8, 0.0]
    # Two tests, one family: the smaller p doubles (BH), the larger stays.
    p_conflict, p_morality = out["p_fisher"]
    assert out["q_fisher"].tolist() == pytest.approx([min(2 * p_conflict, p_morality),
                                                      p_morality])
    # b has no morality row: no units, so an uninformative interval and no test.
    assert (out.at[1, "n_sentences b"], out.at[1, "share_high b"]) == (0, 1.0)
    assert out["p_fisher"].tolist() == pytest.approx(
        [fisher_exact([[8, 2], [1, 9]]).pvalue, 1.0])
    low, high = proportions.wilson_interval([8], [10])
    assert (out.at[0, "share_low a"], out.at[0, "share_high a"]) == (low[0], high[0])


def test_compare_two_with_one_row_per_group():
    table = pd.DataFrame({"article_id": ["a", "b"], "n_labelled": [6, 8],
                          "n_sentences": [22, 26]})
    out = proportions.compare_two(table, "article_id", "a", "b", "n_labelled", "n_sentences")
    assert len(out) == 1 and "_row" not in out.columns
    assert out.at[0, "share a"] == pytest.approx(6 / 22)
    assert out.at[0, "p_fisher"] == pytest.approx(fisher_exact([[6, 16], [8, 18]]).pvalue)
