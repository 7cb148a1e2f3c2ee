"""Notebook files: find the collection's notebooks, read them, write them byte-stable.

The notebooks in ``notebooks/`` are named ``NN_name.ipynb`` and committed with their
outputs, so an executed notebook is written only after :func:`normalize_notebook` has
removed what changes from run to run (timings, papermill bookkeeping, memory
addresses), and serialised the way Jupyter does (:func:`notebook_bytes`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from analysis.data.tables import write_bytes_atomic
from analysis.errors import InputError

NOTEBOOK_PATTERN = re.compile(r"^(?P<number>\d+)_[A-Za-z0-9_-]+\.ipynb$")

# Object reprs such as "<function f at 0x7f3a...>" carry a memory address that changes
# on every run; it is pinned so that such an output cannot make a rerun differ. Same
# pattern as tests/nbval_sanitize.cfg.
_ADDRESS = re.compile(r"(?<=\bat )0x[0-9a-fA-F]+")
_PINNED_ADDRESS = "0x0"


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
            previous.text = output_text(previous.text) + output_text(output.text)
        else:
            merged.append(output)
    return merged


def output_text(value) -> str:
    """An output's text, which nbformat may hold as a list of lines, as one string."""
    return "".join(value) if isinstance(value, list) else value


def _pin_addresses(output):
    if output.output_type == "stream":
        output.text = _ADDRESS.sub(_PINNED_ADDRESS, output_text(output.text))
    for mime in ("text/plain", "text/html"):
        if mime in output.get("data", {}):
            output.data[mime] = _ADDRESS.sub(_PINNED_ADDRESS, output_text(output.data[mime]))
    return output


def notebook_bytes(nb) -> bytes:
    """Serialise like Jupyter does (sorted keys, one-space indent) plus a final newline."""
    import nbformat

    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def write_notebook(nb, path: str | os.PathLike) -> Path:
    """Write ``nb`` atomically with :func:`notebook_bytes`; return the path."""
    return write_bytes_atomic(path, notebook_bytes(nb))


