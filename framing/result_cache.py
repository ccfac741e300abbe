"""Scores on disk, one file per article: re-scoring an unchanged article with unchanged settings reads
its features and evidence instead of parsing and extracting again.

The key hashes the article's text with everything a score depends on: the settings (codebook content,
extractors, stance method), the spaCy model and version, framing's own source files and the source
file of every extractor's module (so an edited rule never reuses an old score), the shipped stance
model, the versions of the libraries that compute numbers (spaCy, scikit-learn, TextBlob, VADER,
NumPy, SciPy) and an extractor's optional ``version`` attribute (for a plug-in that depends on code
outside its module). Editing the codebook changes the key of every article: those re-scores read
their parses from the parse cache (:class:`framing.parse.ParseCache`) and run the extractors again.

An entry is zlib-compressed JSON: ``features`` (descriptives and extractor features, in order) and
``evidence`` (the rows by column, :func:`framing.tables.evidence_columns`, without ``article_id``, which
is set on reading: the same text under another id gets the same rows). JSON keeps every float exactly
(``repr``), and NaN.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import zlib
from functools import lru_cache
from pathlib import Path

from ._io import write_bytes
from .errors import FramingError
from .evidence import Evidence
from .versions import package_versions

LIBRARIES = ("spacy", "scikit-learn", "textblob", "vaderSentiment", "numpy", "scipy", "pandas")


# framing's modules that cannot change a score (figures, tables, statistics, the command line, the
# engines that only cut and assemble the work): editing them keeps the cached scores valid.
NOT_SCORING = ("plots/", "evaluate/", "engine/", "__main__.py", "budget.py", "cli.py", "codebook_template.py",
               "compare.py", "datasets.py", "methods.py", "notebooks.py", "stats.py", "transformer.py",
               "validate.py", "versions.py")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over framing's source files on the scoring path and the shipped stance models (sorted
    by path); the modules of :data:`NOT_SCORING` are left out."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    models = [*root.rglob("*.skops"), *root.rglob("*.onnx"), *root.rglob("*.npz")]  # the shipped models
    for path in sorted([*root.rglob("*.py"), *models]):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(NOT_SCORING):
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    return package_versions(LIBRARIES, missing="-")


def extractor_fingerprint(names) -> list:
    """Each extractor's name, optional ``version`` and the sha256 of its module's source file."""
    from .extract import registry

    out = []
    for name in names:
        cls = registry.get(name)
        source = Path(inspect.getfile(cls))
        out.append([name, str(getattr(cls, "version", "")), hashlib.sha256(source.read_bytes()).hexdigest()])
    return out


class ResultCache:
    """Per-article features and evidence on disk, keyed as the module docstring says."""

    def __init__(self, directory: str | os.PathLike, settings_fingerprint: dict, model: str, extractors):
        self.directory = Path(directory) / "results"
        context = {"settings": settings_fingerprint, "model": model, "code": code_fingerprint(),
                   "extractors": extractor_fingerprint(extractors), "libraries": _library_versions()}
        self._prefix = hashlib.sha256(json.dumps(context, sort_keys=True).encode()).hexdigest()

    def _path(self, text: str) -> Path:
        key = hashlib.sha256(f"{self._prefix}\0{text}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.json.z"

    def get(self, article_id: str, text: str) -> tuple[dict, dict[str, list]] | None:
        """The features and evidence columns (:func:`framing.tables.evidence_columns`) stored for
        ``text``, with ``article_id`` set, or None."""
        entry = _read(self._path(text), "result cache", self.directory)
        if entry is None:
            return None
        evidence = entry["evidence"]
        return entry["features"], {"article_id": [article_id] * len(evidence["family"]), **evidence}

    def put(self, text: str, features: dict, columns: dict[str, list]) -> None:
        """Store an article's features and evidence columns (its ``article_id`` is left out)."""
        _write(self._path(text), {"features": features,
                                  "evidence": {c: v for c, v in columns.items() if c != "article_id"}})


class CopiesCache:
    """The corpus-level near-duplicate table (:func:`framing.copies.find_copies`) and its ``copy``
    evidence rows, on disk, so that a re-score of an unchanged corpus reads them instead of passing
    over the corpus twice more. The key hashes every scored article's id and digest (its text and
    metadata, the date included: :attr:`framing.corpus.Article.digest`), in corpus order, with
    framing's scoring code and the datasketch version: any changed, added or removed article, and any
    edit of :mod:`framing.copies`, computes the table again."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory) / "copies"

    @staticmethod
    def key(articles) -> str:
        """The key of a corpus given as ``(id, digest)`` pairs in corpus order."""
        digest = hashlib.sha256(json.dumps({"code": code_fingerprint(),
                                            "libraries": package_versions(("datasketch",), missing="-")},
                                           sort_keys=True).encode())
        for article_id, article_digest in articles:
            digest.update(json.dumps([article_id, article_digest]).encode() + b"\n")
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json.z"

    def get(self, key: str):
        """``(table, rows)`` stored under ``key``, or None."""
        from .copies import story_table

        entry = _read(self._path(key), "near-duplicate cache", self.directory)
        if entry is None:
            return None
        table = story_table(entry["id"], entry["story_cluster"], entry["story_size"], entry["is_copy"])
        return table, [Evidence.from_row(row) for row in entry["evidence"]]

    def put(self, key: str, table, rows: list[Evidence]) -> None:
        _write(self._path(key), {**{c: table[c].tolist() for c in table.columns},
                                 "evidence": [r.as_row() for r in rows]})


def _read(path: Path, what: str, directory: Path) -> dict | None:
    """The JSON entry compressed at ``path``, or None when there is none; a damaged entry names itself
    and the folder to delete."""
    if not path.is_file():
        return None
    try:
        return json.loads(zlib.decompress(path.read_bytes()))
    except (zlib.error, ValueError) as err:
        raise FramingError(f"{path}: unreadable {what} entry ({err}); delete the folder {directory} and "
                           "run again") from err


def _write(path: Path, entry: dict) -> None:
    """``entry`` as zlib-compressed JSON at ``path`` (atomically: :func:`framing._io.write_bytes`)."""
    data = json.dumps(entry, ensure_ascii=False, default=_plain)
    write_bytes(path, zlib.compress(data.encode("utf-8"), 6))


def _plain(value):
    """NumPy scalars as Python numbers (the same number: ``item()`` is exact)."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot store a {type(value).__name__} in the result cache")
