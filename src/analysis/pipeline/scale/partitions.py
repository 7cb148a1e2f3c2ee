"""Corpus mode's partitions: how many articles each, how the manifest is cut, one task's work.

:func:`score_partition` is the Dask task: it builds its articles' ``articles`` and
``sentences`` with :func:`analysis.data.corpus.partition_tables` and scores them with
:func:`analysis.pipeline.build.score_sentences`, exactly what the notebooks' path does
for the whole corpus. Every measure works per sentence (quotes per article), and a
partition always holds whole articles, so the rows are identical.

Memory and data movement
------------------------
A task reads its own articles and writes its own Parquet parts, returning only
counts and the problems of bad articles, so nothing large passes through the
scheduler and memory grows with the partition size, not with the corpus. ``raw`` and
``out`` must therefore be on a file system that every worker sees (as for any Dask
file output).

Partitions
----------
Manifest rows are sorted by ``article_id`` before they are cut into partitions
(:func:`cut_partitions`). Unless the caller sets ``articles_per_partition``, a corpus
is cut into about four partitions a worker (:func:`default_partition_size`), 50 to 250
articles each: with fewer, one worker may idle while the other finishes a long last
task; smaller ones pay a task's fixed cost (about 70 ms) too often; larger ones take
more memory. A worker forked from this process inherits the loaded measures, so it
starts in milliseconds.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from analysis.data import tables
from analysis.errors import InputError
from analysis.pipeline.scale.parquet import SCORED_TABLES, conformed_parquet_bytes, part_path

# The measures (nltk, scipy, scikit-learn) are imported where they are used: registering
# the `score` command must not cost their import to every command.

# Partition size. A task's memory grows with its articles, hence the ceiling (the only
# size before). Each task also pays a fixed cost whatever its size (about 70 ms here:
# the measures' per-call set-up, six Parquet parts, a scheduler round trip, against
# some 20 ms of work an article), hence the floor. In between, enough partitions a
# worker that the workers' last tasks end close together.
MAX_ARTICLES_PER_PARTITION = 250
MIN_ARTICLES_PER_PARTITION = 50
PARTITIONS_PER_WORKER = 4


@dataclasses.dataclass(frozen=True)
class Partition:
    """One task's work: manifest rows (whole articles); ``index`` numbers its parts."""

    index: int
    manifest: pd.DataFrame


@dataclasses.dataclass(frozen=True)
class PartitionResult:
    """What a task sends back: counts and problems, never the tables themselves."""

    index: int
    rows: dict[str, int]
    skipped: list[tuple[str, list[str]]]


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


def score_partition(partition: Partition, raw_dir: str, out_dir: str,
                    skip_invalid: bool) -> PartitionResult:
    """Score one partition's articles and write its Parquet parts (the Dask task).

    The whole partition is built in one call; only when that fails are its articles
    validated one by one, to name the bad ones. Without ``skip_invalid`` a partition
    with a bad article writes nothing, since the run will fail anyway.

    Returns
    -------
    PartitionResult
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
            return PartitionResult(partition.index, {}, skipped)
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
                                  conformed_parquet_bytes(scored[name], name))
    return PartitionResult(partition.index, {name: len(scored[name]) for name in SCORED_TABLES},
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


def cut_partitions(manifest: pd.DataFrame, articles_per_partition: int) -> list[Partition]:
    """Consecutive slices of the manifest sorted by ``article_id``; at least one."""
    ordered = manifest.sort_values("article_id", kind="mergesort")
    starts = range(0, max(len(ordered), 1), articles_per_partition)
    return [Partition(index, ordered.iloc[start:start + articles_per_partition])
            for index, start in enumerate(starts)]
