"""Tests for the corpus and framing figures of analysis.views.plotting (notebooks 01 and 02)."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from analysis.data.tables import conform
from analysis.measures import framing
from analysis.views import plotting

matplotlib.use("Agg")

IDS = ["a1", "a2"]
N_GUARANTORS = len(framing.guarantee_vocabulary()["guarantor"])
N_FORMS = len(framing.guarantee_vocabulary()["form"])


# ``styled`` and ``sentences`` (articles a1 and a2) come from tests/views/conftest.py.
pytestmark = pytest.mark.usefixtures("styled")


@pytest.fixture
def mentions():
    # a1: europe affirmed twice, united_states negated once, troop_deployment once; a2: none.
    return conform(pd.DataFrame({
        "article_id": ["a1"] * 4, "sentence_id": [0, 1, 1, 2],
        "dimension": ["guarantor", "guarantor", "guarantor", "form"],
        "label": ["europe", "europe", "united_states", "troop_deployment"],
        "negated": [False, False, True, False], "modality": ["asserted"] * 4, "cue": ["c"] * 4,
    }), "guarantee_mentions")


def _bytes_twice(make) -> tuple[bytes, bytes]:
    first = plotting.figure_bytes(make(), "png")
    second = plotting.figure_bytes(make(), "png")
    return first, second


def _labelled(ax) -> bool:
    return bool(ax.get_title()) and bool(ax.get_xlabel())


def _bar_widths(container) -> list[float]:
    return [round(bar.get_width(), 6) for bar in container]


def test_sections_per_article_stacks_one_segment_per_section(sentences):
    counts = pd.DataFrame({
        "article_id": ["a1"] * 4 + ["a2"] * 4,
        "section": ["title", "summary", "deck", "body"] * 2,
        "n_sentences": [1, 1, 0, 2, 1, 0, 0, 1],
    })
    fig = plotting.plot_sections_per_article(counts)
    (ax,) = fig.axes
    assert ax.get_title() == "Sentences per section, by article"
    assert ax.get_xlabel() == "sentences (count)" and ax.get_ylabel() == "article"
    assert len(ax.containers) == 4 and all(len(c) == 2 for c in ax.containers)
    body = ax.containers[3]
    assert [bar.get_x() for bar in body] == [2, 1] and _bar_widths(body) == [2, 1]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["title", "summary", "deck",
                                                                  "body"]
    first, second = _bytes_twice(lambda: plotting.plot_sections_per_article(counts))
    assert first == second


def test_guarantee_shares_has_one_bar_per_label_and_article(mentions, sentences):
    summary = framing.guarantee_summary(mentions, sentences)
    fig = plotting.plot_guarantee_shares(summary, IDS)
    guarantor, form = fig.axes
    assert fig._suptitle.get_text().startswith("Who guarantees")
    assert _labelled(guarantor) and "(%)" in guarantor.get_xlabel()
    assert [len(c) for c in guarantor.containers if hasattr(c, "patches")][:2] == \
        [N_GUARANTORS, N_GUARANTORS]
    europe = [t.get_text() for t in guarantor.get_yticklabels()].index("Europe")
    assert guarantor.containers[0][europe].get_width() == pytest.approx(100.0)
    assert guarantor.containers[1][europe].get_width() == 0.0  # a2 has no labels
    assert len(form.containers[0]) == N_FORMS
    first, second = _bytes_twice(lambda: plotting.plot_guarantee_shares(summary, IDS))
    assert first == second


def test_guarantee_polarity_draws_negated_to_the_left(mentions, sentences):
    summary = framing.guarantee_summary(mentions, sentences)
    fig = plotting.plot_guarantee_polarity(summary, IDS)
    guarantor = fig.axes[0]
    assert _labelled(guarantor) and "negated" in guarantor.get_xlabel()
    assert len(guarantor.containers) == 4  # affirmed and negated, per article
    labels = [t.get_text() for t in guarantor.get_yticklabels()]
    us, europe = labels.index("United States"), labels.index("Europe")
    assert guarantor.containers[0][europe].get_width() == 2
    assert guarantor.containers[2][us].get_width() == -1
    assert guarantor.containers[2][us].get_hatch()
    first, second = _bytes_twice(lambda: plotting.plot_guarantee_polarity(summary, IDS))
    assert first == second


def test_guarantee_by_section_stacks_labels_per_section(mentions, sentences):
    by_section = framing.guarantee_summary(mentions, sentences, by=("article_id", "section"))
    fig = plotting.plot_guarantee_by_section(by_section, IDS)
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in axes] == ["a1: guarantor", "a2: guarantor", "a1: form",
                                               "a2: form"]
    a1_guarantor = axes[0]
    # europe affirmed (title, summary) and united_states negated (summary): two bar sets
    assert len(a1_guarantor.containers) == 2
    assert sum(bar.get_width() for c in a1_guarantor.containers for bar in c) == 3
    # sections of the corpus in reading order (no deck in this corpus), with their sizes
    assert [t.get_text() for t in a1_guarantor.get_yticklabels()] == [
        "title (n=1)", "summary (n=1)", "body (n=2)"]
    assert not axes[1].containers  # a2 has no guarantee labels
    assert axes[2].get_xlabel() == "sentences with the label (count)"
    first, second = _bytes_twice(lambda: plotting.plot_guarantee_by_section(by_section, IDS))
    assert first == second


def test_frame_shares_has_one_bar_per_frame_and_article(sentences):
    frames = conform(pd.DataFrame({"article_id": ["a1", "a2"], "sentence_id": [1, 1],
                                   "frame": ["conflict", "conflict"], "cue": ["c", "c"]}),
                     "frames")
    shares = framing.frame_shares(frames, sentences)
    fig = plotting.plot_frame_shares(shares, IDS)
    (ax,) = fig.axes
    assert _labelled(ax) and ax.get_ylabel() == "frame" and "%" in ax.get_xlabel()
    n_frames = len(framing.frame_names())
    assert [len(c) for c in ax.containers] == [n_frames, n_frames]
    conflict = [t.get_text() for t in ax.get_yticklabels()].index("conflict")
    assert ax.containers[0][conflict].get_width() == pytest.approx(25.0)
    assert ax.containers[1][conflict].get_width() == pytest.approx(50.0)
    first, second = _bytes_twice(lambda: plotting.plot_frame_shares(shares, IDS))
    assert first == second


def test_voices_draws_all_and_guarantee_quotes_per_speaker():
    voices = pd.DataFrame({
        "article_id": ["a1", "a1", "a2"], "speaker": ["Ann", "Bob", "Cy"],
        "actor": ["europe", "", "united_states"], "n_quotes": [1, 3, 2],
        "n_guarantee_quotes": [1, 0, 2], "guarantee_share": [1.0, 0.0, 1.0],
    })
    fig = plotting.plot_voices(voices, IDS)
    a1, a2 = fig.axes
    assert [ax.get_title() for ax in fig.axes] == IDS and _labelled(a1)
    assert [t.get_text() for t in a1.get_yticklabels()][:2] == ["Bob", "Ann"]  # most quoted
    assert [len(c) for c in a1.containers] == [2, 2] and [len(c) for c in a2.containers] == [1, 1]
    assert _bar_widths(a1.containers[0]) == [3, 1] and _bar_widths(a1.containers[1]) == [0, 1]
    empty = plotting.plot_voices(voices.iloc[:0], IDS)
    assert all(len(c) == 0 for ax in empty.axes for c in ax.containers)
    assert [t.get_text() for t in empty.axes[0].texts] == ["no direct quotes"]
    first, second = _bytes_twice(lambda: plotting.plot_voices(voices, IDS))
    assert first == second


def test_distinctive_terms_scatter_names_top_terms():
    table = pd.DataFrame({
        "article_id": ["a1"] * 4 + ["a2"] * 2, "term": ["w", "x", "y", "z", "x", "v"],
        "count": [5, 3, 1, 1, 2, 1], "count_rest": [0, 2, 4, 0, 3, 9],
        "z_score": [2.5, 1.0, -2.2, 0.4, -1.0, -0.3],
    })
    fig = plotting.plot_distinctive_terms(table, IDS, n_labels=2)
    a1, a2 = fig.axes
    assert a1.get_title() == "a1 vs rest of corpus" and "log scale" in a1.get_xlabel()
    assert "z-score" in a1.get_ylabel() and a1.get_xscale() == "log"
    assert [t.get_text() for t in a1.texts] == ["w", "x"]
    assert len(a2.texts) == 0  # no term with z > 0
    offsets = [len(c.get_offsets()) for c in a1.collections]
    assert sum(offsets[:2]) == 4  # every term drawn once (plus the named ones on top)
    empty = plotting.plot_distinctive_terms(table.iloc[:0], IDS)
    assert [t.get_text() for t in empty.axes[0].texts] == ["no terms to compare"]
    first, second = _bytes_twice(lambda: plotting.plot_distinctive_terms(table, IDS))
    assert first == second
