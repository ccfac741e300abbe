"""The sentence-vector cache: the stance encoder's sentence vectors that the frames and roles extractors
read (:func:`framing.frames.vectors_for`), kept on disk beside the parse cache.

The vectors depend on the text, its parse (the sentence boundaries) and the encoder, never on the
codebook; so after a codebook edit, when every article is extracted again from the parse cache, the
encoder does not run again over every sentence. One file per article:
``<cache-dir>/vectors/<encoder sha256[:16]>-t<max tokens>/<key[:2]>/<key>.npz`` where ``key`` is the
parse cache's key of the text (it hashes the text with the spaCy model, spaCy's version and framing's
parse pipeline version). The file holds the sentence indices and their float32 vectors exactly as
computed, so a score read through the cache equals a score computed afresh, byte for byte.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from ._io import write_bytes
from .errors import FramingError
from .parse import ParseCache


class VectorCache:
    """Sentence vectors per text, by sentence index (see the module docstring)."""

    def __init__(self, directory: str | os.PathLike, parses: ParseCache, encoder_sha256: str,
                 max_tokens: int):
        self.parses = parses
        self.directory = Path(directory) / "vectors" / f"{encoder_sha256[:16]}-t{max_tokens}"

    def _path(self, text: str) -> Path:
        key = self.parses.key(text)
        return self.directory / key[:2] / f"{key}.npz"

    def get(self, text: str) -> dict[int, np.ndarray]:
        """The cached vectors of ``text``'s sentences, by sentence index (empty when none are)."""
        path = self._path(text)
        if not path.is_file():
            return {}
        try:
            with np.load(path, allow_pickle=False) as stored:
                index, vectors = stored["index"], stored["vectors"]
        except (OSError, ValueError, KeyError) as err:
            raise FramingError(f"{path}: unreadable sentence-vector cache entry ({err}); delete the folder "
                               f"{self.directory} and run again") from err
        if vectors.ndim != 2 or len(index) != len(vectors):
            raise FramingError(f"{path}: sentence-vector cache entry has {len(index)} indices for "
                               f"{len(vectors)} vectors; delete the folder {self.directory} and run again")
        return {int(i): v for i, v in zip(index, vectors)}

    def put(self, text: str, vectors: dict[int, np.ndarray]) -> None:
        """Store every vector of ``text`` known so far (replacing the entry, atomically)."""
        index = sorted(vectors)
        buffer = io.BytesIO()
        np.savez(buffer, index=np.asarray(index, dtype=np.int64),
                 vectors=np.stack([vectors[i] for i in index]).astype(np.float32, copy=False))
        write_bytes(self._path(text), buffer.getvalue())
