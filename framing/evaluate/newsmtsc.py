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

from ..stance import lexicon_stance, load, method_name, model_stance, settings
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
    for method in map(method_name, methods):
        if method == "linear":
            model = load()
            predictions["framing linear"] = [
                model_stance(model, [e], config["lexicon"], config["domain_window"],
                             config["neutral_band"])[0] for e in examples]
        elif method == "transformer":
            from ..stance import transformer_stances
            from ..stance.transformer import load_transformer

            predictions["framing transformer"] = [r[0] for r in transformer_stances(
                load_transformer(), [([e], ()) for e in examples], config["lexicon"],
                config["domain_window"], config["neutral_band"])]
        elif method == "lexicon":
            predictions["framing lexicon"] = [
                lexicon_stance(s, a, b, config["lexicon"], config["window"], config["neutral_band"],
                               config["domain_window"])[0] for s, a, b in examples]
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
