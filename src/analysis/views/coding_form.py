"""A coding form for JupyterLab over a coding sheet, so a researcher codes where they explore.

:class:`CodingForm` shows the sentences of a coding sheet (``python -m analysis
codesheet``, :mod:`analysis.measures.validation.coding`) one at a time, with a choice per
guarantee label (none / affirmed / ruled out, and a modality), the generic frames and the
quote speaker (``docs/codebook.md``), and saves them to the same CSV. In a notebook cell::

    from analysis.views.coding_form import CodingForm
    CodingForm("data/coding/mine.csv", coder="A. Coder").widget

Every coder codes their own copy of the sheet, which must not be in ``data/raw`` (the
corpus): coded sheets go to ``data/coding/`` and are listed in ``data/coding/coders.csv``
(``data/coding/README.md``) once finished, since ``read_coding`` takes every row of a
listed sheet as coded. A row counts as coded when its ``coder`` is filled in: any edit
fills it, and the "coded" box does for a sentence where nothing applies.

The form saves on Save and whenever it moves to another sentence, changing only the code
cells and ``coder``; every other cell is written back as it was read. A code cell the form
cannot show is reported on the form and kept unless the coder changes it: an unknown label
typed by hand, or a label coded twice, such as affirmed and ruled out in one sentence
(codebook section 4), which one choice per label cannot hold: edit those in the CSV.
:func:`parse_cell` and :func:`format_cell` translate between a cell and the form's choices.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from analysis.data.tables import csv_bytes, write_bytes_atomic
from analysis.errors import InputError
from analysis.measures import framing
from analysis.measures.validation.codes import label_entries, read_csv_bytes, string_csv
from analysis.measures.validation.coding import SHEET_COLUMNS

STATES = ("none", "affirmed", "ruled out")
"""The choices per label: not coded, affirmed, ruled out (negated, ``!``)."""

Choices = dict[str, tuple[bool, str]]
"""A code cell as the form holds it: ``{label: (negated, modality)}``."""


def _read_cell(cell: str, dimension: str, where: str) -> tuple[Choices, list[str]]:
    """The choices a cell holds, as far as they can be read, and the cell's problems."""
    entries, problems = label_entries(cell, dimension, where)
    choices: Choices = {}
    for _, label, negated, modality in entries:
        if label in choices:
            # Valid for the codebook (affirmed and ruled out), but one choice cannot hold it.
            problems.append(f"{where}: {dimension} label '{label}' is coded more than once; "
                            "the form shows one choice per label")
        else:
            choices[label] = (negated, modality)
    order = framing.guarantee_vocabulary()[dimension]
    return {label: choices[label] for label in order if label in choices}, problems


def parse_cell(cell: str, dimension: str) -> Choices:
    """The choices of a ``guarantor`` or ``form`` cell, ``{label: (negated, modality)}``.

    ``cell`` holds ``;``-separated entries ``[!]label:modality`` (empty: none) of
    ``dimension`` ("guarantor" or "form"); the result is in vocabulary order. Raises
    ``InputError`` for an entry ``label_entries`` refuses (malformed, unknown label or
    modality) and for a label given more than once.
    """
    choices, problems = _read_cell(cell, dimension, f"{dimension} cell {cell!r}")
    if problems:
        raise InputError(problems)
    return choices


def format_cell(choices: Choices, dimension: str) -> str:
    """The cell of ``choices`` (as :func:`parse_cell` gives): entries in vocabulary order.

    E.g. ``"europe:asserted; !nato:demanded"`` (joined by ``"; "``); empty for no choices.
    Raises ``ValueError`` for a label not in the vocabulary or a modality not in
    ``framing.MODALITIES``.
    """
    labels = framing.guarantee_vocabulary()[dimension]
    bad = {label: modality for label, (_, modality) in choices.items()
           if label not in labels or modality not in framing.MODALITIES}
    if bad:
        raise ValueError(f"{dimension} choices {bad}: labels are {labels}, modalities "
                         f"{framing.MODALITIES}")
    return "; ".join(f"{'!' if choices[label][0] else ''}{label}:{choices[label][1]}"
                     for label in labels if label in choices)


def _read_frames(cell: str, where: str) -> tuple[list[str], list[str]]:
    names = [name for name in (part.strip() for part in cell.split(";")) if name]
    known = framing.frame_names()
    problems = [f"{where}: frame {name!r} not in {sorted(known)}" for name in names
                if name not in known]
    return [name for name in known if name in names], problems


def _read_sheet(path: Path) -> tuple[pd.DataFrame, bytes]:
    data = read_csv_bytes(path)
    sheet = string_csv(data, path, SHEET_COLUMNS, what="a coding sheet")
    if sheet.empty:
        raise InputError([f"{path}: the sheet has no sentences"])
    return sheet, data


class CodingForm:
    """A form over one coding sheet, saving to it (see the module's docstring).

    Parameters
    ----------
    path : path-like
        The coding sheet (CSV), outside ``data/raw``.
    coder : str
        The coder's name, written to ``coder`` on every row they touch.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The form, to display in a notebook.
    index : int
        The sentence shown, 0-based row of the sheet; the first uncoded one at start.

    Raises
    ------
    analysis.errors.InputError
        Naming the file: it cannot be read, lacks the sheet's columns, has no rows, lies
        in ``data/raw`` or has rows coded by another coder; or ``coder`` is empty.
    """

    def __init__(self, path: str | os.PathLike, coder: str):
        self.path = Path(path)
        self.coder = coder.strip()
        if not self.coder:
            raise InputError([f"{self.path}: no coder named; pass coder='Your Name'"])
        parts = self.path.resolve().parts
        if ("data", "raw") in zip(parts, parts[1:], strict=False):
            raise InputError([f"{self.path}: a coding sheet must not be in data/raw; "
                              "code a copy in data/coding/"])
        self._sheet, self._on_disk = _read_sheet(self.path)
        others = sorted(set(self._sheet["coder"]) - {"", self.coder})
        if others:
            raise InputError([f"{self.path}: rows coded by {others}, not {self.coder!r}; "
                              "every coder codes their own copy of the sheet"])
        self._dirty = self._loading = False
        self._problems: dict[str, str] = {}
        self._build()
        self.show(next((i for i, name in enumerate(self._sheet["coder"]) if not name), 0))

    def _build(self) -> None:
        self._where = widgets.HTML()
        self._text = widgets.HTML(layout=widgets.Layout(border="1px solid #ccc", padding="4px"))
        self._notes = {column: widgets.HTML() for column in ("guarantor", "form", "frames")}
        self._choices: dict[str, dict[str, tuple[widgets.ToggleButtons, widgets.Dropdown]]] = {}
        parts: list[widgets.Widget] = [self._where, self._text]
        for dimension, labels in framing.guarantee_vocabulary().items():
            self._choices[dimension], rows = {}, []
            for label in labels:
                state = widgets.ToggleButtons(options=STATES, style={"button_width": "80px"})
                modality = widgets.Dropdown(options=framing.MODALITIES, disabled=True,
                                            layout=widgets.Layout(width="130px"))
                state.observe(self._label_changed(dimension), names="value")
                modality.observe(self._label_changed(dimension), names="value")
                self._choices[dimension][label] = (state, modality)
                rows.append(widgets.HBox([widgets.Label(label, layout=widgets.Layout(
                    width="160px")), state, modality]))
            parts += [widgets.HTML(f"<b>{dimension}</b>"), self._notes[dimension], *rows]
        self._frames = {name: widgets.Checkbox(description=name, indent=False,
                                               layout=widgets.Layout(width="auto"))
                        for name in framing.frame_names()}
        for box in self._frames.values():
            box.observe(self._frames_changed, names="value")
        self._speaker = widgets.Text(placeholder="who the text names as speaking a quote",
                                     layout=widgets.Layout(width="500px"))
        self._speaker.observe(self._speaker_changed, names="value")
        self._done = widgets.Checkbox(description="coded (also when nothing applies)")
        self._done.observe(self._set_coder, names="value")
        targets = {"Previous": lambda: self.index - 1, "Next": lambda: self.index + 1,
                   "Next uncoded": lambda: self._next_uncoded(self.index),
                   "Save": lambda: self.index}
        self._buttons = {name: widgets.Button(description=name) for name in targets}
        for name, target in targets.items():
            self._buttons[name].on_click(self._go(target))
        self._status = widgets.HTML()
        parts += [widgets.HTML("<b>frames</b>"), self._notes["frames"],
                  widgets.HBox(list(self._frames.values())),
                  widgets.HBox([widgets.Label("quote speaker"), self._speaker]),
                  self._done, widgets.HBox(list(self._buttons.values())), self._status]
        self.widget = widgets.VBox(parts)

    @property
    def n_coded(self) -> int:
        """Rows whose ``coder`` is filled in."""
        return int((self._sheet["coder"] != "").sum())

    @property
    def problems(self) -> list[str]:
        """The problems of the shown sentence's cells, each naming file and row."""
        return list(self._problems.values())

    def _next_uncoded(self, after: int) -> int | None:
        """The first uncoded row after row ``after``, wrapping around; None if no other."""
        n, coder = len(self._sheet), self._sheet["coder"]
        return next((i % n for i in range(after + 1, after + n) if not coder.iat[i % n]), None)

    def show(self, index: int) -> None:
        """Save unsaved edits, then show sentence ``index`` (0-based)."""
        if not 0 <= index < len(self._sheet):
            raise IndexError(f"{self.path}: no sentence {index} (0 to {len(self._sheet) - 1})")
        if self._dirty:
            self.save()
        self.index = index
        row = self._sheet.iloc[index]
        where = f"{self.path} row {index + 2}"
        self._loading = True
        try:
            for dimension, rows in self._choices.items():
                choices, problems = _read_cell(row[dimension], dimension, where)
                for label, (state, modality) in rows.items():
                    negated, held = choices.get(label, (False, framing.MODALITIES[0]))
                    state.value = STATES[0] if label not in choices else STATES[1 + negated]
                    modality.value = held
                self._note(dimension, problems)
            names, problems = _read_frames(row["frames"], where)
            for name, box in self._frames.items():
                box.value = name in names
            self._note("frames", problems)
            self._speaker.value = row["quote_speaker"]
            self._done.value = row["coder"] != ""
        finally:
            self._loading = False
        self._text.value = f"<p>{html.escape(row['text'])}</p>"
        self._buttons["Previous"].disabled = index == 0
        self._buttons["Next"].disabled = index == len(self._sheet) - 1
        self._show_position()

    def _note(self, column: str, problems: list[str]) -> None:
        if problems:
            self._problems[column] = "; ".join(problems)
            self._notes[column].value = (
                f"<span style='color:#b00'>{html.escape(self._problems[column])}. "
                "The cell is kept as it is unless you change it here.</span>")
        else:
            self._problems.pop(column, None)
            self._notes[column].value = ""

    def _show_position(self) -> None:
        row = self._sheet.iloc[self.index]
        self._where.value = html.escape(
            f"sentence {self.index + 1} of {len(self._sheet)} · article {row['article_id']} "
            f"· section {row['section']} · coded {self.n_coded} of {len(self._sheet)}")

    def set_label(self, dimension: str, label: str, state: str,
                  modality: str = framing.MODALITIES[0]) -> None:
        """Code ``label`` of ``dimension`` on the shown sentence as ``state`` (``STATES``)."""
        buttons, dropdown = self._choices[dimension][label]
        # Checked first: a bad state must not leave the modality changed (and saved) alone.
        if state not in STATES:
            raise ValueError(f"state {state!r} not in {STATES}")
        dropdown.value = modality
        buttons.value = state

    def set_frames(self, names: Iterable[str]) -> None:
        """Tick exactly the frames ``names`` on the shown sentence."""
        names = set(names)
        unknown = sorted(names - set(self._frames))
        if unknown:
            raise ValueError(f"frames {unknown} not in {tuple(self._frames)}")
        for name, box in self._frames.items():
            box.value = name in names

    def set_quote_speaker(self, speaker: str) -> None:
        """Set the shown sentence's quote speaker (``unnamed`` when the text names none)."""
        self._speaker.value = speaker

    def _edit(self, column: str, value: str) -> None:
        """Write one cell of the shown row; an edit marks the row coded by this coder."""
        self._sheet.iat[self.index, self._sheet.columns.get_loc(column)] = value
        self._done.value = True
        self._set_coder()

    def _label_changed(self, dimension: str):
        def changed(_) -> None:
            for state, modality in self._choices[dimension].values():
                modality.disabled = state.value == STATES[0]
            if self._loading:
                return
            self._note(dimension, [])
            choices = {label: (state.value == STATES[2], modality.value)
                       for label, (state, modality) in self._choices[dimension].items()
                       if state.value != STATES[0]}
            self._edit(dimension, format_cell(choices, dimension))
        return changed

    def _frames_changed(self, _) -> None:
        if not self._loading:
            self._note("frames", [])
            self._edit("frames", "; ".join(n for n, box in self._frames.items() if box.value))

    def _speaker_changed(self, _) -> None:
        if not self._loading:
            self._edit("quote_speaker", self._speaker.value.strip())

    def _set_coder(self, _=None) -> None:
        if not self._loading:
            self._sheet.iat[self.index, self._sheet.columns.get_loc("coder")] = (
                self.coder if self._done.value else "")
            self._dirty = True
            self._show_position()

    def save(self) -> Path:
        """Write the sheet back to its file, atomically; return its path.

        Refuses (``InputError``) when the file changed on disk since the form read or
        last wrote it (another form or an editor on it): writing would undo that change.
        """
        if self.path.is_file() and self.path.read_bytes() != self._on_disk:
            raise InputError([f"{self.path}: changed on disk since this form read it; "
                              "open a new form on it (unsaved edits here are not written)"])
        data = csv_bytes(self._sheet)
        write_bytes_atomic(self.path, data)
        self._on_disk, self._dirty = data, False
        self._status.value = html.escape(f"saved to {self.path}")
        return self.path

    def _go(self, target):
        """A button's handler: save, then show ``target()`` (None: nothing to go to)."""
        def clicked(_) -> None:
            index = target()
            try:
                self.save()
                if index is None:
                    self._status.value = "every other sentence is coded"
                else:
                    self.show(index)
            except (InputError, OSError, IndexError) as err:
                self._status.value = f"<span style='color:#b00'>{html.escape(str(err))}</span>"
        return clicked
