"""The encoder's caches, kept on disk beside the parse cache: what the stance encoder computed for a
text, so that after a codebook edit, when every article is extracted again from the parse cache, the
encoder does not run again over the sentences it has read before.

- :class:`VectorCache`: the sentence vectors that the frames and roles extractors read
  (:func:`framing.frames.vectors_for`). They depend on the text, its parse (the sentence boundaries)
  and the encoder, never on the codebook.
- :class:`HeadCache`: the transformer stance head's outputs (logits and each word piece's
  contributions) per target, by :func:`framing.stance.encoding.head_key` (the sentence's pieces and the
  target's mask over them). A codebook edit that keeps a sentence's targets keeps their outputs; a
  new actor's target in the sentence is scored afresh (the whole sentence encoded once for it).

One file per article: ``<cache-dir>/vectors/<encoder sha256[:16]>-t<max tokens>/<key[:2]>/<key>.npz``
and ``<cache-dir>/stance-heads/<model sha256[:16]>/<key[:2]>/<key>.npz`` (the model's SHA-256 is that of
its ``transformer.json``, which records every file's SHA-256 and the settings), where ``key`` is the
parse cache's key of the text (it hashes the text with the spaCy model, spaCy's version and framing's
parse pipeline version). The files hold the arrays exactly as computed, so a score read through the
caches equals a score computed afresh, byte for byte.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from ._io import write_bytes
from .errors import FramingError
from .parse import ParseCache


class _TextCache:
    """One ``.npz`` file of arrays per text, under ``directory``, named by the parse cache's key."""

    def __init__(self, parses: ParseCache, directory: Path):
        self.parses, self.directory = parses, directory

    def _path(self, text: str) -> Path:
        key = self.parses.key(text)
        return self.directory / key[:2] / f"{key}.npz"

    def _load(self, text: str, names: tuple[str, ...]) -> tuple[Path, dict[str, np.ndarray] | None]:
        path = self._path(text)
        if not path.is_file():
            return path, None
        try:
            with np.load(path, allow_pickle=False) as stored:
                return path, {name: stored[name] for name in names}
        except (OSError, ValueError, KeyError) as err:
            raise self._damaged(path, f"unreadable ({err})") from err

    def _damaged(self, path: Path, what: str) -> FramingError:
        return FramingError(f"{path}: {what}; delete the folder {self.directory} and run again")

    def _store(self, text: str, **arrays: np.ndarray) -> None:
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        write_bytes(self._path(text), buffer.getvalue())


class VectorCache(_TextCache):
    """Sentence vectors per text, by sentence index (see the module docstring)."""

    def __init__(self, directory: str | os.PathLike, parses: ParseCache, encoder_sha256: str,
                 max_tokens: int):
        super().__init__(parses, Path(directory) / "vectors" / f"{encoder_sha256[:16]}-t{max_tokens}")

    def get(self, text: str) -> dict[int, np.ndarray]:
        """The cached vectors of ``text``'s sentences, by sentence index (empty when none are)."""
        path, stored = self._load(text, ("index", "vectors"))
        if stored is None:
            return {}
        index, vectors = stored["index"], stored["vectors"]
        if vectors.ndim != 2 or len(index) != len(vectors):
            raise self._damaged(path, f"sentence-vector cache entry has {len(index)} indices for "
                                      f"{len(vectors)} vectors")
        return {int(i): v for i, v in zip(index, vectors)}

    def put(self, text: str, vectors: dict[int, np.ndarray]) -> None:
        """Store every vector of ``text`` known so far (replacing the entry, atomically)."""
        index = sorted(vectors)
        self._store(text, index=np.asarray(index, dtype=np.int64),
                    vectors=np.stack([vectors[i] for i in index]).astype(np.float32, copy=False))


class HeadCache(_TextCache):
    """The transformer stance head's ``(logits, contributions)`` per target of a text, by
    :func:`framing.stance.encoding.head_key` (see the module docstring)."""

    def __init__(self, directory: str | os.PathLike, parses: ParseCache, model_sha256: str):
        super().__init__(parses, Path(directory) / "stance-heads" / model_sha256[:16])

    def get(self, text: str) -> dict[bytes, tuple[np.ndarray, np.ndarray]]:
        """The cached outputs of ``text``'s targets (empty when none are)."""
        path, stored = self._load(text, ("keys", "logits", "pieces", "shares"))
        if stored is None:
            return {}
        keys, logits, pieces, shares = stored["keys"], stored["logits"], stored["pieces"], stored["shares"]
        if not (keys.ndim == 2 and keys.shape[1] == 32 and len(keys) == len(logits) == len(pieces)
                and int(pieces.sum()) == len(shares)):
            raise self._damaged(path, f"stance-head cache entry does not hold {len(keys)} targets' outputs")
        ends = np.cumsum(pieces)
        return {key.tobytes(): (logits[k], shares[end - n:end])
                for k, (key, n, end) in enumerate(zip(keys, pieces, ends))}

    def put(self, text: str, outputs: dict[bytes, tuple[np.ndarray, np.ndarray]]) -> None:
        """Store the outputs of every target of ``text`` known so far (replacing the entry, atomically)."""
        keys = sorted(outputs)
        if not keys:
            return
        self._store(text, keys=np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32),
                    logits=np.stack([outputs[k][0] for k in keys]),
                    pieces=np.asarray([len(outputs[k][1]) for k in keys], dtype=np.int64),
                    shares=np.concatenate([outputs[k][1] for k in keys]))
