"""Tests of analysis.measures.validation.coding: the coded sample of the researcher's corpus."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.errors import InputError
from analysis.measures.validation import coding

from factories import ROOT

CODING_DIR = ROOT / "data" / "coding"


def synthetic_tables(n_articles: int, sizes: list[int] | None = None, n_outlets: int = 7
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles and a sentences table (no text) of ``n_articles`` articles; ``sizes``
    their sentence counts (default 20-24)."""
    ids = [f"a{i:05d}" for i in range(n_articles)]
    articles = pd.DataFrame({
        "article_id": ids,
        "published": [f"{2020 + i % 5}-{i % 12 + 1:02d}-01" for i in range(n_articles)],
        "outlet": [f"Outlet {i % n_outlets}" for i in range(n_articles)],
    })
    sizes = sizes or [20 + i % 5 for i in range(n_articles)]
    sentences = pd.DataFrame({
        "article_id": np.repeat(ids, sizes),
        "sentence_id": np.concatenate([np.arange(size) for size in sizes]),
    })
    return articles, sentences


@pytest.mark.parametrize("by", coding.STRATA)
def test_the_same_seed_draws_the_same_sample_on_ten_thousand_articles(by):
    articles, sentences = synthetic_tables(10_000)
    first = coding.draw_sample(sentences, articles, 400, seed=7, by=by)
    again = coding.draw_sample(sentences.sample(frac=1.0, random_state=1), articles, 400,
                               seed=7, by=by)
    pd.testing.assert_frame_equal(first, again)  # table order does not matter
    other = coding.draw_sample(sentences, articles, 400, seed=8, by=by)
    assert len(first) == 400 and not first.equals(other)
    assert not first.duplicated(["article_id", "sentence_id"]).any()
    assert np.allclose(first["inclusion_probability"], 400 / len(sentences))


def test_the_seed_corpus_sample_is_spread_over_its_articles(seed_tables):
    sample = coding.draw_sample(seed_tables[1], seed_tables[0], 10, seed=0)
    assert sample.equals(coding.draw_sample(seed_tables[1],
                                            seed_tables[0], 10, seed=0))
    # 22 and 26 sentences: 4.58 and 5.42 expected; each article gets 4-5 or 5-6.
    per_article = sample["article_id"].value_counts().sort_index().tolist()
    assert per_article in ([5, 5], [4, 6])
    assert set(sample["stratum"]) == set(sample["article_id"])


def test_inclusion_probabilities_are_the_frequencies_of_inclusion():
    # 13 strata of 1-9 sentences and a sample smaller than the number of strata: a fixed
    # rounding would never draw from some strata. Over 1,000 seeds each sentence's
    # frequency of inclusion must match the recorded probability n / N.
    articles, sentences = synthetic_tables(13, sizes=[1 + i % 9 for i in range(13)])
    n, draws = 9, 1000
    counts = pd.Series(0, index=pd.MultiIndex.from_frame(sentences))
    probability = None
    for seed in range(draws):
        sample = coding.draw_sample(sentences, articles, n, seed=seed)
        counts[pd.MultiIndex.from_frame(sample[["article_id", "sentence_id"]])] += 1
        probability = sample["inclusion_probability"].iloc[0]
    assert probability == pytest.approx(n / len(sentences))
    # The binomial standard error at 1,000 draws is about 0.011; allow four of them.
    assert np.abs(counts.to_numpy() / draws - probability).max() < 4 * np.sqrt(
        probability * (1 - probability) / draws)
    # Every stratum is reached although there are more strata than sentences drawn.
    assert (counts.groupby(level=0).sum() > 0).all()


def test_allocation_sums_to_n_and_stays_within_the_strata():
    rng = np.random.default_rng(0)
    sizes = np.array([1, 2, 3, 50, 7])
    for n in (1, 5, 30, 63):
        allocation = coding.allocate(sizes, n, rng)
        assert allocation.sum() == n and (allocation <= sizes).all()
    assert coding.allocate(sizes, 63, rng).tolist() == sizes.tolist()


@pytest.mark.parametrize("n", [0, 49, 2.5, True])
def test_a_sample_size_out_of_range_is_input_error(seed_tables, n):
    with pytest.raises(InputError, match="--n must be a whole number from 1"):
        coding.draw_sample(seed_tables[1], seed_tables[0], n, seed=0)


def test_the_sheet_hides_the_tools_labels_and_keys_each_text(seed_tables):
    sentences = seed_tables[1]
    sample = coding.draw_sample(sentences, seed_tables[0], 5, seed=3, by="period")
    sheet = coding.sample_sheet(sentences, sample)
    assert tuple(sheet.columns) == coding.SHEET_COLUMNS
    assert (sheet[["guarantor", "form", "frames", "quote_speaker", "coder"]] == "").all().all()
    assert set(sheet["stratum"]) <= {"2025-02", "2025-12"}
    assert sheet["sentence_key"].str.fullmatch(r"[0-9a-f]{16}").all()


def test_the_committed_reference_coding_reads_and_covers_the_seeds(seed_tables):
    read = coding.read_coding(CODING_DIR, seed_tables[1])
    assert read.coders["role"].tolist() == ["reference"]
    assert len(read.coded) == len(seed_tables[1])
    assert (read.coded["inclusion_probability"] == 1.0).all()
    first = read.coded.iloc[0]
    assert first["labels"] == (("guarantor", "europe"),)


@pytest.fixture
def coding_copy(tmp_path):
    folder = tmp_path / "coding"
    shutil.copytree(CODING_DIR, folder)
    return folder


def _edit_sheet(folder, row: int, column: str, value: str) -> None:
    path = folder / "seeds_reference.csv"
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    sheet.loc[row, column] = value
    sheet.to_csv(path, index=False, lineterminator="\n")


@pytest.mark.parametrize(("column", "value", "message"), [
    ("guarantor", "atlantis:asserted", "row 3: guarantor label 'atlantis' not in"),
    ("form", "troop_deployment:maybe", "row 3: modality 'maybe' not in"),
    ("frames", "drama", "row 3: frame 'drama' not in"),
    ("sentence_id", "99", "row 3: sentence ked-2025-02-27/99 is not in the corpus"),
    ("sentence_id", "0", "row 3: sentence ked-2025-02-27/0 is also row 2"),
    ("text", "A sentence the coder rewrote.", "row 3: the text of sentence "
     "ked-2025-02-27/1 differs from the corpus"),
    ("coder", "someone else", "row 3: coder 'someone else' is not the manifest's"),
    ("inclusion_probability", "0", "row 3: inclusion_probability '0' is not in"),
])
def test_a_bad_sheet_row_is_named(coding_copy, seed_tables, column, value, message):
    _edit_sheet(coding_copy, 1, column, value)
    with pytest.raises(InputError, match=message):
        coding.read_coding(coding_copy, seed_tables[1])


@pytest.mark.parametrize(("column", "value", "message"), [
    ("role", "boss", "row 2: role 'boss' not in"),
    ("coded_on", "yesterday", "row 2: coded_on 'yesterday' is not YYYY-MM-DD"),
    ("file", "missing.csv", "row 2: file 'missing.csv' does not exist"),
    ("file", "../seeds_reference.csv", "must be a path inside"),
])
def test_a_bad_manifest_row_is_named(coding_copy, seed_tables, column, value, message):
    path = coding_copy / coding.CODERS_FILE
    coders = pd.read_csv(path, dtype=str, keep_default_na=False)
    coders.loc[0, column] = value
    coders.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(InputError, match=message):
        coding.read_coding(coding_copy, seed_tables[1])


def test_codesheet_writes_a_sheet_and_refuses_a_bad_size(tmp_path, capsys):
    out = tmp_path / "sheet.csv"
    assert main(["codesheet", "--n", "6", "--seed", "2", "--by", "outlet", "--out",
                 str(out)]) == 0
    sheet = pd.read_csv(out, dtype={"sentence_key": str})
    assert len(sheet) == 6 and "wrote a coding sheet of 6 sentences" in capsys.readouterr().out
    assert main(["codesheet", "--n", "0", "--seed", "2", "--out", str(out)]) == 2
    assert "--n must be a whole number" in capsys.readouterr().err
