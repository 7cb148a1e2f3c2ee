"""Corpus mode: the per-sentence analysis over a large corpus, on Dask.

:func:`score_corpus` scores a corpus in the raw layout (``manifest.csv`` + article
files) into Parquet tables with the columns of the processed CSVs. It reuses the
single-process helpers unchanged: each Dask task takes a slice of the manifest, builds
its ``articles`` and ``sentences`` with :func:`analysis.data.corpus.partition_tables` and
scores them with :func:`analysis.pipeline.build.score_sentences`, exactly what the notebooks'
path does for the whole corpus. Every measure works per sentence (quotes per article),
and a partition always holds whole articles, so the rows are identical.

Output layout
-------------
::

    <out>/articles/part-00000.parquet      one file a partition and table,
    <out>/sentences/part-00000.parquet     partition numbers zero-padded
    <out>/guarantee_mentions/...           (also frames, quotes, sentiment)
    <out>/skipped.csv                      article_id, problem (header only if none)

Manifest rows are sorted by ``article_id`` before they are cut into partitions, and
each part is sorted by the table's key (which starts with ``article_id``), so the
parts read in name order are the whole table in key order. Every part of a table has
the same Arrow schema, derived from the table catalog (``str`` -> string, ``int`` ->
int64, ``float`` -> float64, ``bool`` -> bool), also when it has no rows; no pandas
index or metadata is stored, so the same corpus gives the same bytes. Any Parquet
reader takes a table folder whole, e.g. ``dask.dataframe.read_parquet(out / "frames")``;
:func:`read_scored` returns one table as the single-process path would.

Memory and data movement
------------------------
A task reads its own articles and writes its own Parquet parts, returning only
counts and the problems of bad articles, so nothing large passes through the
scheduler and memory grows with the partition size, not with the corpus. ``raw`` and
``out`` must therefore be on a file system that every worker sees (as for any Dask
file output).

Partitions
----------
Unless the caller sets ``articles_per_partition``, a corpus is cut into about four
partitions a worker (:func:`default_partition_size`), 50 to 250 articles each: with
fewer, one worker may idle while the other finishes a long last task; smaller ones
pay a task's fixed cost (about 70 ms) too often; larger ones take more memory. A
worker forked from this process inherits the loaded measures, so it starts in
milliseconds.

Bad articles
------------
The manifest is checked up front (:func:`analysis.data.corpus.load_manifest`); each
article is checked by the worker that reads it, with the messages of
:func:`analysis.data.corpus.validate_article`. Without ``skip_invalid`` any bad article
fails the run with every bad article's problems and nothing of the run is left in
``out``; with it, bad articles are skipped, listed in ``skipped.csv`` and reported,
and every other article is scored.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import functools
import gc
import io
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.data import tables
from analysis.errors import InputError
from analysis.pipeline import publish

if TYPE_CHECKING:
    import dask.bag
    import distributed
    import pyarrow as pa

# The measures (nltk, scipy, scikit-learn), Dask and pyarrow are imported where they are
# used: registering the `score` command must not cost their import to every command.

# Partition size. A task's memory grows with its articles, hence the ceiling (the only
# size before). Each task also pays a fixed cost whatever its size (about 70 ms here:
# the measures' per-call set-up, six Parquet parts, a scheduler round trip, against
# some 20 ms of work an article), hence the floor. In between, enough partitions a
# worker that the workers' last tasks end close together.
MAX_ARTICLES_PER_PARTITION = 250
MIN_ARTICLES_PER_PARTITION = 50
PARTITIONS_PER_WORKER = 4
PART_PATTERN = "part-*.parquet"
SKIPPED_FILE = "skipped.csv"
SKIPPED_COLUMNS = ("article_id", "problem")
# The outputs of the corpus step and of the per-article steps (analysis.pipeline.steps), in
# catalog order: what corpus mode computes per partition. Spelled out, as importing the
# steps here would load every measure for each command (a test checks the two agree).
SCORED_TABLES = ("articles", "sentences", "guarantee_mentions", "frames", "quotes", "sentiment")

# Catalog kinds as names of Arrow type factories.
_ARROW_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool_"}


@dataclasses.dataclass(frozen=True)
class ScoreReport:
    """Outcome of :func:`score_corpus`.

    Attributes
    ----------
    out_dir : Path
        Where the tables were written.
    n_articles : int
        Articles scored (skipped ones not counted).
    n_sentences : int
        Sentences scored.
    partitions : int
        Dask partitions (one Parquet part per partition and table).
    rows : dict of str to int
        Rows written per table, in :data:`SCORED_TABLES` order.
    skipped : list of (str, list of str)
        ``(article_id, problems)`` of every skipped article, by ``article_id``.
    """

    out_dir: Path
    n_articles: int
    n_sentences: int
    partitions: int
    rows: dict[str, int]
    skipped: list[tuple[str, list[str]]]


@dataclasses.dataclass(frozen=True)
class _Partition:
    """One task's work: manifest rows (whole articles); ``index`` numbers its parts."""

    index: int
    manifest: pd.DataFrame


@dataclasses.dataclass(frozen=True)
class _PartitionResult:
    """What a task sends back: counts and problems, never the tables themselves."""

    index: int
    rows: dict[str, int]
    skipped: list[tuple[str, list[str]]]


# --------------------------------------------------------------------------- Parquet


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of a catalog table, columns in catalog order.

    Parameters
    ----------
    name : str
        Table name in :data:`analysis.data.tables.TABLES`.

    Returns
    -------
    pyarrow.Schema
        One field a column: ``str`` -> string, ``int`` -> int64, ``float`` -> float64,
        ``bool`` -> bool.
    """
    import pyarrow as pa

    spec = tables.spec_for(name)
    return pa.schema([pa.field(col, getattr(pa, _ARROW_TYPES[kind])())
                      for col, kind in spec.columns.items()])


def part_path(out_dir: str | os.PathLike, name: str, index: int) -> Path:
    """``<out_dir>/<name>/part-<index, 5 digits>.parquet``."""
    return Path(out_dir) / name / f"part-{index:05d}.parquet"


def parquet_bytes(df: pd.DataFrame, name: str) -> bytes:
    """Serialise ``df`` as table ``name`` in Parquet; same frame, same bytes.

    The frame is conformed first (columns, dtypes, key order); the file carries the
    catalog schema and no pandas metadata, so empty parts have the same schema.
    """
    return _conformed_parquet_bytes(tables.conform(df, name), name)


def _conformed_parquet_bytes(frame: pd.DataFrame, name: str) -> bytes:
    """:func:`parquet_bytes` of a frame already conformed to table ``name``.

    For the tables the measures return, which they conform themselves: conforming
    again (copy, casts, sort, key check) would cost a task more than the writing.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata(None), sink)
    return sink.getvalue().to_pybytes()


def scored_parts(out_dir: str | os.PathLike, name: str) -> list[Path]:
    """The Parquet parts of table ``name`` under ``out_dir``, in partition order.

    Raises
    ------
    FileNotFoundError
        If ``out_dir`` has no folder for the table (the corpus was not scored there).
    """
    spec = tables.spec_for(name)
    folder = Path(out_dir) / spec.name
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: table {name!r} not found; run "
                                "`python -m analysis score --raw DIR --out DIR`")
    return sorted(folder.glob(PART_PATTERN))


def read_scored(out_dir: str | os.PathLike, name: str) -> pd.DataFrame:
    """Read one scored table back whole, shaped like the single-process path's table.

    Parameters
    ----------
    out_dir : path
        The ``out`` folder of :func:`score_corpus`.
    name : str
        One of :data:`SCORED_TABLES`.

    Returns
    -------
    DataFrame
        The table conformed by :func:`analysis.data.tables.conform` (catalog dtypes, rows
        sorted by key). For a corpus too large for memory, read the parts one by one
        (:func:`scored_parts`) or with ``dask.dataframe.read_parquet``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = [pq.read_table(path, schema=arrow_schema(name))
             for path in scored_parts(out_dir, name)]
    if not parts:
        return tables.empty_table(name)
    return tables.conform(pa.concat_tables(parts).to_pandas(), name)


def read_skipped(out_dir: str | os.PathLike) -> pd.DataFrame:
    """``<out_dir>/skipped.csv``: one row a problem of a skipped article (all str)."""
    return pd.read_csv(Path(out_dir) / SKIPPED_FILE, dtype=str, keep_default_na=False)


def _skipped_csv(skipped: Sequence[tuple[str, Sequence[str]]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SKIPPED_COLUMNS)
    writer.writerows((article_id, problem) for article_id, problems in skipped
                     for problem in problems)
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- tasks


def _invalid_articles(manifest: pd.DataFrame,
                      raw_dir: str) -> list[tuple[str, list[str]]]:
    """``(article_id, problems)`` of the rows whose files fail validation."""
    from analysis.data import corpus

    invalid = []
    for _, row in manifest.iterrows():
        problems = corpus.validate_article(row, raw_dir)
        if problems:
            invalid.append((str(row["article_id"]), problems))
    return invalid


def _score_partition(partition: _Partition, raw_dir: str, out_dir: str,
                    skip_invalid: bool) -> _PartitionResult:
    """Score one partition's articles and write its Parquet parts (the Dask task).

    The whole partition is built in one call; only when that fails are its articles
    validated one by one, to name the bad ones. Without ``skip_invalid`` a partition
    with a bad article writes nothing, since the run will fail anyway.

    Returns
    -------
    _PartitionResult
        Rows written per table and the partition's bad articles.
    """
    from analysis.data import corpus
    from analysis.pipeline import build

    manifest = partition.manifest
    skipped: list[tuple[str, list[str]]] = []
    try:
        articles, sentences = corpus.partition_tables(manifest, raw_dir)
    except InputError:
        skipped = _invalid_articles(manifest, raw_dir)
        if not skipped:
            raise  # a problem validate_article does not see: report it as it is
        if not skip_invalid:
            return _PartitionResult(partition.index, {}, skipped)
        bad = {article_id for article_id, _ in skipped}
        articles, sentences = corpus.partition_tables(
            manifest.loc[~manifest["article_id"].isin(bad)], raw_dir)
    # Every table here comes conformed from corpus.partition_tables or the measures.
    scored = {"articles": articles, "sentences": sentences,
              **build.score_sentences(sentences)}
    for name in SCORED_TABLES:
        # Never recreate the staging folder itself: if the run has already failed and
        # removed it, a task still running must fail rather than leave files behind.
        (Path(out_dir) / name).mkdir(exist_ok=True)
        tables.write_bytes_atomic(part_path(out_dir, name, partition.index),
                                  _conformed_parquet_bytes(scored[name], name))
    return _PartitionResult(partition.index, {name: len(scored[name]) for name in SCORED_TABLES},
                            skipped)


def default_partition_size(n_articles: int, n_workers: int) -> int:
    """Articles a partition when the caller does not say.

    About :data:`PARTITIONS_PER_WORKER` partitions a worker, so that the workers' last
    tasks end close together, within :data:`MIN_ARTICLES_PER_PARTITION` (below which
    a task's fixed cost matters) and :data:`MAX_ARTICLES_PER_PARTITION` (a task's
    memory). On 2 workers: 125 articles a partition at 1,000 articles, 250 from 2,000.

    Parameters
    ----------
    n_articles : int
        Articles of the corpus.
    n_workers : int
        Tasks that can run at once.

    Returns
    -------
    int
    """
    balanced = -(-n_articles // (PARTITIONS_PER_WORKER * max(n_workers, 1)))
    return min(MAX_ARTICLES_PER_PARTITION, max(MIN_ARTICLES_PER_PARTITION, balanced))


def _partitions(manifest: pd.DataFrame, articles_per_partition: int) -> list[_Partition]:
    """Consecutive slices of the manifest sorted by ``article_id``; at least one."""
    ordered = manifest.sort_values("article_id", kind="mergesort")
    starts = range(0, max(len(ordered), 1), articles_per_partition)
    return [_Partition(index, ordered.iloc[start:start + articles_per_partition])
            for index, start in enumerate(starts)]


# --------------------------------------------------------------------------- schedulers


def default_workers() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def warm_up() -> None:
    """Load every measure's lexicons and caches by scoring one sentence.

    Called in the parent before workers are forked (they inherit the loaded state) and
    as the initializer of spawned workers, so start-up is paid once a process, before
    the first task, not inside one partition.
    """
    from analysis.pipeline import build

    text = "The United States offered Ukraine security guarantees, officials said."
    sentences = pd.DataFrame({"article_id": ["warm-up"], "sentence_id": [0],
                              "section": ["body"], "paragraph_id": [0], "start": [0],
                              "end": [len(text)], "text": [text]})
    build.score_sentences(tables.conform(sentences, "sentences"))


def _noop(value: int) -> int:
    return value


@contextlib.contextmanager
def _process_pool(n_workers: int) -> Iterator[ProcessPoolExecutor]:
    """A started pool of ``n_workers`` processes for Dask's multiprocessing scheduler.

    The work is pure Python and holds the GIL, so it needs processes. Forked workers
    inherit this process's imported modules and loaded lexicons (importing nltk alone
    takes seconds), but fork is safe only from a single-threaded process; otherwise the
    workers come from a fork server that has imported the measures once (or, where
    there is none, are spawned and import them each). The pool is started before a
    progress thread exists, which is why it is not left to Dask.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        warm_up()
        context, initializer = multiprocessing.get_context("fork"), None
    elif "forkserver" in methods:
        # The fork server imports the measures once; workers are forked from it.
        context, initializer = multiprocessing.get_context("forkserver"), warm_up
        context.set_forkserver_preload(["analysis.pipeline", __name__])
    else:
        context, initializer = multiprocessing.get_context("spawn"), warm_up
    with ProcessPoolExecutor(n_workers, mp_context=context, initializer=initializer) as pool:
        # Frozen objects are skipped by the workers' garbage collections, so the pages
        # they inherit stay shared instead of being copied on the first collection.
        gc.freeze()
        try:
            list(pool.map(_noop, range(n_workers)))
        finally:
            gc.unfreeze()
        yield pool


@dataclasses.dataclass(frozen=True)
class _Runner:
    """Where the tasks run: how many at once, and how to compute a bag there."""

    workers: int
    compute: Callable[[dask.bag.Bag], list]


def _compute_local(bag: dask.bag.Bag, pool: ProcessPoolExecutor, progress: bool) -> list:
    from dask.diagnostics import ProgressBar

    bar = ProgressBar(out=sys.stderr) if progress else contextlib.nullcontext()
    with bar:
        # chunksize=1: a partition is a long task; Dask's default batches six.
        return bag.compute(scheduler="processes", pool=pool, chunksize=1)


@contextlib.contextmanager
def _local_runner(n_workers: int, progress: bool) -> Iterator[_Runner]:
    with _process_pool(n_workers) as pool:
        yield _Runner(n_workers, functools.partial(_compute_local, pool=pool, progress=progress))


def _connect(address: str):
    from distributed import Client

    try:
        # The connect timeout is Dask's "distributed.comm.timeouts.connect" (30 s).
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise InputError([f"cannot reach the Dask scheduler at {address!r}: {error}"]) from error


def _compute_distributed(bag: dask.bag.Bag, client: distributed.Client, progress: bool) -> list:
    from distributed import as_completed
    from tqdm import tqdm

    futures = client.compute(bag.to_delayed())
    try:
        for _ in tqdm(as_completed(futures, loop=client.loop), total=len(futures),
                      file=sys.stderr, disable=not progress, unit="partition"):
            pass
        return [item for partition in client.gather(futures) for item in partition]
    except BaseException:
        client.cancel(futures)  # tasks not yet started must not write any more
        raise


@contextlib.contextmanager
def _distributed_runner(address: str, progress: bool) -> Iterator[_Runner]:
    with _connect(address) as client:
        # The cluster's threads: the tasks it runs at once (at least one, for a
        # cluster whose workers have not joined yet).
        workers = max(1, sum(client.nthreads().values()))
        yield _Runner(workers, functools.partial(_compute_distributed, client=client,
                                                 progress=progress))


# --------------------------------------------------------------------------- corpus mode


def _check_folders(raw_dir: Path, out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: output folder is a file")
    publish.refuse_overlap(raw_dir, [out_dir])


def score_corpus(
    raw_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    scheduler: str | None = None,
    n_workers: int | None = None,
    articles_per_partition: int | None = None,
    skip_invalid: bool = False,
    progress: bool = True,
) -> ScoreReport:
    """Score every article of a raw corpus into Parquet tables, on Dask.

    Parameters
    ----------
    raw_dir : path
        Raw corpus folder (``manifest.csv`` + article files).
    out_dir : path
        Output folder; gets one subfolder of Parquet parts per table and
        ``skipped.csv``, published together (:class:`analysis.pipeline.publish.Transaction`):
        those of an earlier run are replaced whole, other files there are kept.
    scheduler : str, optional
        Address of a running Dask distributed scheduler (``tcp://host:8786``). By
        default a local pool of processes, one per core.
    n_workers : int, optional
        Processes of the local pool (default: every core); ignored with ``scheduler``.
    articles_per_partition : int, optional
        Articles a task scores; a task's memory grows with it, the corpus does not. By
        default about four partitions a worker (local processes, or the cluster's
        threads), 50 to 250 articles each (:func:`default_partition_size`). The
        tables do not depend on it.
    skip_invalid : bool, default False
        Skip bad articles (listed in ``skipped.csv`` and the report) instead of failing.
    progress : bool, default True
        Show a progress bar on stderr.

    Returns
    -------
    ScoreReport

    Raises
    ------
    InputError
        Manifest problems; without ``skip_invalid``, the problems of every bad article
        (then nothing of this run is left in ``out_dir``); an unreachable scheduler;
        an output folder that is, lies inside or contains ``raw_dir``; a full disk
        (nothing published).
    """
    import dask.bag

    from analysis.data import corpus

    if articles_per_partition is not None and articles_per_partition < 1:
        raise ValueError(f"articles_per_partition must be at least 1, got "
                         f"{articles_per_partition}")
    # Workers may run elsewhere: they get absolute paths.
    raw_dir, out_dir = Path(raw_dir).absolute(), Path(out_dir).absolute()
    _check_folders(raw_dir, out_dir)
    manifest = corpus.load_manifest(raw_dir)
    runner = (_local_runner(n_workers or default_workers(), progress) if scheduler is None
              else _distributed_runner(scheduler, progress))
    # The runner ends first: a local pool waits for its running tasks, so none writes
    # into the staging folder after it is published or removed. The run owns the table
    # folders and skipped.csv: it replaces them whole (parts of an earlier, larger run
    # go), and keeps anything else in the folder.
    with publish.Transaction(out_dir) as txn, runner as run:
        staging = txn.stage(out_dir, owned=(*SCORED_TABLES, SKIPPED_FILE))
        partitions = _partitions(manifest, articles_per_partition
                                 or default_partition_size(len(manifest), run.workers))
        bag = dask.bag.from_sequence(partitions, npartitions=len(partitions)).map(
            _score_partition, str(raw_dir), str(staging), skip_invalid)
        results = sorted(run.compute(bag), key=lambda result: result.index)
        skipped = [item for result in results for item in result.skipped]
        if skipped and not skip_invalid:
            raise InputError([problem for _, problems in skipped for problem in problems] + [
                f"{len(skipped)} of {len(manifest)} articles are invalid and nothing was "
                "written; skip_invalid (--skip-invalid) scores the others"])
        tables.write_bytes_atomic(staging / SKIPPED_FILE, _skipped_csv(skipped))
    rows = {name: sum(result.rows[name] for result in results) for name in SCORED_TABLES}
    return ScoreReport(out_dir=out_dir, n_articles=rows["articles"],
                       n_sentences=rows["sentences"], partitions=len(partitions), rows=rows,
                       skipped=skipped)


# --------------------------------------------------------------------------- command line


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
