"""Tests of analysis.views.coding_form: cell round trips, and the form's edits and saving."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest

from analysis.data.tables import csv_bytes, write_bytes_atomic
from analysis.errors import InputError
from analysis.measures import framing
from analysis.measures.validation.coding import SHEET_COLUMNS, read_coding, sample_sheet
from analysis.views.coding_form import CodingForm, format_cell, parse_cell

from factories import sentences_table

CODER = "A. Coder"


@pytest.fixture
def corpus() -> pd.DataFrame:
    """A tiny ``sentences`` table: commas, quotes, markup characters and non-ASCII text."""
    return sentences_table(articles={
        "art-1": [("title", "Allies weigh a pledge for Kyiv"),
                  ("body", 'The envoy said, "We will not send troops," and flew home.'),
                  ("body", "Costs rose by <5% & more, the ministry wrote from Zürich.")],
        "art-2": [("title", "A quiet week on the line"),
                  ("body", "Observers, the report says, would watch the ceasefire.")],
    })


@pytest.fixture
def sheet_path(tmp_path, corpus) -> Path:
    """A blank coding sheet of every corpus sentence, written as ``codesheet`` writes it."""
    sample = corpus[["article_id", "sentence_id"]].assign(
        stratum=corpus["article_id"], inclusion_probability=1.0)
    path = tmp_path / "coding" / "mine.csv"
    write_bytes_atomic(path, csv_bytes(sample_sheet(corpus, sample)))
    return path


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _rewrite(path: Path, **cells: dict[int, str]) -> None:
    """Set cells of the sheet at ``path``: ``column={row: value}``."""
    sheet = _read(path)
    for column, values in cells.items():
        for row, value in values.items():
            sheet.loc[row, column] = value
    write_bytes_atomic(path, csv_bytes(sheet))


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _click(form: CodingForm, name: str) -> None:
    next(w for w in _walk(form.widget)
         if isinstance(w, widgets.Button) and w.description == name).click()


def _shown(form: CodingForm) -> str:
    return "\n".join(w.value for w in _walk(form.widget) if isinstance(w, widgets.HTML))


# --------------------------------------------------------------------------- cells


def test_parse_cell_reads_negation_and_modality_in_vocabulary_order():
    choices = parse_cell(" !nato : demanded;europe:conditional ;", "guarantor")
    assert choices == {"europe": (False, "conditional"), "nato": (True, "demanded")}
    assert list(choices) == ["europe", "nato"]
    assert parse_cell("", "form") == {}


def test_format_cell_orders_entries_by_the_vocabulary():
    choices = {"nato": (True, "demanded"), "united_states": (False, "asserted")}
    assert format_cell(choices, "guarantor") == "united_states:asserted; !nato:demanded"
    assert format_cell({}, "form") == ""


@pytest.mark.parametrize("dimension", framing.GUARANTEE_DIMENSIONS)
def test_cells_round_trip_every_label_negation_and_modality(dimension):
    labels = framing.guarantee_vocabulary()[dimension]
    ways = list(itertools.product((False, True), framing.MODALITIES))
    for shift in range(len(ways)):
        # Every label in every way across the shifts; reversed so order must be restored.
        choices = {label: ways[(i + shift) % len(ways)]
                   for i, label in reversed(list(enumerate(labels)))}
        cell = format_cell(choices, dimension)
        assert parse_cell(cell, dimension) == choices
        assert format_cell(parse_cell(cell, dimension), dimension) == cell
        assert [entry.lstrip("!").split(":")[0] for entry in cell.split("; ")] == list(labels)


@pytest.mark.parametrize(("cell", "problem"), [
    ("martians:asserted", "guarantor label 'martians' not in"),
    ("europe:maybe", "modality 'maybe' not in"),
    ("europe", "guarantor entry 'europe' is not"),
    ("united_states:asserted; !united_states:asserted", "coded more than once"),
])
def test_parse_cell_refuses_a_cell_it_cannot_hold(cell, problem):
    with pytest.raises(InputError, match=problem):
        parse_cell(cell, "guarantor")


def test_format_cell_refuses_unknown_labels_and_modalities():
    with pytest.raises(ValueError, match="martians"):
        format_cell({"martians": (False, "asserted")}, "guarantor")
    with pytest.raises(ValueError, match="maybe"):
        format_cell({"europe": (False, "maybe")}, "guarantor")


# --------------------------------------------------------------------------- the form


def test_the_form_shows_the_sentence_escaped_with_its_place(sheet_path):
    form = CodingForm(sheet_path, coder=CODER)
    form.show(2)
    shown = _shown(form)
    assert "sentence 3 of 5" in shown and "article art-1" in shown and "section body" in shown
    assert "Costs rose by &lt;5% &amp; more" in shown and "<5%" not in shown


def test_a_saved_sheet_unedited_is_byte_identical(sheet_path):
    before = sheet_path.read_bytes()
    CodingForm(sheet_path, coder=CODER).save()
    assert sheet_path.read_bytes() == before


def test_edits_are_saved_exactly_and_nothing_else_changes(sheet_path):
    before = sheet_path.read_bytes()
    form = CodingForm(sheet_path, coder=CODER)
    form.show(1)
    form.set_label("guarantor", "europe", "affirmed", "demanded")
    form.set_label("guarantor", "united_states", "ruled out")
    form.set_label("form", "troop_deployment", "affirmed", "conditional")
    form.set_label("form", "monitoring", "affirmed")
    form.set_label("form", "monitoring", "none")
    form.set_frames(["conflict", "responsibility"])
    form.set_quote_speaker(" unnamed ")
    assert form.n_coded == 1
    form.save()
    expected = pd.read_csv(io.BytesIO(before), dtype=str, keep_default_na=False)
    expected.loc[1, ["guarantor", "form", "frames", "quote_speaker", "coder"]] = [
        "!united_states:asserted; europe:demanded", "troop_deployment:conditional",
        "responsibility; conflict", "unnamed", CODER]
    pd.testing.assert_frame_equal(_read(sheet_path), expected)
    # The other rows (line 2 is row 1) are byte for byte the lines they were.
    old, new = before.split(b"\n"), sheet_path.read_bytes().split(b"\n")
    assert len(new) == len(old) and new[2] != old[2]
    assert new[:2] + new[3:] == old[:2] + old[3:]


def test_navigation_saves_and_buttons_move(sheet_path):
    form = CodingForm(sheet_path, coder=CODER)
    form.set_label("form", "monitoring", "affirmed")
    _click(form, "Next")
    assert form.index == 1
    assert _read(sheet_path).loc[0, ["form", "coder"]].tolist() == ["monitoring:asserted", CODER]
    form.set_quote_speaker("The envoy")
    form.show(4)
    assert _read(sheet_path).loc[1, "quote_speaker"] == "The envoy"
    form.set_frames(["morality"])
    _click(form, "Previous")
    assert form.index == 3
    assert _read(sheet_path)["frames"].tolist() == ["", "", "", "", "morality"]
    assert _read(sheet_path)["coder"].tolist() == [CODER, CODER, "", "", CODER]


def test_next_uncoded_skips_coded_rows_and_wraps(sheet_path):
    _rewrite(sheet_path, coder={0: CODER, 2: CODER, 3: CODER})
    form = CodingForm(sheet_path, coder=CODER)
    assert (form.index, form.n_coded) == (1, 3)
    _click(form, "Next uncoded")
    assert form.index == 4
    _click(form, "Next uncoded")
    assert form.index == 1
    # "coded" for a sentence where nothing applies: ticked, the row is coded.
    next(w for w in _walk(form.widget)
         if isinstance(w, widgets.Checkbox) and w.description.startswith("coded")).value = True
    _click(form, "Next uncoded")
    assert form.index == 4 and form.n_coded == 4
    form.set_frames(["morality"])  # an edit codes the row too
    _click(form, "Next uncoded")
    assert form.index == 4 and "every other sentence is coded" in _shown(form)
    assert _read(sheet_path)["coder"].tolist() == [CODER] * 5


def test_an_invalid_cell_is_reported_and_kept_until_its_dimension_is_changed(sheet_path):
    _rewrite(sheet_path, guarantor={0: "europe:asserted; martians:asserted",
                                    1: "united_states:asserted; !united_states:asserted"},
             frames={0: "conflict; gloom"})
    form = CodingForm(sheet_path, coder=CODER)
    message = f"{sheet_path} row 2: guarantor label 'martians' not in"
    assert any(problem.startswith(message) for problem in form.problems)
    assert any("frame 'gloom'" in problem for problem in form.problems)
    assert "martians" in _shown(form) and "gloom" in _shown(form)
    form.set_label("form", "monitoring", "affirmed")
    form.show(1)
    assert form.problems == [f"{sheet_path} row 3: guarantor label 'united_states' is coded "
                             "more than once; the form shows one choice per label"]
    form.set_quote_speaker("unnamed")
    form.show(0)
    saved = _read(sheet_path)
    assert saved.loc[0, ["guarantor", "form", "frames"]].tolist() == [
        "europe:asserted; martians:asserted", "monitoring:asserted", "conflict; gloom"]
    assert saved.loc[1, "guarantor"] == "united_states:asserted; !united_states:asserted"
    # Changing the dimension rewrites it from the form, which holds the readable entries.
    form.set_label("guarantor", "nato", "affirmed")
    assert not any("martians" in problem for problem in form.problems)
    form.save()
    assert _read(sheet_path).loc[0, "guarantor"] == "europe:asserted; nato:asserted"


def test_a_file_that_is_not_a_sheet_and_an_empty_coder_are_refused(tmp_path, sheet_path):
    not_a_sheet = tmp_path / "scores.csv"
    not_a_sheet.write_text("article_id,text\na,b\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"{not_a_sheet}: not a coding sheet"):
        CodingForm(not_a_sheet, coder=CODER)
    with pytest.raises(InputError, match="cannot be read"):
        CodingForm(tmp_path / "missing.csv", coder=CODER)
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(SHEET_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no sentences"):
        CodingForm(empty, coder=CODER)
    with pytest.raises(InputError, match="no coder named"):
        CodingForm(sheet_path, coder="  ")
    raw = tmp_path / "data" / "raw" / "mine.csv"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(sheet_path.read_bytes())
    with pytest.raises(InputError, match="must not be in data/raw"):
        CodingForm(raw, coder=CODER)


def test_another_coders_rows_and_a_file_changed_on_disk_are_not_overwritten(sheet_path):
    form = CodingForm(sheet_path, coder=CODER)
    _rewrite(sheet_path, coder={3: "B. Coder"})
    with pytest.raises(InputError, match="coded by \\['B. Coder'\\]"):
        CodingForm(sheet_path, coder=CODER)
    changed = sheet_path.read_bytes()
    form.set_frames(["conflict"])
    with pytest.raises(InputError, match="changed on disk"):
        form.save()
    assert sheet_path.read_bytes() == changed


def test_a_coded_sheet_is_read_by_read_coding(sheet_path, corpus):
    form = CodingForm(sheet_path, coder=CODER)
    form.show(1)
    form.set_label("guarantor", "united_states", "ruled out")
    form.set_label("form", "troop_deployment", "ruled out")
    form.set_quote_speaker("The envoy")
    form.show(4)
    form.set_label("form", "monitoring", "affirmed", "conditional")
    form.save()
    (sheet_path.parent / "coders.csv").write_text(
        "file,coder,coded_on,role,note\n"
        f"{sheet_path.name},{CODER},2026-01-15,independent,written by a test\n",
        encoding="utf-8")
    coded = read_coding(sheet_path.parent, corpus).coded.set_index(
        ["article_id", "sentence_id"])
    assert len(coded) == 5 and set(coded["coder"]) == {CODER}
    assert coded.loc[("art-1", 1), "negated"] == (("form", "troop_deployment"),
                                                  ("guarantor", "united_states"))
    assert coded.loc[("art-2", 1), "labels"] == (("form", "monitoring"),)
    assert coded.loc[("art-1", 0), "labels"] == ()
