"""Benchmark of article-level stance toward a person on PerSenT (Bastan et al., COLING 2020).

Each article names its target person (``TARGET_ENTITY``) and carries the author's sentiment toward
them (Positive, Neutral, Negative). The article is split into sentences by spaCy; the sentences that
mention the target (the full name, its last word as a surname, or a pronoun that refers to it by the
actors extractor's rule, :func:`framing.extract.actors.person_pronouns`) are scored toward each, and
the article's value is the mean of its sentence values (the aggregation of ``stance_<actor>``),
labelled with the codebook's neutral band. Peers measured in the same run on the same sentences:
TextBlob polarity and VADER compound of each sentence, averaged, with the band of +-0.05. Beside the
fixed band, every method and peer is also labelled with two cut points chosen on the file
(:func:`article_bands`: ``bands``, ``macro_f1_bands``, optimistic) and with cut points chosen on four
fifths of the file and applied to the rest (``macro_f1_bands_cv``, five folds). PerSenT has no
licence: it is read from a path and never copied.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

from ..errors import FramingError
from ..stance import method_name, settings, stances
from ..stance.article import load as load_article_model

LABELS = {"Positive": "positive", "Neutral": "neutral", "Negative": "negative"}
PEER_BAND = 0.05


def read_persent(path: str | os.PathLike, limit: int | None = None) -> list[dict]:
    """The articles of a PerSenT CSV file: text, target and label."""
    path = Path(path)
    if not path.is_file():
        raise FramingError(f"{path}: no such file; give PerSenT's dev.csv (for example "
                           "$FRAMING_DATA/persent/dev.csv)")
    csv.field_size_limit(sys.maxsize)
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for n, row in enumerate(_rows(csv.DictReader(handle), path), start=2):
            try:
                rows.append({"id": row["DOCUMENT_INDEX"], "text": row["DOCUMENT"],
                             "target": row["TARGET_ENTITY"].strip(), "label": LABELS[row["TRUE_SENTIMENT"]]})
            except KeyError as err:
                raise FramingError(f"{path} line {n}: not a PerSenT row ({err} missing or unknown)") from err
            if limit and len(rows) >= limit:
                break
    if not rows:
        raise FramingError(f"{path}: no PerSenT rows (an empty file, or only a header); give PerSenT's "
                           "dev.csv")
    return rows


def _rows(reader, path: Path):
    """The CSV's rows; undecodable bytes or a broken record stop the run with a message, not a traceback."""
    try:
        yield from reader
    except (UnicodeDecodeError, csv.Error) as err:
        raise FramingError(f"{path} line {reader.line_num + 1}: not a readable PerSenT CSV ({err}); give "
                           "PerSenT's dev.csv (UTF-8)") from err


def mentions(sentence: str, target: str) -> list[tuple[int, int]]:
    """Character spans of the target's full name, else its surname (the last word), in a sentence."""
    found = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(target)}(?!\w)", sentence)]
    surname = target.split()[-1] if target.split() else target
    if len(surname) > 2:
        for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", sentence):
            if not any(a <= m.start() < b for a, b in found):
                found.append(m.span())
    return sorted(found)


def _label(value: float, band: float) -> str:
    return "neutral" if abs(value) < band else ("positive" if value > 0 else "negative")


def sentence_targets(articles: list[dict], codebook=None) -> list[dict]:
    """Per article: the target's sentences as stance targets (``targets``: one ``(examples, others)``
    per sentence, as :func:`framing.stance.stances` takes them), their sentence indices, whether each
    mention lies inside an attribution's content (``voices``: ``source`` or ``author``, by the rule of
    the stance extractor) and the article's number of sentences."""
    from ..codebook import load_codebook
    from ..evidence import sentence_bounds, sentence_table, sentences
    from ..extract.actors import person_pronouns
    from ..extract.attribution import AttributionFinder, holding
    from ..parse import load_model

    book = load_codebook(codebook)
    finder = AttributionFinder(book)
    nlp = load_model()
    pronouns = {w.lower() for w in book.lexicons.get("person_pronouns", ())}
    out = []
    for article, doc in zip(articles, nlp.pipe((a["text"] for a in articles), batch_size=16)):
        bounds, sent_of = sentence_table(doc)
        spans = sentences(doc)[0]
        found: dict[int, list[tuple[int, int]]] = {}  # sentence -> character spans in the sentence
        named = []
        for i, sent in enumerate(spans):
            start, end = sentence_bounds(sent)
            for a, b in mentions(article["text"][start:end], article["target"]):
                found.setdefault(i, []).append((a, b))
                span = doc.char_span(start + a, start + b, alignment_mode="expand")
                named.append((span.start, span.end, "target"))
        # the target's pronouns, by the actors extractor's rule (framing.extract.actors.person_pronouns)
        for t, _ in person_pronouns(doc, sorted(named), pronouns, sent_of, [b[0] for b in bounds]):
            i = sent_of[t]
            start = sentence_bounds(spans[i])[0]
            found.setdefault(i, []).append((doc[t].idx - start, doc[t].idx + len(doc[t]) - start))
        attributions = finder(doc, [])
        items, indices, voices = [], [], []
        for i in sorted(found):
            start, end = sentence_bounds(spans[i])
            sentence = article["text"][start:end]
            first = start + sorted(found[i])[0][0]
            inside = holding(attributions, first) is not None
            items.append(([(sentence, a, b) for a, b in sorted(found[i])], ()))
            indices.append(i)
            voices.append("source" if inside else "author")
        out.append({"targets": items, "sentences": indices, "voices": voices, "n_sentences": len(spans)})
    return out


def evaluate(path: str | os.PathLike, methods=("transformer", "linear", "lexicon"), codebook=None,
             peers: bool = True, limit: int | None = None) -> pd.DataFrame:
    """Macro F1 and accuracy of each method (and the peers) at article level."""
    articles = read_persent(path, limit)
    config = settings(codebook)
    gathered = sentence_targets(articles, codebook)
    targets_per_article = [g["targets"] for g in gathered]
    gold = [a["label"] for a in articles]
    flat = [t for items in targets_per_article for t in items]
    values: dict[str, list[float]] = {}
    labels: dict[str, list[str]] = {}
    for method in map(method_name, methods):
        scored = stances(method, flat, config)
        values[f"framing {method}"] = [v for _, v, _ in scored]
        labels[f"framing {method}"] = [label for label, _, _ in scored]
    bands = {name: config["neutral_band"] for name in values}
    articles_values = {name: _article_values(flat_values, labels[name], gathered)
                       for name, flat_values in values.items()}
    if peers:
        from textblob import TextBlob
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
        sentences_ = [examples[0][0] for examples, _ in flat]
        values["TextBlob (sentences mentioning the target)"] = [TextBlob(s).sentiment.polarity
                                                                for s in sentences_]
        values["VADER (sentences mentioning the target)"] = [vader.polarity_scores(s)["compound"]
                                                             for s in sentences_]
        bands.update({name: PEER_BAND for name in values if name.startswith(("TextBlob", "VADER"))})
    rows = []
    for name, flat_values in values.items():
        means, k = [], 0
        for items in targets_per_article:
            means.append(float(np.mean(flat_values[k:k + len(items)])) if items else 0.0)
            k += len(items)
        predicted = [_label(mean, bands[name]) for mean in means]
        low, high = article_bands(means, gold)
        rows.append({"method": name, "macro_f1": round(100 * f1_score(gold, predicted, average="macro"), 1),
                     "accuracy": round(100 * accuracy_score(gold, predicted), 1),
                     "bands": f"{low:+.2f}/{high:+.2f}",
                     "macro_f1_bands": round(100 * f1_score(gold, [_banded(m, low, high) for m in means],
                                                            average="macro"), 1),
                     "macro_f1_bands_cv": cross_validated(means, gold),
                     "n_articles": len(gold),
                     "with_a_mention": sum(1 for items in targets_per_article if items)})
    model = load_article_model()
    cv = 100 * model.meta.get("cv_macro_f1", float("nan"))
    for name, article_values in articles_values.items():  # the shipped article model: its own labels
        predicted = [model.label(v) if v is not None else "neutral" for v in article_values]
        rows.append({"method": f"{name}, article model (shipped; fitted on PerSenT dev: optimistic on dev, "
                               f"its 5-fold CV there {cv:.1f})",
                     "macro_f1": round(100 * f1_score(gold, predicted, average="macro"), 1),
                     "accuracy": round(100 * accuracy_score(gold, predicted), 1),
                     "bands": f"{model.cuts[0]:+.2f}/{model.cuts[1]:+.2f} (shipped)",
                     "macro_f1_bands": float("nan"), "macro_f1_bands_cv": float("nan"),
                     "n_articles": len(gold), "with_a_mention": sum(v is not None for v in article_values)})
    if peers:
        predicted = ["neutral"] * len(gold)
        rows.append({"method": "always neutral", "macro_f1": round(100 * f1_score(gold, predicted,
                                                                                  average="macro"), 1),
                     "accuracy": round(100 * accuracy_score(gold, predicted), 1), "bands": "",
                     "macro_f1_bands": float("nan"), "macro_f1_bands_cv": float("nan"),
                     "n_articles": len(gold), "with_a_mention": 0})
    return pd.DataFrame(rows)


def article_rows(gathered: list[dict], flat_values, flat_labels) -> list[list]:
    """Per article of :func:`sentence_targets`, its stance rows for the article model
    (:class:`framing.stance.article.Row`), from the values and labels of all articles' targets in order."""
    from ..stance.article import Row

    out, k = [], 0
    for g in gathered:
        n = len(g["targets"])
        out.append([Row(i, v, label, voice) for i, voice, v, label in
                    zip(g["sentences"], g["voices"], flat_values[k:k + n], flat_labels[k:k + n])])
        k += n
    return out


def _article_values(flat_values, flat_labels, gathered) -> list[float | None]:
    """The shipped article model's value of each article (None without a sentence about the target)."""
    model = load_article_model()
    return [model.score(rows, g["n_sentences"])[0] if rows else None
            for rows, g in zip(article_rows(gathered, flat_values, flat_labels), gathered)]


# Article bands: the article's mean is negative below ``low``, positive above ``high``, else neutral.
# A method's sentence values need not share the author-level scale of an article's coding (PerSenT's
# neutral articles score mildly negative with the NewsMTSC models), so the two cut points are chosen
# on the file, for every method and peer alike, from this grid.
BAND_GRID = [(round(low, 2), round(high, 2)) for low in np.arange(-0.6, 0.001, 0.05)
             for high in np.arange(-0.3, 0.301, 0.05) if high >= low - 1e-9]


def _banded(value: float, low: float, high: float) -> str:
    return "negative" if value < low else ("positive" if value > high else "neutral")


def article_bands(means, gold) -> tuple[float, float]:
    """The ``(low, high)`` of :data:`BAND_GRID` with the best macro F1 (the first on ties)."""
    return max(BAND_GRID, key=lambda b: f1_score(gold, [_banded(m, *b) for m in means], average="macro"))


def cross_validated(means, gold, folds: int = 5) -> float:
    """Macro F1 of bands chosen on four fifths and applied to the other fifth, over five folds
    (stratified, seed 0): an estimate of the chosen bands on articles they were not chosen on. NaN when
    a label has fewer articles than folds."""
    from sklearn.model_selection import StratifiedKFold

    gold = np.asarray(gold)
    if min(np.unique(gold, return_counts=True)[1]) < folds or len(set(gold)) < 3:
        return float("nan")
    means = np.asarray(means)
    predicted = np.empty(len(gold), dtype=object)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(means, gold):
        low, high = article_bands(means[train], gold[train])
        predicted[test] = [_banded(m, low, high) for m in means[test]]
    return round(100 * f1_score(gold, list(predicted), average="macro"), 1)
