"""Guarantee labels, sentence by sentence: :func:`guarantee_mentions`.

A sentence counts when it speaks of security guarantees (the gate, or the context gate
in an article where the gate opened). Its form rules give form labels and its guarantor
roles give guarantor labels, with contrasts ("A, not B, should") read out; each label
carries its negation and modality, and a cue that names the rule and the text. "We"
inside a quote is the quoted speaker's side (:mod:`.quotes`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.data.tables import conform, empty_table
from analysis.data.text import matching_text
from analysis.measures.framing.guarantee_rules import (
    _SPEAKER_PSEUDO_ACTOR,
    _FormRule,
    _guarantee_lexicon,
    _GuaranteeLexicon,
    _RoleRule,
)
from analysis.measures.framing.labels import MODALITIES, MODALITY_CONDITIONAL, MODALITY_DEMANDED
from analysis.measures.framing.quotes import _article_quotes, _Segment
from analysis.measures.framing.rules import _matches_at
from analysis.measures.framing.sentences import _articles, _checked_sentences, _clean
from analysis.measures.framing.speakers import _speaker_lexicon

# ---------------------------------------------------------------------------
# Gate


_FormMatches = dict[_FormRule, list[re.Match]]


def _gated_forms(text: str, present: frozenset[str], lex: _GuaranteeLexicon
                 ) -> _FormMatches | None:
    """None unless the sentence speaks of security guarantees or arrangements.

    A gate is open when one gate rule matches (``present``: the keywords in the sentence,
    see :class:`_KeywordFinder`). Returns the matches of the form rules tried on the way, which
    :func:`_form_hits` then reuses instead of matching them again.
    """
    tried: _FormMatches = {}
    for rule in lex.gate:
        if present.isdisjoint(rule.requires) or present.isdisjoint(rule.requires_also):
            continue
        if isinstance(rule, _FormRule):
            tried[rule] = list(rule.matches(text))
            if tried[rule]:
                return tried
        elif next(rule.matches(text), None) is not None:
            return tried
    return None


# ---------------------------------------------------------------------------
# Guarantee labels of one sentence


@dataclass(frozen=True)
class _Hit:
    dimension: str
    label: str
    negated: bool
    modality: str
    cue: str
    position: int


def _hit(dimension: str, label: str, rule: str, text: str, match_start: int,
         match_end: int, position: int, lex: _GuaranteeLexicon,
         negator: str | None = None, negate: bool = True) -> _Hit:
    """One label of the cue ``text[match_start:match_end]``, with its negation and modality.

    ``negator`` given, the cue is negated by it (a contrast); otherwise, with ``negate``,
    the negation rules look for one. The cue text names the rule, the matched text and
    what negated it or made it demanded or conditional.
    """
    if negator is None and negate:
        negator = lex.negation.negator(text, match_start, match_end)
    if negator is not None and (unless := lex.modality.unless.search(text, match_end)):
        # "They would not deploy troops unless they received US guarantees": a condition
        # on the deployment, not a refusal (codebook section 5).
        negator = None
        modality, marker = MODALITY_CONDITIONAL, unless.group(0)
    else:
        modality, marker = lex.modality.of(text, match_start, match_end, negator)
    if modality == MODALITY_DEMANDED and negator is not None and marker == negator:
        negator = None  # "will not sign without X" asks for X
    cue = f"{rule}: '{_clean(text[match_start:match_end])}'"
    if negator:
        cue += f" [negated by '{_clean(negator)}']"
    if marker:
        cue += f" [{modality} by '{_clean(marker)}']"
    return _Hit(dimension, label, negator is not None, modality, cue, position)


def _form_hits(text: str, present: frozenset[str], lex: _GuaranteeLexicon,
               tried: _FormMatches) -> list[_Hit]:
    """Form hits of a gated sentence; ``tried`` holds the matches the gate found.

    Fallback rules come last and give their label only where no other rule did: "the
    troops" adds nothing to "European troops" that another rule has read, negation
    included."""
    hits = []
    for rule in lex.forms:
        if present.isdisjoint(rule.requires) or present.isdisjoint(rule.requires_also):
            continue
        if rule.fallback and any(hit.label == rule.label for hit in hits):
            continue
        for match in tried[rule] if rule in tried else rule.matches(text):
            hits.append(_hit("form", rule.label, f"form.{rule.label}.{rule.rule_id}", text,
                             match.start(), match.end(), match.start(), lex))
    return hits


def _blank_contrasts(text: str, present: frozenset[str], lex: _GuaranteeLexicon
                     ) -> tuple[str, list[tuple[str, str, int]]]:
    """Blank out "…, not B," / "rather than B" so "A, not B, should provide" reads as
    "A should provide"; return the blanked text (same length) and the contrasted actors
    as (label, matched text, position)."""
    contrasted, spans = [], []
    if present.isdisjoint(lex.contrast_requires):
        return text, contrasted
    for match in lex.contrast.finditer(text):
        label = _single_actor(match.group("actors"), lex.finders["names"])
        if label is None:
            continue
        start, end = match.start(), match.end()
        closing = re.match(r"\s*,", text[end:])
        opening = re.search(r",\s*$", text[:start])
        # A parenthetical contrast loses both commas: "Turkey, rather than France, should".
        if closing and (match.group("marker").startswith(",") or opening):
            end += closing.end()
            start = opening.start() if opening else start
        contrasted.append((label, match.group(0).strip(" ,"), match.start()))
        spans.append((start, end))
    if not spans:
        return text, contrasted
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars), contrasted


def _single_actor(text: str, finder: re.Pattern) -> str | None:
    match = finder.search(text)
    return match.lastgroup[2:] if match is not None else None


def _role_labels(match: re.Match, role: _RoleRule, lex: _GuaranteeLexicon,
                 speaker_actor_at: Callable[[int], str | None]) -> list[tuple[str, int]]:
    """Guarantor labels of the actors a role matched, with their positions."""
    offset = match.start("actors")
    labels = []
    for actor in lex.finders[role.kind].finditer(match.group("actors")):
        label = actor.lastgroup[2:]
        if label == _SPEAKER_PSEUDO_ACTOR:
            label = speaker_actor_at(offset + actor.start())
        if label is not None and label != _SPEAKER_PSEUDO_ACTOR and label in role.allowed:
            labels.append((label, offset + actor.start()))
    return labels


def _role_matches(role: _RoleRule, text: str, lex: _GuaranteeLexicon,
                  starts: dict[tuple[str, str], list[tuple[int, str | None]]]
                  ) -> Iterator[re.Match]:
    """``role.regex.finditer(text)``; an actor-led role is tried only where an actor
    starts, and only where that actor is one the role allows. ``starts`` memoises the
    positions and their actors per (text, kind), found once for all the roles of a kind
    instead of each role scanning the text for actors itself."""
    if not role.anchored:
        return role.regex.finditer(text)
    key = (text, role.kind)
    if key not in starts:
        finder = lex.finders[role.kind]
        found = []
        for match in lex.actor_starts[role.kind].finditer(text):
            actor = finder.match(text, match.start())
            # None where the finder reads no single actor there ("U.S.-led"): try it.
            found.append((match.start(), actor.lastgroup[2:] if actor is not None else None))
        starts[key] = found
    return _matches_at(role.regex, text, [position for position, actor in starts[key]
                                          if actor is None or actor in role.allowed])


def _guarantor_hits(text: str, present: frozenset[str], lex: _GuaranteeLexicon,
                    speaker_actor_at: Callable[[int], str | None]) -> list[_Hit]:
    blanked, contrasted = _blank_contrasts(text, present, lex)
    hits = []
    starts: dict[tuple[str, str], list[tuple[int, str | None]]] = {}
    roles = [role for role in lex.roles if not role.requires
             or not (present.isdisjoint(role.requires) or present.isdisjoint(role.requires_also))]
    # Fallback roles come last and label only
    # actors that the roles before them left unlabelled.
    for role in roles:
        labelled = {hit.label for hit in hits} if role.fallback else set()
        absent = None
        if role.fallback:
            # An actor merely named in a sentence that says the guarantees are missing
            # ("there are still no security guarantees") is named as not providing them.
            found = lex.negation.absent.search(blanked)
            absent = found.group(0) if found is not None else None
        # A fallback reads the sentence without its contrasted actors ("not the US").
        for variant in (blanked,) if role.fallback else dict.fromkeys((text, blanked)):
            for match in _role_matches(role, variant, lex, starts):
                start = role.cue_start(variant, match)
                if start is None:
                    continue
                for label, position in _role_labels(match, role, lex, speaker_actor_at):
                    if label not in labelled:
                        hits.append(_hit("guarantor", label,
                                         f"guarantor.{label}.{role.rule_id}", variant, start,
                                         match.end(), position, lex, negator=absent))
    affirmed = {hit.label for hit in hits if not hit.negated}
    for label, matched, position in contrasted:
        # "not B" negates B as a guarantor only when someone else is the provider.
        if affirmed - {label}:
            modality, marker = lex.modality.of(text, position, position + len(matched), None)
            cue = f"guarantor.{label}.contrast: '{_clean(matched)}'"
            if marker:
                cue += f" [{modality} by '{_clean(marker)}']"
            hits.append(_Hit("guarantor", label, True, modality, cue, position))
    return hits


def _sentence_hits(text: str, present: frozenset[str], tried: _FormMatches,
                   lex: _GuaranteeLexicon, speaker_actor_at: Callable[[int], str | None]
                   ) -> list[_Hit]:
    """All guarantee hits of a sentence that has passed the gate (see :func:`_gated_forms`)."""
    return (_form_hits(text, present, lex, tried)
            + _guarantor_hits(text, present, lex, speaker_actor_at))


def _gated_sentences(texts: list[str], lex: _GuaranteeLexicon
                     ) -> list[tuple[int, frozenset[str], _FormMatches]]:
    """The sentences of one article that speak of security guarantees, in order.

    A sentence's own gate (:func:`_gated_forms`) opens first. In an article where one
    did, a sentence also counts when the context gate matches it: "The force would be led
    by France." continues a discussion of guarantees that it does not name, as a coder
    reading the article knows (codebook section 1). No sentence counts in an article
    that names Ukraine (``anchor``) only outside them. Returns (index, keywords present,
    form matches tried) per sentence.
    """
    gated, candidates = [], []
    for i, text in enumerate(texts):
        lowered = text.lower()
        # Most sentences lack every gate keyword: ``in`` tests reject them before the
        # scan for all the keywords.
        if not any(map(lowered.__contains__, lex.gate_keywords)):
            candidates.append(i)
            continue
        present = lex.keywords(lowered)
        tried = _gated_forms(text, present, lex)
        if tried is not None:
            gated.append((i, present, tried))
        else:
            candidates.append(i)
    # An article that names Ukraine, but in none of the sentences that speak of
    # guarantees, speaks of others' guarantees (NATO's Article 5 for its members at a
    # summit). One that never names it (a snippet, a sentence) is read as part of a corpus
    # about Ukraine.
    if not gated or (not any(lex.anchor.search(texts[i]) for i, _, _ in gated)
                     and any(map(lex.anchor.search, texts))):
        return []
    gated += [(i, lex.keywords(texts[i].lower()), {}) for i in candidates
              if lex.context_gate.search(texts[i])]
    return sorted(gated, key=lambda entry: entry[0])


# ---------------------------------------------------------------------------
# Public: guarantee mentions


def _collapse(records: list[tuple], key: Sequence[str], name: str) -> pd.DataFrame:
    """One row per key, cues of duplicate hits joined in reading order; conformed.

    A record is ``(*key, position, modality, cue)``; a key's modality is the first of
    :data:`MODALITIES` among its hits.
    """
    if not records:
        return empty_table(name)
    cues: dict[tuple, dict[str, None]] = {}
    modalities: dict[tuple, int] = {}
    for *row_key, _, modality, cue in sorted(records, key=lambda record: record[:-2]):
        row_key = tuple(row_key)
        cues.setdefault(row_key, {})[cue] = None
        rank = MODALITIES.index(modality)
        modalities[row_key] = min(rank, modalities.get(row_key, rank))
    rows = [(*row_key, MODALITIES[modalities[row_key]], " | ".join(joined))
            for row_key, joined in cues.items()]
    return conform(pd.DataFrame.from_records(rows, columns=[*key, "modality", "cue"]), name)


def guarantee_mentions(sentences: pd.DataFrame) -> pd.DataFrame:
    """Guarantor and form labels of every sentence that speaks of security guarantees.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (article_id, sentence_id, section, paragraph_id, text, ...),
        any number of articles.

    Returns
    -------
    DataFrame
        Table ``guarantee_mentions``: one row per (article_id, sentence_id, dimension,
        label, negated); ``cue`` names the rule(s) as ``dimension.label.rule`` with the
        matched text, joined by " | ". Zero rows when no sentence speaks of guarantees.
        The rules are English: sentences whose ``language`` is another give no rows.
    """
    sentences = _checked_sentences(sentences)
    lex = _guarantee_lexicon()
    records = []
    for article_id, rows in _articles(sentences):
        texts = [matching_text(row[3]) for row in rows]
        gated = _gated_sentences(texts, lex)
        if not gated:
            continue
        speakers = _ArticleSpeakers(rows, [texts[i] for i, _, _ in gated], lex)
        for i, present, tried in gated:
            sentence_id, text = rows[i][0], texts[i]
            records.extend(
                (article_id, sentence_id, hit.dimension, hit.label, hit.negated, hit.position,
                 hit.modality, hit.cue)
                for hit in _sentence_hits(text, present, tried, lex, speakers.locator(i))
            )
    return _collapse(records, ("article_id", "sentence_id", "dimension", "label", "negated"),
                     "guarantee_mentions")


class _ArticleSpeakers:
    """Who is quoted where in one article, for "we" inside a quote.

    Quotes count only in articles whose gated sentences say "we", and are resolved when
    first asked for, up to the sentence asked about: most articles never ask.
    """

    def __init__(self, rows: list[tuple], gated_texts: list[str], lex: _GuaranteeLexicon):
        self.rows = rows
        self.gated_texts = gated_texts
        self.lex = lex
        self.quotes: Iterator[list[tuple[_Segment, str, bool]]] | None = None
        self.segments: list[list[tuple[int, int, str]]] = []

    def _segments(self, i: int) -> list[tuple[int, int, str]]:
        if self.quotes is None:
            says_we = any(self.lex.first_person.search(text) for text in self.gated_texts)
            self.quotes = _article_quotes(self.rows, _speaker_lexicon()) if says_we else iter(())
        for assigned in itertools.islice(self.quotes, max(0, i + 1 - len(self.segments))):
            self.segments.append([(seg.start, seg.end, speaker) for seg, speaker, _ in assigned])
        return self.segments[i] if i < len(self.segments) else []

    def locator(self, i: int) -> Callable[[int], str | None]:
        """Map a position in sentence ``i`` to the actor of the speaker quoted there."""
        actors = _speaker_lexicon().actors

        def locate(position: int) -> str | None:
            for start, end, speaker in self._segments(i):
                if start <= position < end:
                    return actors.get(speaker)
            return None

        return locate
