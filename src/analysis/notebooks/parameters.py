"""The ``parameters`` cell of a notebook: its defaults, and what a run must inject.

Notebook convention: one cell tagged ``parameters`` holding plain assignments of
literals, which choose what the notebook shows (parameters that change data belong to
the build's steps, ``params.yaml``). A parameter is injected only where its value
differs from the notebook's default, so the default run injects nothing and its output
equals the committed notebook.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from analysis.errors import InputError

PARAMETERS_TAG = "parameters"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOT_LITERAL = object()


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
        inject[name] = injectable(value)
    return inject


def _equals_default(value, default, cwd: Path) -> bool:
    if isinstance(value, os.PathLike):
        return isinstance(default, str) and (cwd / default).resolve() == Path(value).resolve()
    return type(value) is type(default) and value == default


def injectable(value):
    """``value`` as papermill injects it: paths as absolute strings, tuples as lists."""
    if isinstance(value, os.PathLike):
        return os.path.abspath(value)
    if isinstance(value, tuple):
        return [injectable(v) for v in value]
    return value


def parse_assignments(texts: Sequence[str]) -> dict[str, object]:
    """Notebook parameters from ``NAME=VALUE`` texts, as given on the command line.

    ``VALUE`` is read as a Python literal where it is one (``1000``, ``None``,
    ``['NATO', 'Europe']``, ``'x'``) and as the plain string otherwise
    (``ked-2025-02-27``, ``2025-03``).

    Raises
    ------
    analysis.errors.InputError
        A text without ``=`` or whose name is not a Python identifier, or a name given
        twice.
    """
    values, problems = {}, []
    for text in texts:
        name, equals, value = text.partition("=")
        name = name.strip()
        if not equals or not _NAME.match(name):
            problems.append(f"notebook parameter {text!r}: expected NAME=VALUE, e.g. "
                            "article_a=ked-2025-02-27")
        elif name in values:
            problems.append(f"notebook parameter {name!r} is given more than once")
        else:
            values[name] = _literal_or_text(value.strip())
    if problems:
        raise InputError(problems)
    return values


def _literal_or_text(value: str) -> object:
    try:
        return ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return value


def check_declared(notebooks: Mapping[str, object], values: Mapping[str, object],
                   reserved: Sequence[str] = ()) -> None:
    """Check that each of ``values`` is a parameter some notebook declares.

    Parameters
    ----------
    notebooks : mapping
        Notebook name to its parsed notebook (nbformat).
    values : mapping
        The parameters to inject.
    reserved : sequence of str
        Names the caller sets itself (the folders), which may not be given.

    Raises
    ------
    analysis.errors.InputError
        One problem per unknown or reserved name, listing the declared ones.
    """
    declared = set()
    for name, nb in notebooks.items():
        declared |= set(notebook_parameters(nb, name))
    settable = sorted(declared - set(reserved))
    problems = [f"notebook parameter {name!r} is set by the run itself; use its option instead"
                for name in values if name in reserved]
    problems += [f"no notebook declares a parameter {name!r}; the notebooks' parameters are "
                 f"{', '.join(settable)}" for name in values
                 if name not in declared and name not in reserved]
    if problems:
        raise InputError(problems)
