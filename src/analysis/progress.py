"""Progress lines on stderr: what a run is doing, in order, with its times.

Every line is written whole, under one lock, so lines from threads that run side by
side (the notebooks) never interleave. Long loops draw a progress bar only on a
terminal; in a log (CI, ``nohup``, a file) they print a plain :class:`Periodic` line
instead, at most every :data:`PERIOD_S` seconds, never a carriage return.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

# Seconds between two plain progress lines of one loop.
PERIOD_S = 10.0

_LOCK = threading.Lock()


def say(message: str) -> None:
    """Write one line (or several, as one block) to stderr at once."""
    with _LOCK:
        sys.stderr.write(f"{message}\n")
        sys.stderr.flush()


def on_terminal() -> bool:
    """Whether stderr is a terminal, where a progress bar may redraw itself."""
    return sys.stderr.isatty()


class Periodic:
    """Plain progress lines for a loop of known length: ``"<what>: 40 of 120 <unit>s done
    (33%) after 12 s"``, at most every ``period`` seconds, and one when all are done.

    Parameters
    ----------
    what : str
        Who is working, e.g. ``"score"``.
    total : int
        Items in the loop.
    unit : str
        What an item is, singular, e.g. ``"task"``.
    period : float
        Seconds between two lines.
    clock : callable
        Monotonic seconds; tests pass their own.
    """

    def __init__(self, what: str, total: int, unit: str, period: float = PERIOD_S,
                 clock: Callable[[], float] = time.monotonic):
        self.what, self.total, self.unit, self.period = what, total, unit, period
        self._clock = clock
        self._start = self._last = clock()
        self._done = 0
        self._finished = False

    def update(self, done: int) -> None:
        """Record that ``done`` items are done; say so if ``period`` has passed or all are."""
        self._done = done
        now = self._clock()
        if self._finished:
            return
        if done >= self.total or now - self._last >= self.period:
            self._last = now
            self._finished = done >= self.total
            percent = 100 * done // self.total if self.total else 100
            unit = self.unit if self.total == 1 else f"{self.unit}s"
            say(f"{self.what}: {done} of {self.total} {unit} done ({percent}%) after "
                f"{now - self._start:.0f} s")

    def advance(self, n: int = 1) -> None:
        """:meth:`update` with ``n`` more items done."""
        self.update(self._done + n)
