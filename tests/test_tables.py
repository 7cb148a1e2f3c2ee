"""The table catalog writes the contract's CSV dialect, byte-stable and all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data import tables


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
    processed = Path(__file__).resolve().parents[1] / "data" / "processed"
    written = {path.stem for path in processed.glob("*.csv")}
    assert written == set(tables.TABLES)
    for name in sorted(written):
        table = tables.read_table(name, processed)
        assert len(table) > 0, name
        on_disk = tables.spec_for(name).path(processed).read_bytes()
        assert tables.to_csv_bytes(table, name) == on_disk, name
