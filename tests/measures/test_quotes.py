"""Tests for analysis.measures.framing.extract_quotes: every attribution the codebook (section 6)
names, on sentences written for these tests; names not in speakers.yaml included."""

from __future__ import annotations

import pytest

from analysis.measures.framing import UNKNOWN_SPEAKER, extract_quotes

from factories import sentences_table


def quotes_of(*lines) -> list[tuple[int, str, str]]:
    table = extract_quotes(sentences_table(*lines))
    return list(zip(table["sentence_id"], table["speaker"], table["quote"], strict=True))


def speakers_of(*lines) -> list[str]:
    return [speaker for _, speaker, _ in quotes_of(*lines)]


@pytest.mark.parametrize("text", [
    '"The border stays shut," Lena Moravec said.',
    'Lena Moravec said, "The border stays shut."',
    '"The border stays shut," said Lena Moravec.',
    'Lena Moravec, the foreign minister, said: "The border stays shut."',
    "Lena Moravec, Slovakia's top diplomat, also said \"the border stays shut.\"",
    'Lena Moravec told reporters: "The border stays shut."',
    '"The border stays shut," Lena Moravec told journalists in Vienna.',
    '"The border stays shut," Lena Moravec told the BBC.',
    '"The border stays shut," according to Lena Moravec.',
    '"The border stays shut," Lena Moravec said in a statement.',
    'Lena Moravec wrote on Telegram: "The border stays shut."',
    'Lena Moravec wrote on X: "The border stays shut."',
    'Lena Moravec: "The border stays shut."',
    'Foreign Minister Lena Moravec said: "The border stays shut."',
    "Slovakia's Foreign Minister Lena Moravec said \"the border stays shut.\"",
])
def test_a_speaker_the_text_names_is_resolved_from_the_name(text):
    assert speakers_of(text) == ["Lena Moravec"]


@pytest.mark.parametrize(("text", "speaker"), [
    ('French President Emmanuel Macron said: "Europe has to be ready."', "Emmanuel Macron"),
    ("Ukraine's Foreign Minister Andrii Sybiha said \"air defence comes first.\"",
     "Andrii Sybiha"),
    ('U.S. Secretary of State Marco Rubio told reporters, "A deal is within reach."',
     "Marco Rubio"),
    ('"A deal is within reach," Rubio, the secretary of state, said.', "Marco Rubio"),
])
def test_titled_and_known_names_map_to_the_canonical_speaker(text, speaker):
    assert speakers_of(text) == [speaker]


def test_surname_after_the_full_name_is_the_same_speaker():
    assert speakers_of('Finnish envoy Tomas Halla said, "We stay calm."',
                       'The talks go on.',
                       '"Nothing is settled yet," Halla added.') == ["Tomas Halla", "Tomas Halla"]


@pytest.mark.parametrize("char", ["\u201c\u201d", '""', "\u00ab\u00bb"])
def test_typographic_straight_and_guillemet_quotes_work_alike(char):
    opening, closing = char
    text = f"{opening}It\u2019s time to act,{closing} Lena Moravec said."
    assert quotes_of(text) == [(0, "Lena Moravec", "It's time to act")]


def test_apostrophes_and_entities_do_not_break_names_or_quotes():
    assert speakers_of("Ukraine\u02bcs Foreign Minister Andrii Sybiha said "
                       "\u201cair defence comes first.\u201d") == ["Andrii Sybiha"]
    assert quotes_of("Lena Moravec said &quot;the border stays shut for now&quot;.") == [
        (0, "Lena Moravec", "the border stays shut for now")]


def test_speaker_named_in_the_next_sentence():
    assert quotes_of("\u201cWe are ready for anything.\u201d",
                     "That was the message of Lena Moravec on Sunday.") == [
        (0, "Lena Moravec", "We are ready for anything.")]
    assert quotes_of('"We are ready for anything."', "Lena Moravec said.") == [
        (0, "Lena Moravec", "We are ready for anything.")]


def test_a_quote_paragraph_cut_into_sentences_takes_the_speaker_named_after_it():
    rows = quotes_of(("body", 0, '"We will hold the line.'),
                     ("body", 0, 'We will not trade land for promises."'),
                     ("body", 1, "Lena Moravec told reporters on Monday."))
    assert rows == [(0, "Lena Moravec", "We will hold the line."),
                    (1, "Lena Moravec", "We will not trade land for promises.")]
    rows = quotes_of(("body", 0, '"We will hold the line.'),
                     ("body", 0, 'We will not trade land," Lena Moravec said.'))
    assert [speaker for _, speaker, _ in rows] == ["Lena Moravec", "Lena Moravec"]


def test_a_next_sentence_that_says_more_does_not_name_the_quote():
    assert speakers_of('"We are ready for anything."',
                       "Lena Moravec said the talks had failed.") == [UNKNOWN_SPEAKER]
    assert speakers_of('"We are ready for anything."', "The talks resume on Monday.",
                       "Lena Moravec said.") == [UNKNOWN_SPEAKER]


def test_a_sentence_opening_with_a_quote_goes_on_with_the_speaker_before():
    rows = quotes_of(("body", 0, '"We are ready," Lena Moravec said.'),
                     ("body", 0, '"We will not wait forever."'))
    assert [speaker for _, speaker, _ in rows] == ["Lena Moravec", "Lena Moravec"]
    # A quote paragraph with no attribution of its own, right after a sentence that names
    # a speaker, goes on with that speaker (news copy: "..." Peskov said. / "...").
    rows = quotes_of(("body", 0, '"We are ready," Lena Moravec said.'),
                     ("body", 1, '"We will not wait forever.'),
                     ("body", 1, 'Nobody should doubt it."'))
    assert [speaker for _, speaker, _ in rows] == ["Lena Moravec"] * 3
    rows = quotes_of(("body", 0, "Lena Moravec said the meeting went well."),
                     ("body", 1, 'Quote: "We will not wait forever."'))
    assert [speaker for _, speaker, _ in rows] == ["Lena Moravec"]
    # A sentence that names no one in between, or a speaker named later, breaks it.
    rows = quotes_of(("body", 0, '"We are ready," Lena Moravec said.'),
                     ("body", 1, "The talks resume on Monday."),
                     ("body", 2, '"We will not wait forever."'))
    assert [speaker for _, speaker, _ in rows] == ["Lena Moravec", UNKNOWN_SPEAKER]
    rows = quotes_of(("body", 0, '"We are ready," Lena Moravec said.'),
                     ("body", 1, '"We will not wait forever," Ivo Brandt said.'))
    assert [speaker for _, speaker, _ in rows] == ["Lena Moravec", "Ivo Brandt"]


@pytest.mark.parametrize(("lines", "speaker"), [
    # An office refers back to the person the article introduced with it.
    (["Slovak Prime Minister Lena Moravec met her Czech counterpart.",
      'The prime minister said: "We agree on the border."'], "Lena Moravec"),
    (["Slovak Prime Minister Lena Moravec met the envoy.",
      '"We agree on the border," said the prime minister.'], "Lena Moravec"),
    (["Slovak Prime Minister Lena Moravec met the envoy.",
      'The PM stressed that the border "stays shut for now and for good."'], "Lena Moravec"),
    # With an origin: the person introduced with that origin, or a known speaker of that
    # side introduced without one.
    (["U.S. President Donald Trump called Kyiv.", "Ukrainian President Ivo Brandt answered.",
      'The US president said: "The deal is close."'], "Donald Trump"),
    (["President Volodymyr Zelensky met President Donald Trump.",
      'The Ukrainian president added that "the guarantees come first of all."'],
     "Volodymyr Zelensky"),
    # Not introduced with an office: the last person named who holds it (speakers.yaml).
    (["Trump arrived in Oslo.",
      'The US president praised the talks as "a step forward for all of us."'], "Donald Trump"),
    (["Biden had signed the pact.", "Trump arrived in Oslo.",
      'The president said: "We are here."'], "Donald Trump"),
    # "Sir" and a first name.
    (["Sir Tobias Wren opened the summit.", '"We are ready," Sir Tobias said.'],
     "Tobias Wren"),
    # The sentence's subject speaks through a participle or a colon.
    (["Lena Moravec ruled out sending troops, adding that a force would be "
      '"the most difficult decision of all."'], "Lena Moravec"),
    (["Slovak Prime Minister Lena Moravec met the envoy.",
      'The prime minister went further, questioning the plan: "Who would command it?"'],
     "Lena Moravec"),
    # "According to him", and "he" after a sentence that opens with its subject.
    (["Slovak Prime Minister Lena Moravec spoke to reporters.",
      'According to her, "the border stays shut for now."'],
     "Lena Moravec"),
    (['"Talks are useful," Ivo Brandt said.', "Foreign Minister Lena Moravec convened it.",
      'She said there was "a stronger resolve than before."'], "Lena Moravec"),
    (['Lena Moravec, for her part, said she felt "quietly hopeful today."'], "Lena Moravec"),
])
def test_a_person_referred_to_by_office_or_as_subject_is_resolved(lines, speaker):
    assert speakers_of(*lines)[-1:] == [speaker]


def test_an_office_never_introduced_or_a_name_that_is_no_subject_names_no_one():
    assert speakers_of("The talks went on.",
                       'The prime minister said: "We agree."') == [UNKNOWN_SPEAKER]
    # "Lena Moravec, Ivo Brandt to meet" opens a line but is no subject: "he" stays Brandt's.
    assert speakers_of('"Talks are useful," Ivo Brandt said.',
                       "Lena Moravec, Ivo Brandt to meet in Vienna",
                       '"We are close," he said.') == ["Ivo Brandt", "Ivo Brandt"]


def test_he_and_she_added_go_back_to_the_last_named_person():
    assert speakers_of('Lena Moravec said, "Talks are useful."', "Reuters reported the date.",
                       '"But they are slow," she added.') == ["Lena Moravec", "Lena Moravec"]


def test_unnamed_speakers_stay_unknown_and_scare_quotes_are_no_quotes():
    assert speakers_of('"We will never accept such terms," one diplomat said.') == [
        UNKNOWN_SPEAKER]
    assert speakers_of('"We will never accept such terms."') == [UNKNOWN_SPEAKER]
    assert quotes_of('Leaders met the "coalition of volunteers" in Rome.') == []
    assert quotes_of("Leaders met the \u00abreassurance force\u00bb in Rome.") == []
