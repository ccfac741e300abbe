"""Read a corpus from a folder, a table or a set of files, without changing any article's text.

Formats (``format=`` or guessed from the path):

- ``folder``: a corpus folder, ``metadata.csv`` with an id column and a column naming each article's
  text file relative to the folder (``file``; default ``text/<id>.txt``), like the bundled
  ``corpus/afghanistan-2021/``;
- ``csv``, ``jsonl``, ``parquet``: a table with one row per article, a text column and an id column;
  every other column is kept as metadata;
- ``txt``: a folder of ``.txt`` files, one article each, the id being the file name without suffix
  (or one ``.txt`` file: a corpus of one article);
- ``html``: a folder of saved ``.html``/``.htm`` pages (or one page); the article text and metadata
  are extracted with trafilatura.

Problems with the whole input (unknown format, missing column, duplicate id, unreadable table) raise
:class:`~framing.errors.CorpusError`. Problems with one article (empty text, undecodable bytes, no text
in an HTML page) skip that article and report it in ``Corpus.skipped`` and as a warning, or raise when
``on_error="raise"``. Text that does not look like English gets a :class:`LanguageWarning`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from ..errors import CorpusError
from ..paths import OutsideRoot, inside
from .article import Article, Corpus, Skipped
from .language import english_problem, too_few_words

FORMATS = ("folder", "csv", "jsonl", "parquet", "txt", "html")
_TABLE_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
                   ".pq": "parquet"}
_FILE_SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html"}  # one file: a one-article corpus


class LanguageWarning(UserWarning):
    """An article does not look like English; the English model will score it poorly."""


class SkippedArticleWarning(UserWarning):
    """An article was skipped while loading (see ``Corpus.skipped``)."""


def iter_corpus(
    path: str | os.PathLike,
    *,
    format: str | None = None,
    id_column: str = "id",
    text_column: str = "text",
    file_column: str = "file",
    encoding: str = "utf-8",
    on_error: str = "skip",
    check_language: bool = True,
) -> Iterator[Article | Skipped]:
    """Yield the articles at ``path`` one at a time, in input order, and a :class:`Skipped` for each
    article that cannot be loaded (after warning). Memory does not grow with the corpus: tables are
    read in chunks and text files one by one; only the ids seen so far are kept, to refuse duplicates.

    Parameters are those of :func:`load_corpus`; ``check_language=False`` leaves out the English check
    (a pass over a corpus whose scoring pass has already warned, such as the near-duplicate pass).
    """
    if on_error not in ("skip", "raise"):
        raise ValueError(f"on_error must be 'skip' or 'raise', not {on_error!r}")
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    fmt = format or guess_format(path)
    if fmt not in FORMATS:
        raise CorpusError(f"{path}: unknown corpus format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path.is_file() and fmt == "folder":
        raise CorpusError(f"{path}: format 'folder' needs a folder that holds metadata.csv; for a "
                          "table pass --format csv, jsonl or parquet")
    if path.is_dir() and fmt in _TABLE_SUFFIXES.values():
        raise CorpusError(f"{path}: a folder, not a {fmt} table; give the table's file, or "
                          "--format folder, txt or html")
    readers = {
        "folder": lambda: _read_folder(path, id_column, file_column, encoding),
        "csv": lambda: _read_table(path, "csv", id_column, text_column, encoding),
        "jsonl": lambda: _read_table(path, "jsonl", id_column, text_column, encoding),
        "parquet": lambda: _read_table(path, "parquet", id_column, text_column, encoding),
        "txt": lambda: _read_txt_folder(path, encoding),
        "html": lambda: _read_html_folder(path, encoding),
    }
    yield from checked(readers[fmt](), on_error, check_language=check_language)


def checked(items: Iterable[Article | Skipped], on_error: str = "skip",
            seen: dict[str, str] | None = None, check_language: bool = True) -> Iterator[Article | Skipped]:
    """Pass ``items`` on after the checks every reader shares: a skipped article is warned about (or
    raised with ``on_error="raise"``), a duplicate id raises naming both places, and text that does
    not look like English warns. ``seen`` (id -> where) carries the ids across calls."""
    seen = {} if seen is None else seen
    for item in items:
        if isinstance(item, Skipped):
            if on_error == "raise":
                raise CorpusError(str(item))
            warnings.warn(str(item), SkippedArticleWarning, stacklevel=2)
            yield item
            continue
        if item.id in seen:
            raise CorpusError(
                f"{item.origin}: duplicate id {item.id!r} (first at {seen[item.id]}); "
                "ids must be unique: rename one or choose another id column"
            )
        seen[item.id] = item.origin
        if check_language:
            _check_language(item)
        yield item


def load_corpus(
    path: str | os.PathLike,
    *,
    format: str | None = None,
    id_column: str = "id",
    text_column: str = "text",
    file_column: str = "file",
    encoding: str = "utf-8",
    on_error: str = "skip",
) -> Corpus:
    """Load the articles at ``path`` into memory (see :func:`iter_corpus` to stream them).

    Parameters
    ----------
    path : a corpus folder, a ``.csv``/``.jsonl``/``.parquet`` table, or a folder of ``.txt`` or
        ``.html`` files.
    format : one of ``folder, csv, jsonl, parquet, txt, html``; guessed from ``path`` when None.
    id_column, text_column : column names in a table (``text_column`` is not used for a folder).
    file_column : in a corpus folder's ``metadata.csv``, the column naming each text file.
    encoding : the encoding of text files and CSV tables.
    on_error : ``"skip"`` (report the article in ``Corpus.skipped`` and warn) or ``"raise"``.
    """
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for item in iter_corpus(path, format=format, id_column=id_column, text_column=text_column,
                            file_column=file_column, encoding=encoding, on_error=on_error):
        (skipped if isinstance(item, Skipped) else articles).append(item)
    return Corpus(articles=articles, skipped=skipped, path=str(path))


def count_records(path: str | os.PathLike, format: str | None = None, encoding: str = "utf-8") -> int | None:
    """How many records (articles, skipped or not) the corpus at ``path`` holds, read cheaply (rows
    of a table or of ``metadata.csv``, lines of JSON Lines, a Parquet file's row count, files of a
    folder), for a progress bar's total; None when it cannot be told without reading the articles."""
    path = Path(path)
    fmt = format or guess_format(path)
    if fmt == "folder":
        return sum(1 for _ in _csv_rows(path / "metadata.csv", encoding))
    if fmt == "csv":
        return sum(1 for _ in _csv_rows(path, encoding))
    if fmt == "jsonl":
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    suffixes = (".txt",) if fmt == "txt" else (".html", ".htm")
    return len(_files(path, suffixes))


def guess_format(path: Path) -> str:
    """The corpus format of ``path`` from its suffix or, for a folder, the files it holds."""
    if path.is_file():
        fmt = _TABLE_SUFFIXES.get(path.suffix.lower()) or _FILE_SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise CorpusError(
                f"{path}: unknown corpus format (suffix {path.suffix!r}); give a .csv, .jsonl or "
                ".parquet table, a .txt or .html file (one article), or a folder, or pass format= / "
                "--format"
            )
        return fmt
    if (path / "metadata.csv").is_file():
        return "folder"
    has_txt = any(path.glob("*.txt"))
    has_html = any(path.glob("*.htm*"))
    if has_txt and has_html:
        raise CorpusError(f"{path}: holds both .txt and .html files; pass format='txt' or 'html'")
    if has_txt:
        return "txt"
    if has_html:
        return "html"
    raise CorpusError(
        f"{path}: no metadata.csv, .txt or .html files found; see the README for corpus formats"
    )


def _check_language(article: Article) -> None:
    declared = article.meta.get("language", "").strip().lower()
    if declared and declared not in ("en", "eng", "english") and not declared.startswith("en-"):
        warnings.warn(
            f"{article.origin}: article {article.id!r} is declared language {declared!r}; "
            "framing's model and lexicons are English",
            LanguageWarning,
            stacklevel=3,
        )
        return
    problem = english_problem(article.text)
    if problem:
        warnings.warn(
            f"{article.origin}: article {article.id!r} does not look like English ({problem}); "
            "framing's model and lexicons are English",
            LanguageWarning,
            stacklevel=3,
        )


def _make(article_id: str, text: str, meta: dict[str, str], origin: str) -> Article | Skipped:
    if not text.strip():
        return Skipped(origin=origin, reason="empty text", id=article_id)
    if short := too_few_words(text):
        return Skipped(origin=origin, reason=short, id=article_id)
    return Article(id=article_id, text=text, meta=meta, origin=origin)


def _decode(data: bytes, origin: str, encoding: str, article_id: str | None) -> str | Skipped:
    try:
        return data.decode(_codec(encoding))
    except UnicodeDecodeError as err:
        return Skipped(
            origin=origin,
            reason=f"undecodable bytes at byte {err.start} for encoding {encoding!r}; "
            "pass the file's encoding (--encoding) or fix the file",
            id=article_id,
        )


def _read_folder(path: Path, id_column: str, file_column: str, encoding: str) -> Iterator:
    try:
        meta_path = inside(path, "metadata.csv", "corpus folder")
    except OutsideRoot as err:
        raise CorpusError(f"{path / 'metadata.csv'}: refused: {err}") from None
    first = True
    for columns, where, row in _csv_rows(meta_path, encoding):
        if first and id_column not in columns:
            raise CorpusError(
                f"{meta_path}: missing required column {id_column!r} (columns: "
                f"{', '.join(columns)}); add it or pass id_column= / --id-column"
            )
        first = False
        if isinstance(row, Skipped):
            yield row
            continue
        origin = f"{meta_path} {where}"
        article_id = str(row[id_column]).strip()
        if not article_id:
            raise CorpusError(f"{origin}: empty {id_column!r}; every article needs an id")
        rel = row.get(file_column) or f"text/{article_id}.txt"
        try:
            file = inside(path, rel, "corpus folder")
        except OutsideRoot as err:
            yield Skipped(origin=origin, reason=f"refused: {file_column} {err}", id=article_id)
            continue
        meta = {k: v for k, v in row.items() if k not in (id_column, file_column)}
        meta[file_column] = rel
        if not file.is_file():
            yield Skipped(origin=origin, reason=f"text file {file} not found", id=article_id)
            continue
        text = _decode(file.read_bytes(), str(file), encoding, article_id)
        yield text if isinstance(text, Skipped) else _make(article_id, text, meta, str(file))


CHUNK_ROWS = 1024  # rows read at a time from a Parquet table


def _codec(encoding: str) -> str:
    return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding


def _undecodable(value: str, codec: str) -> str | None:
    """Where ``value`` (decoded with ``surrogateescape``) holds a byte the codec could not decode."""
    for i, char in enumerate(value):
        if "\udc80" <= char <= "\udcff":
            offset = len(value[:i].encode(codec.replace("-sig", ""), "surrogateescape"))
            return f"byte 0x{ord(char) - 0xDC00:02x} at byte {offset} of the field"
    return None


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[list[str], str, dict | Skipped]]:
    """``(columns, "row N (line L)", record)`` for each record of a CSV table, read a row at a time.

    A row holding bytes the encoding cannot decode, or with another number of fields than the
    header, is yielded as a :class:`Skipped` naming its row and physical line; the other rows are
    read. A record the CSV grammar cannot read stops the run, naming the line."""
    codec = _codec(encoding)
    csv.field_size_limit(2**31 - 1)  # an article's text is one field; the default limit is 128 KiB
    with open(path, encoding=codec, errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        try:
            columns = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise CorpusError(f"{path} line 1: not a readable CSV header: {err}") from err
        for i, column in enumerate(columns):
            if _undecodable(column, codec):
                raise CorpusError(f"{path} line 1: column {i + 1} of the header has undecodable bytes for "
                                  f"encoding {encoding!r}; pass the table's encoding (--encoding)")
        row_no = 0
        while True:
            line = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise CorpusError(f"{path} line {line}: not a readable CSV record ({err}); fix the "
                                  "quoting from that line on") from err
            if not record:
                continue  # a blank line
            row_no += 1
            where = f"row {row_no} (line {line})"
            row = dict(zip(columns, record))
            if len(record) != len(columns):
                yield columns, where, Skipped(
                    origin=f"{path} {where}", id=None,
                    reason=f"{len(record)} fields where the header has {len(columns)}; check the "
                           "quoting of this row")
                continue
            bad = next(((c, p) for c, v in row.items() if (p := _undecodable(v, codec))), None)
            if bad:
                yield columns, where, Skipped(
                    origin=f"{path} {where}", id=None,
                    reason=f"undecodable {bad[1]} in column {bad[0]!r} for encoding {encoding!r}; pass "
                           "the table's encoding (--encoding) or fix the row")
                continue
            yield columns, where, row


def jsonl_rows(path: Path, encoding: str, lines: Iterable[bytes] | None = None, first_line: int = 1,
               ) -> Iterator[tuple[list[str], str, dict]]:
    """``(columns, "line N", record)`` for each non-blank line of a JSON Lines file (or of ``lines``,
    a part of it whose first line is number ``first_line``)."""
    with contextlib.ExitStack() as stack:
        if lines is None:
            lines = stack.enter_context(open(path, "rb"))
        for line_no, raw in enumerate(lines, start=first_line):
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as err:
                raise CorpusError(
                    f"{path} line {line_no}: undecodable bytes at byte {err.start} for encoding "
                    f"{encoding!r}; pass the file's encoding (--encoding)"
                ) from err
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise CorpusError(f"{path} line {line_no}: not valid JSON: {err.msg}") from err
            if not isinstance(record, dict):
                raise CorpusError(f"{path} line {line_no}: expected a JSON object per line")
            yield list(record), f"line {line_no}", record


def parquet_rows(path: Path, row_groups: Iterable[int] | None = None, skip: int = 0, limit: int | None = None,
                 first_row: int = 1) -> Iterator[tuple[list[str], str, dict]]:
    """``(columns, "row N", record)`` for the rows of a Parquet file, read a chunk at a time; or of
    the given ``row_groups``, from their ``skip``-th row, at most ``limit`` rows, numbered from
    ``first_row``."""
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several unrelated types
        raise CorpusError(f"{path}: not a readable Parquet file: {err}") from err
    columns = handle.schema_arrow.names
    row_no, taken = first_row - 1, 0
    for batch in handle.iter_batches(batch_size=CHUNK_ROWS, row_groups=row_groups):
        for record in batch.to_pylist():
            if skip:
                skip -= 1
                continue
            if limit is not None and taken >= limit:
                return
            row_no += 1
            taken += 1
            yield columns, f"row {row_no}", record


def _read_table(path: Path, fmt: str, id_column: str, text_column: str, encoding: str) -> Iterator:
    if fmt == "csv":
        rows = _csv_rows(path, encoding)
    elif fmt == "jsonl":
        rows = jsonl_rows(path, encoding)
    else:
        rows = parquet_rows(path)
    yield from table_articles(rows, path, id_column, text_column)


def table_articles(rows: Iterable[tuple[list[str], str, dict | Skipped]], path: Path, id_column: str,
                   text_column: str) -> Iterator[Article | Skipped]:
    """Articles from a table's ``(columns, where, record)`` rows: the id and text columns, and every
    other column as metadata. A missing column in the first row's columns raises, naming it."""
    first = True
    for columns, where, row in rows:
        if first:
            for column, option in ((id_column, "id_column= / --id-column"),
                                   (text_column, "text_column= / --text-column")):
                if column not in columns:
                    raise CorpusError(
                        f"{path}: missing required column {column!r} (columns: "
                        f"{', '.join(map(str, columns))}); add it or pass {option}"
                    )
            first = False
        if isinstance(row, Skipped):  # a row the reader could not take (named), the others go on
            yield row
            continue
        origin = f"{path} {where}"
        article_id = _cell(row.get(id_column))
        if not article_id:
            raise CorpusError(f"{origin}: empty {id_column!r}; every article needs an id")
        text = row.get(text_column)
        if text is None or (isinstance(text, float) and pd.isna(text)):
            text = ""
        if not isinstance(text, str):
            raise CorpusError(f"{origin}: {text_column!r} is {type(text).__name__}, not text")
        meta = {str(k): _cell(v) for k, v in row.items() if k not in (id_column, text_column)}
        yield _make(article_id, text, meta, origin)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _files(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """``path`` itself when it is a file (a one-article corpus), else its files with ``suffixes``."""
    if path.is_file():
        return [path]
    return sorted(f for f in path.iterdir() if f.is_file() and f.suffix.lower() in suffixes)


def _outside(path: Path, file: Path) -> Skipped | None:
    """A folder's file that is a symlink leading out of the folder, refused (None when it is inside)."""
    if path.is_file():
        return None  # the one file the user named
    try:
        inside(path, file.name, "corpus folder")
    except OutsideRoot as err:
        return Skipped(origin=str(file), reason=f"refused: {err}", id=file.stem)
    return None


def _read_txt_folder(path: Path, encoding: str) -> Iterator:
    for file in _files(path, (".txt",)):
        if refused := _outside(path, file):
            yield refused
            continue
        text = _decode(file.read_bytes(), str(file), encoding, file.stem)
        if isinstance(text, Skipped):
            yield text
        else:
            yield _make(file.stem, text, {"file": file.name}, str(file))


def _read_html_folder(path: Path, encoding: str) -> Iterator:
    import trafilatura

    for file in _files(path, (".html", ".htm")):
        if refused := _outside(path, file):
            yield refused
            continue
        html = _decode(file.read_bytes(), str(file), encoding, file.stem)
        if isinstance(html, Skipped):
            yield html
            continue
        text = trafilatura.extract(html, include_comments=False, include_tables=False,
                                   deduplicate=False)
        if not text or not text.strip():
            yield Skipped(origin=str(file), reason="trafilatura found no article text in the page",
                          id=file.stem)
            continue
        meta = {"file": file.name}
        found = trafilatura.extract_metadata(html)
        if found is not None:
            for key in ("title", "date", "url", "sitename", "author"):
                value = getattr(found, key, None)
                if value:
                    meta["outlet" if key == "sitename" else key] = str(value)
        yield _make(file.stem, text, meta, str(file))


def as_corpus(source: str | os.PathLike | Corpus | Iterable[Article] | Iterable[str], **kwargs) -> Corpus:
    """Turn whatever :func:`framing.score` was given into a Corpus.

    A path is loaded with :func:`load_corpus` (``kwargs`` passed on); a list of plain strings gets
    ids ``doc-1``, ``doc-2``, ...
    """
    if isinstance(source, Corpus):
        return source
    if isinstance(source, (str, os.PathLike)):
        return load_corpus(source, **kwargs)
    if isinstance(source, bytes):
        raise CorpusError("expected a path, a Corpus or a list of texts, got bytes; decode the text first")
    articles, skipped = [], []
    for i, item in enumerate(source, start=1):
        if isinstance(item, str):
            item = _make(f"doc-{i}", item, {}, f"item {i}")
        elif isinstance(item, Article):
            made = _make(item.id, item.text, item.meta, item.origin or f"item {i}")
            item = made if isinstance(made, Skipped) else item
        else:
            raise CorpusError(f"item {i}: expected an Article or a str, got {type(item).__name__}")
        if isinstance(item, Skipped):  # as the file readers do: reported, never scored
            warnings.warn(str(item), SkippedArticleWarning, stacklevel=2)
            skipped.append(item)
        else:
            articles.append(item)
    duplicates = sorted(i for i, n in Counter(a.id for a in articles).items() if n > 1)
    if duplicates:
        raise CorpusError(f"duplicate article ids: {', '.join(duplicates)}")
    return Corpus(articles=articles, skipped=skipped)
