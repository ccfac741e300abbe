"""Article-level stance toward an actor: from the article's stance sentences to one value in [-1, 1]
and a label, as coders of an article's (author's) stance judge it (issue 29).

The value is a weighted mean of the actor's sentence values: a sentence in the author's voice weighs 1,
one in a source's voice (inside the content of an attribution: "The senator said *the president was
reckless*") weighs the model's ``source_weight`` (0 in the shipped model: the sources' words count only
when the author never writes about the actor, and then all of them equally). From the mean the model
subtracts its ``offset``, the median mean of the articles coders call neutral, so a neutral article
reads near 0 whatever the sentence model's lean, and clips to [-1, 1]. The label is the value cut at
the model's two cut points: negative below the first, positive above the second.

Every parameter is fitted by ``framing train-article-stance`` (:func:`fit`) on PerSenT's dev articles
(Bastan et al., COLING 2020; read from a path, never copied; only the parameters are shipped, with the
citation), once per stance method, on that method's sentence values: the source weight by repeated
five-fold cross-validation (macro F1 of the labels, the cut points of each fold chosen on the other
four), the offset and the cut points on all articles. The label is the package's: it is never fitted on
the data being evaluated (``framing evaluate persent`` reports the cross-validated estimate beside the
in-file score, labelled optimistic).

Tried on the same articles and dropped (benchmarks/README.md, "Article stance"): a multinomial model
over 13 features of the rows (voice means, headline and lead, label shares, extremes, coverage), the
same with the sentence vectors of the actor's sentences, a paragraph-level model trained on PerSenT's
paragraph labels, and weighting the headline and lead: none beat the author's voice in repeated
cross-validation, and each has more to go wrong on a case nobody tuned it for.

Evidence: :meth:`ArticleModel.weights` gives each row's share of the mean (its weight over the sum of
weights: 0 for a source's row the model leaves out); :func:`contributions` each row's term in it (share
times value), so the sentences that drove an article's value are named with their voice and weight.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

CLASSES = ("negative", "neutral", "positive")
METHOD = "voice-weighted mean"  # what the model file describes; another file is refused
MODEL_FILE = Path(__file__).with_name("article-stance.json")


@dataclass(frozen=True)
class Row:
    """What the article method reads of one stance row of an (article, actor): its value and voice."""

    value: float
    voice: str = "author"


@dataclass(frozen=True)
class ArticleModel:
    """The article method's parameters for one stance method."""

    source_weight: float  # a source-voice row's weight (an author-voice row weighs 1)
    offset: float  # subtracted from the weighted mean: the median of the articles coded neutral
    cuts: tuple[float, float]  # negative below the first, positive above the second
    meta: dict = field(default_factory=dict)

    def weights(self, rows: list[Row]) -> np.ndarray:
        """Each row's share of the weighted mean (summing to 1): author rows 1, source rows
        ``source_weight``; all rows alike when no row has weight (the author never writes about the
        actor)."""
        w = np.array([self.source_weight if r.voice == "source" else 1.0 for r in rows], dtype=float)
        if not w.sum():
            w = np.ones(len(rows))
        return w / w.sum()

    def value(self, rows: list[Row]) -> float:
        """The article value of one (article, actor) from its stance rows (at least one)."""
        return self.shifted(float(self.weights(rows) @ np.array([r.value for r in rows], dtype=float)))

    def shifted(self, mean: float) -> float:
        """The article value of a weighted mean of the rows: less the offset, clipped to [-1, 1]."""
        return float(np.clip(mean - self.offset, -1.0, 1.0))

    def label(self, value: float) -> str:
        low, high = self.cuts
        return "negative" if value < low else "positive" if value > high else "neutral"

    def score(self, rows: list[Row]) -> tuple[float, str]:
        """The article value and label of one (article, actor)."""
        value = self.value(rows)
        return value, self.label(value)

    def to_json(self) -> dict:
        return {"source_weight": self.source_weight, "offset": self.offset, "cuts": list(self.cuts),
                **self.meta}


def contributions(model: ArticleModel, rows: list[Row]) -> list[float]:
    """Each row's term in the article's weighted mean (its share times its value): the terms sum to
    the value before the offset and the clip."""
    return [float(w * r.value) for w, r in zip(model.weights(rows), rows)]


def from_json(data: dict, method: str = "transformer", where: str = "the article model") -> ArticleModel:
    """The parameters for the stance ``method`` in a model file's JSON; ``where`` names it in errors."""
    if data.get("method") != METHOD or not isinstance(data.get("stance_methods"), dict):
        raise ValueError(f"{where}: not a model of this framing's article method ({METHOD!r}); fit it "
                         "again with framing train-article-stance")
    if method not in data["stance_methods"]:
        raise ValueError(f"{where}: no parameters for the stance method {method!r} (it has "
                         f"{sorted(data['stance_methods'])}); fit them with framing train-article-stance "
                         f"--method {method}")
    p = data["stance_methods"][method]
    meta = {k: v for k, v in data.items() if k != "stance_methods"}
    meta.update({k: v for k, v in p.items() if k not in ("source_weight", "offset", "cuts")})
    return ArticleModel(float(p["source_weight"]), float(p["offset"]), tuple(float(c) for c in p["cuts"]),
                        {**meta, "stance_method": method})


@lru_cache(maxsize=8)
def load(method: str = "transformer", path: str | None = None) -> ArticleModel:
    """The shipped article parameters for a stance method (or those in the file at ``path``)."""
    path = Path(path or MODEL_FILE)
    return from_json(json.loads(path.read_text(encoding="utf-8")), method, str(path))


# -- fitting ---------------------------------------------------------------------------------------

SOURCE_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
CUT_GRID = [(round(lo, 2), round(hi, 2)) for lo in np.arange(-0.8, 0.01, 0.05)
            for hi in np.arange(-0.2, 0.81, 0.05) if hi >= lo - 1e-9]
REPEATS = 5  # seeds of the five-fold cross-validation


def _macro_f1(gold, predicted) -> float:
    """Macro F1 over :data:`CLASSES` (a class never predicted nor present scores 0, as scikit-learn's)."""
    gold, predicted = _codes(gold), _codes(predicted)
    scores = []
    for k in range(len(CLASSES)):
        tp = int(((gold == k) & (predicted == k)).sum())
        wrong = int(((gold == k) != (predicted == k)).sum())
        scores.append(2 * tp / (2 * tp + wrong) if tp + wrong else 0.0)
    return float(np.mean(scores))


def _codes(labels) -> np.ndarray:
    index = {k: i for i, k in enumerate(CLASSES)}
    return np.array([index[label] for label in labels])


def _cut(values, low, high):
    return ["negative" if v < low else "positive" if v > high else "neutral" for v in values]


def best_cuts(values, gold) -> tuple[float, float]:
    """The cut points of :data:`CUT_GRID` with the best macro F1 on ``values`` (the first on ties),
    every candidate scored at once."""
    values, gold = np.asarray(values), _codes(gold)
    low = np.array([c[0] for c in CUT_GRID])[:, None]
    high = np.array([c[1] for c in CUT_GRID])[:, None]
    predicted = np.where(values[None, :] < low, 0, np.where(values[None, :] > high, 2, 1))
    scores = np.zeros(len(CUT_GRID))
    for k in range(len(CLASSES)):
        truth = gold[None, :] == k
        tp = ((predicted == k) & truth).sum(axis=1)
        wrong = ((predicted == k) != truth).sum(axis=1)
        denominator = 2 * tp + wrong
        scores += np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)
    return CUT_GRID[int(np.argmax(scores))]  # argmax: the first of the best


def _offset(values, gold) -> float:
    neutral = [v for v, g in zip(values, gold) if g == "neutral"]
    return round(float(np.median(neutral)), 4) if neutral else 0.0


def cross_validated(articles: list[list[Row]], gold, source_weight: float = 0.0, folds: int = 5,
                    repeats: int = REPEATS) -> float:
    """Macro F1 of the article method with ``source_weight`` on articles it was not fitted on: offset
    and cut points fitted on four folds and applied to the fifth, the mean over ``repeats`` stratified
    splits (seeds 0, 1, ...). NaN when a label has fewer articles than folds."""
    from sklearn.model_selection import StratifiedKFold

    gold = np.asarray(gold)
    labels, counts = np.unique(gold, return_counts=True)
    if len(labels) < len(CLASSES) or counts.min() < folds:
        return float("nan")
    raw = np.array([ArticleModel(source_weight, 0.0, (0.0, 0.0)).value(rows) for rows in articles])
    scores = []
    for seed in range(repeats):
        predicted = np.empty(len(gold), dtype=object)
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(raw, gold):
            offset = _offset(raw[train], gold[train])
            shifted = np.clip(raw - offset, -1, 1)
            predicted[test] = _cut(shifted[test], *best_cuts(shifted[train], gold[train]))
        scores.append(_macro_f1(gold, predicted))
    return float(np.mean(scores))


def fit(articles: list[list[Row]], gold) -> tuple[ArticleModel, dict]:
    """Fit the article method on ``articles`` (each a list of its stance rows, at least one) and their
    gold labels: the source weight of :data:`SOURCE_WEIGHTS` with the best cross-validated macro F1
    (:func:`cross_validated`; the smaller weight on ties), then the offset and the cut points on all
    articles. Returns the model and the report (the cross-validated macro F1 per source weight)."""
    gold = np.asarray(gold)
    scores = {w: cross_validated(articles, gold, w) for w in SOURCE_WEIGHTS}
    best = max(SOURCE_WEIGHTS, key=lambda w: (np.nan_to_num(scores[w], nan=-1.0), -w))
    raw = [ArticleModel(best, 0.0, (0.0, 0.0)).value(rows) for rows in articles]
    offset = _offset(raw, gold)
    cuts = tuple(float(c) for c in best_cuts(np.clip(np.asarray(raw) - offset, -1, 1), gold))
    report = {"cv_macro_f1": round(scores[best], 4),
              "cv_macro_f1_by_source_weight": {str(w): round(s, 4) for w, s in scores.items()},
              "cv": f"{REPEATS} x stratified 5-fold (seeds 0-{REPEATS - 1}); offset and cut points "
                    "fitted on four folds, scored on the fifth",
              "n_articles": int(len(gold)), "labels": {k: int((gold == k).sum()) for k in CLASSES}}
    return ArticleModel(best, offset, cuts, report), report


__all__ = ["CLASSES", "METHOD", "ArticleModel", "Row", "best_cuts", "contributions", "cross_validated", "fit",
           "load"]
