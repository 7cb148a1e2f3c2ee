"""Tests for Greene et al.'s (2014) topic stability: Average Jaccard, matching on ranked
terms, and the choice of k over numbers of refits."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import tables
from analysis.measures import topics
from analysis.measures.topics import (
    average_jaccard,
    chosen_k_by_refits,
    match_topics,
    selection_score,
    sweep_by_refits,
    sweep_topics,
    topic_stability,
)

from factories import sentences_table

# Two themes with disjoint words, each listed most frequent first.
ECONOMY = ["minerals", "investment", "economy", "fund", "resources", "infrastructure"]
SECURITY = ["troops", "ceasefire", "monitoring", "border", "peacekeepers", "deployment"]


@pytest.fixture(scope="module")
def graded() -> pd.DataFrame:
    """Two themes whose term ranks are planted too.

    Each theme has three sentences of each length 1..6, a sentence holding the first
    ``length`` words of its theme: the theme's words occur in 18, 15, 12, 9, 6 and 3
    sentences, far enough apart that an 80% resample keeps their order.
    """
    def sentence(words: list[str], length: int) -> str:
        return " ".join(words[:length]).capitalize() + "."

    lengths = [length for _ in range(3) for length in range(1, 7)]
    return sentences_table(articles={
        "alpha": [sentence(ECONOMY, n) for n in lengths],
        "beta": [sentence(SECURITY, n) for n in lengths],
    })


def terms_frame(topics: list[list[str]]) -> pd.DataFrame:
    """Table ``topic_terms`` of one fit whose topic ``t`` ranks ``topics[t]``."""
    rows = [{"model": "nmf", "k": len(topics), "seed": 0, "topic": t, "rank": r, "term": term,
             "weight": 1.0 / (r + 1)} for t, terms in enumerate(topics)
            for r, term in enumerate(terms)]
    return pd.DataFrame(rows)


# --- Average Jaccard ---------------------------------------------------------------------


def test_average_jaccard_of_equal_disjoint_and_empty_lists():
    assert average_jaccard(["a", "b", "c"], ["a", "b", "c"]) == 1.0
    assert average_jaccard(["a", "b"], ["c", "d"]) == 0.0
    assert average_jaccard([], []) == 0.0


def test_average_jaccard_weights_agreement_at_the_top():
    # The same three terms in reverse order: Jaccard of the sets is 1, but the top-1 terms
    # differ ({a} vs {c}: 0) and the top-2 share one of three ({a, b} vs {c, b}: 1/3):
    # AJ = (0 + 1/3 + 1) / 3 = 4/9.
    assert average_jaccard(list("abc"), list("cba")) == pytest.approx(4 / 9, abs=1e-12)
    # Swapping the last two terms costs less than swapping the first two:
    # abcd | abdc: (1 + 1 + 2/4 + 1) / 4 = 7/8;  abcd | bacd: (0 + 1 + 1 + 1) / 4 = 3/4.
    assert average_jaccard(list("abcd"), list("abdc")) == pytest.approx(7 / 8, abs=1e-12)
    assert average_jaccard(list("abcd"), list("bacd")) == pytest.approx(3 / 4, abs=1e-12)
    assert average_jaccard(list("bacd"), list("abcd")) == average_jaccard(list("abcd"),
                                                                          list("bacd"))


def test_average_jaccard_of_greene_et_al_example():
    # The two ranked lists of Greene et al.'s (2014) worked example. Top-d Jaccard:
    # d=1 {album} | {sport}: 0;  d=2: 0;  d=3 shares best: 1/5;  d=4 shares best: 1/7;
    # d=5 shares best, award, win of seven terms: 3/7.  AJ = (1/5 + 1/7 + 3/7) / 5.
    first = ["album", "music", "best", "award", "win"]
    second = ["sport", "best", "win", "medal", "award"]
    assert average_jaccard(first, second) == pytest.approx((1 / 5 + 1 / 7 + 3 / 7) / 5,
                                                           abs=1e-12)
    assert round(average_jaccard(first, second), 3) == 0.154


def test_average_jaccard_of_lists_of_different_lengths_counts_the_missing_term():
    # Depth runs to the longer list: xyz | xy = (1 + 1 + 2/3) / 3 = 8/9, and the deepest
    # term is the sets' Jaccard index (cutting to the shorter list would give 1).
    assert average_jaccard(list("xyz"), list("xy")) == pytest.approx(8 / 9, abs=1e-12)
    assert average_jaccard(list("xy"), []) == 0.0


# --- matching on ranked terms ------------------------------------------------------------


def test_matching_follows_the_ranks_not_the_term_sets():
    reference = terms_frame([list("abcd"), list("cdef")])
    other = terms_frame([list("abxy"), list("cdab")])
    # Plain Jaccard would pair ref0 with oth1 (the same set: 1) and ref1 with oth0 (0).
    # Average Jaccard:
    # AJ(ref0, oth0) = (1 + 1 + 2/4 + 2/6) / 4 = 17/24   abcd | abxy
    # AJ(ref0, oth1) = (0 + 0 + 2/4 + 1) / 4 = 3/8       abcd | cdab
    # AJ(ref1, oth0) = 0                                 cdef | abxy
    # AJ(ref1, oth1) = (1 + 1 + 2/4 + 2/6) / 4 = 17/24   cdef | cdab
    # so ref0-oth0 + ref1-oth1 (17/12) beats ref0-oth1 + ref1-oth0 (3/8).
    matched = match_topics(reference, other)
    assert matched[["reference_topic", "topic"]].values.tolist() == [[0, 0], [1, 1]]
    assert matched["jaccard"].tolist() == pytest.approx([17 / 24, 17 / 24], abs=1e-12)
    # Terms are ranked by the rank column, not by the rows' order.
    shuffled = match_topics(reference.iloc[::-1], other.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(shuffled, matched)


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_stability_is_one_when_themes_and_their_term_ranks_are_planted(graded, model):
    stability = topic_stability(graded, 2, model, seeds=(0, 1, 2), n_top_terms=6)
    assert stability.mean_jaccard == pytest.approx(1.0)
    assert stability.pairs["min_jaccard"].tolist() == pytest.approx([1.0, 1.0])
    pd.testing.assert_frame_equal(stability.pairs,
                                  tables.conform(stability.pairs, "topic_stability"))


# --- the choice of k over numbers of refits ----------------------------------------------


@pytest.fixture(scope="module")
def graded_refits(graded) -> pd.DataFrame:
    return sweep_by_refits(graded, ks=(2, 3, 4), model=("lda", "nmf"), refit_counts=(1, 2, 4),
                           n_top_terms=6)


def test_sweep_by_refits_gives_the_sweeps_of_those_seeds(graded, graded_refits):
    assert graded_refits[["n_seeds", "model", "k"]].values.tolist() == [
        [n, model, k] for n in (2, 3, 5) for model in ("lda", "nmf") for k in (2, 3, 4)]
    # Each count's rows are the sweep with seeds 0..n, made from the first fits of five.
    for n_seeds in (2, 3):
        block = graded_refits[graded_refits["n_seeds"] == n_seeds].reset_index(drop=True)
        pd.testing.assert_frame_equal(block, tables.conform(block, "topic_sweep"))
        nmf = block[block["model"] == "nmf"].reset_index(drop=True)
        expected = sweep_topics(graded, ks=(2, 3, 4), model="nmf", seeds=range(n_seeds),
                                n_top_terms=6)
        pd.testing.assert_frame_equal(nmf, expected)


def test_sweep_chooses_the_planted_number_of_topics_at_every_refit_count(graded_refits):
    chosen = chosen_k_by_refits(graded_refits)
    assert chosen[["model", "n_refits", "k"]].values.tolist() == [
        ["lda", 1, 2], ["lda", 2, 2], ["lda", 4, 2], ["nmf", 1, 2], ["nmf", 2, 2], ["nmf", 4, 2]]
    # Both themes and their term ranks reappear in every resample.
    assert chosen["stability_jaccard"].tolist() == pytest.approx([1.0] * 6)


def sweep_rows(n_seeds: int, stability: list[float], npmi: list[float]) -> pd.DataFrame:
    return pd.DataFrame({
        "model": "nmf", "k": [4, 5, 6], "n_seeds": n_seeds, "n_top_terms": 10,
        "n_documents": 48, "n_terms": 300, "coherence_npmi": npmi, "coherence_umass": -1.0,
        "stability_jaccard": stability, "perplexity": float("nan"),
        "score": [selection_score(c, s) for c, s in zip(npmi, stability, strict=True)],
    })


def test_chosen_k_by_refits_chooses_within_each_refit_count():
    npmi = [0.2, 0.2, 0.3]
    sweeps = pd.concat([
        # 4 refits: k=4 scores 0.8 * 1.2 / 2 = 0.48 > k=6 0.7 * 1.3 / 2 = 0.455.
        sweep_rows(5, [0.8, 0.6, 0.7], npmi),
        # 10 refits: k=6 0.7 * 1.3 / 2 = 0.455 > k=4 0.7 * 1.2 / 2 = 0.42.
        sweep_rows(11, [0.7, 0.6, 0.7], npmi),
        # 30 refits: k=4 and k=5 tie at 0.75 * 1.2 / 2 = 0.45 > k=6 0.65 * 1.3 / 2: k=4.
        sweep_rows(31, [0.75, 0.75, 0.65], npmi),
    ], ignore_index=True)
    chosen = chosen_k_by_refits(sweeps.iloc[::-1])
    assert chosen[["model", "n_refits", "k"]].values.tolist() == [
        ["nmf", 4, 4], ["nmf", 10, 6], ["nmf", 30, 4]]
    assert chosen["score"].tolist() == pytest.approx([0.48, 0.455, 0.45], abs=1e-12)
    assert chosen["stability_jaccard"].tolist() == [0.8, 0.7, 0.75]
    assert chosen_k_by_refits(sweeps, model="lda").empty


@pytest.mark.parametrize("counts", [(), (0, 5), (5, 5)])
def test_refit_counts_must_be_distinct_and_positive(graded, counts):
    with pytest.raises(ValueError, match="refit_counts must be distinct and at least 1"):
        sweep_by_refits(graded, ks=(2,), model="nmf", refit_counts=counts)


def _choice(ks, model="nmf"):
    return pd.DataFrame({"model": model, "n_refits": [1, 2, 4, 8, 9][:len(ks)], "k": ks,
                         "score": 0.5, "stability_jaccard": 0.8, "coherence_npmi": 0.1})


def test_choice_settled_names_where_the_choice_stops_moving():
    assert topics.choice_settled(_choice([4, 4, 6, 6, 6]), "nmf") == (
        "NMF's choice by number of stability refits: k = 4 with 1, k = 4 with 2, k = 6 with "
        "4, k = 6 with 8, k = 6 with 9; it stays k = 6 from 4 refits on.")
    assert topics.choice_settled(_choice([5, 5, 5]), "nmf").endswith(
        "it stays k = 5 from 1 refit on.")
    assert topics.choice_settled(_choice([5, 5, 2]), "nmf").endswith(
        "the choice changes at the largest number, so more refits (topics.n_seeds) may "
        "still move it.")
    assert topics.choice_settled(_choice([3]), "nmf").endswith(
        "one number of refits shows nothing about how settled it is.")
    assert topics.choice_settled(_choice([3]), "lda") == (
        "The sweep chose no k for LDA at any number of refits.")


def test_the_build_records_the_choice_at_doubling_refit_counts():
    from analysis.pipeline import steps

    assert steps.refit_counts(10) == [1, 2, 4, 8, 9]
    assert steps.refit_counts(2) == [1]
    assert steps.refit_counts(5) == [1, 2, 4]
