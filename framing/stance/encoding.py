"""Word pieces of a sentence and of its targets, for the transformer stance model (no torch needed).

The tokenizer is all-MiniLM-L6-v2's (``tokenizer.json``, read by the ``tokenizers`` library); a
sentence longer than :data:`MAX_TOKENS` word pieces is cut to a window around its targets.

:func:`token_states` runs the encoder on sentences' pieces, in batches of sentences of similar length
when the encoder's values do not depend on the batch (the shipped encoder quantises its activations
per token: :mod:`framing.stance.quantize`), else one call per sentence; inside :func:`shared_states`
(the pipeline opens one per article) a sentence the stance head has encoded is not encoded again for
the frames and roles heads (issue 31): the same pieces give the same states, byte for byte, whichever
head asks first and whatever it was batched with.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import weakref
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .transformer_model import MAX_TOKENS


@dataclass
class Encoded:
    """One sentence as word pieces: ids, the character span of each piece, and each target's pieces."""

    ids: np.ndarray  # int64, with [CLS] ... [SEP]
    offsets: list[tuple[int, int]]  # characters of each piece in the sentence ((0, 0) for specials)
    targets: list[np.ndarray]  # one 0/1 mask over the pieces per target


THREADS_VARIABLE = "FRAMING_ENCODER_THREADS"


def worker_threads(jobs: int) -> str:
    """The encoder threads of each of ``jobs`` scoring processes on this machine, unless
    ``$FRAMING_ENCODER_THREADS`` says: the process's share of the cores less the one its main thread
    parses and extracts on while the encoder runs beside it (:meth:`framing.pipeline.Scorer`), at
    least 1 and at most 2 (what an encoder loaded alone gets; more cores are used by more ``jobs``)."""
    return os.environ.get(THREADS_VARIABLE) or str(max(1, min(2, (os.cpu_count() or 1) // jobs - 1)))


_THREADS: contextvars.ContextVar[int | None] = contextvars.ContextVar("framing_encoder_threads", default=None)


@contextmanager
def scoring_threads(jobs: int = 1):
    """Encoders loaded in this block (by a scorer building its extractors) run on
    :func:`worker_threads` threads, unless a call names its own. An encoder loaded earlier in the
    process (its model is cached) keeps its threads: only the speed differs, never a value."""
    token = _THREADS.set(int(worker_threads(jobs)))
    try:
        yield
    finally:
        _THREADS.reset(token)


BATCH_SIZE = 32  # sentences per encoder call when the encoder's values do not depend on the batch
PER_TOKEN = "int8, activations per token"  # transformer.json's "quantized" for a batchable encoder
# session -> (its encoder file, whether its values are the same in any batch): sessions of one file
# with other thread counts give the same states, so the heads share them whichever session they hold
_ENCODERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _encoder_of(session) -> str | int:
    """What a sentence's states depend on besides its pieces: the session's encoder file (the
    session itself when it was not loaded by :func:`load_encoder`)."""
    known = _ENCODERS.get(session)
    return known[0] if known else id(session)


def batchable(folder: str | os.PathLike) -> bool:
    """Whether the encoder in a transformer model folder gives a sentence the same states in any batch:
    its ``transformer.json`` says its activations are quantised per token (:mod:`framing.stance.quantize`)
    or not at all (float); an encoder quantised per call (older exports) is run one sentence at a time."""
    import json

    meta = json.loads((Path(folder) / "transformer.json").read_text(encoding="utf-8"))
    return meta.get("quantized") in (PER_TOKEN, False)


def load_encoder(folder: str, threads: int | None = None):
    """``(session, tokenizer)`` of the encoder in a transformer model folder (``encoder.onnx``,
    ``tokenizer.json``), loaded once per process and thread count: the stance, frames and roles models
    share it. Threads: ``threads``, else ``$FRAMING_ENCODER_THREADS`` (set by the engines for their
    worker processes, so that ``jobs`` workers share the cores rather than each taking two), else
    :func:`scoring_threads`' share inside its block, else up to 2. Whether :func:`token_states` may
    batch its sentences is read from the folder (:func:`batchable`)."""
    threads = (threads or int(os.environ.get(THREADS_VARIABLE) or 0) or _THREADS.get()
               or min(2, os.cpu_count() or 1))
    return _load_encoder(folder, threads)


@lru_cache(maxsize=4)
def _load_encoder(folder: str, threads: int):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(Path(folder) / "encoder.onnx"), options,
                                           providers=["CPUExecutionProvider"])
    _ENCODERS[session] = (str((Path(folder) / "encoder.onnx").resolve()), batchable(folder))
    return session, load_tokenizer(Path(folder) / "tokenizer.json")


def load_tokenizer(path: str):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def encode(tokenizer, sentence: str, spans: list[tuple[int, int]], max_tokens: int = MAX_TOKENS) -> Encoded:
    """The sentence's pieces and a mask per target span (``sentence[start:end]``); a target that no
    piece covers (white space only) gets the piece nearest to it."""
    encoding = tokenizer.encode(sentence)
    ids = list(encoding.ids)
    offsets = list(encoding.offsets)
    special = [tuple(o) == (0, 0) and i in (0, len(ids) - 1) for i, o in enumerate(offsets)]
    masks = []
    for start, end in spans:
        mask = np.array([not special[i] and o[0] < end and start < o[1] for i, o in enumerate(offsets)],
                        dtype=np.int64)
        if not mask.any():
            inner = [i for i in range(len(ids)) if not special[i]]
            nearest = min(inner, key=lambda i: abs(offsets[i][0] - start)) if inner else 0
            mask[nearest] = 1
        masks.append(mask)
    if len(ids) > max_tokens:  # a window of pieces around the targets, [CLS] and [SEP] kept
        covered = np.flatnonzero(np.any(masks, axis=0)) if masks else np.array([1])
        centre = int((covered.min() + covered.max()) // 2)
        width = max_tokens - 2
        lo = min(max(1, centre - width // 2), len(ids) - 1 - width)
        keep = [0, *range(lo, lo + width), len(ids) - 1]
        ids = [ids[i] for i in keep]
        offsets = [offsets[i] for i in keep]
        masks = [m[keep] for m in masks]
        for m in masks:  # a target cut off by the window: its nearest kept piece stands for it
            if not m.any():
                m[1] = 1
    return Encoded(np.asarray(ids, dtype=np.int64), [tuple(o) for o in offsets], masks)


MARKERS = (2, 3)  # the ids of [unused1] and [unused2] in MiniLM's vocabulary: before and after a target


def mark(encoded: Encoded, k: int, markers: tuple[int, int] = MARKERS) -> Encoded:
    """The sentence with target ``k``'s pieces set off by marker pieces (each run of its pieces), for a
    model trained to read one marked target per pass; the target mask covers the pieces, not markers."""
    mask = encoded.targets[k]
    ids, offsets, target = [], [], []
    for i, piece in enumerate(encoded.ids):
        starts = mask[i] and (i == 0 or not mask[i - 1])
        if starts:
            ids.append(markers[0])
            offsets.append((0, 0))
            target.append(0)
        ids.append(int(piece))
        offsets.append(encoded.offsets[i])
        target.append(int(mask[i]))
        if mask[i] and (i + 1 == len(encoded.ids) or not mask[i + 1]):
            ids.append(markers[1])
            offsets.append((0, 0))
            target.append(0)
    return Encoded(np.asarray(ids, dtype=np.int64), offsets, [np.asarray(target, dtype=np.int64)])


MEMO_BYTES = 64 * 2**20  # at most this much of one article's states is kept for the other heads


class _StatesMemo:
    """The token states of the sentences encoded in one :func:`shared_states` scope, up to
    :data:`MEMO_BYTES` (least recently used first out)."""

    def __init__(self, limit: int = MEMO_BYTES):
        self.limit, self.size = limit, 0
        self.items: OrderedDict[tuple[int, bytes], np.ndarray] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key):
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
            self.hits += 1
        else:
            self.misses += 1
        return found

    def put(self, key, states: np.ndarray) -> None:
        self.items[key] = states
        self.size += states.nbytes
        while self.size > self.limit and len(self.items) > 1:
            _, dropped = self.items.popitem(last=False)
            self.size -= dropped.nbytes


_SCOPE: contextvars.ContextVar[_StatesMemo | None] = contextvars.ContextVar("framing_states", default=None)


@contextmanager
def shared_states(memo: _StatesMemo | None = None):
    """A scope (one article's extraction) in which :func:`token_states` encodes each sentence once:
    the stance, frames and roles heads share the states of the sentences they all read. Outside a
    scope every call runs the encoder. ``memo``: the article's states encoded beforehand
    (:func:`pooled_states`). Yields the scope's memo (``hits``, ``misses``)."""
    token = _SCOPE.set(memo if memo is not None else _StatesMemo())
    try:
        yield _SCOPE.get()
    finally:
        _SCOPE.reset(token)


_HEADS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("framing_stance_heads", default=None)


@contextmanager
def cached_heads(memo: dict[bytes, tuple] | None):
    """A scope (one article's extraction) in which the transformer stance head's outputs per target,
    ``(logits, contributions)`` by :func:`head_key`, are read from ``memo`` and added to it
    (:meth:`framing.stance.transformer.TransformerStance.score`): a target scored before, its outputs
    kept in the head-output cache (:class:`framing.vector_cache.HeadCache`), runs neither the encoder
    nor the head again after a codebook edit. Outside a scope (``None``) nothing is kept."""
    token = _HEADS.set(memo)
    try:
        yield memo
    finally:
        _HEADS.reset(token)


def heads_memo() -> dict[bytes, tuple] | None:
    """The memo of the :func:`cached_heads` scope this code runs in (``None`` outside one)."""
    return _HEADS.get()


def head_key(ids: np.ndarray, target: np.ndarray) -> bytes:
    """What a target's head outputs depend on besides the model: its sentence's piece ids and the
    target's 0/1 mask over them (SHA-256, 32 bytes)."""
    return hashlib.sha256(np.asarray(ids, dtype=np.int64).tobytes()
                          + np.asarray(target, dtype=np.int64).tobytes()).digest()


LENGTH_RATIO = 1.25  # a batch's longest sentence has at most this many times its shortest's pieces (+ 8)


def _plan(keys: list[bytes], size: int) -> list[list[bytes]]:
    """Sentences (their ids' bytes) sorted by length and cut into batches of at most ``size`` whose
    longest is at most :data:`LENGTH_RATIO` times the shortest plus 8 pieces: little padding."""
    batches: list[list[bytes]] = []
    for key in sorted(keys, key=len):  # bytes: 8 per piece
        if batches and len(batches[-1]) < size and len(key) <= LENGTH_RATIO * len(batches[-1][0]) + 64:
            batches[-1].append(key)
        else:
            batches.append([key])
    return batches


def _encode(session, keys: list[bytes]) -> dict[bytes, np.ndarray]:
    """The states of each sentence (by its ids' bytes), read-only, in batches when the session's
    encoder allows (:func:`batchable`)."""
    size = BATCH_SIZE if _ENCODERS.get(session, ("", False))[1] else 1
    out = {}
    for chunk in _plan(keys, size):
        rows = [np.frombuffer(key, dtype=np.int64) for key in chunk]
        ids, mask = padded(rows)
        states = session.run(["states"], {"input_ids": ids, "attention_mask": mask})[0]
        for k, (key, r) in enumerate(zip(chunk, rows)):
            found = np.ascontiguousarray(states[k, :len(r)])
            found.flags.writeable = False
            out[key] = found
    return out


def token_states(session, pieces: list) -> list[np.ndarray]:
    """The encoder's token states (pieces x 384, float32, read-only) of each sentence's piece ids (with
    [CLS] and [SEP]). Sentences are sorted by length and encoded up to :data:`BATCH_SIZE` at a time,
    padded to the longest of the batch, when the session's encoder gives a sentence the same states in
    any batch (:func:`batchable`); else one call per sentence (an encoder that quantises its
    activations per call would give values that depend on the neighbours). Inside
    :func:`shared_states` a sentence already encoded (the same pieces, by any session of the same
    encoder file) is not encoded again; its states are the same, byte for byte. A sentence that comes
    twice in ``pieces`` is encoded once."""
    memo, encoder = _SCOPE.get(), _encoder_of(session)
    keys = [np.asarray(ids, dtype=np.int64).tobytes() for ids in pieces]
    found: dict[bytes, np.ndarray] = {}
    for key in dict.fromkeys(keys):
        hit = memo.get((encoder, key)) if memo is not None else None
        if hit is not None:
            found[key] = hit
    new = _encode(session, [k for k in dict.fromkeys(keys) if k not in found])
    if memo is not None:
        memo.hits += len(keys) - len(set(keys))  # a repeat within the call is served once encoded
        for key, states in new.items():
            memo.put((encoder, key), states)
    found.update(new)
    return [found[key] for key in keys]


def pooled_states(session, articles: list[list]) -> list[_StatesMemo]:
    """The states of several articles' sentences (each a list of piece ids), encoded together so that
    batches of similar length fill up (the pipeline encodes a window of articles' sentences before
    extracting them): one memo per article, to open its :func:`shared_states` scope with. A sentence is
    encoded once per article, not once per window (an article's cost does not depend on its
    neighbours). With an encoder that is not :func:`batchable`, each sentence is encoded alone."""
    encoder = _encoder_of(session)
    owners: dict[bytes, list[int]] = {}  # sentence -> the articles that hold it, each once
    for a, sentences in enumerate(articles):
        for ids in sentences:
            where = owners.setdefault(np.asarray(ids, dtype=np.int64).tobytes(), [])
            if a not in where:
                where.append(a)
    memos = [_StatesMemo() for _ in articles]
    for copy in range(max(map(len, owners.values()), default=0)):  # a shared sentence: once per article
        for key, found in _encode(session, [k for k, where in owners.items() if len(where) > copy]).items():
            memos[owners[key][copy]].put((encoder, key), found)
    return memos


def padded(rows: list) -> tuple[np.ndarray, np.ndarray]:
    """Padded ids and attention mask of several sentences' piece ids."""
    ids = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
    mask = np.zeros_like(ids)
    for k, r in enumerate(rows):
        ids[k, :len(r)], mask[k, :len(r)] = r, 1
    return ids, mask


def batch(encoded: list[Encoded]) -> tuple[np.ndarray, np.ndarray]:
    """Padded ids and attention mask of several encoded sentences."""
    return padded([e.ids for e in encoded])
