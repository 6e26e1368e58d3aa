"""A time budget per article: one pathological text must not stall the batch behind it.

The budget grows with the text (``BASE_SECONDS`` plus ``SECONDS_PER_MB``, several times the
measured rate on real prose, see bench/RESULTS.md) so only a text far slower than prose of
its size runs out. In a process's main thread (the CLI, every analysis worker) the limit is
enforced by a timer signal that interrupts the analysis; elsewhere (a web server's thread)
it is checked between windows of a long text only.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator

BASE_SECONDS = 60.0
SECONDS_PER_MB = 2000.0


class BudgetExceeded(Exception):
    """The analysis of one article ran past its time budget."""


def budget_for(n_chars: int, scale: float = 1.0) -> float:
    """Seconds allowed to analyse a text of ``n_chars`` (``scale`` 0 or less: no limit)."""
    if scale <= 0:
        return float("inf")
    return scale * (BASE_SECONDS + SECONDS_PER_MB * n_chars / 1_000_000)


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise BudgetExceeded(self.message())

    def message(self) -> str:
        return (f"analysis took longer than its {self.seconds:.0f} s time budget; not stored "
                "(pathological text, e.g. thousands of words without a sentence end? "
                "--time-budget scales the budget)")


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[Deadline]:
    """Raise ``BudgetExceeded`` in the body once ``seconds`` have passed."""
    deadline = Deadline(seconds)
    usable = (seconds != float("inf") and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield deadline
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise BudgetExceeded(deadline.message())

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
