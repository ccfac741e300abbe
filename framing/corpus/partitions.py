"""Cut a Parquet or JSON Lines corpus into partitions that a worker can read on its own.

A :class:`Partition` names a file and a range of it: rows ``[start, stop)`` of a Parquet file, or the
bytes ``[start, stop)`` of a JSON Lines file holding whole lines, the first being line ``first_line``.
:func:`plan_partitions` cuts the file into partitions of ``rows`` rows (lines) each, reading only the
Parquet footer or scanning the JSON Lines bytes for line ends; :func:`read_partition` yields the
partition's articles with the row or line numbers the whole file would give them, so messages name
the same place whichever way the corpus is read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError
from .article import Article, Skipped
from .load import jsonl_rows, parquet_rows, table_articles

PARTITIONED_FORMATS = ("parquet", "jsonl")


@dataclass(frozen=True)
class Partition:
    path: str
    format: str
    start: int
    stop: int
    first_line: int = 1  # JSON Lines: the number of the partition's first line


def plan_partitions(path: str | Path, fmt: str, rows: int) -> list[Partition]:
    """Partitions of ``rows`` rows (Parquet) or lines (JSON Lines, blank ones included) each."""
    path = Path(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            total = pq.ParquetFile(path).metadata.num_rows
        except Exception as err:  # pyarrow raises several unrelated types
            raise CorpusError(f"{path}: not a readable Parquet file: {err}") from err
        return [Partition(str(path), fmt, a, min(a + rows, total)) for a in range(0, total, rows)]
    if fmt != "jsonl":
        raise CorpusError(f"{path}: the dask engine reads a Parquet or JSON Lines corpus, not {fmt!r}; "
                          "convert the corpus to one of them, or use --engine local --jobs N")
    parts, start, offset, line, first = [], 0, 0, 0, 1
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            at = 0
            while (end := block.find(b"\n", at)) >= 0:
                line += 1
                at = end + 1
                if line - first + 1 == rows:
                    parts.append(Partition(str(path), fmt, start, offset + at, first))
                    start, first = offset + at, line + 1
            offset += len(block)
    if offset > start:
        parts.append(Partition(str(path), fmt, start, offset, first))
    return parts


def read_partition(part: Partition, id_column: str = "id", text_column: str = "text",
                   encoding: str = "utf-8") -> Iterator[Article | Skipped]:
    """The articles of one partition (the checks of :func:`~framing.corpus.load.checked` not applied)."""
    path = Path(part.path)
    if part.format == "parquet":
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(path).metadata
        groups, skip, row = [], 0, 0
        for g in range(meta.num_row_groups):
            n = meta.row_group(g).num_rows
            if row + n > part.start and row < part.stop:
                if not groups:
                    skip = part.start - row
                groups.append(g)
            row += n
        rows = parquet_rows(path, row_groups=groups, skip=skip, limit=part.stop - part.start,
                            first_row=part.start + 1)
    else:
        with open(path, "rb") as handle:
            handle.seek(part.start)
            data = handle.read(part.stop - part.start)
        rows = jsonl_rows(path, encoding, lines=io.BytesIO(data), first_line=part.first_line)
    yield from table_articles(rows, path, id_column, text_column)
