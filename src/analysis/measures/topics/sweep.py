"""How many topics: the sweep over ``(model, k)`` and the rule that picks ``k``.

:func:`sweep_row` scores one ``(model, k)`` by the coherence of its topics and by their
stability under resampling (Greene, O'Callaghan & Cunningham 2014: the mean Average
Jaccard agreement of refits on subsamples with a full-data reference, see
:mod:`analysis.measures.topics.stability`); :func:`sweep_topics` makes those rows for
many ``k``; :func:`choose_k` picks ``k`` from them by a stated rule, so the choice
follows from the data and not from a constant. :func:`sweep_by_refits` and
:func:`chosen_k_by_refits` show whether that choice still moves with the number of
refits: stability is a mean over refits, and with few of them the choice can rest on
the luck of the draw.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from analysis.data.tables import conform, empty_table
from analysis.measures.topics.coherence import (
    NPMI_EPSILON,
    coherence_from_counts,
    term_occurrences,
)
from analysis.measures.topics.documents import (
    DEFAULT_SAMPLE_FRACTION,
    CorpusTooSmall,
    select_documents,
)
from analysis.measures.topics.stability import (
    DEFAULT_SEEDS,
    check_seeds,
    stability_fits,
    stability_of_fits,
)


def selection_score(coherence_npmi: float, stability_jaccard: float) -> float:
    """Stability-weighted coherence: ``stability * (1 + NPMI) / 2``, in ``[0, 1]``.

    ``stability_jaccard`` is the Average-Jaccard stability of :func:`topic_stability`.

    NPMI is rescaled from ``[-1, 1]`` to ``[0, 1]`` first, so that weighting by
    stability can only lower a score (an unstable set of incoherent topics must not
    look better than a stable one because the product of two negatives grows).
    """
    return float(stability_jaccard) * (1.0 + float(coherence_npmi)) / 2.0


def sweep_row(
    sentences: pd.DataFrame,
    k: int,
    model: str = "lda",
    seeds: Sequence[int] = DEFAULT_SEEDS,
    n_top_terms: int = 10,
    *,
    min_df: int | float = 1,
    sections: Iterable[str] | None = None,
    sample_fraction: float = DEFAULT_SAMPLE_FRACTION,
) -> pd.DataFrame:
    """Score one ``(model, k)``: one row of table ``topic_sweep``.

    Makes the fits of :func:`topic_stability` (the reference on all documents with the
    first seed, one refit on a resample per other seed) and reports: stability (column
    ``stability_jaccard``: Greene et al.'s mean agreement of the refits with the
    reference, each the mean Average Jaccard of the Hungarian-matched topics' ranked top
    terms, not a plain Jaccard index); NPMI and UMass coherence (mean over the topics of
    all ``len(seeds)`` fits, each scored on all documents, so that it describes the
    typical fit at this ``k`` and not one seed);
    LDA's in-sample perplexity of the reference fit (NaN for NMF; measured on the
    fitted sentences themselves, so it is shown for reference and not used to choose);
    and the :func:`selection_score` that :func:`choose_k` maximises.

    Parameters
    ----------
    sentences, k, model, n_top_terms, min_df, sections
        As for :func:`fit_topics`.
    seeds : sequence of int
        At least two distinct seeds; the first is the reference.
    sample_fraction : float, default 0.8
        As for :func:`topic_stability`.

    Returns
    -------
    DataFrame
        One row of table ``topic_sweep``; ``n_seeds`` is the number of fits.
    """
    seeds = check_seeds(seeds)
    docs = select_documents(sentences, sections)
    rows = _sweep_rows(docs, term_occurrences(docs), k, model, seeds, n_top_terms, min_df,
                       sample_fraction, (len(seeds),))
    return conform(rows, "topic_sweep")


def _sweep_rows(docs: pd.DataFrame, occurrences: tuple[csr_matrix, dict[str, int]], k: int,
                model: str, seeds: list[int], n_top_terms: int, min_df: int | float,
                sample_fraction: float, n_fits: Sequence[int]) -> pd.DataFrame:
    """:func:`sweep_row` of the first ``n`` seeds for each ``n`` in ``n_fits``.

    ``docs`` are the selected documents and ``occurrences`` their term occurrences. The
    fits of the first ``n`` seeds do not depend on the later seeds, so the largest
    ``n``'s fits serve every row.
    """
    seeds = seeds[:max(n_fits)]
    fits = stability_fits(docs, k, model, seeds, n_top_terms, min_df, sample_fraction)
    terms = pd.concat([fit.topic_terms for fit in fits], ignore_index=True)
    coherence = [coherence_from_counts(terms, occurrences, measure, NPMI_EPSILON)
                 for measure in ("npmi", "umass")]
    rows = []
    for n in n_fits:
        coherence_npmi, coherence_umass = (
            float(c.loc[c["seed"].isin(seeds[:n]), "coherence"].mean()) for c in coherence
        )
        stability = stability_of_fits(fits[:n]).mean_jaccard
        rows.append({
            "model": model, "k": k, "n_seeds": n, "n_top_terms": n_top_terms,
            "n_documents": fits[0].n_documents, "n_terms": fits[0].n_terms,
            "coherence_npmi": coherence_npmi, "coherence_umass": coherence_umass,
            "stability_jaccard": stability,
            "perplexity": fits[0].perplexity(),
            "score": selection_score(coherence_npmi, stability),
        })
    return pd.DataFrame(rows)


def sweep_topics(
    sentences: pd.DataFrame,
    ks: Iterable[int] = range(2, 9),
    model: str | Iterable[str] = "lda",
    seeds: Sequence[int] = DEFAULT_SEEDS,
    n_top_terms: int = 10,
    *,
    min_df: int | float = 1,
    sections: Iterable[str] | None = None,
    sample_fraction: float = DEFAULT_SAMPLE_FRACTION,
    n_jobs: int = 1,
    skip_infeasible: bool = False,
) -> pd.DataFrame:
    """:func:`sweep_row` for every ``k`` in ``ks`` (and every model), in one table.

    Parameters
    ----------
    sentences, ks, model, seeds, n_top_terms, min_df, sections, sample_fraction
        As for :func:`sweep_row`; ``model`` may name several models.
    n_jobs : int, default 1
        Processes the (model, k) rows are computed in. Each row's fits are seeded by
        ``seeds`` alone and run with one BLAS thread, so the rows are the same for any
        ``n_jobs``.
    skip_infeasible : bool, default False
        Leave out a (model, k) that the corpus is too small for (fewer sentence
        documents or terms than topics, also in a resample) instead of raising.

    Returns
    -------
    DataFrame
        Table ``topic_sweep``, one row per (model, k) (per feasible one with
        ``skip_infeasible``; possibly none).

    Raises
    ------
    ValueError
        A (model, k) cannot be fitted and ``skip_infeasible`` is false, or no ``k`` or
        no model is given.
    """
    seeds = check_seeds(seeds)
    rows = _sweep(sentences, ks, model, seeds, (len(seeds),), n_top_terms, min_df, sections,
                  sample_fraction, n_jobs, skip_infeasible)
    if rows.empty:
        return empty_table("topic_sweep")
    return conform(rows, "topic_sweep")


def _sweep(sentences: pd.DataFrame, ks: Iterable[int], model: str | Iterable[str],
           seeds: list[int], n_fits: Sequence[int], n_top_terms: int, min_df: int | float,
           sections: Iterable[str] | None, sample_fraction: float, n_jobs: int,
           skip_infeasible: bool) -> pd.DataFrame:
    """:func:`_sweep_rows` of every (model, k), in one frame (no rows if none is feasible)."""
    models = [model] if isinstance(model, str) else list(model)
    cells = [(m, k) for m in models for k in ks]
    if not cells:
        raise ValueError("a topic sweep needs at least one k and one model")
    # Every row fits and scores the same documents: select and count them once.
    docs = select_documents(sentences, sections)
    occurrences = term_occurrences(docs)
    arguments = [(docs, occurrences, k, m, seeds, n_top_terms, min_df, sample_fraction,
                  n_fits, skip_infeasible) for m, k in cells]
    if n_jobs > 1 and len(cells) > 1:
        from joblib import Parallel, delayed
        from joblib.externals.loky import get_reusable_executor

        rows = Parallel(n_jobs=n_jobs)(delayed(_sweep_cell)(*a) for a in arguments)
        # joblib keeps its workers for reuse; nothing after the sweep needs them, and at
        # scale each holds the documents while the notebooks run.
        get_reusable_executor().shutdown(wait=True)
    else:
        rows = [_sweep_cell(*a) for a in arguments]
    rows = [row for row in rows if row is not None]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _sweep_cell(docs: pd.DataFrame, occurrences: tuple[csr_matrix, dict[str, int]], k: int,
                model: str, seeds: list[int], n_top_terms: int, min_df: int | float,
                sample_fraction: float, n_fits: Sequence[int],
                skip_infeasible: bool) -> pd.DataFrame | None:
    """The rows of one (model, k), fitted with one BLAS thread; None if it cannot be
    fitted and ``skip_infeasible``."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        try:
            return _sweep_rows(docs, occurrences, k, model, seeds, n_top_terms, min_df,
                               sample_fraction, n_fits)
        except CorpusTooSmall:
            if skip_infeasible:
                return None
            raise


def choose_k(sweep: pd.DataFrame, model: str | None = None) -> int:
    """The number of topics a sweep supports.

    Rule: the ``k`` with the highest :func:`selection_score` (stability-weighted NPMI
    coherence), compared at the tables' 6-decimal precision so that a sweep read back
    from CSV chooses the same ``k``; ties go to the smaller ``k`` (fewer topics explain
    the same evidence more simply). Rows whose score is undefined are ignored.

    Parameters
    ----------
    sweep : DataFrame
        Table ``topic_sweep`` (rows of :func:`sweep_row`), possibly several models.
    model : str, optional
        Which model's rows to use; required when the sweep holds more than one.

    Returns
    -------
    int
    """
    rows = sweep if model is None else sweep[sweep["model"] == model]
    models = sorted(rows["model"].unique())
    if len(models) > 1:
        raise ValueError(f"the sweep holds models {models}; pass model= to choose for one")
    scores = np.round(
        [
            selection_score(c, s)
            for c, s in zip(rows["coherence_npmi"], rows["stability_jaccard"], strict=True)
        ],
        6,
    )
    candidates = pd.DataFrame({"k": rows["k"].to_numpy(), "score": scores}).dropna()
    if candidates.empty:
        raise ValueError(f"no sweep row with a defined score for model {model or models}")
    best = candidates[candidates["score"] == candidates["score"].max()]
    return int(best["k"].min())


def sweep_by_refits(
    sentences: pd.DataFrame,
    ks: Iterable[int] = range(2, 9),
    model: str | Iterable[str] = "lda",
    refit_counts: Sequence[int] = (5, 10, 20, 30),
    seed: int = 0,
    n_top_terms: int = 10,
    *,
    min_df: int | float = 1,
    sections: Iterable[str] | None = None,
    sample_fraction: float = DEFAULT_SAMPLE_FRACTION,
    n_jobs: int = 1,
    skip_infeasible: bool = False,
) -> pd.DataFrame:
    """:func:`sweep_topics` with each number of refits in ``refit_counts``.

    The rows for ``n`` refits are those of :func:`sweep_topics` with the seeds
    ``seed, seed + 1, ..., seed + n`` (the reference fit and ``n`` refits on
    resamples), as the pipeline numbers its seeds. The fits of fewer refits are the
    first fits of more, so only the largest count's fits are made.

    Parameters
    ----------
    sentences, ks, model, n_top_terms, min_df, sections, sample_fraction
        As for :func:`sweep_topics`.
    n_jobs, skip_infeasible
        As for :func:`sweep_topics`.
    refit_counts : sequence of int
        Numbers of refits, each at least 1, all different.
    seed : int
        The reference fit's seed.

    Returns
    -------
    DataFrame
        The columns of table ``topic_sweep``, one row per (n_seeds, model, k), sorted;
        a row's ``n_seeds`` is its number of refits plus one. The rows of one
        ``n_seeds`` form a ``topic_sweep`` table (possibly none with
        ``skip_infeasible``).
    """
    counts = sorted(int(n) for n in refit_counts)
    if not counts or counts[0] < 1 or len(set(counts)) != len(counts):
        raise ValueError(f"refit_counts must be distinct and at least 1, got {refit_counts}")
    seeds = list(range(seed, seed + counts[-1] + 1))
    rows = _sweep(sentences, ks, model, seeds, [n + 1 for n in counts], n_top_terms, min_df,
                  sections, sample_fraction, n_jobs, skip_infeasible)
    if rows.empty:
        return empty_table("topic_sweep")
    blocks = [conform(block, "topic_sweep") for _, block in rows.groupby("n_seeds", sort=True)]
    return pd.concat(blocks, ignore_index=True)


def chosen_k_by_refits(sweeps: pd.DataFrame, model: str | None = None) -> pd.DataFrame:
    """The ``k`` that :func:`choose_k` picks with each number of refits.

    Parameters
    ----------
    sweeps : DataFrame
        Rows of :func:`sweep_by_refits` (``topic_sweep`` rows for several ``n_seeds``).
    model : str, optional
        Only this model's rows; all models by default.

    Returns
    -------
    DataFrame
        One row per (model, n_refits), sorted: model, n_refits (``n_seeds - 1``), k (the
        choice), and that row's score, stability_jaccard and coherence_npmi. The choice
        has settled when it stays the same from some ``n_refits`` on.
    """
    rows = sweeps if model is None else sweeps[sweeps["model"] == model]
    chosen = []
    for (name, n_seeds), block in rows.groupby(["model", "n_seeds"], sort=True):
        k = choose_k(block)
        best = block[block["k"] == k].iloc[0]
        chosen.append({"model": name, "n_refits": int(n_seeds) - 1, "k": k,
                       "score": float(best["score"]),
                       "stability_jaccard": float(best["stability_jaccard"]),
                       "coherence_npmi": float(best["coherence_npmi"])})
    columns = ["model", "n_refits", "k", "score", "stability_jaccard", "coherence_npmi"]
    return pd.DataFrame(chosen, columns=columns).astype(
        {"n_refits": "int64", "k": "int64", "score": float, "stability_jaccard": float,
         "coherence_npmi": float})


def choice_settled(choice: pd.DataFrame, model: str) -> str:
    """A sentence on whether the chosen k of ``model`` still moves with more refits.

    Parameters
    ----------
    choice : DataFrame
        :func:`chosen_k_by_refits` (table ``topic_choice``).
    model : str
        The model described.

    Returns
    -------
    str
        The choice at each number of refits, and from which number on it stays the same
        up to the largest; or that it changes at the largest, so more refits
        (``topics.n_seeds``) may move it.
    """
    rows = choice[choice["model"] == model].sort_values("n_refits", kind="mergesort")
    if rows.empty:
        return f"The sweep chose no k for {model.upper()} at any number of refits."
    counts, ks = rows["n_refits"].tolist(), rows["k"].tolist()
    steps = ", ".join(f"k = {k} with {n}" for n, k in zip(counts, ks, strict=True))
    text = f"{model.upper()}'s choice by number of stability refits: {steps}"
    if len(counts) == 1:
        return f"{text}; one number of refits shows nothing about how settled it is."
    since = len(ks) - 1
    while since > 0 and ks[since - 1] == ks[-1]:
        since -= 1
    if since == len(ks) - 1:
        return (f"{text}; the choice changes at the largest number, so more refits "
                "(topics.n_seeds) may still move it.")
    plural = "" if counts[since] == 1 else "s"
    return f"{text}; it stays k = {ks[-1]} from {counts[since]} refit{plural} on."
