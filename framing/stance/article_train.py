"""Fit the article model (:mod:`framing.stance.article`) on PerSenT's dev articles.

``framing train-article-stance [PERSENT_DEV_CSV] --out FILE`` reads the articles from a path (PerSenT
is never copied), finds each article's sentences about its target person and their voice
(:func:`framing.evaluate.persent.sentence_targets`), scores them with the stance method named
(``transformer`` by default: the values the package's tables hold), builds the article features and
fits the model with C and the cut points chosen by 5-fold cross-validation; the JSON written holds the
weights, the cut points, the cross-validated macro F1 and the citation. Articles where the target has
no stance sentence are left out of the fit (a model cannot read them; they are counted).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from .article import features, fit

CITATION = ("Bastan, M., Koupaee, M., Son, Y., Sicoli, R., & Balasubramanian, N. (2020). Author's "
            "Sentiment Prediction. COLING 2020. PerSenT dev split; only weights fitted on it are shipped.")


def article_examples(path: str | os.PathLike, method: str = "transformer", codebook=None,
                     limit: int | None = None) -> tuple[np.ndarray, list[str], int]:
    """The features and gold labels of PerSenT's articles with at least one stance sentence, and the
    number of articles without one."""
    from ..evaluate.persent import article_rows, read_persent, sentence_targets
    from . import method_name, settings, stances

    articles = read_persent(path, limit)
    gathered = sentence_targets(articles, codebook)
    config = settings(codebook)
    flat = [t for g in gathered for t in g["targets"]]
    scored = stances(method_name(method), flat, config)
    per_article = article_rows(gathered, [v for _, v, _ in scored], [label for label, _, _ in scored])
    x, y, missing = [], [], 0
    for article, g, rows in zip(articles, gathered, per_article):
        if not rows:
            missing += 1
            continue
        x.append(features(rows, g["n_sentences"]))
        y.append(article["label"])
    return np.vstack(x), y, missing


def train(path: str | os.PathLike, out: str | os.PathLike, method: str = "transformer", codebook=None,
          limit: int | None = None) -> dict:
    """Fit on ``path`` and write the model JSON to ``out``; return what was written."""
    from .. import __version__
    from .._io import write_text
    from . import method_name

    x, y, missing = article_examples(path, method, codebook, limit)
    model, report = fit(x, y)
    trained_on = {"data": "PerSenT dev.csv", "n_articles_fitted": len(y),
                  "n_articles_without_a_stance_sentence": missing}
    record = {**model.to_json(), "stance_method": method_name(method), "trained_on": trained_on,
              "citation": CITATION, "framing": __version__}
    record.update(report)
    write_text(Path(out), json.dumps(record, indent=1, sort_keys=True) + "\n")
    return record


__all__ = ["CITATION", "article_examples", "train"]
