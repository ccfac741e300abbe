"""``framing train-frames``: train the frames head on article-level frame labels (needs torch: the
``train`` extra; the encoder is the shipped stance model's, run by onnxruntime, and is not trained).

Training data: a corpus with a ``split`` column (``train``, ``dev``; other splits are never read) and a
labels table (``frames.tsv``: one row per article, a column per frame code, True/False). The bundled
climate case is the default (``corpus/climate-2019``: its ``annotations/frames.tsv`` is keyed by the
upstream id, the metadata's ``upstream_id``). Each article is cut into sentences by the scorer's own
parse (spaCy, framing's sentence rules; sentences of at least three words), and each sentence is
encoded once by the stance encoder, so the head learns from exactly the vectors scoring gives it.

The head (:mod:`framing.frames`) is trained on all train articles at once (Adam, binary cross-entropy
per frame weighted by the frame's rarity on train, L2 penalty ``weight_decay``); the number of epochs is
chosen on dev (mean macro F1 every ``eval_every`` epochs), the thresholds are 0.5 (the loss is
balanced), and the dev scores recorded in ``frames.json`` are the exported model's.
"""

from __future__ import annotations

import csv
import json
import os
import random
import time
from pathlib import Path

import numpy as np

from .._io import write_model_metadata
from ..errors import FramingError
from ..outputs import replacing
from ..stance.encoding import load_encoder
from . import MAX_TOKENS, FrameModel, frame_sentences, sentence_vectors

CODES = {"RE": "resolution", "CO": "conflict", "HI": "human_interest", "MO": "moral", "EC": "economic"}
DEFAULTS = {
    "epochs": 300,
    "eval_every": 25,
    "lr": 0.01,
    "weight_decay": 1e-4,
    "seed": 0,
    "max_tokens": MAX_TOKENS,
}


def read_examples(
    corpus: str | os.PathLike,
    labels: str | os.PathLike | None = None,
    key: str = "upstream_id",
    limit: int | None = None,
) -> dict[str, list[dict]]:
    """``{split: [{id, sentences, y}]}`` for the train and dev articles that have labels."""
    from ..corpus import load_corpus
    from ..parse import parse_cached

    corpus = Path(corpus)
    labels = Path(labels) if labels else corpus / "annotations" / "frames.tsv"
    if not labels.is_file():
        raise FramingError(
            f"{labels}: no such labels file; give --labels (a TSV with an ID column and "
            f"the frame columns {list(CODES)})"
        )
    with open(labels, encoding="utf-8", newline="") as handle:
        table = {row["ID"]: row for row in csv.DictReader(handle, delimiter="\t")}
    out: dict[str, list[dict]] = {"train": [], "dev": []}
    picked, taken = [], {"train": 0, "dev": 0}
    for article in load_corpus(corpus):
        split = article.meta.get("split")
        row = table.get(str(article.meta.get(key, article.id)))
        if split not in out or row is None:
            continue  # held-out articles and unlabelled ones are never read
        if limit and taken[split] >= limit:
            continue
        taken[split] += 1
        picked.append((article, split, row))
    for (article, split, row), doc in zip(picked, parse_cached(a.text for a, _, _ in picked)):
        texts = [article.text[a:b] for _, a, b in frame_sentences(doc)]
        y = [row[code] == "True" for code in CODES]
        out[split].append({"id": article.id, "sentences": texts, "y": np.array(y, dtype=np.float32)})
    if not out["train"] or not out["dev"]:
        raise FramingError(
            f"{corpus}: needs labelled articles of split train and dev (found "
            f"{len(out['train'])} and {len(out['dev'])})"
        )
    return out


def _macro_f1(y: np.ndarray, p: np.ndarray) -> list[float]:
    from sklearn.metrics import f1_score

    return [
        round(100 * f1_score(y[:, j], p[:, j], average="macro", zero_division=0), 2)
        for j in range(y.shape[1])
    ]


def _head(torch, d: int, k: int):
    class FramesHead(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.Q = torch.nn.Linear(d, k)
            self.out = torch.nn.Parameter(torch.zeros(k, d))  # one output vector per frame
            self.bias = torch.nn.Parameter(torch.zeros(k))
            self.M = torch.nn.Linear(d, k)

        def forward(self, e):
            support = torch.softmax(self.Q(e), dim=0)
            return ((support.T @ e) * self.out).sum(1) + self.bias + self.M(e.mean(0))

    return FramesHead()


def train(
    corpus: str | os.PathLike,
    labels=None,
    key: str = "upstream_id",
    limit: int | None = None,
    progress=print,
    encoder: str | os.PathLike | None = None,
    **settings,
):
    """Encode the articles, train the head; return ``(weights, metadata, data)``."""
    from ..stance.model import trained_on
    from ..stance.transformer import encoder_sha256
    from ..stance.transformer import model_folder as stance_folder
    from ..stance.transformer_train import _torch

    torch = _torch()
    config = {**DEFAULTS, **settings}
    random.seed(config["seed"])
    np.random.seed(config["seed"])
    torch.manual_seed(config["seed"])
    started = time.time()
    data = read_examples(corpus, labels, key, limit)
    encoder = Path(encoder) if encoder else stance_folder()
    session = load_encoder(str(encoder))
    for split in data:
        for ex in data[split]:
            ex["vectors"] = sentence_vectors(session, ex["sentences"] or [""], config["max_tokens"])
    progress(
        f"encoded {sum(len(ex['sentences']) for s in data.values() for ex in s)} sentences "
        f"in {time.time() - started:.0f} s"
    )
    k = len(CODES)
    head = _head(torch, 384, k)
    x_train = [torch.from_numpy(ex["vectors"]) for ex in data["train"]]
    y_train = torch.from_numpy(np.stack([ex["y"] for ex in data["train"]]))
    positive = y_train.mean(0).clamp(1e-3, 1 - 1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=(1 - positive) / positive)
    optimizer = torch.optim.Adam(head.parameters(), lr=config["lr"])
    y_dev = np.stack([ex["y"] for ex in data["dev"]])
    history, best, state = [], -1.0, None
    for epoch in range(1, config["epochs"] + 1):
        optimizer.zero_grad()
        logits = torch.stack([head(x) for x in x_train])
        penalty = sum(p.pow(2).sum() for n, p in head.named_parameters() if "bias" not in n)
        loss = loss_fn(logits, y_train) + config["weight_decay"] * penalty
        loss.backward()
        optimizer.step()
        if epoch % config["eval_every"] == 0:
            with torch.no_grad():
                dev = np.stack([head(torch.from_numpy(ex["vectors"])).numpy() for ex in data["dev"]])
            scores = _macro_f1(y_dev, (dev > 0).astype(int))
            mean = round(float(np.mean(scores)), 2)
            history.append(
                {"epoch": epoch, "dev_macro_f1": dict(zip(CODES.values(), scores)), "dev_mean": mean}
            )
            progress(f"epoch {epoch}: loss {loss.item():.3f}, dev macro F1 mean {mean}")
            if mean > best:
                best, state = mean, {n: p.detach().numpy().copy() for n, p in head.state_dict().items()}
    weights = {
        "Q_W": state["Q.weight"],
        "Q_b": state["Q.bias"],
        "out_W": state["out"],
        "bias": state["bias"],
        "M_W": state["M.weight"],
        "M_b": state["M.bias"],
    }
    labels_path = Path(labels) if labels else Path(corpus) / "annotations" / "frames.tsv"
    files = trained_on({"labels": labels_path, "metadata": Path(corpus) / "metadata.csv"})
    metadata = {
        "method": "frames",
        "frames": list(CODES.values()),
        "codes": CODES,
        "encoder": {
            "model": "the stance model's encoder (all-MiniLM-L6-v2 fine-tuned on NewsMTSC, int8)",
            "sha256": encoder_sha256(encoder),
            "base": json.loads((encoder / "transformer.json").read_text(encoding="utf-8"))["base"],
        },
        "settings": config,
        "epochs": history,
        "chosen_epoch": max(history, key=lambda h: (h["dev_mean"], -h["epoch"]))["epoch"],
        "trained_on": {
            "corpus": Path(corpus).name,
            "key": key,
            "n_train": len(data["train"]),
            "n_dev": len(data["dev"]),
            "files": files,
        },
        "train_seconds": round(time.time() - started),
        "limit": limit,
        "thresholds": {f: 0.5 for f in CODES.values()},
    }
    if encoder != stance_folder():
        metadata["encoder"]["folder"] = str(encoder)
    return weights, metadata, data


def export(weights: dict, metadata: dict, data: dict, out: str | os.PathLike) -> Path:
    """Write the model folder for :class:`framing.frames.FrameModel`; the dev scores recorded are the
    exported model's (the same numbers the head gave in training, up to float rounding)."""
    from ..versions import package_versions

    with replacing(out, "train-frames", model_files=("frames.json",)) as tmp:
        np.savez(tmp / "head.npz", **{k: np.asarray(v, dtype=np.float32) for k, v in weights.items()})

        def write_meta(extra: dict) -> None:
            versions = package_versions(("torch", "onnxruntime", "tokenizers", "numpy"))
            write_model_metadata(tmp, "frames.json", {**metadata, **extra, "versions": versions})

        write_meta({})
        model = FrameModel(tmp)  # the exported model, as scoring runs it (on the vectors training encoded)
        decisions = [model.decide(ex["vectors"]) for ex in data["dev"]]
        present = np.array([[d.present[f] for f in model.frames] for d in decisions], dtype=int)
        scores = _macro_f1(np.stack([ex["y"] for ex in data["dev"]]), present)
        write_meta({"dev": {**dict(zip(model.frames, scores)), "mean": round(float(np.mean(scores)), 2)}})
    return Path(out)


__all__ = ["CODES", "export", "read_examples", "train"]
