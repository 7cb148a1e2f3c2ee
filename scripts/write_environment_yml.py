"""Write environment.yml from requirements.lock so conda users get the very same pins.

Every pin of the lock goes to conda-forge when scripts/conda_forge_names.txt names its
conda-forge package (often under another name: dask -> dask-core, tzdata -> python-tzdata),
and under ``pip:`` otherwise. Run by ``make lock``; tests/test_environment.py fails when the
files disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NAMES_FILE = Path(__file__).with_name("conda_forge_names.txt")

HEADER = """\
# Written by `make lock` from requirements.lock (scripts/write_environment_yml.py); tests
# check they agree. For conda users: conda env create -f environment.yml. The Makefile
# installs requirements.lock with its hashes and does not use this file.
# The lock's exact versions (`==`). What conda-forge carries comes from conda-forge, under
# its conda-forge name (scripts/conda_forge_names.txt says which and how that was
# confirmed); the rest from PyPI under pip:. conda-forge may not have built every one of
# these exact versions yet: then conda says which pin it cannot meet.
name: ukraine-guarantees-framing
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
"""

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^\s;]+)")


def normalise(name: str) -> str:
    """A PyPI project name as the lock writes it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(lock_text: str) -> list[str]:
    """The ``name==version`` lines of a uv/pip-compile lock file, in file order."""
    return [m.group(1) for line in lock_text.splitlines() if (m := PIN.match(line))]


def conda_forge_names(text: str) -> dict[str, str]:
    """PyPI name -> conda-forge name, from the lines of conda_forge_names.txt.

    Each line is a PyPI name, its conda-forge name and how that was confirmed (which must
    name a conda-forge feedstock); ``#`` starts a comment.
    """
    names: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split("#", 1)[0].split(maxsplit=2)
        if not fields:
            continue
        if len(fields) < 3 or not re.search(r"conda-forge/\S+-feedstock", fields[2]):
            raise ValueError(f"line {number}: want 'pypi-name conda-name how-confirmed "
                             f"(naming a conda-forge/...-feedstock)': {line!r}")
        pypi = normalise(fields[0])
        if pypi in names:
            raise ValueError(f"line {number}: {pypi} is listed twice")
        names[pypi] = fields[1]
    return names


def split_pins(pins: list[str], names: dict[str, str]) -> tuple[list[str], list[str]]:
    """The lock's pins as conda-forge specs (``name==version``) and as pip pins."""
    conda, pip = [], []
    for pin in pins:
        name, version = pin.split("==", 1)
        if (conda_name := names.get(normalise(name))) is not None:
            conda.append(f"{conda_name}=={version}")
        else:
            pip.append(pin)
    return conda, pip


def environment_yml(pins: list[str], names: dict[str, str]) -> str:
    conda, pip = split_pins(pins, names)
    return (HEADER + "".join(f"  - {spec}\n" for spec in conda) + "  - pip:\n"
            + "".join(f"      - {pin}\n" for pin in pip) + "      - -e .\n")


def main(root: Path) -> None:
    pins = lock_pins((root / "requirements.lock").read_text(encoding="utf-8"))
    names = conda_forge_names(NAMES_FILE.read_text(encoding="utf-8"))
    (root / "environment.yml").write_text(environment_yml(pins, names), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
