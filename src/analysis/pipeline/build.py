"""The analysis as a pipeline of steps: validate the raw corpus, build the processed tables.

``build_tables`` turns ``data/raw`` into ``data/processed``: it runs every step of
:mod:`analysis.pipeline.steps` (each table has exactly one producer there) with the parameters
of ``params.yaml`` and writes what they return through the table catalog, together
with the parameters used. Writes are staged, so a failed build leaves the previous
tables exactly as they were. Notebook execution lives in :mod:`analysis.notebooks`;
notebooks read these tables and write nothing under ``data/processed``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd

from analysis.data import corpus, tables
from analysis.errors import InputError
from analysis.notebooks import execute, files, pages
from analysis.notebooks import parameters as nb_parameters
from analysis.pipeline import params, publish, steps
from analysis.progress import say
from analysis.views import report

PROCESSED_README = "README.md"
# The notebook parameters naming a run's folders: the run sets them, never the user.
RUN_FOLDERS = ("raw_dir", "processed_dir", "figures_dir", "tables_dir", "coding_dir")


def score_sentences(sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every per-article step of ``sentences``: framing, frames, quotes, sentiment.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table, for any subset of whole articles.

    Returns
    -------
    dict of str to DataFrame
        ``guarantee_mentions``, ``frames``, ``quotes`` and ``sentiment`` tables.
    """
    return steps.run_steps({"sentences": sentences}, {}, steps.PER_ARTICLE_STEPS)


def compute_tables(raw_dir: str | os.PathLike, step_params: Mapping[str, Mapping],
                   checked: corpus.CorpusReport | None = None,
                   previous_dir: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Validate ``raw_dir`` and run every step on it (no writing).

    Parameters
    ----------
    raw_dir : path-like
        The raw corpus.
    step_params : mapping
        Checked parameters (:func:`analysis.pipeline.params.read_params`).
    checked : CorpusReport, optional
        The report of ``corpus.check_corpus(raw_dir)`` when the caller has already
        checked the corpus (to show its warnings first, say): the corpus is then not
        checked again. Each file is still read twice, once by the check and once to
        parse it.
    previous_dir : path-like, optional
        The processed folder of the previous build, usually the one the tables will
        replace: its ``topic_terms`` (if any) number the new fit's topics after the
        topics they continue. Rebuilding unchanged inputs then gives the same tables.

    Returns
    -------
    dict of str to DataFrame
        Every table of the catalog, in catalog order.
    """
    given = {steps.RAW: steps.RawCorpus(raw_dir, checked),
             steps.PREVIOUS_TOPICS: previous_topic_terms(previous_dir)}
    start = time.perf_counter()
    computed = steps.run_steps(given, step_params, report=say)
    say(f"build: {len(computed)} tables computed in {time.perf_counter() - start:.1f} s")
    return computed


def previous_topic_terms(processed_dir: str | os.PathLike | None) -> pd.DataFrame:
    """Table ``topic_terms`` of the build in ``processed_dir``; empty without one.

    A previous table that cannot be read as ``topic_terms`` (an older layout, a
    damaged file) is ignored with a warning: it only numbers topics.
    """
    path = None if processed_dir is None else Path(processed_dir) / "topic_terms.csv"
    if path is None or not path.is_file():
        return tables.empty_table("topic_terms")
    try:
        return tables.read_table("topic_terms", processed_dir)
    except (InputError, ValueError) as error:
        print(f"warning: {path}: not read, topics are numbered afresh ({error})",
              file=sys.stderr)
        return tables.empty_table("topic_terms")


def processed_readme() -> str:
    """``data/processed/README.md``: every table of the catalog, its key and columns."""
    lines = [
        "# Processed tables",
        "",
        "Written by `python -m analysis build` (and `run`) from `data/raw/`; never edit by hand.",
        "Rules for every table: CSV, UTF-8, header row, `\\n` line ends, rows sorted by the key,",
        "floats rounded to 6 decimals, booleans `true`/`false`, written whole or not at all.",
        "Tables and their columns are declared in `src/analysis/data/tables/catalog.py`, each",
        "table's one producer in `src/analysis/pipeline/steps.py`; the label vocabularies are in",
        "`../shared/design/data-contract.md`. `params.yaml` here holds the step parameters",
        "these tables were built with (the project's `params.yaml` and any `-p` overrides).",
        "",
    ]
    for spec in tables.TABLES.values():
        key = ", ".join(spec.key)
        lines += [f"## `{spec.filename}`", "", spec.description, "", f"Key: {key}.", ""]
        lines += ["| column | type |", "| --- | --- |"]
        lines += [f"| `{col}` | {kind} |" for col, kind in spec.columns.items()]
        lines.append("")
    return "\n".join(lines)


def build_tables(raw_dir: str | os.PathLike, processed_dir: str | os.PathLike,
                 checked: corpus.CorpusReport | None = None,
                 step_params: Mapping[str, Mapping] | None = None) -> list[Path]:
    """Build every processed table of ``raw_dir`` into ``processed_dir``, all or nothing.

    ``checked``: as for :func:`compute_tables`. ``step_params``: checked parameters;
    default those of the project's ``params.yaml``. They are written beside the tables
    (:data:`analysis.pipeline.params.USED_FILE`).

    Returns
    -------
    list of Path
        The written tables, in catalog order, then the parameters used and the
        folder's README.

    Raises
    ------
    analysis.errors.InputError
        If the raw corpus or the parameters are invalid; nothing is written then.
    """
    step_params = params.read_params() if step_params is None else step_params
    publish.refuse_overlap(raw_dir, [processed_dir])
    computed = compute_tables(raw_dir, step_params, checked, previous_dir=processed_dir)
    processed_dir = Path(processed_dir)
    with publish.Transaction(processed_dir) as transaction:
        write_processed(computed, step_params, transaction.stage(processed_dir))
    return [processed_dir / f"{name}.csv" for name in computed] + [
        processed_dir / params.USED_FILE, processed_dir / PROCESSED_README]


def write_processed(computed: Mapping[str, pd.DataFrame], step_params: Mapping[str, Mapping],
                    folder: str | os.PathLike) -> None:
    """Write the tables, the parameters used and the README into ``folder``."""
    folder = Path(folder)
    for name, frame in computed.items():
        tables.write_table(frame, name, folder)
    tables.write_bytes_atomic(folder / params.USED_FILE,
                              params.params_yaml(step_params).encode("utf-8"))
    tables.write_bytes_atomic(folder / PROCESSED_README, processed_readme().encode("utf-8"))


def _same_place(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def notebook_output_dir(
    notebooks_dir: str | os.PathLike,
    raw_dir: str | os.PathLike,
    processed_dir: str | os.PathLike,
    reports_dir: str | os.PathLike,
) -> Path:
    """Where executed notebooks go: in place for the checkout's own folders, else reports.

    The committed notebooks are re-executed in place only when every folder is the
    checkout's default (``data/raw``, ``data/processed``, ``reports`` beside
    ``notebooks/``); a run on any other corpus writes ``<reports>/notebooks/`` and
    never touches the checkout's notebooks.
    """
    root = Path(notebooks_dir).resolve().parent
    defaults = ((raw_dir, root / "data" / "raw"), (processed_dir, root / "data" / "processed"),
                (reports_dir, root / "reports"))
    if all(_same_place(given, default) for given, default in defaults):
        return Path(notebooks_dir)
    return Path(reports_dir) / "notebooks"


@contextlib.contextmanager
def _checkout_layout(raw_dir: Path, processed: Path, figures: Path, view_tables: Path,
                     coding: Path | None) -> Iterator[Path]:
    """A temporary folder laid out like the checkout (``data/raw``, ``data/processed``,
    ``data/coding`` when there is one, ``reports/figures``, ``reports/tables``,
    ``notebooks/``) whose folders are links to the given ones.

    Yields its ``notebooks/`` folder: a kernel working there finds the staged tables and
    figures at the notebooks' relative default paths, so the checkout's own run injects
    no parameter and its notebooks keep their committed bytes.
    """
    root = Path(tempfile.mkdtemp(prefix="analysis-run-"))
    try:
        links = [("data/raw", raw_dir), ("data/processed", processed),
                 ("reports/figures", figures), ("reports/tables", view_tables)]
        for link, target in links + ([("data/coding", coding)] if coding else []):
            (root / link).parent.mkdir(parents=True, exist_ok=True)
            (root / link).symlink_to(target.absolute(), target_is_directory=True)
        (root / "notebooks").mkdir()
        yield root / "notebooks"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_all(
    raw_dir: str | os.PathLike,
    processed_dir: str | os.PathLike,
    reports_dir: str | os.PathLike,
    notebooks_dir: str | os.PathLike = "notebooks",
    workers: int | None = None,
    checked: corpus.CorpusReport | None = None,
    step_params: Mapping[str, Mapping] | None = None,
    only: Sequence[str] | None = None,
    notebook_params: Mapping[str, object] | None = None,
    coding_dir: str | os.PathLike | None = None,
) -> list[Path]:
    """The main job: build the tables, execute the notebooks, render HTML; all or nothing.

    Everything is made in staging folders first: the tables, then the notebooks
    (reading the staged tables, writing staged figures), then their pages. Only when
    all of it has succeeded are the tables, figures, executed notebooks and HTML moved
    into place.

    Parameters
    ----------
    raw_dir, processed_dir, reports_dir : path-like
        The raw corpus; where the tables go; where figures (``figures/``), pages
        (``html/``), the whole tables that pages show cut (``tables/``) and, for a run
        on other folders than the checkout's, the executed notebooks (``notebooks/``) go.
    notebooks_dir : path-like, default "notebooks"
        The source notebooks.
    workers : int, optional
        Notebooks run side by side; default ``min(2, cores)``.
    checked : CorpusReport, optional
        As for :func:`compute_tables`.
    step_params : mapping, optional
        As for :func:`build_tables`.
    only : sequence of str, optional
        Names of the notebooks to run (``"04_topics"``); default all.
    notebook_params : mapping, optional
        Values for the notebooks' ``parameters`` cells (``{"article_a": "x"}``), injected
        into every notebook that declares the name (and differs from its default); the
        folders are the run's own and cannot be given.
    coding_dir : path-like, optional
        The hand-coded sample of this corpus (``data/coding`` layout), which corrects the
        shares and which 07 scores the tool against. Default: the checkout's
        ``data/coding`` when ``raw_dir`` is the checkout's ``data/raw``, else none (the
        notebooks then say the shares are uncorrected).

    Returns
    -------
    list of Path
        The executed notebooks, in number order.

    Raises
    ------
    analysis.errors.InputError
        Bad raw corpus, parameters or notebook names (nothing written).
    analysis.notebooks.execute.NotebookExecutionError
        A notebook failed: the report names notebook and cell; the tables, notebooks,
        figures and HTML of the previous run are kept.
    """
    raw_dir, processed_dir, reports_dir = Path(raw_dir), Path(processed_dir), Path(reports_dir)
    step_params = params.read_params() if step_params is None else step_params
    every_source = files.discover_notebooks(notebooks_dir)
    sources = _selected(every_source, only)
    notebook_params = dict(notebook_params or {})
    nb_parameters.check_declared({path.stem: files.read_notebook(path) for path in sources},
                                 notebook_params, reserved=RUN_FOLDERS)
    output_dir = notebook_output_dir(notebooks_dir, raw_dir, processed_dir, reports_dir)
    in_place = output_dir == Path(notebooks_dir)
    figures_dir, html_dir = reports_dir / "figures", reports_dir / "html"
    view_tables_dir = reports_dir / "tables"  # whole tables that pages show cut
    publish.refuse_overlap(raw_dir, [processed_dir, reports_dir, output_dir])
    coding = _coding_dir(coding_dir, notebooks_dir, raw_dir)
    computed = compute_tables(raw_dir, step_params, checked, previous_dir=processed_dir)
    failed_dir = reports_dir / execute.FAILED_SUBDIR
    with publish.Transaction(processed_dir) as transaction:
        # A run of some notebooks (``only``) replaces only their notebooks, figures and
        # pages; the checkout's notebooks folder also holds every source.
        part = "update" if only else "replace"
        processed = transaction.stage(processed_dir)
        figures, view_tables = (
            transaction.stage(folder, owned=_notebook_files(folder, sources) if only else None)
            for folder in (figures_dir, view_tables_dir))
        executed_dir = transaction.stage(output_dir, "update" if in_place else part)
        pages_dir = transaction.stage(html_dir, part)
        write_processed(computed, step_params, processed)
        corpus_line = report.corpus_line(computed["articles"])
        del computed  # the notebooks read the written tables; free them while they run
        rendered = {}

        def render(staged_notebook: Path) -> None:
            # Rendered beside the other notebooks' execution; the pages are written after.
            rendered[staged_notebook.stem] = pages.render_page(staged_notebook,
                                                               folder=output_dir)

        if in_place:
            with _checkout_layout(raw_dir, processed, figures, view_tables, coding) as cwd:
                staged = execute.run_notebooks(sources, executed_dir, failed_dir, cwd=cwd,
                                               parameters=notebook_params, workers=workers,
                                               on_executed=render)
        else:
            coding_value = str(coding.absolute()) if coding else None
            final = dict(zip(RUN_FOLDERS, (raw_dir.absolute(), processed_dir.absolute(),
                                           figures_dir.absolute(), view_tables_dir.absolute(),
                                           coding_value), strict=True))
            staged_folders = dict(zip(RUN_FOLDERS, (raw_dir.absolute(), processed, figures,
                                                    view_tables, coding_value), strict=True))
            staged = execute.run_notebooks(sources, executed_dir, failed_dir,
                                           parameters={**notebook_params, **staged_folders},
                                           shown={**notebook_params, **final},
                                           workers=workers, on_executed=render)
        earlier = [pages.read_summary(path)
                   for path in (output_dir / source.name for source in every_source
                                if source not in sources)
                   if path.is_file() and (html_dir / f"{path.stem}.html").is_file()]
        pages.write_html([rendered[path.stem] for path in staged], pages_dir, corpus=corpus_line,
                         earlier=earlier)
    return [output_dir / path.name for path in staged]


def _coding_dir(given: str | os.PathLike | None, notebooks_dir: str | os.PathLike,
                raw_dir: Path) -> Path | None:
    """The coding folder of a run: the one given, else the checkout's for its own corpus."""
    if given is not None:
        if not Path(given).is_dir():
            raise InputError([f"--coding {given}: no such folder"])
        return Path(given)
    root = Path(notebooks_dir).resolve().parent
    checkout = root / "data" / "coding"
    if _same_place(raw_dir, root / "data" / "raw") and checkout.is_dir():
        return checkout
    return None


def _notebook_files(folder: Path, sources: Sequence[Path]) -> list[str]:
    """Names in ``folder`` made by the notebooks ``sources``: those starting with a
    notebook's number (``03_`` for ``03_sentiment``), so a run of some notebooks also
    removes what they made last time and no longer make (a table now shown whole)."""
    prefixes = tuple(f"{source.stem.split('_')[0]}_" for source in sources)
    with contextlib.suppress(FileNotFoundError):
        return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith(prefixes))
    return []


def _selected(paths: list[Path], only: Sequence[str] | None) -> list[Path]:
    """The notebooks named in ``only`` (stems or file names), in number order."""
    if only is None:
        return paths
    by_name = {p.stem: p for p in paths}
    names = {Path(name).stem for name in only}
    unknown = sorted(names - set(by_name))
    if unknown:
        raise InputError([f"unknown notebook {name!r}; the notebooks are {sorted(by_name)}"
                          for name in unknown])
    return [p for p in paths if p.stem in names]


def sweep(raw_dir: str | os.PathLike, reports_dir: str | os.PathLike, name: str,
          values: Sequence[str], notebooks_dir: str | os.PathLike = "notebooks",
          only: Sequence[str] | None = None, workers: int | None = None,
          checked: corpus.CorpusReport | None = None,
          step_params: Mapping[str, Mapping] | None = None) -> list[Path]:
    """One whole run per value of one step parameter, each into its own folders.

    Run ``value`` of ``GROUP.NAME`` builds its tables with ``-p GROUP.NAME=value`` into
    ``<reports>/runs/sweep/GROUP.NAME=value/processed`` and executes the notebooks
    (``only``, default all) into ``.../notebooks`` with figures and pages beside them,
    so a sweep never touches the checkout's outputs. ``step_params``: the parameters
    the values override; default those of the project's ``params.yaml``.

    Returns
    -------
    list of Path
        The run folders, in the order of ``values``.

    Raises
    ------
    analysis.errors.InputError
        Unknown parameter, invalid or repeated values (checked before any run).
    """
    base = params.read_params() if step_params is None else step_params
    labels = [f"{name}={re.sub(r'[^A-Za-z0-9._-]', '_', value)}" for value in values]
    if not values or len(set(labels)) != len(labels):
        raise InputError([f"sweep values {list(values)!r}: need distinct values"])
    runs = [params.with_overrides(base, [f"{name}={value}"]) for value in values]
    folders = [Path(reports_dir) / "runs" / "sweep" / label for label in labels]
    for step_params, folder in zip(runs, folders, strict=True):
        run_all(raw_dir, folder / "processed", folder, notebooks_dir=notebooks_dir,
                workers=workers, checked=checked, step_params=step_params, only=only)
    return folders
