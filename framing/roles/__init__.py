"""The learned narrative-roles model: one logistic regression per role over an (article, actor) pair's
features (:mod:`framing.extract.roles`), NumPy only at scoring time.

The model folder (``framing/roles/model/`` in the package, or one written by ``framing train-roles
--out DIR``) holds ``roles.npz`` (per role: the weights of the sentence features and of the article
features, the bias; the standardisation means and scales) and ``roles.json`` (the entity-to-actor
mapping rule, data hashes, settings, thresholds chosen on dev, dev scores, the SHA-256 of every file,
checked on loading). The five frame-relevance features come from the frames model's queries over the
stance encoder's sentence vectors (shared with the frames extractor; loading checks that the frames
model is the one the roles model was trained with); every feature is named, so a cue lists the
features that weighed most.

The logit of a role is ``w . x + b`` with ``x`` the standardised mean of the actor's sentence rows and
its article features, so a sentence's share of the logit is exact: ``w_s . (phi_s - mu) / sigma / n``
(the article features' share, the actor's salience and kind, is not a sentence's and is left out of
the shares; a cue names its largest positive parts after ``| actor:``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path

import numpy as np

from .._io import checked_metadata
from ..errors import FramingError
from ..extract.roles import ARTICLE_FEATURES, ROLES, SENTENCE_FEATURES


def model_folder() -> Path:
    return Path(str(resources.files("framing.roles") / "model"))


def design(item: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per-sentence rows (n x len(SENTENCE_FEATURES)) and the article features of one actor's item."""
    return item["phi"].astype(np.float32), item["article"].astype(np.float32)


_BINARY = {j for j, name in enumerate(ARTICLE_FEATURES) if name.startswith("kind_")} | {
    ARTICLE_FEATURES.index("most_mentioned"), ARTICLE_FEATURES.index("in_first_sentence")}


def _article_name(j: int, article: np.ndarray) -> str:
    """An article feature's name in a cue; a 0/1 feature that is 0 (another kind) reads ``not ...``."""
    return f"not {ARTICLE_FEATURES[j]}" if j in _BINARY and article[j] == 0 else ARTICLE_FEATURES[j]


def _sentence_cue(parts: np.ndarray, actor_cue: str, k: int) -> str:
    """The features of sentence ``k`` that raised the logit most (``parts``: sentences x features),
    then the actor's own."""
    named = parts[k]
    top = [j for j in np.argsort(-named)[:3] if named[j] > 0]
    cue = "; ".join(f"{SENTENCE_FEATURES[j]} {named[j]:+.2f}" for j in top) or "none positive"
    return f"{cue} | actor: {actor_cue}" if actor_cue else cue


class RoleModel:
    def __init__(self, folder: str | os.PathLike | None = None):
        folder = Path(folder) if folder else model_folder()
        self.metadata = checked_metadata(folder, "roles.json", "framing train-roles --out DIR")
        with np.load(folder / "roles.npz") as data:
            self.weights = {k: data[k].astype(np.float32) for k in data.files}
        self.thresholds = {r: float(t) for r, t in self.metadata["thresholds"].items()}
        named = self.metadata.get("features", {})
        if named.get("sentence") != list(SENTENCE_FEATURES) or named.get("article") != list(ARTICLE_FEATURES):
            raise FramingError(
                f"{folder}: the roles model was trained on other features than this version computes; "
                "rebuild it with 'framing train-roles --out DIR'"
            )
        from ..frames import load as load_frames

        self.frames = load_frames()  # its query scores are the relevance features
        trained_with = self.metadata.get("frames_head_sha256")
        if trained_with != self.frames.metadata["files"]["head.npz"]:
            raise FramingError(
                f"{folder}: the roles model was trained on the frame relevances of another frames model "
                f"(head.npz SHA-256 {trained_with}); rebuild it with 'framing train-roles --out DIR'"
            )

    def decide(self, item: dict) -> dict[str, tuple[float, np.ndarray, Callable[[int], str]]]:
        """Per role: probability, each sentence's share of the logit, and a function giving the cue of
        the sentence ``k`` (built only for the sentences shown as evidence)."""
        rows, article = design(item)
        n = len(rows)
        z_rows = (rows - self.weights["mu_s"]) / self.weights["sd_s"]
        z_article = (article - self.weights["mu_a"]) / self.weights["sd_a"]
        out = {}
        for role in ROLES:
            w_s, w_a, b = (
                self.weights[f"{role}_w_s"],
                self.weights[f"{role}_w_a"],
                float(self.weights[f"{role}_b"]),
            )
            parts = z_rows * w_s / n  # sentences x features: each one's share of the logit
            logit = float(parts.sum() + z_article @ w_a + b)
            probability = 1 / (1 + np.exp(-logit))
            shares = parts.sum(axis=1)
            actor_parts = z_article * w_a  # the actor's own features (salience, kind): not a sentence's
            actor_cue = ", ".join(
                f"{_article_name(j, article)} {actor_parts[j]:+.2f}" for j in np.argsort(-actor_parts)[:2]
                if actor_parts[j] > 0
            )
            out[role] = (probability, shares, partial(_sentence_cue, parts, actor_cue))
        return out


@lru_cache(maxsize=2)
def load(folder: str | None = None) -> RoleModel:
    return RoleModel(folder)


__all__ = ["ARTICLE_FEATURES", "ROLES", "RoleModel", "design", "load", "model_folder"]
