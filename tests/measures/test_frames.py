"""Tests for analysis.measures.framing.generic_frames: cue words count only in the frame's sense
(codebook section 7), on sentences written for these tests."""

from __future__ import annotations

import pytest

from analysis.measures.framing import generic_frames
from analysis.measures.framing.frames import _frame_lexicon

from factories import sentences_table


def frames_of(text: str) -> dict[str, str]:
    table = generic_frames(sentences_table(text))
    return dict(zip(table["frame"], table["cue"], strict=True))


@pytest.mark.parametrize(("text", "frame"), [
    ("Kyiv says it won\u2019t accept the plan.", "conflict"),
    ("Kyiv says it won\u02bct accept the plan.", "conflict"),
    ("Kyiv says it won&#8217;t accept the plan.", "conflict"),
    ("Moscow reported territorial gains near the river.", "economic_consequences"),
    ("Battlefield gains came slowly this spring.", "economic_consequences"),
    ("The army suffered heavy losses in the east.", "economic_consequences"),
    ("Leaders vowed to defend the city at all costs.", "economic_consequences"),
    ("The offensive cost many lives.", "economic_consequences"),
    ("The envoy paid a visit to the capital.", "economic_consequences"),
    ("Ministers paid tribute to the fallen.", "economic_consequences"),
    ("Aggressors will pay a heavy price.", "economic_consequences"),
    ("Three million people have fled their homes.", "economic_consequences"),
    ("Investigators examined the wreckage.", "economic_consequences"),
    ("The army keeps stocks of ammunition near the front.", "economic_consequences"),
    ("Aid workers reached the village.", "economic_consequences"),
    ("Drones hit energy infrastructure overnight.", "economic_consequences"),
    ("Europe should pay its fair share of the bill.", "morality"),
    ("The sides agreed in principle to meet again.", "morality"),
    ("Troop morale was low after the winter.", "morality"),
    ("The Ministry of Justice issued a statement.", "morality"),
    ("It was not immediately clear who fired first.", "responsibility"),
    ("Troops captured the settlement of Novoye.", "responsibility"),
    ("A missile slammed into an apartment block.", "conflict"),
    ("Residents spent the night in a metro station.", "economic_consequences"),
    ("The agency did not immediately respond.", "responsibility"),
    ("The treaty tears up the old rules.", "human_interest"),
    ("The hostilities resumed at dawn.", "conflict"),
    ("Trump's personal envoy flew to Moscow.", "human_interest"),
])
def test_a_cue_word_in_another_sense_signals_no_frame(text, frame):
    assert frame not in frames_of(text)


@pytest.mark.parametrize(("text", "frame", "cue"), [
    ("They won the vote in parliament.", "conflict", "q14_winners_losers: 'won'"),
    ("The fund posted financial gains this year.", "economic_consequences",
     "q18_financial_losses_gains: 'financial gains'"),
    ("Firms reported heavy trade losses.", "economic_consequences",
     "q18_financial_losses_gains: 'trade losses'"),
    ("Rebuilding will cost \u20ac40 billion.", "economic_consequences", "q19_costs: 'cost'"),
    ("Allies should pay for the air defence.", "economic_consequences", "q19_costs: 'pay'"),
    ("We share common values with Europe.", "morality",
     "q15_moral_message: 'common values'"),
    ("A fair peace must respect international law.", "morality", "q15_moral_message: 'fair'"),
    ("Leaders called for an immediate ceasefire.", "responsibility",
     "q5_urgent_action: 'immediate'"),
    ("A compromise is the only way out.", "responsibility",
     "q3_solution: 'compromise'"),
    ("Sanctions hurt Russia\u2019s economy.", "economic_consequences",
     "q20_economic_consequences: 'hurt Russia's economy'"),
    ("They lost the town after a long siege.", "conflict", "q14_winners_losers: 'lost'"),
    ("Investors expect energy prices to fall.", "economic_consequences",
     "q20_economic_consequences: 'energy prices'"),
])
def test_a_cue_word_in_the_frames_sense_signals_it(text, frame, cue):
    cues = frames_of(text)
    assert frame in cues
    assert cue in cues[frame]


def test_typographic_variants_give_the_same_frames():
    plain = frames_of("Families can't afford the costs, the mayor's office said.")
    for variant in ("Families can\u2019t afford the costs, the mayor\u2019s office said.",
                    "Families can&#8217;t afford the costs, the mayor&rsquo;s office said.",
                    "Fami\u00adlies can't afford the costs, the mayor's office said."):
        assert frames_of(variant) == plain
    assert set(plain) == {"human_interest", "economic_consequences"}


def test_every_exclusion_names_a_question_of_its_frame_file():
    lex = _frame_lexicon()
    questions = {group for regex in lex.regexes.values() for group in regex.groupindex}
    assert lex.exclusions and set(lex.exclusions) <= questions
