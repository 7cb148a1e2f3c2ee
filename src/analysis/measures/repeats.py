"""Sentences that repeat another sentence of their article, to be counted once.

A news page says its point several times: the headline, the summary bullets and the
deck restate sentences of the body, often quoting the same words. Counted as separate
sentences, one statement weighs two or three times in a mean, and a test treats the
copies as independent evidence. :func:`repeated_sentences` marks, within each article,
every sentence that repeats another one that is kept:

- a title, summary or deck sentence repeats a body sentence when at least
  ``threshold`` of its content words (:func:`analysis.data.text.content_tokens`) occur
  in that body sentence (the front matter is the copy, the body the source);
- any sentence repeats an earlier sentence of the same article (in reading order,
  front matter first) when their content-word sets overlap by at least ``threshold``
  (Jaccard index): near-duplicates anywhere count once, the first is kept.

Sentences without content words are never marked. The rule and its threshold are
stated where they are used, so a reader can apply them again.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.tables import FRONT_SECTIONS, require_columns
from analysis.data.text import content_tokens

DEFAULT_THRESHOLD = 0.8


def repeated_sentences(sentences: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD
                       ) -> pd.Series:
    """Which sentences repeat another sentence of their article that is kept.

    Parameters
    ----------
    sentences : DataFrame, shape (n_sentences, ...)
        Table ``sentences`` (article_id, sentence_id, section, text).
    threshold : float, default 0.8
        The share of a front-matter sentence's content words found in one body sentence,
        or the Jaccard index of two sentences' content-word sets, from which a sentence
        counts as a repeat; in (0, 1].

    Returns
    -------
    Series of bool, shape (n_sentences,)
        Aligned with ``sentences``: True for a repeat (left out of tests and intervals),
        False for a sentence that counts.
    """
    require_columns(sentences, ("article_id", "sentence_id", "section", "text"), "sentences")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    words = sentences["text"].map(lambda text: frozenset(content_tokens(str(text))))
    repeated = pd.Series(False, index=sentences.index)
    for _, own in sentences.sort_values(["article_id", "sentence_id"],
                                        kind="mergesort").groupby("article_id", sort=False):
        body = [words[i] for i in own.index[~own["section"].isin(FRONT_SECTIONS)]]
        kept: list[frozenset[str]] = []
        for index, section in zip(own.index, own["section"], strict=True):
            mine = words[index]
            if not mine:
                continue
            copies_body = section in FRONT_SECTIONS and any(
                len(mine & other) >= threshold * len(mine) for other in body)
            near_earlier = any(len(mine & other) >= threshold * len(mine | other)
                               for other in kept)
            if copies_body or near_earlier:
                repeated[index] = True
            else:
                kept.append(mine)
    return repeated
