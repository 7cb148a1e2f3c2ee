"""Modality of guarantee labels (codebook section 5) and matching on normalised text.

Every sentence here is written for these tests.
"""

from __future__ import annotations

import pytest

from analysis.data.text import matching_text
from analysis.measures.framing import MODALITIES, guarantee_mentions

from factories import sentences_table


def modalities_of(text: str) -> dict[tuple[str, str, bool], str]:
    mentions = guarantee_mentions(sentences_table(text))
    return {(row.dimension, row.label, row.negated): row.modality
            for row in mentions.itertuples(index=False)}


@pytest.mark.parametrize("text, key, expected", [
    # Offers, plans and refusals are asserted.
    ("Washington has offered Kyiv an Article 5-like security guarantee.",
     ("guarantor", "united_states", False), "asserted"),
    ("Berlin ruled out sending soldiers to Ukraine.",
     ("form", "troop_deployment", True), "asserted"),
    # Demands: the one asked is the guarantor, and the label is demanded.
    ("Kyiv insists on a binding US security guarantee.",
     ("guarantor", "united_states", False), "demanded"),
    ("The Ukrainian president called for European troops in Ukraine after a truce.",
     ("form", "troop_deployment", False), "demanded"),
    # A demand phrased as a condition is a demand, and not a negation.
    ("Kyiv will not sign a peace deal without a US security guarantee.",
     ("guarantor", "united_states", False), "demanded"),
    # Conditions, possibilities and questions.
    ("European troops could deploy to Ukraine as part of the security guarantees.",
     ("form", "troop_deployment", False), "conditional"),
    ("Britain would send troops to Ukraine as a security guarantee once a ceasefire holds.",
     ("form", "troop_deployment", False), "conditional"),
    ("It is unclear whether the United States will provide air cover as a security "
     "guarantee.",
     ("form", "military_aid", False), "conditional"),
    ("Will Europe send peacekeepers to Ukraine as a security guarantee?",
     ("form", "troop_deployment", False), "conditional"),
    # A guarantee's trigger is no doubt about the guarantee.
    ("Britain will send troops to Ukraine as a security guarantee in the event of a new attack.",
     ("form", "troop_deployment", False), "asserted"),
    # "not ... unless" sets a condition that the one who asks demands; what it would do
    # under that condition is conditional, not refused.
    ("Paris will not deploy troops unless it gets a US security guarantee.",
     ("guarantor", "united_states", False), "demanded"),
    ("Paris will not deploy troops unless it gets a US security guarantee.",
     ("form", "troop_deployment", False), "conditional"),
    # Openness, prospects and undecided plans are possibilities; "demands" the noun is no
    # demand; a hope for the guarantee is one.
    ("The White House is open to offering an Article 5-like security guarantee.",
     ("guarantor", "united_states", False), "conditional"),
    ("The prospect of American air cover as a security guarantee pleased Paris.",
     ("guarantor", "united_states", False), "conditional"),
    ("Washington gave up its toughest demands and offered a US security guarantee.",
     ("guarantor", "united_states", False), "asserted"),
    ("Paris still hopes that the United States will provide a security backstop.",
     ("guarantor", "united_states", False), "demanded"),
    # An obligation someone sets is a demand.
    ("Europe should provide the security guarantees, the US envoy said.",
     ("guarantor", "europe", False), "demanded"),
    ("Washington must back any European force with air cover as a security guarantee.",
     ("guarantor", "united_states", False), "demanded"),
])
def test_modality_of_each_construction(text, key, expected):
    assert modalities_of(text)[key] == expected


def test_a_marker_in_another_clause_does_not_reach_the_cue():
    # The demand is in the second clause; the troops of the first are offered.
    found = modalities_of("France will send troops to Ukraine as a security guarantee, "
                          "but Kyiv wants a US backstop.")
    assert found[("form", "troop_deployment", False)] == "asserted"
    assert found[("guarantor", "united_states", False)] == "demanded"


def test_the_cue_names_what_made_a_label_demanded_or_conditional():
    mentions = guarantee_mentions(sentences_table(
        "Kyiv insists on a binding US security guarantee."))
    cue = mentions.loc[mentions["label"] == "united_states", "cue"].item()
    assert "[demanded by 'insists']" in cue


def test_every_modality_is_in_the_vocabulary():
    mentions = guarantee_mentions(sentences_table(
        "Washington has offered an Article 5-like security guarantee.",
        "Kyiv wants a US security guarantee.",
        "Europe might send troops to Ukraine under a security guarantee."))
    assert set(mentions["modality"]) == set(MODALITIES)


@pytest.mark.parametrize("raw, normal", [
    ("Europe\u2019s \u201cbackstop\u201d", "Europe's \"backstop\""),
    ("Kyiv won\u02bct sign", "Kyiv won't sign"),
    ("security\u00ad guarantee\u200b", "security guarantee"),
    ("US &amp; UK &#8212; allies", "US & UK - allies"),
    ("plain ASCII stays as it is", "plain ASCII stays as it is"),
])
def test_matching_text_folds_what_reads_the_same(raw, normal):
    assert matching_text(raw) == normal


@pytest.mark.parametrize("variant", [
    "Ukraine\u2019s security is Europe\u2019s responsibility.",
    "Ukraine\u02bcs security is Europe\u02bcs responsibility.",
    "Ukraine&#8217;s security is Europe&#8217;s responsibility.",
    "Ukraine's security is Europe\u00ads responsibility.".replace("\u00ads", "'s"),
])
def test_typographic_variants_and_entities_give_the_same_labels(variant):
    assert modalities_of(variant) == modalities_of(
        "Ukraine's security is Europe's responsibility.")
