"""Run batches on this machine: in this process (``jobs=1``) or in ``jobs`` worker processes.

Each worker process builds its own :class:`~framing.pipeline.Scorer` (model, codebook, extractors)
once and scores whole batches, parse and extraction both, so every core does all the work of its
batches. Batches are handed out and their parts written in corpus order, with at most two batches
per worker in flight, so memory does not grow with the corpus. Results do not depend on ``jobs``.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor

from ..corpus import Article, Skipped
from ..pipeline import Part, Scorer, Settings, scorer_for
from ..stance.encoding import THREADS_VARIABLE, worker_threads


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the process that started it dies, however it dies
    (``kill -9`` included: no worker lives on holding a model in memory). Linux only; elsewhere the
    pool's own shutdown is what ends the workers."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    PR_SET_PDEATHSIG = 1
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed in a worker process")
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _start_worker(settings: Settings, threads: str, parent: int, handled=None) -> None:
    _die_with_parent(parent)
    os.environ[THREADS_VARIABLE] = threads  # this worker's share of the cores for the encoder
    scorer = scorer_for(settings)
    if handled is not None:  # a queue the parent reads, one item per article, for its progress bar
        scorer.on_article = lambda: handled.put(1)


def _score_in_worker(articles: list[Article], skipped: list[Skipped], settings: Settings) -> Part:
    return scorer_for(settings).score_batch(articles, skipped)


def run_local(batches: Iterable[tuple[int, list[Article], list[Skipped]]], settings: Settings,
              jobs: int, done: Callable[[int, Part], None], scorer: Scorer | None = None,
              on_article: Callable[[], None] | None = None) -> None:
    """Score each ``(index, articles, skipped)`` batch and call ``done(index, part)`` in order, and
    ``on_article()`` as each article is handled (in any order; for a progress bar)."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1:
        scorer = scorer or Scorer(settings)
        scorer.on_article = on_article
        try:
            for index, part in scorer.score_batches(batches):  # the encoder thread spans the batches
                done(index, part)
        finally:
            scorer.on_article = None
        return
    # spawn: a clean interpreter per worker on every platform (no fork of a loaded model or threads)
    context = multiprocessing.get_context("spawn")
    handled = context.SimpleQueue() if on_article else None
    relay = None
    if handled is not None:
        def forward() -> None:
            while handled.get() is not None:
                on_article()

        relay = threading.Thread(target=forward, daemon=True, name="framing-progress")
        relay.start()
    try:
        _run_pool(batches, settings, jobs, done, context, handled)
    finally:
        if relay is not None:
            handled.put(None)  # after every article the workers reported: the relay ends there
            relay.join()


def _run_pool(batches, settings: Settings, jobs: int, done, context, handled) -> None:
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                             initargs=(settings, worker_threads(jobs), os.getpid(), handled)) as pool:
        pending: deque[tuple[int, Future]] = deque()
        try:
            for index, articles, skipped in batches:
                pending.append((index, pool.submit(_score_in_worker, articles, skipped, settings)))
                if len(pending) >= 2 * jobs:
                    first, future = pending.popleft()
                    done(first, future.result())
            while pending:
                first, future = pending.popleft()
                done(first, future.result())
        except BaseException:
            # interrupted (Ctrl-C, SIGTERM) or failed: end the workers now rather than after their
            # batches; the parts written so far stay, for --resume
            for process in list((pool._processes or {}).values()):
                process.kill()
            pool.shutdown(cancel_futures=True)
            raise
