"""Scoring with the transformer stance model: onnxruntime and tokenizers only (no torch).

The model folder (``framing/stance/transformer/`` in the package, or one written by ``framing
train-stance --method transformer --out DIR``) holds ``encoder.onnx`` (all-MiniLM-L6-v2 fine-tuned on
NewsMTSC, int8), ``head.npz`` (:mod:`framing.stance.transformer_model`), ``tokenizer.json`` and
``transformer.json`` (base weights and hash, data hashes, settings, dev scores, versions, and the
SHA-256 of every file, checked on loading).

Each sentence is encoded once, whatever the number of targets in it, in batches of sentences whose
values never depend on the batch (see :meth:`TransformerStance.states`); inside a
:func:`framing.stance.encoding.cached_heads` scope (the pipeline opens one per article from the
stance-head cache) a target whose head outputs are kept is not encoded at all.
A target's value is P(positive) - P(negative); its cues are the words whose share of the logits
pushed most toward its label (exact for the head, which is linear in the token states).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .._io import checked_metadata_bytes
from .encoding import Encoded, encode, head_key, heads_memo, load_encoder, mark, token_states
from .transformer_model import CLASSES, head_numpy, softmax


def model_folder() -> Path:
    return Path(str(resources.files("framing.stance") / "transformer"))


def encoder_sha256(folder: str | os.PathLike | None = None) -> str:
    """The recorded SHA-256 of the transformer's ``encoder.onnx`` (what the frames and roles heads
    were trained on; their loading compares it)."""
    meta = json.loads((Path(folder or model_folder()) / "transformer.json").read_text(encoding="utf-8"))
    return meta["files"]["encoder.onnx"]


class TransformerStance:
    """The loaded model; :meth:`score` gives label, value and cues for targets in sentences."""

    def __init__(self, folder: str | os.PathLike | None = None, threads: int | None = None):
        folder = Path(folder) if folder else model_folder()
        rebuild = "framing train-stance --method transformer --out DIR"
        self.metadata, recorded = checked_metadata_bytes(folder, "transformer.json", rebuild)
        self.session, self.tokenizer = load_encoder(str(folder), threads)
        with np.load(folder / "head.npz") as head:
            self.weights = {k: head[k].astype(np.float32) for k in ("A", "W_t", "W_s", "b")}
        self.max_tokens = int(self.metadata["settings"]["max_tokens"])
        self.markers = bool(self.metadata["settings"].get("markers", False))  # one marked pass per target
        # what the head's outputs depend on besides a target (the files' SHA-256 and the settings):
        # the head-output cache's folder (framing.vector_cache.HeadCache)
        self.fingerprint = hashlib.sha256(recorded).hexdigest()

    def states(self, encoded: list[Encoded]) -> list[np.ndarray]:
        """The token states of each encoded sentence (:func:`framing.stance.encoding.token_states`:
        batched by length, a sentence's values never depend on the other sentences scored with it, and
        a sentence the frames head has encoded is not encoded again)."""
        return token_states(self.session, [e.ids for e in encoded])

    def score(self, sentences: list[tuple[str, list[list[tuple[int, int]]]]], n_cues: int = 3,
              ) -> list[list[tuple[str, float, list[str], np.ndarray]]]:
        """For each ``(sentence, targets)`` (a target is the list of its mentions' character spans):
        ``(label, value, cues, probabilities)`` per target."""
        if self.markers:
            return self._score_marked(sentences, n_cues)
        encoded, masks = [], []
        for sentence, targets in sentences:
            spans = [span for mentions in targets for span in mentions]
            e = encode(self.tokenizer, sentence, spans, self.max_tokens)
            mine, k = [], 0
            for mentions in targets:
                target = np.zeros(len(e.ids), dtype=np.int64)
                for _ in mentions:
                    target |= e.targets[k]
                    k += 1
                mine.append(target)
            encoded.append(e)
            masks.append(mine)
        heads = self._heads(encoded, masks)
        return [[self._decided(sentence, e, target, outputs, n_cues) for target, outputs in zip(mine, found)]
                for (sentence, _), e, mine, found in zip(sentences, encoded, masks, heads)]

    def _score_marked(self, sentences, n_cues: int):
        """:meth:`TransformerStance.score` for a model that reads one marked target per pass."""
        passes, owners = [], []
        for s, (sentence, targets) in enumerate(sentences):
            for t, mentions in enumerate(targets):
                e = encode(self.tokenizer, sentence, list(mentions), self.max_tokens - 2 * len(mentions))
                merged = Encoded(e.ids, e.offsets, [np.bitwise_or.reduce(e.targets)])
                passes.append(mark(merged, 0))
                owners.append((s, t))
        found = self._heads(passes, [[e.targets[0]] for e in passes])
        results: list[list] = [[None] * len(targets) for _, targets in sentences]
        for (s, t), e, [outputs] in zip(owners, passes, found):
            results[s][t] = self._decided(sentences[s][0], e, e.targets[0], outputs, n_cues)
        return results

    def _heads(self, encoded: list[Encoded], masks: list[list[np.ndarray]]) -> list[list[tuple]]:
        """The head's ``(logits, contributions)`` of each target (``masks``: each sentence's targets);
        the encoder runs only on sentences with a target that the :func:`cached_heads` scope's memo
        lacks (a target read from it has the outputs it had when computed: the same bytes)."""
        memo = heads_memo()
        keys = [[head_key(e.ids, target) for target in mine] for e, mine in zip(encoded, masks)]
        todo = [s for s, mine in enumerate(keys) if memo is None or any(k not in memo for k in mine)]
        states = dict(zip(todo, self.states([encoded[s] for s in todo])))
        out = []
        for s, (e, mine) in enumerate(zip(encoded, masks)):
            found = []
            for target, key in zip(mine, keys[s]):
                outputs = memo.get(key) if memo is not None else None
                if outputs is None:
                    outputs = head_numpy(states[s], np.ones(len(e.ids), dtype=np.int64), target, self.weights)
                    if memo is not None:
                        memo[key] = outputs
                found.append(outputs)
            out.append(found)
        return out

    def _decided(self, sentence: str, e: Encoded, target: np.ndarray, outputs: tuple, n_cues: int) -> tuple:
        logits, shares = outputs
        probabilities = softmax(logits)
        label = CLASSES[int(probabilities.argmax())]
        value = float(probabilities[CLASSES.index("positive")] - probabilities[CLASSES.index("negative")])
        return label, value, cues(sentence, e, shares, target, label, n_cues), probabilities


def cues(sentence: str, encoded: Encoded, shares: np.ndarray, target: np.ndarray, label: str,
         n: int = 3) -> list[str]:
    """The ``n`` words outside the target whose pieces pushed the logits most toward ``label`` (their
    share for the label minus the mean of the other labels' shares), as ``"word +0.42"``."""
    c = CLASSES.index(label)
    push = shares[:, c] - np.delete(shares, c, axis=1).mean(axis=1)
    words: dict[tuple[int, int], float] = {}
    spans = _word_spans(sentence, encoded.offsets)
    for i, span in enumerate(spans):
        if span is None or target[i]:
            continue
        words[span] = words.get(span, 0.0) + float(push[i])
    top = sorted((v, span) for span, v in words.items() if v > 0)[::-1][:n]
    return [f"{sentence[a:b]} {v:+.2f}" for v, (a, b) in top]


def _word_spans(sentence: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """The word each word piece belongs to: the white-space-bounded run of characters around it,
    without its leading and trailing punctuation ("won't", not "won" and "t"; the full stop of
    "Afghanistan." counts with "Afghanistan"); a run of punctuation only is its own word."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"\S+", sentence)]
    starts = [a for a, _ in runs]
    out: list[tuple[int, int] | None] = []
    for a, b in offsets:
        if a == b:
            out.append(None)
            continue
        start, end = runs[max(bisect.bisect_right(starts, a) - 1, 0)]
        inner = re.search(r"\w(.*\w)?", sentence[start:end], re.S)
        out.append((start + inner.start(), start + inner.end()) if inner else (start, end))
    return out


@lru_cache(maxsize=2)
def load_transformer(folder: str | None = None) -> TransformerStance:
    return TransformerStance(folder)
