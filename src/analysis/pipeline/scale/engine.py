"""Corpus mode's run: :func:`score_corpus` scores a raw corpus into Parquet parts on Dask.

The manifest is cut into partitions (:mod:`analysis.pipeline.scale.partitions`), each
scored by a task on a runner (:mod:`analysis.pipeline.scale.runners`), and the parts
(:mod:`analysis.pipeline.scale.parquet`) are published together with ``skipped.csv`` as
one transaction (:class:`analysis.pipeline.publish.Transaction`).

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

import dataclasses
import os
from pathlib import Path

from analysis.data import tables
from analysis.errors import InputError
from analysis.pipeline import publish
from analysis.pipeline.scale.parquet import SCORED_TABLES, SKIPPED_FILE, skipped_csv
from analysis.pipeline.scale.partitions import (
    cut_partitions,
    default_partition_size,
    score_partition,
)
from analysis.pipeline.scale.runners import default_workers, distributed_runner, local_runner

# The measures (nltk, scipy, scikit-learn) and Dask are imported where they are used:
# registering the `score` command must not cost their import to every command.

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
        Rows written per table, in :data:`~analysis.pipeline.scale.parquet.SCORED_TABLES`
        order.
    skipped : list of (str, list of str)
        ``(article_id, problems)`` of every skipped article, by ``article_id``.
    """

    out_dir: Path
    n_articles: int
    n_sentences: int
    partitions: int
    rows: dict[str, int]
    skipped: list[tuple[str, list[str]]]


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
        threads), 50 to 250 articles each
        (:func:`~analysis.pipeline.scale.partitions.default_partition_size`). The tables
        do not depend on it.
    skip_invalid : bool, default False
        Skip bad articles (listed in ``skipped.csv`` and the report) instead of failing.
    progress : bool, default True
        Report progress on stderr: a bar on a terminal, plain periodic lines otherwise.

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
    if manifest.empty:
        raise InputError(corpus.no_articles_problem(raw_dir))
    runner = (local_runner(n_workers or default_workers(), progress) if scheduler is None
              else distributed_runner(scheduler, progress))
    # The runner ends first: a local pool waits for its running tasks, so none writes
    # into the staging folder after it is published or removed. The run owns the table
    # folders and skipped.csv: it replaces them whole (parts of an earlier, larger run
    # go), and keeps anything else in the folder.
    with publish.Transaction(out_dir) as txn, runner as run:
        staging = txn.stage(out_dir, owned=(*SCORED_TABLES, SKIPPED_FILE))
        partitions = cut_partitions(manifest, articles_per_partition
                                    or default_partition_size(len(manifest), run.workers))
        bag = dask.bag.from_sequence(partitions, npartitions=len(partitions)).map(
            score_partition, str(raw_dir), str(staging), skip_invalid)
        results = sorted(run.compute(bag), key=lambda result: result.index)
        skipped = [item for result in results for item in result.skipped]
        if skipped and not skip_invalid:
            raise InputError([problem for _, problems in skipped for problem in problems] + [
                f"{len(skipped)} of {len(manifest)} articles are invalid and nothing was "
                "written; skip_invalid (--skip-invalid) scores the others"])
        tables.write_bytes_atomic(staging / SKIPPED_FILE, skipped_csv(skipped))
    rows = {name: sum(result.rows[name] for result in results) for name in SCORED_TABLES}
    return ScoreReport(out_dir=out_dir, n_articles=rows["articles"],
                       n_sentences=rows["sentences"], partitions=len(partitions), rows=rows,
                       skipped=skipped)
