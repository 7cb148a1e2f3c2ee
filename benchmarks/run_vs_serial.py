"""`python -m analysis run` against the same work done one step after another by hand.

The serial way: `python -m analysis build`, then each notebook with the papermill
command line, one after the other, on the project kernel. Both write into temporary
folders (never the checkout's) and alternate, ``--pairs`` times, so that the machine's
drift falls on both alike. For each, the wall time and the CPU seconds of every process
involved (the command and its kernels) are printed, then the ratios the speed target
is stated in: run / serial, and run / (its own CPU seconds / cores).

Usage (from the repository root)::

    .venv/bin/python benchmarks/run_vs_serial.py --pairs 2
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(commands: list[list[str]]) -> tuple[float, float]:
    """Run ``commands`` one after the other; (wall seconds, CPU seconds of them all)."""
    cpu, wall = _children_cpu(), time.perf_counter()
    for command in commands:
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return time.perf_counter() - wall, _children_cpu() - cpu


def run_command(work: Path) -> list[list[str]]:
    return [[PYTHON, "-m", "analysis", "run", "--processed", str(work / "processed"),
             "--reports", str(work / "reports")]]


def serial_commands(work: Path) -> list[list[str]]:
    from analysis.notebooks.files import discover_notebooks
    from analysis.notebooks.kernel import KERNEL_NAME

    commands = [[PYTHON, "-m", "analysis", "build", "--processed", str(work / "processed")]]
    for notebook in discover_notebooks(ROOT / "notebooks"):
        commands.append([
            PYTHON, "-m", "papermill", str(notebook), str(work / notebook.name),
            "-k", KERNEL_NAME, "--cwd", str(ROOT / "notebooks"), "--no-progress-bar",
            "-p", "processed_dir", str(work / "processed"),
            "-p", "figures_dir", str(work / "figures")])
    return commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2, help="alternating pairs (default 2)")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    rows = []
    for pair in range(1, args.pairs + 1):
        for way, commands in (("run", run_command), ("serial", serial_commands)):
            work = Path(tempfile.mkdtemp(prefix=f"bench-{way}-"))
            try:
                wall, cpu = _timed(commands(work))
            finally:
                shutil.rmtree(work, ignore_errors=True)
            rows.append((pair, way, wall, cpu))
            print(f"pair {pair} {way:6s} wall {wall:6.1f} s  CPU {cpu:6.1f} s", flush=True)
    for pair in range(1, args.pairs + 1):
        (_, _, run_wall, run_cpu), (_, _, serial_wall, _) = [r for r in rows if r[0] == pair]
        print(f"pair {pair}: run / serial = {run_wall / serial_wall:.2f}; "
              f"run / (its CPU / {cores} cores) = {run_wall / (run_cpu / cores):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
