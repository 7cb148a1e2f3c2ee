"""Numbers and words as the findings print them."""

from __future__ import annotations

import math

from analysis.views import formatting


def test_numbers_have_fixed_decimals_and_no_negative_zero():
    assert formatting.format_number(-0.001) == "0.00"
    assert formatting.format_number(0.125, 1) == "0.1"
    assert formatting.format_number(math.nan) == "n/a"


def test_intervals_and_p_values():
    assert formatting.format_interval(0.4269, 0.25, 0.6) == "0.43 [0.25, 0.60]"
    assert formatting.format_interval(math.nan, math.nan, math.nan) == "n/a"
    assert formatting.format_p_value(0.0004) == "p < 0.001"
    assert formatting.format_p_value(0.01234) == "p = 0.012"
    assert formatting.format_p_value(math.nan) == "p = n/a"


def test_proportions_give_share_interval_and_counts():
    assert formatting.format_proportion(6.0, 22.0, 0.1315, 0.4815) == "0.27 [0.13, 0.48] (6 of 22)"
    assert formatting.format_proportion(1, 1, 0.21, 1.0, unit="article") == \
        "1.00 [0.21, 1.00] (1 of 1 article)"
    assert formatting.format_proportion(0, 0, 0.0, 1.0, unit="article") == "n/a (0 of 0 articles)"


def test_counts_and_lists_read_as_prose():
    assert formatting.format_count(1, "sentence") == "1 sentence"
    assert formatting.format_count(0, "quote") == "0 quotes"
    assert formatting.format_list(["a", "b", "c"]) == "a, b and c"
    assert formatting.format_list(["a"]) == "a"
    assert formatting.format_list([]) == "none"
    assert formatting.format_list([], empty="") == ""
