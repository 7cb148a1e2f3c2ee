"""Execute the analysis notebooks: dependency order, pinned kernel, byte-stable outputs.

The notebooks in ``notebooks/`` are named ``NN_name.ipynb`` and committed with their
outputs; ``python -m analysis run`` must reproduce them byte for byte. This module:

* finds them (:func:`discover_notebooks`) and orders them (:func:`execution_order`):
  a notebook lists the notebooks it needs in its metadata, ``{"analysis":
  {"depends_on": ["01_corpus"]}}``; without that entry it depends on every
  lower-numbered notebook, so a new notebook needs no code change and is safe by
  default. Dependencies on notebooks that are not part of a run are ignored.
* executes them with papermill (:func:`run_notebooks`), independent ones side by side,
  the chain that the others wait for first; a worker that would sit idle starts the
  next notebook early, whose kernel then runs its prelude (parameters and imports,
  :func:`is_prelude`) while the notebooks or tables it needs are still being made.
  Kernels are ``python3`` with a pinned environment (:data:`KERNEL_ENV`), the kernel's
  working folder being the folder of the executed notebook, so that the relative
  default paths of the ``parameters`` cell (``"../data/raw"``) mean the checkout.
  A parameter is injected only where its value differs from the notebook's default:
  the default run injects nothing, so its output equals the committed notebook.
* normalises outputs (:func:`normalize_notebook`): no timings, no papermill bookkeeping,
  cell ids derived from notebook name and position, consecutive stream outputs merged.
* stages everything and moves it into place only when every notebook succeeded; a
  failure raises :class:`NotebookExecutionError` naming notebook and cell, and the
  failed executed notebook is kept under ``<reports>/runs/failed/``.
* renders HTML (:func:`render_html`) and runs parameter sweeps (:func:`sweep_notebook`).

Notebook conventions: one cell tagged ``parameters`` holding plain assignments of
literals; imports in cells of their own, before the first cell that reads data (they
then run while the tables are built); a notebook that can be swept declares
``run_output = None`` and, when it is set, writes its result table there as CSV.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import html
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path

from analysis.errors import InputError
from analysis.tables import FLOAT_DECIMALS, staged_directory, write_bytes_atomic

NOTEBOOK_PATTERN = re.compile(r"^(?P<number>\d+)_[A-Za-z0-9_-]+\.ipynb$")
KERNEL_NAME = "python3"
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
RUN_OUTPUT = "run_output"
FIGURES_DIR = "figures_dir"
FAILED_SUBDIR = Path("runs") / "failed"
# Wall times of the last run, under <reports>/, which git ignores: machine-specific.
DURATIONS_FILE = Path("runs") / "durations.json"

# Every kernel starts with these, whatever the caller's environment: string hashing and
# the matplotlib backend are fixed, and native thread pools use one thread, so that two
# notebooks side by side do not oversubscribe the cores and float reductions are summed
# in the same order on every machine. nbval's kernels inherit the environment of
# `make test`, so the Makefile must export the same values.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

# Object reprs such as "<function f at 0x7f3a...>" carry a memory address that changes
# on every run; it is pinned so that such an output cannot make a rerun differ. Same
# pattern as tests/nbval_sanitize.cfg.
_ADDRESS = re.compile(r"(?<=\bat )0x[0-9a-fA-F]+")
_PINNED_ADDRESS = "0x0"
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*$", re.MULTILINE)
# Output markup that would run in a reader's browser: scripts, embedded frames, event
# handler attributes, javascript: links. Escaped pandas tables never contain these.
_ACTIVE_HTML = re.compile(
    r"<\s*(?:script|iframe|object|embed|form)\b|<[^>]*\son\w+\s*=|javascript:", re.IGNORECASE
)
_RAW_TAG = re.compile(r"<\s*[A-Za-z!/]")
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


class InputsUnavailable(RuntimeError):
    """The notebooks' input tables could not be made; the run stopped before using them."""


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


def notebook_dependencies(paths: Sequence[str | os.PathLike]) -> dict[str, tuple[str, ...]]:
    """Each notebook's dependencies, by notebook name (file stem).

    A notebook's ``metadata.analysis.depends_on`` (a list of names) wins; without it a
    notebook depends on every lower-numbered notebook among ``paths``.

    Raises
    ------
    analysis.errors.InputError
        If a declared dependency is not among ``paths`` or ``depends_on`` is not a list.
    """
    paths = [Path(p) for p in paths]
    names = {p.stem for p in paths}
    problems, dependencies = [], {}
    for path in paths:
        declared = read_notebook(path).metadata.get("analysis", {}).get("depends_on")
        if declared is None:
            dependencies[path.stem] = tuple(
                sorted(p.stem for p in paths if _number(p) < _number(path))
            )
            continue
        if not isinstance(declared, list) or not all(isinstance(d, str) for d in declared):
            problems.append(f"{path}: metadata analysis.depends_on must be a list of names")
            continue
        unknown = sorted(set(declared) - names)
        if unknown:
            problems.append(f"{path}: depends on unknown notebooks {unknown}")
        dependencies[path.stem] = tuple(sorted(set(declared)))
    if problems:
        raise InputError(problems)
    return dependencies


def execution_order(dependencies: Mapping[str, Sequence[str]]) -> list[str]:
    """Topological order of notebooks; ties broken by name, so the order is stable.

    Parameters
    ----------
    dependencies : mapping of str to sequence of str
        Notebook name to the names it needs. Names that are not keys are ignored
        (notebooks outside this run).

    Raises
    ------
    analysis.errors.InputError
        If the dependencies form a cycle.
    """
    needs = {name: {d for d in deps if d in dependencies} for name, deps in dependencies.items()}
    order: list[str] = []
    while needs:
        ready = sorted(name for name, deps in needs.items() if not deps)
        if not ready:
            raise InputError([f"notebook dependencies form a cycle among {sorted(needs)}"])
        order += ready
        for name in ready:
            del needs[name]
        for deps in needs.values():
            deps.difference_update(ready)
    return order


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


def is_prelude(cell) -> bool:
    """Whether a cell may run before the notebook's input tables exist.

    Prelude cells are code cells made only of imports and of assignments of literal
    values (the ``parameters`` cell, the injected parameters, import cells); Markdown
    cells are prelude too. Any other statement may read data, so it is not.
    """
    if cell.cell_type != "code":
        return True
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return False
    return all(
        isinstance(statement, ast.Import | ast.ImportFrom)
        or (isinstance(statement, ast.Assign | ast.AnnAssign) and _is_literal(statement.value))
        for statement in tree.body
    )


def _is_literal(node: ast.expr | None) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return False
    return True


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


@functools.cache
def _kernel_manager_class():
    import zmq
    from jupyter_client import AsyncKernelManager

    class PinnedKernelManager(AsyncKernelManager):
        """Starts the kernel with :data:`KERNEL_ENV` over the caller's environment."""

        async def start_kernel(self, **kw):
            kw["env"] = {**os.environ, **kw.get("env", {}), **KERNEL_ENV}
            if zmq.has("curve"):
                # Encrypt the local kernel channels when the kernel supports it.
                kw.setdefault("transport_encryption", "auto")
            return await super().start_kernel(**kw)

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts every kernel before it asks it to shut down, and
            # an idle ipykernel answers with "KeyboardInterrupt caught in kernel" on the
            # run's stderr. Ours are shut down after their last cell, or after a failure;
            # a busy kernel still gets the shutdown request and, failing that, a kill.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return PinnedKernelManager


def execute_notebook(
    source: str | os.PathLike,
    output: str | os.PathLike,
    parameters: Mapping[str, object] | None = None,
    cwd: str | os.PathLike | None = None,
    name: str | None = None,
    timeout: int | None = None,
    before_body: Callable[[], None] | None = None,
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
    before_body : callable, optional
        Called (in this thread) before the first cell that is not :func:`is_prelude`,
        e.g. to wait until the input tables are built while the kernel starts and runs
        the imports. If it raises :class:`InputsUnavailable`, the execution ends and
        that exception is raised as is.

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
    gate = [before_body] if before_body is not None else []

    def on_cell_start(cell, cell_index: int) -> None:
        started.append(cell_index)
        if gate and not is_prelude(cell):
            gate.pop()()

    try:
        executed = papermill.execute_notebook(
            nb, str(output), parameters=inject or None, kernel_name=KERNEL_NAME,
            progress_bar=False, cwd=None, execution_timeout=timeout,
            # Set the kernel's folder through nbclient, not os.chdir: notebooks run in threads.
            resources={"metadata": {"path": str(cwd)}},
            kernel_manager_class=_kernel_manager_class(), record_timing=False,
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
    except InputsUnavailable:
        raise
    except Exception as error:  # kernel died, timed out or never started
        index = started[-1] if started else None
        raise NotebookExecutionError([NotebookFailure(
            notebook=name, cell_index=_source_index(index, injected_at), execution_count=None,
            ename=type(error).__name__, evalue=_first_line(str(error)),
        )]) from None
    executed = normalize_notebook(executed, name)
    noisy = [_source_index(i, injected_at) for i, cell in enumerate(executed.cells)
             if any(o.get("name") == "stderr" for o in cell.get("outputs", []))]
    if noisy:
        _progress(f"{name}: warning: cells {noisy} write to stderr; warnings carry machine "
                  "paths and versions, so silence or fix them in the notebook")
    return write_notebook(executed, output)


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


class _DependencyFailed(InputsUnavailable):
    """A job started early gave up: a job it waits for failed."""


def _run_in_order(
    names: Sequence[str],
    dependencies: Mapping[str, Sequence[str]],
    run_one: Callable[[str, Callable[[], None]], None],
    workers: int,
    expected: Mapping[str, float] | None = None,
    measured: dict[str, float] | None = None,
) -> tuple[list[NotebookFailure], list[str]]:
    """Run jobs side by side as their dependencies allow; stop starting jobs after a failure.

    ``run_one(name, wait_for_dependencies)`` runs one job; it must call
    ``wait_for_dependencies()`` before it uses what its dependencies make. A job may
    be started early, while the jobs it waits for are still running, when a worker
    would otherwise sit idle: a notebook then starts its kernel and runs its imports
    meanwhile. Of the jobs that can start, those whose dependencies are done come first;
    then those heading the longest chain of jobs still to run, as that chain is what the
    run's wall time cannot go below: measured by ``expected`` seconds a job (e.g. from
    the previous run; 0 for a job not in it), then in jobs; then ``names`` order.
    ``measured`` (if given) receives each successful job's seconds.

    Returns the failures (in ``names`` order) and the jobs never run (not started, or
    started early and stopped because a job they wait for failed).
    """
    pending, done, failures, not_run = list(names), set(), {}, []
    running = {}
    # Set by each job's own thread, whatever happens, so that no early job waits forever.
    finished = {name: threading.Event() for name in names}
    succeeded: set[str] = set()
    total = len(names)
    chain_seconds = _chain_lengths(names, dependencies, expected or {})
    chain_jobs = _chain_lengths(names, dependencies, dict.fromkeys(names, 1.0))

    def wait_for_dependencies(name: str) -> None:
        for dependency in dependencies.get(name, ()):
            finished[dependency].wait()
            if dependency not in succeeded:
                raise _DependencyFailed(f"{name}: {dependency} failed")

    def job(name: str) -> float:
        try:
            seconds = _timed(run_one, name, functools.partial(wait_for_dependencies, name))
            succeeded.add(name)
            return seconds
        finally:
            finished[name].set()

    def can_start(name: str) -> tuple[bool, float, float, int] | None:
        needed = dependencies.get(name, ())
        if not all(d in done or d in running.values() for d in needed):
            return None
        return (not all(d in done for d in needed), -chain_seconds[name], -chain_jobs[name],
                names.index(name))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        while pending or running:
            # One at a time: a job just started lets its dependents start early.
            while not failures and len(running) < workers:
                startable = sorted((key, n) for n in pending if (key := can_start(n)) is not None)
                if not startable:
                    break
                name = startable[0][1]
                pending.remove(name)
                position = names.index(name) + 1
                _progress(f"[{position}/{total}] {name}: started")
                running[pool.submit(job, name)] = name
            if not running:
                break
            ended, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(ended, key=lambda f: names.index(running[f])):
                name = running.pop(future)
                position = names.index(name) + 1
                try:
                    seconds = future.result()
                except _DependencyFailed:
                    not_run.append(name)
                except NotebookExecutionError as error:
                    failures[name] = error.failures[0]
                    _progress(f"[{position}/{total}] {name}: FAILED\n{error}")
                else:
                    done.add(name)
                    if measured is not None:
                        measured[name] = seconds
                    _progress(f"[{position}/{total}] {name}: done in {seconds:.1f} s")
    not_run = [n for n in names if n in not_run or n in pending]
    return [failures[n] for n in names if n in failures], not_run


def _chain_lengths(names: Sequence[str], dependencies: Mapping[str, Sequence[str]],
                   length: Mapping[str, float]) -> dict[str, float]:
    """Length of the longest chain of jobs that starts with each job, a job counting
    ``length[job]`` (0 if absent)."""
    needed_by: dict[str, list[str]] = {name: [] for name in names}
    for name in names:
        for dependency in dependencies.get(name, ()):
            if dependency in needed_by:
                needed_by[dependency].append(name)

    @functools.cache
    def chain(name: str) -> float:
        return float(length.get(name, 0.0)) + max(map(chain, needed_by[name]), default=0.0)

    return {name: chain(name) for name in names}


def _timed(function: Callable[..., None], *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


@contextlib.contextmanager
def restored_on_failure(directories: Sequence[str | os.PathLike]) -> Iterator[None]:
    """Restore ``directories`` exactly as they were if the block raises.

    Each existing folder is copied beside itself first (``.staging-backup-*``, which
    the checkout's ``.gitignore`` covers); on failure the folder is replaced by its
    copy, and a folder that did not exist is removed. Meant for the small output
    folders notebooks write into (figures), not for large data.
    """
    backups: dict[Path, Path | None] = {}
    try:
        for target in sorted({Path(d).absolute() for d in directories}):
            backups[target] = _backup(target) if target.exists() else None
    except BaseException:
        for backup in backups.values():
            if backup is not None:
                shutil.rmtree(backup, ignore_errors=True)
        raise
    try:
        yield
    except BaseException:
        for target, backup in backups.items():
            shutil.rmtree(target, ignore_errors=True)
            if backup is not None:
                os.replace(backup, target)
        raise
    finally:
        for backup in backups.values():
            if backup is not None and backup.exists():
                shutil.rmtree(backup, ignore_errors=True)


def _backup(folder: Path) -> Path:
    backup = Path(tempfile.mkdtemp(prefix=f".staging-backup-{folder.name}-", dir=folder.parent))
    try:
        shutil.copytree(folder, backup, symlinks=True, dirs_exist_ok=True)
    except BaseException:
        shutil.rmtree(backup, ignore_errors=True)
        raise
    return backup


def run_notebooks(
    notebooks_dir: str | os.PathLike,
    output_dir: str | os.PathLike,
    reports_dir: str | os.PathLike,
    parameters: Mapping[str, object] | None = None,
    notebooks: Sequence[str] | None = None,
    workers: int | None = None,
    restore_on_failure: Sequence[str | os.PathLike] = (),
    timeout: int | None = None,
    on_executed: Callable[[Path, Path], None] | None = None,
    inputs: Future | None = None,
) -> list[Path]:
    """Execute notebooks in dependency order, all or nothing.

    Parameters
    ----------
    notebooks_dir : path-like
        Folder of the source notebooks (``notebooks/``).
    output_dir : path-like
        Where executed notebooks go: ``notebooks_dir`` itself for the checkout's own
        run (the committed notebooks are replaced, byte-identical when nothing changed),
        or e.g. ``<reports>/notebooks`` for a run on other folders. It is each kernel's
        working folder, against which relative default paths are resolved.
    reports_dir : path-like
        Failed executed notebooks are kept under ``<reports_dir>/runs/failed/``; each
        notebook's wall time goes to ``<reports_dir>/runs/durations.json``, from which
        the next run knows which notebooks to start first.
    parameters : mapping, optional
        Values for the ``parameters`` cells (e.g. ``raw_dir``, ``processed_dir``,
        ``figures_dir`` as :class:`~pathlib.Path`, ``seed``); each notebook gets those it
        declares, injected only where they differ from its defaults.
    notebooks : sequence of str, optional
        Names (``"02_framing"`` or ``"02_framing.ipynb"``) to run; default all.
    workers : int, optional
        Notebooks run side by side; default ``min(2, cores)``.
    restore_on_failure : sequence of path-like
        Folders the notebooks write into (figures); restored if any notebook fails.
    timeout : int, optional
        Seconds a single cell may run; default no limit.
    on_executed : callable, optional
        Called as ``on_executed(staged, final)`` in the notebook's worker thread as soon
        as it has executed, with the executed notebook (still staged) and the path it
        will have; e.g. to render its HTML while other notebooks run. An exception
        there fails the run like a failed notebook.
    inputs : concurrent.futures.Future, optional
        The step that makes the notebooks' input tables, running elsewhere (e.g. the
        build, in another thread). Notebooks start at once: each kernel starts and runs
        the notebook's prelude cells (parameters and imports, :func:`is_prelude`), then
        waits for ``inputs`` (and for the notebooks it depends on, if it was started
        early) before its first other cell.

    Returns
    -------
    list of Path
        The executed notebooks under ``output_dir``, in execution order.

    Raises
    ------
    NotebookExecutionError
        If a notebook fails: names notebook and cell; ``output_dir`` and the
        ``restore_on_failure`` folders are as before the run.
    InputsUnavailable
        If ``inputs`` failed (chained to its error); the folders are as before the run.
    analysis.errors.InputError
        Unknown notebook names, bad dependency metadata or a dependency cycle.
    """
    notebooks_dir, output_dir = Path(notebooks_dir), Path(output_dir).absolute()
    failed_dir = Path(reports_dir) / FAILED_SUBDIR
    paths = _select(discover_notebooks(notebooks_dir), notebooks)
    by_name = {p.stem: p for p in paths}
    dependencies = notebook_dependencies(discover_notebooks(notebooks_dir))
    dependencies = {n: tuple(d for d in dependencies[n] if d in by_name) for n in by_name}
    order = execution_order(dependencies)

    with restored_on_failure(restore_on_failure), staged_directory(output_dir) as staging:

        def run_one(name: str, wait_for_dependencies: Callable[[], None]) -> None:
            def before_body() -> None:
                if inputs is not None:
                    _wait_for(inputs)
                wait_for_dependencies()

            staged = staging / f"{name}.ipynb"
            try:
                execute_notebook(by_name[name], staged, parameters, cwd=output_dir,
                                 timeout=timeout, before_body=before_body)
            except NotebookExecutionError as error:
                kept = [_keep(failure, failed_dir) for failure in error.failures]
                raise NotebookExecutionError(kept) from None
            if on_executed is not None:
                on_executed(staged, output_dir / staged.name)

        history = Path(reports_dir) / DURATIONS_FILE
        previous = read_durations(history)
        measured: dict[str, float] = {}
        failures, not_run = _run_in_order(order, dependencies, run_one,
                                          workers or _default_workers(),
                                          expected=previous, measured=measured)
        if failures:
            raise NotebookExecutionError(failures, not_run)
    for name in order:
        (failed_dir / f"{name}.ipynb").unlink(missing_ok=True)
    write_durations(history, {**previous, **measured})
    return [output_dir / f"{name}.ipynb" for name in order]


def read_durations(path: str | os.PathLike) -> dict[str, float]:
    """Seconds each notebook took in the last run that recorded them; empty if none.

    Only the order in which ready notebooks start depends on these, never an output;
    an unreadable file counts as no history.
    """
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): float(v) for k, v in data.items()
            if isinstance(v, int | float) and not isinstance(v, bool) and v >= 0}


def write_durations(path: str | os.PathLike, seconds: Mapping[str, float]) -> Path:
    """Record notebook wall times (rounded to 0.1 s) for the next run's scheduling."""
    text = json.dumps({k: round(v, 1) for k, v in sorted(seconds.items())}, indent=1)
    return write_bytes_atomic(Path(path), (text + "\n").encode("utf-8"))


def _wait_for(inputs: Future) -> None:
    try:
        inputs.result()
    except BaseException as error:
        raise InputsUnavailable(f"the notebooks' input tables were not made: {error}") from error


def _select(paths: list[Path], wanted: Sequence[str] | None) -> list[Path]:
    if wanted is None:
        return paths
    by_name = {p.stem: p for p in paths}
    names = [Path(w).stem if str(w).endswith(".ipynb") else str(w) for w in wanted]
    unknown = [w for w in names if w not in by_name]
    if unknown:
        raise InputError([f"unknown notebook {w!r}; known: {sorted(by_name)}" for w in unknown])
    return [by_name[n] for n in sorted(set(names), key=lambda n: paths.index(by_name[n]))]


def _keep(failure: NotebookFailure, failed_dir: Path) -> NotebookFailure:
    """Copy the failed executed notebook out of staging before staging is removed."""
    if failure.kept is None:
        return failure
    kept = write_bytes_atomic(failed_dir / f"{failure.notebook}.ipynb", failure.kept.read_bytes())
    return replace(failure, kept=kept)


# --------------------------------------------------------------------------- HTML


def notebook_title(nb, default: str) -> str:
    """Text of the first Markdown heading of the notebook, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _HEADING.search(cell.source)
            if match:
                return match.group("title")
    return default


@dataclass(frozen=True)
class HtmlPage:
    """One rendered notebook page, not yet written."""

    name: str
    title: str
    body: bytes


# One exporter for the process: building it loads and compiles the templates. Threads
# take turns with it, as nbconvert does not promise that an exporter is thread-safe.
_EXPORTER_LOCK = threading.Lock()


@functools.cache
def _html_exporter():
    from nbconvert import HTMLExporter

    # nbconvert warns once per page that figures lack alt text, which notebook outputs
    # cannot carry; its own logger is kept to errors so the run's progress stays readable.
    log = logging.getLogger("analysis.notebooks.nbconvert")
    log.setLevel(logging.ERROR)
    return HTMLExporter(template_name="lab", embed_images=True, log=log)


def render_page(executed: str | os.PathLike, folder: str | os.PathLike | None = None) -> HtmlPage:
    """Render one executed notebook as a standalone HTML page (returned, not written).

    Figures are embedded (outputs as data URIs, Markdown images too), so each page
    stands alone. Output text is escaped by the templates; HTML outputs come from
    pandas (escaped) or :func:`analysis.plotting.show_table`, and markup that could act
    in a browser is shown as text (:func:`defuse_outputs`). Same notebook, same bytes.

    Parameters
    ----------
    executed : path-like
        An executed notebook.
    folder : path-like, optional
        The folder relative Markdown image paths are resolved against; default the
        notebook's own (pass the final folder when rendering a staged copy).
    """
    path = Path(executed)
    nb = read_notebook(path)
    for cell_index in defuse_outputs(nb):
        _progress(f"{path}: cell {cell_index} displays raw HTML or Markdown markup; "
                  "rendered as text (use analysis.plotting.show_table or print)")
    title = notebook_title(nb, path.stem)
    folder = Path(folder) if folder is not None else path.parent
    resources = {"metadata": {"name": title, "path": str(folder.absolute())}}
    with _EXPORTER_LOCK:
        body, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    return HtmlPage(name=path.stem, title=title, body=body.encode("utf-8"))


def write_html(pages: Sequence[HtmlPage], html_dir: str | os.PathLike) -> Path:
    """Write ``<html_dir>/<name>.html`` for each page and an index linking them in order.

    Returns
    -------
    Path
        ``<html_dir>/index.html``, linking every page with its notebook's title.
    """
    html_dir = Path(html_dir)
    for page in pages:
        write_bytes_atomic(html_dir / f"{page.name}.html", page.body)
    index = _index_html([(page.name, page.title) for page in pages])
    return write_bytes_atomic(html_dir / "index.html", index.encode("utf-8"))


def render_html(executed: Sequence[str | os.PathLike], html_dir: str | os.PathLike) -> Path:
    """Render executed notebooks to ``<html_dir>/<name>.html`` and write an index.

    :func:`render_page` for each notebook, then :func:`write_html`; pass all executed
    notebooks (e.g. ``discover_notebooks(output_dir)``) so that the index is complete.

    Returns
    -------
    Path
        ``<html_dir>/index.html``.
    """
    return write_html([render_page(path) for path in executed], html_dir)


def defuse_outputs(nb) -> list[int]:
    """Turn outputs whose markup could act in a browser into plain text, in place.

    A Markdown output with any HTML tag, or an HTML output with scripts, frames, event
    handlers or ``javascript:`` links, is most likely article text displayed without
    escaping; it is replaced by its source as ``text/plain``, which the HTML templates
    escape. Escaped tables (pandas, :func:`analysis.plotting.show_table`) pass unchanged.

    Returns
    -------
    list of int
        Indices of the cells that had such outputs.
    """
    cells = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime, unsafe in (("text/markdown", _RAW_TAG), ("text/html", _ACTIVE_HTML)):
                if mime in data and unsafe.search(_text(data[mime])):
                    data["text/plain"] = _text(data.pop(mime))
                    cells.append(index)
    return sorted(set(cells))


def _index_html(entries: Sequence[tuple[str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(name)}.html">{html.escape(title)}</a>'
        f" <code>{html.escape(name)}</code></li>"
        for name, title in entries
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Analysis notebooks</title>\n</head>\n<body>\n<h1>Analysis notebooks</h1>\n"
        f"<ol>\n{items}\n</ol>\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- sweeps


def parse_sweep_values(text: str) -> list:
    """``"5,10,20"`` -> ``[5, 10, 20]``: comma-separated Python literals, else strings."""
    values = []
    for token in (t.strip() for t in text.split(",")):
        if not token:
            raise InputError([f"sweep values {text!r}: empty value"])
        try:
            values.append(ast.literal_eval(token))
        except (ValueError, SyntaxError):
            values.append(token)
    return values


def _run_label(param: str, value) -> str:
    return f"{param}={re.sub(r'[^A-Za-z0-9._-]', '_', str(value))}"


def sweep_notebook(
    notebook: str | os.PathLike,
    param: str,
    values: Sequence,
    parameters: Mapping[str, object] | None = None,
    reports_dir: str | os.PathLike = "reports",
    table_path: str | os.PathLike | None = None,
    workers: int | None = None,
    timeout: int | None = None,
):
    """Run a notebook once per value of one parameter and collect the result tables.

    Each run is written to ``<reports>/runs/<notebook>/<param>=<value>.ipynb``; its
    ``run_output`` parameter is set to the ``.csv`` beside it and, if the notebook has a
    ``figures_dir`` parameter, its figures go to ``<param>=<value>/`` there, so a sweep
    never touches the report's own figures. The kernel's folder is the runs folder, so
    pass every folder the notebook reads (``raw_dir``, ``processed_dir``) in ``parameters``.

    Parameters
    ----------
    notebook : path-like
        The source notebook; it must declare ``param`` and ``run_output``.
    param : str
        The swept parameter.
    values : sequence
        Its values, distinct, e.g. from :func:`parse_sweep_values`.
    parameters : mapping, optional
        Other parameters for every run.
    reports_dir : path-like
        Base of ``runs/`` and of the default table path.
    table_path : path-like, optional
        Where the collected table goes; default ``<reports>/<notebook>_sweep.csv``.
    workers : int, optional
        Runs side by side; default ``min(2, cores)``.
    timeout : int, optional
        Seconds a single cell may run; default no limit.

    Returns
    -------
    DataFrame
        The runs' tables stacked, with column ``param`` (added if a run's table lacks
        it), sorted by ``param`` (stable, so each run's row order is kept).

    Raises
    ------
    analysis.errors.InputError
        If the notebook lacks ``param`` or ``run_output`` or values repeat.
    NotebookExecutionError
        If a run fails or does not write its table; the failed run stays in ``runs/``.
    """
    import pandas as pd

    notebook = Path(notebook)
    declared = notebook_parameters(read_notebook(notebook), str(notebook))
    problems = [
        f"{notebook}: no parameter {name!r} in its parameters cell"
        for name in (param, RUN_OUTPUT) if name not in declared
    ]
    labels = [_run_label(param, v) for v in values]
    if len(set(labels)) != len(labels) or not labels:
        problems.append(f"sweep values {list(values)!r}: need distinct values")
    if problems:
        raise InputError(problems)
    run_dir = Path(reports_dir).absolute() / "runs" / notebook.stem
    runs = {}
    for label, value in zip(labels, values, strict=True):
        run_parameters = {**(parameters or {}), param: value,
                          RUN_OUTPUT: run_dir / f"{label}.csv"}
        if FIGURES_DIR in declared:
            run_parameters[FIGURES_DIR] = run_dir / label
        runs[label] = run_parameters
        (run_dir / f"{label}.csv").unlink(missing_ok=True)

    def run_one(label: str, wait_for_dependencies: Callable[[], None]) -> None:
        run_name = f"{notebook.stem} ({label})"
        try:
            execute_notebook(notebook, run_dir / f"{label}.ipynb", runs[label], cwd=run_dir,
                             timeout=timeout, before_body=wait_for_dependencies)
        except NotebookExecutionError as error:
            renamed = [replace(failure, notebook=run_name) for failure in error.failures]
            raise NotebookExecutionError(renamed) from None
        if not (run_dir / f"{label}.csv").is_file():
            raise NotebookExecutionError([NotebookFailure(
                notebook=run_name, cell_index=None, execution_count=None,
                ename="MissingRunOutput", evalue=f"the run did not write its {RUN_OUTPUT}",
                kept=run_dir / f"{label}.ipynb",
            )])

    failures, not_run = _run_in_order(labels, {}, run_one, workers or _default_workers())
    if failures:
        raise NotebookExecutionError(failures, not_run)
    frames = []
    for label, value in zip(labels, values, strict=True):
        frame = pd.read_csv(run_dir / f"{label}.csv")
        if param not in frame.columns:
            frame.insert(0, param, value)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True).sort_values(param, kind="mergesort")
    table = table.reset_index(drop=True)
    target = Path(table_path) if table_path else Path(reports_dir) / f"{notebook.stem}_sweep.csv"
    write_bytes_atomic(target, _csv_bytes(table))
    return table


def _csv_bytes(table) -> bytes:
    """CSV per the data contract: ``\\n`` line ends, 6-decimal floats, ``true``/``false``."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: "true", False: "false"})
    text = out.to_csv(index=False, lineterminator="\n", float_format=f"%.{FLOAT_DECIMALS}f")
    return text.encode("utf-8")
