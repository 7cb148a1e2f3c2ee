"""The two lexicons that score every English sentence, and where VADER's two ports disagree.

VADER (Hutto & Gilbert 2014) in the reference implementation of the ``vaderSentiment``
package, and TextBlob's pattern lexicon, both offline; :func:`score_sentences` makes the
``sentiment`` table. NLTK's port of VADER, given the same lexicon, is kept only to list
the sentences where its rules differ from the reference's
(:func:`vader_implementation_disagreement`). Both lexicons are English and read the
normalised text of :func:`analysis.data.text.matching_text`; sentences in another
``language`` are not scored.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

import nltk.data
import numpy as np
import pandas as pd
import textblob.en
import vaderSentiment.vaderSentiment
from nltk.sentiment.vader import SentimentIntensityAnalyzer as NltkVader

from analysis.data.tables import conform, require_columns
from analysis.data.text import english_rows, matching_text

SENTENCE_KEY = ["article_id", "sentence_id"]
MEASURES = ("vader_compound", "textblob_polarity")


@functools.cache
def reference_vader() -> vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer:
    """The reference VADER analyzer, built once per process (loading its lexicon is slow)."""
    return vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer()


@functools.cache
def nltk_vader() -> NltkVader:
    """NLTK's VADER port with the reference package's lexicon, built once per process.

    NLTK reads lexicons only through ``nltk.data`` from folders on ``nltk.data.path``
    (absolute paths are refused), and its path sandbox also refuses hard-linked files,
    which is how some installers place ``vader_lexicon.txt`` in site-packages. So the
    lexicon is copied into a fresh private temporary folder, that folder is put on
    ``nltk.data.path`` just while the analyzer reads it, and both are removed again.
    No ``nltk_data`` and no network are needed. The two analyzers then share one
    lexicon, so any disagreement between them comes from their rules.
    """
    source = Path(vaderSentiment.vaderSentiment.__file__).with_name("vader_lexicon.txt")
    folder = tempfile.mkdtemp(prefix="vader-lexicon-")
    try:
        lexicon = Path(folder) / "vader_lexicon.txt"
        shutil.copyfile(source, lexicon)
        nltk.data.path.insert(0, folder)
        try:
            return NltkVader(lexicon_file=f"file:{lexicon}")
        finally:
            nltk.data.path.remove(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _score_text(text: str) -> tuple[float, float, float, float, float, float]:
    vader = reference_vader().polarity_scores(text)
    # textblob.en.sentiment is the pattern lexicon that PatternAnalyzer.analyze wraps;
    # calling it directly gives the same numbers and skips the namedtuple class that
    # analyze builds on every call (about a third of TextBlob's time per sentence).
    polarity, subjectivity = textblob.en.sentiment(text)
    return (
        vader["compound"], vader["pos"], vader["neu"], vader["neg"],
        float(polarity), float(subjectivity),
    )


def _english_texts(sentences: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The English rows of ``sentences`` and their texts as the lexicons read them.

    Both lexicons are English word lists: a sentence in another language has none of
    their words and would score a neutral 0 that says nothing, so it is left out.
    Invisible characters and typographic variants would hide a word from the lexicons
    ("goo\u00add"), so they read :func:`analysis.data.text.matching_text`.
    """
    require_columns(sentences, [*SENTENCE_KEY, "text"], "sentences")
    english = sentences.loc[english_rows(sentences)]
    return english, [matching_text(t) for t in english["text"].fillna("").astype(str)]


def score_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Score every English sentence with VADER and TextBlob.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table, shape (n_sentences, >= 3); needs ``article_id``,
        ``sentence_id`` and ``text``; an optional ``language`` (default English).
        Missing text scores as the empty string.

    Returns
    -------
    DataFrame
        Table ``sentiment``, one row an English sentence (sentences in other languages
        get no row): ``vader_compound`` in [-1, 1], ``vader_pos``/``vader_neu``/
        ``vader_neg`` proportions in [0, 1] summing to about 1, ``textblob_polarity``
        in [-1, 1], ``textblob_subjectivity`` in [0, 1]. Texts are scored as
        :func:`analysis.data.text.matching_text` spells them; identical texts
        (repeated decks, syndicated boilerplate) are scored once.
    """
    sentences, texts = _english_texts(sentences)
    scores = {text: _score_text(text) for text in dict.fromkeys(texts)}
    columns = [
        "vader_compound", "vader_pos", "vader_neu", "vader_neg",
        "textblob_polarity", "textblob_subjectivity",
    ]
    values = np.array([scores[text] for text in texts], dtype=float).reshape(-1, len(columns))
    out = pd.DataFrame(values, columns=columns)
    out.insert(0, "sentence_id", sentences["sentence_id"].to_numpy())
    out.insert(0, "article_id", sentences["article_id"].to_numpy())
    return conform(out, "sentiment")


def vader_implementation_disagreement(
    sentences: pd.DataFrame, tolerance: float = 1e-9
) -> pd.DataFrame:
    """Sentences whose VADER compound score differs between the reference and NLTK's port.

    Both analyzers use the reference lexicon (:func:`nltk_vader`), so differences come
    from the rules. Negation: the reference treats "no" before a lexicon word as a
    negator rather than a negative word, and "without doubt" as an affirmation.
    Tokens: NLTK strips only single punctuation marks from word ends, so a lexicon
    word closing a quotation (``good."``, ``agreed,"``) scores 0 there; in news, full
    of quotes, this is the more frequent cause.

    Parameters
    ----------
    sentences : DataFrame
        Needs ``article_id``, ``sentence_id`` and ``text``; only English rows are read,
        as :func:`analysis.data.text.matching_text` spells them (as
        :func:`score_sentences` does).
    tolerance : float, default 1e-9
        Absolute difference below which scores count as equal (both round to 4 decimals).

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``sentence_id``, ``text``, ``reference_compound``,
        ``nltk_compound``, ``difference`` (NLTK minus reference); one row a disagreeing
        sentence, sorted by key; zero rows when the ports agree everywhere.
    """
    sentences, matched = _english_texts(sentences)
    texts = pd.Series(matched, index=sentences.index, dtype=object)
    unique = list(dict.fromkeys(texts))
    reference = {t: reference_vader().polarity_scores(t)["compound"] for t in unique}
    ported = {t: nltk_vader().polarity_scores(t)["compound"] for t in unique}
    out = pd.DataFrame(
        {
            "article_id": sentences["article_id"].astype(str).to_numpy(),
            "sentence_id": sentences["sentence_id"].astype("int64").to_numpy(),
            "text": sentences["text"].fillna("").astype(str).to_numpy(),
            "reference_compound": texts.map(reference).astype(float).to_numpy(),
            "nltk_compound": texts.map(ported).astype(float).to_numpy(),
        }
    )
    out["difference"] = out["nltk_compound"] - out["reference_compound"]
    out = out.loc[out["difference"].abs() > tolerance]
    return out.sort_values(SENTENCE_KEY, kind="mergesort").reset_index(drop=True)
