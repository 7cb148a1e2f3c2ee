"""Tests for analysis.views.report: notebook tables, provenance and offset checks, findings."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis.data.tables import conform
from analysis.measures import framing, proportions
from analysis.views import report

from factories import sentences_table

# ``sentences`` and ``sample_raw`` (articles a1 and a2) come from tests/views/conftest.py.


@pytest.fixture
def articles(sample_raw):
    return conform(pd.DataFrame({
        "article_id": ["a1", "a2"], "file": ["a.txt", "b.txt"],
        "sha256": [hashlib.sha256(sample_raw["a1"].encode()).hexdigest(), "0" * 64],
        "title": ["Title A", "Title B"], "outlet": ["Outlet", "Outlet"],
        "published": ["2025-01-02", "2025-03-04"], "author": ["Ann Lee", ""],
        "language": ["en", "en"], "n_sentences": [4, 2], "n_words": [9, 4],
    }), "articles")


@pytest.fixture
def raw_dir(tmp_path, sample_raw):
    (tmp_path / "a.txt").write_bytes(sample_raw["a1"].encode())
    (tmp_path / "b.txt").write_bytes(sample_raw["a2"].encode())
    return tmp_path


@pytest.fixture
def mentions():
    return conform(pd.DataFrame({
        "article_id": ["a1", "a1", "a1"], "sentence_id": [0, 1, 1],
        "dimension": ["guarantor", "guarantor", "guarantor"],
        "label": ["europe", "europe", "united_states"], "negated": [False, False, True],
        "modality": ["asserted", "asserted", "asserted"],
        "cue": ["r1: 'Europe'", "r2: 'Europe must guarantee'", "r3: 'not US'"],
    }), "guarantee_mentions")


@pytest.fixture
def frames():
    return conform(pd.DataFrame({
        "article_id": ["a1", "a1", "a2"], "sentence_id": [1, 2, 1],
        "frame": ["responsibility", "conflict", "conflict"],
        "cue": ["q2: 'must'", "q11: 'clash'", "q11: 'row'"],
    }), "frames")


@pytest.fixture
def quotes():
    return conform(pd.DataFrame({
        "article_id": ["a1", "a1", "a1", "a2"], "sentence_id": [1, 2, 3, 1],
        "speaker": ["Donald Trump", "Donald Trump", "unknown", "Volodymyr Zelensky"],
        "quote": ["Europe must", "one", "two", "body"],
    }), "quotes")


def test_mark_compared_marks_a_and_b_after_article_id_and_puts_their_rows_first(articles):
    marked = report.mark_compared(articles, ["a2", "a1"])
    assert list(marked.columns[:2]) == ["article_id", "compared"]
    assert list(zip(marked["article_id"], marked["compared"], strict=True)) == [
        ("a2", "A"), ("a1", "B")]
    assert "compared" not in articles.columns
    rows = pd.DataFrame({"article_id": ["a1", "a3", "a2", "a1", "a3"], "n": [1, 2, 3, 4, 5]})
    marked = report.mark_compared(rows, ["a2", "a1"])
    # A's rows, B's rows, then the others, each in their order in the table.
    assert marked["n"].tolist() == [3, 1, 4, 2, 5]
    assert marked["compared"].tolist() == ["A", "B", "B", "", ""]


def test_section_counts_has_every_section_in_reading_order(sentences):
    counts = report.section_counts(sentences)
    assert len(counts) == 8
    a2 = counts.loc[counts["article_id"] == "a2"]
    assert list(a2["section"]) == ["title", "summary", "deck", "body"]
    assert list(a2["n_sentences"]) == [1, 0, 0, 1]
    a1 = counts.loc[counts["article_id"] == "a1"].set_index("section")
    assert a1.loc["body", "n_paragraphs"] == 1 and a1.loc["body", "n_sentences"] == 2
    assert a1.loc["summary", "n_words"] == 4  # europe must guarantee it


def test_file_provenance_recomputes_and_compares_hashes(articles, raw_dir, sample_raw):
    digest_a = hashlib.sha256(sample_raw["a1"].encode()).hexdigest()
    manifest = pd.DataFrame({"article_id": ["a2", "a1", "a3"],
                             "file": ["b.txt", "a.txt", "missing.txt"],
                             "sha256": ["", digest_a.upper(), "1" * 64]})
    table = report.file_provenance(manifest, articles, raw_dir)
    assert list(table["article_id"]) == ["a1", "a2", "a3"]
    assert table.loc[0, "sha256"] == digest_a and table.loc[0, "n_bytes"] == len(sample_raw["a1"])
    assert list(table["manifest_check"]) == ["match", "not given", "DIFFERS"]
    assert list(table["tables_check"]) == ["match", "DIFFERS", "not built"]
    assert table.loc[2, "sha256"] == "" and table.loc[2, "n_bytes"] == 0


def test_verify_offsets_finds_the_sentence_that_does_not_match(sentences, articles, raw_dir):
    ok = report.verify_offsets(sentences, articles, raw_dir)
    assert list(ok["n_verified"]) == [4, 2] and list(ok["failed"]) == ["", ""]
    broken = sentences.copy()
    broken.loc[3, "end"] += 1
    checked = report.verify_offsets(broken, articles, raw_dir)
    assert list(checked["n_verified"]) == [3, 2] and checked.loc[0, "failed"] == "3"


def test_uncovered_lines_are_layout_lines_only(sentences, articles, raw_dir, sample_raw):
    table = report.uncovered_lines(sentences, articles, raw_dir)
    assert list(zip(table["article_id"], table["line"], table["text"], strict=True)) == [
        ("a1", 2, "Summary")]
    row = table.iloc[0]
    assert sample_raw["a1"][row["start"]:row["end"]] == "Summary"
    dropped = report.uncovered_lines(sentences.iloc[:3], articles, raw_dir)
    assert list(dropped["text"]) == ["Summary", "Title B", "Only body."]  # a2 has no sentences


def test_sentence_sample_takes_the_head_of_each_article(sentences):
    sample = report.sentence_sample(sentences.iloc[::-1], n=2)
    assert list(zip(sample["article_id"], sample["sentence_id"], strict=True)) == \
        [("a1", 0), ("a1", 1), ("a2", 0), ("a2", 1)]


def test_corpus_findings_are_computed(sentences, articles, raw_dir):
    manifest = pd.DataFrame({"article_id": ["a1", "a2"], "file": ["a.txt", "b.txt"],
                             "sha256": ["", ""]})
    lines = report.corpus_findings(
        articles, report.section_counts(sentences), report.verify_offsets(sentences, articles,
                                                                          raw_dir),
        report.file_provenance(manifest, articles, raw_dir))
    assert lines[0].startswith("The corpus holds 2 articles from Outlet, published "
                               "2025-01-02 to 2025-03-04: 6 sentences and 13 word tokens.")
    assert "by Ann Lee" in lines[1] and "title 1, summary 1, deck 0, body 2" in lines[1]
    assert "no byline found" in lines[2]
    assert "6 of 6 sentences" in lines[3]
    assert "0 of 2 files match the manifest's sha256 (2 without one" in lines[4]
    assert "1 match the hash recorded" in lines[4]
    assert report.corpus_findings(articles.iloc[:0], None, None, None) == \
        ["The corpus holds no article."]


def test_label_table_puts_articles_side_by_side(mentions, sentences):
    summary = framing.guarantee_summary(mentions, sentences)
    table = report.label_table(summary, ["a1", "a2"])
    europe = table.loc[table["label"] == "europe"].iloc[0]
    us = table.loc[table["label"] == "united_states"].iloc[0]
    assert europe["a1 affirmed"] == 2 and europe["a1 share %"] == 100.0
    assert us["a1 negated"] == 1 and us["a1 affirmed"] == 0
    assert europe["a2 affirmed"] == 0 and europe["a2 share %"] == 0.0
    assert len(table) == sum(len(v) for v in framing.guarantee_vocabulary().values())


def test_labelled_sentences_carry_cue_and_text(mentions, sentences):
    table = report.labelled_sentences(mentions, sentences, ["a1"])
    assert list(table.columns) == ["article_id", "sentence_id", "section", "dimension",
                                   "label", "negated", "modality", "cue", "text"]
    assert len(table) == 3
    row = table.iloc[2]
    assert row["label"] == "united_states" and row["negated"]
    assert row["text"] == "Europe must guarantee it." and row["section"] == "summary"
    assert report.labelled_sentences(mentions, sentences, ["a2"]).empty


def test_guarantee_density_counts_labelled_sentences_per_section(mentions, sentences):
    density = report.guarantee_density(mentions, sentences, by=("article_id", "section"))
    a1 = density.loc[density["article_id"] == "a1"]
    assert list(a1["section"]) == ["title", "summary", "body"]
    assert list(a1["n_labelled"]) == [1, 1, 0]
    per_article = report.guarantee_density(mentions, sentences)
    assert list(per_article["share"]) == [0.5, 0.0]
    # An article in another language is not framed by the English rules: it is left
    # out, not counted as an article whose sentences carry no label.
    other = sentences[sentences["article_id"] == "a2"].assign(article_id="a3", language="uk")
    with_other = pd.concat([sentences.assign(language="en"), other], ignore_index=True)
    pd.testing.assert_frame_equal(report.guarantee_density(mentions, with_other), per_article)


def test_section_labels_keep_nonzero_rows_in_reading_order(mentions, sentences):
    by_section = framing.guarantee_summary(mentions, sentences, by=("article_id", "section"))
    table = report.section_labels(by_section, ["a2", "a1"])
    # vocabulary order within a section: united_states before europe
    assert list(zip(table["section"], table["label"], table["affirmed"], table["negated"],
                    strict=True)) == [("title", "europe", 1, 0), ("summary", "united_states", 0, 1),
                                      ("summary", "europe", 1, 0)]
    assert set(table["article_id"]) == {"a1"}


def test_frame_table_and_cues(frames, sentences):
    shares = framing.frame_shares(frames, sentences)
    table = report.frame_table(shares, ["a1", "a2"])
    conflict = table.loc[table["frame"] == "conflict"].iloc[0]
    assert conflict["a1 sentences"] == 1 and conflict["a1 share %"] == 25.0
    assert conflict["a2 share %"] == 50.0
    cues = report.frame_cues(frames, sentences, ["a2"])
    assert cues.iloc[0]["text"] == "Only body." and cues.iloc[0]["cue"] == "q11: 'row'"


def test_quote_table_adds_section(quotes, sentences):
    table = report.quote_table(quotes, sentences, ["a1"])
    assert list(table["section"]) == ["summary", "body", "body"]
    assert list(table.columns) == ["article_id", "sentence_id", "section", "speaker", "quote"]


def test_audit_tables_list_the_compared_articles_in_the_order_given(frames, quotes, sentences):
    cues = report.frame_cues(frames, sentences, ["a2", "a1"])
    assert cues[["article_id", "sentence_id"]].values.tolist() == [["a2", 1], ["a1", 1],
                                                                   ["a1", 2]]
    assert list(cues.index) == [0, 1, 2]
    table = report.quote_table(quotes, sentences, ["a2", "a1"])
    assert table[["article_id", "sentence_id"]].values.tolist() == [
        ["a2", 1], ["a1", 1], ["a1", 2], ["a1", 3]]


def test_kwic_table_and_counts(sentences, sample_raw):
    kwic = report.kwic_table(sentences, ["body", "guarantee", "NATO"], ["a1", "a2"], width=5)
    assert list(kwic["term"]) == ["body", "body", "body", "guarantee"]
    line = kwic.loc[kwic["term"] == "guarantee"].iloc[0]
    assert line["match"] == "guarantee" and line["left"] == "must " and line["right"] == " it."
    assert line["start"] == sample_raw["a1"].index("guarantee")
    counts = report.kwic_counts(kwic, ["body", "guarantee", "NATO"], ["a1", "a2"])
    assert counts.to_dict("list") == {"term": ["body", "guarantee", "NATO"], "a1": [2, 1, 0],
                                      "a2": [1, 0, 0]}
    empty = report.kwic_table(sentences, [], ["a1"])
    assert empty.empty and list(empty.columns)[0] == "term"


def test_guarantee_findings_word_leaders_negations_and_absence(mentions, sentences):
    summary = framing.guarantee_summary(mentions, sentences)
    dominant = framing.dominant_labels(mentions, sentences)
    density = report.guarantee_density(mentions, sentences, by=("article_id", "section"))
    a1, a2 = report.guarantee_findings(summary, dominant, density, ["a1", "a2"])
    assert a1.startswith("a1: 2 of 4 sentences carry a guarantee label (2 of 2 in "
                         "title/summary/deck, 0 of 2 in the body)")
    assert "most affirmed guarantor: europe (2 sentences)" in a1
    assert "no form affirmed" in a1
    assert "ruled out (negated): united_states (1 sentence)" in a1
    assert a2.startswith("a2: 0 of 2 sentences") and a2.endswith("no label negated.")


def test_corpus_guarantee_findings_pool_the_articles(mentions, sentences):
    summary = framing.guarantee_summary(mentions, sentences)
    density = report.guarantee_density(mentions, sentences, by=("article_id", "section"))
    assert report.corpus_guarantee_findings(summary, density) == [
        "Corpus: 1 of 2 articles carry at least one guarantee label; 2 of 6 sentences (33%) do.",
        "Corpus: most affirmed guarantor: europe (2 sentences, 100% of 2 affirmed guarantor "
        "mentions).",
        "Corpus: no form affirmed.",
    ]


def test_guarantee_findings_word_ties(sentences):
    tied = conform(pd.DataFrame({
        "article_id": ["a2", "a2"], "sentence_id": [0, 1], "dimension": ["form", "form"],
        "label": ["monitoring", "military_aid"], "negated": [False, False],
        "modality": ["asserted", "asserted"], "cue": ["x", "y"],
    }), "guarantee_mentions")
    summary = framing.guarantee_summary(tied, sentences)
    density = report.guarantee_density(tied, sentences, by=("article_id", "section"))
    lines = report.guarantee_findings(summary, framing.dominant_labels(tied, sentences),
                                      density, ["a2"])
    assert "tie as most affirmed form (1 sentence each)" in lines[0]
    assert "monitoring" in lines[0] and "military_aid" in lines[0]
    assert report.corpus_guarantee_findings(summary, density)[2] == (
        "Corpus: most affirmed form: military_aid and monitoring (1 sentence each, 50% of 2 "
        "affirmed form mentions).")


def test_frame_findings(frames, sentences):
    shares = framing.frame_shares(frames, sentences)
    a1, a2 = report.frame_findings(shares, ["a1", "a2"])
    assert "responsibility and conflict (1 of 4 sentences each, 25%)" in a1
    assert "conflict (1 of 2 sentences, 50%)" in a2
    none = report.frame_findings(framing.frame_shares(frames.iloc[:0], sentences), ["a1"])
    assert none == ["a1: no sentence has a generic-frame cue."]


def test_voice_findings(quotes, mentions, sentences):
    voices = framing.voice_summary(quotes, mentions, sentences)
    a1, a2 = report.voice_findings(voices, ["a1", "a2"])
    assert a1 == ("a1: quotes are attributed 3 times, to 1 named speaker; most quoted: "
                  "Donald Trump (2 sentences, 1 of them with a guarantee label); by side: "
                  "united_states 2; unattributed: 1 quote.")
    assert "by side: ukraine 1" in a2 and "unattributed" not in a2
    empty = framing.voice_summary(quotes.iloc[:0], mentions, sentences)
    assert report.voice_findings(empty, ["a1"]) == ["a1: no direct quote found."]


def test_term_findings():
    table = conform(pd.DataFrame({
        "article_id": ["a1", "a1", "a1", "a2"], "term": ["peace", "war", "deal", "peace"],
        "count": [3, 1, 2, 1], "count_rest": [1, 4, 0, 3],
        "rate_per_1000": [1.0] * 4, "rate_rest_per_1000": [1.0] * 4,
        "log_odds": [0.5, -0.5, 0.7, -0.5], "z_score": [2.5, -1.0, 1.2, -2.5],
        "log_likelihood": [6.0, -1.0, 1.0, -6.0], "p_value": [0.01, 0.3, 0.3, 0.01],
        "q_value": [0.03, 0.3, 0.3, 0.01],
    }), "distinctive_terms")
    a1, a2, a3 = report.term_findings(table, ["a1", "a2", "a3"], n=2)
    assert a1 == ("a1: most distinctive terms against the rest of the corpus: peace "
                  "(z = 2.50), deal (z = 1.20); terms with z >= 1.96: 1 of 3, over-used at a "
                  "false discovery rate of 0.05 (G2, Benjamini-Hochberg over the article's "
                  "terms): 1.")
    # a2's one significant term is under-used (negative G2): none over-used.
    assert "corpus: none; terms with z >= 1.96: 0 of 1, over-used" in a2 and a2.endswith(": 0.")
    assert a3.startswith("a3: no distinctive terms")


def test_kwic_findings():
    counts = pd.DataFrame({"term": ["NATO", "Europe"], "x": [2, 0], "y": [8, 1]})
    assert report.kwic_findings(counts, ["x", "y"]) == [
        "Keyword matches (x vs y): 'NATO' 2 vs 8 and 'Europe' 0 vs 1."]


def test_share_test_findings_give_intervals_counts_and_fisher():
    density = pd.DataFrame({"article_id": ["a", "b"], "n_labelled": [6, 8],
                            "n_sentences": [22, 26]})
    frames = pd.DataFrame({"article_id": ["a", "a", "b", "b"],
                           "frame": ["conflict", "morality"] * 2,
                           "n_with_frame": [10, 1, 0, 1], "n_sentences": [22, 22, 26, 26]})
    lines = report.share_test_findings(
        proportions.compare_two(density, "article_id", "a", "b", "n_labelled", "n_sentences"),
        proportions.compare_two(frames, "article_id", "a", "b", "n_with_frame", "n_sentences",
                                items=["frame"]),
        ["a", "b"])
    assert lines == [
        "Sentences with a guarantee label: a 0.27 [0.13, 0.48] (6 of 22) against b 0.31 "
        "[0.17, 0.50] (8 of 26); Fisher's exact test p = 1.000.",
        "Generic frames, largest difference: conflict, a 0.45 [0.27, 0.65] (10 of 22) against "
        "b 0.00 [0.00, 0.13] (0 of 26); Fisher's exact test p < 0.001, q < 0.001; 1 of 2 "
        "frames differ at a false discovery rate of 0.05 (Benjamini-Hochberg over the "
        "frames).",
    ]


def test_modality_table_and_findings_count_sentences_by_modality():
    from analysis.measures.framing import guarantee_mentions

    sentences = sentences_table(
        "Washington has offered an Article 5-like security guarantee.",
        "Kyiv insists on a binding US security guarantee.",
        "Europe could send troops to Ukraine as a security guarantee.",
        article_id="m1")
    table = report.modality_table(guarantee_mentions(sentences), ["m1"])
    us = table[table["label"] == "united_states"].iloc[0]
    assert (us["asserted"], us["demanded"], us["conditional"], us["negated"]) == (1, 1, 0, 0)
    troops = table[table["label"] == "troop_deployment"].iloc[0]
    assert troops["conditional"] == 1
    findings = report.modality_findings(table, ["m1", "none"])
    assert findings[0].startswith("m1: of ")
    assert "demanded (united_states)" in findings[0]
    assert findings[1] == "none: no guarantee label."
