"""Benchmark of article-level stance toward a person on PerSenT (Bastan et al., COLING 2020).

Each article names its target person (``TARGET_ENTITY``) and carries the author's sentiment toward
them (Positive, Neutral, Negative). The article is split into sentences by spaCy; the sentences that
mention the target (the full name, its last word as a surname, or a pronoun that refers to it by the
actors extractor's rule, :func:`framing.extract.actors.person_pronouns`) are scored toward each, with
their voice (author, or a source's when the mention lies inside an attribution's content, by the
stance extractor's rule). Each method is labelled three ways (:func:`evaluate`): the package's shipped
article value and label (:mod:`framing.stance.article`; fitted on PerSenT dev, so optimistic on it),
the same article method fitted on four fifths and scored on the rest (repeated five-fold: the honest
estimate), and the plain mean of sentence values with a fixed neutral band (the article value before
issue 29). Peers measured in the same run on the same sentences: TextBlob polarity and VADER compound
of each sentence (band +-0.05, and the article method cross-validated on their values), and "always
neutral". PerSenT has no licence: it is read from a path and never copied.
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
from ..stance.lexicon import label_of

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


def sentence_targets(articles: list[dict], codebook=None) -> list[dict]:
    """Per article: the target's sentences as stance targets (``targets``: one ``(examples, others)``
    per sentence, as :func:`framing.stance.stances` takes them) and whether each mention lies inside an
    attribution's content (``voices``: ``source`` or ``author``, by the rule of the stance extractor)."""
    from ..codebook import load_codebook
    from ..evidence import sentence_bounds, sentence_table, sentences
    from ..extract.actors import person_pronouns
    from ..extract.attribution import AttributionFinder, holding
    from ..extract.lookup import Words
    from ..parse import load_model

    book = load_codebook(codebook)
    finder = AttributionFinder(book)
    nlp = load_model()
    pronouns = Words("LOWER", {w.lower() for w in book.lexicons.get("person_pronouns", ())})
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
        items, voices = [], []
        for i in sorted(found):
            start, end = sentence_bounds(spans[i])
            sentence = article["text"][start:end]
            first = start + sorted(found[i])[0][0]
            inside = holding(attributions, first) is not None
            items.append(([(sentence, a, b) for a, b in sorted(found[i])], ()))
            voices.append("source" if inside else "author")
        out.append({"targets": items, "voices": voices})
    return out


def evaluate(path: str | os.PathLike, methods=("transformer", "linear", "lexicon"), codebook=None,
             peers: bool = True, limit: int | None = None) -> pd.DataFrame:
    """Macro F1 and accuracy at article level of each method (and the peers), each under three
    labellings (``labelling``): the package's shipped article value and label (``shipped``: fitted on
    PerSenT dev, so optimistic when the file is dev), the same article method fitted on four fifths
    and scored on the fifth (``5-fold``: repeated five-fold, the estimate on articles it was not fitted
    on; every method and peer alike), and the plain mean of the sentence values with a fixed neutral
    band (``mean, band``: the package's article value before issue 29; the peers' band is +-0.05)."""
    from ..stance.article import cross_validated

    articles = read_persent(path, limit)
    config = settings(codebook)
    gathered = sentence_targets(articles, codebook)
    gold = [a["label"] for a in articles]
    flat = [t for g in gathered for t in g["targets"]]
    scored: dict[str, list[float]] = {}  # each method's and peer's value of every target, in order
    for method in map(method_name, methods):
        scored[f"framing {method}"] = [v for _, v, _ in stances(method, flat, config)]
    bands = {name: config["neutral_band"] for name in scored}
    if peers:
        from textblob import TextBlob
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
        sentences_ = [examples[0][0] for examples, _ in flat]
        for name, values in (("TextBlob", [TextBlob(s).sentiment.polarity for s in sentences_]),
                             ("VADER", [vader.polarity_scores(s)["compound"] for s in sentences_])):
            name = f"{name} (sentences mentioning the target)"
            scored[name], bands[name] = values, PEER_BAND
    mentioned = [k for k, g in enumerate(gathered) if g["targets"]]
    rows = []

    def row(name: str, labelling: str, predicted: list[str], note: str = "") -> dict:
        return {"method": name, "labelling": labelling,
                "macro_f1": round(100 * f1_score(gold, predicted, average="macro"), 1),
                "accuracy": round(100 * accuracy_score(gold, predicted), 1), "note": note,
                "n_articles": len(gold), "with_a_mention": len(mentioned)}

    for name, values in scored.items():
        per_article = article_rows(gathered, values)
        method = name.removeprefix("framing ") if name.startswith("framing ") else None
        if method is not None:
            model = load_article_model(method)
            predicted = [model.score(r)[1] if r else "neutral" for r in per_article]
            low, high = model.cuts
            rows.append(row(name, "shipped", predicted, f"cut points {low:+.2f}/{high:+.2f}, offset "
                            f"{model.offset:+.3f}; fitted on PerSenT dev (optimistic there)"))
            weight = model.source_weight
        else:  # a peer: the source weight the shipped transformer parameters chose
            weight = load_article_model("transformer").source_weight
        voices = [(weight, "5-fold", f"sources weigh {weight:g}")]
        if method is not None and weight != 1.0:  # the same protocol on every voice alike: what voice adds
            voices.append((1.0, "5-fold, every voice", "sources weigh 1"))
        for w, labelling, note in voices:  # a macro F1 over articles with a mention; no accuracy
            cv = cross_validated([per_article[k] for k in mentioned], [gold[k] for k in mentioned], w)
            rows.append({"method": name, "labelling": labelling, "macro_f1": round(100 * cv, 1),
                         "accuracy": float("nan"), "note": f"article method fitted on the other folds, "
                         f"{note}", "n_articles": len(mentioned), "with_a_mention": len(mentioned)})
        means = [float(np.mean([r.value for r in rows_])) if rows_ else 0.0 for rows_ in per_article]
        rows.append(row(name, "mean, band", [label_of(m, bands[name]) for m in means],
                        f"neutral band +-{bands[name]}"))
    if peers:
        rows.append(row("always neutral", "", ["neutral"] * len(gold)))
    return pd.DataFrame(rows)


def article_rows(gathered: list[dict], flat_values) -> list[list]:
    """Per article of :func:`sentence_targets`, its stance rows for the article method
    (:class:`framing.stance.article.Row`), from the values of all articles' targets in order."""
    from ..stance.article import Row

    out, k = [], 0
    for g in gathered:
        n = len(g["targets"])
        out.append([Row(v, voice) for voice, v in zip(g["voices"], flat_values[k:k + n])])
        k += n
    return out
