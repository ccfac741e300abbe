"""``framing train-roles``: train the roles model on the climate case's train articles (``roles.tsv``),
choosing its regularisation and thresholds on dev. Needs only the package (scikit-learn).

Coders wrote entities as strings (``"the Trump administration's"``, ``"Pruitt"``), without offsets. The
**mapping rule** (:func:`map_entity`): an entity string belongs to the codebook actor one of whose
aliases (names, demonyms, descriptions, persons' full names and short forms) it contains as whole
words, case-sensitively or with the alias's first letter capitalised; the longest matching alias wins;
a string whose longest matches belong to two actors, or that matches none, is left out. An (article,
actor) pair has a role when any coder gave it to an entity mapped to the actor.

Examples are the (article, actor) pairs whose actor the article mentions (its counted mentions);
features come from :func:`framing.extract.roles.featurize` over the scorer's own extractors (actors,
attribution, blame and stance with the default stance method, the transformer: recorded in
``roles.json`` as ``stance_method``). The held-out articles are never read.
"""

from __future__ import annotations

import csv
import os
import re
import time
from pathlib import Path

import numpy as np

from .._io import write_model_metadata
from ..codebook import actor_aliases, load_codebook
from ..errors import FramingError
from ..extract.roles import ARTICLE_FEATURES, ROLES, SENTENCE_FEATURES, actor_kinds, featurize
from ..outputs import replacing
from ..stance import DEFAULT_METHOD
from . import RoleModel, design

C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3)
MAPPING_RULE = (
    "an entity string belongs to the codebook actor one of whose aliases (names, demonyms, "
    "descriptions, persons' full names and short forms) it contains as whole words, "
    "case-sensitively or with the alias's first letter capitalised; the longest matching alias "
    "wins; a string whose longest matches belong to two actors, or that matches none, is left out"
)


def map_entity(entity: str, codebook) -> str | None:
    """The codebook actor an annotated entity string stands for (see the module docstring)."""
    entity = entity.replace("\x99", "").strip()
    hits = []
    for actor in codebook.actors.values():
        for _, alias in actor_aliases(actor):
            for variant in {alias, alias[:1].upper() + alias[1:]}:
                if re.search(rf"(?<![\w-]){re.escape(variant)}(?![\w-])", entity):
                    hits.append((len(alias), actor.id))
    if not hits:
        return None
    longest = max(length for length, _ in hits)
    owners = {a for length, a in hits if length == longest}
    return owners.pop() if len(owners) == 1 else None


def gold_roles(corpus: Path, codebook, labels: Path | None = None, key: str = "upstream_id"):
    """``({(article id, actor): {roles}}, {article id: split}, mapping stats)`` for train and dev."""
    labels = labels or corpus / "annotations" / "roles.tsv"
    if not labels.is_file():
        raise FramingError(f"{labels}: no such roles file; give --labels (ID, entity, group, role)")
    meta = corpus / "metadata.csv"
    with open(meta, encoding="utf-8", newline="") as handle:
        articles = {r[key]: r for r in csv.DictReader(handle) if r.get("split") in ("train", "dev")}
    gold: dict[tuple[str, str], set[str]] = {}
    mapped = unmapped = 0
    with open(labels, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            article = articles.get(row["ID"])
            if article is None:
                continue
            actor = map_entity(row["entity"], codebook)
            if actor is None:
                unmapped += 1
                continue
            mapped += 1
            gold.setdefault((article["id"], actor), set()).add(row["role"])
    splits = {a["id"]: a["split"] for a in articles.values()}
    return gold, splits, {"mapped": mapped, "unmapped": unmapped}


def items_for(corpus: Path, codebook, ids: set[str], progress=print) -> dict[str, dict]:
    """``{article id: featurize(...)}`` for the articles ``ids`` of the corpus."""
    from ..codebook import base_section
    from ..corpus import load_corpus
    from ..extract import build_extractors
    from ..frames import load as load_frames
    from ..parse import load_model, parse_cached

    nlp = load_model()
    steps = build_extractors(["actors", "attribution", "blame", "stance"], codebook, nlp,
                             stance_method=DEFAULT_METHOD)
    lists = codebook.sections.get("roles") or base_section("roles")
    frames = load_frames()
    out = {}
    articles = [a for a in load_corpus(corpus) if a.id in ids]
    started = time.time()
    for n, (article, doc) in enumerate(zip(articles, parse_cached((a.text for a in articles), nlp)),
                                       start=1):
        context: dict = {}
        for step in steps:
            context.setdefault("rows", {})[step.name] = step.extract(doc, article, context)
        out[article.id] = featurize(doc, context, lists, frames, actor_kinds(codebook))
        if n % 50 == 0:
            progress(f"featurized {n} of {len(articles)} articles ({time.time() - started:.0f} s)")
    return out


def _matrix(items: list[dict], mu_s, sd_s, mu_a, sd_a) -> np.ndarray:
    rows = []
    for item in items:
        sentence_rows, article = design(item)
        rows.append(np.concatenate([((sentence_rows - mu_s) / sd_s).mean(axis=0), (article - mu_a) / sd_a]))
    return np.stack(rows)


def _prf(gold: set, predicted: set) -> tuple[float, float, float]:
    tp = len(gold & predicted)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def train(
    corpus: str | os.PathLike = "corpus/climate-2019",
    codebook="climate-2019",
    labels=None,
    key: str = "upstream_id",
    limit: int | None = None,
    progress=print,
):
    """Fit one logistic regression per role; return ``(weights, metadata, dev_items)``."""
    from sklearn.linear_model import LogisticRegression

    from ..frames import load as load_frames
    from ..stance.model import trained_on
    from ..stance.transformer import encoder_sha256

    started = time.time()
    corpus = Path(corpus)
    book = load_codebook(codebook)
    gold, splits, stats = gold_roles(corpus, book, Path(labels) if labels else None, key)
    ids = {s: sorted(i for i, sp in splits.items() if sp == s)[:limit] for s in ("train", "dev")}
    features = items_for(corpus, book, set(ids["train"]) | set(ids["dev"]), progress)
    pairs = {s: [(i, a) for i in ids[s] for a in sorted(features.get(i, {}))] for s in ids}
    train_items = [features[i][a] for i, a in pairs["train"]]
    stacked = np.vstack([design(x)[0] for x in train_items])
    mu_s, sd_s = stacked.mean(axis=0), stacked.std(axis=0)
    sd_s[sd_s < 1e-6] = 1.0
    articles = np.stack([design(x)[1] for x in train_items])
    mu_a, sd_a = articles.mean(axis=0), articles.std(axis=0)
    sd_a[sd_a < 1e-6] = 1.0
    x_train = _matrix(train_items, mu_s, sd_s, mu_a, sd_a)
    x_dev = _matrix([features[i][a] for i, a in pairs["dev"]], mu_s, sd_s, mu_a, sd_a)
    d = stacked.shape[1]
    weights = {"mu_s": mu_s, "sd_s": sd_s, "mu_a": mu_a, "sd_a": sd_a}
    chosen, thresholds = {}, {}
    dev_ids = set(ids["dev"])
    for role in ROLES:
        y_train = np.array([role in gold.get(p, ()) for p in pairs["train"]])
        gold_dev = {p for p, roles in gold.items() if role in roles and p[0] in dev_ids}
        best = None
        for c in C_GRID:
            model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x_train, y_train)
            probability = model.predict_proba(x_dev)[:, 1]
            for t in np.round(np.arange(0.2, 0.96, 0.05), 2):
                predicted = {p for p, q in zip(pairs["dev"], probability) if q >= t}
                f1 = _prf(gold_dev, predicted)[2]
                if best is None or f1 > best[0] + 1e-9:
                    best = (f1, c, float(t), model)
        f1, c, t, model = best
        chosen[role], thresholds[role] = c, t
        weights[f"{role}_w_s"] = model.coef_[0][:d]
        weights[f"{role}_w_a"] = model.coef_[0][d:]
        weights[f"{role}_b"] = np.array(model.intercept_[0])
        progress(f"{role}: C {c}, threshold {t}, dev F1 {f1:.3f}")
    labels_path = Path(labels) if labels else corpus / "annotations" / "roles.tsv"
    files = trained_on({"roles": labels_path, "metadata": corpus / "metadata.csv"})
    metadata = {
        "method": "roles",
        "roles": list(ROLES),
        "codebook": {"name": book.name, "version": book.version, "sha256": book.sha256},
        "mapping": {"rule": MAPPING_RULE, **stats},
        "features": {
            "sentence": list(SENTENCE_FEATURES),
            "article": list(ARTICLE_FEATURES),
        },
        "C": chosen,
        "thresholds": thresholds,
        "stance_method": DEFAULT_METHOD,
        "encoder_sha256": encoder_sha256(),
        "frames_head_sha256": load_frames().metadata["files"]["head.npz"],
        "trained_on": {
            "corpus": corpus.name,
            "n_train_pairs": len(pairs["train"]),
            "n_dev_pairs": len(pairs["dev"]),
            "files": files,
            "limit": limit,
        },
        "train_seconds": round(time.time() - started),
    }
    return weights, metadata, {"pairs": pairs["dev"], "features": features, "gold": gold}


def export(weights: dict, metadata: dict, dev: dict, out: str | os.PathLike) -> Path:
    """Write the model folder; the dev scores recorded are the exported model's."""
    with replacing(out, "train-roles", model_files=("roles.json",)) as tmp:
        np.savez(tmp / "roles.npz", **{k: np.asarray(v, dtype=np.float32) for k, v in weights.items()})

        def write_meta(extra: dict) -> None:
            write_model_metadata(tmp, "roles.json", {**metadata, **extra})

        write_meta({})
        model = RoleModel(tmp)
        decisions = {p: model.decide(dev["features"][p[0]][p[1]]) for p in dev["pairs"]}
        articles = {p[0] for p in dev["pairs"]}
        scores = {}
        for role in ROLES:
            predicted = {p for p, d in decisions.items() if d[role][0] >= model.thresholds[role]}
            gold = {p for p, roles in dev["gold"].items() if role in roles and p[0] in articles}
            p, r, f = _prf(gold, predicted)
            scores[role] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
        write_meta({"dev": scores})
    return Path(out)
