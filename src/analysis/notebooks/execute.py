"""Execute the analysis notebooks side by side with papermill on the project kernel.

Notebooks only read the processed tables and write figures, so none depends on
another: :func:`run_notebooks` executes them side by side in number order, and
:func:`execute_notebook` runs one. Kernels are the project kernel
(:mod:`analysis.notebooks.kernel`, its pinned environment in its spec), the kernel's
working folder being given by the caller, so that the relative default paths of the
``parameters`` cell (``"../data/processed"``) mean the folders it lays out. Only
parameters that differ from the notebook's defaults are injected
(:mod:`analysis.notebooks.parameters`), and each executed notebook is normalised and
written byte-stable (:mod:`analysis.notebooks.files`).

Writing the executed notebooks, figures and pages into place, all or nothing, is the
caller's (:func:`analysis.pipeline.build.run_all`). A failure raises
:class:`NotebookExecutionError` naming notebook and cell; the failed executed notebook is
kept under ``<reports>/runs/failed/``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from analysis.data.tables import write_bytes_atomic
from analysis.notebooks.files import normalize_notebook, read_notebook, write_notebook
from analysis.notebooks.kernel import KERNEL_NAME
from analysis.notebooks.parameters import PARAMETERS_TAG, injectable, parameters_to_inject
from analysis.progress import say

INJECTED_TAG = "injected-parameters"
FAILED_SUBDIR = Path("runs") / "failed"


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


# --------------------------------------------------------------------------- execution


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
        _show_parameters(executed, {**inject, **{k: injectable(v) for k, v in shown.items()
                                                 if k in inject}})
    noisy = [_source_index(i, injected_at) for i, cell in enumerate(executed.cells)
             if any(o.get("name") == "stderr" for o in cell.get("outputs", []))]
    if noisy:
        say(f"{name}: warning: cells {noisy} write to stderr; warnings carry machine "
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
    workers = workers or _default_workers()
    # Notebooks start in number order, each announced before the next may start; they
    # end in any order, so an ending says how many have ended.
    turn, ended = threading.Condition(), []
    next_to_start = [1]
    say(f"notebooks: {total} to run, {min(workers, total)} at a time")

    def run_one(position: int, path: Path) -> None:
        with turn:
            turn.wait_for(lambda: next_to_start[0] == position)
            skipped = stop.is_set()
            if skipped:
                not_run.append(path.stem)
            else:
                say(f"[{position}/{total}] {path.stem}: started")
            next_to_start[0] += 1
            turn.notify_all()
        if skipped:
            return
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
            say(f"[{position}/{total}] {path.stem}: FAILED\n"
                f"{failures[path.stem].describe()}")
            return
        with turn:
            ended.append(path.stem)
            say(f"[{position}/{total}] {path.stem}: done in {time.perf_counter() - start:.1f} s"
                f" ({len(ended)} of {total} done)")

    with ThreadPoolExecutor(max_workers=workers) as pool:
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
