"""Fit the article method (:mod:`framing.stance.article`) on PerSenT's dev articles.

``framing train-article-stance [PERSENT_DEV_CSV] --out FILE`` reads the articles from a path (PerSenT
is never copied), finds each article's sentences about its target person and their voice
(:func:`framing.evaluate.persent.sentence_targets`), scores them with every stance method (or the ones
named with ``--method``) and fits the method's parameters on each method's values: the source weight by
repeated five-fold cross-validation, the offset and the cut points on all articles. The JSON written
holds, per stance method, the parameters and the cross-validated macro F1, with the citation. Articles
where the target has no stance sentence are left out of the fit (there is nothing to read; they are
counted). The same file and versions give the same JSON, byte for byte.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from . import METHODS
from .article import METHOD, fit

CITATION = ("Bastan, M., Koupaee, M., Son, Y., Sicoli, R., & Balasubramanian, N. (2020). Author's "
            "Sentiment Prediction. COLING 2020. PerSenT dev split; only parameters fitted on it are shipped.")


def article_examples(path: str | os.PathLike, methods=("transformer",), codebook=None,
                     limit: int | None = None) -> tuple[dict[str, list], list[str], int]:
    """Per stance method, the stance rows of PerSenT's articles with at least one stance sentence; their
    gold labels; the number of articles without one."""
    from ..evaluate.persent import article_rows, read_persent, sentence_targets
    from . import method_name, settings, stances

    articles = read_persent(path, limit)
    gathered = sentence_targets(articles, codebook)
    config = settings(codebook)
    flat = [t for g in gathered for t in g["targets"]]
    keep = [k for k, g in enumerate(gathered) if g["targets"]]
    rows = {}
    for method in map(method_name, methods):
        scored = stances(method, flat, config)
        per_article = article_rows(gathered, [v for _, v, _ in scored])
        rows[method] = [per_article[k] for k in keep]
    return rows, [articles[k]["label"] for k in keep], len(articles) - len(keep)


def train(path: str | os.PathLike, out: str | os.PathLike, methods=METHODS,
          codebook=None, limit: int | None = None) -> dict:
    """Fit on ``path`` for each stance method and write the model JSON to ``out``; return what was
    written."""
    from .. import __version__
    from .._io import write_text

    rows, gold, missing = article_examples(path, methods, codebook, limit)
    fitted = {}
    for method, articles in rows.items():
        model, _ = fit(articles, gold)
        fitted[method] = model.to_json()
    record = {"method": METHOD, "stance_methods": fitted, "citation": CITATION, "framing": __version__,
              "trained_on": {"data": "PerSenT dev.csv", "n_articles_fitted": len(gold),
                             "n_articles_without_a_stance_sentence": missing}}
    write_text(Path(out), json.dumps(record, indent=1, sort_keys=True) + "\n")
    return record


__all__ = ["CITATION", "article_examples", "train"]
