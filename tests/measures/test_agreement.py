"""Tests for analysis.measures.validation.agreement: alpha, consensus and the tool's scores.

The coders, the tool's labels and the sentences are invented for these tests; every
expected count below was worked out by hand from the tables at the top.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from analysis.measures.framing import guarantee_vocabulary
from analysis.measures.validation import agreement

NAN = np.nan
US, EU, NATO = (("guarantor", label) for label in ("united_states", "europe", "nato"))
TROOPS, AID = (("form", label) for label in ("troop_deployment", "military_aid"))
VOCABULARY = {"guarantor": ("united_states", "europe", "nato"),
              "form": ("troop_deployment", "military_aid")}

# (article_id, sentence_id) -> coder -> the labels the coder affirmed.
CODES = {
    ("a1", 0): {"ann": (US, EU, TROOPS), "ben": (US, TROOPS), "cat": (US,)},
    ("a1", 1): {"ann": (EU,), "ben": (EU,), "cat": ()},
    ("a1", 2): {"ann": (), "ben": (), "cat": (AID,)},
    ("a2", 0): {"ann": (NATO,), "ben": ()},  # one of two: a tie
    ("a2", 1): {"cat": (US, AID)},
}
TOOL_ROWS = [  # article_id, sentence_id, dimension, label, negated, cue
    ("a1", 0, "guarantor", "united_states", False, "us: the White House"),
    ("a1", 0, "form", "troop_deployment", True, "troops: no soldiers"),
    ("a1", 1, "guarantor", "europe", False, "europe: Paris and Berlin"),
    ("a1", 1, "guarantor", "nato", False, "nato: the alliance"),
    ("a1", 2, "form", "military_aid", False, "aid: shells"),
    ("a1", 2, "form", "military_aid", False, "aid: air defence"),
    ("a2", 0, "guarantor", "nato", False, "nato: the alliance"),
    ("a2", 1, "guarantor", "united_states", False, "us: the White House"),
    ("a2", 1, "form", "military_aid", False, "aid: shells"),
    ("a3", 0, "guarantor", "united_states", False, "us: the White House"),  # not coded
]
TEXTS = {
    ("a1", 0): "The White House and two capitals talked about sending soldiers.",
    ("a1", 1): "Paris and Berlin spoke for the alliance at the summit.",
    ("a1", 2): "Shells and air defence systems are due next month.",
    ("a2", 0): "The alliance held a short meeting on Tuesday.",
    ("a2", 1): "The White House promised more shells.",
}
Z95 = 1.959963984540054  # the 97.5% standard normal quantile


def make_coded(codes=CODES) -> pd.DataFrame:
    return pd.DataFrame([(coder, a, s, labels) for (a, s), by_coder in codes.items()
                         for coder, labels in by_coder.items()],
                        columns=["coder", "article_id", "sentence_id", "labels"])


def make_tool(rows=TOOL_ROWS) -> pd.DataFrame:
    tool = pd.DataFrame(rows, columns=["article_id", "sentence_id", "dimension", "label",
                                       "negated", "cue"])
    return tool.assign(modality="commitment")


def make_sentences() -> pd.DataFrame:
    return pd.DataFrame([(a, s, text) for (a, s), text in TEXTS.items()],
                        columns=["article_id", "sentence_id", "text"])


def alpha_by_hand(units: list[list]) -> float:
    """Nominal alpha from the coincidence matrix: each unit lists the values it got.

    o_ck sums, over units with m_u >= 2 values, the ordered pairs of values (c, k) from
    different coders divided by m_u - 1; alpha = 1 - (n-1) sum_{c!=k} o_ck / sum_{c!=k}
    n_c n_k, with n_c the margins of o and n their total.
    """
    o: dict[tuple, float] = defaultdict(float)
    for values in units:
        m = len(values)
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    o[(c, k)] += 1 / (m - 1)
    n_c: dict = defaultdict(float)
    for (c, _), count in o.items():
        n_c[c] += count
    n = sum(n_c.values())
    observed = sum(count for (c, k), count in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    return 1 - (n - 1) * observed / expected


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z95 ** 2 / (2 * n)) / (1 + Z95 ** 2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n ** 2)) / (1 + Z95 ** 2 / n)
    return centre - half, centre + half


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the example with
# missing data: observers A-D (rows), units 1-12 (columns), nominal alpha 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def test_alpha_nominal_reproduces_krippendorffs_worked_example():
    alpha = agreement.alpha_nominal(KRIPPENDORFF_2011)
    assert round(alpha, 3) == 0.743
    units = [[v for v in column if v == v] for column in zip(*KRIPPENDORFF_2011, strict=True)]
    assert alpha == pytest.approx(alpha_by_hand([u for u in units if len(u) >= 2]), abs=1e-12)


def test_alpha_nominal_matches_the_coincidence_matrix_by_hand():
    # Two coders, units (a, a), (a, b), (b, b), and a unit only one coder coded:
    # o_aa = o_bb = 2, o_ab = o_ba = 1, n_a = n_b = 3, so alpha = 1 - 5 * 2 / 18.
    data = [[0, 0, 1, 1], [0, 1, 1, NAN]]
    assert agreement.alpha_nominal(data) == pytest.approx(4 / 9, abs=1e-12)
    assert agreement.alpha_nominal(data) == pytest.approx(
        alpha_by_hand([[0, 0], [0, 1], [1, 1]]), abs=1e-12)


def test_perfect_agreement_gives_one_and_systematic_disagreement_a_negative_alpha():
    assert agreement.alpha_nominal([[0, 1, 2, NAN], [0, 1, 2, 2], [0, NAN, 2, 2]]) == 1.0
    # Each coder says the opposite of the other: n_0 = n_1 = 2, alpha = 1 - 3 * 4 / 8.
    assert agreement.alpha_nominal([[1, 0], [0, 1]]) == pytest.approx(-0.5, abs=1e-12)


@pytest.mark.parametrize("data", [
    [[1, 1, 1], [1, 1, 1]],  # no variation: the package raises
    [[1, NAN], [NAN, 0]],  # no unit with two values: the package raises
    [[0, 1], [0, NAN]],  # the second value is unpaired: the package divides 0 by 0
    np.empty((2, 0)),
])
def test_undefined_alpha_is_nan_without_warnings(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(agreement.alpha_nominal(data))


def test_alpha_nominal_rejects_data_not_coders_by_units():
    with pytest.raises(ValueError, match="2-D"):
        agreement.alpha_nominal([1, 0, 1])


def test_consensus_keeps_majorities_and_returns_ties_apart():
    labels, ties, units = agreement.consensus(make_coded())
    assert list(labels.columns) == list(agreement.CONSENSUS_COLUMNS)
    assert labels.to_records(index=False).tolist() == [
        ("a1", 0, "form", "troop_deployment", 2, 3),
        ("a1", 0, "guarantor", "united_states", 3, 3),
        ("a1", 1, "guarantor", "europe", 2, 3),
        ("a2", 1, "form", "military_aid", 1, 1),
        ("a2", 1, "guarantor", "united_states", 1, 1),
    ]
    assert ties.to_records(index=False).tolist() == [("a2", 0, "guarantor", "nato", 1, 2)]
    assert units.to_records(index=False).tolist() == [
        ("a1", 0, 3), ("a1", 1, 3), ("a1", 2, 3), ("a2", 0, 2), ("a2", 1, 1)]


def test_consensus_of_one_coder_is_that_coder():
    labels, ties, units = agreement.consensus(make_coded({("a1", 0): {"ann": (US, EU)},
                                                          ("a1", 1): {"ann": ()}}))
    assert sorted(zip(labels["dimension"], labels["label"], strict=True)) == [EU, US]
    assert ties.empty and len(units) == 2


def scored():
    return agreement.consensus(make_coded()), make_tool()


def test_tool_scores_count_hits_misses_and_false_alarms():
    agreed, tool = scored()
    table = agreement.tool_scores(agreed, tool, VOCABULARY)
    # label: tp, fp, fn, precision, recall, f1
    expected = {
        ("guarantor", "united_states"): (2, 0, 0, 1.0, 1.0, 1.0),
        ("guarantor", "europe"): (1, 0, 0, 1.0, 1.0, 1.0),
        ("guarantor", "nato"): (0, 1, 0, 0.0, NAN, NAN),  # the tied sentence left out
        ("guarantor", "(all)"): (3, 1, 0, 0.75, 1.0, 6 / 7),
        ("form", "troop_deployment"): (0, 0, 1, NAN, 0.0, NAN),  # the tool negated it
        ("form", "military_aid"): (1, 1, 0, 0.5, 1.0, 2 / 3),
        ("form", "(all)"): (1, 1, 1, 0.5, 0.5, 0.5),
    }
    assert list(zip(table["dimension"], table["label"], strict=True)) == list(expected)
    got = table[["tp", "fp", "fn", "precision", "recall", "f1"]].to_numpy(dtype=float)
    np.testing.assert_allclose(got, np.array(list(expected.values()), dtype=float),
                               rtol=0, atol=1e-12)
    pooled = table.iloc[3]
    low, high = wilson_by_hand(3, 4)
    assert (pooled["precision_low"], pooled["precision_high"]) == pytest.approx(
        (low, high), abs=1e-12)
    assert 0.30 < low < 0.31 and 0.95 < high < 0.96
    assert (pooled["recall_low"], pooled["recall_high"]) == pytest.approx(
        wilson_by_hand(3, 3), abs=1e-12)


def test_tool_scores_leave_out_exactly_the_tied_label():
    agreed, tool = scored()
    untied = agreed._replace(ties=agreed.ties.iloc[:0])
    table = agreement.tool_scores(untied, tool, VOCABULARY).set_index("label")
    assert table.loc["nato", "fp"] == 2  # the tied sentence counts once untied


def test_confusion_table_crosses_label_sets():
    agreed, tool = scored()
    guarantor = agreement.confusion_table(agreed, tool, "guarantor")
    names = ["none", "europe", "europe+nato", "united_states"]
    assert list(guarantor.columns) == ["consensus", *names]
    assert guarantor["consensus"].tolist() == names
    assert guarantor[names].to_numpy().tolist() == [
        [2, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 2]]
    form = agreement.confusion_table(agreed, tool, "form")
    assert form.set_index("consensus").to_dict("index") == {
        "none": {"none": 2, "military_aid": 1, "troop_deployment": 0},
        "military_aid": {"none": 0, "military_aid": 1, "troop_deployment": 0},
        "troop_deployment": {"none": 1, "military_aid": 0, "troop_deployment": 0},
    }


def test_disagreements_list_each_differing_label_with_cue_and_text():
    agreed, tool = scored()
    table = agreement.disagreements(agreed, tool, make_sentences())
    assert list(table.columns) == ["article_id", "sentence_id", "dimension", "label",
                                   "coders", "tool", "cue", "text"]
    assert table.to_records(index=False).tolist() == [
        ("a1", 0, "form", "troop_deployment", "affirmed", "not", "", TEXTS[("a1", 0)]),
        ("a1", 1, "guarantor", "nato", "not", "affirmed", "nato: the alliance",
         TEXTS[("a1", 1)]),
        ("a1", 2, "form", "military_aid", "not", "affirmed", "aid: air defence; aid: shells",
         TEXTS[("a1", 2)]),
    ]


def test_alpha_table_compares_coders_and_the_tool_with_each():
    table = agreement.alpha_table(make_coded(), make_tool(), VOCABULARY)
    comparisons = ["coders", "tool vs ann", "tool vs ben", "tool vs cat"]
    assert table["comparison"].tolist()[:4] == comparisons
    assert len(table) == (3 + 1 + 2 + 1) * len(comparisons)
    row = table.set_index(["dimension", "label", "comparison"])
    assert row.loc[("guarantor", "united_states", "coders"), "n_units"] == 4
    assert row.loc[("guarantor", "united_states", "coders"), "alpha"] == 1.0
    # Europe, sentences a1-0, a1-1, a1-2, a2-0 (a2-1 had one coder only).
    assert row.loc[("guarantor", "europe", "coders"), "alpha"] == pytest.approx(
        alpha_by_hand([[1, 0, 0], [1, 1, 0], [0, 0, 0], [0, 0]]), abs=1e-12)
    assert row.loc[("guarantor", "europe", "tool vs ann"), "alpha"] == pytest.approx(
        alpha_by_hand([[0, 1], [1, 1], [0, 0], [0, 0]]), abs=1e-12)
    any_label = row.loc[("guarantor", "(any label)", "tool vs ann")]
    assert any_label["n_units"] == 4
    assert any_label["alpha"] == pytest.approx(alpha_by_hand([
        ["united_states", "europe+united_states"], ["europe+nato", "europe"],
        ["none", "none"], ["nato", "nato"]]), abs=1e-12)
    # Neither cat nor the tool ever affirms troops: no variation, alpha undefined.
    troops = row.loc[("form", "troop_deployment", "tool vs cat")]
    assert troops["n_units"] == 4 and math.isnan(troops["alpha"])


def test_alpha_table_has_no_coders_row_with_one_coder_and_takes_the_real_vocabulary():
    coded = make_coded()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = agreement.alpha_table(coded[coded["coder"] == "cat"], make_tool(),
                                      guarantee_vocabulary())
    assert set(table["comparison"]) == {"tool vs cat"}
    assert len(table) == sum(len(labels) + 1 for labels in guarantee_vocabulary().values())


@pytest.mark.parametrize("change, message", [
    (lambda c, t: (c.drop(columns="labels"), t), "coded lacks columns"),
    (lambda c, t: (c, t.drop(columns="cue")), "tool lacks columns"),
    (lambda c, t: (c, t.astype({"negated": str})), "must be bool"),
    (lambda c, t: (pd.concat([c, c.head(1)]), t), "twice"),
    (lambda c, t: (c.assign(labels=["europe"] * len(c)), t), "pairs"),
    (lambda c, t: (c, t.assign(label="moon")), "outside the vocabulary"),
])
def test_alpha_table_rejects_bad_inputs(change, message):
    coded, tool = change(make_coded(), make_tool())
    with pytest.raises(ValueError, match=message):
        agreement.alpha_table(coded, tool, VOCABULARY)


def test_scoring_functions_reject_bad_inputs():
    agreed, tool = scored()
    with pytest.raises(ValueError, match="dimension must be one of"):
        agreement.confusion_table(agreed, tool, "guarantors")
    with pytest.raises(ValueError, match="consensus units lacks columns"):
        agreement.tool_scores(agreed._replace(units=agreed.units.drop(columns="sentence_id")),
                              tool, VOCABULARY)
    with pytest.raises(ValueError, match="sentences lacks columns"):
        agreement.disagreements(agreed, tool, make_sentences().drop(columns="text"))
