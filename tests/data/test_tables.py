"""The table catalog writes the contract's CSV dialect, byte-stable and all-or-nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import tables
from analysis.errors import InputError

from factories import ROOT


def _mentions(rows):
    return pd.DataFrame(
        rows, columns=["article_id", "sentence_id", "dimension", "label", "negated", "cue"]
    ).assign(modality="asserted")


def test_write_sorts_by_key_and_spells_booleans(tmp_path):
    frame = _mentions([
        ["b", 1, "form", "monitoring", False, "surveillance"],
        ["a", 10, "guarantor", "europe", True, "not Europe"],
        ["a", 2, "guarantor", "europe", False, "Europe"],
    ])
    path = tables.write_table(frame, "guarantee_mentions", tmp_path)
    assert path.read_bytes() == (
        b"article_id,sentence_id,dimension,label,negated,modality,cue\n"
        b"a,2,guarantor,europe,false,asserted,Europe\n"
        b"a,10,guarantor,europe,true,asserted,not Europe\n"
        b"b,1,form,monitoring,false,asserted,surveillance\n"
    )


def test_floats_are_rounded_to_six_decimals_without_negative_zero():
    frame = pd.DataFrame({
        "article_id": ["a", "a"], "sentence_id": [0, 1],
        "vader_compound": [0.12345678, -1e-9], "vader_pos": [1.0, 0.0],
        "vader_neu": [0.0, 1.0], "vader_neg": [0.0, 0.0],
        "textblob_polarity": [float("nan"), 0.5], "textblob_subjectivity": [0.0, 0.0],
    })
    lines = tables.to_csv_bytes(frame, "sentiment").decode().splitlines()
    assert lines[1] == "a,0,0.123457,1.000000,0.000000,0.000000,,0.000000"
    assert lines[2] == "a,1,0.000000,0.000000,1.000000,0.000000,0.500000,0.000000"


def test_round_trip_keeps_dtypes_and_empty_strings(tmp_path):
    frame = _mentions([["a", 0, "form", "other", True, ""]])
    tables.write_table(frame, "guarantee_mentions", tmp_path)
    back = tables.read_table("guarantee_mentions", tmp_path)
    pd.testing.assert_frame_equal(back, tables.conform(frame, "guarantee_mentions"))
    assert back.loc[0, "cue"] == ""
    assert back["negated"].dtype == bool


def test_text_with_commas_quotes_and_newlines_round_trips(tmp_path):
    text = 'He said, "Europe, not America."\nNext line'
    frame = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "speaker": ["X"],
                          "quote": [text]})
    tables.write_table(frame, "quotes", tmp_path)
    assert tables.read_table("quotes", tmp_path).loc[0, "quote"] == text


def test_conform_rejects_missing_extra_columns_and_duplicate_keys():
    with pytest.raises(ValueError, match="missing columns"):
        tables.conform(pd.DataFrame({"article_id": ["a"]}), "frames")
    duplicate = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 0],
                              "frame": ["conflict", "conflict"], "cue": ["x", "y"]})
    with pytest.raises(ValueError, match="duplicate keys"):
        tables.conform(duplicate, "frames")


def test_empty_table_has_the_header_only():
    assert tables.to_csv_bytes(tables.empty_table("frames"), "frames") == (
        b"article_id,sentence_id,frame,cue\n"
    )


def test_read_missing_table_says_how_to_build_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="analysis build"):
        tables.read_table("articles", tmp_path)


def test_committed_processed_folder_holds_every_declared_table_in_contract_form():
    # Declared-but-never-written tables would send readers after a file that is not there.
    processed = ROOT / "data" / "processed"
    written = {path.stem for path in processed.glob("*.csv")}
    assert written == set(tables.TABLES)
    for name in sorted(written):
        table = tables.read_table(name, processed)
        assert len(table) > 0, name
        on_disk = tables.spec_for(name).path(processed).read_bytes()
        assert tables.to_csv_bytes(table, name) == on_disk, name


# ------------------------------------------------------------------ frames that are not tables


def test_csv_bytes_rounds_floats_spells_booleans_and_keeps_other_columns():
    frame = pd.DataFrame({
        "name": ["x", "y,z"], "n": [3, 4], "ok": [True, False],
        "value": [0.1234567, -1e-9], "target": [0.85, float("nan")],
    })
    before = frame.copy()
    assert tables.csv_bytes(frame) == (
        b"name,n,ok,value,target\n"
        b"x,3,true,0.123457,0.85\n"
        b'"y,z",4,false,0.0,\n'
    )
    assert tables.csv_bytes(frame, fixed_decimals=True).splitlines()[1] == (
        b"x,3,true,0.123457,0.850000")
    pd.testing.assert_frame_equal(frame, before)


def test_csv_bytes_writes_a_scores_table_as_the_validation_report_always_did():
    # reports/validation/framing_scores.csv was written as .round(6).to_csv(...): the
    # shared writer must give the same bytes for a frame of that shape.
    scores = pd.DataFrame({
        "split": ["dev", "dev", "test"], "measure": ["precision", "f1", "count"],
        "target": [0.85, float("nan"), 0.0], "value": [225 / 287, 2 / 3, 4.0],
        "hits": [225, 116, 4], "n": [287, 229, 31],
        "low": [0.7327771234, float("nan"), float("nan")],
        "high": [0.82766612, float("nan"), float("nan")],
    })
    old = scores.round(6).to_csv(index=False, lineterminator="\n").encode("utf-8")
    assert tables.csv_bytes(scores) == old


def test_to_csv_bytes_is_csv_bytes_of_the_conformed_table_with_fixed_decimals():
    frame = _mentions([["b", 1, "form", "monitoring", False, "x"],
                       ["a", 0, "guarantor", "europe", True, "y"]])
    assert tables.to_csv_bytes(frame, "guarantee_mentions") == tables.csv_bytes(
        tables.conform(frame, "guarantee_mentions"), fixed_decimals=True)


def test_require_columns_names_what_is_missing():
    frame = pd.DataFrame({"article_id": ["a"], "text": ["x"]})
    tables.require_columns(frame, ["text", "article_id"], "sentences")
    with pytest.raises(ValueError, match=r"sentences lacks columns \['section', 'start'\]; "
                       r"it has \['article_id', 'text'\]"):
        tables.require_columns(frame, ["section", "text", "start"], "sentences")


def test_read_tables_reads_in_order_and_names_every_missing_or_outdated_table(tmp_path):
    frame = _mentions([["a", 0, "form", "other", True, ""]])
    tables.write_table(frame, "guarantee_mentions", tmp_path)
    loaded = tables.read_tables(tmp_path, ["guarantee_mentions"])
    assert list(loaded) == ["guarantee_mentions"]
    pd.testing.assert_frame_equal(loaded["guarantee_mentions"],
                                  tables.conform(frame, "guarantee_mentions"))
    # A folder built before the table had its modality column.
    (tmp_path / "frames.csv").write_text("article_id,sentence_id,frame\na,0,conflict\n",
                                         encoding="utf-8")
    with pytest.raises(InputError) as error:
        tables.read_tables(tmp_path, ["articles", "guarantee_mentions", "frames", "quotes"])
    problems = error.value.problems
    assert len(problems) == 3
    assert str(tmp_path / "articles.csv") in problems[0]
    assert "frames.csv" in problems[1] and "missing columns ['cue']" in problems[1]
    assert str(tmp_path / "quotes.csv") in problems[2]
    assert all("python -m analysis build" in problem for problem in problems)


# --------------------------------------------------------------------------- sections


def test_section_order_is_reading_order_then_unknown_names_sorted():
    assert tables.section_order(["body", "zeta", "title", "body", "alpha"]) == [
        "title", "body", "alpha", "zeta"]
    assert tables.section_order([*tables.SECTIONS, "body"]) == list(tables.SECTIONS)
    assert tables.section_order([]) == []
    assert set(tables.FRONT_SECTIONS) == set(tables.SECTIONS) - {"body"}


def test_select_sections_keeps_rows_and_rejects_unknown_names():
    sentences = pd.DataFrame({"sentence_id": [0, 1, 2, 3],
                              "section": ["title", "body", "deck", "body"]})
    assert tables.select_sections(sentences, None) is sentences
    assert tables.select_sections(sentences, "body").index.tolist() == [1, 3]
    assert tables.select_sections(sentences, ["deck", "title"]).index.tolist() == [0, 2]
    assert tables.select_sections(sentences, ["summary"]).empty
    with pytest.raises(InputError, match=r"unknown \['lede'\]; choose from \['title'"):
        tables.select_sections(sentences, ["body", "lede"])
    with pytest.raises(ValueError, match="lacks columns"):
        tables.select_sections(sentences.drop(columns="section"), ["body"])
