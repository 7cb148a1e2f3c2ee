"""Sentence-level sentiment with two lexicons, and the statistics to compare articles.

Each sentence is scored on its own and scores are aggregated afterwards, because
VADER's compound score is a squashed sum that saturates towards +-1 on long texts:
a whole article scored at once says little more than "long".

Two independent lexicons score every sentence:

* VADER (Hutto & Gilbert 2014), the reference implementation of the
  ``vaderSentiment`` package with the lexicon it ships, offline. VADER was built for
  social-media text and is weakest on news and editorials: its paper reports a
  classification F1 of 0.96 on tweets but 0.55 on New York Times editorials. Read
  its scores on news as a rough, lexical signal, and check them against the second
  lexicon (:func:`lexicon_agreement`).
* TextBlob's pattern lexicon (polarity in [-1, 1], subjectivity in [0, 1]),
  adjective-based, also offline.

NLTK ships its own port of VADER whose rules differ on some negations ("No deal, no
peace.", "without doubt") and on words that close a quotation (``good."``);
:func:`vader_implementation_disagreement` lists the sentences where the two ports
disagree instead of hiding it. Scores in the tables are the reference's.

Per-article statistics use sentences as the sampling unit: a percentile bootstrap
for the mean (:func:`bootstrap_mean_ci`) and a permutation test for the difference
between two articles (:func:`permutation_test`). Sentences of one article are not
independent draws (they share a topic and an author), so the intervals describe
the variability of these sentences, not of an outlet's coverage.
"""

from __future__ import annotations

import functools
import math
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import nltk.data
import numpy as np
import pandas as pd
import textblob.en
import vaderSentiment.vaderSentiment
from nltk.sentiment.vader import SentimentIntensityAnalyzer as NltkVader
from scipy import stats

from analysis.data import tables
from analysis.data.tables import conform, require_columns
from analysis.errors import InputError

SENTENCE_KEY = ["article_id", "sentence_id"]
MEASURES = ("vader_compound", "textblob_polarity")
VOICE_QUOTE = "quote"
VOICE_NARRATOR = "narrator"

# Bootstrap and permutation draws are made in blocks of at most this many random
# numbers, so memory stays bounded (about 16 MB a block) for long articles.
_MAX_DRAWS_PER_BLOCK = 1 << 21
# Permuted differences this close to the observed one (relative) count as ties: the
# same split summed in another order can differ in the last bits.
_TIE_TOLERANCE = 1e-12


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


def score_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Score every sentence with VADER and TextBlob.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table, shape (n_sentences, >= 3); needs ``article_id``,
        ``sentence_id`` and ``text``. Missing text scores as the empty string.

    Returns
    -------
    DataFrame
        Table ``sentiment``, one row a sentence: ``vader_compound`` in [-1, 1],
        ``vader_pos``/``vader_neu``/``vader_neg`` proportions in [0, 1] summing to
        about 1, ``textblob_polarity`` in [-1, 1], ``textblob_subjectivity`` in [0, 1].
        Identical texts (repeated decks, syndicated boilerplate) are scored once.
    """
    require_columns(sentences, [*SENTENCE_KEY, "text"], "sentences")
    texts = sentences["text"].fillna("").astype(str).tolist()
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
        Needs ``article_id``, ``sentence_id`` and ``text``.
    tolerance : float, default 1e-9
        Absolute difference below which scores count as equal (both round to 4 decimals).

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``sentence_id``, ``text``, ``reference_compound``,
        ``nltk_compound``, ``difference`` (NLTK minus reference); one row a disagreeing
        sentence, sorted by key; zero rows when the ports agree everywhere.
    """
    require_columns(sentences, [*SENTENCE_KEY, "text"], "sentences")
    texts = sentences["text"].fillna("").astype(str)
    unique = list(dict.fromkeys(texts))
    reference = {t: reference_vader().polarity_scores(t)["compound"] for t in unique}
    ported = {t: nltk_vader().polarity_scores(t)["compound"] for t in unique}
    out = pd.DataFrame(
        {
            "article_id": sentences["article_id"].astype(str).to_numpy(),
            "sentence_id": sentences["sentence_id"].astype("int64").to_numpy(),
            "text": texts.to_numpy(),
            "reference_compound": texts.map(reference).astype(float).to_numpy(),
            "nltk_compound": texts.map(ported).astype(float).to_numpy(),
        }
    )
    out["difference"] = out["nltk_compound"] - out["reference_compound"]
    out = out.loc[out["difference"].abs() > tolerance]
    return out.sort_values(SENTENCE_KEY, kind="mergesort").reset_index(drop=True)


def _finite(values) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    return array[~np.isnan(array)]


def _rng(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


def bootstrap_mean_ci(
    values, n_boot: int = 10_000, seed: int = 0, level: float = 0.95
) -> tuple[float, float, float]:
    """Sample mean with a percentile-bootstrap confidence interval.

    Parameters
    ----------
    values : array-like of float, shape (n,)
        Observations, e.g. the sentence scores of one article. NaN values are dropped.
    n_boot : int, default 10_000
        Number of resamples (each of size n, with replacement).
    seed : int, default 0
        Seed of the ``PCG64`` generator; the same values, ``n_boot`` and seed give the
        same interval on every run, whatever else is being computed.
    level : float, default 0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    (mean, low, high) : tuple of float
        The sample mean and the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles
        (linear interpolation) of the resampled means. For n = 0 all three are NaN;
        for n = 1 the interval is degenerate, ``low == high == mean`` (one value says
        nothing about spread, read it as "no interval").
    """
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    sample = _finite(values)
    n = sample.size
    if n == 0:
        return math.nan, math.nan, math.nan
    rng = _rng(seed)
    means = np.empty(n_boot)
    block = max(1, _MAX_DRAWS_PER_BLOCK // n)
    for start in range(0, n_boot, block):
        stop = min(n_boot, start + block)
        means[start:stop] = sample[rng.integers(0, n, size=(stop - start, n))].mean(axis=1)
    alpha = 1.0 - level
    low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return float(sample.mean()), float(low), float(high)


def _with_group_columns(
    frame: pd.DataFrame, by: Sequence[str], sentences: pd.DataFrame | None
) -> pd.DataFrame:
    """Join the ``by`` columns that ``frame`` lacks (e.g. ``section``) from ``sentences``."""
    missing = [c for c in by if c not in frame.columns]
    if not missing:
        return frame
    if sentences is None:
        raise ValueError(f"group columns {missing} are not in the frame; pass sentences= "
                         "to join them from the sentences table")
    require_columns(sentences, [*SENTENCE_KEY, *missing], "sentences")
    return frame.merge(sentences.loc[:, [*SENTENCE_KEY, *missing]], on=SENTENCE_KEY,
                       how="left", validate="one_to_one")


def _groups(frame: pd.DataFrame, by: Sequence[str]):
    """Yield ``(key tuple, sub-frame)`` in sorted key order; one group when ``by`` is empty."""
    if not by:
        yield (), frame
        return
    yield from frame.groupby(list(by), sort=True, dropna=False)


def article_sentiment(
    sentiment: pd.DataFrame,
    n_boot: int = 10_000,
    seed: int = 0,
    level: float = 0.95,
    by: Sequence[str] = ("article_id",),
    measures: Sequence[str] = MEASURES,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mean sentence score per article (or other group) with a bootstrap interval.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table, shape (n_sentences, 8).
    n_boot, seed, level
        Passed to :func:`bootstrap_mean_ci`. Every group is resampled with the same
        seed, so an article's interval does not change when articles are added.
    by : sequence of str, default ("article_id",)
        Group columns; ``("article_id", "section")`` gives one row per article
        section, ``()`` one row for the whole corpus.
    measures : sequence of str, default ("vader_compound", "textblob_polarity")
        Score columns to summarise.
    sentences : DataFrame, optional
        The ``sentences`` table, needed only when ``by`` names columns the sentiment
        table lacks (``section``, ``paragraph_id``).

    Returns
    -------
    DataFrame
        Columns ``*by, measure, n, mean, ci_low, ci_high``; one row per group and
        measure, sorted. With the default ``by`` this is table ``article_sentiment``.
        Zero rows for an empty sentiment table.
    """
    by = list(by)
    require_columns(sentiment, list(measures), "sentiment")
    frame = _with_group_columns(sentiment, by, sentences)
    rows = []
    for key, group in _groups(frame, by):
        for measure in measures:
            values = group[measure].to_numpy(dtype=float)
            mean, low, high = bootstrap_mean_ci(values, n_boot=n_boot, seed=seed, level=level)
            rows.append([*key, measure, int(np.count_nonzero(~np.isnan(values))),
                         mean, low, high])
    columns = [*by, "measure", "n", "mean", "ci_low", "ci_high"]
    out = pd.DataFrame(rows, columns=columns)
    out["n"] = out["n"].astype("int64")
    for col in ("mean", "ci_low", "ci_high"):
        out[col] = out[col].astype(float)
    return out.sort_values([*by, "measure"], kind="mergesort").reset_index(drop=True)


class PermutationResult(NamedTuple):
    """Outcome of :func:`permutation_test`.

    Attributes
    ----------
    difference : float
        ``mean(a) - mean(b)``, in the units of the scores.
    p_value : float
        Two-sided permutation p-value, ``(count + 1) / (n_perm + 1)``, where ``count``
        is the number of random relabellings whose absolute difference in means is at
        least the observed one. Never 0; about 1 for identical samples.
    cohens_d : float
        Difference over the pooled standard deviation (ddof 1). When the pooled SD is
        0 (both samples constant, e.g. one observation each): 0 if both hold the same
        value, NaN otherwise (the difference cannot be scaled).
    cliffs_delta : float
        P(a > b) - P(a < b) over all pairs, in [-1, 1]; rank-based, so it suits the
        many neutral (0) sentences and the bounded scale better than Cohen's d.
    n_a, n_b : int
        Sample sizes after dropping NaN.
    """

    difference: float
    p_value: float
    cohens_d: float
    cliffs_delta: float
    n_a: int
    n_b: int


def _squared_deviations(x: np.ndarray) -> float:
    # A constant sample has exactly zero spread; computing it would leave rounding
    # noise (mean of [0.5] * 4 is not exactly 0.5) and blow d up to ~1e16.
    return 0.0 if x.min() == x.max() else float(((x - x.mean()) ** 2).sum())


def _cohens_d(a: np.ndarray, b: np.ndarray) -> float:
    difference = a.mean() - b.mean()
    dof = a.size + b.size - 2
    pooled_squares = _squared_deviations(a) + _squared_deviations(b)
    if pooled_squares == 0:
        # Both samples constant (always so with one observation each): no spread to scale by.
        return 0.0 if np.array_equal(np.unique(a), np.unique(b)) else math.nan
    return float(difference / math.sqrt(pooled_squares / dof))


def _cliffs_delta(a: np.ndarray, b: np.ndarray) -> float:
    # Counting through a sorted copy of b is O((n_a + n_b) log n_b) instead of n_a * n_b.
    ordered = np.sort(b)
    below = np.searchsorted(ordered, a, side="left")
    above = b.size - np.searchsorted(ordered, a, side="right")
    return float((below.sum() - above.sum()) / (a.size * b.size))


def permutation_test(a, b, n_perm: int = 10_000, seed: int = 0) -> PermutationResult:
    """Two-sample permutation test for a difference in means, with effect sizes.

    Parameters
    ----------
    a, b : array-like of float, shapes (n_a,) and (n_b,)
        The two samples (e.g. sentence scores of two articles); NaN values are dropped.
    n_perm : int, default 10_000
        Number of random relabellings of the pooled sample.
    seed : int, default 0
        Seed of the ``PCG64`` generator.

    Returns
    -------
    PermutationResult
        ``difference`` (a - b), ``p_value``, ``cohens_d``, ``cliffs_delta``, ``n_a``,
        ``n_b``. If either sample is empty, everything but the sizes is NaN.
    """
    if n_perm < 1:
        raise ValueError(f"n_perm must be at least 1, got {n_perm}")
    a, b = _finite(a), _finite(b)
    if a.size == 0 or b.size == 0:
        return PermutationResult(math.nan, math.nan, math.nan, math.nan, a.size, b.size)
    observed = a.mean() - b.mean()
    pooled = np.concatenate([a, b])
    total = pooled.sum()
    rng = _rng(seed)
    threshold = abs(observed) - _TIE_TOLERANCE * max(1.0, abs(observed))
    count = 0
    block = max(1, _MAX_DRAWS_PER_BLOCK // pooled.size)
    for start in range(0, n_perm, block):
        rows = min(n_perm, start + block) - start
        shuffled = rng.permuted(np.broadcast_to(pooled, (rows, pooled.size)), axis=1)
        sum_a = shuffled[:, : a.size].sum(axis=1)
        differences = sum_a / a.size - (total - sum_a) / b.size
        count += int(np.count_nonzero(np.abs(differences) >= threshold))
    return PermutationResult(
        difference=float(observed),
        p_value=(count + 1) / (n_perm + 1),
        cohens_d=_cohens_d(a, b),
        cliffs_delta=_cliffs_delta(a, b),
        n_a=int(a.size),
        n_b=int(b.size),
    )


def compare_sentiment(
    sentiment: pd.DataFrame,
    article_a: str,
    article_b: str,
    measure: str = "vader_compound",
    n_perm: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare the sentence scores of two articles (a notebook convenience).

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    article_a, article_b : str
        Article ids; the difference is a minus b.
    measure : str, default "vader_compound"
        Score column to compare.
    n_perm, seed
        Passed to :func:`permutation_test`.

    Returns
    -------
    DataFrame
        One row: ``article_a, article_b, measure, n_a, n_b, mean_a, mean_b, difference,
        p_value, cohens_d, cliffs_delta``.

    Raises
    ------
    InputError
        If an article id has no sentences in ``sentiment``.
    """
    require_columns(sentiment, ["article_id", measure], "sentiment")
    known = set(sentiment["article_id"].astype(str))
    problems = [f"article_id {article!r} has no rows in the sentiment table"
                for article in (article_a, article_b) if article not in known]
    if problems:
        raise InputError(problems)
    a = sentiment.loc[sentiment["article_id"] == article_a, measure].to_numpy(dtype=float)
    b = sentiment.loc[sentiment["article_id"] == article_b, measure].to_numpy(dtype=float)
    result = permutation_test(a, b, n_perm=n_perm, seed=seed)
    return pd.DataFrame([{
        "article_a": article_a, "article_b": article_b, "measure": measure,
        "n_a": result.n_a, "n_b": result.n_b,
        "mean_a": float(np.nanmean(a)), "mean_b": float(np.nanmean(b)),
        "difference": result.difference, "p_value": result.p_value,
        "cohens_d": result.cohens_d, "cliffs_delta": result.cliffs_delta,
    }])


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[int, float, float]:
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    n = int(x.size)
    # A constant column has no ranks to correlate; scipy would warn and return NaN.
    if n < 3 or np.unique(x).size < 2 or np.unique(y).size < 2:
        return n, math.nan, math.nan
    result = stats.spearmanr(x, y)
    return n, float(result.statistic), float(result.pvalue)


def lexicon_agreement(
    sentiment: pd.DataFrame,
    by: Sequence[str] | None = None,
    x: str = "vader_compound",
    y: str = "textblob_polarity",
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Spearman rank correlation between the two lexicons' sentence scores.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    by : sequence of str, optional
        Group columns (e.g. ``("article_id",)``); None gives one corpus-wide row.
    x, y : str
        The two score columns.
    sentences : DataFrame, optional
        Needed only when ``by`` names ``section`` or ``paragraph_id``.

    Returns
    -------
    DataFrame
        Columns ``*by, n, spearman_rho, p_value``; one row per group, sorted. ``rho``
        and ``p_value`` are NaN when a group has fewer than 3 sentences or either
        score is constant in it (no ranking to compare).
    """
    by = list(by or ())
    require_columns(sentiment, [x, y], "sentiment")
    frame = _with_group_columns(sentiment, by, sentences)
    rows = [
        [*key, *_spearman(group[x].to_numpy(dtype=float), group[y].to_numpy(dtype=float))]
        for key, group in _groups(frame, by)
    ]
    out = pd.DataFrame(rows, columns=[*by, "n", "spearman_rho", "p_value"])
    out["n"] = out["n"].astype("int64")
    return out.astype({"spearman_rho": float, "p_value": float})


def _aspect_rows(
    frame: pd.DataFrame,
    hits: pd.DataFrame,
    by: list[str],
    measures: Sequence[str],
) -> pd.DataFrame:
    """Mean scores of the sentences in ``hits`` (key, aspect_type, aspect, negated)."""
    per_sentence = (
        hits.groupby([*SENTENCE_KEY, "aspect_type", "aspect"], sort=False)["negated"]
        .any()
        .reset_index()
    )
    joined = per_sentence.merge(frame, on=SENTENCE_KEY, how="inner")
    grouped = joined.groupby([*by, "aspect_type", "aspect"], sort=True, dropna=False)
    out = grouped[list(measures)].mean().add_prefix("mean_")
    out.insert(0, "n_negated", grouped["negated"].sum().astype("int64"))
    out.insert(0, "n", grouped.size().astype("int64"))
    return out.reset_index()


def aspect_sentiment(
    sentiment: pd.DataFrame,
    mentions: pd.DataFrame,
    quotes: pd.DataFrame,
    by: Sequence[str] = ("article_id",),
    measures: Sequence[str] = MEASURES,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mean sentence sentiment per guarantor, guarantee form and voice.

    A sentence counts under a guarantor or form label once, whether the label is
    affirmed or negated there ("Europe, not America, should guarantee" is a sentence
    about both as guarantors); ``n_negated`` says how many of those sentences negate
    it. For affirmed mentions only, pass ``mentions[~mentions["negated"]]``. Voice:
    a sentence with at least one direct quote is ``quote`` (the whole sentence is
    scored, attribution included), every other sentence is ``narrator``.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    mentions : DataFrame
        The ``guarantee_mentions`` table (needs ``article_id, sentence_id, dimension,
        label, negated``). Mentions of sentences absent from ``sentiment`` are ignored.
    quotes : DataFrame
        The ``quotes`` table (needs ``article_id, sentence_id``).
    by : sequence of str, default ("article_id",)
        Group columns; ``()`` for the whole corpus, ``("article_id", "section")`` per
        section (then pass ``sentences``).
    measures : sequence of str, default ("vader_compound", "textblob_polarity")
        Score columns to average.
    sentences : DataFrame, optional
        Needed only when ``by`` names columns the sentiment table lacks.

    Returns
    -------
    DataFrame
        Columns ``*by, aspect_type, aspect, n, n_negated`` and ``mean_<measure>``; one row
        per group and aspect, sorted. ``aspect_type`` is ``guarantor``, ``form`` or
        ``voice``. Labels a group never mentions have no row; both voices always have
        one (mean NaN when ``n`` is 0).
    """
    by = list(by)
    require_columns(sentiment, [*SENTENCE_KEY, *measures], "sentiment")
    require_columns(mentions, [*SENTENCE_KEY, "dimension", "label", "negated"], "mentions")
    require_columns(quotes, SENTENCE_KEY, "quotes")
    frame = _with_group_columns(sentiment, by, sentences)

    label_hits = pd.DataFrame({
        "article_id": mentions["article_id"].astype(str),
        "sentence_id": mentions["sentence_id"].astype("int64"),
        "aspect_type": mentions["dimension"].astype(str),
        "aspect": mentions["label"].astype(str),
        "negated": mentions["negated"].astype(bool),
    })
    quoted = pd.MultiIndex.from_frame(quotes.loc[:, SENTENCE_KEY].astype({
        "article_id": str, "sentence_id": "int64"}))
    is_quote = pd.MultiIndex.from_frame(frame.loc[:, SENTENCE_KEY]).isin(quoted)
    voice_hits = pd.DataFrame({
        "article_id": frame["article_id"].astype(str).to_numpy(),
        "sentence_id": frame["sentence_id"].astype("int64").to_numpy(),
        "aspect_type": "voice",
        "aspect": np.where(is_quote, VOICE_QUOTE, VOICE_NARRATOR),
        "negated": False,
    })
    hits = pd.concat([label_hits, voice_hits], ignore_index=True)
    out = _aspect_rows(frame, hits, by, measures)

    # Both voices get a row in every group, so "no quotes" reads as n = 0, not as absence.
    group_keys = [key for key, _ in _groups(frame, by)]
    voices = pd.DataFrame(
        [[*key, "voice", aspect] for key in group_keys for aspect in (VOICE_NARRATOR,
                                                                       VOICE_QUOTE)],
        columns=[*by, "aspect_type", "aspect"],
    )
    out = voices.merge(out, on=[*by, "aspect_type", "aspect"], how="outer")
    out[["n", "n_negated"]] = out[["n", "n_negated"]].fillna(0).astype("int64")
    columns = [*by, "aspect_type", "aspect", "n", "n_negated", *(f"mean_{m}" for m in measures)]
    return (
        out.loc[:, columns]
        .sort_values([*by, "aspect_type", "aspect"], kind="mergesort")
        .reset_index(drop=True)
    )


MEASURE_NAMES = {"vader_compound": "VADER compound", "textblob_polarity": "TextBlob polarity"}


def _signed(value: float, digits: int = 3) -> str:
    return "undefined" if value is None or math.isnan(value) else f"{value:+.{digits}f}"


def _article_mean(summary: pd.DataFrame, article: str, measure: str) -> str:
    row = summary[(summary["article_id"] == article) & (summary["measure"] == measure)]
    if row.empty or row["n"].iloc[0] == 0:
        return f"{article} has no scored sentence"
    r = row.iloc[0]
    return (f"{article} {_signed(r['mean'])} (95% CI {_signed(r['ci_low'])} to "
            f"{_signed(r['ci_high'])}, n = {int(r['n'])})")


def _aspect_list(aspects: pd.DataFrame, article: str, aspect_type: str, measure: str) -> str:
    rows = aspects[(aspects["article_id"] == article) & (aspects["aspect_type"] == aspect_type)
                   & (aspects["n"] > 0)]
    parts = []
    for r in rows.itertuples(index=False):
        negated = f", {r.n_negated} negated" if r.n_negated else ""
        parts.append(f"{r.aspect} {_signed(getattr(r, f'mean_{measure}'))} "
                     f"(n = {r.n}{negated})")
    return "; ".join(parts) if parts else "none"


def sentiment_findings(
    summary: pd.DataFrame,
    comparisons: pd.DataFrame,
    agreement: pd.DataFrame,
    overall_agreement: pd.DataFrame,
    aspects: pd.DataFrame,
    disagreement: pd.DataFrame,
    n_sentences: int,
    article_a: str,
    article_b: str,
    measure: str = "vader_compound",
    alpha: float = 0.05,
) -> list[str]:
    """The sentiment notebook's findings as sentences, every number computed.

    Parameters
    ----------
    summary : DataFrame
        :func:`article_sentiment` (per article and measure, with intervals).
    comparisons : DataFrame
        Rows of :func:`compare_sentiment` for ``article_a`` against ``article_b``, one
        per measure.
    agreement : DataFrame
        :func:`lexicon_agreement` with ``by=("article_id",)``.
    overall_agreement : DataFrame
        :func:`lexicon_agreement` without ``by`` (one row, all sentences).
    aspects : DataFrame
        :func:`aspect_sentiment` per article.
    disagreement : DataFrame
        :func:`vader_implementation_disagreement` of the scored sentences.
    n_sentences : int
        Number of sentences ``disagreement`` was computed over.
    article_a, article_b : str
        The compared articles.
    measure : str, default "vader_compound"
        The measure the aspect findings report.
    alpha : float, default 0.05
        Level at which a permutation p-value is called distinguishable from chance.

    Returns
    -------
    list of str
        One finding a string.
    """
    findings = []
    for r in comparisons.itertuples(index=False):
        name = MEASURE_NAMES.get(r.measure, r.measure)
        findings.append(f"Mean {name} per sentence: {_article_mean(summary, article_a, r.measure)}"
                        f"; {_article_mean(summary, article_b, r.measure)}.")
        if math.isnan(r.p_value):
            findings.append(f"{name}: no test, one article has no scored sentence.")
            continue
        verdict = "below" if r.p_value < alpha else "not below"
        findings.append(
            f"{name}, {article_a} minus {article_b}: {_signed(r.difference)}; permutation "
            f"p = {r.p_value:.4f} ({verdict} {alpha:g}), Cohen's d = "
            f"{_signed(r.cohens_d, 2)}, Cliff's delta = {_signed(r.cliffs_delta, 2)}."
        )
    groups = [(r.article_id, r) for r in agreement.itertuples(index=False)]
    groups += [("all articles", r) for r in overall_agreement.itertuples(index=False)]
    for where, r in groups:
        rho = ("cannot be computed (fewer than 3 sentences or a constant score)"
               if math.isnan(r.spearman_rho) else f"is {r.spearman_rho:+.2f}")
        findings.append(f"Rank agreement of VADER and TextBlob in {where} "
                        f"(Spearman rho over {r.n} sentences) {rho}.")
    if disagreement.empty:
        findings.append(f"NLTK's VADER port agrees with the reference on all {n_sentences} "
                        "sentences.")
    else:
        largest = disagreement.loc[disagreement["difference"].abs().idxmax()]
        findings.append(
            f"NLTK's VADER port disagrees with the reference on {len(disagreement)} of "
            f"{n_sentences} sentences; the largest gap is {_signed(largest['difference'])} "
            f"({largest['article_id']}, sentence {int(largest['sentence_id'])})."
        )
    name = MEASURE_NAMES.get(measure, measure)
    for article in (article_a, article_b):
        findings.append(
            f"{article}, mean {name} by guarantor named: "
            f"{_aspect_list(aspects, article, 'guarantor', measure)}. By form: "
            f"{_aspect_list(aspects, article, 'form', measure)}. By voice: "
            f"{_aspect_list(aspects, article, 'voice', measure)}."
        )
    return findings


def select_sections(
    sentiment: pd.DataFrame, sentences: pd.DataFrame, sections: str | Sequence[str] | None
) -> pd.DataFrame:
    """The rows of ``sentiment`` whose sentences are in one of ``sections``.

    Headlines, summary bullets and deck lines often repeat a quote of the body, so the
    same statement can count several times; ``sections=("body",)`` scores each once.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    sentences : DataFrame
        The ``sentences`` table (needs article_id, sentence_id, section).
    sections : str, sequence of str or None
        Sections to keep, each one of :data:`analysis.data.tables.SECTIONS` (``title``,
        ``summary``, ``deck``, ``body``); ``None`` keeps every sentence (see
        :func:`analysis.data.tables.select_sections`).

    Returns
    -------
    DataFrame
        Table ``sentiment`` restricted to those sentences, in key order.

    Raises
    ------
    InputError
        If ``sections`` names a section that is not one of the four.
    ValueError
        If ``sentences`` lacks one of the columns it needs.
    """
    keep = tables.select_sections(sentences, sections)
    require_columns(keep, SENTENCE_KEY, "sentences")
    return conform(sentiment.merge(keep.loc[:, SENTENCE_KEY], on=SENTENCE_KEY, how="inner"),
                   "sentiment")


def extreme_sentences(
    sentiment: pd.DataFrame,
    sentences: pd.DataFrame,
    article_ids: Sequence[str],
    measure: str = "vader_compound",
    n: int = 2,
) -> pd.DataFrame:
    """The most negative and most positive sentences of each article, to read the scores.

    Parameters
    ----------
    sentiment : DataFrame
        The ``sentiment`` table.
    sentences : DataFrame
        The ``sentences`` table (for section and text).
    article_ids : sequence of str
        Articles to list, in this order.
    measure : str, default "vader_compound"
        The score that ranks the sentences.
    n : int, default 2
        Sentences at each end per article; an article with fewer than ``2 * n`` scored
        sentences lists each of them once.

    Returns
    -------
    DataFrame
        Columns article_id, end (``most negative`` or ``most positive``), sentence_id,
        section, ``measure``, text; per article the negative end first, each end from
        its extreme inwards, ties by sentence_id.
    """
    require_columns(sentiment, [*SENTENCE_KEY, measure], "sentiment")
    require_columns(sentences, [*SENTENCE_KEY, "section", "text"], "sentences")
    joined = sentiment.loc[:, [*SENTENCE_KEY, measure]].merge(
        sentences.loc[:, [*SENTENCE_KEY, "section", "text"]], on=SENTENCE_KEY, how="inner")
    frames = []
    for article in article_ids:
        own = joined[joined["article_id"] == article]
        low = own.sort_values([measure, "sentence_id"], kind="mergesort").head(n)
        rest = own.drop(low.index)
        high = rest.sort_values([measure, "sentence_id"], ascending=[False, True],
                                kind="mergesort").head(n)
        frames += [low.assign(end="most negative"), high.assign(end="most positive")]
    columns = ["article_id", "end", "sentence_id", "section", measure, "text"]
    if not frames:
        return pd.DataFrame({c: [] for c in columns})
    return pd.concat(frames, ignore_index=True).loc[:, columns]
