"""The steps' parameters: one file (``params.yaml``), checked, overridable per run.

Parameters that change data belong to the steps that make the tables
(:mod:`analysis.pipeline.steps`); a notebook's own parameters only choose what it shows. A build
writes the values it used beside its tables (:data:`USED_FILE`), and notebooks read them
from there with :func:`read_used`, so what a page says was used is what was used, also
for a run with ``-p`` overrides.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import yaml

from analysis.config import PROJECT_ROOT
from analysis.data.tables import SECTIONS
from analysis.errors import InputError

PARAMS_FILE = PROJECT_ROOT / "params.yaml"
USED_FILE = "params.yaml"

TOPIC_MODELS = ("lda", "nmf")


def _int(minimum: int) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            return f"must be an integer >= {minimum}"
        return None
    return check


def _optional(check: Callable[[object], str | None]) -> Callable[[object], str | None]:
    def optional(value: object) -> str | None:
        problem = check(value) if value is not None else None
        return None if problem is None else f"{problem}, or null"
    return optional


def _fraction(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        return "must be a number in (0, 1]"
    return None


def _choice(choices: Sequence[str]) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        return None if value in choices else f"must be one of {list(choices)}"
    return check


def _list_of(check: Callable[[object], str | None]) -> Callable[[object], str | None]:
    def check_list(value: object) -> str | None:
        if not isinstance(value, list) or not value:
            return "must be a non-empty list"
        if len(set(map(repr, value))) != len(value):
            return "must not repeat a value"
        problems = [p for v in value if (p := check(v)) is not None]
        return f"every item {problems[0]}" if problems else None
    return check_list


# Every parameter a step reads, with its check; a file must set exactly these.
SCHEMA: dict[str, dict[str, Callable[[object], str | None]]] = {
    "sentiment": {
        "sections": _list_of(_choice(SECTIONS)),
        "repeat_threshold": _optional(_fraction),
        "n_boot": _int(1),
        "seed": _int(0),
    },
    "topics": {
        "models": _list_of(_choice(TOPIC_MODELS)),
        "k_values": _list_of(_int(2)),
        "model": _choice(TOPIC_MODELS),
        "k": _optional(_int(2)),
        "n_seeds": _int(2),
        "seed": _int(0),
        "n_top_terms": _int(1),
        "sample_fraction": _fraction,
        "max_sentences": _optional(_int(100)),
    },
}


def check_params(params: object, where: str) -> dict[str, dict[str, object]]:
    """``params`` if it sets every parameter of :data:`SCHEMA` to a valid value.

    Raises
    ------
    analysis.errors.InputError
        One line per problem, each naming ``where`` and the parameter.
    """
    if not isinstance(params, dict):
        raise InputError([f"{where}: expected a mapping of step groups "
                          f"({', '.join(SCHEMA)}), got {type(params).__name__}"])
    problems = [f"{where}: unknown group {group!r}; the groups are {list(SCHEMA)}"
                for group in params if group not in SCHEMA]
    for group, checks in SCHEMA.items():
        values = params.get(group)
        if not isinstance(values, dict):
            problems.append(f"{where}: group {group!r} missing or not a mapping")
            continue
        problems += [f"{where}: {group}.{name}: unknown parameter; {group} has "
                     f"{list(checks)}" for name in values if name not in checks]
        for name, check in checks.items():
            if name not in values:
                problems.append(f"{where}: {group}.{name}: missing")
            elif (problem := check(values[name])) is not None:
                problems.append(f"{where}: {group}.{name} = {values[name]!r} {problem}")
    if not problems:
        topics = params["topics"]
        if topics["model"] not in topics["models"]:
            problems.append(f"{where}: topics.model {topics['model']!r} must be one of "
                            f"topics.models {topics['models']}")
    if problems:
        raise InputError(problems)
    return params


def read_params(path: str | os.PathLike | None = None) -> dict[str, dict[str, object]]:
    """The checked parameters of a ``params.yaml`` file (default :data:`PARAMS_FILE`).

    Raises
    ------
    analysis.errors.InputError
        If the file is missing, is not YAML, or fails :func:`check_params`.
    """
    path = Path(PARAMS_FILE if path is None else path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([f"{path}: cannot read the parameters file ({error})"]) from None
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError([f"{path}: not valid YAML ({error})"]) from None
    return check_params(loaded, str(path))


def with_overrides(params: Mapping[str, Mapping[str, object]],
                   overrides: Sequence[str]) -> dict[str, dict[str, object]]:
    """``params`` with ``GROUP.NAME=VALUE`` overrides applied (VALUE read as YAML).

    Raises
    ------
    analysis.errors.InputError
        For an override that is not ``GROUP.NAME=VALUE``, names an unknown parameter, or
        gives an invalid value.
    """
    updated = copy.deepcopy(dict(params))
    problems = []
    for override in overrides:
        name, equals, text = override.partition("=")
        group, dot, key = name.strip().partition(".")
        if not (equals and dot and group and key):
            problems.append(f"-p {override!r}: expected GROUP.NAME=VALUE, e.g. topics.k=6")
            continue
        if group not in SCHEMA or key not in SCHEMA[group]:
            known = [f"{g}.{k}" for g, checks in SCHEMA.items() for k in checks]
            problems.append(f"-p {override!r}: unknown parameter {name.strip()!r}; "
                            f"known: {', '.join(known)}")
            continue
        try:
            updated[group][key] = yaml.safe_load(text)
        except yaml.YAMLError:
            problems.append(f"-p {override!r}: the value is not valid YAML")
    if problems:
        raise InputError(problems)
    return check_params(updated, "-p")


def params_yaml(params: Mapping[str, Mapping[str, object]]) -> str:
    """The parameters as YAML, groups and names in :data:`SCHEMA` order."""
    ordered = {group: {name: params[group][name] for name in checks}
               for group, checks in SCHEMA.items()}
    header = ("# The step parameters this build used: params.yaml with any -p overrides.\n"
              "# Written by `python -m analysis build`; never edit by hand.\n")
    return header + yaml.safe_dump(ordered, sort_keys=False, default_flow_style=None,
                                   width=88, allow_unicode=True)


def read_used(processed_dir: str | os.PathLike) -> dict[str, dict[str, object]]:
    """The parameters the build of ``processed_dir`` used (its :data:`USED_FILE`).

    Raises
    ------
    analysis.errors.InputError
        If the folder has none (built before parameters were recorded: build again).
    """
    path = Path(processed_dir) / USED_FILE
    if not path.is_file():
        raise InputError([f"{path}: not found; run `python -m analysis build` to make the "
                          "tables and record their parameters"])
    return read_params(path)
