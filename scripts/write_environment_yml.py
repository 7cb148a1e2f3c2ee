"""Write environment.yml from requirements.lock so conda users get the very same pins.

Run by ``make lock``; tests/test_environment.py fails when the two files disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HEADER = """\
# Same exact pins as requirements.lock (written by `make lock`; tests check they agree).
# For conda users: conda env create -f environment.yml. The Makefile uses requirements.lock.
name: ukraine-guarantees-framing
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^\s;]+)")


def lock_pins(lock_text: str) -> list[str]:
    """The ``name==version`` lines of a uv/pip-compile lock file, in file order."""
    return [m.group(1) for line in lock_text.splitlines() if (m := PIN.match(line))]


def environment_yml(pins: list[str]) -> str:
    return HEADER + "".join(f"      - {pin}\n" for pin in pins) + "      - -e .\n"


def main(root: Path) -> None:
    pins = lock_pins((root / "requirements.lock").read_text(encoding="utf-8"))
    (root / "environment.yml").write_text(environment_yml(pins), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
