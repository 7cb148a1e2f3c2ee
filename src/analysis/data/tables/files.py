"""Byte-stable CSV files of the tables: same frame in, same bytes out.

:func:`write_table` checks the columns, sorts rows by the key, rounds floats to 6
decimals, spells booleans ``true``/``false`` and writes UTF-8 with ``\\n`` line ends,
atomically (:func:`write_bytes_atomic`). :func:`read_table` (one table) and
:func:`read_tables` (several, every missing one named) give the declared dtypes back.
Frames that are not catalog tables (a coding sheet, the validation scores) are written
by :func:`csv_bytes` with the same conventions, except that a rounded float is printed
in its shortest form (``0.85``, not ``0.850000``).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.tables.catalog import conform, spec_for
from analysis.errors import InputError

FLOAT_DECIMALS = 6
_UMASK = os.umask(0)
os.umask(_UMASK)


def csv_bytes(frame: pd.DataFrame, *, fixed_decimals: bool = False) -> bytes:
    """Serialise any frame as CSV with the catalog's conventions; deterministic bytes.

    Float columns are rounded to :data:`FLOAT_DECIMALS` decimals (``-0.0`` becomes
    ``0.0``; NaN is an empty field), bool columns are spelled ``true``/``false``, the
    index is left out, lines end with ``\\n`` and the text is UTF-8. Use it for frames
    that are not catalog tables (a coding sheet, the validation scores); catalog tables
    go through :func:`to_csv_bytes`, which checks them first.

    Parameters
    ----------
    frame : DataFrame
        Any frame; it is not changed.
    fixed_decimals : bool, default False
        Print every float with exactly :data:`FLOAT_DECIMALS` decimals (``0.850000``,
        as the catalog tables do); otherwise the rounded value's shortest form
        (``0.85``).

    Returns
    -------
    bytes
        The CSV file, header first.
    """
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(out[col]):
            # Adding 0.0 turns -0.0 into 0.0, so a tiny negative never prints as "-0.000000".
            out[col] = np.round(out[col].to_numpy(), FLOAT_DECIMALS) + 0.0
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n",
               float_format=f"%.{FLOAT_DECIMALS}f" if fixed_decimals else None)
    return buffer.getvalue().encode("utf-8")


def to_csv_bytes(df: pd.DataFrame, name: str) -> bytes:
    """Serialise ``df`` as table ``name`` per the data contract; deterministic bytes.

    The frame is checked and cast by :func:`conform` (declared columns and order, rows
    sorted by the key), then written by :func:`csv_bytes` with every float printed to
    :data:`FLOAT_DECIMALS` decimals.

    Raises
    ------
    ValueError
        If ``df`` does not fit the table (see :func:`conform`).
    """
    return csv_bytes(conform(df, name), fixed_decimals=True)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename: whole or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp creates the file private (0600); give it the usual umask-based mode.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def write_table(df: pd.DataFrame, name: str, directory: str | os.PathLike) -> Path:
    """Write ``df`` as ``<directory>/<name>.csv`` atomically; return the path."""
    return write_bytes_atomic(spec_for(name).path(directory), to_csv_bytes(df, name))


def read_table(name: str, directory: str | os.PathLike) -> pd.DataFrame:
    """Read table ``name`` from ``directory`` with its declared dtypes.

    Raises
    ------
    FileNotFoundError
        If the table has not been built (run ``python -m analysis build``).
    ValueError
        If the file does not fit the table's declaration (see :func:`conform`).
    """
    spec = spec_for(name)
    path = spec.path(directory)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: table {name!r} not found; run `python -m analysis build`")
    str_cols = [c for c, k in spec.columns.items() if k in ("str", "bool")]
    df = pd.read_csv(path, dtype={c: str for c in str_cols}, keep_default_na=False,
                     na_values={c: [""] for c, k in spec.columns.items() if k == "float"})
    for col, kind in spec.columns.items():
        if kind == "bool":
            df[col] = df[col].map({"true": True, "false": False})
    return conform(df, name)


def read_tables(directory: str | os.PathLike, names: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Read several tables of a processed folder, naming every one that cannot be read.

    Parameters
    ----------
    directory : path-like
        The processed folder (``python -m analysis build`` writes it).
    names : sequence of str
        Table names in :data:`TABLES`.

    Returns
    -------
    dict of str to DataFrame
        Table name to table, in ``names`` order, with the declared dtypes.

    Raises
    ------
    analysis.errors.InputError
        One problem per table that is missing, or that does not fit its declaration
        (a folder built by an older version); each names the file and says to run
        ``python -m analysis build``.
    KeyError
        If a name is not a catalog table.
    """
    loaded, problems = {}, []
    for name in names:
        path = spec_for(name).path(directory)
        try:
            loaded[name] = read_table(name, directory)
        except FileNotFoundError as err:
            problems.append(str(err))
        except ValueError as err:
            problems.append(f"{path}: {err}; build the folder again with this version "
                            "(`python -m analysis build`)")
    if problems:
        raise InputError(problems)
    return loaded
