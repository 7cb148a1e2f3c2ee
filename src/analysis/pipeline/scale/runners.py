"""Where corpus mode's tasks run: a local pool of processes or a Dask cluster, with progress.

:func:`local_runner` and :func:`distributed_runner` each give a :class:`Runner`: how
many tasks run at once (which sizes the partitions) and how to compute a Dask bag
there, with a progress bar on stderr (on a terminal) or plain periodic lines (in a
log). :func:`warm_up` loads the measures in a process
before its first task.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

import pandas as pd

from analysis.data import tables
from analysis.errors import InputError
from analysis.progress import Periodic, on_terminal

if TYPE_CHECKING:
    import dask.bag
    import distributed

# The measures (nltk, scipy, scikit-learn), Dask and tqdm are imported where they are
# used: registering the `score` command must not cost their import to every command.

def default_workers() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def warm_up() -> None:
    """Load every measure's lexicons and caches by scoring one sentence.

    Called in the parent before workers are forked (they inherit the loaded state) and
    as the initializer of spawned workers, so start-up is paid once a process, before
    the first task, not inside one partition.
    """
    from analysis.pipeline import build

    text = "The United States offered Ukraine security guarantees, officials said."
    sentences = pd.DataFrame({"article_id": ["warm-up"], "sentence_id": [0],
                              "section": ["body"], "paragraph_id": [0], "start": [0],
                              "end": [len(text)], "text": [text]})
    build.score_sentences(tables.conform(sentences, "sentences"))


def _noop(value: int) -> int:
    return value


@contextlib.contextmanager
def _process_pool(n_workers: int) -> Iterator[ProcessPoolExecutor]:
    """A started pool of ``n_workers`` processes for Dask's multiprocessing scheduler.

    The work is pure Python and holds the GIL, so it needs processes. Forked workers
    inherit this process's imported modules and loaded lexicons (importing nltk alone
    takes seconds), but fork is safe only from a single-threaded process; otherwise the
    workers come from a fork server that has imported the measures once (or, where
    there is none, are spawned and import them each). The pool is started before a
    progress thread exists, which is why it is not left to Dask.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        warm_up()
        context, initializer = multiprocessing.get_context("fork"), None
    elif "forkserver" in methods:
        # The fork server imports the measures once; workers are forked from it.
        context, initializer = multiprocessing.get_context("forkserver"), warm_up
        context.set_forkserver_preload(["analysis.pipeline", "analysis.pipeline.scale"])
    else:
        context, initializer = multiprocessing.get_context("spawn"), warm_up
    with ProcessPoolExecutor(n_workers, mp_context=context, initializer=initializer) as pool:
        # Frozen objects are skipped by the workers' garbage collections, so the pages
        # they inherit stay shared instead of being copied on the first collection.
        gc.freeze()
        try:
            list(pool.map(_noop, range(n_workers)))
        finally:
            gc.unfreeze()
        yield pool


@dataclasses.dataclass(frozen=True)
class Runner:
    """Where the tasks run: how many at once, and how to compute a bag there."""

    workers: int
    compute: Callable[[dask.bag.Bag], list]


def _periodic_lines():
    """A Dask callback saying every so often how many of the graph's tasks are done."""
    from dask.callbacks import Callback

    class PeriodicLines(Callback):
        def _start_state(self, dsk, state):
            self._lines = Periodic("score", len(dsk), "task")

        def _posttask(self, key, result, dsk, state, worker_id):
            self._lines.advance()

    return PeriodicLines()


def _compute_local(bag: dask.bag.Bag, pool: ProcessPoolExecutor, progress: bool) -> list:
    from dask.diagnostics import ProgressBar

    if not progress:
        shown = contextlib.nullcontext()
    else:
        shown = ProgressBar(out=sys.stderr) if on_terminal() else _periodic_lines()
    with shown:
        # chunksize=1: a partition is a long task; Dask's default batches six.
        return bag.compute(scheduler="processes", pool=pool, chunksize=1)


@contextlib.contextmanager
def local_runner(n_workers: int, progress: bool) -> Iterator[Runner]:
    """A :class:`Runner` on a pool of ``n_workers`` local processes (Dask's multiprocessing
    scheduler); the pool waits for its running tasks when the context ends."""
    with _process_pool(n_workers) as pool:
        yield Runner(n_workers, functools.partial(_compute_local, pool=pool, progress=progress))


def _connect(address: str):
    from distributed import Client

    try:
        # The connect timeout is Dask's "distributed.comm.timeouts.connect" (30 s).
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise InputError([f"cannot reach the Dask scheduler at {address!r}: {error}"]) from error


def _compute_distributed(bag: dask.bag.Bag, client: distributed.Client, progress: bool) -> list:
    from distributed import as_completed
    from tqdm import tqdm

    futures = client.compute(bag.to_delayed())
    lines = Periodic("score", len(futures), "partition") if progress and not on_terminal() \
        else None
    try:
        for _ in tqdm(as_completed(futures, loop=client.loop), total=len(futures),
                      file=sys.stderr, disable=not progress or lines is not None,
                      unit="partition"):
            if lines is not None:
                lines.advance()
        return [item for partition in client.gather(futures) for item in partition]
    except BaseException:
        client.cancel(futures)  # tasks not yet started must not write any more
        raise


@contextlib.contextmanager
def distributed_runner(address: str, progress: bool) -> Iterator[Runner]:
    """A :class:`Runner` on the Dask cluster whose scheduler is at ``address``; an
    unreachable scheduler raises ``InputError``."""
    with _connect(address) as client:
        # The cluster's threads: the tasks it runs at once (at least one, for a
        # cluster whose workers have not joined yet).
        workers = max(1, sum(client.nthreads().values()))
        yield Runner(workers, functools.partial(_compute_distributed, client=client,
                                                 progress=progress))
