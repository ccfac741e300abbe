"""The generic news frames model: onnxruntime and tokenizers only (no torch).

The model folder (``framing/frames/model/`` in the package, or one written by ``framing train-frames
--out DIR``) holds ``head.npz`` and ``frames.json`` (encoder and its hash, data hashes, settings,
thresholds, dev scores, versions, the SHA-256 of every file, checked on loading). The sentence encoder is
the stance model's (:mod:`framing.stance.transformer`: all-MiniLM-L6-v2 fine-tuned on NewsMTSC, int8),
shared, not copied: the frames head was trained on its vectors, and loading checks that the encoder is
the one it was trained on.

How an article is decided (:meth:`FrameModel.decide`): each sentence is encoded (mean of its word
pieces' states, normalised to length 1: ``e_i``; never dependent on the sentences batched with it). For
each frame ``f`` a learned query scores every sentence (``q_f . e_i + c_f``); a softmax over the
article's sentences turns the scores into the sentences' **support** for the frame (summing to 1); the
frame's logit is a learned weighting, the frame's own, of the support-weighted mean of the sentences
plus a term of the article's mean sentence:

    z_f = w_f . (sum_i support_if e_i) + b_f + m_f . mean_i(e_i)

and ``p_f = sigmoid(z_f)``; the frame is present when ``p_f`` reaches its threshold. The sentences
with the largest support are the frame's evidence: they are what the decision read most.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .._io import checked_metadata
from ..errors import FramingError
from ..stance.encoding import load_encoder, pooled_states, shared_states, token_states

MAX_TOKENS = 128  # word pieces of one sentence (a longer sentence is cut)


def model_folder() -> Path:
    return Path(str(resources.files("framing.frames") / "model"))


@dataclass
class Decision:
    probability: dict[str, float]
    present: dict[str, bool]
    support: dict[str, np.ndarray]  # per frame, one value per sentence (sums to 1)


def query_scores(vectors: np.ndarray, weights: dict[str, np.ndarray]) -> np.ndarray:
    """Each sentence's score under each frame's learned query (sentences x frames): its relevance."""
    return vectors @ weights["Q_W"].T + weights["Q_b"]


def head_numpy(vectors: np.ndarray, weights: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Logits (frames) and support (sentences x frames) of one article's sentence vectors."""
    scores = query_scores(vectors, weights)
    scores = scores - scores.max(axis=0, keepdims=True)
    support = np.exp(scores)
    support /= support.sum(axis=0, keepdims=True)
    pooled = support.T @ vectors  # frames x d
    # one output vector per frame (out_W); a model trained before it had one for all (out_w)
    out = weights["out_W"] if "out_W" in weights else np.broadcast_to(weights["out_w"], pooled.shape)
    mean = vectors.mean(axis=0) @ weights["M_W"].T + weights["M_b"]
    logits = (pooled * out).sum(axis=1) + weights["bias"] + mean
    return logits, support


class FrameModel:
    """The loaded model: :meth:`embed` sentences, :meth:`decide` an article."""

    evidence_sentences = 3  # at most this many evidence sentences per frame present

    def __init__(self, folder: str | os.PathLike | None = None, threads: int | None = None):
        folder = Path(folder) if folder else model_folder()
        self.metadata = checked_metadata(folder, "frames.json", "framing train-frames --out DIR")
        from ..stance.transformer import encoder_sha256
        from ..stance.transformer import model_folder as stance_folder

        encoder = Path(self.metadata["encoder"].get("folder") or stance_folder())
        if encoder_sha256(encoder) != self.metadata["encoder"]["sha256"]:
            raise FramingError(
                f"{folder}: the frames head was trained on the stance encoder with SHA-256 "
                f"{self.metadata['encoder']['sha256']}, but {encoder} holds another; rebuild "
                "the frames model ('framing train-frames') after rebuilding the stance model"
            )
        self.encoder = load_encoder(str(encoder), threads)
        with np.load(folder / "head.npz") as head:
            self.weights = {k: head[k].astype(np.float32) for k in head.files}
        self.frames: list[str] = list(self.metadata["frames"])
        self.thresholds = {f: float(t) for f, t in self.metadata["thresholds"].items()}
        self.max_tokens = int(self.metadata["settings"].get("max_tokens", MAX_TOKENS))

    def embed(self, texts: list[str]) -> np.ndarray:
        """The sentence vectors of ``texts`` (:func:`sentence_vectors`)."""
        return sentence_vectors(self.encoder, texts, self.max_tokens)

    def relevance(self, vectors: np.ndarray) -> np.ndarray:
        """:func:`query_scores` of sentence vectors (the roles model reads them as features)."""
        return query_scores(vectors, self.weights)

    def decide(self, vectors: np.ndarray) -> Decision:
        logits, support = head_numpy(vectors, self.weights)
        probability = 1 / (1 + np.exp(-logits))
        return Decision(
            probability={f: float(probability[j]) for j, f in enumerate(self.frames)},
            present={f: bool(probability[j] >= self.thresholds[f]) for j, f in enumerate(self.frames)},
            support={f: support[:, j] for j, f in enumerate(self.frames)},
        )


@lru_cache(maxsize=2)
def load(folder: str | None = None) -> FrameModel:
    return FrameModel(folder)


def frame_sentences(doc) -> list[tuple[int, int, int]]:
    """``(index, start, end)`` of the sentences of ``doc`` the frames model reads: framing's sentences,
    trimmed, of three words or more (the same at training and at scoring)."""
    from ..evidence import sentence_bounds, sentences, text_of

    text = text_of(doc)
    spans = [(i, *sentence_bounds(s)) for i, s in enumerate(sentences(doc)[0])]
    return [(i, a, b) for i, a, b in spans if len(text[a:b].split()) >= 3]


def vectors_for(doc, context: dict, encoder, indices, max_tokens: int = MAX_TOKENS) -> dict[int, np.ndarray]:
    """The vectors of the sentences ``indices`` of ``doc`` (framing's sentences, trimmed), computed once
    per article: they are kept in ``context["sentence_vectors"]`` for the other extractors (frames and
    roles share them)."""
    from ..evidence import sentence_bounds, sentences, text_of

    cache = context.setdefault("sentence_vectors", {})
    missing = [i for i in indices if i not in cache]
    if missing:
        spans = sentences(doc)[0]
        text = text_of(doc)
        texts = [text[slice(*sentence_bounds(spans[i]))] or " " for i in missing]
        cache.update(zip(missing, sentence_vectors(encoder, texts, max_tokens)))
    return {i: cache[i] for i in indices}


def sentence_pieces(tokenizer, texts: list[str], max_tokens: int = MAX_TOKENS) -> list[list[int]]:
    """The word-piece ids of each text as the vectors read them: at most ``max_tokens``, [SEP] kept."""
    pieces = []
    for text in texts:
        ids = tokenizer.encode(text).ids
        pieces.append([*ids[: max_tokens - 1], ids[-1]] if len(ids) > max_tokens else ids)
    return pieces


PREPARED_PIECES = 48_000  # at most this many word pieces' states (72 MB) are encoded ahead for a window


def prepare_states(docs: list, contexts: list[dict], encoder, max_tokens: int = MAX_TOKENS) -> None:
    """Encode the sentences of a window of articles together before they are extracted (issue 31): the
    sentences :func:`frame_sentences` reads whose vectors are not in a context yet (the vector cache may
    hold them) are encoded in batches pooled over the window
    (:func:`framing.stance.encoding.pooled_states`), and each context gets its article's states
    (``context["states"]``, the memo its extraction scope opens with) and their vectors
    (``context["sentence_vectors"]``), so the stance, frames and roles heads find them encoded. A
    sentence's states are the same as when its article is encoded alone. Articles past
    :data:`PREPARED_PIECES` in the window are left to encode at extraction."""
    from ..evidence import text_of

    session, tokenizer = encoder
    wanted, pieces, total = [], [], 0
    for doc, context in zip(docs, contexts):
        known, text = context.setdefault("sentence_vectors", {}), text_of(doc)
        missing = [(i, text[a:b] or " ") for i, a, b in frame_sentences(doc) if i not in known]
        ids = sentence_pieces(tokenizer, [t for _, t in missing], max_tokens)
        total += sum(map(len, ids))
        if total > PREPARED_PIECES:  # the states kept stay bounded: the rest encode at extraction
            break
        wanted.append([i for i, _ in missing])
        pieces.append(ids)
    for context, memo, indices, ids in zip(contexts, pooled_states(session, pieces), wanted, pieces):
        context["states"] = memo
        with shared_states(memo):  # every sentence is in the memo: the vectors, without tokenising again
            context["sentence_vectors"].update(zip(indices, _unit_means(token_states(session, ids))))


def sentence_vectors(encoder, texts: list[str], max_tokens: int = MAX_TOKENS) -> np.ndarray:
    """Mean of the word pieces' states of each text, normalised to length 1
    (:func:`framing.stance.encoding.token_states`: batched by length, a text's vector never depends on
    the other texts, and a sentence the stance head has encoded with the same pieces is not encoded
    again)."""
    session, tokenizer = encoder
    return _unit_means(token_states(session, sentence_pieces(tokenizer, texts, max_tokens)))


def _unit_means(states: list[np.ndarray]) -> np.ndarray:
    """Each sentence's mean token state, normalised to length 1 (its vector)."""
    out = np.zeros((len(states), 384), dtype=np.float32)
    for i, found in enumerate(states):
        vector = found.mean(axis=0)
        out[i] = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return out
