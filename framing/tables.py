"""The output tables: building them with fixed columns and types, writing and reading them.

``DIR/features.csv`` and ``.parquet`` (one row per article: article-level measures), ``DIR/actors``
(one row per article and actor it codes), ``DIR/blame_pairs`` and ``DIR/voices`` (:mod:`framing.tidy`),
``DIR/evidence.csv`` and ``.parquet`` (one row per coded span), with ``DIR/run.json`` (codebook, model,
extractors, versions, failures), are written in one atomic step: a failed run leaves earlier outputs
as they were. No timestamps are written, so the same inputs and versions give the same bytes.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

import pandas as pd

from ._io import staged
from .errors import FramingError
from .evidence import EVIDENCE_COLUMNS, Evidence
from .versions import package_versions

VERSIONED = ("spacy", "pandas", "pyarrow", "numpy", "scikit-learn", "textblob")  # recorded in run.json

TABLES = ("features", "evidence")
TIDY = ("actors", "blame_pairs", "voices")  # derived from each part's features and evidence (framing.tidy)
WRITTEN = (*TABLES, *TIDY)  # the tables framing score writes, in the order of framing.tidy.split
_INT_COLUMNS = ("start", "end", "sentence_start", "sentence_end", "sentence_index")
_CONTRACT_TYPES = {c: "int64" if c in _INT_COLUMNS else "float64" if c == "value" else "string"
                   for c in EVIDENCE_COLUMNS}


def evidence_frame(rows: list[Evidence]) -> pd.DataFrame:
    """The evidence table: contract columns first, then extractors' added columns in name order.

    Added columns are typed by their values: whole numbers as nullable ``Int64`` (offsets that may be
    missing), booleans as nullable ``boolean``, anything else as ``string``.
    """
    return columns_frame(evidence_columns(rows))


def evidence_columns(rows: list[Evidence]) -> dict[str, list]:
    """``rows`` as columns: the contract's, then each added column in name order (None in a row that
    does not have it). The form the result cache stores and :func:`columns_frame` types."""
    columns = {c: [getattr(r, c) for r in rows] for c in EVIDENCE_COLUMNS}
    for column in sorted({k for r in rows for k in r.extra}):
        columns[column] = [r.extra.get(column) for r in rows]
    return columns


def joined_columns(blocks: list[dict[str, list]]) -> dict[str, list]:
    """The :func:`evidence_columns` of several articles one after the other, as one."""
    if len(blocks) == 1:
        return blocks[0]
    added = sorted({c for block in blocks for c in block} - set(EVIDENCE_COLUMNS))
    out: dict[str, list] = {c: [] for c in [*EVIDENCE_COLUMNS, *added]}
    for block in blocks:
        n = len(block["family"])
        for column, values in out.items():
            values.extend(block.get(column) or [None] * n)
    return out


def columns_frame(columns: dict[str, list]) -> pd.DataFrame:
    """The typed evidence frame of :func:`evidence_columns` (see :func:`evidence_frame`)."""
    data = {c: pd.array(columns[c], dtype=_CONTRACT_TYPES[c]) for c in EVIDENCE_COLUMNS}
    added = sorted(set(columns) - set(EVIDENCE_COLUMNS))
    for column in added:
        values = columns[column]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, bool) for v in present):
            dtype = "boolean"
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            dtype = "Int64"
        else:
            dtype = "string"
        data[column] = pd.array(values, dtype=dtype)
    return pd.DataFrame(data, columns=[*EVIDENCE_COLUMNS, *added])


def features_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column, dtype in zip(list(frame.columns), list(frame.dtypes)):
        if str(dtype) == "object":
            frame[column] = frame[column].astype("string")
    return frame


# -- one table from many batches -------------------------------------------------------------------
# A corpus is scored in batches. Each batch's frame types its columns by the batch's values, so the
# final table's type of a column is decided from all batches, with the rule pandas would apply to all
# rows at once (an integer feature that is missing somewhere is float; an added evidence column is
# boolean or Int64 only when every batch that has values agrees). The final table is therefore the
# same, value for value and byte for byte, however the corpus was cut into batches.

def summary(frame: pd.DataFrame) -> dict[str, list]:
    """``{column: [dtype, has_values]}`` of one batch's frame (what :func:`unify` needs)."""
    has_values = frame.notna().any(axis=0).to_numpy() if len(frame.columns) else []
    return {c: [str(dtype), bool(has)] for c, dtype, has in zip(frame.columns, frame.dtypes, has_values)}


def unify(table: str, columns: list[str], summaries: list[dict[str, list]]) -> dict[str, str]:
    """The final dtype of each of ``columns`` of ``table`` (``features`` or ``evidence``), given the
    :func:`summary` of every batch."""
    dtypes = {}
    for column in columns:
        entries = [s.get(column) for s in summaries]
        present = [e for e in entries if e is not None]
        with_values = {e[0] for e in present if e[1]}
        if table == "evidence" and column in EVIDENCE_COLUMNS:
            dtype = _CONTRACT_TYPES[column]
        elif table == "evidence":
            dtype = with_values.pop() if len(with_values) == 1 and with_values <= {"boolean", "Int64"} \
                else "string"
        elif any(e[0] in ("string", "object") for e in present) or not present:
            dtype = "string"
        elif any(e[0] == "float64" for e in present) or len(present) < len(entries):
            dtype = "float64"
        else:
            dtype = present[0][0]
        dtypes[column] = dtype
    return dtypes


def conform(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """``frame`` with exactly the columns of ``dtypes``, in that order and of those types."""
    out = {}
    for column, dtype in dtypes.items():
        if column in frame.columns:
            values = frame[column]
            out[column] = values if str(values.dtype) == dtype else values.astype(dtype)
        else:
            out[column] = pd.Series(pd.array([pd.NA if dtype != "float64" else float("nan")] * len(frame),
                                              dtype=dtype), index=frame.index)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def empty(dtypes: dict[str, str]) -> pd.DataFrame:
    """A frame of no rows with the columns and types of ``dtypes``."""
    return conform(pd.DataFrame(), dtypes)


ROW_GROUP_ROWS = 50_000  # rows per Parquet row group, whatever the batch size


class TableWriter:
    """Write one table as CSV and Parquet a chunk at a time (memory holds one row group at most).

    Parquet row groups have ``row_group_rows`` rows (the last one fewer) whatever the chunks were, so
    the bytes do not depend on how the table was cut.
    """

    def __init__(self, csv_path: Path, parquet_path: Path, row_group_rows: int = ROW_GROUP_ROWS):
        self.csv_path, self.parquet_path, self.row_group_rows = csv_path, parquet_path, row_group_rows
        self._csv = open(csv_path, "w", encoding="utf-8", newline="")
        self._parquet = None
        self._pending: list = []
        self._n_pending = 0
        self.n_rows = 0

    def write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        if self._parquet is None:
            import pyarrow.parquet as pq

            self.schema = pa.Schema.from_pandas(frame, preserve_index=False)
            self._parquet = pq.ParquetWriter(self.parquet_path, self.schema)
            frame.to_csv(self._csv, index=False, lineterminator="\n")
        elif len(frame):
            frame.to_csv(self._csv, index=False, header=False, lineterminator="\n")
        if len(frame):
            self._pending.append(pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False))
            self._n_pending += len(frame)
            self.n_rows += len(frame)
        while self._n_pending >= self.row_group_rows:
            self._flush(self.row_group_rows)

    def _flush(self, n: int) -> None:
        import pyarrow as pa

        table = pa.concat_tables(self._pending).combine_chunks()
        self._parquet.write_table(table.slice(0, n), row_group_size=n)
        rest = table.slice(n)
        self._pending, self._n_pending = ([rest] if rest.num_rows else []), rest.num_rows

    def close(self) -> None:
        """Write the last row group and finish both files."""
        if self._parquet is None:
            raise ValueError(f"{self.parquet_path}: no chunk was written, not even an empty one")
        if self._n_pending:
            self._flush(self._n_pending)
        self._parquet.close()
        self._csv.close()

    def abort(self) -> None:
        """Release both files without finishing them (their caller deletes them)."""
        if self._parquet is not None:
            self._parquet.close()
        self._csv.close()


def write_tables(out: Path, chunks, run: dict) -> list[Path]:
    """Write the :data:`WRITTEN` tables (CSV and Parquet) and ``run.json`` into ``out`` as one atomic
    step. ``chunks`` yields one frame per table of :data:`WRITTEN`, in its order, for some articles,
    already split (:func:`framing.tidy.split`) and conformed (the first may be empty frames: it fixes
    the columns); ``run`` is completed with the versions."""
    from . import __version__

    run = {"framing": __version__, "python": platform.python_version(),
           "versions": package_versions(VERSIONED), **run}
    finals = [out / f"{name}.{suffix}" for name in WRITTEN for suffix in ("csv", "parquet")]
    finals.append(out / "run.json")
    with staged(finals) as tmp:
        writers = {name: TableWriter(tmp[out / f"{name}.csv"], tmp[out / f"{name}.parquet"])
                   for name in WRITTEN}
        try:
            for frames in chunks:
                for name, frame in zip(WRITTEN, frames):
                    writers[name].write(frame)
        except BaseException:
            for writer in writers.values():
                writer.abort()
            raise
        for writer in writers.values():
            writer.close()
        tmp[out / "run.json"].write_text(json.dumps(run, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return finals


def scores_codebook(directory: str | os.PathLike, codebook=None, allow_other: bool = False):
    """The codebook that the scores in ``directory`` were made with, as ``run.json`` records it (name,
    version, SHA-256 and file): what ``figures`` and ``report`` read the scores with.

    Without ``codebook``, the recorded file is loaded, else the bundled codebook of the recorded name,
    provided its SHA-256 is the recorded one; otherwise an error says which codebook to pass. With
    ``codebook`` (a path, a bundled name or a :class:`~framing.codebook.Codebook`), it is used when its
    SHA-256 matches the recorded one, and refused when it does not, unless ``allow_other``. Never
    the bundled default in silence."""
    from .codebook import bundled_codebooks, load_codebook

    run_path = Path(directory) / "run.json"
    recorded = None
    if run_path.is_file():
        recorded = json.loads(run_path.read_text(encoding="utf-8")).get("codebook")
    if codebook is not None:
        book = load_codebook(codebook)
        if recorded and recorded.get("sha256") not in (None, book.sha256) and not allow_other:
            raise FramingError(
                f"{book.path or book.name}: not the codebook these scores "
                f"were made with ({_described(recorded)}; this one is {book.name} {book.version}, sha256 "
                f"{book.sha256[:12]}); pass that codebook, or --allow-other-codebook (allow_other=True) "
                "to read the scores with this one anyway")
        return book
    if recorded is None:
        raise FramingError(f"{run_path}: not there, so the codebook of these scores is unknown; pass the "
                           "codebook they were made with (--codebook)")
    for candidate in (recorded.get("path"), recorded.get("name") if recorded.get("name") in
                      bundled_codebooks() else None):
        if candidate and (Path(candidate).is_file() or candidate in bundled_codebooks()):
            book = load_codebook(candidate)
            if book.sha256 == recorded.get("sha256"):
                return book
    raise FramingError(f"{run_path}: these scores were made with the codebook {_described(recorded)}, which "
                       "is no longer there or has changed since; pass it with --codebook (or another "
                       "codebook with --allow-other-codebook)")


def _described(recorded: dict) -> str:
    where = f", {recorded['path']}" if recorded.get("path") else ""
    return (f"{recorded.get('name', '?')} {recorded.get('version', '')}".rstrip()
            + f"{where}, sha256 {str(recorded.get('sha256', '?'))[:12]}")


def _read_table(directory: Path, name: str, dtypes: dict) -> pd.DataFrame | None:
    """``directory/name.parquet``, else ``name.csv`` (``dtypes`` for its text columns), else None."""
    parquet, csv = directory / f"{name}.parquet", directory / f"{name}.csv"
    if parquet.is_file():
        return pd.read_parquet(parquet)
    if csv.is_file():
        return pd.read_csv(csv, dtype=dtypes)
    return None


def read_tidy(directory: str | os.PathLike, name: str) -> pd.DataFrame:
    """One tidy table (``actors``, ``blame_pairs`` or ``voices``, :mod:`framing.tidy`) written by
    ``framing score``."""
    if name not in TIDY:
        raise ValueError(f"unknown table {name!r}; the tidy tables are {', '.join(TIDY)}")
    directory = Path(directory)
    table = _read_table(directory, name, {"article_id": str, "actor": str, "blamer": str, "blamed": str,
                                          "speaker": str, "source": str, "target": str})
    if table is None:
        raise FramingError(f"{directory}: no {name}.parquet or {name}.csv (scores written by an older "
                           f"framing?); score the corpus again ('framing score CORPUS --out {directory}')")
    return table


def read_scores(directory: str | os.PathLike, actors: list[str] | None = None,
                measures: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``features`` and ``evidence`` written by ``framing score``, the features with a column per
    measure and actor (``stance_russia``, ``role_hero__russia``) read from the ``actors`` table for
    ``actors`` (default: every actor of the codebook, as ``run.json`` lists them) and ``measures``
    (default: every one the run computed): the wide view of the per-actor measures for the few
    actors a study names (:func:`framing.tidy.with_actors`)."""
    features, evidence = read_tables(directory)
    return with_actor_columns(directory, features, actors, measures), evidence


def with_actor_columns(directory: str | os.PathLike, features: pd.DataFrame,
                       actors: list[str] | None = None,
                       measures: list[str] | None = None) -> pd.DataFrame:
    """``features`` (read from ``directory``) with the per-actor columns of :func:`read_scores`."""
    from .tidy import actor_measures, with_actors

    directory = Path(directory)
    run = read_run(directory)
    scored = run.get("actors")
    if scored is None:
        raise FramingError(f"{directory}/run.json: no list of actors (scores written by an older "
                           f"framing); score the corpus again ('framing score CORPUS --out {directory}')")
    actors = scored if actors is None else actors
    unknown = [a for a in actors if a not in set(scored)]
    if unknown:
        raise FramingError(f"{directory}: these scores have no actors {unknown[:10]}"
                           f"{' ...' if len(unknown) > 10 else ''} (scored with the actors of codebook "
                           f"{run.get('codebook', {}).get('name', '?')!r}); pass the codebook they were "
                           "scored with (--codebook)")
    computed = actor_measures(run.get("extractors", []))
    return with_actors(features, read_tidy(directory, "actors"), list(actors),
                       [m for m in (measures or computed) if m in computed])


def read_run(directory: str | os.PathLike) -> dict:
    """``run.json`` of a ``framing score`` folder (an error naming the file when it is missing)."""
    path = Path(directory) / "run.json"
    if not path.is_file():
        raise FramingError(f"{path}: not there; run 'framing score CORPUS --out {directory}' first")
    return json.loads(path.read_text(encoding="utf-8"))


def read_tables(directory: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``features`` (article-level measures) and ``evidence`` written by ``framing score``
    (Parquet, else CSV); :func:`read_scores` adds per-actor columns, :func:`read_tidy` reads the
    ``actors`` and ``blame_pairs`` tables."""
    directory = Path(directory)
    frames = []
    for name in TABLES:
        table = _read_table(directory, name, {"id": str, "article_id": str})
        if table is None:
            raise FramingError(f"{directory}: no {name}.parquet or {name}.csv; run "
                               f"'framing score CORPUS --out {directory}' first")
        frames.append(table)
    if frames[0].empty:
        raise FramingError(f"{directory}: the features table has no articles; score a corpus with "
                           f"articles first ('framing score CORPUS --out {directory}')")
    return frames[0], frames[1]
