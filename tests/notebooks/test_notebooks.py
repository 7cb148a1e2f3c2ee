"""Notebook machinery: side-by-side execution, byte-identical reruns, HTML.

The notebooks here are tiny and generated per test; each kernel start costs about a
second, so the executing tests share module-scoped runs where they can.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.errors import InputError
from analysis.notebooks import execute, files, kernel, pages
from analysis.notebooks.kernel import KERNEL_NAME
from analysis.notebooks.parameters import notebook_parameters, parameters_to_inject

from factories import ROOT

SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"


def make_notebook(path, cells, parameters=None):
    """Write a notebook: a heading, an optional ``parameters`` cell, then ``cells``.

    ``cells`` are code strings, or ``("md", text)`` for Markdown.
    """
    nb = new_notebook()
    nb.metadata.kernelspec = {"name": KERNEL_NAME, "display_name": "Python 3 (analysis)",
                              "language": "python"}
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
    """A checkout-like tree: three notebooks that read ``../work/value.txt``."""
    nb_dir = root / "notebooks"
    params = 'work_dir = "../work"\nseed = 0'
    make_notebook(nb_dir / "01_env.ipynb", [
        "import os\nfrom pathlib import Path",
        'print(os.environ["PYTHONHASHSEED"], os.environ["MPLBACKEND"],'
        ' os.environ["OMP_NUM_THREADS"], Path.cwd().name)',
        'Path(work_dir, "value.txt").read_text()',
    ], parameters=params)
    make_notebook(nb_dir / "02_double.ipynb", [
        "from pathlib import Path",
        'value = int(Path(work_dir, "value.txt").read_text())\nprint(2 * value)',
        "for i in range(3):\n    print(i)",
    ], parameters=params)
    make_notebook(nb_dir / "03_increment.ipynb", [
        "from pathlib import Path",
        'int(Path(work_dir, "value.txt").read_text()) + seed + 1',
        "object()",
    ], parameters=params)
    (root / "work").mkdir()
    (root / "work" / "value.txt").write_text("41")
    return nb_dir


def run_project(nb_dir, output_dir, failed_dir, **kwargs):
    return execute.run_notebooks(files.discover_notebooks(nb_dir), output_dir,
                                 failed_dir, **kwargs)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project after two default runs in place, with the bytes of each run."""
    root = tmp_path_factory.mktemp("project")
    nb_dir = make_project(root)
    sources = snapshot(nb_dir)
    parameters = {"work_dir": root / "work", "seed": 0, "unused": 1}
    failed = root / "reports" / "runs" / "failed"
    executed = run_project(nb_dir, nb_dir, failed, parameters=parameters)
    first = snapshot(nb_dir)
    again = run_project(nb_dir, nb_dir, failed, parameters=parameters)
    return {"root": root, "nb_dir": nb_dir, "sources": sources, "executed": executed,
            "again": again, "first": first, "second": snapshot(nb_dir),
            "parameters": parameters}


# --------------------------------------------------------------------------- discovery


def test_discover_keeps_numbered_notebooks_in_number_order(tmp_path):
    for name in ["10_late.ipynb", "02_b.ipynb", "01_a.ipynb", "scratch.ipynb", "1x.ipynb"]:
        make_notebook(tmp_path / name, [])
    (tmp_path / "03_notes.txt").write_text("x")
    found = [p.name for p in files.discover_notebooks(tmp_path)]
    assert found == ["01_a.ipynb", "02_b.ipynb", "10_late.ipynb"]


def test_discover_missing_folder_is_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        files.discover_notebooks(tmp_path / "nope")


# --------------------------------------------------------------------------- parameters


def _nb_with_parameters(source):
    nb = new_notebook()
    cell = new_code_cell(source)
    cell.metadata.tags = ["parameters"]
    nb.cells = [new_markdown_cell("# t"), cell]
    return nb


def test_parameters_cell_defaults_are_read_as_literals():
    nb = _nb_with_parameters('raw_dir = "../data/raw"\nseed: int = 3\nids = None\nx = len("a")')
    params = notebook_parameters(nb)
    assert params["raw_dir"] == "../data/raw" and params["seed"] == 3 and params["ids"] is None
    assert params["x"] is not None and params["x"] != 1


def test_only_differing_declared_parameters_are_injected(tmp_path):
    nb = _nb_with_parameters('raw_dir = "../data/raw"\nseed = 0\nk = 5\nx = len("a")')
    cwd = tmp_path / "notebooks"
    same = {"raw_dir": tmp_path / "data" / "raw", "seed": 0, "other": 1}
    assert parameters_to_inject(nb, same, cwd) == {}
    changed = {"raw_dir": tmp_path / "elsewhere", "seed": 1, "k": 5.0, "x": 1}
    assert parameters_to_inject(nb, changed, cwd) == {
        "k": 5.0, "raw_dir": str(tmp_path / "elsewhere"), "seed": 1, "x": 1,
    }


def test_invalid_parameters_cell_is_input_error():
    with pytest.raises(InputError, match="nb.ipynb: parameters cell"):
        notebook_parameters(_nb_with_parameters("seed = = 1"), "nb.ipynb")


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
    nb = files.normalize_notebook(_executed_like_notebook(), "01_corpus")
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
    once = files.normalize_notebook(original, "x")
    assert "papermill" in original.metadata and original.cells[1].id == "a1b2c3d4"
    assert files.notebook_bytes(files.normalize_notebook(once, "x")) == (
        files.notebook_bytes(once)
    )


def test_notebook_bytes_are_jupyter_json_with_final_newline():
    data = files.notebook_bytes(files.normalize_notebook(_executed_like_notebook(), "x"))
    assert data.endswith(b"}\n") and data.startswith(b'{\n "cells": [\n')
    assert nbformat.reads(data.decode(), as_version=4).cells[0].id == "x-0"


# --------------------------------------------------------------------------- restore


def test_error_message_names_notebook_cell_and_kept_copy(tmp_path):
    failure = execute.NotebookFailure("02_framing", 4, 3, "KeyError", "'label'",
                                      "counts = table['label']", tmp_path / "02_framing.ipynb")
    error = execute.NotebookExecutionError([failure], ["05_synthesis"])
    text = str(error)
    assert "notebook 02_framing failed at cell 4 (In [3]): KeyError: 'label'" in text
    assert "counts = table['label']" in text and str(tmp_path / "02_framing.ipynb") in text
    assert "not run because of the failure: 05_synthesis" in text
    assert (error.notebook, error.cell_index, error.ename) == ("02_framing", 4, "KeyError")


# --------------------------------------------------------------------------- execution


def test_kernel_spec_pins_the_environment_for_this_interpreter(tmp_path):
    path = kernel.install_kernel(tmp_path)
    assert path == tmp_path / "share" / "jupyter" / "kernels" / KERNEL_NAME / "kernel.json"
    spec = json.loads(path.read_text("utf-8"))
    assert spec["env"] == kernel.KERNEL_ENV and spec["argv"][0] == sys.executable
    first = path.read_bytes()
    assert kernel.install_kernel(tmp_path).read_bytes() == first


def test_kernels_stop_without_noise_on_the_runs_stderr(project, tmp_path, capfd):
    # jupyter_client interrupts a kernel before shutting it down; the idle kernel's
    # "KeyboardInterrupt caught in kernel" must not reach the run's output.
    run_project(project["nb_dir"], tmp_path / "out", tmp_path / "failed",
                parameters=project["parameters"])
    err = capfd.readouterr().err
    assert "done in" in err and "KeyboardInterrupt" not in err
    # Announced in order: the notebooks start in number order, and each ending says how
    # many have ended, whichever notebook it is.
    lines = [line for line in err.splitlines() if line.startswith(("notebooks:", "["))]
    assert re.fullmatch(r"notebooks: 3 to run, [12] at a time", lines[0])
    started = [line for line in lines if line.endswith(": started")]
    assert started == ["[1/3] 01_env: started", "[2/3] 02_double: started",
                       "[3/3] 03_increment: started"]
    ended = [re.search(r"\((\d) of 3 done\)$", line) for line in lines if "done in" in line]
    assert [int(match.group(1)) for match in ended] == [1, 2, 3]


def test_run_executes_every_notebook_with_pinned_kernel(project):
    nb_dir = project["nb_dir"]
    assert project["executed"] == [nb_dir / "01_env.ipynb", nb_dir / "02_double.ipynb",
                                   nb_dir / "03_increment.ipynb"]
    assert code_outputs(nb_dir / "01_env.ipynb")[2:] == ["0 Agg 1 notebooks\n", "'41'"]
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
    # Nothing is left behind: no failed copies, nothing beside the notebooks.
    root = project["root"]
    assert sorted(p.name for p in root.iterdir()) == ["notebooks", "work"]


def test_failing_notebook_is_named_kept_and_stops_the_rest(project, tmp_path):
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(project["nb_dir"], nb_dir)
    make_notebook(nb_dir / "00_fail.ipynb", ["x = 1", "1 / 0", "print('never')"],
                  parameters='work_dir = "../work"')
    failed = tmp_path / "failed"
    with pytest.raises(execute.NotebookExecutionError) as caught:
        run_project(nb_dir, tmp_path / "out", failed, parameters=project["parameters"],
                    workers=1)
    error = caught.value
    assert (error.notebook, error.cell_index, error.ename) == ("00_fail", 3, "ZeroDivisionError")
    assert error.failures[0].execution_count == 4 and error.failures[0].source_line == "1 / 0"
    assert "notebook 00_fail failed at cell 3 (In [4]): ZeroDivisionError" in str(error)
    # One worker: the failure stops every notebook not yet started.
    assert error.not_run == ["01_env", "02_double", "03_increment"]
    assert error.failures[0].kept == failed / "00_fail.ipynb"
    assert code_outputs(failed / "00_fail.ipynb")[-2:] == ["ZeroDivisionError", ""]
    # Only papermill's copy of the failed notebook is in the (staging) output folder.
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["00_fail.ipynb"]


def test_staged_inputs_are_read_and_the_final_folders_shown(project, tmp_path):
    staged, final = tmp_path / "staged-work", tmp_path / "work"
    staged.mkdir()
    (staged / "value.txt").write_text("1")
    out = tmp_path / "out"
    executed = execute.run_notebooks(
        [project["nb_dir"] / "02_double.ipynb"], out, tmp_path / "failed",
        parameters={"work_dir": staged, "seed": 0}, shown={"work_dir": final})
    assert executed == [out / "02_double.ipynb"]
    nb = nbformat.read(executed[0], as_version=4)
    injected = nb.cells[2]
    assert injected.metadata.tags == ["injected-parameters"]
    assert injected.source == f'# Parameters\nwork_dir = "{final}"'
    assert code_outputs(executed[0])[3] == "2\n"
    assert str(staged) not in executed[0].read_text("utf-8")


# --------------------------------------------------------------------------- HTML + nbval


@pytest.fixture(scope="module")
def report_notebook(tmp_path_factory):
    """An executed notebook with article-like text in a table and a figure."""
    root = tmp_path_factory.mktemp("report")
    make_notebook(root / "notebooks" / "01_report.ipynb", [
        ("md", "Some **analysis**."),
        "import matplotlib.pyplot as plt\nimport pandas as pd\n"
        "from analysis.views import plotting\nplotting.use_style()",
        'table = pd.DataFrame({"text": ["<script>alert(1)</script>", "A & B"], "n": [1, 2]})\n'
        "table",
        "plotting.show_table(table)",
        "from IPython.display import HTML, Markdown\n"
        "display(Markdown('**A** <img src=x onerror=alert(2)>'), HTML('<b>fine</b>'))",
        "fig, ax = plt.subplots()\nax.bar(['a', 'b'], [1, 2])\n"
        "plotting.show_figure(fig, Path(figures_dir) / 'bars')",
    ], parameters='from pathlib import Path\nfigures_dir = "../figures"')
    staging = root / "staging"
    staged = execute.run_notebooks(files.discover_notebooks(root / "notebooks"), staging,
                                   root / "failed", cwd=root / "notebooks",
                                   parameters={"figures_dir": root / "figures"})
    staged_pages = [pages.render_page(path, folder=root / "notebooks") for path in staged]
    executed = [shutil.copy2(path, root / "notebooks" / path.name) for path in staged]
    return root, [Path(path) for path in executed], staged_pages


def test_html_embeds_figures_escapes_text_and_is_byte_stable(report_notebook, tmp_path):
    root, executed, staged_pages = report_notebook
    index = pages.write_html([pages.render_page(p) for p in executed], tmp_path / "a")
    pages.write_html([pages.render_page(p) for p in executed], tmp_path / "b")
    pages.write_html(staged_pages, tmp_path / "from_staging")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "from_staging")
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
    assert pages.defuse_outputs(nb) == [1, 2]
    assert [sorted(o.data) for o in nb.cells[1].outputs] == [
        ["text/html", "text/plain"], ["text/plain"], ["text/markdown"],
    ]
    assert nb.cells[2].outputs[0].data == {"text/plain": "<b onclick=x>b</b>"}


def test_index_titles_are_escaped(tmp_path):
    path = make_notebook(tmp_path / "01_x.ipynb", [])
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "Intro\n\n## <b>Bold</b> & co ##\n"
    nbformat.write(nb, path)
    index = pages.write_html([pages.render_page(path)], tmp_path / "html")
    index = index.read_text("utf-8")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co</a>" in index


def test_executed_notebook_passes_nbval_strict(report_notebook):
    _, executed, _ = report_notebook
    env = dict(os.environ)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(executed[0]), "--nbval-sanitize-with",
         str(SANITIZE_CFG), "-p", "no:cacheprovider", "-q", "--rootdir", str(executed[0].parent)],
        capture_output=True, text=True, env=env, cwd=executed[0].parent, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


def test_a_failing_callback_stops_the_run_and_is_raised(project, tmp_path):
    seen = []

    def fail_first(path):
        seen.append(path.name)
        raise RuntimeError(f"cannot render {path.name}")

    with pytest.raises(RuntimeError, match="cannot render 01_env.ipynb"):
        run_project(project["nb_dir"], tmp_path / "out", tmp_path / "failed",
                    parameters=project["parameters"], workers=1, on_executed=fail_first)
    assert seen == ["01_env.ipynb"]  # the later notebooks were not started
