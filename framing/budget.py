"""A time budget per article, so that no input can hang a run.

The extractors' cost is linear in an article's length, but a corpus can hold anything (a million
characters with no full stop, a table dumped into a text field). :class:`Budget` stops the work on one
article when it has taken more than ``seconds``: the article is reported as a failure with its id
(``ScoreResult.failures``, ``run.json``, standard error) and the run goes on with the next.

In a process's main thread (``framing score`` with any ``--jobs``) the budget interrupts the work by
a timer signal (``SIGALRM``), wherever it is. In another thread (a Dask worker) signals cannot be
used, and the budget is checked between extractors instead. A budget changes no score: an article
within it is scored as without one. A slower machine may, of course, time out where a faster one does
not, so a run that reports a time-out is rerun with a larger budget (``--time-budget``).
"""

from __future__ import annotations

import signal
import threading
import time

# the clock and the timer, looked up at each use (tests replace them: no test waits for real time)
_clock = time.monotonic
_set_timer = getattr(signal, "setitimer", None)

DEFAULT_TIME_BUDGET = 300.0  # seconds per article; a 100,000-character article takes about 10 s here


class ArticleTimeout(Exception):
    """The extractors took longer than the budget on one article."""


class Budget:
    """``with Budget(seconds) as budget: ... budget.check()``; None means no limit."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self._start = 0.0
        self._previous = None
        self._armed = False

    def __enter__(self) -> Budget:
        self._start = _clock()
        if self.seconds and _set_timer is not None \
                and threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGALRM, self._expired)
            _set_timer(signal.ITIMER_REAL, self.seconds)
            self._armed = True
        return self

    def __exit__(self, *exc) -> None:
        if self._armed:
            _set_timer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self._armed = False

    def _expired(self, signum, frame) -> None:
        raise ArticleTimeout(self.message())

    def message(self) -> str:
        return (f"took more than the time budget of {self.seconds:g} s per article; it was not scored "
                "(raise it with --time-budget / time_budget=, or split the article)")

    def check(self) -> None:
        """Raise :class:`ArticleTimeout` when the budget is spent (where no timer can interrupt)."""
        if self.seconds and _clock() - self._start > self.seconds:
            raise ArticleTimeout(self.message())
