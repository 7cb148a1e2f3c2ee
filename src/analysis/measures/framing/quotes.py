"""Direct quotes and their speakers, sentence by sentence: :func:`extract_quotes`.

Quote marks are paired into segments, a quote cut by the sentence splitter included;
reporting verbs, "according to", colons and participles attribute them, with the
names resolved by :mod:`.speakers`; a quote no sentence attributes waits for the next,
and short unattributed ones are scare quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from analysis.data.tables import conform, empty_table
from analysis.data.text import matching_text
from analysis.measures.framing.labels import UNKNOWN_SPEAKER
from analysis.measures.framing.sentences import _articles, _checked_sentences, _clean
from analysis.measures.framing.speakers import (
    _normal,
    _speaker_lexicon,
    _SpeakerLexicon,
    _SpeakerState,
)

_QUOTE_JOINER = " \u2026 "
_QUOTE_CHARS = re.compile('["\u201c\u201d]')
_COLON_BEFORE_QUOTE = re.compile(r":(?=\s*[\"“])")
# What may stand before a quote that opens a sentence: nothing, or a "Quote:" label.
_QUOTE_LEAD = re.compile(r"\s*(?:[A-Z][a-z]+\s*:\s*)?")


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
        article first gives it) or "unknown". Scare quotes are left out. The rules are
        English: sentences whose ``language`` is another give no rows.
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
