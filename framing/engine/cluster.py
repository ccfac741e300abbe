"""Run on a ``dask.distributed`` cluster: each worker reads and scores whole partitions.

The corpus (Parquet or JSON Lines) is cut into partitions of ``batch_size`` rows
(:mod:`framing.corpus.partitions`); only the partition's file name and range travel to the worker,
which reads the rows itself, builds a :class:`~framing.pipeline.Scorer` once per process and returns
the partition's :class:`~framing.pipeline.Part`. Parts are written as they arrive and assembled in
partition order, so the tables are those of the local engine. Workers must see the corpus at the same
path (a shared file system) and have framing installed; warnings raised on a worker (a skipped
article, a text that does not look like English) are raised again here.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

from ..corpus import Skipped
from ..corpus.load import checked
from ..corpus.partitions import Partition, plan_partitions, read_partition
from ..errors import FramingError
from ..pipeline import Part, Settings, scorer_for
from ..stance.encoding import THREADS_VARIABLE, worker_threads

_one_at_a_time = threading.Lock()  # a worker with several threads still scores one partition at a time


def score_partition(part: Partition, load_options: dict, settings: Settings,
                    ) -> tuple[Part, list[tuple[type[Warning], str]]]:
    """Read and score one partition (on a worker); return the part and the warnings raised."""
    with _one_at_a_time, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        items = list(checked(read_partition(part, **load_options)))
        articles = [a for a in items if not isinstance(a, Skipped)]
        skipped = [s for s in items if isinstance(s, Skipped)]
        result = scorer_for(settings).score_batch(articles, skipped)
    return result, [(w.category, str(w.message)) for w in caught]


def run_dask(corpus: Path, load_options: dict, settings: Settings, batch_size: int, partial,
             done: Callable[[int, Part], None], jobs: int = 1, scheduler: str | None = None) -> None:
    """Score every partition not yet done on the cluster at ``scheduler`` (or a local cluster of
    ``jobs`` single-threaded worker processes); call ``done(index, part)`` as each one finishes."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as err:
        raise FramingError("the dask engine needs dask.distributed: pip install 'framing[dask]' "
                           "(or 'dask[distributed]')") from err
    partitions = plan_partitions(corpus, load_options.get("format"), batch_size)
    options = {k: v for k, v in load_options.items() if k in ("id_column", "text_column", "encoding")}
    partial.check_all_seen(set(range(len(partitions))))  # resumed: as many partitions as before
    for index in sorted(partial.done):  # and their articles unchanged
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # already reported by the interrupted run
            items = list(read_partition(partitions[index], **options))
        partial.check(index, [a for a in items if not isinstance(a, Skipped)],
                      [s for s in items if isinstance(s, Skipped)])
    with contextlib.ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            cluster = stack.enter_context(LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                                       dashboard_address=None,
                                                       env={THREADS_VARIABLE: worker_threads(jobs)}))
            client = stack.enter_context(Client(cluster))
        shared = client.scatter(settings, broadcast=True)
        futures = {client.submit(score_partition, p, options, shared, pure=False): index
                   for index, p in enumerate(partitions) if index not in partial.done}
        for future in as_completed(futures):
            part, caught = future.result()
            for category, message in caught:
                warnings.warn(message, category, stacklevel=2)
            done(futures[future], part)
            future.release()
