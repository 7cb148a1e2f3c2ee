"""Benchmark of corpus mode: throughput, memory, and the notebook pipeline's wall time.

``benchmarks/bench.py`` (``make bench``) builds deterministic synthetic corpora
(:func:`synthetic_corpus`) at several sizes and prints, in one run:

* the throughput, in sentences a second, of corpus mode
  (:func:`analysis.pipeline.scale.score_corpus`: segmentation, guarantee framing,
  generic frames, quotes, both sentiment lexicons, Parquet output) and of the same
  helpers called in a plain single-process loop over the same articles
  (:func:`plain_loop`), and their ratio;
* the ceiling of that ratio on this machine: the throughput of two plain loops run at
  once in two processes against one alone (:func:`side_by_side`). Cores that share
  execution units, caches or a host's time slow each other down, which no engine can
  avoid;
* the throughput of the reference ``vaderSentiment`` analyzer alone, and how much the
  framing measures add on top of sentiment;
* the peak memory of corpus mode at each size: the proportional set size (PSS, shared
  pages split between the processes sharing them) of this process and its workers,
  sampled by a separate monitor process during the first run (the others are timed
  without it);
* the wall time of ``python -m analysis run`` on a copy of the project's notebooks and
  seed corpus, against the serial floor: for each notebook, starting a kernel and
  running the notebook's imports, one notebook after the other (:func:`notebook_floor`).

This is a benchmark, not a test: it asserts nothing and its figures depend on the
machine and on what else runs there. Corpora and runs go to a temporary folder
(``TMPDIR``; about 4 KB of text and 1.2 KB of Parquet an article) and are removed.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from analysis.__main__ import positive_int
from analysis.errors import InputError
from analysis.pipeline import scale

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.synchronize import Barrier

# The measures are imported where they are used, as in analysis.pipeline.scale.

DEFAULT_SIZES = (1_000, 10_000, 100_000)
FIRST_DATE = dt.date(2025, 1, 1)
LAST_DATE = dt.date(2026, 6, 30)
# Invented outlets and reporters: the text is recombined, so it must not be attributed
# to real ones.
OUTLETS = (
    "Synthetic Daily", "Synthetic Herald", "Synthetic Observer", "Synthetic Post",
    "Synthetic Times", "Synthetic Wire",
)
REPORTERS = ("Alex Doe", "Sam Roe", "Jordan Poe", "Casey Loe", "Robin Moe", "Taylor Voe")
# Lead-ins that make recombined sentences distinct strings: sentiment scores each
# distinct text of a call once, so repeated sentences would flatter its throughput.
LEADS = ("On day {n}, ", "In week {n}, ", "In dispatch {n}, ", "By hour {n}, ")
LEAD_NUMBERS = 10_000
UNCHANGED_SHARE = 0.1  # sentences kept verbatim, as syndicated text repeats
# Sentence-initial words that are lower-cased after a lead-in (names keep their case).
COMMON_FIRST_WORDS = frozenset({
    "The", "He", "She", "It", "They", "We", "This", "That", "These", "There", "However",
    "According", "Earlier", "Meanwhile", "In", "On", "At", "After", "Asked", "But", "And",
})
SUMMARY_SHARE, DECK_SHARE = 0.5, 0.3
PARAGRAPHS = (4, 15)  # body paragraphs an article, [low, high)
SENTENCES_PER_PARAGRAPH = (1, 4)
MEMORY_INTERVAL = 0.5  # seconds between memory samples (reading PSS costs CPU)
# Articles of each loop of the side-by-side measurement: two batches, some 8 s a loop
# here, long enough that starting the processes together does not matter.
SIDE_BY_SIDE_ARTICLES = 500


# --------------------------------------------------------------------------- synthetic corpus


@dataclasses.dataclass(frozen=True)
class SentencePool:
    """Sentence texts of a source corpus by section, to recombine into new articles."""

    titles: tuple[str, ...]
    summary: tuple[str, ...]
    deck: tuple[str, ...]
    body: tuple[str, ...]

    @classmethod
    def from_corpus(cls, raw_dir: str | os.PathLike) -> SentencePool:
        """The sentences of a valid raw corpus; titles double as decks and vice versa.

        Raises
        ------
        InputError
            If the corpus is invalid or has no body sentence.
        """
        from analysis.data import corpus

        _, sentences = corpus.build_corpus_tables(raw_dir)
        by_section = {section: tuple(group["text"]) for section, group
                      in sentences.groupby("section", sort=True)}
        body = by_section.get("body", ())
        if not body:
            raise InputError([f"{raw_dir}: no body sentence to build synthetic articles from"])
        headlines = by_section.get("title", ()) + by_section.get("deck", ())
        return cls(titles=headlines, summary=by_section.get("summary", ()) or body,
                   deck=headlines, body=body)


def _vary(sentence: str, rng: np.random.Generator) -> str:
    """The sentence, mostly behind a numbered lead-in ("On day 412, the ...")."""
    if rng.random() < UNCHANGED_SHARE:
        return sentence
    lead = LEADS[rng.integers(len(LEADS))].format(n=int(rng.integers(1, LEAD_NUMBERS)))
    first, space, rest = sentence.partition(" ")
    if first.rstrip(",;:") in COMMON_FIRST_WORDS:
        first = first.lower()
    return lead + first + space + rest


def _pick(texts: Sequence[str], rng: np.random.Generator, low: int, high: int) -> list[str]:
    return [_vary(texts[i], rng) for i in rng.integers(len(texts), size=rng.integers(low, high))]


def synthetic_article(pool: SentencePool, index: int, seed: int = 0) -> tuple[str, dict]:
    """One synthetic article in the raw layout, and its manifest fields.

    The article depends only on ``pool``, ``index`` and ``seed`` (not on the corpus
    size), so a smaller corpus is a prefix of a larger one.

    Returns
    -------
    text : str
        Title, optional summary bullets and deck lines, 4-14 body paragraphs of 1-3
        recombined sentences, a reporter byline, outlet boilerplate and an image link.
    fields : dict
        ``article_id``, ``outlet``, ``published`` (2025-01-01 to 2026-06-30).
    """
    rng = np.random.default_rng([seed, index])
    outlet = OUTLETS[rng.integers(len(OUTLETS))]
    days = (LAST_DATE - FIRST_DATE).days + 1
    published = FIRST_DATE + dt.timedelta(days=int(rng.integers(days)))
    lines = [_vary(pool.titles[rng.integers(len(pool.titles))], rng)]
    if rng.random() < SUMMARY_SHARE:
        lines += ["Summary"] + [f"- {s}" for s in _pick(pool.summary, rng, 2, 4)]
    if pool.deck and rng.random() < DECK_SHARE:
        lines += _pick(pool.deck, rng, 1, 3)
    lines.append("")
    lines += [" ".join(_pick(pool.body, rng, *SENTENCES_PER_PARAGRAPH))
              for _ in range(rng.integers(*PARAGRAPHS))]
    reporter = REPORTERS[rng.integers(len(REPORTERS))]
    domain = outlet.lower().replace(" ", "") + ".example"
    handle = reporter.lower().replace(" ", ".")
    lines += [f"{reporter}, {domain} reporter {handle}@{domain}", "", outlet,
              f"![Related coverage]({domain}/related-{index}.webp)", ""]
    fields = {"article_id": f"syn-{index:06d}", "outlet": outlet,
              "published": published.isoformat()}
    return "\n".join(lines), fields


def synthetic_corpus(out_dir: str | os.PathLike, n_articles: int, seed: int = 0, *,
                     source_raw: str | os.PathLike = "data/raw") -> Path:
    """Write a synthetic corpus of ``n_articles`` in the raw layout; same arguments, same bytes.

    Articles recombine the sentences of ``source_raw`` (see :func:`synthetic_article`),
    1,000 files a subfolder; the manifest lists them with their sha256.

    Parameters
    ----------
    out_dir : path
        Folder to write (``manifest.csv`` and ``NNN/syn-NNNNNN.txt``).
    n_articles : int
        Articles to write, at least 0.
    seed : int, default 0
        Seed of the recombination.
    source_raw : path, default ``"data/raw"``
        A valid raw corpus to take sentences from.

    Returns
    -------
    Path
        ``out_dir``.
    """
    from analysis.data import corpus

    if n_articles < 0:
        raise ValueError(f"n_articles must be at least 0, got {n_articles}")
    pool = SentencePool.from_corpus(source_raw)
    out_dir = Path(out_dir)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["article_id", "file", "outlet", "published", "url", "language",
                     "sha256", "note"])
    for index in range(n_articles):
        text, fields = synthetic_article(pool, index, seed)
        data = text.encode("utf-8")
        file = f"{index // 1000:03d}/{fields['article_id']}.txt"
        (out_dir / file).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / file).write_bytes(data)
        writer.writerow([fields["article_id"], file, fields["outlet"], fields["published"],
                         "", "en", hashlib.sha256(data).hexdigest(),
                         f"synthetic, seed {seed}"])
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / corpus.MANIFEST_NAME).write_bytes(buffer.getvalue().encode("utf-8"))
    return out_dir


# --------------------------------------------------------------------------- measurements


# The monitor runs in its own process, so that this one stays single-threaded (corpus
# mode forks its workers only from a single-threaded process). It samples the PSS of
# the watched process and its descendants until its stdin closes, then prints the peak.
_MONITOR = """
import os, select, sys, psutil
root = psutil.Process(int(sys.argv[1])); interval = float(sys.argv[2]); peak = 0
def size(p):
    try:
        return p.memory_full_info().pss
    except psutil.AccessDenied:
        return p.memory_info().rss
    except psutil.NoSuchProcess:
        return 0
while True:
    tree = [root] + [p for p in root.children(recursive=True) if p.pid != os.getpid()]
    peak = max(peak, sum(size(p) for p in tree))
    if select.select([sys.stdin], [], [], interval)[0]:
        break
times = os.times()
print(peak, times.user + times.system)
"""


def _cpu_seconds() -> float:
    """User + system CPU time of this process and of its children that have ended."""
    import resource  # POSIX only, like the memory monitor

    own, children = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclasses.dataclass
class Usage:
    """Resources used by a block: wall and CPU seconds, peak memory, machine load.

    Attributes
    ----------
    wall_seconds : float
    cpu_seconds : float
        User + system time of this process and its children (workers), the memory
        monitor's own time excluded.
    peak_bytes : int
        Largest sum of PSS over this process and its descendants seen.
    load : float
        One-minute load average at the end: the runnable processes of the whole
        machine, this run's included; above the core count the cores were contended.
    """

    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_bytes: int = 0
    load: float = 0.0


@contextlib.contextmanager
def measured(interval: float | None = MEMORY_INTERVAL) -> Iterator[Usage]:
    """Measure the block: yields a :class:`Usage` filled in when the block ends.

    The memory monitor samples every ``interval`` seconds. Reading PSS walks the page
    tables of every process, some 5% of a core at 0.5 s for corpus mode's three, which
    the block's processes then lack; with ``interval=None`` no monitor runs and
    ``peak_bytes`` stays 0.
    """
    usage = Usage()
    monitor = None if interval is None else subprocess.Popen(
        [sys.executable, "-c", _MONITOR, str(os.getpid()), str(interval)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        if monitor is not None:
            time.sleep(interval)  # let the monitor import psutil and take a first sample
        cpu, start = _cpu_seconds(), time.perf_counter()
        yield usage
        usage.wall_seconds = time.perf_counter() - start
    finally:
        output = "0 0" if monitor is None else monitor.communicate("stop\n")[0]
    peak, monitor_cpu = output.split()
    usage.cpu_seconds = _cpu_seconds() - cpu - float(monitor_cpu)
    usage.peak_bytes = int(peak)
    usage.load = os.getloadavg()[0]


@dataclasses.dataclass
class LoopTimes:
    """Seconds spent by the plain single-process loop, per stage.

    ``n_unique`` counts distinct sentence texts within each batch (what sentiment's
    per-call cache can reuse), summed over batches; ``cpu`` is the CPU time of the
    work (:attr:`total`), without the VADER-alone pass; ``load`` the one-minute load
    average at the end (see :class:`Usage`).
    """

    n_sentences: int = 0
    n_unique: int = 0
    cpu: float = 0.0
    load: float = 0.0
    manifest: float = 0.0
    segmentation: float = 0.0
    framing: float = 0.0
    sentiment: float = 0.0
    vader_alone: float = 0.0

    @property
    def total(self) -> float:
        """The work of corpus mode: manifest, segmentation, framing and sentiment."""
        return self.manifest + self.segmentation + self.framing + self.sentiment


def plain_loop(raw_dir: str | os.PathLike,
               articles_per_batch: int = scale.MAX_ARTICLES_PER_PARTITION, *,
               reference: bool = True) -> LoopTimes:
    """The same helpers as corpus mode, called in a plain loop in this process.

    Articles go in batches of corpus mode's largest partitions by default (its
    memory bound; a single process has no workers to balance), so the loop pays the
    helpers' per-call costs no more often than corpus mode; nothing is written. With
    ``reference``, after each batch the reference VADER analyzer alone scores every
    sentence (no cache), timed separately.
    """
    from analysis.data import corpus
    from analysis.measures import framing, sentiment

    times = LoopTimes()
    cpu, t0 = time.process_time(), time.perf_counter()
    manifest = corpus.load_manifest(raw_dir).sort_values("article_id", kind="mergesort")
    times.manifest = time.perf_counter() - t0
    vader = sentiment.reference_vader()
    vader_cpu = 0.0
    for start in range(0, len(manifest), articles_per_batch):
        t0 = time.perf_counter()
        _, sentences = corpus.partition_tables(
            manifest.iloc[start:start + articles_per_batch], raw_dir)
        t1 = time.perf_counter()
        framing.guarantee_mentions(sentences)
        framing.generic_frames(sentences)
        framing.extract_quotes(sentences)
        t2 = time.perf_counter()
        sentiment.score_sentences(sentences)
        t3, vader_start = time.perf_counter(), time.process_time()
        for text in sentences["text"] if reference else ():
            vader.polarity_scores(text)
        t4 = time.perf_counter()
        vader_cpu += time.process_time() - vader_start
        times.segmentation += t1 - t0
        times.framing += t2 - t1
        times.sentiment += t3 - t2
        times.vader_alone += t4 - t3
        times.n_sentences += len(sentences)
        times.n_unique += sentences["text"].nunique()
    times.cpu = time.process_time() - cpu - vader_cpu
    times.load = os.getloadavg()[0]
    return times


@dataclasses.dataclass
class SideBySide:
    """The plain loop alone and two copies of it at once, each in a process of its own.

    Attributes
    ----------
    n_articles : int
        Articles each loop scores.
    alone : list of (float, float)
        Wall and CPU seconds of the loop's work (:attr:`LoopTimes.total`) alone, one
        pair a repetition.
    together : list of list of (float, float)
        The same, of each of the two loops run at once, one list a repetition.
    load : float
        One-minute load average at the end (see :class:`Usage`).
    """

    n_articles: int
    alone: list[tuple[float, float]]
    together: list[list[tuple[float, float]]]
    load: float

    @property
    def ceilings(self) -> list[float]:
        """Throughput of the two loops together over one loop alone's, a repetition:
        ``2 / (1 + X)`` where each loop takes ``X`` longer beside the other."""
        return [2 * alone / statistics.mean(wall for wall, _ in together)
                for (alone, _), together in zip(self.alone, self.together, strict=True)]

    @property
    def ceiling(self) -> float:
        """The median of :attr:`ceilings`.

        Each repetition compares runs next to each other in time: the speed of this
        machine's cores drifts by 10-15% between runs of the same work, and the best
        run alone against the best two together would compare different moments (one
        process's lucky minute against two processes' average).
        """
        return statistics.median(self.ceilings)


def _loop_in_process(raw_dir: str, barrier: Barrier, sender: Connection) -> None:
    """Target of :func:`_loops_at_once`: load the measures, wait for the others, time."""
    scale.warm_up()  # forked processes have them already; spawned ones import them
    barrier.wait()
    times = plain_loop(raw_dir, reference=False)
    sender.send((times.total, times.cpu))
    sender.close()


def _loops_at_once(raw_dir: Path, n_loops: int) -> list[tuple[float, float]]:
    """Wall and CPU seconds of each of ``n_loops`` plain loops started together."""
    context = multiprocessing.get_context()
    barrier = context.Barrier(n_loops)
    pipes = [context.Pipe(duplex=False) for _ in range(n_loops)]
    processes = [context.Process(target=_loop_in_process, args=(str(raw_dir), barrier, sender))
                 for _, sender in pipes]
    for process, (_, sender) in zip(processes, pipes, strict=True):
        process.start()
        sender.close()  # a process that dies then ends its pipe: recv raises EOFError
    try:
        return [receiver.recv() for receiver, _ in pipes]
    finally:
        for process in processes:
            process.join()


def side_by_side(work_dir: Path, seed: int, source_raw: str | os.PathLike, *,
                 n_articles: int = SIDE_BY_SIDE_ARTICLES, repeat: int = 1) -> SideBySide:
    """The ceiling of corpus mode's ratio here: one plain loop alone, then two at once.

    Each loop (:func:`plain_loop` without the reference pass) runs in a process of its
    own over the same synthetic corpus; the two start together. Alone and together
    alternate ``repeat`` times; each repetition gives a ceiling, and their median counts
    (see :attr:`SideBySide.ceiling`).
    """
    raw = work_dir / "raw-side-by-side"
    synthetic_corpus(raw, n_articles, seed, source_raw=source_raw)
    scale.warm_up()  # before the processes fork, as for corpus mode's workers
    alone, together = [], []
    for _ in range(repeat):
        alone += _loops_at_once(raw, 1)
        together.append(_loops_at_once(raw, 2))
    shutil.rmtree(raw)
    return SideBySide(n_articles, alone, together, os.getloadavg()[0])


@dataclasses.dataclass
class SizeResult:
    """Figures of one corpus size: corpus mode's usage, the plain loop's and its stages."""

    n_articles: int
    n_sentences: int
    partitions: int
    generate_seconds: float
    corpus: Usage
    loop: LoopTimes

    @property
    def corpus_rate(self) -> float:
        return self.n_sentences / self.corpus.wall_seconds

    @property
    def loop_rate(self) -> float:
        return self.loop.n_sentences / self.loop.total


def bench_size(work_dir: Path, n_articles: int, seed: int, source_raw: str | os.PathLike, *,
               scheduler: str | None = None, n_workers: int | None = None,
               articles_per_partition: int | None = None, repeat: int = 1) -> SizeResult:
    """Generate a corpus of ``n_articles``, score it in corpus mode and in the plain loop.

    Corpus mode cuts its partitions as :func:`analysis.pipeline.scale.score_corpus` does unless
    ``articles_per_partition`` is given; the loop's batches are that size too, or corpus
    mode's largest partitions. The modes alternate ``repeat`` times, and each keeps its
    fastest run (the one least slowed by other work on the machine). The peak memory is
    sampled in corpus mode's first run only, so that the other runs are timed without
    the monitor's own work (see :func:`measured`).
    """
    raw, out = work_dir / f"raw-{n_articles}", work_dir / f"scored-{n_articles}"
    t0 = time.perf_counter()
    synthetic_corpus(raw, n_articles, seed, source_raw=source_raw)
    generated = time.perf_counter() - t0
    # Both modes are timed with the measures imported and their lexicons loaded: the
    # one-off import (seconds, for nltk) would otherwise land on whichever runs first.
    scale.warm_up()
    runs, loops = [], []
    for run in range(repeat):
        with measured(MEMORY_INTERVAL if run == 0 else None) as usage:
            report = scale.score_corpus(raw, out, scheduler=scheduler, n_workers=n_workers,
                                        articles_per_partition=articles_per_partition,
                                        progress=False)
        shutil.rmtree(out)
        runs.append(usage)
        loops.append(plain_loop(raw, articles_per_partition or scale.MAX_ARTICLES_PER_PARTITION))
    best = min(runs, key=lambda usage: usage.wall_seconds)
    best = dataclasses.replace(best, peak_bytes=runs[0].peak_bytes)
    loop = min(loops, key=lambda times: times.total)
    shutil.rmtree(raw)
    return SizeResult(n_articles, report.n_sentences, report.partitions, generated, best, loop)


# --------------------------------------------------------------------------- notebooks


def notebook_imports(path: str | os.PathLike) -> str:
    """The import statements of a notebook's code cells, in order, as one program.

    IPython syntax (magics, shell escapes) is translated first, so any cell parses.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    from analysis.notebooks import files

    transformer = TransformerManager()
    statements = []
    for cell in files.read_notebook(path).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(transformer.transform_cell(cell.source))
        statements += [ast.unparse(node) for node in tree.body
                       if isinstance(node, ast.Import | ast.ImportFrom)]
    return "\n".join(statements)


def kernel_import_seconds(path: str | os.PathLike) -> float:
    """Seconds to start the notebook's kernel (pinned environment, notebook's folder as
    working folder) and run its imports there."""
    from jupyter_client import KernelManager

    from analysis.notebooks.kernel import KERNEL_NAME

    path = Path(path).absolute()
    code = notebook_imports(path)
    t0 = time.perf_counter()
    manager = KernelManager(kernel_name=KERNEL_NAME)
    # The kernel's own start-up warnings are not part of the measurement.
    manager.start_kernel(cwd=str(path.parent), stderr=subprocess.DEVNULL)
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=300)
        reply = client.execute_interactive(code, timeout=300, output_hook=lambda _: None)
        elapsed = time.perf_counter() - t0
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{path.name}: imports failed: {reply['content'].get('evalue')}")
    return elapsed


def notebook_floor(notebooks_dir: str | os.PathLike) -> dict[str, float]:
    """Serial floor of a notebook run: kernel start plus imports, notebook by notebook."""
    from analysis.notebooks import files

    return {path.stem: kernel_import_seconds(path)
            for path in files.discover_notebooks(notebooks_dir)}


@dataclasses.dataclass
class NotebookResult:
    """Wall time of ``python -m analysis run`` and the serial floor per notebook.

    ``build_seconds`` is a separate ``python -m analysis build`` (interpreter start,
    validation and every table: the run's first step); ``log`` the run's per-notebook
    progress lines (``done in N s``).
    """

    run_seconds: float | None
    floor: dict[str, float]
    build_seconds: float | None = None
    log: list[str] = dataclasses.field(default_factory=list)
    note: str = ""

    @property
    def floor_seconds(self) -> float:
        return sum(self.floor.values())


def bench_notebooks(work_dir: Path, project_dir: str | os.PathLike,
                    raw_dir: str | os.PathLike) -> NotebookResult:
    """Time ``python -m analysis run`` on a copy of the project's notebooks and corpus.

    The copy (``notebooks/``, ``data/raw/``) keeps the checkout untouched; the run uses
    its default folders relative to the copy.
    """
    project_dir = Path(project_dir)
    mirror = work_dir / "project"
    shutil.copytree(project_dir / "notebooks", mirror / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(raw_dir, mirror / "data" / "raw")
    floor = notebook_floor(mirror / "notebooks")
    if not floor:
        return NotebookResult(None, floor, note="no notebooks found")
    seconds = {}
    for command in ("build", "run"):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "analysis", command], cwd=mirror,
                              capture_output=True, text=True)
        seconds[command] = time.perf_counter() - t0
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            return NotebookResult(None, floor, note=f"`{command}` failed (exit "
                                  f"{done.returncode}): {last}")
    log = [line for line in done.stderr.splitlines() if " done in " in line]
    return NotebookResult(seconds["run"], floor, seconds["build"], log)


# --------------------------------------------------------------------------- report


def machine_description() -> str:
    """Cores, CPU model, memory and Python of this machine, one line."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(ImportError):
        import psutil

        memory = f", {psutil.virtual_memory().total / 2**30:.1f} GiB memory"
    return (f"{scale.default_workers()} cores ({model}){memory}, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def format_mib(n_bytes: int) -> str:
    """Bytes as whole mebibytes, e.g. ``"347 MiB"``."""
    return f"{n_bytes / 2**20:,.0f} MiB"


def format_side_by_side(result: SideBySide) -> list[str]:
    """Report lines of :func:`side_by_side`."""
    repetitions = "; ".join(
        f"{alone:.1f} s ({alone_cpu:.1f} CPU) alone, "
        + " and ".join(f"{wall:.1f} s ({cpu:.1f})" for wall, cpu in together) + " together"
        for (alone, alone_cpu), together in zip(result.alone, result.together, strict=True))
    ceilings = ", ".join(f"{ceiling:.2f}" for ceiling in result.ceilings)
    return [
        f"side by side    {result.ceiling:9.2f} x one loop: two independent plain loops at "
        f"once, the ceiling of corpus mode's ratio here (median of {ceilings})",
        f"                ({result.n_articles:,} articles a loop: {repetitions}; "
        f"load {result.load:.1f})",
    ]


def format_size(result: SizeResult, ceiling: float | None = None) -> list[str]:
    """Report lines of one corpus size; ``ceiling`` is :attr:`SideBySide.ceiling`."""
    loop, corpus_usage = result.loop, result.corpus
    unique = loop.n_unique / loop.n_sentences if loop.n_sentences else 1.0
    ratio = result.corpus_rate / result.loop_rate
    of_ceiling = f"; {ratio / ceiling:.0%} of the side-by-side ceiling" if ceiling else ""
    return [
        f"{result.n_articles:,} articles, {result.n_sentences:,} sentences "
        f"(generated in {result.generate_seconds:.1f} s; {unique:.1%} distinct within a batch)",
        f"  corpus mode     {result.corpus_rate:9,.0f} sentences/s  "
        f"({corpus_usage.wall_seconds:.1f} s wall, {corpus_usage.cpu_seconds:.1f} s CPU, "
        f"{result.partitions} partition(s), peak memory {format_mib(corpus_usage.peak_bytes)}, "
        f"load {corpus_usage.load:.1f})",
        f"  plain loop      {result.loop_rate:9,.0f} sentences/s  ({loop.total:.1f} s wall, "
        f"{loop.cpu:.1f} s CPU: manifest {loop.manifest:.1f}, segmentation "
        f"{loop.segmentation:.1f}, framing {loop.framing:.1f}, sentiment {loop.sentiment:.1f}; "
        f"load {loop.load:.1f})",
        f"  ratio           {ratio:9.2f} x the plain loop "
        f"(CPU time {corpus_usage.cpu_seconds / loop.cpu:.2f} x the loop's{of_ceiling})",
        f"  vaderSentiment  {loop.n_sentences / loop.vader_alone:9,.0f} sentences/s alone",
        f"  framing adds    {loop.framing / loop.sentiment:9.1%} on top of sentiment",
    ]


def format_notebooks(result: NotebookResult) -> list[str]:
    """Report lines of the notebook pipeline."""
    floor = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.floor.items())
    lines = [f"notebook floor  {result.floor_seconds:.1f} s serial ({floor})"]
    if result.run_seconds is None:
        lines.append(f"analysis run    not measured: {result.note}")
        return lines
    lines.append(f"analysis run    {result.run_seconds:.1f} s = "
                 f"{result.run_seconds / result.floor_seconds:.2f} x the serial floor "
                 f"(analysis build alone {result.build_seconds:.1f} s)")
    lines += [f"  {line.strip()}" for line in result.log]
    return lines


def parse_sizes(text: str) -> list[int]:
    """Comma-separated corpus sizes (argparse ``type``), each at least 1."""
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of "
                                         "whole numbers") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be at least 1, got {text!r}")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``benchmarks/bench.py`` (``make bench``)."""
    parser = argparse.ArgumentParser(
        prog="benchmarks/bench.py",
        description="Build synthetic corpora from the seed corpus and print the throughput "
        "and peak memory of corpus mode against a plain loop, and the notebook pipeline's "
        "wall time against its serial floor.")
    parser.add_argument("--raw", type=Path, default=Path("data/raw"),
                        help="seed corpus to recombine (default: data/raw)")
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="corpus sizes in articles, comma-separated "
                        "(default: 1000,10000,100000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask distributed scheduler for corpus mode (default: local)")
    parser.add_argument("--workers", type=positive_int,
                        help="local worker processes (default: every core)")
    parser.add_argument("--articles-per-partition", type=positive_int,
                        help="articles a task scores, and a batch of the plain loop (default: "
                        "corpus mode's own choice; the loop's batches "
                        f"{scale.MAX_ARTICLES_PER_PARTITION})")
    parser.add_argument("--repeat", type=positive_int, default=1,
                        help="runs of each mode per size; the fastest counts (default: 1)")
    parser.add_argument("--project", type=Path, default=Path("."),
                        help="project folder whose notebooks/ are timed (default: .)")
    parser.add_argument("--no-side-by-side", dest="side_by_side", action="store_false",
                        help="skip timing two plain loops at once against one alone")
    parser.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                        help="skip the notebook pipeline timing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures as they are measured; exit status 0 (2 on a bad seed corpus)."""
    args = build_parser().parse_args(argv)
    from analysis.data import corpus

    try:
        corpus.check_corpus(args.raw)
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    # Corpora and runs go to a temporary folder (TMPDIR), removed at the end.
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        work_dir = Path(temporary)
        print(f"machine: {machine_description()}", flush=True)
        ceiling = None
        if args.side_by_side:
            # First, while this process has no threads to fork with.
            pair = side_by_side(work_dir, args.seed, args.raw, repeat=args.repeat)
            print("\n".join(format_side_by_side(pair)), flush=True)
            ceiling = pair.ceiling
        for n_articles in args.sizes:
            result = bench_size(work_dir, n_articles, args.seed, args.raw,
                                scheduler=args.scheduler, n_workers=args.workers,
                                articles_per_partition=args.articles_per_partition,
                                repeat=args.repeat)
            print("\n".join(format_size(result, ceiling)), flush=True)
        if args.notebooks:
            print("\n".join(format_notebooks(bench_notebooks(work_dir, args.project,
                                                             args.raw))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
