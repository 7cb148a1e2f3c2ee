"""Framing of security guarantees, generic news frames and voices, sentence by sentence.

Three tables come from the ``sentences`` table (columns article_id, sentence_id, section,
paragraph_id, start, end, text), each with transparent rules kept in versioned YAML files
under ``analysis/lexicons``:

- :func:`guarantee_mentions` (``guarantees.yaml``): who provides or is asked to provide
  security to Ukraine (guarantor) and in what form, with negation; each row cites the rule
  and the text that gave it.
- :func:`generic_frames` (``frames.yaml``): the five generic frames of Semetko &
  Valkenburg (2000), one dictionary per codebook question.
- :func:`extract_quotes` (``speakers.yaml``): direct quotes with the speaker resolved to a
  canonical name, carrying "he added" back to the last named speaker.

The summaries (:func:`guarantee_summary`, :func:`dominant_labels`, :func:`frame_shares`,
:func:`voice_summary`) aggregate per article or per any grouping of sentence columns,
e.g. ``by=("article_id", "section")``, and are zero-safe. Everything works article by
article, so any subset of articles (a partition) gives the same rows as the whole corpus.
Lexicons are compiled once per process.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from analysis.data.tables import conform, empty_table, require_columns
from analysis.data.text import matching_text
from analysis.errors import InputError

__all__ = [
    "GUARANTEE_DIMENSIONS",
    "MODALITIES",
    "UNKNOWN_SPEAKER",
    "NO_LABEL",
    "lexicon_versions",
    "guarantee_vocabulary",
    "frame_names",
    "guarantee_mentions",
    "generic_frames",
    "extract_quotes",
    "guarantee_summary",
    "dominant_labels",
    "frame_shares",
    "voice_summary",
]

GUARANTEE_DIMENSIONS = ("guarantor", "form")
MODALITY_ASSERTED, MODALITY_DEMANDED, MODALITY_CONDITIONAL = "asserted", "demanded", "conditional"
# Codebook section 5: a label held in several ways in one sentence takes the first.
MODALITIES = (MODALITY_ASSERTED, MODALITY_DEMANDED, MODALITY_CONDITIONAL)
UNKNOWN_SPEAKER = "unknown"
NO_LABEL = "none"
SENTENCE_COLUMNS = ("article_id", "sentence_id", "section", "paragraph_id", "text")

_GUARANTEE_FILE = "guarantees.yaml"
_FRAME_FILE = "frames.yaml"
_SPEAKER_FILE = "speakers.yaml"
_SPEAKER_PSEUDO_ACTOR = "speaker"
_QUOTE_JOINER = " \u2026 "
_QUOTE_CHARS = re.compile('["\u201c\u201d]')
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
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


# ---------------------------------------------------------------------------
# Lexicon files


def _read_lexicon(filename: str) -> dict:
    """Parse ``analysis/lexicons/<filename>`` with YAML's safe loader (LibYAML's if built)."""
    where = f"analysis/lexicons/{filename}"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = resources.files("analysis").joinpath("lexicons", filename).read_text("utf-8")
        data = yaml.load(text, Loader=loader)
    except (OSError, yaml.YAMLError) as err:
        raise InputError([f"{where}: cannot be read: {err}"]) from err
    if not isinstance(data, dict) or not str(data.get("version", "")).strip():
        raise InputError([f"{where}: must be a YAML mapping with a non-empty 'version'"])
    return data


def _expand(pattern: str, macros: dict[str, str], where: str, depth: int = 0) -> str:
    """Replace ``{name}`` placeholders by macros, recursively; regex braces stay."""
    if depth > 8:
        raise InputError([f"{where}: macros nest too deeply (a macro refers to itself?)"])

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name not in macros:
            raise InputError([f"{where}: unknown placeholder {{{name}}}"])
        return _expand(macros[name], macros, where, depth + 1)

    return _PLACEHOLDER.sub(substitute, pattern)


def _compile(pattern: str, where: str, flags: int = re.IGNORECASE) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as err:
        raise InputError([f"{where}: invalid regular expression: {err}"]) from err


def _splits_at_top(pattern: str) -> bool:
    """True when ``pattern`` has a "|" outside its groups and character classes."""
    depth, i = 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif char == "[":
            i += 2 if pattern.startswith("^", i + 1) else 1
            if pattern.startswith("]", i):  # "]" first in a class is literal
                i += 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        i += 1
    return False


# "(?:Donald\s+)?Trump": an optional plain head (no group, class or "|") before the rest.
_OPTIONAL_HEAD = re.compile(r"\(\?:([A-Za-z](?:[^()|\[\\]|\\.)*)\)\?(.+)", re.DOTALL)


def _spelled_out(pattern: str) -> list[str]:
    """"(?:Donald\\s+)?Trump" as ["Donald\\s+Trump", "Trump"]: the same matches, tried in
    the same order (a greedy "?" tries its group first), each now led by a letter."""
    match = _OPTIONAL_HEAD.fullmatch(pattern)
    if match is None or _splits_at_top(pattern):
        return [pattern]
    return [match.group(1) + match.group(2), match.group(2)]


def _letter_head(pattern: str) -> str | None:
    """The first character of ``pattern`` when it is a plain ASCII letter that can be
    factored out of an alternation, else None."""
    head = pattern[:1]
    if not (head.isascii() and head.isalpha()) or pattern[1:2] in ("?", "*", "+", "{"):
        return None
    return None if _splits_at_top(pattern) else head


def _alternation(patterns: Sequence[str]) -> str:
    """One non-capturing alternation, longer spellings first so they win at a position.

    Spellings that start with the same letter are grouped under it ("U(?:nited\\s+States|
    \\.S\\.)"), so that at each position the engine enters one branch per letter instead
    of one per spelling: about twice as fast for the actor and speaker lists. The order of
    the spellings that can match at one position is kept, so every match is the same: a
    group never reaches across a spelling that does not start with a plain letter, nor
    across one whose first letter differs only in case (the same letter under
    IGNORECASE).
    """
    ordered = sorted(dict.fromkeys(patterns), key=lambda p: (-len(p), p))
    branches: list[str] = []
    run: dict[str, list[str]] = {}  # first letter -> tails, in order

    def close_run() -> None:
        branches.extend(f"{head}(?:{'|'.join(f'(?:{t})' for t in tails)})"
                        for head, tails in run.items())
        run.clear()

    for pattern in (spelling for p in ordered for spelling in _spelled_out(p)):
        head = _letter_head(pattern)
        if head is None or any(h != head and h.lower() == head.lower() for h in run):
            close_run()
        if head is None:
            branches.append(f"(?:{pattern})")
        else:
            run.setdefault(head, []).append(pattern[1:])
    close_run()
    return "(?:" + "|".join(branches) + ")"


_FACTORABLE = re.compile(r"[a-z](?![?*+{])[^|]*")


def _factored_alternation(terms: Sequence[str]) -> str:
    """Like :func:`_alternation`, with terms that start with a plain lower-case letter
    grouped under that letter ("a(?:lleviat\\w*|ccountab\\w+)|b(?:...)").

    The regex engine then tries one branch per first letter instead of every term at
    every word start; on lower-cased text this makes the frame dictionaries about a third
    faster.
    Terms with "|" or a quantified first letter are left as they are.
    """
    ordered = sorted(dict.fromkeys(terms), key=lambda p: (-len(p), p))
    by_letter: dict[str, list[str]] = {}
    rest = []
    for term in ordered:
        if _FACTORABLE.fullmatch(term):
            by_letter.setdefault(term[0], []).append(term[1:])
        else:
            rest.append(term)
    branches = [
        f"{letter}(?:{'|'.join(f'(?:{tail})' for tail in tails)})"
        for letter, tails in sorted(by_letter.items())
    ]
    return "(?:" + "|".join(branches + [f"(?:{term})" for term in rest]) + ")"


def _matches_at(regex: re.Pattern, text: str, starts: Sequence[int]) -> Iterator[re.Match]:
    """``regex.finditer(text)``, trying only ``starts``: ascending positions that include
    every position where a match of ``regex`` can start.

    One scan for the ``starts`` of several regexes plus a ``match`` call at each start is
    cheaper than one scan for each regex. The regex must not match the empty string.
    """
    end = 0
    for start in starts:
        if start >= end:
            match = regex.match(text, start)
            if match is not None:
                end = match.end()
                yield match


# ---------------------------------------------------------------------------
# Guarantee lexicon


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
class _KeywordFinder:
    """The keywords occurring in a lower-cased sentence, found in one regex scan.

    Found once a sentence, so that each rule's prefilter is a set test
    (``present.isdisjoint(rule.requires)``) instead of a scan for its own keywords: with
    a hundred keywords one regex is faster than an ``in`` test for each. At each position
    it finds the longest keyword starting there; the others starting there are exactly
    those it starts with.
    """

    keywords: tuple[str, ...]
    scan: re.Pattern
    prefixes: dict[str, frozenset[str]]  # keyword -> the keywords it starts with, itself too

    @classmethod
    def of(cls, keywords: Sequence[str]) -> _KeywordFinder:
        keywords = tuple(dict.fromkeys(keywords))
        # _factored_alternation puts longer keywords first among those sharing a letter.
        scan = re.compile("(?=(" + _factored_alternation([re.escape(k) for k in keywords])
                          + "))")
        prefixes = {k: frozenset(o for o in keywords if k.startswith(o)) for k in keywords}
        return cls(keywords, scan, prefixes)

    def __call__(self, lowered: str) -> frozenset[str]:
        return frozenset().union(*map(self.prefixes.__getitem__, self.scan.findall(lowered)))


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


def _clean(text: str) -> str:
    """Whitespace runs as one space, none at the ends (``str.split`` splits on what ``\\s``
    matches)."""
    return " ".join(text.split())


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
# Sentences input


def _checked_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Validate the sentences frame and return it sorted by (article_id, sentence_id)."""
    require_columns(sentences, SENTENCE_COLUMNS, "sentences")
    return sentences.sort_values(["article_id", "sentence_id"], kind="mergesort")


def _articles(sentences: pd.DataFrame) -> Iterator[tuple[str, list[tuple]]]:
    """(article_id, rows) per article in sentence order; a row is
    (sentence_id, section, paragraph_id, text)."""
    rows = zip(sentences["article_id"].astype(str).tolist(),
               sentences["sentence_id"].astype(int).tolist(),
               sentences["section"].astype(str).tolist(),
               sentences["paragraph_id"].astype(int).tolist(),
               sentences["text"].astype(str).tolist(), strict=True)
    for article_id, group in itertools.groupby(rows, key=lambda row: row[0]):
        yield article_id, [row[1:] for row in group]


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


# ---------------------------------------------------------------------------
# Public: guarantee mentions


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


# ---------------------------------------------------------------------------
# Generic frames


@dataclass(frozen=True)
class _FrameLexicon:
    version: str
    frames: tuple[str, ...]
    regexes: dict[str, re.Pattern]  # frame -> regex with one named group per question
    anchor: re.Pattern  # empty match wherever a cue of any frame matches
    exclusions: dict[str, re.Pattern]  # question id -> phrases in which its terms are no cue


# Frame cues and their exclusions are whole words: no word character or hyphen on either side.
_WORD_START, _WORD_END = r"(?<![\w\-])", r"(?![\w\-])"
# How far around a cue an exclusion phrase that contains it is looked for.
_EXCLUSION_CONTEXT = 80


def _lower_case_terms(terms: list[str], where: str) -> list[str]:
    upper = [t for t in terms if t != t.lower()]
    if upper:
        raise InputError([f"{where}: write terms in lower case: {upper}"])
    return terms


def _frame_exclusions(questions: list[dict], where: str) -> dict[str, re.Pattern]:
    """Per question with an ``exclude`` list, the regex of the phrases that void its cues."""
    return {
        question["id"]: _compile(
            _WORD_START + "(?:" + "|".join(_lower_case_terms(
                [str(p) for p in question["exclude"]], f"{where}: {question['id']}")) + ")"
            + _WORD_END, f"{where}: {question['id']}: exclude", flags=0)
        for question in questions if question.get("exclude")
    }


@functools.cache
def _frame_lexicon() -> _FrameLexicon:
    data = _read_lexicon(_FRAME_FILE)
    where = f"analysis/lexicons/{_FRAME_FILE}"
    if not isinstance(data.get("frames"), dict) or not data["frames"]:
        raise InputError([f"{where}: missing section 'frames'"])
    regexes, all_terms, exclusions = {}, [], {}
    for frame, questions in data["frames"].items():
        all_terms += _lower_case_terms(
            [str(t) for question in questions for t in question.get("terms") or []],
            f"{where}: {frame}")
        exclusions.update(_frame_exclusions(questions, where))
        groups = [
            f"(?P<{question['id']}>{_factored_alternation(question['terms'])})"
            for question in questions if question.get("terms")
        ]
        # Lower-case terms on lower-cased text: faster than IGNORECASE, same matches.
        regexes[frame] = _compile(
            _WORD_START + "(?:" + "|".join(groups) + ")" + _WORD_END, f"{where}: {frame}",
            flags=0)
    # Any frame's match starts where one of all the terms matches, with the same
    # boundaries: the lookahead finds every such start, overlapping ones included.
    anchor = _compile(_WORD_START + "(?=" + _factored_alternation(all_terms) + _WORD_END + ")",
                      f"{where}: frames", flags=0)
    return _FrameLexicon(version=str(data["version"]), frames=tuple(data["frames"]),
                         regexes=regexes, anchor=anchor, exclusions=exclusions)


def _excluded(match: re.Match, lowered: str, lex: _FrameLexicon) -> bool:
    """Whether a cue lies inside a phrase where its word has another sense ("won't")."""
    exclusion = lex.exclusions.get(match.lastgroup)
    if exclusion is None:
        return False
    start, end = match.span()
    window = exclusion.finditer(lowered, max(0, start - _EXCLUSION_CONTEXT),
                                end + _EXCLUSION_CONTEXT)
    return any(phrase.start() <= start and end <= phrase.end() for phrase in window)


@functools.cache
def frame_names() -> tuple[str, ...]:
    """The generic frames of ``frames.yaml`` in the lexicon's order."""
    frames = _read_lexicon(_FRAME_FILE).get("frames")
    if not isinstance(frames, dict) or not frames:
        raise InputError([f"analysis/lexicons/{_FRAME_FILE}: missing section 'frames'"])
    return tuple(frames)


def generic_frames(sentences: pd.DataFrame) -> pd.DataFrame:
    """Generic news frames (Semetko & Valkenburg 2000) each sentence signals.

    Cues are matched on the sentence's :func:`analysis.data.text.matching_text`; a term inside
    one of its question's ``exclude`` phrases (another sense of the word) is no cue.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table.

    Returns
    -------
    DataFrame
        Table ``frames``: one row per (article_id, sentence_id, frame) with at least one
        cue; ``cue`` lists ``question_id: 'matched text'`` pairs in reading order, "; "
        separated, the text as matching_text spells it.
    """
    sentences = _checked_sentences(sentences)
    lex = _frame_lexicon()
    records = []
    for article_id, rows in _articles(sentences):
        for sentence_id, _, _, raw in rows:
            text = matching_text(raw)
            lowered = text.lower()
            starts = [match.start() for match in lex.anchor.finditer(lowered)]
            if not starts:
                continue
            # Cues quote the sentence as written where lower-casing kept the offsets.
            source = text if len(lowered) == len(text) else lowered
            for frame, regex in lex.regexes.items():
                cues = {}
                for match in _matches_at(regex, lowered, starts):
                    if _excluded(match, lowered, lex):
                        continue
                    cues.setdefault((match.lastgroup, match.group(0)),
                                    f"{match.lastgroup}: "
                                    f"'{_clean(source[match.start():match.end()])}'")
                if cues:
                    records.append({"article_id": article_id, "sentence_id": sentence_id,
                                    "frame": frame, "cue": "; ".join(cues.values())})
    if not records:
        return empty_table("frames")
    return conform(pd.DataFrame.from_records(records), "frames")


# ---------------------------------------------------------------------------
# Speakers and quotes


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
_COLON_BEFORE_QUOTE = re.compile(r":(?=\s*[\"“])")
_PRONOUN_END = re.compile(r"(?<![\w’'])(?P<pronoun>he|she|it|they)\s*$", re.IGNORECASE)
# Words that may open a sentence before its subject ("But Starmer said").
_OPENER = re.compile(r"\s*(?:(?:But|And|However|Meanwhile|Separately|Earlier|Later|Still|Yet|"
                     r"Now|Then)\b,?\s*)?")
# What may stand before a quote that opens a sentence: nothing, or a "Quote:" label.
_QUOTE_LEAD = re.compile(r"\s*(?:[A-Z][a-z]+\s*:\s*)?")
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


@dataclass(frozen=True)
class _Segment:
    start: int  # offsets of the quoted text inside the sentence, quote marks excluded
    end: int
    continued: bool  # opened in an earlier sentence of the paragraph


# Characters around a straight quote that show it opens ("said, "We) or closes (ready," he).
_BEFORE_OPENING = frozenset(" \t\n([{-/")
_AFTER_CLOSING = frozenset(" \t\n)]}.,;:!?-")


def _quote_role(text: str, i: int) -> str:
    """Whether the straight quote at ``i`` opens, closes or (unclear) toggles a quote.

    The rules read :func:`analysis.data.text.matching_text`, where every double quote mark is
    straight: which way it faces comes from its neighbours.
    """
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = before in _BEFORE_OPENING and not after.isspace()
    closes = not before.isspace() and after in _AFTER_CLOSING
    if opens != closes:
        return "opens" if opens else "closes"
    return "toggles"


def _quote_segments(text: str, inside: bool) -> tuple[list[_Segment], bool]:
    """Quoted spans of a sentence; ``inside`` says a quote is open from before.

    A quote mark that can only open is ignored inside a quote, one that can only close
    outside; an unclear one toggles. Returns the spans and whether the sentence ends
    inside a quote (the splitter may cut a multi-sentence quote).
    """
    segments = []
    start = 0 if inside else None
    continued = inside
    for match in _QUOTE_CHARS.finditer(text):
        role = _quote_role(text, match.start())
        if start is None:
            if role != "closes":
                start, continued = match.end(), False
        elif role != "opens":
            segments.append(_Segment(start, match.start(), continued))
            start, continued = None, False
    if start is not None:
        segments.append(_Segment(start, len(text), continued))
    return segments, start is not None


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


def _attributions(text: str, segments: list[_Segment], state: _SpeakerState
                  ) -> list[tuple[int, str]]:
    """(position, speaker) of each attribution outside the quotes, in reading order."""
    lex = state.lex

    def quoted(position: int) -> bool:
        return any(seg.start <= position < seg.end for seg in segments)

    found = []
    for match in lex.verbs.finditer(text):
        if quoted(match.start()):
            continue
        before = text[:match.start()]
        if lex.question_verb.match(match.group(0)) and (
                not before.strip() or lex.passive_before_verb.search(before)):
            # "Asked "...?"", "he was asked": the question's asker is not named.
            found.append((match.start(), UNKNOWN_SPEAKER))
            continue
        if match.group(0) == "told" and lex.passive_before_verb.search(before):
            found.append((match.start(), UNKNOWN_SPEAKER))
            continue
        speaker = state.resolve_before(before)
        # The text before ends with a comma or closing quote ("...," said X): rstrip()
        # strips what \s matches.
        if speaker is None and before.rstrip()[-1:] in (",", '"'):
            speaker = state.resolve_after(text[match.end():])
        if speaker is not None:
            found.append((match.start(), state.remember(speaker)))
    subject: list[str | None] = []  # the sentence's subject, read once if asked for
    for match in lex.participles.finditer(text):
        # "Meloni ruled out sending troops, adding that ...": the subject speaks.
        if not quoted(match.start()) and text[:match.start()].rstrip().endswith(","):
            if not subject:
                subject.append(state.subject(text))
            if subject[0] is not None:
                found.append((match.start(), state.remember(subject[0])))
    found.sort()
    found += _colon_attributions(text, segments, found, state)
    for regex in (lex.according_to, lex.message_of):
        for match in regex.finditer(text):
            if not quoted(match.start()):
                speaker = state.resolve_after(text[match.end():])
                if speaker is not None:
                    found.append((match.start(), state.remember(speaker)))
    return sorted(found)


def _colon_attributions(text: str, segments: list[_Segment], verbs: list[tuple[int, str]],
                        state: _SpeakerState) -> list[tuple[int, str]]:
    """(position, speaker) of each "X: "..."" outside the quotes.

    A colon whose clause already has a reporting verb gives nothing: in "X wrote on
    Telegram: "..."" the verb names X, and the word before the colon is no speaker.
    """
    found = []
    for match in _COLON_BEFORE_QUOTE.finditer(text):
        colon = match.start()
        clause = max((seg.end for seg in segments if seg.end <= colon), default=0)
        if any(seg.start <= colon < seg.end for seg in segments) or any(
                clause <= position < colon for position, _ in verbs):
            continue
        # "The president went further, questioning whether ...: "..."": no name before
        # the colon, the sentence's subject speaks.
        speaker = state.resolve_before(text[:colon]) or state.subject(text[clause:colon])
        if speaker is not None:
            found.append((colon, state.remember(speaker)))
    return found


def _nearest(attributions: list[tuple[int, str]], segment: _Segment) -> str | None:
    before = [speaker for position, speaker in attributions if position < segment.start]
    if before:
        return before[-1]
    after = [speaker for position, speaker in attributions if position >= segment.end]
    return after[0] if after else None


def _headline_speaker(text: str, state: _SpeakerState) -> str | None:
    """A known speaker opening a title/deck/summary line ("Trump to Negotiate ...")."""
    lex = state.lex
    matches = [m for m in (lex.alias_at_start.match(text), lex.titled_alias_at_start.match(text))
               if m is not None]
    if not matches:
        return None
    best = max(matches, key=lambda m: m.end())
    return lex.aliases[_normal(best.group(best.lastgroup))]


@dataclass
class _SentenceQuotes:
    """One sentence's quotes; a speaker of None is not named yet (a later sentence may)."""

    paragraph: tuple
    segments: list[_Segment]
    speakers: list[str | None]
    attributed: list[bool]
    inside_at_end: bool
    # Who speaks if nothing names the quotes: the speaker the sentence before named, when
    # this sentence opens with a quote (a quote paragraph after "Peskov said.").
    fallback: str | None = None

    def waiting(self) -> bool:
        return None in self.speakers

    def last_named(self) -> str | None:
        """The speaker of the sentence's last quote, if the text names one."""
        speaker = self.speakers[-1] if self.speakers else None
        return None if speaker == UNKNOWN_SPEAKER else speaker

    def name(self, speaker: str) -> None:
        """Give the quotes not named yet to ``speaker``, named after them."""
        for k, old in enumerate(self.speakers):
            if old is None:
                self.speakers[k], self.attributed[k] = speaker, True

    def assigned(self) -> list[tuple[_Segment, str, bool]]:
        if self.fallback is not None:
            self.name(self.fallback)
        return [(segment, speaker or UNKNOWN_SPEAKER, attributed) for segment, speaker,
                attributed in zip(self.segments, self.speakers, self.attributed, strict=True)]


def _segment_speaker(text: str, index: int, segment: _Segment, attributions: list[tuple[int, str]],
                     previous: _SentenceQuotes | None) -> tuple[str | None, bool]:
    """(speaker, attributed) of a body quote from its own sentence and the one before.

    ``previous`` is the sentence before in the same paragraph, or None.
    """
    carried = previous.last_named() if previous is not None else None
    if segment.continued and carried is not None:
        return carried, True
    speaker = _nearest(attributions, segment)
    if speaker is not None:
        return speaker, True
    # ""Yes," she said. "Now."": a sentence opening with a quote goes on with the speaker
    # of the quote just before it.
    if index == 0 and carried is not None and not text[:segment.start].strip(' "'):
        return carried, True
    return None, False


def _trailing_speaker(text: str, attributions: list[tuple[int, str]],
                      lex: _SpeakerLexicon) -> str | None:
    """The speaker a quote-less sentence names if it is only an attribution.

    "X said.", "X told reporters on Monday." or "That was the message of X.": the quotes
    just before it are X's.
    """
    if not attributions or attributions[0][1] == UNKNOWN_SPEAKER:
        return None
    position, speaker = attributions[0]
    if lex.message_of.match(text, position):
        return speaker
    verb = lex.verbs.match(text, position)
    return speaker if verb and lex.bare_attribution_end.match(text, verb.end()) else None


def _sentence_quotes(text: str, section: str, paragraph: tuple, previous: _SentenceQuotes | None,
                     last_named: str | None, state: _SpeakerState
                     ) -> tuple[_SentenceQuotes, list[tuple[int, str]]]:
    """The quotes of one sentence and its attributions.

    ``previous`` is the sentence before in the same paragraph, or None; ``last_named`` the
    speaker that the sentence before (in any paragraph) named, or None.
    """
    inside = previous is not None and previous.inside_at_end
    segments, inside_at_end = _quote_segments(text, inside)
    attributions = _attributions(text, segments, state)
    quotes = _SentenceQuotes(paragraph, segments, [], [], inside_at_end)
    if segments and not segments[0].continued and section not in state.lex.headline_sections \
            and _QUOTE_LEAD.fullmatch(text, 0, max(0, segments[0].start - 1)):
        quotes.fallback = last_named
    for index, segment in enumerate(segments):
        speaker, attributed = _segment_speaker(text, index, segment, attributions, previous)
        if speaker is None and section in state.lex.headline_sections:
            speaker = _headline_speaker(text, state) or UNKNOWN_SPEAKER
        quotes.speakers.append(speaker)
        quotes.attributed.append(attributed)
    return quotes, attributions


def _names_held_quotes(quotes: _SentenceQuotes, text: str, attributions: list[tuple[int, str]],
                       lex: _SpeakerLexicon) -> str | None:
    """The speaker that a sentence names for the waiting quotes right before it."""
    if not quotes.segments:
        return _trailing_speaker(text, attributions, lex)
    first = quotes.speakers[0]
    # The end of a quote cut by the splitter names the speaker of the whole quote.
    if quotes.segments[0].continued and first not in (None, UNKNOWN_SPEAKER):
        return first
    return None


def _article_quotes(rows: list[tuple], lex: _SpeakerLexicon
                    ) -> Iterator[list[tuple[_Segment, str, bool]]]:
    """Per sentence of one article, in order: (segment, speaker, attributed) for each quote.

    The rules read each sentence's :func:`~analysis.data.text.matching_text`, and segments
    are offsets into it. ``attributed`` is False when nothing in the text names the
    quote's speaker (the speaker then comes from a headline's subject or is unknown);
    short unattributed quotes are scare quotes. A body quote with no speaker in its own
    sentence waits for the next: a sentence that ends the quote and names its speaker,
    or a quote-less "X said.", names the waiting quotes. A generator that reads ahead
    only while quotes wait, so a caller may stop early.
    """
    state = _SpeakerState(lex)
    held: list[_SentenceQuotes] = []  # consecutive sentences of one paragraph that wait
    previous, last_named = None, None
    for _, section, paragraph_id, raw in rows:
        text, paragraph = matching_text(raw), (section, paragraph_id)
        before = previous if previous is not None and previous.paragraph == paragraph else None
        state.learn(text)
        quotes, attributions = _sentence_quotes(text, section, paragraph, before, last_named,
                                                state)
        if held and (speaker := _names_held_quotes(quotes, text, attributions, lex)):
            for waiting in held:
                waiting.name(speaker)
        if held and (not quotes.waiting() or held[-1].paragraph != paragraph):
            yield from _released(held)
            held = []
        if quotes.waiting():
            held.append(quotes)
        else:
            yield quotes.assigned()
        previous = quotes
        named = [speaker for _, speaker in attributions if speaker != UNKNOWN_SPEAKER]
        last_named = named[-1] if named else quotes.last_named()
    yield from _released(held)


def _released(held: list[_SentenceQuotes]) -> Iterator[list[tuple[_Segment, str, bool]]]:
    """The quotes of sentences that waited for a speaker. Those no later sentence named
    are one quote cut into sentences: they take the fallback of the sentence that opened
    it."""
    for waiting in held:
        waiting.fallback = held[0].fallback
        yield waiting.assigned()


def _is_scare_quote(text: str, segment: _Segment, attributed: bool,
                    lex: _SpeakerLexicon) -> bool:
    # The word count first: it is cheaper than searching all the text before the quote.
    if not attributed and len(text[segment.start:segment.end].split()) <= lex.max_scare_words:
        return True
    opening = max(0, segment.start - 1)
    return lex.scare_markers.search(text[:opening]) is not None


def extract_quotes(sentences: pd.DataFrame) -> pd.DataFrame:
    """Direct quotes with their speakers, resolved within each article in sentence order.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table.

    Returns
    -------
    DataFrame
        Table ``quotes``: one row per (article_id, sentence_id, speaker); ``quote`` is the
        quoted text as :func:`analysis.data.text.matching_text` spells it (straight quotes and
        apostrophes, entities decoded), several quotes of one speaker in a sentence joined
        by " … ". Speakers are canonical names (speakers.yaml, else the full name as the
        article first gives it) or "unknown". Scare quotes are left out.
    """
    sentences = _checked_sentences(sentences)
    lex = _speaker_lexicon()
    records = []
    for article_id, rows in _articles(sentences):
        rows = [(sentence_id, section, paragraph_id, matching_text(text))
                for sentence_id, section, paragraph_id, text in rows]
        for (sentence_id, _, _, text), assigned in zip(rows, _article_quotes(rows, lex),
                                                      strict=True):
            quotes: dict[str, list[str]] = {}
            for segment, speaker, attributed in assigned:
                quote = text[segment.start:segment.end].strip().rstrip(",").strip()
                if quote and not _is_scare_quote(text, segment, attributed, lex):
                    quotes.setdefault(speaker, []).append(_clean(quote))
            records.extend(
                {"article_id": article_id, "sentence_id": sentence_id, "speaker": speaker,
                 "quote": _QUOTE_JOINER.join(parts)}
                for speaker, parts in quotes.items()
            )
    if not records:
        return empty_table("quotes")
    return conform(pd.DataFrame.from_records(records), "quotes")


# ---------------------------------------------------------------------------
# Summaries


def _check_by(by: Sequence[str], sentences: pd.DataFrame | None) -> list[str]:
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ValueError("by must name at least one column, e.g. ('article_id',)")
    if sentences is not None:
        missing = [c for c in by if c not in sentences.columns]
        if missing:
            raise ValueError(f"by columns {missing} are not sentence columns")
    return by


def _with_by(table: pd.DataFrame, sentences: pd.DataFrame | None, by: list[str]) -> pd.DataFrame:
    """``table`` with the ``by`` columns, taken from ``sentences`` where it lacks them."""
    lacking = [c for c in by if c not in table.columns]
    if not lacking:
        return table
    if sentences is None:
        raise ValueError(f"by columns {lacking} need the sentences table: pass sentences=")
    keys = ["article_id", "sentence_id"]
    return table.merge(sentences[keys + lacking].drop_duplicates(keys), on=keys, how="left",
                       validate="many_to_one")


def _groups(sentences: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Each group of sentences with its size (n_sentences), sorted by ``by``."""
    if sentences.empty:
        return pd.DataFrame({**{c: pd.Series([], dtype=object) for c in by},
                             "n_sentences": pd.Series([], dtype="int64")})
    sizes = sentences.groupby(by, sort=True, dropna=False).size()
    return sizes.rename("n_sentences").reset_index()


def _grid(groups: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Every group with every item, groups in order then items in order."""
    left = groups.assign(_g=np.arange(len(groups)))
    right = items.assign(_i=np.arange(len(items)))
    grid = left.merge(right, how="cross")
    return grid.sort_values(["_g", "_i"], kind="mergesort").drop(columns=["_g", "_i"])


def _share(numerator: pd.Series, denominator: pd.Series) -> np.ndarray:
    """numerator / denominator, 0.0 where the denominator is 0."""
    num = numerator.to_numpy(dtype=float)
    den = denominator.to_numpy(dtype=float)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _vocabulary_items(mentions: pd.DataFrame) -> pd.DataFrame:
    """(dimension, label) in lexicon order, then any other labels found in ``mentions``."""
    vocabulary = _vocabulary()
    items = [(dim, label) for dim in GUARANTEE_DIMENSIONS for label in vocabulary[dim]]
    seen = set(items)
    extra = sorted({(d, lab) for d, lab in zip(mentions["dimension"], mentions["label"],
                                               strict=True)} - seen)
    return pd.DataFrame(items + extra, columns=["dimension", "label"])


def _label_counts(mentions: pd.DataFrame, groups: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Affirmed and negated sentence counts per group and label (complete grid)."""
    grid = _grid(groups, _vocabulary_items(mentions))
    keys = [*by, "dimension", "label"]
    for column, negated in (("affirmed", False), ("negated", True)):
        subset = mentions.loc[mentions["negated"].astype(bool) == negated, keys]
        counts = subset.groupby(keys, sort=False, dropna=False).size().rename(column)
        grid = grid.merge(counts.reset_index(), on=keys, how="left")
        grid[column] = grid[column].fillna(0).astype("int64")
    return grid.reset_index(drop=True)


def guarantee_summary(mentions: pd.DataFrame, sentences: pd.DataFrame,
                      by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """Counts and shares of each guarantor and form label per group of sentences.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``.
    sentences : DataFrame
        Table ``sentences``: defines the groups (every group appears, with zeros when it
        has no mentions) and supplies columns such as ``section``.
    by : sequence of str, default ("article_id",)
        Sentence columns to group by, e.g. ``("article_id", "section")``.

    Returns
    -------
    DataFrame
        One row per group, dimension and label (all vocabulary labels), columns ``*by``,
        dimension, label, affirmed (sentences affirming the label), negated (sentences
        ruling it out), share (affirmed / all affirmed labels of the dimension in the
        group, 0.0 when there are none) and n_sentences (sentences in the group).
    """
    by = _check_by(by, sentences)
    groups = _groups(sentences, by)
    counts = _label_counts(_with_by(mentions, sentences, by), groups, by)
    total = counts.groupby([*by, "dimension"], sort=False, dropna=False)["affirmed"]
    counts["share"] = _share(counts["affirmed"], total.transform("sum"))
    columns = [*by, "dimension", "label", "affirmed", "negated", "share", "n_sentences"]
    return counts[columns].reset_index(drop=True)


def dominant_labels(mentions: pd.DataFrame, sentences: pd.DataFrame | None = None,
                    by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """The most often affirmed guarantor and form per group.

    Parameters
    ----------
    mentions : DataFrame
        Table ``guarantee_mentions``.
    sentences : DataFrame, optional
        Table ``sentences``. With it every group appears (``"none"`` where nothing is
        affirmed) and ``by`` may use sentence columns such as ``section``; without it the
        groups are those present in ``mentions``.
    by : sequence of str, default ("article_id",)

    Returns
    -------
    DataFrame
        One row per group and dimension: ``*by``, dimension, label (the dominant label or
        ``"none"``), affirmed (its count), tie (True when other labels have the same
        count; the first in vocabulary order is then reported) and tied_labels (all
        labels sharing the top count, "|"-joined in vocabulary order, "" without a tie).
    """
    by = _check_by(by, sentences)
    if sentences is not None:
        groups = _groups(sentences, by)
        mentions = _with_by(mentions, sentences, by)
    else:
        _with_by(mentions, None, by)
        groups = mentions[by].drop_duplicates().sort_values(by, kind="mergesort")
    counts = _label_counts(mentions, groups.reset_index(drop=True), by)
    records = []
    for key, group in counts.groupby([*by, "dimension"], sort=False, dropna=False):
        top = int(group["affirmed"].max()) if len(group) else 0
        leaders = list(group.loc[group["affirmed"] == top, "label"]) if top > 0 else []
        records.append({
            **dict(zip([*by, "dimension"], key, strict=True)),
            "label": leaders[0] if leaders else NO_LABEL,
            "affirmed": top,
            "tie": len(leaders) > 1,
            "tied_labels": "|".join(leaders) if len(leaders) > 1 else "",
        })
    columns = [*by, "dimension", "label", "affirmed", "tie", "tied_labels"]
    result = pd.DataFrame.from_records(records, columns=columns)
    return result.astype({"affirmed": "int64", "tie": bool})


def frame_shares(frames: pd.DataFrame, sentences: pd.DataFrame,
                 by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """Share of sentences signalling each generic frame, per group.

    Parameters
    ----------
    frames : DataFrame
        Table ``frames``.
    sentences : DataFrame
        Table ``sentences`` (defines the groups and their sizes).
    by : sequence of str, default ("article_id",)

    Returns
    -------
    DataFrame
        One row per group and frame (all five, zeros included): ``*by``, frame,
        n_sentences, n_with_frame, share (n_with_frame / n_sentences).
    """
    by = _check_by(by, sentences)
    groups = _groups(sentences, by)
    names = list(frame_names())
    names += sorted(set(frames["frame"]) - set(names))
    grid = _grid(groups, pd.DataFrame({"frame": names}))
    keyed = _with_by(frames, sentences, by)
    counts = keyed.groupby([*by, "frame"], sort=False, dropna=False).size()
    grid = grid.merge(counts.rename("n_with_frame").reset_index(), on=[*by, "frame"],
                      how="left")
    grid["n_with_frame"] = grid["n_with_frame"].fillna(0).astype("int64")
    grid["share"] = _share(grid["n_with_frame"], grid["n_sentences"])
    return grid[[*by, "frame", "n_sentences", "n_with_frame", "share"]].reset_index(drop=True)


def voice_summary(quotes: pd.DataFrame, mentions: pd.DataFrame | None = None,
                  sentences: pd.DataFrame | None = None,
                  by: Sequence[str] = ("article_id",)) -> pd.DataFrame:
    """Who is quoted, how often, and how often in sentences about security guarantees.

    Parameters
    ----------
    quotes : DataFrame
        Table ``quotes``.
    mentions : DataFrame, optional
        Table ``guarantee_mentions``; adds the guarantee columns.
    sentences : DataFrame, optional
        Table ``sentences``; needed when ``by`` uses a column quotes lack (``section``).
    by : sequence of str, default ("article_id",)

    Returns
    -------
    DataFrame
        One row per group and speaker, sorted by ``*by`` then speaker: ``*by``, speaker,
        actor (the speaker's side in speakers.yaml, "" if none), n_quotes (sentences
        quoting the speaker) and, with ``mentions``, n_guarantee_quotes (those sentences
        that carry a guarantee mention) and guarantee_share (their fraction).
    """
    by = _check_by(by, sentences)
    keyed = _with_by(quotes, sentences, by)
    columns = [*by, "speaker", "actor", "n_quotes"]
    if mentions is not None:
        labelled = set(zip(mentions["article_id"], mentions["sentence_id"], strict=True))
        keyed = keyed.assign(in_guarantee=[
            (a, s) in labelled
            for a, s in zip(keyed["article_id"], keyed["sentence_id"], strict=True)
        ])
        columns += ["n_guarantee_quotes", "guarantee_share"]
    else:
        keyed = keyed.assign(in_guarantee=False)
    summary = keyed.groupby([*by, "speaker"], sort=True, dropna=False).agg(
        n_quotes=("quote", "size"), n_guarantee_quotes=("in_guarantee", "sum"))
    summary = summary.reset_index()
    actors = _speaker_lexicon().actors
    summary["actor"] = [actors.get(s, "") for s in summary["speaker"]]
    summary["n_quotes"] = summary["n_quotes"].astype("int64")
    summary["n_guarantee_quotes"] = summary["n_guarantee_quotes"].astype("int64")
    summary["guarantee_share"] = _share(summary["n_guarantee_quotes"], summary["n_quotes"])
    return summary.reindex(columns=columns).reset_index(drop=True)
