"""Guarantor and form shares over time and by outlet: hand-made tables and a built corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis.data import tables
from analysis.errors import InputError
from analysis.measures import framing
from analysis.notebooks import execute
from analysis.pipeline import build, scale
from analysis.views import trends

from factories import FIXTURES, ROOT, SEED_RAW

TREND_DATA = FIXTURES / "trends"


def _articles(rows):
    return tables.conform(pd.DataFrame([
        {"article_id": a, "file": f"{a}.txt", "sha256": "", "title": a, "outlet": outlet,
         "published": date, "author": "", "language": "en", "n_sentences": 3, "n_words": 30}
        for a, outlet, date in rows]), "articles")


def _mentions(rows):
    return tables.conform(pd.DataFrame(
        rows, columns=["article_id", "sentence_id", "dimension", "label", "negated", "cue"])
        .assign(modality="asserted"), "guarantee_mentions")


@pytest.fixture
def toy():
    articles = _articles([
        ("a", "One", "2025-02-03"), ("b", "Two", "2025-02-20"), ("c", "One", "2025-04-01"),
    ])
    mentions = _mentions([
        ("a", 0, "guarantor", "europe", False, ""),
        ("a", 1, "guarantor", "europe", False, ""),
        ("a", 1, "guarantor", "united_states", True, ""),
        ("a", 2, "form", "economic_stake", False, ""),
        ("b", 0, "guarantor", "united_states", False, ""),
        ("b", 0, "guarantor", "mystery", False, ""),
        ("zz", 0, "guarantor", "europe", False, ""),  # not in articles: ignored
    ])
    return articles, mentions


def _row(shares, **where):
    mask = pd.Series(True, index=shares.index)
    for column, value in where.items():
        mask &= shares[column] == value
    rows = shares[mask]
    assert len(rows) == 1
    return rows.iloc[0]


def test_shares_per_month(toy):
    articles, mentions = toy
    shares = trends.label_shares_over_time(mentions, articles, "guarantor")
    vocabulary = framing.guarantee_vocabulary()["guarantor"]
    # Every vocabulary label, then unknown labels found in the data, for each month.
    assert list(shares["label"].iloc[: len(vocabulary) + 1]) == [*vocabulary, "mystery"]
    assert list(dict.fromkeys(shares["period"])) == ["2025-02", "2025-04"]
    europe = _row(shares, period="2025-02", label="europe")
    assert (europe["n_articles"], europe["n_articles_with_label"], europe["n_mentions"],
            europe["n_mentions_total"]) == (2, 1, 2, 4)
    assert europe["share"] == pytest.approx(0.5) and europe["article_rate"] == pytest.approx(0.5)
    # 1 of 2 articles: the 95% Wilson interval.
    assert (europe["article_rate_low"], europe["article_rate_high"]) == pytest.approx(
        (0.0945, 0.9055), abs=1e-4)
    us = _row(shares, period="2025-02", label="united_states")
    # The negated mention counts as n_negated, not as a mention of the label.
    assert (us["n_mentions"], us["n_negated"], us["n_articles_with_label"]) == (1, 1, 1)
    assert us["share"] == pytest.approx(0.25)
    april = shares[shares["period"] == "2025-04"]
    assert (april["n_articles"] == 1).all() and (april["share"] == 0).all()
    assert (april["n_mentions_total"] == 0).all() and (april["article_rate"] == 0).all()


def test_shares_by_outlet_and_period_outlet(toy):
    articles, mentions = toy
    by_outlet = trends.label_shares_by(mentions, articles, ("guarantor", "form"), by="outlet")
    assert list(dict.fromkeys(by_outlet["outlet"])) == ["One", "Two"]
    assert list(dict.fromkeys(by_outlet["dimension"])) == ["guarantor", "form"]
    stake = _row(by_outlet, outlet="One", label="economic_stake")
    assert (stake["n_articles"], stake["n_articles_with_label"], stake["share"]) == (2, 1, 1.0)
    split = trends.label_shares_over_time(mentions, articles, "form", by="outlet")
    assert list(split.columns[:2]) == ["period", "outlet"]
    assert split[["period", "outlet"]].drop_duplicates().to_numpy().tolist() == [
        ["2025-02", "One"], ["2025-02", "Two"], ["2025-04", "One"]]


def test_shares_are_zero_safe_for_empty_inputs(toy):
    articles, mentions = toy
    none = trends.label_shares_over_time(mentions.iloc[:0], articles, "form")
    assert len(none) == 2 * len(framing.guarantee_vocabulary()["form"])
    assert (none["share"] == 0).all() and (none["n_mentions"] == 0).all()
    empty = trends.label_shares_over_time(mentions, articles.iloc[:0], "form")
    assert empty.empty and "share" in empty.columns


def test_articles_in_other_languages_are_left_out_of_the_shares(toy):
    articles, mentions = toy
    english = trends.label_shares_over_time(mentions, articles, "guarantor")
    # The same corpus with one more article per month, in Ukrainian: the English rules
    # found nothing in it, which is not the same as an article without a guarantor.
    other = articles.assign(article_id=articles["article_id"] + "-uk", language="uk")
    mixed = trends.label_shares_over_time(
        mentions, pd.concat([articles, other], ignore_index=True),
        "guarantor")
    pd.testing.assert_frame_equal(mixed, english)


def test_quarters_and_bad_input(toy):
    articles, mentions = toy
    quarters = trends.label_shares_over_time(mentions, articles, "guarantor", freq="Q")
    assert list(dict.fromkeys(quarters["period"])) == ["2025Q1", "2025Q2"]
    assert trends.period_label("2025-02", "Q") == "2025Q1"
    assert trends.period_label("2025-12-15") == "2025-12"
    with pytest.raises(InputError, match="period frequency"):
        trends.label_shares_over_time(mentions, articles, "guarantor", freq="fortnight")
    with pytest.raises(InputError, match="dimension"):
        trends.label_shares_over_time(mentions, articles, "voice")
    with pytest.raises(InputError, match="not a date"):
        trends.period_label("February")


def test_compare_periods(toy):
    articles, mentions = toy
    shares = trends.label_shares_over_time(mentions, articles)
    table = trends.compare_periods(shares, "2025-02", "2025-07")
    # Only labels affirmed or ruled out at one of the points; an empty period gives zeros.
    assert table["label"].tolist() == ["united_states", "europe", "mystery", "economic_stake"]
    assert table["n_articles 2025-02"].tolist() == [2, 2, 2, 2]
    assert table["n_articles 2025-07"].tolist() == [0, 0, 0, 0]
    assert table["share 2025-02"].tolist() == pytest.approx([0.25, 0.5, 0.25, 1.0])
    # A period without articles says nothing: interval (0, 1), no test.
    assert table["article_rate_high 2025-07"].tolist() == [1.0] * 4
    assert table["p_article_rate"].tolist() == [1.0] * 4
    with pytest.raises(InputError, match="same period"):
        trends.compare_periods(shares, "2025-02-01", "2025-02-28")


def test_compare_periods_tests_article_rates_with_fisher():
    from scipy.stats import fisher_exact

    # 8 of 10 articles name the United States in February, 1 of 10 in March.
    articles = _articles([(f"f{i}", "One", "2025-02-01") for i in range(10)]
                         + [(f"m{i}", "One", "2025-03-01") for i in range(10)])
    mentions = _mentions([(f"f{i}", 0, "guarantor", "united_states", False, "")
                          for i in range(8)] + [("m0", 0, "guarantor", "united_states", False, "")])
    shares = trends.label_shares_over_time(mentions, articles, "guarantor")
    row = trends.compare_periods(shares, "2025-02", "2025-03").iloc[0]
    assert row["label"] == "united_states"
    assert (row["n_articles_with_label 2025-02"], row["n_articles_with_label 2025-03"]) == (8, 1)
    assert row["p_article_rate"] == pytest.approx(fisher_exact([[8, 2], [1, 9]]).pvalue)
    assert row["p_article_rate"] < 0.01
    assert row["article_rate_low 2025-02"] > row["article_rate_high 2025-03"]
    lines = trends.trend_findings(shares, "2025-02", "2025-03", min_articles=5)
    assert lines[3] == (
        "Largest change in article rate, guarantor: united_states, 0.80 [0.49, 0.94] (8 of 10 "
        "articles) in 2025-02 against 0.10 [0.02, 0.40] (1 of 10 articles) in 2025-03; "
        "Fisher's exact test p = 0.005, Benjamini-Hochberg q = 0.005 over 1 label "
        "compared (95% Wilson intervals).")


def test_trend_findings_warn_about_few_articles(toy):
    articles, mentions = toy
    shares = trends.label_shares_over_time(mentions, articles)
    lines = trends.trend_findings(shares, "2025-02", "2025-04", min_articles=2)
    assert lines[0] == "The corpus has 3 articles in 2 periods (freq 'M')."
    assert lines[1] == "Period 2025-02 is backed by 2 articles, period 2025-04 by 1 article."
    assert lines[2] == ("Leading guarantor, 2025-02: europe (share 0.50 of 4 affirmed mentions);"
                        " 2025-04: no affirmed mention.")
    assert lines[3].startswith("Largest change in article rate, guarantor: united_states, "
                               "0.50 [0.09, 0.91] (1 of 2 articles) in 2025-02 against 0.00 "
                               "[0.00, 0.79] (0 of 1 article) in 2025-04; Fisher's exact test "
                               "p = 1.000")
    assert lines[6].startswith("Warning: the two points rest on 3 articles (2 and 1;")
    assert lines[7].startswith("Warning: the corpus spans 2 periods")
    relaxed = trends.trend_findings(shares, "2025-02", "2025-04", min_articles=1)
    assert not any("two points" in line for line in relaxed)


def test_trend_findings_warn_when_any_of_three_periods_is_thin():
    # Three months of one article each: every point rests on one article, though the
    # corpus spans enough periods; the compared points have 1 article each too.
    articles = _articles([("a", "One", "2025-02-03"), ("b", "One", "2025-03-03"),
                          ("c", "One", "2025-04-03")])
    mentions = _mentions([("a", 0, "guarantor", "europe", False, "")])
    shares = trends.label_shares_over_time(mentions, articles)
    lines = trends.trend_findings(shares, "2025-02", "2025-04", min_articles=2)
    assert lines[-1] == ("Warning: 3 of the 3 periods drawn rest on fewer than 2 articles "
                         "(the fewest: 1 article); the course through them describes those "
                         "articles, not a trend in coverage.")
    assert not any("periods drawn" in line for line in
                   trends.trend_findings(shares, "2025-02", "2025-04", min_articles=1))


def test_articles_per_group(toy):
    articles, _ = toy
    counts = trends.articles_per_group(articles)
    assert counts.columns.tolist() == ["period", "One", "Two", "all"]
    assert counts.to_numpy().tolist() == [["2025-02", 1, 1, 2], ["2025-04", 1, 0, 1]]


def test_load_corpus_from_csv_and_parquet(tmp_path, toy):
    articles, mentions = toy
    tables.write_table(articles, "articles", tmp_path / "csv")
    tables.write_table(mentions, "guarantee_mentions", tmp_path / "csv")
    for name, frame in (("articles", articles), ("guarantee_mentions", mentions)):
        path = scale.part_path(tmp_path / "scored", name, 0)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(scale.parquet_bytes(frame, name))
    from_csv = trends.load_corpus(tmp_path / "csv")
    from_parquet = trends.load_corpus(scored_dir=tmp_path / "scored")
    for csv_frame, parquet_frame in zip(from_csv, from_parquet, strict=True):
        pd.testing.assert_frame_equal(csv_frame, parquet_frame)
    with pytest.raises(ValueError):
        trends.load_corpus()
    with pytest.raises(InputError, match="guarantee_mentions.csv.*analysis build"):
        trends.load_corpus(tmp_path / "scored")


# --------------------------------------------------------------------------- built corpus


def write_trend_corpus(target: Path) -> Path:
    """The seed articles plus the synthetic articles of tests/fixtures/trends, in one raw folder."""
    raw = target / "raw"
    raw.mkdir(parents=True)
    seeds = pd.read_csv(SEED_RAW / "manifest.csv", dtype=str, keep_default_na=False)
    extra = pd.read_csv(TREND_DATA / "manifest.csv", dtype=str, keep_default_na=False)
    for folder, manifest in ((SEED_RAW, seeds), (TREND_DATA, extra)):
        for name in manifest["file"]:
            shutil.copyfile(folder / name, raw / name)
    manifest = pd.concat([seeds, extra], ignore_index=True)
    manifest.to_csv(raw / "manifest.csv", index=False, lineterminator="\n")
    return raw


@pytest.fixture(scope="module")
def trend_corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("trend_corpus")
    raw = write_trend_corpus(base)
    build.build_tables(raw, base / "processed")
    return base


def test_built_corpus_shares_agree_with_framing(trend_corpus):
    articles, mentions = trends.load_corpus(trend_corpus / "processed")
    assert len(articles) == 7
    shares = trends.label_shares_over_time(mentions, articles)
    sizes = trends.period_sizes(shares).drop_duplicates("period")
    assert sizes["period"].tolist() == ["2025-02", "2025-03", "2025-06", "2025-12"]
    assert sizes["n_articles"].tolist() == [2, 1, 2, 2]
    # Shares of a period and dimension sum to 1 where it has affirmed mentions, else 0.
    sums = shares.groupby(["period", "dimension"])["share"].sum()
    totals = shares.groupby(["period", "dimension"])["n_mentions_total"].first()
    assert ((sums.round(9) == 1) == (totals > 0)).all() and (sums[totals == 0] == 0).all()
    # Mention counts per period equal framing's per-article counts summed over the period.
    sentences = tables.read_table("sentences", trend_corpus / "processed")
    summary = framing.guarantee_summary(mentions, sentences).merge(
        trends.with_period(articles)[["article_id", "period"]], on="article_id")
    expected = summary.groupby(["period", "dimension", "label"])["affirmed"].sum()
    got = shares.set_index(["period", "dimension", "label"])["n_mentions"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)
    lines = trends.trend_findings(shares, "2025-02", "2025-12", min_articles=2)
    # The compared points have 2 articles each; March, between them, has 1.
    assert [line for line in lines if line.startswith("Warning")] == [
        "Warning: 1 of the 4 periods drawn rest on fewer than 2 articles (the fewest: "
        "1 article); the course through them describes those articles, not a trend in "
        "coverage."]


@pytest.mark.slow
def test_notebook_06_runs_on_a_bigger_corpus(trend_corpus):
    source = ROOT / "notebooks" / "06_coverage_over_time.ipynb"
    if not source.is_file():
        pytest.skip("notebook 06 not written yet")
    executed = execute.run_notebooks(
        [source], trend_corpus / "executed", trend_corpus / "failed",
        parameters={"processed_dir": trend_corpus / "processed",
                    "figures_dir": trend_corpus / "figures", "min_articles": 2},
    )
    nb = nbformat.read(executed[0], as_version=4)
    printed = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "")
                      for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "The corpus has 7 articles in 4 periods" in printed
    assert "Period 2025-02 is backed by 2 articles, period 2025-12 by 2 articles." in printed
    assert sorted(p.name for p in (trend_corpus / "figures").glob("*.png")) == [
        "06_shares_by_outlet.png", "06_shares_over_time.png"]


def test_default_periods_are_the_earliest_and_latest_with_articles():
    articles = pd.DataFrame([("mid", "2025-06-01", "Daily"), ("late", "2025-12-15", "Weekly"),
                             ("early-b", "2025-02-27", "Weekly"),
                             ("early-a", "2025-02-27", "Daily")],
                            columns=["article_id", "published", "outlet"])
    periods = trends.compared_periods(articles)
    assert (periods.a, periods.b) == ("2025-02", "2025-12")
    assert periods.how == ("Compared periods: 2025-02 (2 articles), the earliest with "
                           "articles, and 2025-12 (1 article), the latest. Set period_a / "
                           "period_b to compare others.")
    quarters = trends.compared_periods(articles, "Q", period_b="2025-06-30")
    assert (quarters.a, quarters.b) == ("2025Q1", "2025Q2")
    assert "2025Q2 (1 article), given" in quarters.how
    with pytest.raises(InputError, match="no articles"):
        trends.compared_periods(articles.iloc[:0])
