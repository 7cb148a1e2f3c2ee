"""The sentence documents a topic model is fitted to, and their term matrix.

Every sentence with content words (:func:`analysis.data.text.content_tokens`) is one
document. LDA is fitted to raw term counts, NMF to TF-IDF weights, as each model's
likelihood or loss expects; a corpus too small for the number of topics is refused with
:class:`CorpusTooSmall`. Stability refits see a random share of the documents
(:func:`resample_documents`). On a large corpus the topic steps fit a seeded random
sample of the sentences (:func:`sample_sentences`), since a sweep makes dozens of fits.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis.data.tables import require_columns, select_sections
from analysis.data.text import content_tokens

# Share of the sentence documents each stability refit sees. Greene et al. (2014) use
# 80%: enough data that a real topic reappears, little enough that a topic resting on
# one or two sentences can disappear from a resample.
DEFAULT_SAMPLE_FRACTION = 0.8

_SENTENCE_COLUMNS = ("article_id", "sentence_id", "section", "text")


class CorpusTooSmall(ValueError):
    """The documents (or their vocabulary) are too few for the number of topics."""


def select_documents(
    sentences: pd.DataFrame, sections: Iterable[str] | None
) -> pd.DataFrame:
    """Sentences of the chosen sections that have content words, in key order."""
    require_columns(sentences, _SENTENCE_COLUMNS, "sentences")
    docs = select_sections(sentences.loc[:, list(_SENTENCE_COLUMNS)], sections)
    docs = docs.sort_values(["article_id", "sentence_id"], kind="mergesort")
    # A sentence of stop words only carries no topic evidence; LDA would give it the
    # prior and NMF nothing, so it is left out rather than reported with made-up weights.
    has_content = np.array([bool(content_tokens(t)) for t in docs["text"]], dtype=bool)
    return docs[has_content].reset_index(drop=True)


def _vectorizer(model: str, min_df: int | float) -> CountVectorizer | TfidfVectorizer:
    if model == "lda":
        return CountVectorizer(analyzer=content_tokens, min_df=min_df)
    return TfidfVectorizer(analyzer=content_tokens, min_df=min_df)


def document_term(docs: pd.DataFrame, k: int, model: str, min_df: int | float):
    """The model's vectorizer fitted to ``docs`` and its document-term matrix.

    Counts for LDA, TF-IDF weights for NMF; :class:`CorpusTooSmall` when there are
    fewer documents or terms than ``k`` topics.
    """
    if len(docs) == 0:
        raise CorpusTooSmall("no sentence has content words: there is nothing to fit "
                             "topics to")
    if len(docs) < k:
        raise CorpusTooSmall(
            f"cannot fit {k} topics to {len(docs)} sentence documents: "
            f"need at least as many documents as topics"
        )
    vectorizer = _vectorizer(model, min_df)
    try:
        matrix = vectorizer.fit_transform(docs["text"].tolist())
    except ValueError as err:  # min_df pruned every term, or exceeds the document count
        raise CorpusTooSmall(f"no usable vocabulary with min_df={min_df!r}: {err}") from None
    if matrix.shape[1] < k:
        raise CorpusTooSmall(
            f"cannot fit {k} topics to a vocabulary of {matrix.shape[1]} terms "
            f"(min_df={min_df!r}): need at least as many terms as topics"
        )
    return vectorizer, csr_matrix(matrix)


def check_fraction(sample_fraction: float) -> float:
    """``sample_fraction`` as a float, refused unless it is in (0, 1]."""
    sample_fraction = float(sample_fraction)
    if not 0 < sample_fraction <= 1:
        raise ValueError(f"sample_fraction must be in (0, 1], got {sample_fraction}")
    return sample_fraction


def resample_documents(
    sentences: pd.DataFrame,
    sample_fraction: float = DEFAULT_SAMPLE_FRACTION,
    seed: int = 0,
    *,
    sections: Iterable[str] | None = None,
) -> pd.DataFrame:
    """A random share of the sentence documents, drawn without replacement.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``; row order does not matter.
    sample_fraction : float, default 0.8
        Share of the documents to keep, in (0, 1]; the sample has
        ``round(sample_fraction * n_documents)`` documents (at least one).
    seed : int
        Seed of the ``PCG64`` generator that draws the sample.
    sections : iterable of str, optional
        As for :func:`fit_topics`; applied before drawing.

    Returns
    -------
    DataFrame
        Columns article_id, sentence_id, section, text of the drawn documents (only
        sentences with content words are documents), in (article_id, sentence_id) order.
        The same sentences and seed give the same sample.
    """
    sample_fraction = check_fraction(sample_fraction)
    return draw_documents(select_documents(sentences, sections), sample_fraction, seed)


def draw_documents(docs: pd.DataFrame, sample_fraction: float, seed: int) -> pd.DataFrame:
    """:func:`resample_documents` of documents already selected."""
    size = max(1, int(round(sample_fraction * len(docs)))) if len(docs) else 0
    rng = np.random.Generator(np.random.PCG64(seed))
    keep = np.sort(rng.choice(len(docs), size=size, replace=False))
    return docs.iloc[keep].reset_index(drop=True)


def sample_sentences(sentences: pd.DataFrame, max_sentences: int | None,
                     seed: int = 0) -> pd.DataFrame:
    """At most ``max_sentences`` rows of ``sentences``, a seeded random sample.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences``.
    max_sentences : int or None
        The most rows to keep; ``None`` keeps all.
    seed : int
        Seed of the ``PCG64`` generator that draws the sample.

    Returns
    -------
    DataFrame
        ``sentences`` itself when it has at most ``max_sentences`` rows; otherwise the
        drawn rows in (article_id, sentence_id) order, index ``0..n-1``. The same table
        and seed give the same sample, whatever the row order.
    """
    if max_sentences is None or len(sentences) <= max_sentences:
        return sentences
    ordered = sentences.sort_values(["article_id", "sentence_id"], kind="mergesort")
    rng = np.random.Generator(np.random.PCG64(seed))
    keep = np.sort(rng.choice(len(ordered), size=max_sentences, replace=False))
    return ordered.iloc[keep].reset_index(drop=True)
