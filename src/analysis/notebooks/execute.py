"""Execute the analysis notebooks: pinned kernel, byte-stable outputs, HTML.

The notebooks in ``notebooks/`` are named ``NN_name.ipynb`` and committed with their
outputs; ``python -m analysis run`` must reproduce them byte for byte. Notebooks only
read the processed tables and write figures, so none depends on another: the runner
executes them side by side in number order. This module:

* finds them (:func:`discover_notebooks`);
* executes them with papermill (:func:`run_notebooks`, :func:`execute_notebook`).
  Kernels are the project kernel (:mod:`analysis.notebooks.kernel`, its pinned environment in its
  spec), the kernel's working folder being given by the caller, so that the relative
  default paths of the ``parameters`` cell (``"../data/processed"``) mean the folders it lays out. A
  parameter is injected only where its value differs from the notebook's default: the
  default run injects nothing, so its output equals the committed notebook.
* normalises outputs (:func:`normalize_notebook`): no timings, no papermill bookkeeping,
  cell ids derived from notebook name and position, consecutive stream outputs merged.
* renders HTML (:func:`render_page`, :func:`write_html`).

Writing the executed notebooks, figures and pages into place, all or nothing, is the
caller's (:func:`analysis.pipeline.build.run_all`). A failure raises
:class:`NotebookExecutionError` naming notebook and cell; the failed executed notebook is
kept under ``<reports>/runs/failed/``.

Notebook conventions: one cell tagged ``parameters`` holding plain assignments of
literals, which choose what the notebook shows (parameters that change data belong to
the build's steps, ``params.yaml``).
"""

from __future__ import annotations

import ast
import functools
import html
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from analysis.errors import InputError
from analysis.notebooks.kernel import KERNEL_NAME
from analysis.data.tables import write_bytes_atomic

NOTEBOOK_PATTERN = re.compile(r"^(?P<number>\d+)_[A-Za-z0-9_-]+\.ipynb$")
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
FAILED_SUBDIR = Path("runs") / "failed"

# Object reprs such as "<function f at 0x7f3a...>" carry a memory address that changes
# on every run; it is pinned so that such an output cannot make a rerun differ. Same
# pattern as tests/nbval_sanitize.cfg.
_ADDRESS = re.compile(r"(?<=\bat )0x[0-9a-fA-F]+")
_PINNED_ADDRESS = "0x0"
_NOT_LITERAL = object()


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class NotebookFailure:
    """Where and how one notebook failed.

    Attributes
    ----------
    notebook : str
        Notebook name (file stem), or the run label in a sweep.
    cell_index : int or None
        0-based index of the failing cell in the source notebook (all cell types
        counted), None if it is not known (e.g. the kernel did not start).
    execution_count : int or None
        The ``In [n]`` number of the failing cell in the executed notebook.
    ename, evalue : str
        Exception name and message.
    source_line : str
        First line of the failing cell's source.
    kept : Path or None
        The executed notebook kept for inspection, with the traceback in place.
    """

    notebook: str
    cell_index: int | None
    execution_count: int | None
    ename: str
    evalue: str
    source_line: str = ""
    kept: Path | None = None

    def describe(self) -> str:
        where = "" if self.cell_index is None else f" at cell {self.cell_index}"
        if self.execution_count is not None:
            where += f" (In [{self.execution_count}])"
        lines = [f"notebook {self.notebook} failed{where}: {self.ename}: {self.evalue}"]
        if self.source_line:
            lines.append(f"  cell starts: {self.source_line}")
        if self.kept is not None:
            lines.append(f"  executed notebook kept at {self.kept}")
        return "\n".join(lines)


class NotebookExecutionError(RuntimeError):
    """One or more notebooks failed; nothing of the run was moved into place.

    Parameters
    ----------
    failures : list of NotebookFailure
        The failed notebooks, in execution order.
    not_run : list of str
        Notebooks that were not started because an earlier one failed.

    Attributes
    ----------
    notebook, cell_index, ename, evalue
        Those of the first failure, for callers that report one line.
    """

    def __init__(self, failures: Sequence[NotebookFailure], not_run: Sequence[str] = ()):
        self.failures = list(failures)
        self.not_run = list(not_run)
        first = self.failures[0]
        self.notebook, self.cell_index = first.notebook, first.cell_index
        self.ename, self.evalue = first.ename, first.evalue
        lines = [failure.describe() for failure in self.failures]
        if self.not_run:
            lines.append(f"not run because of the failure: {', '.join(self.not_run)}")
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------- discovery


def discover_notebooks(notebooks_dir: str | os.PathLike) -> list[Path]:
    """The ``NN_name.ipynb`` notebooks of a folder, by number then name.

    Files not matching the pattern (scratch notebooks, checkpoints) are left out.
    """
    notebooks_dir = Path(notebooks_dir)
    if not notebooks_dir.is_dir():
        raise InputError([f"{notebooks_dir}: notebooks folder not found"])
    found = [p for p in notebooks_dir.iterdir() if p.is_file() and NOTEBOOK_PATTERN.match(p.name)]
    return sorted(found, key=lambda p: (_number(p), p.name))


def _number(path: Path) -> int:
    return int(NOTEBOOK_PATTERN.match(path.name).group("number"))


def read_notebook(path: str | os.PathLike):
    """Read a notebook as nbformat v4; a file that is not one is an :class:`InputError`."""
    import nbformat

    try:
        return nbformat.read(os.fspath(path), as_version=4)
    except (OSError, ValueError) as error:
        raise InputError([f"{path}: not a readable notebook ({error})"]) from None


def notebook_parameters(nb, where: str = "notebook") -> dict[str, object]:
    """Parameter names and default values of the notebook's ``parameters`` cell.

    Defaults that are not Python literals are returned as an opaque marker, so that
    any value passed for them is injected. ``where`` names the notebook in errors.

    Raises
    ------
    analysis.errors.InputError
        If the parameters cell is not valid Python.
    """
    cell = next((c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", [])), None)
    if cell is None:
        return {}
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as error:
        raise InputError([f"{where}: parameters cell is not valid Python ({error})"]) from None
    parameters = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target = node.target
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                parameters[target.id] = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError):
                parameters[target.id] = _NOT_LITERAL
    return parameters


def parameters_to_inject(
    nb, parameters: Mapping[str, object], cwd: str | os.PathLike, where: str = "notebook"
) -> dict:
    """The subset of ``parameters`` that differs from the notebook's defaults.

    Only parameters the notebook declares are considered. A path-like value equals a
    string default when both name the same location, the default taken relative to
    ``cwd`` (the executed notebook's folder); other values must equal the default in
    type and value. Pass folders as :class:`pathlib.Path` so they are compared as paths.

    Returns
    -------
    dict
        Parameter name to value as papermill should inject it (paths absolute strings).
    """
    defaults = notebook_parameters(nb, where)
    inject = {}
    for name, value in sorted(parameters.items()):
        if name not in defaults or _equals_default(value, defaults[name], Path(cwd)):
            continue
        inject[name] = _injectable(value)
    return inject


def _equals_default(value, default, cwd: Path) -> bool:
    if isinstance(value, os.PathLike):
        return isinstance(default, str) and (cwd / default).resolve() == Path(value).resolve()
    return type(value) is type(default) and value == default


def _injectable(value):
    if isinstance(value, os.PathLike):
        return os.path.abspath(value)
    if isinstance(value, tuple):
        return [_injectable(v) for v in value]
    return value


# --------------------------------------------------------------------------- normalisation


def normalize_notebook(nb, name: str | None = None):
    """A copy of an executed notebook with everything volatile removed; outputs kept.

    Removes papermill metadata (timings, paths, status) from notebook and cells,
    nbclient ``execution`` timings, the Python patch version in ``language_info`` and
    empty ``tags`` lists; sets cell ids to ``<name>-<index>``; merges consecutive stream
    outputs of the same stream (the kernel splits them at arbitrary points); pins memory
    addresses in object reprs to ``0x0``. Applying it twice changes nothing.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An nbformat v4 notebook.
    name : str, optional
        Notebook name for the cell ids, e.g. ``"01_corpus"``; ``"cell"`` if omitted.
    """
    import nbformat

    nb = nbformat.from_dict(nb)
    nb.nbformat_minor = max(nb.get("nbformat_minor", 0), 5)
    nb.metadata.pop("papermill", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", name or "cell")[:56]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{prefix}-{index}"
        for key in ("papermill", "execution"):
            cell.metadata.pop(key, None)
        if not cell.metadata.get("tags", True):
            del cell.metadata["tags"]
        if cell.cell_type == "code":
            cell.outputs = [_pin_addresses(o) for o in _merge_streams(cell.outputs)]
    return nb


def _merge_streams(outputs):
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text = _text(previous.text) + _text(output.text)
        else:
            merged.append(output)
    return merged


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def _pin_addresses(output):
    if output.output_type == "stream":
        output.text = _ADDRESS.sub(_PINNED_ADDRESS, _text(output.text))
    for mime in ("text/plain", "text/html"):
        if mime in output.get("data", {}):
            output.data[mime] = _ADDRESS.sub(_PINNED_ADDRESS, _text(output.data[mime]))
    return output


def notebook_bytes(nb) -> bytes:
    """Serialise like Jupyter does (sorted keys, one-space indent) plus a final newline."""
    import nbformat

    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def write_notebook(nb, path: str | os.PathLike) -> Path:
    """Write ``nb`` atomically with :func:`notebook_bytes`; return the path."""
    return write_bytes_atomic(path, notebook_bytes(nb))


# --------------------------------------------------------------------------- execution


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def execute_notebook(
    source: str | os.PathLike,
    output: str | os.PathLike,
    parameters: Mapping[str, object] | None = None,
    cwd: str | os.PathLike | None = None,
    name: str | None = None,
    timeout: int | None = None,
    shown: Mapping[str, object] | None = None,
) -> Path:
    """Execute one notebook with papermill and write it, normalised, to ``output``.

    Parameters
    ----------
    source : path-like
        The notebook to run; it is read, never written.
    output : path-like
        Where the executed notebook goes. When a cell raises, papermill's own copy
        (traceback in place, error banner on top) is left there; when the kernel dies
        or a cell times out there is no copy, only the report naming the cell.
    parameters : mapping, optional
        Candidate parameters; see :func:`parameters_to_inject` for which are injected.
    cwd : path-like, optional
        Kernel working folder, default the folder of ``output``.
    name : str, optional
        Name for cell ids and messages, default the stem of ``source``.
    timeout : int, optional
        Seconds a single cell may run; default no limit.
    shown : mapping, optional
        Values the injected-parameters cell shows instead of the injected ones, for
        the same names: a run that reads staged folders shows the folders the outputs
        are published to, so the executed notebook can be rerun where it lands.

    Returns
    -------
    Path
        ``output``.

    Raises
    ------
    NotebookExecutionError
        With one :class:`NotebookFailure` if a cell fails, the kernel dies or a cell
        times out.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source, output = Path(source), Path(output).absolute()
    cwd = Path(cwd).absolute() if cwd is not None else output.parent
    name = name or source.stem
    nb = read_notebook(source)
    # A stale injected cell (someone ran papermill by hand) must not run again.
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.metadata.get("tags", [])]
    inject = parameters_to_inject(nb, parameters or {}, cwd, where=str(source))
    injected_at = _injected_index(nb) if inject else None
    output.parent.mkdir(parents=True, exist_ok=True)
    cwd.mkdir(parents=True, exist_ok=True)
    started: list[int] = []

    def on_cell_start(cell, cell_index: int) -> None:
        started.append(cell_index)

    try:
        executed = papermill.execute_notebook(
            nb, str(output), parameters=inject or None, kernel_name=KERNEL_NAME,
            progress_bar=False, cwd=None, execution_timeout=timeout,
            # Set the kernel's folder through nbclient, not os.chdir: notebooks run in threads.
            resources={"metadata": {"path": str(cwd)}},
            record_timing=False,
            # Saving after every cell re-validates the whole notebook each time; record
            # only which cell started, to name it if the kernel dies.
            request_save_on_cell_execute=False,
            on_cell_start=on_cell_start,
        )
    except PapermillExecutionError as error:
        raise NotebookExecutionError([NotebookFailure(
            notebook=name, cell_index=_source_index(error.cell_index, injected_at),
            execution_count=error.exec_count, ename=error.ename, evalue=error.evalue,
            source_line=_first_line(error.source), kept=output if output.is_file() else None,
        )]) from None
    except Exception as error:  # kernel died, timed out or never started
        index = started[-1] if started else None
        raise NotebookExecutionError([NotebookFailure(
            notebook=name, cell_index=_source_index(index, injected_at), execution_count=None,
            ename=type(error).__name__, evalue=_first_line(str(error)),
        )]) from None
    executed = normalize_notebook(executed, name)
    if inject and shown:
        _show_parameters(executed, {**inject, **{k: _injectable(v) for k, v in shown.items()
                                                 if k in inject}})
    noisy = [_source_index(i, injected_at) for i, cell in enumerate(executed.cells)
             if any(o.get("name") == "stderr" for o in cell.get("outputs", []))]
    if noisy:
        _progress(f"{name}: warning: cells {noisy} write to stderr; warnings carry machine "
                  "paths and versions, so silence or fix them in the notebook")
    return write_notebook(executed, output)


def _show_parameters(nb, values: Mapping[str, object]) -> None:
    """Rewrite the injected-parameters cell of an executed notebook to show ``values``."""
    from papermill.translators import translate_parameters

    for cell in nb.cells:
        if INJECTED_TAG in cell.metadata.get("tags", []):
            cell.source = translate_parameters(KERNEL_NAME, "python", values).rstrip("\n")


def _injected_index(nb) -> int:
    tagged = [i for i, c in enumerate(nb.cells) if PARAMETERS_TAG in c.metadata.get("tags", [])]
    return tagged[0] + 1 if tagged else 0


def _source_index(index: int | None, injected_at: int | None) -> int | None:
    if index is None or injected_at is None or index < injected_at:
        return index
    return None if index == injected_at else index - 1


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def run_notebooks(
    paths: Sequence[str | os.PathLike],
    output_dir: str | os.PathLike,
    failed_dir: str | os.PathLike,
    cwd: str | os.PathLike | None = None,
    parameters: Mapping[str, object] | None = None,
    shown: Mapping[str, object] | None = None,
    workers: int | None = None,
    timeout: int | None = None,
    on_executed: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Execute notebooks side by side into ``output_dir``; stop starting after a failure.

    Parameters
    ----------
    paths : sequence of path-like
        The source notebooks (:func:`discover_notebooks`), run in this order as workers
        free up.
    output_dir : path-like
        Where the executed notebooks are written, ``<name>.ipynb`` (a staging folder:
        publishing them is the caller's).
    failed_dir : path-like
        Where a failed executed notebook is kept for inspection.
    cwd : path-like, optional
        The kernels' working folder, against which the notebooks' relative default
        paths resolve; default ``output_dir``.
    parameters, shown : mapping, optional
        As for :func:`execute_notebook`.
    workers : int, optional
        Notebooks run side by side; default ``min(2, cores)``.
    timeout : int, optional
        Seconds a single cell may run; default no limit.
    on_executed : callable, optional
        Called with each executed notebook's path, in its worker thread, as soon as it
        has run (e.g. to render its page while others still run). An exception there
        stops the run like a failed notebook and is raised as it is.

    Returns
    -------
    list of Path
        The executed notebooks, in the order of ``paths``.

    Raises
    ------
    NotebookExecutionError
        Naming every failed notebook and cell, and those not started.
    """
    paths = [Path(p) for p in paths]
    output_dir, failed_dir = Path(output_dir), Path(failed_dir)
    total, failures, not_run = len(paths), {}, []
    stop = threading.Event()

    def run_one(position: int, path: Path) -> None:
        if stop.is_set():
            not_run.append(path.stem)
            return
        _progress(f"[{position}/{total}] {path.stem}: started")
        start = time.perf_counter()
        try:
            execute_notebook(path, output_dir / path.name, parameters, cwd=cwd or output_dir,
                             timeout=timeout, shown=shown)
            if on_executed is not None:
                on_executed(output_dir / path.name)
        except BaseException as error:
            stop.set()
            if not isinstance(error, NotebookExecutionError):
                raise
            failures[path.stem] = _keep(error.failures[0], failed_dir)
            _progress(f"[{position}/{total}] {path.stem}: FAILED\n"
                      f"{failures[path.stem].describe()}")
            return
        _progress(f"[{position}/{total}] {path.stem}: done in "
                  f"{time.perf_counter() - start:.1f} s")

    with ThreadPoolExecutor(max_workers=workers or _default_workers()) as pool:
        for future in [pool.submit(run_one, i, p) for i, p in enumerate(paths, start=1)]:
            future.result()
    if failures:
        names = [p.stem for p in paths]
        raise NotebookExecutionError([failures[n] for n in names if n in failures],
                                     [n for n in names if n in not_run])
    for path in paths:
        (failed_dir / path.name).unlink(missing_ok=True)
    return [output_dir / path.name for path in paths]


def _keep(failure: NotebookFailure, failed_dir: Path) -> NotebookFailure:
    """Copy the failed executed notebook out of staging before staging is removed."""
    if failure.kept is None:
        return failure
    kept = write_bytes_atomic(failed_dir / f"{failure.notebook}.ipynb", failure.kept.read_bytes())
    return replace(failure, kept=kept)
