"""The guarantee lexicon (``guarantees.yaml``) compiled into rules: gate, form and guarantor
role rules with their keyword prefilters, negation and modality, the actor finders; its
vocabulary of labels, and the versions of the three lexicons.

The rules are compiled once per process (:func:`_guarantee_lexicon`); the labels alone
(:func:`guarantee_vocabulary`) cost no compiling.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from analysis.errors import InputError
from analysis.measures.framing.frames import _FRAME_FILE, _frame_lexicon
from analysis.measures.framing.labels import (
    GUARANTEE_DIMENSIONS,
    MODALITY_ASSERTED,
    MODALITY_CONDITIONAL,
    MODALITY_DEMANDED,
)
from analysis.measures.framing.rules import (
    _alternation,
    _compile,
    _expand,
    _factored_alternation,
    _KeywordFinder,
    _letter_head,
    _read_lexicon,
    _spelled_out,
)
from analysis.measures.framing.speakers import _SPEAKER_FILE, _speaker_lexicon

_GUARANTEE_FILE = "guarantees.yaml"
_SPEAKER_PSEUDO_ACTOR = "speaker"
# How far before a cue a negator may start.
_NEGATION_LEFT_CHARS = 120
# How far before a role's match its required left context may start (``preceded_by``), and
# its excluded one (``not_preceded_by``: a word or two, "in the", "talks with").
_LEFT_CONTEXT_CHARS = 80
_EXCLUDED_LEFT_CHARS = 24
# Nouns after an actor's name that make it someone who speaks for the actor.
_SPOKESPEOPLE = (r"(?:envoys?|officials?|president|prime\s+minister|ministers?|secretary|"
                 r"spokes(?:man|woman|person)|ambassadors?|diplomats?|negotiators?|"
                 r"delegation|counterparts?|media|press|lawmakers|senators?|sources?)\b")


def _requires(rule: dict, where: str, key: str = "requires") -> tuple[str, ...]:
    """The rule's ``requires`` keywords: lower-case substrings, at least one."""
    keywords = tuple(str(k) for k in rule.get(key) or ())
    if not keywords or any(k != k.lower() for k in keywords):
        raise InputError([f"{where}: '{key}' must list lower-case keywords"])
    return keywords


def _requires_also(rule: dict, where: str) -> tuple[str, ...]:
    """The rule's ``requires_also`` keywords, or its ``requires`` when it has none.

    A match contains one keyword of each list. Without a second list the first stands in,
    so that every rule's prefilter is the same two set tests.
    """
    if "requires_also" not in rule:
        return _requires(rule, where)
    return _requires(rule, where, "requires_also")


def _unique_keywords(rules: Sequence[_GateRule | _FormRule | _RoleRule]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for rule in rules for k in rule.requires + rule.requires_also))


@dataclass(frozen=True)
class _GateRule:
    rule_id: str
    regex: re.Pattern
    requires: tuple[str, ...]
    requires_also: tuple[str, ...]

    def matches(self, text: str) -> Iterator[re.Match]:
        return self.regex.finditer(text)


# eq=False: rules hash by identity, cheaply, as keys of a sentence's memo of form matches.
@dataclass(frozen=True, eq=False)
class _FormRule:
    rule_id: str
    label: str
    regex: re.Pattern
    requires: tuple[str, ...]
    requires_also: tuple[str, ...]
    exclude: re.Pattern | None  # a match containing this is dropped
    exclude_before: re.Pattern | None  # a match right after this is dropped
    fallback: bool  # gives its label only where no other rule of the label matched

    def matches(self, text: str) -> Iterator[re.Match]:
        for match in self.regex.finditer(text):
            if self.exclude is not None and self.exclude.search(match.group(0)):
                continue
            left = text[max(0, match.start() - 40):match.start()]
            if self.exclude_before is not None and self.exclude_before.search(left):
                continue
            yield match


@dataclass(frozen=True)
class _RoleRule:
    rule_id: str
    regex: re.Pattern
    requires: tuple[str, ...]
    requires_also: tuple[str, ...]
    allowed: frozenset[str]
    kind: str  # "names" or "adjectives": which actor finder reads the `actors` group
    anchored: bool  # every match starts at an actor of its kind (pattern "{L}{actor}...")
    preceded_by: re.Pattern | None  # what must end right before a match; the cue takes it in
    not_preceded_by: re.Pattern | None  # a match right after this is dropped
    not_followed_by: re.Pattern | None  # a match right before this is dropped
    fallback: bool  # labels only actors that no other role labelled in the sentence

    def cue_start(self, text: str, match: re.Match) -> int | None:
        """Where the cue of ``match`` starts: at the match, or at the left context that
        ``preceded_by`` requires ("guarantees" in "guarantees from Washington"); None when
        that context is missing or an excluded context surrounds the match. Matching the
        short part first and checking the context after keeps a role led by a long
        alternation cheap."""
        if self.not_followed_by is not None and self.not_followed_by.match(text, match.end()):
            return None
        if self.not_preceded_by is not None and self.not_preceded_by.search(
                text, max(0, match.start() - _EXCLUDED_LEFT_CHARS), match.start()):
            return None
        if self.preceded_by is None:
            return match.start()
        left = self.preceded_by.search(text, max(0, match.start() - _LEFT_CONTEXT_CHARS),
                                       match.start())
        return left.start() if left is not None else None


@dataclass(frozen=True)
class _Negation:
    before: re.Pattern
    after: re.Pattern
    boundary: re.Pattern
    window_words: int
    absent: re.Pattern  # "no security guarantees", "did not receive any assurances"
    refusal: re.Pattern  # "ruled out", "will not accept": negators that reach further
    refusal_window_words: int
    refusal_words: tuple[str, ...]  # lower case: no refusal without one of them

    def negator(self, text: str, start: int, end: int) -> str | None:
        """The negator that rules out the cue ``text[start:end]``, or None.

        Looks inside the cue, then at most ``window_words`` words before it (a refusal
        verb: ``refusal_window_words``) with no clause boundary in between, then for a
        ruling-out predicate right after it.
        """
        inside = self.before.search(text, start, end)
        if inside is not None:
            return inside.group(0)
        left = text[max(0, start - _NEGATION_LEFT_CHARS):start]
        # Refusal verbs only where one of their words is (most windows have none).
        refusal = any(map(left.lower().__contains__, self.refusal_words))
        tiers = [(self.before, self.window_words)]
        if refusal:
            tiers.append((self.refusal, self.refusal_window_words))
        for regex, window in tiers:
            negators = list(regex.finditer(left))
            if negators:
                last = negators[-1]
                gap = left[last.end():]
                if self.boundary.search(gap) is None and len(gap.split()) <= window:
                    return last.group(0)
        after = self.after.match(text, end)
        return after.group(0).strip() if after is not None else None


# eq=False: hashed by identity, cheaply, as the key of its per-sentence memo.
@dataclass(frozen=True, eq=False)
class _Modality:
    scanner: re.Pattern  # groups `boundary`, `demanded`, `conditional`: one scan a sentence,
    # lower-cased
    condition_after: re.Pattern  # a condition that follows the cue ("once", "if")
    demand_by_refusal: re.Pattern  # "will not sign" before "without <cue>"
    unless: re.Pattern  # "not <cue> unless ...": the negated cue is conditional

    def of(self, text: str, start: int, end: int, negator: str | None
           ) -> tuple[str, str | None]:
        """How the sentence holds the cue ``text[start:end]``: (modality, its marker).

        Markers count in the cue's clause (codebook section 5): the nearest before the
        cue's end decides ("Kyiv insists on a US backstop", "European troops could
        deploy"), else the first after it ("troops that would deploy only once ...").
        Without one, a condition later in the sentence or a question mark makes the
        label conditional; else it is ``asserted``. A cue negated by "without" in a
        sentence that also refuses ("will not sign without a US guarantee") is a demand.
        """
        if negator is not None and negator.lower() == "without" and (
                self.demand_by_refusal.search(text, 0, start)
                or self.demand_by_refusal.search(text, end)):
            return MODALITY_DEMANDED, negator
        boundaries, markers = self._markers(text)
        clause_start = max((b_end for _, b_end in boundaries if b_end <= start), default=0)
        clause_end = min((b_start for b_start, _ in boundaries if b_start >= end),
                         default=len(text))
        in_clause = [m for m in markers if clause_start <= m[0] < clause_end]
        if in_clause:
            before = [m for m in in_clause if m[0] < end]
            _, modality, marker = before[-1] if before else in_clause[0]
            return modality, marker
        condition = self.condition_after.search(text, end)
        if condition is not None:
            return MODALITY_CONDITIONAL, condition.group(0)
        if text.rstrip().endswith("?"):
            return MODALITY_CONDITIONAL, "?"
        return MODALITY_ASSERTED, None

    # A sentence's hits ask about the same text one after another: its clause boundaries
    # and markers are found once.
    @functools.lru_cache(maxsize=8)  # noqa: B019 - lexicons live as long as the process
    def _markers(self, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, str, str]]]:
        """Clause boundaries (start, end) and markers (start, modality, text), in order."""
        boundaries, markers = [], []
        lowered = text.lower()
        # Lower-casing keeps the offsets of all but a few non-ASCII letters.
        for match in self.scanner.finditer(lowered if len(lowered) == len(text) else text):
            if match.lastgroup in ("boundary", "punctuation"):
                boundaries.append(match.span())
            else:
                markers.append((match.start(), match.lastgroup, match.group(0)))
        return boundaries, markers


@dataclass(frozen=True)
class _GuaranteeLexicon:
    version: str
    vocabulary: dict[str, tuple[str, ...]]
    gate: tuple[_GateRule | _FormRule, ...]
    context_gate: re.Pattern  # opens the gate in an article whose gate another sentence opened
    anchor: re.Pattern  # Ukraine: some gated sentence of an article must name it
    forms: tuple[_FormRule, ...]
    roles: tuple[_RoleRule, ...]
    finders: dict[str, re.Pattern]  # kind -> regex with one named group per actor label
    actor_starts: dict[str, re.Pattern]  # kind -> empty match wherever an actor can start
    contrast: re.Pattern
    contrast_requires: tuple[str, ...]
    first_person: re.Pattern
    negation: _Negation
    modality: _Modality
    gate_keywords: tuple[str, ...]  # the gate rules' `requires`: no gate without one of them
    keywords: _KeywordFinder  # every rule's `requires`, contrast's included


def _actor_list(labels: Sequence[str], actors: dict, kind: str, macros: dict, where: str) -> str:
    """Regex for a coordinated list of actors ("Britain and France"), group ``actors``."""
    spellings = [
        _expand(p, macros, where) for label in labels for p in actors[label].get(kind) or []
    ]
    if not spellings:
        raise InputError([f"{where}: no {kind} for actors {list(labels)}"])
    one = _alternation(spellings)
    # "Britain, France and the US"; but in "lies with Europe, the US envoy said" the US
    # starts an apposition, and an envoy or official speaks for an actor, not as one.
    separator = (r"(?:\s*,\s*(?:and|or)\s+(?:the\s+)?|\s*,\s*(?!the\b)"
                 r"|\s+(?:and|or|&)\s+(?:the\s+)?)")
    return f"(?P<actors>{one}(?:{separator}{one})*)(?!\\s+{_SPOKESPEOPLE})"


def _actor_finder(actors: dict, kind: str, macros: dict, where: str) -> re.Pattern:
    """Regex finding single actors, one named group ``g_<label>`` per label."""
    groups = []
    for label, spec in actors.items():
        spellings = [_expand(p, macros, where) for p in spec.get(kind) or []]
        if spellings:
            groups.append(f"(?P<g_{label}>{_alternation(spellings)})")
    return _compile(r"(?<![\w\-.’'])(?:" + "|".join(groups) + r")(?![\w\-])", where)


def _actor_starts(actors: dict, kind: str, macros: dict, where: str) -> re.Pattern:
    """Empty match at each position where a role's ``{L}{actor}`` (or ``{L}{adjective}``)
    can start: the ``{L}`` boundary and any actor's spelling of ``kind`` ahead.

    The lookahead finds every such position, overlapping ones included, so the roles led
    by an actor need only be tried there (:func:`_matches_at`).
    """
    spellings = [spelling for spec in actors.values() for p in spec.get(kind) or []
                 for spelling in _spelled_out(_expand(p, macros, where))]
    # Only whether some spelling matches counts here, not which: so, unlike in
    # _alternation, all spellings sharing a first letter (in any case) form one branch.
    by_letter: dict[str, list[str]] = {}
    rest = []
    for spelling in spellings:
        head = _letter_head(spelling)
        if head is None:
            rest.append(f"(?:{spelling})")
        else:
            by_letter.setdefault(head.lower(), []).append(f"(?:{spelling[1:]})")
    branches = [f"{head}(?:{'|'.join(tails)})" for head, tails in by_letter.items()] + rest
    return _compile(_expand("{L}", macros, where) + f"(?=(?:{'|'.join(branches)}))", where)


@functools.cache
def _guarantee_lexicon() -> _GuaranteeLexicon:
    data = _read_lexicon(_GUARANTEE_FILE)
    where = f"analysis/lexicons/{_GUARANTEE_FILE}"
    problems = [
        f"{where}: missing section '{key}'"
        for key in ("vocabulary", "macros", "gate", "context_gate", "forms", "actors",
                    "guarantor_roles", "negation", "modality", "contrast")
        if key not in data
    ]
    if problems:
        raise InputError(problems)
    vocabulary = _vocabulary()
    macros = {str(k): str(v) for k, v in data["macros"].items()}
    actors = data["actors"]
    unknown_actors = [
        label for label in actors
        if label not in vocabulary["guarantor"] and label != _SPEAKER_PSEUDO_ACTOR
    ]
    unknown_forms = [label for label in data["forms"] if label not in vocabulary["form"]]
    if unknown_actors or unknown_forms:
        raise InputError([f"{where}: labels not in the vocabulary: "
                          f"{sorted(unknown_actors + unknown_forms)}"])

    forms, gates = [], []
    for label, rules in data["forms"].items():
        for rule in rules:
            rule_where = f"{where}: form.{label}.{rule['id']}"
            regex = _compile(_expand(rule["pattern"], macros, rule_where), rule_where)
            exclude = rule.get("exclude")
            exclude_before = rule.get("exclude_before")
            form = _FormRule(
                rule_id=str(rule["id"]), label=label, regex=regex,
                requires=_requires(rule, rule_where),
                requires_also=_requires_also(rule, rule_where),
                exclude=_compile(_expand(exclude, macros, rule_where), rule_where)
                if exclude else None,
                exclude_before=_compile(_expand(exclude_before, macros, rule_where), rule_where)
                if exclude_before else None,
                fallback=bool(rule.get("fallback", False)),
            )
            forms.append(form)
            if rule.get("opens_gate"):
                gates.append(form)
    for rule in data["gate"]:
        rule_where = f"{where}: gate.{rule['id']}"
        gates.append(_GateRule(str(rule["id"]),
                               _compile(_expand(rule["pattern"], macros, rule_where), rule_where),
                               _requires(rule, rule_where), _requires_also(rule, rule_where)))

    roles = []
    for rule in data["guarantor_roles"]:
        rule_where = f"{where}: guarantor_roles.{rule['id']}"
        allowed = [str(a) for a in rule["actors"]]
        missing = [a for a in allowed if a not in actors]
        if missing:
            raise InputError([f"{rule_where}: unknown actors {missing}"])
        kind = "adjectives" if "{adjective}" in rule["pattern"] else "names"
        anchored = rule["pattern"].startswith("{L}{adjective}" if kind == "adjectives"
                                              else "{L}{actor}")
        role_macros = {
            **macros,
            "actor": _actor_list(allowed, actors, "names", macros, rule_where),
            "adjective": _actor_list(allowed, actors, "adjectives", macros, rule_where),
        }
        roles.append(_RoleRule(
            rule_id=str(rule["id"]),
            regex=_compile(_expand(rule["pattern"], role_macros, rule_where), rule_where),
            # A role led by an actor is tried only where an actor starts: it may do
            # without keywords.
            requires=() if anchored and rule.get("requires") == [] else _requires(rule,
                                                                                 rule_where),
            requires_also=() if anchored and rule.get("requires") == []
            else _requires_also(rule, rule_where),
            allowed=frozenset(allowed), kind=kind,
            anchored=anchored,
            preceded_by=_compile(_expand(rule["preceded_by"], role_macros, rule_where) + "$",
                                 rule_where) if rule.get("preceded_by") else None,
            not_preceded_by=_compile(_expand(rule["not_preceded_by"], role_macros, rule_where)
                                     + "$", rule_where) if rule.get("not_preceded_by") else None,
            not_followed_by=_compile(_expand(rule["not_followed_by"], role_macros, rule_where),
                                     rule_where) if rule.get("not_followed_by") else None,
            fallback=bool(rule.get("fallback", False)),
        ))

    states = [label for label in actors if label != _SPEAKER_PSEUDO_ACTOR]
    first_person = [_expand(p, macros, where)
                    for p in actors.get(_SPEAKER_PSEUDO_ACTOR, {}).get("names") or []]
    contrast_where = f"{where}: contrast"
    contrast = _compile(
        "(?P<marker>" + _expand(data["contrast"]["marker"], macros, contrast_where) + r")\s+"
        + _expand(data["contrast"]["lead"], macros, contrast_where)
        + _actor_list(states, actors, "names", macros, contrast_where)
        + r"(?:[’']s)?(?![\w\-])",
        contrast_where,
    )
    contrast_requires = _requires(data["contrast"], contrast_where)
    negation = data["negation"]
    neg_where = f"{where}: negation"
    modality = data["modality"]
    mod_where = f"{where}: modality"
    gates = tuple(gates)
    return _GuaranteeLexicon(
        version=str(data["version"]),
        vocabulary=vocabulary,
        gate=gates,
        context_gate=_compile(_expand(data["context_gate"]["pattern"], macros,
                                      f"{where}: context_gate"), f"{where}: context_gate"),
        anchor=_compile(_expand(data["anchor"]["pattern"], macros, f"{where}: anchor"),
                        f"{where}: anchor", flags=0),
        # Fallback rules last: they give a label only where the others did not.
        forms=tuple(sorted(forms, key=lambda rule: rule.fallback)),
        roles=tuple(sorted(roles, key=lambda role: role.fallback)),
        finders={kind: _actor_finder(actors, kind, macros, where)
                 for kind in ("names", "adjectives")},
        actor_starts={kind: _actor_starts(actors, kind, macros, where)
                      for kind in ("names", "adjectives")},
        contrast=contrast,
        contrast_requires=contrast_requires,
        first_person=_compile(
            r"(?<![\w\-])" + _alternation(first_person or ["(?!)"]) + r"(?![\w\-])", where),
        negation=_Negation(
            before=_compile(_expand(negation["before"], macros, neg_where), neg_where),
            after=_compile(_expand(negation["after"], macros, neg_where), neg_where),
            boundary=_compile(_expand(negation["boundary"], macros, neg_where), neg_where),
            window_words=int(negation["window_words"]),
            absent=_compile(_expand(negation["absent"], macros, neg_where), neg_where),
            refusal=_compile(_expand(negation["refusal"], macros, neg_where), neg_where),
            refusal_window_words=int(negation["refusal_window_words"]),
            refusal_words=tuple(str(w) for w in negation["refusal_requires"]),
        ),
        modality=_Modality(
            scanner=_modality_scanner(modality, mod_where),
            **{key: _compile(_expand(modality[key], macros, mod_where), mod_where)
               for key in ("condition_after", "demand_by_refusal", "unless")},
        ),
        gate_keywords=tuple(dict.fromkeys(k for rule in gates for k in rule.requires)),
        keywords=_KeywordFinder.of([*_unique_keywords([*gates, *forms, *roles]),
                                    *contrast_requires]),
    )


def _modality_scanner(modality: dict, where: str) -> re.Pattern:
    """One regex for a sentence's clause boundaries and modality markers (named groups
    ``boundary``, ``demanded``, ``conditional``), for lower-cased text."""
    groups = {"boundary": "clause_boundary", MODALITY_DEMANDED: "demanded",
              MODALITY_CONDITIONAL: "conditional"}
    for key in groups.values():
        terms = modality.get(key)
        if not isinstance(terms, list) or not terms \
                or any(str(t) != str(t).lower() for t in terms):
            raise InputError([f"{where}: '{key}' must be a list of lower-case terms"])
    words = "|".join(f"(?P<{group}>{_factored_alternation([str(t) for t in modality[key]])})"
                     for group, key in groups.items())
    # The lookahead skips, cheaply, positions where no term or boundary can start.
    return _compile(rf"(?=[a-z;:\s])(?:\b(?:{words})\b|(?P<punctuation>[;:]|\s-\s))",
                    where, flags=0)


def lexicon_versions() -> dict[str, str]:
    """Versions of the three lexicon files, for reports: ``{filename: version}``.

    Loading them also checks them, so a broken lexicon fails here with an InputError.
    """
    return {
        _GUARANTEE_FILE: _guarantee_lexicon().version,
        _FRAME_FILE: _frame_lexicon().version,
        _SPEAKER_FILE: _speaker_lexicon().version,
    }


def guarantee_vocabulary() -> dict[str, tuple[str, ...]]:
    """The guarantor and form labels of ``guarantees.yaml``, in the lexicon's order."""
    return dict(_vocabulary())


# Summaries of scored tables need the labels, not the rules: reading them must not cost
# compiling the lexicon's regular expressions.
@functools.cache
def _vocabulary() -> dict[str, tuple[str, ...]]:
    data = _read_lexicon(_GUARANTEE_FILE)
    if not isinstance(data.get("vocabulary"), dict):
        raise InputError([f"analysis/lexicons/{_GUARANTEE_FILE}: missing section 'vocabulary'"])
    return {dim: tuple(data["vocabulary"].get(dim) or ()) for dim in GUARANTEE_DIMENSIONS}
