"""Benchmark of the stance methods on NewsMTSC (Hamborg & Donnay, EACL 2021).

One prediction per target (labels as in the file: 2 negative, 4 neutral, 6 positive); macro F1 and
accuracy in %. Peers measured in the same run, on the whole sentence (not target-aware): TextBlob
polarity and VADER compound, each with the conventional neutral band of +-0.05.
"""

from __future__ import annotations

import os

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score
from textblob import TextBlob

from ..stance import method_name, settings, stances
from ..stance.model import read_newsmtsc

BAND = 0.05


def _label(value: float, band: float = BAND) -> str:
    return "neutral" if abs(value) < band else ("positive" if value > 0 else "negative")


def evaluate(path: str | os.PathLike, methods=("transformer", "linear", "lexicon"), codebook=None,
             peers: bool = True) -> pd.DataFrame:
    """Macro F1 and accuracy of each method (and the peers) on one NewsMTSC file."""
    examples, gold = read_newsmtsc(path)
    config = settings(codebook)
    predictions: dict[str, list[str]] = {}
    targets = [([e], ()) for e in examples]
    for method in map(method_name, methods):
        predictions[f"framing {method}"] = [label for label, _, _ in stances(method, targets, config)]
    if peers:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
        predictions["TextBlob (whole sentence)"] = [_label(TextBlob(s).sentiment.polarity)
                                                    for s, _, _ in examples]
        predictions["VADER (whole sentence)"] = [_label(vader.polarity_scores(s)["compound"])
                                                 for s, _, _ in examples]
    rows = [{"method": name, "macro_f1": round(100 * f1_score(gold, p, average="macro"), 1),
             "accuracy": round(100 * accuracy_score(gold, p), 1), "n_targets": len(gold)}
            for name, p in predictions.items()]
    return pd.DataFrame(rows)
