"""Tests of analysis.notebooks.parameters: notebook parameters from the command line,
checked against what the notebooks declare."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.errors import InputError
from analysis.notebooks.parameters import check_declared, parse_assignments


@pytest.mark.parametrize(("text", "value"), [
    ("article_a=ked-2025-02-27", "ked-2025-02-27"),
    ("period_a=2025-03", "2025-03"),
    ("n_perm=1000", 1000),
    ("topic_k=None", None),
    ("kwic_terms=['NATO', 'Europe']", ["NATO", "Europe"]),
    ("label= spaced text ", "spaced text"),
])
def test_command_line_values_are_literals_or_text(text, value):
    assert parse_assignments([text]) == {text.split("=")[0]: value}


def test_bad_assignments_and_undeclared_names_are_refused():
    with pytest.raises(InputError) as caught:
        parse_assignments(["article_a", "1x=2", "seed=1", "seed=2"])
    assert len(caught.value.problems) == 3
    cell = new_code_cell("seed = 0\nprocessed_dir = 'x'", metadata={"tags": ["parameters"]})
    notebooks = {"01_x": new_notebook(cells=[cell])}
    check_declared(notebooks, {"seed": 3}, reserved=["processed_dir"])
    with pytest.raises(InputError) as caught:
        check_declared(notebooks, {"sead": 3, "processed_dir": "y"},
                       reserved=["processed_dir"])
    assert caught.value.problems == [
        "notebook parameter 'processed_dir' is set by the run itself; use its option instead",
        "no notebook declares a parameter 'sead'; the notebooks' parameters are seed",
    ]
