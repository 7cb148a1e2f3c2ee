"""Shares corrected by a hand-coded sample: coverage in simulation, exact small cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.measures.proportions import wilson_interval
from analysis.measures.validation.corrected import (
    CorrectedShare,
    compare_corrected,
    corrected_share,
    corrected_shares,
    pseudo_outcomes,
)

NAN = float("nan")
Z = 1.959963984540054  # normal quantile of 0.975

# The simulated corpora: a true share P; a tool that finds 45% of the sentences carrying
# the label and tags 5% of the others, so its share is 0.3 * 0.45 + 0.7 * 0.05 = 0.17; a
# coded sample that favours the sentences the tool labels (PI_LABELLED) over the others.
P, N, DRAWS = 0.3, 2000, 2000
SENSITIVITY, FALSE_POSITIVE = 0.45, 0.05
PI_LABELLED, PI_OTHER = 0.25, 0.10
# Seeds 0-19 gave coverages 0.935-0.9545 (mean 0.9456, sd 0.0049 as the binomial's);
# this one gave 0.948. With PI_OTHER = 0.05 the coverage was 0.930-0.9475 (mean 0.938):
# ~16 coded errors at weight 20 leave the normal approximation short at N = 2000.
SEED = 11


@pytest.fixture(scope="module")
def simulation():
    """The tool's labels, the codes and π of DRAWS corpora, each (DRAWS, N)."""
    rng = np.random.default_rng(SEED)
    truth = rng.random((DRAWS, N)) < P
    predicted = rng.random((DRAWS, N)) < np.where(truth, SENSITIVITY, FALSE_POSITIVE)
    pi = np.where(predicted, PI_LABELLED, PI_OTHER)
    # Poisson sampling: each sentence coded independently with its own π.
    coded = np.where(rng.random((DRAWS, N)) < pi, truth.astype(float), np.nan)
    return predicted, coded, pi


def coverage(shares, low="low", high="high"):
    return np.mean([getattr(s, low) <= P <= getattr(s, high) for s in shares])


def test_corrected_interval_covers_the_true_share_where_the_naive_one_does_not(simulation):
    predicted, coded, pi = simulation
    shares = [corrected_share(*draw) for draw in zip(predicted, coded, pi, strict=True)]
    assert 0.93 <= coverage(shares) <= 0.97
    assert coverage(shares, "naive_low", "naive_high") < 0.5
    assert np.mean([s.estimate for s in shares]) == pytest.approx(P, abs=0.005)


def test_ignoring_the_inclusion_probabilities_fails_the_same_corpora(simulation):
    # One π for all, the coded share: the labelled sentences' errors then count 2.5 times
    # too much against the others'. The simulation must be able to tell.
    predicted, coded, _ = simulation
    shares = [corrected_share(y_hat, y, np.full(N, np.mean(~np.isnan(y))))
              for y_hat, y in zip(predicted[:500], coded[:500], strict=True)]
    assert coverage(shares) < 0.5


def test_all_coded_with_certainty_gives_the_coders_share():
    truth = np.array([1, 0, 0, 1, 1, 0, 0, 0], dtype=float)
    share = corrected_share([1, 1, 0, 0, 1, 0, 0, 0], truth, np.ones(8))
    assert share.estimate == truth.mean()
    assert share.se == pytest.approx(truth.std(ddof=1) / math.sqrt(8))
    assert share.n == share.n_coded == 8


def test_no_variation_falls_back_to_the_wilson_interval_of_the_coded_sentences():
    # Twenty coded sentences, none with the label, and the tool never says it: every
    # pseudo-outcome is 0, so the normal interval would be the single point 0.
    share = corrected_share(np.zeros(40), [0.0] * 20 + [NAN] * 20, np.full(40, 0.5))
    assert (share.estimate, share.se) == (0.0, 0.0)
    low, high = wilson_interval(0, 20)
    assert (share.low, share.high) == pytest.approx((float(low), float(high)))
    assert share.high > 0.15


def test_nothing_coded_leaves_the_corrected_fields_nan():
    share = corrected_share([1, 0, 1, 0, 0], [NAN] * 5, [NAN] * 5)
    assert (share.n, share.n_coded, share.naive) == (5, 0, 0.4)
    low, high = wilson_interval(2, 5)
    assert (share.naive_low, share.naive_high) == pytest.approx((float(low), float(high)))
    for field in ("estimate", "se", "low", "high", "width_ratio"):
        assert math.isnan(getattr(share, field)), field


def test_six_sentences_with_unequal_inclusion_probabilities():
    predicted = [1, 1, 0, 0, 0, 1]
    coded = [1, NAN, 1, NAN, 0, 0]
    pi = [0.5, 0.5, 0.25, NAN, 0.25, 0.5]
    # Coded: 1 + 2 (1 - 1); 0 + 4 (1 - 0) a missed label; 0 + 4 (0 - 0); 1 + 2 (0 - 1) a
    # false one. Uncoded: the tool's label.
    assert pseudo_outcomes(predicted, coded, pi).tolist() == [1, 1, 4, 0, 0, -1]
    share = corrected_share(predicted, coded, pi)
    # mean 5/6; squared deviations (1 + 1 + 361 + 25 + 25 + 121) / 36 = 534 / 36, over 5.
    se = math.sqrt(534 / 36 / 5 / 6)
    assert (share.estimate, share.se) == pytest.approx((5 / 6, se))
    assert share.n_coded == 4
    # 5/6 - 1.96 * 0.703 < 0 and 5/6 + 1.96 * 0.703 > 1: both bounds clipped.
    assert (share.low, share.high) == (0.0, 1.0)
    assert share.width_ratio == pytest.approx(1 / (share.naive_high - share.naive_low))


def test_estimate_is_not_clipped_but_its_interval_is():
    # Ỹ = (1 - 5, 1, 1, 1): mean -0.25, sd 2.5, se 1.25.
    share = corrected_share([1, 1, 1, 1], [0, NAN, NAN, NAN], [0.2, 0.2, 0.2, 0.2])
    assert (share.estimate, share.se) == pytest.approx((-0.25, 1.25))
    assert (share.low, share.high) == (0.0, 1.0)


def test_corrected_shares_corrects_each_group_by_its_own_codes():
    table = pd.DataFrame({
        "outlet": ["b", "b", "b", "a", "a", "a", "c", "c"],
        "predicted": [1, 0, 0, 1, 1, 0, 1, 0],
        "coded": [1, 1, NAN, 0, NAN, NAN, NAN, NAN],
        "inclusion_probability": [0.5, 0.5, 0.5, 0.25, 0.25, 0.25, NAN, NAN],
    })
    out = corrected_shares(table, ["outlet"])
    assert out["outlet"].tolist() == ["a", "b", "c"]
    assert list(out.columns[1:]) == list(CorrectedShare.__dataclass_fields__)
    # a: (1 - 4, 1, 0) -> -2/3; b: (1, 0 + 2, 0) -> 1.
    assert out["estimate"].iloc[:2].tolist() == pytest.approx([-2 / 3, 1.0])
    for name in ("a", "b"):
        own = table[table["outlet"] == name]
        expected = corrected_share(own["predicted"], own["coded"], own["inclusion_probability"])
        assert out.set_index("outlet").loc[name, "se"] == pytest.approx(expected.se)
    assert out.loc[2, ["estimate", "se", "low", "high"]].isna().all()
    assert out.loc[2, "naive"] == 0.5

    nullable = table.astype({"predicted": "Int8", "coded": "Float64"})
    pd.testing.assert_frame_equal(corrected_shares(nullable, ["outlet"]), out)

    whole = corrected_shares(table, [])
    assert len(whole) == 1
    assert whole.loc[0, "estimate"] == pytest.approx(
        pseudo_outcomes(table["predicted"], table["coded"], table["inclusion_probability"])
        .mean())


def test_compare_corrected_against_hand_computed_se_and_p():
    def share(estimate, se, naive):
        return CorrectedShare(n=100, n_coded=20, naive=naive, naive_low=NAN, naive_high=NAN,
                              estimate=estimate, se=se, low=NAN, high=NAN, width_ratio=NAN)

    result = compare_corrected(share(0.20, 0.03, 0.10), share(0.35, 0.04, 0.12))
    # se = sqrt(0.03² + 0.04²) = 0.05, z = 0.15 / 0.05 = 3, p = 2 (1 - Φ(3)) = erfc(3 / √2).
    assert result.difference == pytest.approx(0.15)
    assert result.se == pytest.approx(0.05)
    assert result.p == pytest.approx(math.erfc(3 / math.sqrt(2)))
    assert (result.low, result.high) == pytest.approx((0.15 - Z * 0.05, 0.15 + Z * 0.05))
    assert result.naive_difference == pytest.approx(0.02)


@pytest.mark.parametrize(("predicted", "coded", "pi", "problem"), [
    ([1, 0], [1, 0, 1], [0.5, 0.5, 0.5], "differ in length"),
    ([1, 2], [1, NAN], [0.5, 0.5], "predicted must hold 0 or 1"),
    ([1, NAN], [1, NAN], [0.5, 0.5], "predicted must hold 0 or 1"),
    ([1, 0], [0.5, NAN], [0.5, 0.5], "coded must hold 0, 1 or nan"),
    ([1, 0], [1, NAN], [0.0, 0.5], "every coded sentence"),
    ([1, 0], [1, NAN], [NAN, 0.5], "every coded sentence"),
    ([1, 0], [1, NAN], [0.5, 1.5], "uncoded sentence"),
])
def test_bad_input_names_the_problem(predicted, coded, pi, problem):
    with pytest.raises(ValueError, match=problem):
        corrected_share(predicted, coded, pi)


def test_bad_level_and_missing_columns_are_named():
    with pytest.raises(ValueError, match="level"):
        corrected_share([1], [1], [1.0], level=1.5)
    with pytest.raises(ValueError, match="outlet"):
        corrected_shares(pd.DataFrame(columns=["predicted", "coded", "inclusion_probability"]),
                         ["outlet"])
