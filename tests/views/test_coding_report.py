"""Tests of analysis.views.coding_report: notebook 07's tables and findings."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import tables
from analysis.views import coding_report

from factories import ROOT

CODING_DIR = ROOT / "data" / "coding"
A, B = "ked-2025-02-27", "ked-2025-12-15"


@pytest.fixture(scope="module")
def seed():
    read = tables.read_tables(ROOT / "data" / "processed",
                              ["articles", "sentences", "guarantee_mentions"])
    return read["articles"], read["sentences"], read["guarantee_mentions"]


def test_the_seeds_census_corrects_each_share_to_the_coders_share(seed):
    articles, sentences, mentions = seed
    sample = coding_report.load_sample(CODING_DIR, sentences, mentions)
    assert sample.corrects and sample.coverage.n_coded == len(sentences)
    shares = coding_report.shares_table(sample, articles).set_index("label")
    # Every sentence coded with probability 1: the corrected share is the coders' share.
    coders_share = sample.outcomes.groupby("label")["coded"].mean()
    for label, row in shares.iterrows():
        assert row["estimate"] == pytest.approx(coders_share[label])
        assert row["low"] <= row["estimate"] <= row["high"]
    by_article = coding_report.shares_table(sample, articles, "article", [B, A])
    assert by_article["group"].drop_duplicates().tolist() == [B, A]
    difference = coding_report.compared_difference(sample, articles, A, B).set_index("label")
    per = by_article.set_index(["group", "label"])["estimate"]
    lines = coding_report.corrected_findings(sample, by_article)
    assert len(lines) == 4 and lines[0].startswith(f"{B}, form: corrected by the coded sample")
    for label, row in difference.iterrows():
        assert row["difference"] == pytest.approx(per[(B, label)] - per[(A, label)])
        assert row["low"] < row["difference"] < row["high"]


def test_findings_say_who_coded_and_how_the_tool_scored(seed):
    articles, sentences, mentions = seed
    sample = coding_report.load_sample(CODING_DIR, sentences, mentions)
    alpha = coding_report.alpha_table(sample, mentions)
    scores = coding_report.scores_table(sample, mentions)
    lines = coding_report.validation_findings(
        sample, alpha, scores, coding_report.shares_table(sample, articles))
    assert lines[0] == sample.coverage.how
    assert any("project's own reference coding" in line for line in lines)
    assert any(line.startswith("One coder") for line in lines)
    assert sum(line.startswith("The tool against the coders") for line in lines) == 2
    assert set(alpha["comparison"]) == {"tool vs project-reference"}
    disagreements = coding_report.disagreement_table(sample, mentions, sentences)
    assert len(disagreements) == int((scores.loc[scores["label"] == "(all)", ["fp", "fn"]]
                                      ).to_numpy().sum())


def test_without_a_coding_folder_everything_says_uncorrected(seed, tmp_path):
    articles, sentences, mentions = seed
    for folder in (None, tmp_path):
        sample = coding_report.load_sample(folder, sentences, mentions)
        assert not sample.corrects
        assert coding_report.shares_table(sample, articles).empty
        assert coding_report.compared_difference(sample, articles, A, B).empty
        assert coding_report.alpha_table(sample, mentions).empty
        assert coding_report.confusion(sample, mentions, "form").empty
        assert coding_report.corrected_findings(sample, pd.DataFrame())[0].startswith(
            "Shares are the tool's counts, uncorrected for its errors: there is no")
        assert coding_report.validation_findings(
            sample, coding_report.alpha_table(sample, mentions),
            coding_report.scores_table(sample, mentions),
            coding_report.shares_table(sample, articles)) == [
            "No coded sample: every share is the tool's count, uncorrected."]


def test_a_sample_of_a_smaller_corpus_corrects_nothing(seed):
    articles, sentences, mentions = seed
    added = sentences.loc[sentences["article_id"] == A].assign(article_id="zz-added")
    grown = pd.concat([sentences, added], ignore_index=True)
    more = pd.concat([articles, articles.loc[articles["article_id"] == A].assign(
        article_id="zz-added")], ignore_index=True)
    sample = coding_report.load_sample(CODING_DIR, grown, mentions)
    assert not sample.corrects and "not this one's 70" in sample.coverage.how
    assert coding_report.shares_table(sample, more).empty
    assert coding_report.corrected_findings(sample, pd.DataFrame())[0].startswith(
        "Shares are the tool's counts, uncorrected. 48 sentences are coded, but")
