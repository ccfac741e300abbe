"""Does the article stance toward an actor agree with the roles coders gave it? The climate case's
hero / villain / victim coding (Narrative Frames Corpus; docs/codebook.md section 7) as a check of
article-level stance on a topic none of the stance methods was trained or tuned on.

Units: the (article, actor) pairs of the train or dev articles coded as villain and not hero (0), or as
hero and not villain (1) (``hero-villain``), or as victim and not villain (1) against the villains
(``victim-villain``: the codebook counts a victim deserving sympathy as favourable), mapped to codebook
actors by the roles model's documented rule (:func:`framing.roles.train.gold_roles`), and with at least
one stance sentence toward the actor. Per stance method, the AUC of each measure of the ``actors``
table: the article value ``stance`` (the package's), the plain mean of every sentence ``stance_mean``,
the means in the author's and in the sources' voices. Peers in the same run on the same sentences:
TextBlob polarity and VADER compound of each stance sentence, averaged per pair (every voice). AUC
reads the values, so no cut point is involved (0.5 is chance); ``label_agreement`` reads the package's
label (``stance_label``; for ``stance_mean`` its old label, the mean cut at the codebook's sentence band):
the share of pairs where a villain is labelled negative and a hero (victim) is not (a role says nothing
of neutral, so a hero labelled neutral agrees).

The roles model reads stance as a feature and was trained on these articles; this is a check of stance,
not of roles.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from ..stance import METHODS

MEASURES = ("stance", "stance_mean", "stance_author", "stance_sources")
CONTRASTS = {"hero-villain": "hero", "victim-villain": "victim"}


def pairs(gold: dict, splits: dict, split: str, role: str) -> dict[tuple[str, str], int]:
    """(article, actor) -> 1 for ``role`` (and not villain), 0 for villain (and not ``role``), in
    ``split``."""
    out = {}
    for (article, actor), roles in sorted(gold.items()):
        if splits.get(article) != split or (role in roles) == ("villain" in roles):
            continue
        out[(article, actor)] = int(role in roles)
    return out


def evaluate(corpus: str | os.PathLike = "corpus/climate-2019", codebook="climate-2019",
             methods=METHODS, splits=("train", "dev"),
             peers: bool = True, limit: int | None = None) -> pd.DataFrame:
    """The AUC and label agreement of every method's measures and the peers (see the module docstring);
    ``limit``: only the first N articles of each split (a quick look, not a measure)."""
    from ..codebook import load_codebook
    from ..corpus import load_corpus
    from ..pipeline import score
    from ..roles.train import gold_roles
    from ..stance import method_name
    from ..stance import settings as stance_settings
    from ..stance.lexicon import label_of

    corpus = Path(corpus)
    book = load_codebook(codebook)
    gold, split_of, _ = gold_roles(corpus, book)
    band = stance_settings(book)["neutral_band"]  # the old labelling: the mean cut at the sentence band
    articles, taken = [], dict.fromkeys(splits, 0)
    for a in load_corpus(corpus):
        split = split_of.get(a.id)
        if split in taken and (limit is None or taken[split] < limit):
            articles.append(a)
            taken[split] += 1
    chosen = {a.id for a in articles}
    gold = {key: roles for key, roles in gold.items() if key[0] in chosen}
    rows = []
    peer_values: dict[str, pd.Series] = {}
    for method in map(method_name, methods):
        result = score(articles, codebook=book, stance_method=method, progress=False,
                       extractors=["actors", "attribution", "stance"])
        actors = result.actors.set_index(["article_id", "actor"])
        old = [None if pd.isna(v) else label_of(v, band) for v in actors["stance_mean"]]
        labels = {"stance": actors["stance_label"], "stance_mean": pd.Series(old, index=actors.index)}
        if peers and not peer_values:
            peer_values = _peers(result.evidence)
        for contrast, role in CONTRASTS.items():
            for split in splits:
                units = pairs(gold, split_of, split, role)
                for measure in MEASURES:
                    rows.append(_row(f"framing {method}", measure, contrast, split, units, actors[measure],
                                     labels.get(measure)))
    for name, values in peer_values.items():
        for contrast, role in CONTRASTS.items():
            for split in splits:
                rows.append(_row(name, "mean", contrast, split, pairs(gold, split_of, split, role), values))
    return pd.DataFrame(rows)


def _row(method: str, measure: str, contrast: str, split: str, units: dict, values: pd.Series,
         labels: pd.Series | None = None) -> dict:
    found = [(y, float(values[key]), None if labels is None else labels[key])
             for key, y in units.items() if key in values.index and not pd.isna(values[key])]
    y = [f[0] for f in found]
    auc = roc_auc_score(y, [f[1] for f in found]) if len(set(y)) == 2 else float("nan")
    agree = float("nan")
    if labels is not None and found:  # villains negative; heroes (victims) anything but negative
        agree = float(np.mean([(lab == "negative") == (t == 0) for t, _, lab in found]))
    return {"method": method, "measure": measure, "contrast": contrast, "split": split,
            "auc": round(float(auc), 3), "label_agreement": round(100 * agree, 1), "n_pairs": len(found),
            "n_positive_role": int(sum(y))}


def _peers(evidence: pd.DataFrame) -> dict[str, pd.Series]:
    """TextBlob and VADER over each (article, actor)'s stance sentences, averaged."""
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    rows = evidence[evidence.family == "stance"]
    vader = SentimentIntensityAnalyzer()
    sentences = rows.sentence.astype(str)
    scores = {
        "TextBlob (the pair's stance sentences)": sentences.map(lambda s: TextBlob(s).sentiment.polarity),
        "VADER (the pair's stance sentences)": sentences.map(lambda s: vader.polarity_scores(s)["compound"]),
    }
    keys = [rows.article_id.astype(str), rows.actor.astype(str)]
    return {name: values.astype(float).groupby(keys).mean() for name, values in scores.items()}


__all__ = ["CONTRASTS", "MEASURES", "evaluate", "pairs"]
