"""Tests for the fast matching inside analysis.measures.framing: each compiled shortcut must find
exactly what the plain form of the same rules finds.

The shortcuts are letter-factored alternations, frame cues tried only where some cue can
start, gate and form matches shared, keyword sets found once a sentence. The texts are the
seed articles, the framing test articles and the hand-made sentences, each also upper-
and lower-cased (case-insensitive rules must not depend on the case of the text).
"""

from __future__ import annotations

import re

import pytest

from analysis.data.corpus import build_corpus_tables
from analysis.measures.framing import guarantee_rules, speakers
from analysis.measures.framing.frames import _frame_lexicon
from analysis.measures.framing.guarantee_rules import _guarantee_lexicon
from analysis.measures.framing.guarantees import _gated_forms, _role_matches
from analysis.measures.framing.rules import (
    _alternation,
    _KeywordFinder,
    _matches_at,
    _spelled_out,
    _splits_at_top,
)
from analysis.measures.framing.sentences import _clean
from analysis.measures.framing.speakers import _speaker_lexicon

from factories import FIXTURES, SEED_RAW

HAND_MADE = [
    "Zelensky wants security guarantees from the United States.",
    "Trump, Donald Trump and President Donald J. Trump said the U.S. and the USA would help.",
    "We will send troops, Macron said, and the UK, not the U.K., agreed.",
    "The so-called deal was dubbed a “reassurance force” by Starmer’s office.",
    "Tusk and tusk and TUSK: NATO-style, U.S.-led, Britain and France.",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = list(HAND_MADE)
    for raw in (SEED_RAW, FIXTURES / "framing"):
        found += list(build_corpus_tables(raw)[1]["text"])
    return found + [t.upper() for t in found] + [t.lower() for t in found]


def plain_alternation(patterns: list[str]) -> str:
    """The alternation before factoring: every spelling a branch, longest first."""
    ordered = sorted(dict.fromkeys(patterns), key=lambda p: (-len(p), p))
    return "(?:" + "|".join(f"(?:{p})" for p in ordered) + ")"


def spans(regex: re.Pattern, text: str) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in regex.finditer(text)]


# ---------------------------------------------------------------------------
# Letter-factored alternations


def test_optional_head_is_spelled_out_in_the_same_order():
    assert _spelled_out(r"(?:Donald\s+)?Trump") == [r"Donald\s+Trump", "Trump"]
    assert _spelled_out(r"(?:J\.?\s?D\.?\s+)?Vance") == [r"J\.?\s?D\.?\s+Vance", "Vance"]
    # Not a plain optional head: kept whole.
    for pattern in (r"(?-i:USA|US)", r"(?:a|b)?c", r"(?:Donald\s+)?Trump|Biden", r"(?:[ab])?c"):
        assert _spelled_out(pattern) == [pattern]


@pytest.mark.parametrize(("pattern", "splits"), [
    ("a|b", True), ("(a|b)", False), ("[|]a", False), (r"\|a", False), ("[]|]", False),
    ("[^]|]x", False), (r"[\]|]", False), ("(?:a)|b", True), ("a(?:b|c)", False),
])
def test_splits_at_top(pattern, splits):
    assert _splits_at_top(pattern) is splits


def test_factored_alternation_keeps_the_order_of_spellings_that_compete():
    spellings = ["Tusk", "tusk", "Trump", "Tom", r"(?-i:US)", r"(?:Donald\s+)?Trump"]
    alternation = _alternation(spellings)
    # "tusk" may match where "Tusk" and "Tom" do (IGNORECASE): "Tom" stays after it.
    assert alternation == (r"(?:D(?:(?:onald\s+Trump))|T(?:(?:rump))|(?:(?-i:US))"
                           r"|T(?:(?:rump)|(?:usk))|t(?:(?:usk))|T(?:(?:om)))")
    for flags in (0, re.IGNORECASE):
        factored = re.compile(alternation, flags)
        plain = re.compile(plain_alternation(spellings), flags)
        for text in ("Tusk tusk TUSK Trump US us Tom tom", "Donald  trumpus tomTusk"):
            assert spans(factored, text) == spans(plain, text)


def test_actor_and_speaker_regexes_match_as_with_plain_alternations(texts, monkeypatch):
    factored_lexicons = (_guarantee_lexicon(), _speaker_lexicon())
    # Both compilers call the alternation they imported: patch it in each.
    monkeypatch.setattr(guarantee_rules, "_alternation", plain_alternation)
    monkeypatch.setattr(speakers, "_alternation", plain_alternation)
    _guarantee_lexicon.cache_clear()
    _speaker_lexicon.cache_clear()
    try:
        plain_lexicons = (_guarantee_lexicon(), _speaker_lexicon())
    finally:
        _guarantee_lexicon.cache_clear()
        _speaker_lexicon.cache_clear()
    factored_g, factored_s = factored_lexicons
    plain_g, plain_s = plain_lexicons
    pairs = [
        *zip(factored_g.finders.values(), plain_g.finders.values(), strict=True),
        *((f.regex, p.regex) for f, p in zip(factored_g.roles, plain_g.roles, strict=True)),
        (factored_g.contrast, plain_g.contrast),
        (factored_g.first_person, plain_g.first_person),
        (factored_s.alias_at_start, plain_s.alias_at_start),
        (factored_s.titled_alias_at_start, plain_s.titled_alias_at_start),
    ]
    assert all(f.pattern != p.pattern for f, p in pairs[:2])  # factoring did happen
    for factored, plain in pairs:
        for text in texts:
            assert spans(factored, text) == spans(plain, text), (plain.pattern[:60], text)
    # End-anchored: searched on the text before each word, as resolve_before does.
    for text in texts:
        for cut in (m.start() for m in re.finditer(r"\s\S", text)):
            before = text[:cut]
            f, p = factored_s.alias_at_end.search(before), plain_s.alias_at_end.search(before)
            assert (f and (f.span(), f.groupdict())) == (p and (p.span(), p.groupdict()))


# ---------------------------------------------------------------------------
# Frames: cues tried only where some cue can start


def test_matches_at_anchors_equals_finditer(texts):
    lex = _frame_lexicon()
    for text in texts:
        lowered = text.lower()
        starts = [m.start() for m in lex.anchor.finditer(lowered)]
        for regex in lex.regexes.values():
            assert ([(m.span(), m.lastgroup) for m in _matches_at(regex, lowered, starts)]
                    == [(m.span(), m.lastgroup) for m in regex.finditer(lowered)])


def test_actor_led_roles_match_only_at_actor_starts_as_everywhere(texts):
    lex = _guarantee_lexicon()
    anchored = [role for role in lex.roles if role.anchored]
    assert {role.kind for role in anchored} == {"names", "adjectives"}
    assert not any(role.anchored for role in lex.roles if role.rule_id == "partner")
    for text in texts:
        starts = {}
        for role in lex.roles:
            assert ([(m.span(), m.group(0)) for m in _role_matches(role, text, lex, starts)]
                    == [(m.span(), m.group(0)) for m in role.regex.finditer(text)]), role.rule_id


def test_matches_at_skips_starts_inside_a_match():
    regex = re.compile(r"ab|b")
    assert [m.span() for m in _matches_at(regex, "abb", [0, 1, 2])] == [(0, 2), (2, 3)]


# ---------------------------------------------------------------------------
# Guarantees: gate, keywords


def test_gate_is_any_rule_with_its_keywords(texts):
    lex = _guarantee_lexicon()
    for text in texts:
        lowered = text.lower()
        expected = any(any(k in lowered for k in rule.requires)
                       and any(k in lowered for k in rule.requires_also)
                       and next(rule.matches(text), None)
                       for rule in lex.gate)
        tried = _gated_forms(text, lex.keywords(lowered), lex)
        assert (tried is not None) == expected, text
        # guarantee_mentions skips the sentences without a gate keyword.
        assert tried is None or any(k in lowered for k in lex.gate_keywords), text
        for rule, matches in (tried or {}).items():
            assert [m.span() for m in matches] == [m.span() for m in rule.matches(text)]


def test_keywords_cover_every_rule():
    lex = _guarantee_lexicon()
    rules = [*lex.gate, *lex.forms, *lex.roles]
    assert (set(lex.keywords.keywords)
            == {k for r in rules for k in r.requires + r.requires_also}
            | set(lex.contrast_requires))
    assert set(lex.gate_keywords) == {k for r in lex.gate for k in r.requires}


def test_keyword_finder_finds_every_keyword_even_nested(texts):
    finder = _KeywordFinder.of(["peace", "peacekeep", "eacek", "keep", "a b", "-led"])
    assert finder("un peacekeepers, u.s.-led, a b") == {"peace", "peacekeep", "eacek", "keep",
                                                      "a b", "-led"}
    assert finder("peace") == {"peace"} and finder("") == frozenset()
    lex = _guarantee_lexicon()
    for text in texts:
        lowered = text.lower()
        assert lex.keywords(lowered) == {k for k in lex.keywords.keywords if k in lowered}


def test_clean_collapses_every_regex_whitespace():
    spaces = "".join(chr(c) for c in range(0x3100) if re.fullmatch(r"\s", chr(c)))
    text = f"{spaces}a{spaces}b c\u00a0\u2003d{spaces}"
    assert _clean(text) == re.sub(r"\s+", " ", text).strip() == "a b c d"
