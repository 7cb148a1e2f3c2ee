"""Notebook machinery: dependency order, byte-identical reruns, staging, HTML, sweeps.

The notebooks here are tiny and generated per test; each kernel start costs about a
second, so the executing tests share module-scoped runs where they can.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import notebooks, tables
from analysis.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"


def make_notebook(path, cells, parameters=None, depends_on=None):
    """Write a notebook: a heading, an optional ``parameters`` cell, then ``cells``.

    ``cells`` are code strings, or ``("md", text)`` for Markdown.
    """
    nb = new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if depends_on is not None:
        nb.metadata.analysis = {"depends_on": depends_on}
    nb.cells.append(new_markdown_cell(f"# Notebook {Path(path).stem}\n\nText."))
    if parameters is not None:
        cell = new_code_cell(parameters)
        cell.metadata.tags = ["parameters"]
        nb.cells.append(cell)
    for cell in cells:
        is_markdown = isinstance(cell, tuple)
        nb.cells.append(new_markdown_cell(cell[1]) if is_markdown else new_code_cell(cell))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return Path(path)


def code_outputs(path):
    """Text of each code cell's outputs, in order (streams and plain-text results)."""
    nb = nbformat.read(path, as_version=4)
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            parts = [o.get("text", "") or o.get("data", {}).get("text/plain", "")
                     or o.get("ename", "") for o in cell.outputs]
            texts.append("".join(parts))
    return texts


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def make_project(root):
    """A checkout-like tree: 01 writes a value into ../work, 02 and 03 read it."""
    nb_dir = root / "notebooks"
    params = 'work_dir = "../work"\nseed = 0'
    make_notebook(nb_dir / "01_make.ipynb", [
        "import os\nfrom pathlib import Path",
        'print(os.environ["PYTHONHASHSEED"], os.environ["MPLBACKEND"],'
        ' os.environ["OMP_NUM_THREADS"], Path.cwd().name)',
        'Path(work_dir).mkdir(exist_ok=True)\nPath(work_dir, "value.txt").write_text("41")',
    ], parameters=params, depends_on=[])
    make_notebook(nb_dir / "02_double.ipynb", [
        "from pathlib import Path",
        'value = int(Path(work_dir, "value.txt").read_text())\nprint(2 * value)',
        "for i in range(3):\n    print(i)",
    ], parameters=params, depends_on=["01_make"])
    make_notebook(nb_dir / "03_increment.ipynb", [
        "from pathlib import Path",
        'int(Path(work_dir, "value.txt").read_text()) + seed + 1',
        "object()",
    ], parameters=params, depends_on=["01_make"])
    (root / "work").mkdir()
    return nb_dir


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project after two default runs in place, with the bytes of each run."""
    root = tmp_path_factory.mktemp("project")
    nb_dir = make_project(root)
    sources = snapshot(nb_dir)
    parameters = {"work_dir": root / "work", "seed": 0, "unused": 1}
    executed = notebooks.run_notebooks(nb_dir, nb_dir, root / "reports", parameters)
    first = snapshot(nb_dir)
    again = notebooks.run_notebooks(nb_dir, nb_dir, root / "reports", parameters)
    return {"root": root, "nb_dir": nb_dir, "sources": sources, "executed": executed,
            "again": again, "first": first, "second": snapshot(nb_dir),
            "parameters": parameters}


# --------------------------------------------------------------------------- discovery


def test_discover_keeps_numbered_notebooks_in_number_order(tmp_path):
    for name in ["10_late.ipynb", "02_b.ipynb", "01_a.ipynb", "scratch.ipynb", "1x.ipynb"]:
        make_notebook(tmp_path / name, [])
    (tmp_path / "03_notes.txt").write_text("x")
    found = [p.name for p in notebooks.discover_notebooks(tmp_path)]
    assert found == ["01_a.ipynb", "02_b.ipynb", "10_late.ipynb"]


def test_discover_missing_folder_is_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        notebooks.discover_notebooks(tmp_path / "nope")


def test_dependencies_default_to_lower_numbers_and_metadata_wins(tmp_path):
    paths = [
        make_notebook(tmp_path / "01_corpus.ipynb", []),
        make_notebook(tmp_path / "02_framing.ipynb", [], depends_on=["01_corpus"]),
        make_notebook(tmp_path / "03_sentiment.ipynb", [], depends_on=["01_corpus"]),
        make_notebook(tmp_path / "05_synthesis.ipynb", []),
    ]
    deps = notebooks.notebook_dependencies(paths)
    assert deps == {
        "01_corpus": (),
        "02_framing": ("01_corpus",),
        "03_sentiment": ("01_corpus",),
        "05_synthesis": ("01_corpus", "02_framing", "03_sentiment"),
    }
    assert notebooks.execution_order(deps) == [
        "01_corpus", "02_framing", "03_sentiment", "05_synthesis",
    ]


def test_unknown_dependency_is_input_error_naming_the_notebook(tmp_path):
    path = make_notebook(tmp_path / "02_x.ipynb", [], depends_on=["01_typo"])
    with pytest.raises(InputError) as error:
        notebooks.notebook_dependencies([path])
    assert "02_x.ipynb" in error.value.problems[0] and "01_typo" in error.value.problems[0]


def test_execution_order_ignores_outside_names_and_rejects_cycles():
    assert notebooks.execution_order({"b": ["a", "gone"], "a": [], "c": ["a"]}) == ["a", "b", "c"]
    with pytest.raises(InputError, match="cycle"):
        notebooks.execution_order({"a": ["b"], "b": ["a"], "c": []})


# --------------------------------------------------------------------------- parameters


def _nb_with_parameters(source):
    nb = new_notebook()
    cell = new_code_cell(source)
    cell.metadata.tags = ["parameters"]
    nb.cells = [new_markdown_cell("# t"), cell]
    return nb


def test_parameters_cell_defaults_are_read_as_literals():
    nb = _nb_with_parameters('raw_dir = "../data/raw"\nseed: int = 3\nids = None\nx = len("a")')
    params = notebooks.notebook_parameters(nb)
    assert params["raw_dir"] == "../data/raw" and params["seed"] == 3 and params["ids"] is None
    assert params["x"] is not None and params["x"] != 1


def test_only_differing_declared_parameters_are_injected(tmp_path):
    nb = _nb_with_parameters('raw_dir = "../data/raw"\nseed = 0\nk = 5\nx = len("a")')
    cwd = tmp_path / "notebooks"
    same = {"raw_dir": tmp_path / "data" / "raw", "seed": 0, "other": 1}
    assert notebooks.parameters_to_inject(nb, same, cwd) == {}
    changed = {"raw_dir": tmp_path / "elsewhere", "seed": 1, "k": 5.0, "x": 1}
    assert notebooks.parameters_to_inject(nb, changed, cwd) == {
        "k": 5.0, "raw_dir": str(tmp_path / "elsewhere"), "seed": 1, "x": 1,
    }


def test_invalid_parameters_cell_is_input_error():
    with pytest.raises(InputError, match="nb.ipynb: parameters cell"):
        notebooks.notebook_parameters(_nb_with_parameters("seed = = 1"), "nb.ipynb")


def test_parse_sweep_values_types_literals():
    assert notebooks.parse_sweep_values("5, 10,0.5,abc,'x y',True") == [
        5, 10, 0.5, "abc", "x y", True,
    ]
    with pytest.raises(InputError):
        notebooks.parse_sweep_values("1,,2")


# --------------------------------------------------------------------------- normalisation


def _executed_like_notebook():
    nb = new_notebook()
    code = new_code_cell("print(1)", execution_count=1)
    code.id = "a1b2c3d4"
    code.metadata = {
        "papermill": {"duration": 0.5, "start_time": "2026-01-01T00:00:00", "status": "completed",
                      "exception": False, "end_time": "2026-01-01T00:00:01"},
        "execution": {"iopub.execute_input": "2026-01-01T00:00:00.1Z"},
        "tags": [],
    }
    code.outputs = [
        new_output("stream", name="stdout", text="a\n"),
        new_output("stream", name="stdout", text="b\n"),
        new_output("stream", name="stderr", text="w\n"),
        new_output("stream", name="stdout", text="c\n"),
        new_output("execute_result", data={"text/plain": "<object object at 0x7f3a2c1d9e10>"},
                   execution_count=1),
    ]
    tagged = new_code_cell("seed = 0")
    tagged.metadata.tags = ["parameters"]
    nb.cells = [new_markdown_cell("# Title"), code, tagged]
    nb.metadata.papermill = {"duration": 3.0, "input_path": "/tmp/x.ipynb", "parameters": {}}
    nb.metadata.language_info = {"name": "python", "version": "3.11.7"}
    return nb


def test_normalize_removes_volatile_metadata_and_keeps_outputs():
    nb = notebooks.normalize_notebook(_executed_like_notebook(), "01_corpus")
    assert "papermill" not in nb.metadata
    assert nb.metadata.language_info == {"name": "python"}
    assert [c.id for c in nb.cells] == ["01_corpus-0", "01_corpus-1", "01_corpus-2"]
    code = nb.cells[1]
    assert code.metadata == {} and code.execution_count == 1
    assert [(o.get("name"), o.get("text")) for o in code.outputs[:3]] == [
        ("stdout", "a\nb\n"), ("stderr", "w\n"), ("stdout", "c\n"),
    ]
    assert code.outputs[3].data["text/plain"] == "<object object at 0x0>"
    assert nb.cells[2].metadata.tags == ["parameters"]


def test_normalize_is_idempotent_and_leaves_its_input_alone():
    original = _executed_like_notebook()
    once = notebooks.normalize_notebook(original, "x")
    assert "papermill" in original.metadata and original.cells[1].id == "a1b2c3d4"
    assert notebooks.notebook_bytes(notebooks.normalize_notebook(once, "x")) == (
        notebooks.notebook_bytes(once)
    )


def test_notebook_bytes_are_jupyter_json_with_final_newline():
    data = notebooks.notebook_bytes(notebooks.normalize_notebook(_executed_like_notebook(), "x"))
    assert data.endswith(b"}\n") and data.startswith(b'{\n "cells": [\n')
    assert nbformat.reads(data.decode(), as_version=4).cells[0].id == "x-0"


# --------------------------------------------------------------------------- restore


def test_restored_on_failure_puts_folders_back_exactly(tmp_path):
    kept, created = tmp_path / "figures", tmp_path / "new"
    kept.mkdir()
    (kept / "a.png").write_bytes(b"old")
    with pytest.raises(RuntimeError), notebooks.restored_on_failure([kept, created]):
        (kept / "a.png").write_bytes(b"new")
        (kept / "b.png").write_bytes(b"extra")
        created.mkdir()
        raise RuntimeError("boom")
    assert snapshot(kept) == {"a.png": b"old"} and not created.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures"]


def test_restored_on_failure_keeps_successful_writes(tmp_path):
    with notebooks.restored_on_failure([tmp_path / "figures"]):
        (tmp_path / "figures").mkdir()
        (tmp_path / "figures" / "a.png").write_bytes(b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures"]


def test_error_message_names_notebook_cell_and_kept_copy(tmp_path):
    failure = notebooks.NotebookFailure("02_framing", 4, 3, "KeyError", "'label'",
                                        "counts = table['label']", tmp_path / "02_framing.ipynb")
    error = notebooks.NotebookExecutionError([failure], ["05_synthesis"])
    text = str(error)
    assert "notebook 02_framing failed at cell 4 (In [3]): KeyError: 'label'" in text
    assert "counts = table['label']" in text and str(tmp_path / "02_framing.ipynb") in text
    assert "not run because of the failure: 05_synthesis" in text
    assert (error.notebook, error.cell_index, error.ename) == ("02_framing", 4, "KeyError")


# --------------------------------------------------------------------------- execution


@pytest.mark.parametrize(("source", "prelude"), [
    ("import os\nfrom pathlib import Path", True),
    ('seed = 0\nnames = ["a", "b"]  # literals\nlimit: int = 3', True),
    ("", True),
    ("x = Path('a')", False),
    ("import os\nprint(os.getcwd())", False),
    ("table = read()", False),
    ("def f(:", False),
])
def test_prelude_is_imports_and_literal_assignments(source, prelude):
    assert notebooks.is_prelude(new_code_cell(source)) is prelude
    assert notebooks.is_prelude(new_markdown_cell("# Any *text*"))


def test_notebooks_wait_for_their_inputs_after_the_prelude(tmp_path):
    nb_dir = tmp_path / "notebooks"
    make_notebook(nb_dir / "01_read.ipynb", [
        "from pathlib import Path",
        'print(Path("../inputs.txt").read_text())',
    ], parameters="seed = 0", depends_on=[])
    inputs = Future()
    at_gate = threading.Event()

    def make_inputs():
        # The inputs appear only once the notebook has reached its first non-prelude
        # cell: a notebook that did not wait for them would fail to read them.
        at_gate.wait(timeout=120)
        (tmp_path / "inputs.txt").write_text("made")
        inputs.set_result(None)

    maker = threading.Thread(target=make_inputs)
    maker.start()
    original = notebooks.execute_notebook

    def execute(*args, before_body, **kwargs):
        def wait():
            at_gate.set()
            before_body()
        return original(*args, before_body=wait, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(notebooks, "execute_notebook", execute)
        executed = notebooks.run_notebooks(nb_dir, nb_dir, tmp_path / "reports", inputs=inputs)
    maker.join()
    assert code_outputs(executed[0])[1:] == ["", "made\n"]


def test_failed_inputs_stop_the_run_and_leave_everything_as_it_was(tmp_path):
    nb_dir = tmp_path / "notebooks"
    make_notebook(nb_dir / "01_a.ipynb", ["import os", "print(1)"], depends_on=[])
    make_notebook(nb_dir / "02_b.ipynb", ["import os", "print(2)"], depends_on=[])
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "old.png").write_bytes(b"old")
    before = snapshot(tmp_path)
    inputs = Future()
    inputs.set_exception(InputError(["raw/manifest.csv row 2: bad date"]))
    with pytest.raises(notebooks.InputsUnavailable) as caught:
        notebooks.run_notebooks(nb_dir, nb_dir, tmp_path / "reports", inputs=inputs,
                                restore_on_failure=[figures])
    assert isinstance(caught.value.__cause__, InputError)
    assert "row 2: bad date" in str(caught.value)
    assert snapshot(tmp_path) == before
    assert not list(tmp_path.glob(".staging*"))


def test_jobs_that_others_wait_for_start_first():
    started = []

    def run_one(name, wait_for_dependencies):
        started.append(name)
        wait_for_dependencies()

    dependencies = {"d": ("c",), "e": ("d",), "f": ("b", "d")}
    failures, not_run = notebooks._run_in_order(
        ["a", "b", "c", "d", "e", "f"], dependencies, run_one, workers=1)
    assert (failures, not_run) == ([], [])
    # c heads a chain of three jobs (c, d, e or f); b and d of two; then names order.
    assert started == ["c", "b", "d", "a", "e", "f"]


def _recording_job(events, fail=()):
    a_may_end = threading.Event()

    def run_one(name, wait_for_dependencies):
        events.append(f"{name} starts")
        if name == "b":
            a_may_end.set()  # b is running before a ends: it was started early
        else:
            a_may_end.wait(timeout=30)
        wait_for_dependencies()
        events.append(f"{name} body")
        if name in fail:
            raise notebooks.NotebookExecutionError([notebooks.NotebookFailure(
                notebook=name, cell_index=1, execution_count=1, ename="E", evalue="boom")])

    return run_one


def test_idle_worker_starts_a_dependent_early_and_its_body_waits():
    events = []
    failures, not_run = notebooks._run_in_order(
        ["a", "b"], {"b": ("a",)}, _recording_job(events), workers=2)
    assert (failures, not_run) == ([], [])
    # Both threads start at once, in either order; b's body waits for a's end.
    assert sorted(events[:2]) == ["a starts", "b starts"]
    assert events[2:] == ["a body", "b body"]


def test_early_dependent_of_a_failed_job_is_not_run():
    events = []
    failures, not_run = notebooks._run_in_order(
        ["a", "b"], {"b": ("a",)}, _recording_job(events, fail={"a"}), workers=2)
    assert [f.notebook for f in failures] == ["a"] and not_run == ["b"]
    assert "b body" not in events


def test_longest_expected_chain_starts_first():
    started = []

    def run_one(name, wait_for_dependencies):
        started.append(name)

    # a -> d: a chain of 1 + 4 s beats b's 3 s; c (not measured yet) counts 0.
    expected = {"a": 1.0, "b": 3.0, "d": 4.0, "unknown": 7.0}
    measured = {}
    notebooks._run_in_order(["a", "b", "c", "d"], {"d": ("a",)}, run_one, workers=1,
                            expected=expected, measured=measured)
    assert started == ["a", "d", "b", "c"]
    assert sorted(measured) == ["a", "b", "c", "d"] and all(v >= 0 for v in measured.values())
    assert notebooks._chain_lengths(["a", "b", "c", "d"], {"d": ("a",)}, expected) == {
        "a": 5.0, "b": 3.0, "c": 0.0, "d": 4.0}


def test_durations_round_trip_and_bad_history_is_no_history(tmp_path):
    path = tmp_path / "runs" / "durations.json"
    assert notebooks.read_durations(path) == {}
    notebooks.write_durations(path, {"02_b": 3.14159, "01_a": 2.0})
    assert path.read_text() == '{\n "01_a": 2.0,\n "02_b": 3.1\n}\n'
    assert notebooks.read_durations(path) == {"01_a": 2.0, "02_b": 3.1}
    for bad in ("not json", "[1, 2]", '{"a": "slow", "b": -1, "c": true, "d": 1}'):
        path.write_text(bad)
        assert notebooks.read_durations(path) == ({"d": 1.0} if bad.startswith("{") else {})


def test_chain_lengths_follow_the_longest_path_and_ignore_outside_jobs():
    lengths = notebooks._chain_lengths(
        ["a", "b", "c", "d"], {"b": ("a", "outside"), "c": ("b",), "d": ("a",)},
        {"a": 1.0, "b": 2.0, "c": 3.0, "d": 9.0})
    assert lengths == {"a": 10.0, "b": 5.0, "c": 3.0, "d": 9.0}


def test_kernels_are_shut_down_without_an_interrupt(monkeypatch):
    # An interrupt at shutdown makes an idle kernel log "KeyboardInterrupt caught in
    # kernel" on the run's stderr; before shutdown, interrupts still reach the kernel.
    from jupyter_client import AsyncKernelManager

    interrupted = []

    async def record(self):
        interrupted.append(self.shutting_down)

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", record)
    manager = notebooks._kernel_manager_class()(kernel_name=notebooks.KERNEL_NAME)

    async def start_interrupt_stop():
        await manager.start_kernel()
        try:
            await manager._async_interrupt_kernel()
        finally:
            await manager.shutdown_kernel()

    asyncio.run(start_interrupt_stop())
    assert interrupted == [False]
    assert not manager.has_kernel


def test_run_executes_in_dependency_order_with_pinned_kernel(project):
    nb_dir = project["nb_dir"]
    durations = notebooks.read_durations(project["root"] / "reports" / "runs" / "durations.json")
    assert sorted(durations) == ["01_make", "02_double", "03_increment"]
    assert project["executed"] == [nb_dir / "01_make.ipynb", nb_dir / "02_double.ipynb",
                                   nb_dir / "03_increment.ipynb"]
    assert code_outputs(nb_dir / "01_make.ipynb")[2] == "0 Agg 1 notebooks\n"
    assert code_outputs(nb_dir / "02_double.ipynb")[2:] == ["82\n", "0\n1\n2\n"]
    assert code_outputs(nb_dir / "03_increment.ipynb")[2:] == ["42", "<object at 0x0>"]


def test_default_run_injects_nothing_and_keeps_sources_but_outputs(project):
    for name, data in project["first"].items():
        nb = nbformat.reads(data.decode(), as_version=4)
        source = nbformat.reads(project["sources"][name].decode(), as_version=4)
        assert [c.source for c in nb.cells] == [c.source for c in source.cells]
        assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
        assert [c.id for c in nb.cells] == [f"{Path(name).stem}-{i}" for i in range(len(nb.cells))]
        assert b"papermill" not in data and b"iopub" not in data and b"/tmp" not in data


def test_rerun_gives_identical_bytes(project):
    assert project["again"] == project["executed"]
    assert project["second"] == project["first"]
    # No staging folders or failed copies are left behind; only the run's wall times.
    root = project["root"]
    assert sorted(p.name for p in root.iterdir()) == ["notebooks", "reports", "work"]
    assert [p for p in (root / "reports").rglob("*") if p.is_file()] == [
        root / "reports" / "runs" / "durations.json"]


def test_failing_notebook_leaves_everything_as_it_was(project, tmp_path):
    root = tmp_path / "checkout"
    shutil.copytree(project["root"], root)
    nb_dir, work = root / "notebooks", root / "work"
    (work / "value.txt").write_text("old")
    make_notebook(nb_dir / "04_fail.ipynb", [
        'from pathlib import Path\nPath(work_dir, "partial.txt").write_text("x")',
        "1 / 0",
        "print('never')",
    ], parameters='work_dir = "../work"', depends_on=[])
    before = snapshot(nb_dir)
    inodes = {p.name: p.stat().st_ino for p in nb_dir.iterdir()}
    with pytest.raises(notebooks.NotebookExecutionError) as caught:
        notebooks.run_notebooks(nb_dir, nb_dir, root / "reports", {"work_dir": work},
                                notebooks=["01_make", "04_fail.ipynb"], restore_on_failure=[work])
    error = caught.value
    assert (error.notebook, error.cell_index, error.ename) == ("04_fail", 3, "ZeroDivisionError")
    assert error.failures[0].execution_count == 3 and error.failures[0].source_line == "1 / 0"
    assert "notebook 04_fail failed at cell 3 (In [3]): ZeroDivisionError" in str(error)
    # Neither the successful 01_make nor anything else was replaced or rewritten.
    assert snapshot(nb_dir) == before
    assert {p.name: p.stat().st_ino for p in nb_dir.iterdir()} == inodes
    assert snapshot(work) == {"value.txt": b"old"}
    kept = root / "reports" / "runs" / "failed" / "04_fail.ipynb"
    assert error.failures[0].kept == kept
    assert code_outputs(kept)[-2:] == ["ZeroDivisionError", ""]
    assert sorted(p.name for p in root.iterdir()) == ["notebooks", "reports", "work"]


def test_run_elsewhere_injects_parameters_and_never_touches_the_checkout(project, tmp_path):
    root = project["root"]
    before_nb, before_work = snapshot(root / "notebooks"), snapshot(root / "work")
    reports = tmp_path / "reports"
    out = reports / "notebooks"
    executed = notebooks.run_notebooks(root / "notebooks", out, reports,
                                       {"work_dir": tmp_path / "work", "seed": 0},
                                       notebooks=["01_make"])
    assert executed == [out / "01_make.ipynb"]
    nb = nbformat.read(executed[0], as_version=4)
    injected = nb.cells[2]
    assert injected.metadata.tags == ["injected-parameters"]
    assert f'work_dir = "{tmp_path / "work"}"' in injected.source and "seed" not in injected.source
    assert code_outputs(executed[0])[3] == "0 Agg 1 notebooks\n"
    assert (tmp_path / "work" / "value.txt").read_text() == "41"
    assert snapshot(root / "notebooks") == before_nb and snapshot(root / "work") == before_work


def test_unknown_notebook_name_is_input_error(project, tmp_path):
    with pytest.raises(InputError, match="99_nope"):
        notebooks.run_notebooks(project["nb_dir"], tmp_path / "out", tmp_path,
                                notebooks=["99_nope"])


# --------------------------------------------------------------------------- HTML + nbval


@pytest.fixture(scope="module")
def report_notebook(tmp_path_factory):
    """An executed notebook with article-like text in a table and a figure."""
    root = tmp_path_factory.mktemp("report")
    make_notebook(root / "notebooks" / "01_report.ipynb", [
        ("md", "Some **analysis**."),
        "import matplotlib.pyplot as plt\nimport pandas as pd\nfrom analysis import plotting\n"
        "plotting.use_style()",
        'table = pd.DataFrame({"text": ["<script>alert(1)</script>", "A & B"], "n": [1, 2]})\n'
        "table",
        "plotting.show_table(table)",
        "from IPython.display import HTML, Markdown\n"
        "display(Markdown('**A** <img src=x onerror=alert(2)>'), HTML('<b>fine</b>'))",
        "fig, ax = plt.subplots()\nax.bar(['a', 'b'], [1, 2])\n"
        "plotting.show_figure(fig, Path(figures_dir) / 'bars')",
    ], parameters='from pathlib import Path\nfigures_dir = "../figures"')
    staged_pages = []

    def render(staged, final):
        assert staged.is_file() and final == root / "notebooks" / staged.name
        staged_pages.append(notebooks.render_page(staged, folder=final.parent))

    executed = notebooks.run_notebooks(root / "notebooks", root / "notebooks", root / "reports",
                                       {"figures_dir": root / "figures"}, on_executed=render)
    return root, executed, staged_pages


def test_html_embeds_figures_escapes_text_and_is_byte_stable(report_notebook, tmp_path):
    root, executed, staged_pages = report_notebook
    index = notebooks.render_html(executed, tmp_path / "a")
    notebooks.render_html(executed, tmp_path / "b")
    notebooks.write_html(staged_pages, tmp_path / "while_running")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "while_running")
    page = (tmp_path / "a" / "01_report.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in page and "<img src=x onerror" not in page
    assert "**A** &lt;img src=x onerror=alert(2)&gt;" in page and "<b>fine</b>" in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2
    assert "A &amp; B" in page
    assert page.count('src="data:image/png;base64,') == 1
    assert "<title>Notebook 01_report</title>" in page
    listing = index.read_text("utf-8")
    assert '<a href="01_report.html">Notebook 01_report</a>' in listing
    assert sorted(p.name for p in root.joinpath("figures").iterdir()) == ["bars.png", "bars.svg"]


def test_defuse_outputs_keeps_escaped_tables_and_disarms_markup():
    nb = new_notebook()
    cell = new_code_cell("x")
    cell.outputs = [
        new_output("display_data", data={"text/html": "<table><td>&lt;script&gt;</td></table>",
                                         "text/plain": "t"}),
        new_output("display_data", data={"text/html": '<a href="javascript:x()">a</a>'}),
        new_output("display_data", data={"text/markdown": "plain **bold** text"}),
    ]
    risky = new_code_cell("y")
    risky.outputs = [new_output("display_data", data={"text/markdown": "<b onclick=x>b</b>"})]
    nb.cells = [new_markdown_cell("# <b>t</b>"), cell, risky]
    assert notebooks.defuse_outputs(nb) == [1, 2]
    assert [sorted(o.data) for o in nb.cells[1].outputs] == [
        ["text/html", "text/plain"], ["text/plain"], ["text/markdown"],
    ]
    assert nb.cells[2].outputs[0].data == {"text/plain": "<b onclick=x>b</b>"}


def test_index_titles_are_escaped(tmp_path):
    path = make_notebook(tmp_path / "01_x.ipynb", [])
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "Intro\n\n## <b>Bold</b> & co ##\n"
    nbformat.write(nb, path)
    index = notebooks.render_html([path], tmp_path / "html").read_text("utf-8")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co</a>" in index


def test_executed_notebook_passes_nbval_strict(report_notebook):
    _, executed, _ = report_notebook
    env = {**os.environ, **notebooks.KERNEL_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(executed[0]), "--nbval-sanitize-with",
         str(SANITIZE_CFG), "-p", "no:cacheprovider", "-q", "--rootdir", str(executed[0].parent)],
        capture_output=True, text=True, env=env, cwd=executed[0].parent, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


# --------------------------------------------------------------------------- sweeps


def test_sweep_runs_each_value_and_collects_tables(tmp_path):
    source = make_notebook(tmp_path / "notebooks" / "04_topics.ipynb", [
        "from pathlib import Path\nrows = [f'{k * k},{base}']",
        "if run_output:\n    Path(run_output).write_text('square,base\\n' + '\\n'.join(rows))",
    ], parameters="k = 1\nbase = 0\nrun_output = None\nfigures_dir = '../figures'")
    reports = tmp_path / "reports"
    table = notebooks.sweep_notebook(source, "k", [3, 2], {"base": 7}, reports_dir=reports)
    assert table.to_dict("list") == {"k": [2, 3], "square": [4, 9], "base": [7, 7]}
    assert (reports / "04_topics_sweep.csv").read_text() == "k,square,base\n2,4,7\n3,9,7\n"
    runs = reports / "runs" / "04_topics"
    assert sorted(p.name for p in runs.glob("*.ipynb")) == ["k=2.ipynb", "k=3.ipynb"]
    injected = nbformat.read(runs / "k=3.ipynb", as_version=4).cells[2].source
    assert "k = 3" in injected and f'figures_dir = "{runs / "k=3"}"' in injected
    assert not (tmp_path / "figures").exists()


def test_sweep_needs_the_parameter_and_run_output(tmp_path):
    source = make_notebook(tmp_path / "01_x.ipynb", [], parameters="k = 1")
    with pytest.raises(InputError) as error:
        notebooks.sweep_notebook(source, "j", [1, 2], reports_dir=tmp_path)
    assert len(error.value.problems) == 2
    assert all("01_x.ipynb" in p for p in error.value.problems)


def test_dead_kernel_in_a_sweep_names_the_run_and_cell(tmp_path):
    source = make_notebook(tmp_path / "01_x.ipynb", ["x = 1", "import os\nos._exit(3)", "x"],
                           parameters="k = 1\nrun_output = None")
    with pytest.raises(notebooks.NotebookExecutionError) as caught:
        notebooks.sweep_notebook(source, "k", [2], reports_dir=tmp_path, workers=1)
    error = caught.value
    assert (error.notebook, error.cell_index, error.ename) == ("01_x (k=2)", 3, "DeadKernelError")
    assert "notebook 01_x (k=2) failed at cell 3: DeadKernelError" in str(error)
    assert not (tmp_path / "01_x_sweep.csv").exists()


def test_sweep_table_reads_back(tmp_path):
    table = pd.DataFrame({"k": [2, 1], "ok": [True, False], "x": [0.1234567, 1.0]})
    data = notebooks._csv_bytes(table.sort_values("k"))
    assert data == b"k,ok,x\n1,false,1.000000\n2,true,0.123457\n"


def test_topic_sweep_as_papermill_runs_gives_the_published_rows(tmp_path):
    # The topics notebook scores its whole k sweep in one kernel; one papermill run per k
    # (`python -m analysis sweep`) must give the same rows as the table it publishes.
    processed = ROOT / "data" / "processed"
    ks = [2, 5]
    runs = notebooks.sweep_notebook(ROOT / "notebooks" / "04_topics.ipynb", "k", ks,
                                    {"processed_dir": processed}, reports_dir=tmp_path)
    published = tables.read_table("topic_sweep", processed)
    expected = published[published["k"].isin(ks)].reset_index(drop=True)
    assert sorted(set(expected["model"])) == ["lda", "nmf"] and len(expected) == 2 * len(ks)
    pd.testing.assert_frame_equal(tables.conform(runs, "topic_sweep"), expected)
