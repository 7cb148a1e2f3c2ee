"""Kill real ``python -m analysis run``s at random instants: the outputs must stay one generation.

Copies a small corpus twice into a temporary folder (generation A: as it is; generation
B: the first article published a day later, so every output differs), makes both
generations with complete runs on the same output folders, and checks that a third
complete run reproduces A byte for byte. Then, for each trial, it starts a run towards
the generation the outputs are not at, stops it with SIGKILL at a random instant
(seeded), recovers the way the next run does first (``analysis.pipeline.publish.recover`` on the
processed folder) and compares the outputs (processed tables, figures, HTML, executed
notebooks; not ``<reports>/runs``, the run log) with both generations: ``old``,
``new`` or ``mixed``; leftovers of the publish (``.publish-*``) count as mixed too.

Kill instants, in turn: uniform over a run's duration; uniform over its last 20 %;
and a random 0-12 ms after the publish journal says ``publishing`` (watched every
millisecond), to hit the moves themselves. The instant is the run's SIGSTOP: it and
all its descendants (Jupyter kernels live in their own sessions) are then killed. A
last complete run must succeed and give its generation.

Usage (from the repository root; one run takes 20-40 s)::

    .venv/bin/python scripts/kill_runs.py --trials 30 --seed 1

Exit status 0 if no trial was mixed, 1 otherwise (also if a complete run failed).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.notebooks.kernel import KERNEL_ENV
from analysis.pipeline import publish

ROOT = Path(__file__).resolve().parents[1]
# The run itself with the kernels' pinned environment, so both generations hash alike.
ENV = {**os.environ, **KERNEL_ENV}
STRATEGIES = ("uniform", "late", "publish")


def make_raw_copies(raw: Path, work: Path) -> dict[str, Path]:
    """``raw`` as generation A; for B the same with the first article a day later."""
    raw_a, raw_b = work / "raw-a", work / "raw-b"
    shutil.copytree(raw, raw_a)
    shutil.copytree(raw, raw_b)
    with (raw / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = dt.date.fromisoformat(rows[0]["published"])
    rows[0]["published"] = (first + dt.timedelta(days=1)).isoformat()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (raw_b / "manifest.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return {"A": raw_a, "B": raw_b}


def run_command(raw: Path, processed: Path, reports: Path) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "python"), "-m", "analysis", "run", "--raw", str(raw),
            "--processed", str(processed), "--reports", str(reports)]


def snapshot(processed: Path, reports: Path) -> dict[str, str]:
    """SHA-256 of every output file, by path; the run log (``runs/``) left out."""
    files = {}
    for folder in (processed, reports):
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            rel = path.relative_to(folder.parent)
            if path.is_file() and rel.parts[:2] != (reports.name, "runs"):
                files[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def differing(outputs: dict[str, str], reference: dict[str, str]) -> list[str]:
    """Files missing, extra or changed in ``outputs`` against ``reference``."""
    return sorted(k for k in outputs.keys() | reference.keys()
                  if outputs.get(k) != reference.get(k))


def leftovers(work: Path) -> list[str]:
    return sorted(str(p.relative_to(work)) for p in work.rglob(".publish*"))


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from /proc (kernels are in sessions of their own)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(process: subprocess.Popen) -> None:
    """Freeze the run at this instant, then SIGKILL it and everything it started."""
    try:
        os.kill(process.pid, signal.SIGSTOP)
    except ProcessLookupError:
        return
    for pid in [process.pid, *descendants(process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def journal_state(journal: Path) -> str | None:
    try:
        return json.loads(journal.read_text(encoding="utf-8"))["state"]
    except (OSError, ValueError, KeyError):
        return None


def complete_run(raw: Path, processed: Path, reports: Path, log: Path) -> float:
    start = time.monotonic()
    with log.open("w") as out:
        status = subprocess.run(run_command(raw, processed, reports), cwd=ROOT, env=ENV,
                                stdout=out, stderr=subprocess.STDOUT).returncode
    if status != 0:
        sys.exit(f"a complete run towards {raw.name} failed (status {status}); see {log}:\n"
                 + "".join(log.read_text().splitlines(keepends=True)[-20:]))
    return time.monotonic() - start


def killed_run(raw: Path, processed: Path, reports: Path, log: Path, strategy: str,
               duration: float, rng: random.Random) -> str:
    """Start a run, kill it as ``strategy`` says; describe when."""
    journal = publish.journal_path(processed)
    if strategy == "uniform":
        deadline, delay = rng.uniform(0, duration), None
    elif strategy == "late":
        deadline, delay = rng.uniform(0.8 * duration, duration), None
    else:
        deadline, delay = 3 * duration, rng.uniform(0, 0.012)
    with log.open("w") as out:
        process = subprocess.Popen(run_command(raw, processed, reports), cwd=ROOT, env=ENV,
                                   stdout=out, stderr=subprocess.STDOUT)
    start = time.monotonic()
    seen = None
    while process.poll() is None and time.monotonic() - start < deadline:
        if delay is not None and journal_state(journal) == "publishing":
            seen = time.monotonic() - start
            time.sleep(delay)
            break
        time.sleep(0.001 if delay is not None else 0.01)
    at = time.monotonic() - start
    finished = process.poll() is not None
    kill_tree(process)
    if finished:
        return f"finished (status {process.returncode}) before the kill at {at:.2f}s"
    if strategy == "publish":
        return (f"killed at {at:.3f}s, {1000 * (at - seen):.1f} ms after 'publishing'"
                if seen is not None else f"killed at {at:.2f}s, 'publishing' never seen")
    return f"killed at {at:.2f}s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=30, help="killed runs (default 30)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the kill instants")
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw",
                        help="corpus to copy (default: the repository's data/raw)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kill-runs-"))
    processed, reports, logs = work / "processed", work / "reports", work / "logs"
    logs.mkdir()
    raws = make_raw_copies(args.raw.resolve(), work)
    print(f"working in {work}", flush=True)

    generations, durations = {}, []
    for name in ("A", "B", "A"):
        durations.append(complete_run(raws[name], processed, reports,
                                      logs / f"complete-{len(durations)}-{name}.log"))
        outputs = snapshot(processed, reports)
        if name in generations and outputs != generations[name]:
            differ = differing(outputs, generations[name])
            sys.exit(f"two complete runs of {name} differ ({differ[:5]}): runs are not "
                     "reproducible, generations cannot be told apart")
        generations[name] = outputs
        print(f"generation {name}: {len(outputs)} files, run took {durations[-1]:.1f}s",
              flush=True)
    if generations["A"] == generations["B"]:
        sys.exit("generations A and B have the same outputs: the check would prove nothing")
    duration = min(durations)  # the first run of a session may be slower (cold caches)

    state, counts = "A", {}
    for trial in range(1, args.trials + 1):
        target = "B" if state == "A" else "A"
        strategy = STRATEGIES[(trial - 1) % len(STRATEGIES)]
        how = killed_run(raws[target], processed, reports, logs / f"trial-{trial}.log",
                         strategy, duration, rng)
        found = publish.recover(processed)
        outputs, left = snapshot(processed, reports), leftovers(work)
        if left:
            outcome = "mixed"
        elif state in generations and outputs == generations[state]:
            outcome = "old"
        elif outputs == generations[target]:
            outcome = "new"
        else:
            outcome = "mixed"
        counts[strategy, outcome] = counts.get((strategy, outcome), 0) + 1
        detail = ""
        if outcome == "mixed":
            differ = {name: differing(outputs, generations[name]) for name in generations}
            closest = min(differ, key=lambda name: len(differ[name]))
            detail = (f"; leftovers {left[:3]}; closest to {closest}, differing in "
                      f"{len(differ[closest])} files: {differ[closest][:4]}")
        print(f"trial {trial:2d}: {state} -> {target}, {strategy:7s} {how}; journal "
              f"{found or 'none'}; outputs {outcome}{detail}", flush=True)
        state = {"old": state, "new": target, "mixed": "mixed"}[outcome]

    target = "B" if state == "A" else "A"
    complete_run(raws[target], processed, reports, logs / "complete-last.log")
    last_ok = snapshot(processed, reports) == generations[target] and not leftovers(work)
    print(f"last complete run towards {target}: "
          f"{'exactly ' + target if last_ok else 'NOT exactly ' + target}")

    print(f"\n{'kill instant':12s} {'old':>5s} {'new':>5s} {'mixed':>5s}")
    for strategy in (*STRATEGIES, "all"):
        row = [sum(n for (s, o), n in counts.items() if o == outcome and strategy in (s, "all"))
               for outcome in ("old", "new", "mixed")]
        print(f"{strategy:12s} {row[0]:5d} {row[1]:5d} {row[2]:5d}")
    failed = any(o == "mixed" for _, o in counts) or not last_ok
    if failed or args.keep:
        print(f"outputs and logs kept in {work}")
    else:
        shutil.rmtree(work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
