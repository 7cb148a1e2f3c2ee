"""Statistics of one corpus's term counts against another's: log-odds and keyness.

:func:`log_odds_dirichlet` is the log-odds ratio with an informative Dirichlet prior
(:func:`informative_prior`) and its z-score, the "Fightin' Words" of Monroe et al.
(2008); :func:`keyness` is Dunning's (1993) log-likelihood G2 of the whole 2x2 table
(via :func:`scipy.stats.power_divergence`), signed, with a signed Yates chi-square.
:func:`contrast_rows` computes both, with rates, for the term tables of
:mod:`analysis.measures.compare.terms`.

References
----------
Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: lexical feature
selection and evaluation for identifying the content of political conflict.
*Political Analysis* 16(4), 372-403.

Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
*Computational Linguistics* 19(1), 61-74.

Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
*Proceedings of the Workshop on Comparing Corpora*, ACL 2000, 1-6 (the two-cell form
of G2, not used here).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

# Weight of the informative prior in pseudo-tokens (alpha_0 of Monroe et al.). A fixed
# weight, rather than the corpus size, keeps each article's shrinkage the same however
# many articles are added: with alpha_0 = corpus size the prior would swamp a 500-word
# article in a corpus of a million words and drive every z-score towards 0. 1000 is the
# order of one to three news articles of content tokens, so rare words are pulled
# firmly towards their corpus share while words an article repeats still stand out.
DEFAULT_PRIOR_SIZE = 1000.0


def _p_value(statistic: np.ndarray) -> np.ndarray:
    """``chi2.sf(|statistic|, df=1)``. scipy.stats is imported on first use: it costs a
    notebook kernel about 0.9 s of CPU, and notebooks that only read tables never call it."""
    from scipy.stats import chi2

    return chi2.sf(np.abs(statistic), df=1)


def _series(counts: Mapping[str, float] | pd.Series, what: str) -> pd.Series:
    series = pd.Series(counts, dtype="float64") if not isinstance(counts, pd.Series) else counts
    series = series.astype("float64")
    if series.index.has_duplicates:
        raise ValueError(f"{what} has duplicate terms")
    if (series < 0).any() or series.isna().any():
        raise ValueError(f"{what} must be non-negative numbers")
    return series


def informative_prior(
    background: Mapping[str, float] | pd.Series, prior_size: float = DEFAULT_PRIOR_SIZE
) -> pd.Series:
    """Dirichlet prior proportional to background frequencies (Monroe et al. 2008, sec. 3.5).

    ``alpha_w = prior_size * y_w / sum(y)``, so that ``alpha_0 = sum(alpha_w) = prior_size``.

    Parameters
    ----------
    background : mapping or Series
        Term to count in the background corpus (usually the whole corpus compared).
    prior_size : float, default DEFAULT_PRIOR_SIZE
        ``alpha_0``: the prior's weight in pseudo-tokens; larger shrinks more.

    Returns
    -------
    Series
        Term to ``alpha_w`` (float), for the terms with a positive background count.
    """
    if prior_size <= 0:
        raise ValueError(f"prior_size must be positive, got {prior_size}")
    background = _series(background, "background")
    background = background[background > 0]
    total = background.sum()
    if total == 0:
        return background
    return prior_size * background / total


def _log_odds_arrays(y_a, y_b, n_a, n_b, alpha, alpha_0):
    """Monroe et al. (2008) eq. 16 (delta), eq. 20 (variance) and eq. 22 (z), elementwise."""
    other_a = n_a + alpha_0 - y_a - alpha
    other_b = n_b + alpha_0 - y_b - alpha
    # A term that is the whole vocabulary has share 1 (infinite odds) in both groups:
    # no difference, so delta = 0 rather than inf - inf.
    whole = (other_a <= 0) & (other_b <= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.where(
            whole, 0.0, np.log((y_a + alpha) / other_a) - np.log((y_b + alpha) / other_b)
        )
    variance = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)
    return delta, variance, delta / np.sqrt(variance)


def log_odds_dirichlet(
    counts_a: Mapping[str, float] | pd.Series,
    counts_b: Mapping[str, float] | pd.Series,
    prior: Mapping[str, float] | pd.Series,
) -> pd.DataFrame:
    """Log-odds ratio with informative Dirichlet prior and its z-score (Monroe et al. 2008).

    With counts ``y_w^a``, ``y_w^b``, totals ``n^a``, ``n^b``, prior ``alpha_w`` and
    ``alpha_0 = sum_w alpha_w``::

        delta_w = log((y_w^a + alpha_w) / (n^a + alpha_0 - y_w^a - alpha_w))
                - log((y_w^b + alpha_w) / (n^b + alpha_0 - y_w^b - alpha_w))     (eq. 16)
        var_w  ~= 1 / (y_w^a + alpha_w) + 1 / (y_w^b + alpha_w)                  (eq. 20)
        z_w     = delta_w / sqrt(var_w)                                           (eq. 22)

    Positive values mean ``w`` is used more in ``a`` than in ``b``.

    Parameters
    ----------
    counts_a, counts_b : mapping or Series
        Term to count (non-negative) in each group; missing terms count 0.
    prior : mapping or Series
        Term to ``alpha_w`` > 0 for every term counted in ``a`` or ``b`` (see
        :func:`informative_prior`). Terms only in the prior add to ``alpha_0`` but get no row.

    Returns
    -------
    DataFrame
        One row per term counted in ``a`` or ``b``, sorted by term: ``term``, ``count_a``,
        ``count_b``, ``alpha``, ``log_odds`` (delta), ``variance``, ``z_score``. A term that
        is the whole vocabulary (share 1 on both sides) gets delta = z = 0.

    Raises
    ------
    ValueError
        If counts are negative or a counted term has no positive prior.
    """
    counts_a = _series(counts_a, "counts_a")
    counts_b = _series(counts_b, "counts_b")
    prior = _series(prior, "prior")
    terms = counts_a.index.union(counts_b.index).sort_values()
    alpha = prior.reindex(terms)
    unsupported = terms[~(alpha > 0)]
    if len(unsupported):
        raise ValueError(
            f"prior must be positive for every counted term; missing or zero for "
            f"{len(unsupported)} terms, e.g. {list(unsupported[:5])}"
        )
    y_a = counts_a.reindex(terms, fill_value=0.0).to_numpy()
    y_b = counts_b.reindex(terms, fill_value=0.0).to_numpy()
    delta, variance, z_score = _log_odds_arrays(
        y_a, y_b, counts_a.sum(), counts_b.sum(), alpha.to_numpy(), prior.sum()
    )
    return pd.DataFrame(
        {
            "term": terms.astype(str),
            "count_a": y_a,
            "count_b": y_b,
            "alpha": alpha.to_numpy(),
            "log_odds": delta,
            "variance": variance,
            "z_score": z_score,
        }
    )


def _keyness_arrays(a, b, size_a, size_b):
    """Signed G2 (Dunning 1993, the whole 2x2 table) and signed Yates chi-square, elementwise.

    ``a``, ``b`` are a term's counts in corpora of ``size_a``, ``size_b`` tokens.
    """
    from scipy.stats import power_divergence

    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    size_a = np.broadcast_to(np.asarray(size_a, dtype="float64"), a.shape)
    size_b = np.broadcast_to(np.asarray(size_b, dtype="float64"), a.shape)
    total = size_a + size_b
    term_total = a + b
    # The 2x2 table [[a, b], [size_a - a, size_b - b]] and its expected counts; where a
    # margin is empty there is nothing to test and G2 is 0.
    observed = np.stack([a, b, size_a - a, size_b - b])
    testable = (term_total > 0) & (total > term_total) & (size_a > 0) & (size_b > 0)
    g2 = np.zeros(a.shape)
    if testable.any():
        other = total - term_total
        expected = np.stack([size_a * term_total, size_b * term_total, size_a * other,
                             size_b * other]) / total
        g2[testable] = power_divergence(observed[:, testable], expected[:, testable], axis=0,
                                        lambda_="log-likelihood").statistic
    with np.errstate(divide="ignore", invalid="ignore"):
        # Yates' continuity correction, capped at |ad - bc| so it never flips the sign.
        cross = a * (size_b - b) - b * (size_a - a)
        corrected = np.maximum(np.abs(cross) - total / 2.0, 0.0)
        margins = term_total * (total - term_total) * size_a * size_b
        yates = np.where(margins > 0, total * corrected**2 / margins, 0.0)
    # a/size_a > b/size_b  <=>  a * size_b > b * size_a: over-use in the first corpus.
    sign = np.sign(a * size_b - b * size_a)
    # G2 >= 0 by the log-sum inequality; clip rounding noise so the sign alone carries meaning.
    return sign * np.maximum(g2, 0.0), sign * yates


def keyness(
    counts_a: Mapping[str, float] | pd.Series,
    counts_b: Mapping[str, float] | pd.Series,
) -> pd.DataFrame:
    """Keyness of each term in corpus ``a`` against corpus ``b``: signed G2 and chi-square.

    Corpus sizes are the sums of the counts. With ``a``, ``b`` a term's counts and ``c``,
    ``d`` the sizes, G2 is Dunning's (1993) log-likelihood ratio of the whole 2x2 table
    ``[[a, b], [c - a, d - b]]`` against independence, computed by
    :func:`scipy.stats.power_divergence` (``lambda_="log-likelihood"``)::

        G2 = 2 sum_cells O ln(O / E),   E = row total * column total / (c + d)

    (not the two-cell form of Rayson & Garside 2000, which leaves out the cells of the
    other words and departs from it most for frequent terms), and the chi-square is
    Pearson's on the same table with
    Yates' correction, ``N (|a(d-b) - b(c-a)| - N/2)^2 / ((a+b)(N-a-b) c d)``, ``N = c + d``,
    0 where a margin is empty. Both statistics carry the sign of ``a/c - b/d``: positive
    for over-use in ``a``, negative for under-use. P-values are ``chi2.sf(|stat|, df=1)``.

    Parameters
    ----------
    counts_a, counts_b : mapping or Series
        Term to count (non-negative); missing terms count 0.

    Returns
    -------
    DataFrame
        One row per term in either corpus, sorted by term: ``term``, ``count_a``,
        ``count_b``, ``log_likelihood``, ``p_value``, ``chi2_yates``, ``p_value_yates``.
    """
    counts_a = _series(counts_a, "counts_a")
    counts_b = _series(counts_b, "counts_b")
    terms = counts_a.index.union(counts_b.index).sort_values()
    a = counts_a.reindex(terms, fill_value=0.0).to_numpy()
    b = counts_b.reindex(terms, fill_value=0.0).to_numpy()
    g2, yates = _keyness_arrays(a, b, counts_a.sum(), counts_b.sum())
    return pd.DataFrame(
        {
            "term": terms.astype(str),
            "count_a": a,
            "count_b": b,
            "log_likelihood": g2,
            "p_value": _p_value(g2),
            "chi2_yates": yates,
            "p_value_yates": _p_value(yates),
        }
    )


def contrast_rows(y_a, y_b, n_a, n_b, alpha, alpha_0) -> dict[str, np.ndarray]:
    """Rates, log-odds, z and signed G2 of aligned arrays of counts (zero-safe).

    Parameters
    ----------
    y_a, y_b : array-like
        Each term's count in group ``a`` and in group ``b``.
    n_a, n_b : float or array-like
        Content tokens of ``a`` and of ``b``, one value or one a term.
    alpha : array-like
        Each term's ``alpha_w`` (see :func:`informative_prior`).
    alpha_0 : float
        The prior's weight, ``sum_w alpha_w``.

    Returns
    -------
    dict of str to ndarray
        ``rate_a`` and ``rate_b`` (per 1,000 tokens, 0 for a group without tokens),
        ``log_odds`` and ``z_score`` (:func:`log_odds_dirichlet`), ``log_likelihood``
        (signed G2, :func:`keyness`) and its ``p_value`` (df = 1).
    """
    y_a = np.asarray(y_a, dtype="float64")
    y_b = np.asarray(y_b, dtype="float64")
    n_a = np.broadcast_to(np.asarray(n_a, dtype="float64"), y_a.shape)
    n_b = np.broadcast_to(np.asarray(n_b, dtype="float64"), y_a.shape)
    delta, _, z_score = _log_odds_arrays(y_a, y_b, n_a, n_b, alpha, alpha_0)
    g2, _ = _keyness_arrays(y_a, y_b, n_a, n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_a = np.where(n_a > 0, 1000.0 * y_a / n_a, 0.0)
        rate_b = np.where(n_b > 0, 1000.0 * y_b / n_b, 0.0)
    return {
        "rate_a": rate_a,
        "rate_b": rate_b,
        "log_odds": delta,
        "z_score": z_score,
        "log_likelihood": g2,
        "p_value": _p_value(g2),
    }
