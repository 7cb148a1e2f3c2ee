"""Lexicon files and the regular expressions built from their rules.

Reads ``analysis/lexicons/*.yaml``, expands ``{macro}`` placeholders, compiles patterns
(a broken one fails with an :class:`~analysis.errors.InputError` naming its rule), and
builds the faster but equivalent forms the measures share: letter-factored alternations
(:func:`_alternation`, :func:`_factored_alternation`), matching tried only at given
starts (:func:`_matches_at`) and the keywords of a text found in one scan
(:class:`_KeywordFinder`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

import yaml

from analysis.errors import InputError

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


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
