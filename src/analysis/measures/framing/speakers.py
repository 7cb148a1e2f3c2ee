"""Speakers: the speaker lexicon (``speakers.yaml``) and who a name, "he", "they" or "the
prime minister" refers to at a point of an article (:class:`_SpeakerState`), for the
quote attribution of :mod:`.quotes`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.errors import InputError
from analysis.measures.framing.labels import UNKNOWN_SPEAKER
from analysis.measures.framing.rules import (
    _alternation,
    _compile,
    _factored_alternation,
    _read_lexicon,
)
from analysis.measures.framing.sentences import _clean

_SPEAKER_FILE = "speakers.yaml"


@dataclass(frozen=True)
class _SpeakerLexicon:
    version: str
    aliases: dict[str, str]  # normalised alias -> canonical name
    kinds: dict[str, str]  # canonical name -> type
    actors: dict[str, str]  # canonical name -> guarantor label
    alias_at_end: re.Pattern
    alias_at_start: re.Pattern
    titled_alias_at_start: re.Pattern
    titles: frozenset[str]
    not_names: frozenset[str]
    organization_words: frozenset[str]
    verbs: re.Pattern
    question_verb: re.Pattern
    according_to: re.Pattern
    message_of: re.Pattern
    skip_before_verb: re.Pattern
    apposition_before_verb: re.Pattern
    bare_attribution_end: re.Pattern
    passive_before_verb: re.Pattern
    scare_markers: re.Pattern
    max_scare_words: int
    headline_sections: frozenset[str]
    participles: re.Pattern  # "..., adding that": the sentence's subject speaks
    introduction: re.Pattern  # "(origin) office Name": groups origin, office, name
    reference_at_end: re.Pattern  # "the (origin) office" ending the text before a verb
    reference_at_start: re.Pattern  # the same, opening the text after a verb
    office_synonyms: dict[str, str]
    origins: dict[str, str]
    holders: re.Pattern  # the aliases of speakers with an `office`
    offices_held: dict[str, tuple[str, str]]  # canonical name -> (office, origin's side)


# A capitalised word of a name: initials ("J.D.", "U.S.") or a word without end punctuation.
_NAME_WORD = r"(?:(?:[A-Z]\.)+|[A-Z][\w’'\-]*)"
_NAME_RUN_END = re.compile(rf"(?P<run>(?:{_NAME_WORD}\s+){{0,5}}{_NAME_WORD})\s*$")
_NAME_RUN_START = re.compile(rf"\s*(?P<run>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}})(?![\w’'\-])")
_PRONOUN_END = re.compile(r"(?<![\w’'])(?P<pronoun>he|she|it|they)\s*$", re.IGNORECASE)
# Words that may open a sentence before its subject ("But Starmer said").
_OPENER = re.compile(r"\s*(?:(?:But|And|However|Meanwhile|Separately|Earlier|Later|Still|Yet|"
                     r"Now|Then)\b,?\s*)?")
# A subject is followed by its verb (a lower-case word), not by "'s", a comma or a name.
_VERB_FOLLOWS = re.compile(r"\s+[a-z]")
_SIR_NAME = re.compile(r"\bSir\s+(?P<first>[A-Z][a-z]+)\s+[A-Z][\w’'\-]+")
_OBJECT_PRONOUN_START = re.compile(r"\s*(?:him|her)(?![\w’'])", re.IGNORECASE)
_PRONOUN_START = re.compile(r"(?:he|she)(?![\w’'])", re.IGNORECASE)
# Names sit right next to their verb: looking at this many characters keeps the end-anchored
# searches short on long sentences.
_NAME_WINDOW = 100


def _tail(text: str) -> str:
    """The last ``_NAME_WINDOW`` characters of ``text``, starting at a word."""
    if len(text) <= _NAME_WINDOW:
        return text
    tail = text[-_NAME_WINDOW:]
    cut = tail.find(" ")
    return tail[cut + 1:] if cut >= 0 else tail


def _alias_pattern(alias: str) -> str:
    # Acronyms (AFP, AP, CNN) only in capitals; other names in any case.
    escaped = r"\s+".join(re.escape(part) for part in alias.split())
    return f"(?-i:{escaped})" if alias.replace(".", "").isupper() else escaped


def _normal(name: str) -> str:
    return _clean(name.replace("\u2019", "'")).lower()


def _spelling_list(data: dict, key: str, where: str) -> list[str]:
    spellings = data.get(key)
    if not isinstance(spellings, list) or not spellings:
        raise InputError([f"{where}: '{key}' must be a list of spellings"])
    return [str(spelling) for spelling in spellings]


def _term_alternation(terms: Sequence[str]) -> str:
    """Literal lower-case terms as one alternation (longest first, grouped by first letter:
    :func:`_factored_alternation`), any run of spaces between words."""
    return _factored_alternation([r"\s+".join(map(re.escape, t.lower().split()))
                                  for t in terms])


@functools.cache
def _speaker_lexicon() -> _SpeakerLexicon:
    data = _read_lexicon(_SPEAKER_FILE)
    where = f"analysis/lexicons/{_SPEAKER_FILE}"
    aliases, kinds, actors, held = {}, {}, {}, {}
    origins = {_normal(str(k)): str(v) for k, v in data["origins"].items()}
    synonyms = {_normal(str(k)): _normal(str(v)) for k, v in data["office_synonyms"].items()}
    for entry in data.get("speakers") or []:
        name = str(entry["name"])
        kinds[name] = str(entry.get("type", "person"))
        if entry.get("office"):
            office, origin = (_normal(str(part)) for part in entry["office"])
            if origin not in origins:
                raise InputError([f"{where}: {name}: origin '{origin}' not in 'origins'"])
            held[name] = (synonyms.get(office, office), origins[origin])
        if entry.get("actor"):
            actors[name] = str(entry["actor"])
        for alias in [name, *entry.get("aliases", [])]:
            previous = aliases.setdefault(_normal(str(alias)), name)
            if previous != name:
                raise InputError([f"{where}: alias '{alias}' names both {previous} and {name}"])
    alias_spellings = [_alias_pattern(alias) for entry in data["speakers"]
                       for alias in [entry["name"], *entry.get("aliases", [])]]
    names = _alternation([str(a) for a in alias_spellings])
    titles = _alternation([_alias_pattern(str(t)) for t in data["titles"]])
    # One branch per first letter (see _alternation): the scan runs on every sentence.
    verbs = _compile(r"\b" + _alternation(_spelling_list(data, "speech_verbs", where)) + r"\b",
                     where, flags=0)
    participles = _compile(
        r"\b" + _alternation(_spelling_list(data, "participle_verbs", where)) + r"\b",
        where, flags=0)
    offices = _term_alternation([str(o) for o in data["offices"]])
    origin = _term_alternation(list(origins))
    holder_aliases = [_alias_pattern(str(alias)) for entry in data["speakers"]
                      if entry.get("office")
                      for alias in [entry["name"], *entry.get("aliases", [])]]
    reference = rf"(?i:the)\s+(?:(?P<origin>(?i:{origin}))\s+)?(?P<office>(?i:{offices}))"
    return _SpeakerLexicon(
        version=str(data["version"]),
        aliases=aliases, kinds=kinds, actors=actors,
        alias_at_end=_compile(
            rf"(?:^|(?<=[\s(,“\"]))(?:the\s+)?(?:(?P<plain>{names})|(?:{titles}\s+)+"
            rf"(?P<titled>{names}))\s*$", where),
        alias_at_start=_compile(rf"\s*(?:the\s+)?(?P<plain>{names})(?![\w\-])", where),
        titled_alias_at_start=_compile(
            rf"\s*(?:the\s+)?(?:{titles}\s+)+(?P<titled>{names})(?![\w\-])", where),
        titles=frozenset(str(t) for t in data["titles"]),
        not_names=frozenset(str(n) for n in data["not_names"]),
        organization_words=frozenset(str(w) for w in data["organization_words"]),
        verbs=verbs,
        question_verb=_compile(data["question_verbs"], where, flags=0),
        according_to=_compile(data["according_to"], where, flags=0),
        message_of=_compile(data["message_of"], where, flags=0),
        skip_before_verb=_compile(data["skip_before_verb"], where),
        apposition_before_verb=_compile(data["apposition_before_verb"], where, flags=0),
        bare_attribution_end=_compile(data["bare_attribution_end"], where, flags=0),
        passive_before_verb=_compile(data["passive_before_verb"], where),
        scare_markers=_compile(data["scare_markers"], where),
        max_scare_words=int(data["max_scare_quote_words"]),
        headline_sections=frozenset(data["headline_sections"]),
        participles=participles,
        introduction=_compile(
            rf"(?<![\w\-])(?:(?P<origin>(?i:{origin}))\s+)?(?P<office>(?i:{offices}))\s+"
            rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})(?![\w’'\-])", where, flags=0),
        reference_at_end=_compile(rf"(?:^|(?<=[\s(,]))({reference})\s*$", where, flags=0),
        reference_at_start=_compile(rf"\s*{reference}(?![\w\-])", where, flags=0),
        office_synonyms=synonyms,
        origins=origins,
        holders=_compile(rf"(?<![\w\-])(?:{_alternation(holder_aliases)})(?![\w\-])", where),
        offices_held=held,
    )


class _SpeakerState:
    """What "he", "they" and "the prime minister" refer to, and names first met in this
    article."""

    def __init__(self, lex: _SpeakerLexicon):
        self.lex = lex
        self.last_person: str | None = None  # see person()
        self.last_group: str | None = None
        self.local_aliases: dict[str, str] = {}
        # The article's sentences so far. Who they name with an office, and whose subject
        # opens them, is read only when a reference or a "he" asks (most never do).
        self.read: list[str] = []
        self.unread_subjects: list[str] = []  # since last_person was set
        self.office_holders: dict[int, list[tuple[str, str | None, str]]] = {}

    def person(self) -> str | None:
        """The last person named as a speaker, or as the subject opening a sentence."""
        while self.unread_subjects:
            text = self.unread_subjects.pop()
            if _PRONOUN_START.match(text, _OPENER.match(text).end()):
                continue  # "He said ...": the person before
            subject = self.subject(text, known_only=True)
            if subject is not None:
                self.last_person = subject
                self.unread_subjects.clear()
        return self.last_person

    def learn(self, text: str) -> None:
        """Read one sentence, before its quotes ("Sir Keir Starmer" makes "Sir Keir" his)."""
        for match in _SIR_NAME.finditer(text) if "Sir " in text else ():
            name = self.canonical(match.group(0))
            if name is not None:
                self.local_aliases.setdefault(_normal(match.group("first")), name)
        self.unread_subjects.append(text)
        self.read.append(text)

    def _office(self, office: str) -> str:
        office = _normal(office)
        return self.lex.office_synonyms.get(office, office)

    def _holders(self, i: int) -> list[tuple[str, str | None, str]]:
        """(office, origin's side, person) of each person sentence ``i`` names with an
        office, in reading order: introduced with it ("Kremlin spokesman Dmitry Peskov",
        origin None when not given) or known to hold it (speakers.yaml ``office``)."""
        if i not in self.office_holders:
            text = self.read[i]
            found = []
            for match in self.lex.introduction.finditer(text):
                name = self.canonical(match.group("name"))
                if name is not None and self.kind(name) == "person":
                    origin = match.group("origin")
                    found.append((match.start(), self._office(match.group("office")),
                                  self.lex.origins.get(_normal(origin)) if origin else None,
                                  name))
            for match in self.lex.holders.finditer(text):
                name = self.lex.aliases[_normal(match.group(0))]
                found.append((match.start(), *self.lex.offices_held[name], name))
            self.office_holders[i] = [entry[1:] for entry in sorted(found)]
        return self.office_holders[i]

    def referent(self, match: re.Match) -> str | None:
        """The person "the (origin) office" of ``match`` refers back to: the last one named
        with that office (and origin, when the reference gives one), or None."""
        office = self._office(match.group("office"))
        origin = match.group("origin")
        origin = self.lex.origins.get(_normal(origin)) if origin else None
        for i in reversed(range(len(self.read))):
            for held_office, held_origin, person in reversed(self._holders(i)):
                if held_office == office and (
                        origin is None or (held_origin or self.lex.actors.get(person)) == origin):
                    return person
        return None

    def subject(self, text: str, known_only: bool = False) -> str | None:
        """The person who opens the sentence as its subject, or None.

        ``known_only``: only a speaker of speakers.yaml or a name of two words or more (a
        single capitalised word at the start is as often a country or a month).
        """
        start = _OPENER.match(text).end()
        reference = self.lex.reference_at_start.match(text, start)
        if reference is not None:
            return self.referent(reference) if _VERB_FOLLOWS.match(text, reference.end()) else None
        if _PRONOUN_START.match(text, start):
            return self.person()
        matches = [m for m in (self.lex.alias_at_start.match(text, start),
                               self.lex.titled_alias_at_start.match(text, start)) if m is not None]
        if matches:
            best = max(matches, key=lambda m: m.end())
            if not _VERB_FOLLOWS.match(text, best.end()):
                return None
            name = self.lex.aliases[_normal(best.group(best.lastgroup))]
            return name if self.kind(name) == "person" else None
        run = _NAME_RUN_START.match(text, start)
        if run is None or not _VERB_FOLLOWS.match(text, run.end()):
            return None
        name = self.canonical(run.group("run"))
        if name is None or self.kind(name) != "person":
            return None
        if known_only and name not in self.lex.kinds and len(name.split()) < 2:
            return None
        return name

    def kind(self, name: str) -> str:
        if name in self.lex.kinds:
            return self.lex.kinds[name]
        words = name.split()
        organization = name.isupper() or any(w in self.lex.organization_words for w in words)
        return "organization" if organization else "person"

    def remember(self, name: str) -> str:
        if name == UNKNOWN_SPEAKER:
            return name
        if self.kind(name) == "person":
            self.last_person = name
            self.unread_subjects.clear()
        else:
            self.last_group = name
        return name

    def canonical(self, raw: str) -> str | None:
        """Canonical name of a capitalised name run, or None if it is no name."""
        tokens = raw.replace("\u2019", "'").split()
        while tokens and tokens[0] in self.lex.not_names:
            tokens = tokens[1:]
        # Everything up to the last title is office, not name ("Agriculture Minister X").
        last_title = max((i for i, t in enumerate(tokens) if t in self.lex.titles), default=-1)
        tokens = tokens[last_title + 1:]
        if not tokens:
            return None
        if tokens[-1].endswith("'s"):
            tokens[-1] = tokens[-1][:-2]
        name = " ".join(tokens)
        known = self.lex.aliases.get(_normal(name)) or self.local_aliases.get(_normal(name))
        if known:
            return known
        if len(tokens) > 1:
            self.local_aliases.setdefault(_normal(tokens[-1]), name)
        return name

    def resolve_before(self, before: str) -> str | None:
        """Speaker named at the end of ``before`` (the text ahead of a reporting verb)."""
        skip = self.lex.skip_before_verb
        # "X, the foreign minister, also said": the words, then the apposition, go first.
        before = skip.sub("", self.lex.apposition_before_verb.sub("", skip.sub("", _tail(before))))
        match = self.lex.alias_at_end.search(before)
        if match is not None:
            return self.lex.aliases[_normal(match.group("plain") or match.group("titled"))]
        pronoun = _PRONOUN_END.search(before)
        if pronoun is not None:
            person = pronoun.group("pronoun").lower() in ("he", "she")
            return (self.person() if person else self.last_group) or UNKNOWN_SPEAKER
        # "the British prime minister" is a few words: only the end of the text can hold it.
        reference = self.lex.reference_at_end.search(before, max(0, len(before) - 60))
        if reference is not None:
            return self.referent(reference) or UNKNOWN_SPEAKER
        run = _NAME_RUN_END.search(before)
        return self.canonical(run.group("run")) if run is not None else None

    def resolve_after(self, after: str) -> str | None:
        """Speaker named at the start of ``after`` ("said Zelensky", "according to AFP")."""
        after = after[:_NAME_WINDOW]
        plain = self.lex.alias_at_start.match(after)
        titled = self.lex.titled_alias_at_start.match(after)
        best = max((m for m in (plain, titled) if m is not None),
                   key=lambda m: m.end(), default=None)
        if best is not None:
            return self.lex.aliases[_normal(best.group("plain") if best is plain
                                            else best.group("titled"))]
        reference = self.lex.reference_at_start.match(after)
        if reference is not None:
            return self.referent(reference) or UNKNOWN_SPEAKER
        if _OBJECT_PRONOUN_START.match(after):
            return self.person() or UNKNOWN_SPEAKER
        run = _NAME_RUN_START.match(after)
        return self.canonical(run.group("run")) if run is not None else None
