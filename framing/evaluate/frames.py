"""Benchmark of the generic news frames on the climate case's dev articles (human frame labels).

For each frame: precision, recall and F1 of "present", and the macro F1 over present/absent (the
measure of the Narrative Frames Corpus paper); the mean macro F1 over the five frames. Peers measured
in the same run on the same articles, trained on the train articles:

- "always present";
- TF-IDF (words and word pairs, sublinear) + logistic regression (balanced), per frame;
- logistic regression over frozen all-MiniLM-L6-v2 article embeddings (the mean of the article's
  normalised sentence embeddings), per frame; it needs the ``train`` extra (the base weights), and is
  left out, saying so, without it.

The held-out articles carry no labels and are never read.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, precision_recall_fscore_support

from ..errors import FramingError
from ..frames.train import CODES, read_examples


def _rows(method: str, y: np.ndarray, predicted: np.ndarray) -> list[dict]:
    out = []
    for j, frame in enumerate(CODES.values()):
        p, r, f, _ = precision_recall_fscore_support(
            y[:, j], predicted[:, j], average="binary", zero_division=0
        )
        out.append(
            {
                "method": method,
                "frame": frame,
                "n_present": int(y[:, j].sum()),
                "precision": round(100 * p, 1),
                "recall": round(100 * r, 1),
                "f1": round(100 * f, 1),
                "macro_f1": round(
                    100 * f1_score(y[:, j], predicted[:, j], average="macro", zero_division=0), 1
                ),
            }
        )
    return out


def _per_frame(x_train, y_train: np.ndarray, x_dev, C: float) -> np.ndarray:
    """A balanced logistic regression per frame (column of ``y_train``): dev predictions, articles x
    frames."""
    from sklearn.linear_model import LogisticRegression

    def fit(j: int):
        return LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(x_train, y_train[:, j])

    return np.stack([fit(j).predict(x_dev) for j in range(y_train.shape[1])], axis=1)


def _frozen_embeddings(texts: list[list[str]]) -> np.ndarray | None:
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from ..stance.transformer_train import base_dir

        folder = base_dir()
    except (ImportError, FramingError) as err:  # the peer needs the train extra: said, not hidden
        print(f"peer 'frozen MiniLM embeddings + logistic regression' left out: {err}")
        return None
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModel.from_pretrained(str(folder)).eval()
    out = []
    with torch.no_grad():
        for sentences in texts:
            batch = tokenizer(
                sentences or [""], truncation=True, max_length=128, padding=True, return_tensors="pt"
            )
            states = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            e = torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1).mean(0)
            out.append((e / e.norm()).numpy())
    return np.stack(out)


def evaluate(
    corpus: str | os.PathLike, labels=None, model: str | None = None, peers: bool = True
) -> pd.DataFrame:
    """One row per (method, frame), then one ``mean`` row per method."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ..frames import FrameModel

    data = read_examples(corpus, labels)
    train, dev = data["train"], data["dev"]
    y_train = np.stack([ex["y"] for ex in train]).astype(int)
    y_dev = np.stack([ex["y"] for ex in dev]).astype(int)
    frames = FrameModel(model)
    predicted = np.stack(
        [
            [frames.decide(frames.embed(ex["sentences"] or [""])).present[f] for f in frames.frames]
            for ex in dev
        ]
    ).astype(int)
    rows = _rows("framing frames model", y_dev, predicted)
    if peers:
        rows += _rows("peer: always present", y_dev, np.ones_like(y_dev))
        texts_train = [" ".join(ex["sentences"]) for ex in train]
        texts_dev = [" ".join(ex["sentences"]) for ex in dev]
        tfidf = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2)).fit(texts_train)
        x_train, x_dev = tfidf.transform(texts_train), tfidf.transform(texts_dev)
        rows += _rows("peer: TF-IDF + logistic regression", y_dev, _per_frame(x_train, y_train, x_dev, C=10))
        e_train = _frozen_embeddings([ex["sentences"] for ex in train])
        if e_train is not None:
            e_dev = _frozen_embeddings([ex["sentences"] for ex in dev])
            rows += _rows("peer: frozen MiniLM embeddings + logistic regression", y_dev,
                          _per_frame(e_train, y_train, e_dev, C=1))
    table = pd.DataFrame(rows)
    means = table.groupby("method", sort=False)["macro_f1"].mean().round(1)
    table = pd.concat(
        [table, pd.DataFrame({"method": means.index, "frame": "mean", "macro_f1": means.values})],
        ignore_index=True,
    )
    return table
