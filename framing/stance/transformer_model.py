"""The transformer stance model's head and its numbers, shared by training (torch) and scoring (NumPy).

The sentence is encoded once (all-MiniLM-L6-v2, fine-tuned); each target then reads the token states:

- ``t``: the mean of the target's own token states;
- ``s``: attention pooling over the sentence, ``a_i = softmax_i(h_i . (A t) / sqrt(d))``, ``s = sum a_i h_i``;
- ``logits = W_t t + W_s s + b`` for negative, neutral, positive.

Because the head is linear in the token states, each token's share of a class's logit is exact:
``a_i (W_s[c] . h_i)`` for every token, plus ``W_t[c] . h_j / |T|`` for the target's tokens. The cue
of a stance row is the words with the largest shares toward its label (against the other labels).
"""

from __future__ import annotations

import numpy as np

CLASSES = ("negative", "neutral", "positive")
MAX_TOKENS = 160  # a sentence is cut to this many word pieces around its target(s)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def head_numpy(states: np.ndarray, mask: np.ndarray, target: np.ndarray, weights: dict[str, np.ndarray],
               ) -> tuple[np.ndarray, np.ndarray]:
    """Logits (3,) and per-token contributions (tokens x 3) of one target.

    ``states``: tokens x d token states of the sentence; ``mask``: 1 for real tokens; ``target``: 1 for
    the target's tokens; ``weights``: ``A`` (d x d), ``W_t`` and ``W_s`` (3 x d), ``b`` (3,)."""
    d = states.shape[1]
    t = states[target.astype(bool)].mean(axis=0)
    scores = states @ (weights["A"] @ t) / np.sqrt(d)
    scores = np.where(mask.astype(bool), scores, -1e9)
    a = softmax(scores)
    per_token = a[:, None] * (states @ weights["W_s"].T)  # tokens x 3
    n_target = max(int(target.sum()), 1)
    per_token += target[:, None] * (states @ weights["W_t"].T) / n_target
    logits = per_token.sum(axis=0) + weights["b"]
    return logits, per_token
