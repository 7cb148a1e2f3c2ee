"""The pipeline's steps: every processed table has exactly one producer.

A :class:`Step` is a function with named input tables, named output tables and the
parameter group it reads (from :mod:`analysis.pipeline.params`), in the manner of Kedro's nodes.
:data:`STEPS` lists them all; :func:`run_steps` runs them in dependency order (the
standard library's :mod:`graphlib`), in memory, and the build
(:func:`analysis.pipeline.build.build_tables`) writes what they return. The raw corpus is the
one input that is not a table: the ``corpus`` step reads it.

Steps marked ``per_article`` compute each article's rows from that article's sentences
alone, so corpus mode (:mod:`analysis.pipeline.scale`) runs exactly them on partitions of whole
articles and gets the same rows. The sentences carry their article's ``language``: the
English-only measures skip other languages from it, with no second input table.
"""

from __future__ import annotations

import graphlib
import os
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from threadpoolctl import threadpool_limits

from analysis.data import corpus, tables, text
from analysis.measures import compare, framing, topics

# Imported under another name: the sentiment table is a step argument called `sentiment`.
from analysis.measures import sentiment as sentiment_measures
from analysis.progress import say

RAW = "raw"  # the corpus step's input: a RawCorpus, not a table
# The previous build's topic_terms (empty without one): the new fit's topics are
# numbered after the topics they continue (analysis.measures.topics.alignment).
PREVIOUS_TOPICS = "previous_topic_terms"
GIVEN = (RAW, PREVIOUS_TOPICS)  # what the whole pipeline is given, not made
# Processes the topic sweep's (model, k) rows are fitted in: one a core, at most two.
SWEEP_JOBS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class RawCorpus:
    """The raw corpus a build reads: its folder, and its check report if already made.

    ``checked`` (from :func:`analysis.data.corpus.check_corpus`) saves checking the
    corpus a second time when the caller has checked it already (the corpus step still
    reads each file again to parse it).
    """

    raw_dir: object
    checked: corpus.CorpusReport | None = None


@dataclass(frozen=True)
class Step:
    """One producer: ``function(**inputs, params=group)`` returns its output tables.

    Attributes
    ----------
    name : str
        The step's name.
    function : callable
        Called with one keyword argument per input (a DataFrame, or the
        :class:`RawCorpus` for :data:`RAW`) and, when ``params`` is set, ``params`` (that
        group's mapping). Returns a dict of output name to DataFrame.
    inputs, outputs : tuple of str
        Table names (catalog names of :data:`analysis.data.tables.TABLES`).
    params : str or None
        The group of :data:`analysis.pipeline.params.SCHEMA` the step reads.
    per_article : bool
        Whether each article's rows depend on that article's sentences only.
    """

    name: str
    function: Callable[..., dict[str, pd.DataFrame]]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    params: str | None = None
    per_article: bool = False


def _corpus(raw: RawCorpus) -> dict[str, pd.DataFrame]:
    if raw.checked is None:
        articles, sentences = corpus.build_corpus_tables(raw.raw_dir)
    else:
        articles, sentences = corpus.partition_tables(raw.checked.manifest, raw.raw_dir)
    return {"articles": articles, "sentences": sentences}


def _one(output: str, function: Callable[[pd.DataFrame], pd.DataFrame]
         ) -> Callable[..., dict[str, pd.DataFrame]]:
    def step(sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
        return {output: function(sentences)}
    step.__name__ = function.__name__
    return step


def _article_sentiment(sentiment: pd.DataFrame, sentences: pd.DataFrame,
                       params: Mapping) -> dict[str, pd.DataFrame]:
    scores = sentiment_measures.select_sections(sentiment, sentences, params["sections"])
    scores = sentiment_measures.counted_once(scores, sentences, params["repeat_threshold"])
    return {"article_sentiment": sentiment_measures.article_sentiment(
        scores, n_boot=params["n_boot"], seed=params["seed"])}


def _aspect_sentiment(sentiment: pd.DataFrame, guarantee_mentions: pd.DataFrame,
                      quotes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {"aspect_sentiment": sentiment_measures.aspect_sentiment(
        sentiment, guarantee_mentions, quotes)}


def _english(sentences: pd.DataFrame) -> pd.DataFrame:
    """The English sentences: the corpus-wide steps drop English stop words, so other
    languages would compare as noise. ``sentences`` itself when all are English (the
    topic step tells a fit to every sentence from one to a sample by identity)."""
    english = text.english_rows(sentences)
    return sentences if english.all() else sentences[english]


def _distinctive_terms(sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {"distinctive_terms": compare.distinctive_terms(_english(sentences))}


def topic_seeds(params: Mapping) -> list[int]:
    """The seeds of the topic fits: ``n_seeds`` consecutive ones from ``seed``."""
    return list(range(params["seed"], params["seed"] + params["n_seeds"]))


def topic_sentences(sentences: pd.DataFrame, params: Mapping) -> pd.DataFrame:
    """The sentences the topic steps fit: a seeded sample of at most ``max_sentences`` of
    the English ones (the vectorizers drop English stop words)."""
    return topics.sample_sentences(_english(sentences), params["max_sentences"],
                                   params["seed"])


def refit_counts(n_seeds: int) -> list[int]:
    """The numbers of refits at which the sweep's choice of k is recorded (table
    ``topic_choice``): 1, 2, 4, 8, ... below ``n_seeds - 1``, then ``n_seeds - 1``."""
    counts, count = {n_seeds - 1}, 1
    while count < n_seeds - 1:
        counts.add(count)
        count *= 2
    return sorted(counts)


def _topic_sweep(sentences: pd.DataFrame, params: Mapping) -> dict[str, pd.DataFrame]:
    # The fits of fewer refits are the first of more: the choice at each count costs
    # no fit beyond the sweep's own.
    sweeps = topics.sweep_by_refits(
        topic_sentences(sentences, params), params["k_values"], params["models"],
        refit_counts(params["n_seeds"]), params["seed"], params["n_top_terms"],
        sample_fraction=params["sample_fraction"], n_jobs=SWEEP_JOBS, skip_infeasible=True)
    sweep = sweeps[sweeps["n_seeds"] == params["n_seeds"]]
    scored = set(zip(sweep["model"], sweep["k"], strict=True))
    left_out = [f"{model} k = {k}" for model in params["models"] for k in params["k_values"]
                if (model, k) not in scored]
    if left_out:
        _warn(f"topic sweep: left out {', '.join(left_out)}: too few sentences or terms "
              "for that many topics")
    return {"topic_sweep": sweep, "topic_choice": topics.chosen_k_by_refits(sweeps)}


def fitted_k(topic_sweep: pd.DataFrame, params: Mapping) -> int | None:
    """The k of the described fit: ``topics.k`` if set, else the sweep's choice; None
    when the sweep scored no k for the model (a corpus too small for topics)."""
    if params["k"] is not None:
        return params["k"]
    if not (topic_sweep["model"] == params["model"]).any():
        return None
    return topics.choose_k(topic_sweep, params["model"])


def _no_fit(outputs: Sequence[str]) -> dict[str, pd.DataFrame]:
    _warn("topics: no k could be fitted to this corpus; the topic tables are empty")
    return {name: tables.empty_table(name) for name in outputs}


def _topic_model(sentences: pd.DataFrame, topic_sweep: pd.DataFrame,
                 previous_topic_terms: pd.DataFrame, params: Mapping) -> dict[str, pd.DataFrame]:
    k = fitted_k(topic_sweep, params)
    if k is None:
        return _no_fit(("topic_terms", "topic_weights", "topic_prevalence"))
    fitted = topic_sentences(sentences, params)
    fit = topics.fit_topics(fitted, k, params["model"], params["seed"], params["n_top_terms"])
    fit, alignment = topics.aligned_fit(fit, previous_topic_terms)
    sentences = _english(sentences)
    if alignment["previous_k"].iloc[0]:
        say(f"build: topics: {topics.alignment_summary(alignment)}")
    # Fitted to a sample, the model still gives every sentence its topic shares.
    weights = fit.doc_topics if fitted is sentences else topics.infer_topics(fit, sentences)
    return {"topic_terms": fit.topic_terms, "topic_weights": weights,
            "topic_prevalence": topics.topic_prevalence(weights)}


def _topic_stability(sentences: pd.DataFrame, topic_sweep: pd.DataFrame,
                     params: Mapping) -> dict[str, pd.DataFrame]:
    k = fitted_k(topic_sweep, params)
    if k is None:
        return {name: tables.empty_table(name) for name in ("topic_stability", "topic_matches")}
    stability = topics.topic_stability(
        topic_sentences(sentences, params), k, params["model"], topic_seeds(params),
        params["n_top_terms"], sample_fraction=params["sample_fraction"])
    return {"topic_stability": stability.pairs, "topic_matches": stability.matches}


def _warn(message: str) -> None:
    say(f"warning: {message}")


STEPS: tuple[Step, ...] = (
    Step("corpus", _corpus, (RAW,), ("articles", "sentences")),
    Step("guarantee_mentions", _one("guarantee_mentions", framing.guarantee_mentions),
         ("sentences",), ("guarantee_mentions",), per_article=True),
    Step("frames", _one("frames", framing.generic_frames), ("sentences",), ("frames",),
         per_article=True),
    Step("quotes", _one("quotes", framing.extract_quotes), ("sentences",), ("quotes",),
         per_article=True),
    Step("sentiment", _one("sentiment", sentiment_measures.score_sentences), ("sentences",),
         ("sentiment",), per_article=True),
    Step("distinctive_terms", _distinctive_terms, ("sentences",), ("distinctive_terms",)),
    Step("article_sentiment", _article_sentiment, ("sentiment", "sentences"),
         ("article_sentiment",), params="sentiment"),
    Step("aspect_sentiment", _aspect_sentiment, ("sentiment", "guarantee_mentions", "quotes"),
         ("aspect_sentiment",)),
    Step("topic_sweep", _topic_sweep, ("sentences",), ("topic_sweep", "topic_choice"),
         params="topics"),
    Step("topic_model", _topic_model, ("sentences", "topic_sweep", PREVIOUS_TOPICS),
         ("topic_terms", "topic_weights", "topic_prevalence"), params="topics"),
    Step("topic_stability", _topic_stability, ("sentences", "topic_sweep"),
         ("topic_stability", "topic_matches"), params="topics"),
)


def producers(steps: Sequence[Step] = STEPS) -> dict[str, Step]:
    """Table name to the step that makes it.

    Raises
    ------
    ValueError
        If a table has two producers.
    """
    made: dict[str, Step] = {}
    for step in steps:
        for output in step.outputs:
            if output in made:
                raise ValueError(f"table {output!r} has two producers: "
                                 f"{made[output].name} and {step.name}")
            made[output] = step
    return made


def step_order(steps: Sequence[Step] = STEPS, given: Collection[str] = GIVEN) -> list[Step]:
    """The steps in an order where each comes after the producers of its inputs
    (:class:`graphlib.TopologicalSorter`; ties keep the order of ``steps``).

    Raises
    ------
    ValueError
        If a table has two producers, or a step reads a table that no step makes and
        that is not ``given``.
    """
    made = producers(steps)
    for step in steps:
        missing = [name for name in step.inputs if name not in made and name not in given]
        if missing:
            raise ValueError(f"step {step.name} reads {missing}, which no step makes")
    graph = {step.name: [made[name].name for name in step.inputs if name in made]
             for step in steps}
    by_name = {step.name: step for step in steps}
    return [by_name[name] for name in graphlib.TopologicalSorter(graph).static_order()]


def run_steps(given: Mapping[str, object], params: Mapping[str, Mapping],
              steps: Sequence[Step] = STEPS,
              report: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Run ``steps`` in dependency order on the ``given`` inputs.

    Parameters
    ----------
    given : mapping
        The inputs no step among ``steps`` makes: :data:`RAW` (a :class:`RawCorpus`)
        and :data:`PREVIOUS_TOPICS` (a ``topic_terms`` table) for the whole pipeline,
        or tables by name (e.g. ``sentences`` for the per-article steps).
    params : mapping
        Checked parameters (:func:`analysis.pipeline.params.read_params`).
    steps : sequence of Step, default STEPS
    report : callable, optional
        Called with one line per step once it has run: its place, name, outputs and
        seconds (``"build: [3/9] sentiment -> sentiment in 1.2 s"``).

    Returns
    -------
    dict of str to DataFrame
        Every output of ``steps``, conformed to the catalog, in catalog order.
    """
    available = dict(given)
    # One BLAS thread, as in the notebooks' kernels: float reductions are then summed in
    # the same order on every machine, and the topic fits give the same tables.
    with threadpool_limits(limits=1):
        ordered = step_order(steps, given)
        for position, step in enumerate(ordered, start=1):
            start = time.perf_counter()
            arguments = {name: available[name] for name in step.inputs}
            if step.params is not None:
                arguments["params"] = params[step.params]
            for name, table in step.function(**arguments).items():
                available[name] = tables.conform(table, name)
            if report is not None:
                report(f"build: [{position}/{len(ordered)}] {step.name} -> "
                       f"{', '.join(step.outputs)} in {time.perf_counter() - start:.1f} s")
    made = {name for step in steps for name in step.outputs}
    return {name: available[name] for name in tables.TABLES if name in made}


PER_ARTICLE_STEPS: tuple[Step, ...] = tuple(step for step in STEPS if step.per_article)
