"""The parts of a run in progress, on disk, and their assembly into the final tables.

While ``framing score`` runs, each finished batch is written to ``OUT/.framing-partial/``:
``part-NNNNNN.features.arrow``, ``part-NNNNNN.evidence.arrow`` (Arrow IPC files: the parts are read
back once, so they are not compressed or encoded as Parquet is) and last ``part-NNNNNN.json`` (its
article ids, failures, skipped articles and column types). A part counts as done only once its JSON
is there, so a run killed at any moment leaves only whole parts. ``settings.json`` records what the
scores depend on; ``--resume`` refuses to continue a run whose settings or corpus differ, then skips
the parts that are done. At the end the parts are streamed, in order, into the final tables in one
atomic step, and the folder is removed: consecutive parts are read together until they hold
:data:`CHUNK_ROWS` evidence rows (memory holds one such chunk whatever the corpus size; a chunk is split
into the tidy tables at once, rather than part by part).
"""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .._io import write_all, write_text
from ..copies import add_copies
from ..corpus import Article, Skipped
from ..errors import CorpusError, FramingError
from ..pipeline import Failure, Part, Scorer, plan, run_record
from ..tables import conform, empty, evidence_frame, summary, write_tables
from ..tidy import split

PARTIAL = ".framing-partial"
PART_FORMAT = "arrow"  # in settings.json: a run whose parts are in another format is not resumed
CHUNK_ROWS = 50_000  # evidence rows of consecutive parts assembled together (the tables do not depend on it)


class PartialRun:
    """The folder of one run's finished parts; see the module docstring."""

    def __init__(self, out: Path, settings: dict, resume: bool = False):
        self.out = Path(out)
        self.dir = self.out / PARTIAL
        recorded = self.dir / "settings.json"
        if resume and recorded.is_file():
            from ..outputs import remove_temporaries

            remove_temporaries(self.dir)  # a killed run's half-written files (the caller holds the lock)
            before = json.loads(recorded.read_text(encoding="utf-8"))
            changed = sorted(k for k in {*before, *settings} if before.get(k) != settings.get(k))
            if changed:
                raise FramingError(
                    f"{recorded}: cannot resume: the interrupted run had other settings ("
                    + "; ".join(f"{k}: {before.get(k)!r} then, {settings.get(k)!r} now" for k in changed)
                    + "); run again with the same settings, or without --resume to start over")
        else:
            if self.dir.exists():
                if not resume:
                    warnings.warn(f"{self.dir}: discarding the parts of an unfinished earlier run; "
                                  "pass --resume to continue it instead", stacklevel=2)
                shutil.rmtree(self.dir)
            self.dir.mkdir(parents=True)
            write_text(recorded, json.dumps(settings, indent=2, sort_keys=True) + "\n")
        self.done: dict[int, dict] = {}
        for path in sorted(self.dir.glob("part-*.json")):
            self.done[int(path.stem.split("-")[1])] = json.loads(path.read_text(encoding="utf-8"))

    def _stem(self, index: int) -> Path:
        return self.dir / f"part-{index:06d}"

    def check(self, index: int, articles: list[Article], skipped: list[Skipped] = ()) -> bool:
        """True when part ``index`` is done; raise, naming the article, if it was done for other
        articles or for an article whose text or metadata have changed since."""
        record = self.done.get(index)
        if record is None:
            return False
        ids = [a.id for a in articles]
        if record["ids"] != ids:
            raise FramingError(
                f"{self._stem(index)}.json: cannot resume: this batch held other articles in the "
                f"interrupted run (first id then {record['ids'][:1]}, now {ids[:1]}); the corpus has "
                "changed: run without --resume to start over")
        for article, digest in zip(articles, record["digests"]):
            if article.digest != digest:
                raise FramingError(
                    f"{article.origin}: cannot resume: article {article.id!r} has changed (its text or "
                    "metadata) since the interrupted run scored it; run without --resume to score the "
                    "corpus as it is now")
        now = [str(s) for s in skipped]
        if record["skipped"] != now:
            changed = next((a, b) for a, b in zip([*record["skipped"], ""], [*now, ""]) if a != b)
            raise FramingError(
                f"{self._stem(index)}.json: cannot resume: the articles skipped in this batch have "
                f"changed since the interrupted run ({changed[0] or 'none'!r} then, {changed[1] or 'none'!r} "
                "now); run without --resume to start over")
        return True

    def check_all_seen(self, indices: set[int]) -> None:
        """Raise if a part of the interrupted run is not among this run's batches (a shorter corpus)."""
        extra = sorted(set(self.done) - indices)
        if extra:
            raise FramingError(
                f"{self._stem(extra[0])}.json: cannot resume: the interrupted run had more batches than "
                "the corpus has now; the corpus has changed: run without --resume to start over")

    def write(self, index: int, part: Part) -> None:
        """Write one finished part (its JSON last: the part counts only once that is there)."""
        stem = self._stem(index)
        record = {
            "index": index, "ids": part.ids, "digests": part.digests, "meta_columns": part.meta_columns,
            "failures": [[f.article_id, f.step, f.message] for f in part.failures],
            "skipped": [str(s) for s in part.skipped], "run": part.run,
            "features": summary(part.features), "evidence": summary(part.evidence),
            "n_scored": len(part.features), "n_evidence": len(part.evidence),
            "feature_names": part.feature_names, "text_sha256": part.text_sha256,
        }
        write_all({
            stem.with_suffix(".features.arrow"): lambda p: _write_arrow(part.features, p),
            stem.with_suffix(".evidence.arrow"): lambda p: _write_arrow(part.evidence, p),
        })
        write_text(stem.with_suffix(".json"), json.dumps(record, sort_keys=True) + "\n")
        self.done[index] = record

    def assemble(self, scorer: Scorer, copies=None) -> tuple[list[Path], dict, int]:
        """Write the final tables from the parts, in order, atomically; return the paths, the run
        record and the number of evidence rows. Ids are checked once more across parts (the Dask
        engine reads partitions apart). ``scorer`` is only asked for the run's description and the
        feature names when there is no part (an empty corpus). ``copies``, a function that returns
        :func:`framing.copies.find_copies`'s table and :func:`framing.copies.copy_evidence`'s rows,
        adds the near-duplicate columns to the features and the rows after the articles' own."""
        records = [self.done[k] for k in sorted(self.done)]
        info = next((r["run"] for r in records if r["run"]), None) or scorer.run_info()
        for r in records:
            if r["run"] and r["run"] != info:
                raise FramingError(f"{self._stem(r['index'])}.json: scored with {r['run']}, other parts "
                                   f"with {info}; run without --resume to start over")
        seen: dict[str, int] = {}
        for r in records:
            for article_id in r["ids"]:
                if article_id in seen:
                    raise CorpusError(f"duplicate id {article_id!r} (parts {seen[article_id]} and "
                                      f"{r['index']}); ids must be unique")
                seen[article_id] = r["index"]
        names = records[0]["feature_names"] if records else scorer.feature_names()
        layout = plan([r["meta_columns"] for r in records], [r["features"] for r in records],
                      [r["evidence"] for r in records], names)

        copy_rows: list = []
        if copies is not None:
            copies, copy_rows = copies()
            layout.features.update({"story_cluster": "string", "story_size": "int64", "is_copy": "int64"})

        def with_copies(features: pd.DataFrame) -> pd.DataFrame:
            return features if copies is None else add_copies(features, copies)

        book, method = scorer.settings.codebook, scorer.settings.stance_method

        def read(r: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
            stem = self._stem(r["index"])
            features = with_copies(pd.read_feather(stem.with_suffix(".features.arrow")))
            return (conform(features, layout.features),
                    conform(pd.read_feather(stem.with_suffix(".evidence.arrow")), layout.evidence))

        def chunks() -> Iterator[tuple[pd.DataFrame, ...]]:
            # an article's rows of the tables (tables.WRITTEN) come from its own rows alone, so
            # consecutive parts are split together, up to CHUNK_ROWS evidence rows at a time
            if not records:
                yield split(empty(layout.features),
                              conform(evidence_frame([]), layout.evidence), book, method)
            for group in _runs(records, CHUNK_ROWS):
                frames = [read(r) for r in group]
                yield split(*(_joined([f[k] for f in frames]) for k in (0, 1)), book, method)
            if copy_rows:
                yield split(empty(layout.features),
                              conform(evidence_frame(copy_rows), layout.evidence), book, method)

        failures = [Failure(*f) for r in records for f in r["failures"]]
        skipped = [s for r in records for s in r["skipped"]]
        run = run_record(info, len(seen), sum(r["n_scored"] for r in records), failures, skipped,
                         {k: v for r in records for k, v in r.get("text_sha256", {}).items()})
        written = write_tables(self.out, chunks(), run)
        return written, run, sum(r["n_evidence"] for r in records) + len(copy_rows)

    def remove(self) -> None:
        if self.dir.exists():
            shutil.rmtree(self.dir)


def _write_arrow(frame: pd.DataFrame, path) -> None:
    """One part's frame as an uncompressed Arrow IPC file (its dtypes come back with it)."""
    import pyarrow.feather as feather

    feather.write_feather(frame, path, compression="uncompressed")


def _runs(records: list[dict], rows: int) -> Iterator[list[dict]]:
    """``records`` in order, in runs of consecutive parts of at most ``rows`` evidence rows (a part
    with more is a run of its own)."""
    run: list[dict] = []
    n = 0
    for record in records:
        if run and n + record["n_evidence"] > rows:
            yield run
            run, n = [], 0
        run.append(record)
        n += record["n_evidence"]
    if run:
        yield run


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
