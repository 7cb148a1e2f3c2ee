"""`python -m analysis run` on generated corpora of growing size: the whole collection.

For each size, :func:`bench.synthetic_corpus` writes a corpus (the seed corpus's
sentences recombined into new articles, outlets and dates; same seed, same bytes) into a
temporary folder, and the whole run (tables, the six notebooks, their pages) goes into
temporary folders beside it, never the checkout's. Printed per size: articles,
sentences, wall seconds, CPU seconds of every process of the run (the command, its
sweep workers and kernels), peak memory (largest sum of PSS over the process tree,
sampled every 0.5 s) and the one-minute load average at the end.

Usage (from the repository root)::

    .venv/bin/python benchmarks/run_scale.py --sizes 50,200,1000
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import bench

ROOT = Path(__file__).resolve().parents[1]


def run_once(n_articles: int, seed: int, work: Path) -> tuple[int, bench.Usage]:
    """Generate a corpus of ``n_articles`` and run the collection on it."""
    raw = bench.synthetic_corpus(work / "raw", n_articles, seed, source_raw=ROOT / "data" / "raw")
    command = [sys.executable, "-m", "analysis", "run", "--raw", str(raw),
               "--processed", str(work / "processed"), "--reports", str(work / "reports")]
    with bench.measured(interval=0.5) as usage:
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sentences = sum(1 for _ in (work / "processed" / "sentences.csv").open()) - 1
    return sentences, usage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=bench.parse_sizes, default=[50, 200, 1000],
                        help="comma-separated corpus sizes in articles (default 50,200,1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpora")
    args = parser.parse_args(argv)
    print(bench.machine_description(), flush=True)
    print("| articles | sentences | wall | CPU | peak memory | load |", flush=True)
    print("| ---: | ---: | ---: | ---: | ---: | ---: |", flush=True)
    for n_articles in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"run-scale-{n_articles}-"))
        try:
            sentences, usage = run_once(n_articles, args.seed, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"| {n_articles:,} | {sentences:,} | {usage.wall_seconds:.1f} s | "
              f"{usage.cpu_seconds:.1f} s | {bench.format_mib(usage.peak_bytes)} | "
              f"{usage.load:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
