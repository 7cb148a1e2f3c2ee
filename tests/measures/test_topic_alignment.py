"""Topic identity across builds: a new fit numbered after the previous fit's topics."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from analysis.data import corpus, tables
from analysis.measures import topics
from analysis.pipeline import build, params, steps

from factories import SEED_RAW


def _terms(topic_lists, model="nmf", seed=0):
    rows = [(model, len(topic_lists), seed, topic, rank, term, 0.1)
            for topic, terms in enumerate(topic_lists) for rank, term in enumerate(terms)]
    frame = pd.DataFrame(rows, columns=["model", "k", "seed", "topic", "rank", "term", "weight"])
    return tables.conform(frame, "topic_terms")


PREVIOUS = [["minerals", "deal", "fund", "rare", "earth"],
            ["troops", "ceasefire", "monitor", "border", "mission"],
            ["nato", "article", "alliance", "membership", "treaty"]]


def test_a_topic_that_continues_a_previous_one_is_paired_with_it():
    # The same three topics, fitted in another order, one term changed in each.
    new = _terms([["nato", "article", "alliance", "membership", "summit"],
                  ["minerals", "deal", "fund", "rare", "exports"],
                  ["troops", "ceasefire", "monitor", "border", "drones"]])
    alignment = topics.align_topics(new, _terms(PREVIOUS))
    assert alignment["previous_topic"].tolist() == [2, 0, 1]
    assert alignment["previous_k"].tolist() == [3, 3, 3]
    assert (alignment["average_jaccard"] > 0.5).all()
    assert topics.aligned_numbers(alignment).tolist() == [2, 0, 1]


def test_new_topics_take_free_numbers_and_unrelated_ones_are_not_forced_together():
    new = _terms([["grain", "harvest", "ports", "wheat", "ships"],
                  ["troops", "ceasefire", "monitor", "border", "mission"],
                  ["energy", "gas", "pipeline", "winter", "prices"],
                  ["minerals", "deal", "fund", "rare", "earth"]])
    alignment = topics.align_topics(new, _terms(PREVIOUS))
    # Grain and energy share no term with the previous topics: new, whatever the
    # assignment pairs them with.
    assert alignment["previous_topic"].tolist() == [-1, 1, -1, 0]
    assert np.isnan(alignment["average_jaccard"].iloc[0])
    assert topics.aligned_numbers(alignment).tolist() == [2, 1, 3, 0]
    renumbered = alignment.assign(topic=topics.aligned_numbers(alignment))
    assert topics.alignment_summary(renumbered) == (
        "2 of 4 topics continue one of the previous build's 3 (Average Jaccard of top terms "
        "at least 0.2); keeping their numbers: 0, 1; new: 2, 3")


def test_a_continuing_topic_whose_number_the_smaller_fit_lacks_is_renumbered():
    new = _terms([["nato", "article", "alliance", "membership", "treaty"],
                  ["minerals", "deal", "fund", "rare", "earth"]])
    alignment = topics.align_topics(new, _terms(PREVIOUS))
    assert alignment["previous_topic"].tolist() == [2, 0]
    assert topics.aligned_numbers(alignment).tolist() == [1, 0]


def test_without_a_previous_fit_of_the_model_the_numbers_stay():
    new = _terms(PREVIOUS[::-1])
    for previous in (tables.empty_table("topic_terms"), _terms(PREVIOUS, model="lda")):
        alignment = topics.align_topics(new, previous)
        assert alignment["previous_topic"].tolist() == [-1, -1, -1]
        assert topics.aligned_numbers(alignment).tolist() == [0, 1, 2]


@pytest.fixture(scope="module")
def seed_fit():
    _, sentences = corpus.build_corpus_tables(SEED_RAW)
    return sentences, topics.fit_topics(sentences, 4, "nmf", seed=0, n_top_terms=10)


def test_aligned_fit_renumbers_terms_weights_and_new_documents_alike(seed_fit):
    sentences, fit = seed_fit
    # A previous build whose topics were these, numbered in reverse.
    reverse = fit.topic_terms.assign(topic=3 - fit.topic_terms["topic"])
    aligned, alignment = topics.aligned_fit(fit, reverse)
    assert alignment["previous_topic"].tolist() == [0, 1, 2, 3]
    assert (alignment["topic"] == alignment["previous_topic"]).all()
    assert alignment["average_jaccard"].tolist() == pytest.approx([1.0] * 4)
    for topic in range(4):
        old = fit.topic_terms[fit.topic_terms["topic"] == 3 - topic]["term"].tolist()
        assert aligned.topic_terms[aligned.topic_terms["topic"] == topic]["term"].tolist() == old
    np.testing.assert_array_equal(aligned.doc_weights, fit.doc_weights[:, ::-1])
    assert topics.alignment_summary(alignment) == (
        "4 of 4 topics continue one of the previous build's 4 (Average Jaccard of top terms "
        "at least 0.2); keeping their numbers: 0, 1, 2, 3")
    # New documents get the renumbered topics too (NMF's transform solves afresh, so the
    # shares agree with the fit's to about 1e-6, not bit for bit).
    inferred = topics.infer_topics(aligned, sentences)
    pd.testing.assert_frame_equal(inferred, aligned.doc_topics, check_exact=False, atol=1e-4)
    # Aligned to itself, a fit keeps its numbers: rebuilding gives the same tables.
    same, _ = topics.aligned_fit(fit, fit.topic_terms)
    pd.testing.assert_frame_equal(same.topic_terms, fit.topic_terms)


def test_the_build_numbers_topics_after_the_previous_build(tmp_path):
    used = copy.deepcopy(params.read_params())
    used["topics"].update(models=["nmf"], k_values=[3, 4], n_seeds=2)  # a faster sweep
    first = build.compute_tables(SEED_RAW, used)
    previous = tmp_path / "processed"
    previous.mkdir()
    # The previous build's fit, its topics numbered in reverse.
    fitted = first["topic_terms"]
    k = int(fitted["k"].iloc[0])
    tables.write_table(fitted.assign(topic=k - 1 - fitted["topic"]), "topic_terms", previous)
    again = build.compute_tables(SEED_RAW, used, previous_dir=previous)
    renumbered = again["topic_terms"]
    for topic in range(k):
        assert (renumbered[renumbered["topic"] == topic]["term"].tolist()
                == fitted[fitted["topic"] == k - 1 - topic]["term"].tolist())
    shares = first["topic_prevalence"].assign(topic=k - 1 - first["topic_prevalence"]["topic"])
    pd.testing.assert_frame_equal(
        again["topic_prevalence"],
        tables.conform(shares.sort_values(["article_id", "topic"]), "topic_prevalence"))
    assert steps.PREVIOUS_TOPICS in {name for step in steps.STEPS for name in step.inputs}
