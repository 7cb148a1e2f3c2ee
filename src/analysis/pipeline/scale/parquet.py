"""The Parquet parts of a scored corpus: their schema and bytes, paths, reading them back.

Output layout
-------------
::

    <out>/articles/part-00000.parquet      one file a partition and table,
    <out>/sentences/part-00000.parquet     partition numbers zero-padded
    <out>/guarantee_mentions/...           (also frames, quotes, sentiment)
    <out>/skipped.csv                      article_id, problem (header only if none)

Each part is sorted by the table's key (which starts with ``article_id``) and the
partitions hold consecutive articles, so the parts read in name order are the whole
table in key order. Every part of a table has the same Arrow schema, derived from the
table catalog (``str`` -> string, ``int`` -> int64, ``float`` -> float64, ``bool`` ->
bool), also when it has no rows; no pandas index or metadata is stored, so the same
corpus gives the same bytes. Any Parquet reader takes a table folder whole, e.g.
``dask.dataframe.read_parquet(out / "frames")``; :func:`read_scored` returns one table as
the single-process path would.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.data import tables

if TYPE_CHECKING:
    import pyarrow as pa

# pyarrow is imported where it is used: registering the `score` command must not cost its
# import to every command.

PART_PATTERN = "part-*.parquet"
SKIPPED_FILE = "skipped.csv"
SKIPPED_COLUMNS = ("article_id", "problem")
# The outputs of the corpus step and of the per-article steps (analysis.pipeline.steps), in
# catalog order: what corpus mode computes per partition. Spelled out, as importing the
# steps here would load every measure for each command (a test checks the two agree).
SCORED_TABLES = ("articles", "sentences", "guarantee_mentions", "frames", "quotes", "sentiment")

# Catalog kinds as names of Arrow type factories.
_ARROW_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool_"}


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
    return conformed_parquet_bytes(tables.conform(df, name), name)


def conformed_parquet_bytes(frame: pd.DataFrame, name: str) -> bytes:
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
        The ``out`` folder of :func:`~analysis.pipeline.scale.engine.score_corpus`.
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


def skipped_csv(skipped: Sequence[tuple[str, Sequence[str]]]) -> bytes:
    """``skipped.csv``'s bytes: the header, then one row a problem of a skipped article."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SKIPPED_COLUMNS)
    writer.writerows((article_id, problem) for article_id, problems in skipped
                     for problem in problems)
    return buffer.getvalue().encode("utf-8")
