"""Benchmark of the narrative roles on the climate case's dev articles (``roles.tsv``).

Units are (article, actor) pairs of the dev articles; the gold pairs of a role are those with an
annotated entity mapped to the actor (:func:`framing.roles.train.map_entity`), including actors the
package does not find mentioned (they count as misses for every method). Per role: precision, recall
and F1 of the package's ``role_<role>_present__<actor>``; peers in the same run on the same articles:
"the most-mentioned actor is the villain" (for every role: the one most-mentioned actor of each article
has the role), "every mentioned actor has the role", and "the kind's usual role": every mentioned actor
has the role its codebook kind was given most often in the train split's coding (so emissions, of kind
cause, are villains; the public victims), which shows what the model adds to the kind alone. Each F1
comes with a 95% percentile bootstrap interval over the dev articles (:func:`f1_interval`: ``f1_low``,
``f1_high``; 1,999 resamples, seed 0), for the sampling of articles only (the thresholds were chosen on
the same articles).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..codebook import load_codebook
from ..extract.roles import ARTICLE_FEATURES, ROLES
from ..roles import RoleModel
from ..roles.train import _prf, gold_roles, items_for


def evaluate(
    corpus: str | os.PathLike = "corpus/climate-2019",
    codebook="climate-2019",
    labels=None,
    model: str | None = None,
    split: str = "dev",
    peers: bool = True,
) -> pd.DataFrame:
    corpus = Path(corpus)
    book = load_codebook(codebook)
    gold, splits, _ = gold_roles(corpus, book, Path(labels) if labels else None)
    ids = sorted(i for i, s in splits.items() if s == split)
    features = items_for(corpus, book, set(ids), progress=lambda *_: None)
    roles = RoleModel(model)
    mentioned = [(i, a) for i in ids for a in book.actor_ids if a in features.get(i, {})]
    count = ARTICLE_FEATURES.index("log_mentions")
    most = set()
    for i in ids:
        present = [a for a in book.actor_ids if a in features.get(i, {})]
        if present:
            most.add(
                (i, max(present, key=lambda a: (features[i][a]["article"][count], -book.actor_ids.index(a))))
            )
    kinds = {a.id: a.kind for a in book.actors.values()}
    usual: dict[str, dict[str, int]] = {}  # kind -> role -> train pairs
    for (article, actor), roles_ in gold.items():
        if splits.get(article) == "train" and kinds.get(actor):
            for r in roles_:
                usual.setdefault(kinds[actor], dict.fromkeys(ROLES, 0))[r] += 1
    usual_role = {k: max(ROLES, key=lambda r: (n[r], -ROLES.index(r))) for k, n in usual.items()}
    rows = []
    for role in ROLES:
        gold_pairs = {p for p, r in gold.items() if role in r and p[0] in set(ids)}
        predicted = {
            p for p in mentioned if roles.decide(features[p[0]][p[1]])[role][0] >= roles.thresholds[role]
        }
        methods = {"framing roles model": predicted}
        if peers:
            methods["peer: most-mentioned actor"] = most
            methods["peer: every mentioned actor"] = set(mentioned)
            methods["peer: the kind's usual role"] = {
                p for p in mentioned if usual_role.get(kinds[p[1]]) == role
            }
        for name, pairs in methods.items():
            p, r, f = _prf(gold_pairs, pairs)
            low, high = f1_interval(ids, gold_pairs, pairs)
            rows.append(
                {
                    "role": role,
                    "method": name,
                    "n_gold": len(gold_pairs),
                    "n_predicted": len(pairs),
                    "precision": round(p, 3),
                    "recall": round(r, 3),
                    "f1": round(f, 3),
                    "f1_low": low,
                    "f1_high": high,
                }
            )
    return pd.DataFrame(rows)


def f1_interval(ids: list[str], gold: set, predicted: set, resamples: int = 1999, seed: int = 0,
                ) -> tuple[float, float]:
    """95% percentile bootstrap interval of F1, resampling the articles (with their pairs)."""
    position = {a: k for k, a in enumerate(ids)}
    counts = np.zeros((3, len(ids)))  # true positives, predicted, gold per article
    for pairs, row in ((gold & predicted, 0), (predicted, 1), (gold, 2)):
        for article, _ in pairs:
            counts[row, position[article]] += 1
    draws = np.random.default_rng(seed).integers(0, len(ids), size=(resamples, len(ids)))
    tp, n_predicted, n_gold = (counts[row][draws].sum(axis=1) for row in range(3))
    f1 = np.divide(2 * tp, n_predicted + n_gold, out=np.zeros(resamples), where=n_predicted + n_gold > 0)
    return round(float(np.percentile(f1, 2.5)), 3), round(float(np.percentile(f1, 97.5)), 3)


__all__ = ["evaluate"]
