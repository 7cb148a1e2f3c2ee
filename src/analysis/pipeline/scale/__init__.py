"""Corpus mode: the per-sentence analysis over a large corpus, on Dask.

:func:`score_corpus` scores a corpus in the raw layout (``manifest.csv`` + article
files) into Parquet tables with the columns of the processed CSVs. It reuses the
single-process helpers unchanged: each Dask task takes a slice of the manifest, builds
its ``articles`` and ``sentences`` with :func:`analysis.data.corpus.partition_tables` and
scores them with :func:`analysis.pipeline.build.score_sentences`, exactly what the notebooks'
path does for the whole corpus. Every measure works per sentence (quotes per article),
and a partition always holds whole articles, so the rows are identical.
:func:`read_scored` returns one table as the single-process path would. The command
line is ``python -m analysis score`` (:mod:`analysis.__main__`).

Modules:

- ``engine``: :func:`score_corpus` and its :class:`ScoreReport`; bad articles.
- ``partitions``: partition sizes (:func:`default_partition_size`), the manifest cut into
  partitions, and the Dask task that scores one; memory and data movement.
- ``runners``: where the tasks run, a local process pool or a Dask cluster, with
  progress bars; :func:`default_workers`, :func:`warm_up`.
- ``parquet``: the output layout, the parts' Arrow schema and bytes, and reading them
  back (:func:`read_scored`, :func:`read_skipped`).
"""

from analysis.pipeline.scale.engine import ScoreReport, score_corpus
from analysis.pipeline.scale.parquet import (
    SCORED_TABLES,
    SKIPPED_FILE,
    arrow_schema,
    parquet_bytes,
    part_path,
    read_scored,
    read_skipped,
    scored_parts,
)
from analysis.pipeline.scale.partitions import (
    MAX_ARTICLES_PER_PARTITION,
    MIN_ARTICLES_PER_PARTITION,
    PARTITIONS_PER_WORKER,
    default_partition_size,
)
from analysis.pipeline.scale.runners import default_workers, warm_up

__all__ = [
    "MAX_ARTICLES_PER_PARTITION",
    "MIN_ARTICLES_PER_PARTITION",
    "PARTITIONS_PER_WORKER",
    "SCORED_TABLES",
    "SKIPPED_FILE",
    "ScoreReport",
    "score_corpus",
    "default_partition_size",
    "default_workers",
    "warm_up",
    "arrow_schema",
    "part_path",
    "parquet_bytes",
    "scored_parts",
    "read_scored",
    "read_skipped",
]
