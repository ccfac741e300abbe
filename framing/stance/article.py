"""Article-level stance toward an actor: from the article's stance sentences to one value in [-1, 1]
and a label, as coders of an article's (author's) stance judge it (issue 29).

The mean of the sentence values weighs a quoted critic's words like the author's own, a passing
mention like the headline, and leans where the sentence model leans. The article model reads, for one
(article, actor), features each computed from the sentence rows (:data:`FEATURES`): the mean in the
author's voice and in sources' voices (with whether there are any), the mean of the headline and lead
(the first :data:`LEAD` sentences), the shares of negative and positive rows, the extremes, how many
rows and what share of the article's sentences are about the actor. A multinomial logistic regression
(standardised features, balanced classes) gives P(negative), P(neutral), P(positive); the value is
P(positive) - P(negative) minus the same for a reference article (:data:`REFERENCE`: one neutral
sentence of value 0 in the body of a 20-sentence article), clipped to [-1, 1], so that a plainly
neutral mention reads 0 whatever the training data's balance of labels; the label is the value cut at
the two points shipped with the model (chosen by cross-validation on the training articles, on the
same shifted values, never on the data being evaluated).

Evidence: :func:`contributions` gives each row's weight, the change in the value when the row is
left out, so the sentences that drove an article's value are named with their voice and weight.

The shipped model (``article-stance.json``, :func:`load`) is fitted by ``framing train-article-stance``
on PerSenT's dev articles (Bastan et al., COLING 2020; read from a path, never copied; only the fitted
weights are shipped, with the citation), from the sentence values of the stance method it names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

LEAD = 3  # sentences of headline and lead
FEATURES = ("mean", "author_mean", "has_author", "sources_mean", "has_sources", "lead_mean", "has_lead",
            "share_negative", "share_positive", "min", "max", "log_rows", "share_of_sentences")
CLASSES = ("negative", "neutral", "positive")
MODEL_FILE = Path(__file__).with_name("article-stance.json")
REFERENCE_SENTENCES = 20


@dataclass(frozen=True)
class Row:
    """One stance row of an (article, actor): its sentence, value, label and voice."""

    sentence_index: int
    value: float
    label: str
    voice: str = "author"


def features(rows: list[Row], n_sentences: int) -> np.ndarray:
    """The :data:`FEATURES` of one (article, actor) from its stance rows (at least one)."""
    values = np.array([r.value for r in rows], dtype=float)
    author = [r.value for r in rows if r.voice != "source"]
    sources = [r.value for r in rows if r.voice == "source"]
    lead = [r.value for r in rows if r.sentence_index < LEAD]
    return np.array([
        values.mean(),
        np.mean(author) if author else 0.0, float(bool(author)),
        np.mean(sources) if sources else 0.0, float(bool(sources)),
        np.mean(lead) if lead else 0.0, float(bool(lead)),
        np.mean([r.label == "negative" for r in rows]), np.mean([r.label == "positive" for r in rows]),
        values.min(), values.max(), np.log1p(len(rows)), len(rows) / max(n_sentences, 1),
    ])


REFERENCE = [Row(LEAD, 0.0, "neutral")]  # one neutral mention in the body of a 20-sentence article


@dataclass(frozen=True)
class ArticleModel:
    """A fitted article model: standardisation, multinomial weights and the label's cut points."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # classes x features
    intercept: np.ndarray
    cuts: tuple[float, float]  # negative below the first, positive above the second
    meta: dict
    reference: float = 0.0  # P(positive) - P(negative) of the REFERENCE article, subtracted

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def values(self, x: np.ndarray) -> np.ndarray:
        """P(positive) - P(negative) of each row of ``x`` (articles x features), less the reference
        article's, clipped to [-1, 1]."""
        p = self.probabilities(x)
        raw = p[:, CLASSES.index("positive")] - p[:, CLASSES.index("negative")]
        return np.clip(raw - self.reference, -1.0, 1.0)

    def label(self, value: float) -> str:
        low, high = self.cuts
        return "negative" if value < low else "positive" if value > high else "neutral"

    def score(self, rows: list[Row], n_sentences: int) -> tuple[float, str]:
        """The article value and label of one (article, actor)."""
        value = float(self.values(features(rows, n_sentences))[0])
        return value, self.label(value)

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "classes": list(CLASSES), "mean": self.mean.tolist(),
                "scale": self.scale.tolist(), "coef": self.coef.tolist(),
                "intercept": self.intercept.tolist(), "cuts": list(self.cuts), "reference": self.reference,
                **self.meta}


def contributions(model: ArticleModel, rows: list[Row], n_sentences: int) -> list[float]:
    """Each row's weight in the article value: the value with every row minus the value without it
    (0 for the only row: without it there is no value)."""
    whole = model.values(features(rows, n_sentences))[0]
    if len(rows) == 1:
        return [float(whole)]
    rest = np.vstack([features(rows[:k] + rows[k + 1:], n_sentences) for k in range(len(rows))])
    return [float(w) for w in whole - model.values(rest)]


def from_json(data: dict, where: str = "the article model") -> ArticleModel:
    """The model that :meth:`ArticleModel.to_json` wrote; ``where`` names it in errors."""
    if data.get("features") != list(FEATURES) or data.get("classes") != list(CLASSES):
        raise ValueError(f"{where}: fitted on other features or classes than this framing's "
                         f"({list(FEATURES)}); fit it again with framing train-article-stance")
    meta = {k: v for k, v in data.items() if k not in ("features", "classes", "mean", "scale", "coef",
                                                        "intercept", "cuts", "reference")}
    return ArticleModel(np.asarray(data["mean"]), np.asarray(data["scale"]), np.asarray(data["coef"]),
                        np.asarray(data["intercept"]), tuple(data["cuts"]), meta, float(data["reference"]))


@lru_cache(maxsize=1)
def load(path: str | None = None) -> ArticleModel:
    """The shipped article model (or the one at ``path``)."""
    path = Path(path or MODEL_FILE)
    return from_json(json.loads(path.read_text(encoding="utf-8")), str(path))


# -- fitting ---------------------------------------------------------------------------------------

CS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
CUT_GRID = [(round(lo, 2), round(hi, 2)) for lo in np.arange(-0.8, 0.01, 0.05)
            for hi in np.arange(-0.2, 0.81, 0.05) if hi >= lo - 1e-9]


def _fit(x: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit((x - mean) / scale, y)
    order = [list(lr.classes_).index(k) for k in CLASSES]
    model = ArticleModel(mean, scale, lr.coef_[order], lr.intercept_[order], (0.0, 0.0), {})
    reference = float(model.values(features(REFERENCE, REFERENCE_SENTENCES))[0])
    return ArticleModel(mean, scale, model.coef, model.intercept, (0.0, 0.0), {}, reference)


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


def _best_cuts(values, gold) -> tuple[float, float]:
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


def fit(x: np.ndarray, y: list[str], folds: int = 5, seed: int = 0) -> tuple[ArticleModel, dict]:
    """Fit the article model on ``x`` (articles x :data:`FEATURES`) and gold labels ``y``: C and the
    cut points chosen by stratified ``folds``-fold cross-validation (the values of each fold come from
    a model fitted on the others); returns the model and the out-of-fold report (macro F1 of the
    chosen C with cut points chosen on the other folds, per C)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(y)
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y))
    out_of_fold = {}
    for c in CS:
        values = np.empty(len(y))
        for train, test in splits:
            values[test] = _fit(x[train], y[train], c).values(x[test])
        out_of_fold[c] = values
    scores = {}
    for c, values in out_of_fold.items():
        predicted = np.empty(len(y), dtype=object)
        for train, test in splits:  # cut points chosen on the other folds' out-of-fold values
            predicted[test] = _cut(values[test], *_best_cuts(values[train], y[train]))
        scores[c] = _macro_f1(y, predicted)
    best = max(CS, key=lambda c: (scores[c], -c))
    model = _fit(x, y, best)
    cuts = tuple(float(c) for c in _best_cuts(out_of_fold[best], y))
    report = {"C": best, "cv_macro_f1": round(scores[best], 4),
              "cv_macro_f1_by_C": {str(c): round(s, 4) for c, s in scores.items()},
              "n_articles": int(len(y)), "labels": {k: int((y == k).sum()) for k in CLASSES}}
    return ArticleModel(model.mean, model.scale, model.coef, model.intercept, cuts, report,
                        model.reference), report


__all__ = ["CLASSES", "FEATURES", "LEAD", "ArticleModel", "Row", "contributions", "features", "fit", "load"]
