"""Score a corpus of any size to disk: in batches, resumable, on several cores or a Dask cluster.

:func:`score_to` reads the corpus as a stream (:func:`framing.corpus.iter_corpus`), cuts it into
batches of ``batch_size`` articles, scores each batch (:class:`framing.pipeline.Scorer`) and writes
it as a part (:mod:`framing.engine.parts`); when every part is done, the parts are assembled into
``OUT/features`` and ``OUT/evidence`` (CSV and Parquet) and ``OUT/run.json`` in one atomic step.

- ``engine="local"`` (:mod:`framing.engine.local`): ``jobs`` worker processes (1: this process);
- ``engine="dask"`` (:mod:`framing.engine.cluster`): the partitions of a Parquet or JSON Lines corpus
  are read and scored on the workers of a ``dask.distributed`` cluster (``scheduler`` address, or a
  local cluster of ``jobs`` workers).

The tables are the same, byte for byte, for every engine, ``jobs`` and ``batch_size``, and the same
as :func:`framing.score` then :meth:`~framing.pipeline.ScoreResult.write`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..budget import DEFAULT_TIME_BUDGET
from ..copies import copy_evidence, find_copies
from ..corpus import iter_corpus
from ..corpus.load import count_records, guess_format
from ..errors import CorpusError
from ..outputs import MARKER, check_output, mark, output_lock
from ..pipeline import Part, Scorer, Settings, batches, copy_items, finds_copies, no_articles_message
from ..progress import bar as progress_bar
from ..progress import note
from ..result_cache import CopiesCache
from ..tables import WRITTEN
from .parts import PART_FORMAT, PartialRun

ENGINES = ("local", "dask")
# what score_to writes in OUT: its inputs may sit beside these, never among them (framing.outputs)
WRITES = (*(f"{name}.{suffix}" for name in WRITTEN for suffix in ("csv", "parquet")), "run.json",
          ".framing-partial", MARKER)


@dataclass
class RunSummary:
    """What :func:`score_to` did: the files written and the run record (as in ``run.json``)."""

    written: list[Path]
    run: dict
    n_evidence: int = 0
    resumed_parts: int = 0
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.skipped


def score_to(
    corpus: str | os.PathLike,
    out: str | os.PathLike,
    *,
    codebook=None,
    extractors=None,
    model: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    stance_method: str = "transformer",
    strict: bool = False,
    progress: bool = True,
    cache_results: bool = True,
    batch_size: int = 64,
    jobs: int = 1,
    resume: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    **load_options,
) -> RunSummary:
    """Score the corpus at ``corpus`` into the folder ``out``; see the module docstring.

    Parameters not in :func:`framing.score`:

    batch_size : articles per batch (and per part on disk, and per Dask partition).
    jobs : worker processes (``local``), or workers of the local Dask cluster (``dask``).
    resume : continue the interrupted run in ``out`` (same settings and corpus), skipping its done
        parts; without it, an unfinished run's parts are discarded.
    engine : ``local`` or ``dask``.
    scheduler : the address of a running Dask scheduler (``tcp://host:8786``); a local cluster when None.
    time_budget : seconds the extractors may spend on one article (None: no limit; see :mod:`framing.budget`).
    load_options : passed to :func:`framing.corpus.iter_corpus` (``format``, ``id_column``, ...).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {ENGINES}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    # before anything loads: --out is a folder this process can write, apart from the inputs
    check_output(out, "score", [corpus, codebook if isinstance(codebook, (str, os.PathLike)) else None],
                 writes=WRITES)
    settings = Settings.make(codebook, extractors, model, stance_method, cache_dir, use_cache, strict,
                             cache_results=cache_results, time_budget=time_budget)
    with output_lock(out, "score"):
        return _score_to(corpus, out, settings, progress, batch_size, jobs, resume, engine, scheduler,
                         load_options)


def _score_to(corpus, out, settings: Settings, progress: bool, batch_size: int, jobs: int, resume: bool,
              engine: str, scheduler: str | None, load_options: dict) -> RunSummary:
    """:func:`score_to` once the output folder is checked and locked."""
    corpus = Path(corpus)
    fmt = load_options.get("format") or (guess_format(corpus) if corpus.exists() else None)
    load_options = {**load_options, "format": fmt}
    record = {**settings.fingerprint(), "framing": __version__, "corpus": str(corpus.resolve()),
              "load_options": load_options, "batch_size": batch_size,
              "partitions": "dask" if engine == "dask" else "batches", "part_format": PART_FORMAT}
    if engine == "dask":  # a partition's articles are only known on its worker: check the file instead
        record["corpus_bytes"] = corpus.stat().st_size if corpus.is_file() else None
    created = not Path(out).exists()
    partial = PartialRun(Path(out), record, resume=resume)
    resumed = len(partial.done)
    scorer = Scorer(settings)
    # the total and a rate, updated per article (the local engine) or per partition (Dask)
    total = count_records(corpus, fmt, load_options.get("encoding", "utf-8")) if progress else None
    bar = progress_bar(progress, desc="scoring", unit="article", total=total, mininterval=0.5,
                       initial=sum(len(r["ids"]) + len(r["skipped"]) for r in partial.done.values()))
    per_article = engine == "local"

    def done(index: int, part: Part) -> None:
        partial.write(index, part)
        bar.update(len(part.skipped) + (0 if per_article else len(part.ids)))

    try:
        with bar:
            if engine == "local":
                from .local import run_local

                seen: set[int] = set()

                def todo():
                    items = iter_corpus(corpus, **load_options)
                    for index, (articles, skipped) in enumerate(batches(items, batch_size)):
                        seen.add(index)
                        if not partial.check(index, articles, skipped):
                            yield index, articles, skipped

                run_local(todo(), settings, jobs, done, scorer=scorer,
                          on_article=(lambda: bar.update(1)) if progress else None)
                partial.check_all_seen(seen)
            else:
                from .cluster import run_dask

                run_dask(corpus, load_options, settings, batch_size, partial, done, jobs=jobs,
                         scheduler=scheduler)
    except BaseException:
        # finished parts stay for --resume; a run that finished none leaves nothing behind
        if not partial.done:
            partial.remove()
            if created and not any(Path(out).iterdir()):
                Path(out).rmdir()
        raise
    if not any(record["n_scored"] for record in partial.done.values()):
        # nothing to score, or every article failed: the earlier results in OUT stay as they were
        skipped = [s for record in partial.done.values() for s in record["skipped"]]
        failures = [f"article {f[0]!r}: {f[1]}: {f[2]}" for r in partial.done.values() for f in r["failures"]]
        partial.remove()
        if created and Path(out).is_dir() and not any(Path(out).iterdir()):
            Path(out).rmdir()
        if failures:
            more = f"; ... ({len(failures)} in all)" if len(failures) > 1 else ""
            raise CorpusError(f"{corpus}: every article failed ({failures[0]}{more}); nothing was written "
                              f"and the earlier results in {out} are kept")
        raise CorpusError(no_articles_message(corpus, skipped))
    copies = None
    if finds_copies(settings):  # a second pass over the corpus, after the parts' ids are checked
        def items():  # the scoring pass has warned about any text that does not look English
            return copy_items(iter_corpus(corpus, **load_options, check_language=False))

        def copies():  # read from the cache folder when the same articles were scored before
            cache = CopiesCache(settings.cache_dir) if settings.cache_dir and settings.cache_results else None
            if cache is not None:
                key = CopiesCache.key((i, d) for r in (partial.done[k] for k in sorted(partial.done))
                                      for i, d in zip(r["ids"], r["digests"]))
                if (hit := cache.get(key)) is not None:
                    return hit
            table = find_copies(items())
            rows = copy_evidence(table, items())
            if cache is not None:
                cache.put(key, table, rows)
            return table, rows
    if progress:  # the phases after scoring, which a large corpus takes minutes over
        first = "finding near-identical stories (a second pass over the corpus), then " if copies else ""
        note(f"framing: {first}assembling the tables from {len(partial.done)} parts and writing them "
             f"to {out}")
    written, run, n_evidence = partial.assemble(scorer, copies=copies)
    partial.remove()
    mark(out, "score")
    return RunSummary(written, run, n_evidence, resumed, run["failures"], run["skipped"])


__all__ = ["ENGINES", "RunSummary", "score_to"]
