"""Stance toward a target: how a sentence portrays an actor, from -1 (unfavourable) to +1 (favourable).

Three methods share one interface:

- ``transformer`` (default): all-MiniLM-L6-v2 fine-tuned on NewsMTSC, run by onnxruntime (int8), each
  sentence encoded once and each target read through its own word pieces; the cue is the words with
  the largest exact shares of the decision (:mod:`framing.stance.transformer`).
- ``linear`` (``model`` is accepted as its old name): logistic regression over target-aware features
  (the target masked, left and right windows, TextBlob scores, the codebook's domain terms), trained
  on NewsMTSC train and tuned on its dev files; shipped in the package (``stance-model.skops``,
  metadata in ``stance-model.json``).
  The value is P(positive) - P(negative), adjusted by the codebook's domain terms near the target;
  the cues are the features that pushed most toward the label, and the domain terms.
- ``lexicon``: TextBlob polarity of the words around the target plus the codebook's domain terms
  (``stance.lexicon``), see :mod:`framing.stance.lexicon`.

>>> from framing.stance import score_target
>>> s = "Russia won't leave its allies in Central Asia out in the cold"
>>> score_target(s, 0, 6, method="lexicon")[:1]
('positive',)
"""

from __future__ import annotations

import numpy as np

from .lexicon import domain_adjustment, label_of, lexicon_stance

METHODS = ("transformer", "linear", "lexicon")
DEFAULT_METHOD = "transformer"
ALIASES = {"model": "linear"}  # the linear model's name before the transformer became the default


def load(path: str | None = None):
    """The linear stance model (:func:`framing.stance.model.load`, imported on first use: skops and
    scikit-learn take seconds to import, which a re-score from the caches should not pay)."""
    from .model import load as load_model

    return load_model(path)


def predict_values(model, examples):
    """:func:`framing.stance.model.predict_values` (imported on first use, as :func:`load`)."""
    from .model import predict_values as predict

    return predict(model, examples)


def method_name(method: str | None) -> str:
    """The canonical name of a stance method (None: the default); an unknown name raises ValueError."""
    method = ALIASES.get(method, method) if method is not None else DEFAULT_METHOD
    if method not in METHODS:
        raise ValueError(f"unknown stance method {method!r}; use one of {', '.join(METHODS)}")
    return method


def settings(codebook=None) -> dict:
    """The codebook's stance settings, with defaults: lexicon, window, domain_window, neutral_band."""
    from ..codebook import load_codebook

    spec = load_codebook(codebook).sections.get("stance", {})
    return {"lexicon": dict(spec.get("lexicon", {})), "window": spec.get("window", 8),
            "domain_window": spec.get("domain_window", 20), "neutral_band": spec.get("neutral_band", 0.1)}


def model_stance(model, examples, lexicon: dict, domain_window: int = 20, neutral_band: float = 0.1,
                 others: tuple[tuple[int, int], ...] = ()) -> tuple[str, float, list[str]]:
    """One stance for a target mentioned one or more times in a sentence (``examples``).

    The classifier's class probabilities are averaged over the mentions; the value is
    P(positive) - P(negative). Where the codebook's domain terms lie near the target, their mean
    weight is added (clipped to [-1, 1]) and the label follows the value, so that a case's own
    evaluative terms count even though the classifier was trained on other news. ``others`` are the
    sentence's other targets: a domain term counts for the nearest target only.
    """
    return model_stances(model, [(examples, others)], lexicon, domain_window, neutral_band)[0]


def model_stances(model, targets, lexicon: dict, domain_window: int = 20, neutral_band: float = 0.1,
                  ) -> list[tuple[str, float, list[str]]]:
    """:func:`model_stance` for many targets at once: ``targets`` is a list of ``(examples, others)``.

    The features of all examples are built in one call and classified in one call (an article's
    targets together), which gives the same values as one call per target, faster.
    """
    features, classifier = model.named_steps["features"], model.named_steps["classifier"]
    flat = [e for examples, _ in targets for e in examples]
    if not flat:
        return []
    matrix = features.transform(flat)  # once: for the probabilities and for the cues
    probabilities = classifier.predict_proba(matrix)
    classes = list(classifier.classes_)
    out, row = [], 0
    for examples, others in targets:
        proba = probabilities[row:row + len(examples)].mean(axis=0)
        label = str(classes[int(proba.argmax())])  # a plain str, as the lexicon method returns
        value = float(proba[classes.index("positive")] - proba[classes.index("negative")])
        label, value, terms = with_domain_terms(label, value, examples, others, lexicon, domain_window,
                                                neutral_band)
        out.append((label, value, model_cues(model, matrix[row], label) + terms))
        row += len(examples)
    return out


def with_domain_terms(label: str, value: float, examples, others, lexicon: dict, domain_window: int,
                      neutral_band: float) -> tuple[str, float, list[str]]:
    """A classifier's label and value with the codebook's domain terms near the target added (their mean
    over the target's mentions; the label then follows the value), and the terms as cues."""
    adjustments = [domain_adjustment(s, a, b, lexicon, domain_window, others) for s, a, b in examples]
    adjustment = float(np.mean([adj for adj, _ in adjustments]))
    terms = list(dict.fromkeys(t for _, found in adjustments for t in found))
    if adjustment:
        value = max(-1.0, min(1.0, value + adjustment))
        label = label_of(value, neutral_band)
    return label, value, terms


def transformer_stances(model, targets, lexicon: dict, domain_window: int = 20, neutral_band: float = 0.1,
                        ) -> list[tuple[str, float, list[str]]]:
    """:func:`model_stances` with the transformer (:mod:`framing.stance.transformer`): each sentence is
    encoded once for all its targets; the codebook's domain terms are added as for the linear model."""
    by_sentence: dict[str, list[int]] = {}
    for k, (examples, _) in enumerate(targets):
        by_sentence.setdefault(examples[0][0], []).append(k)
    sentences = list(by_sentence)
    scored = model.score([(s, [[(a, b) for _, a, b in targets[k][0]] for k in by_sentence[s]])
                          for s in sentences])
    out: list = [None] * len(targets)
    for sentence, rows in zip(sentences, scored):
        for k, (label, value, cues, _) in zip(by_sentence[sentence], rows):
            examples, others = targets[k]
            label, value, terms = with_domain_terms(label, value, examples, others, lexicon, domain_window,
                                                    neutral_band)
            out[k] = (label, value, cues + terms)
    return out


def lexicon_stances(targets, config: dict) -> list[tuple[str, float, list[str]]]:
    """:func:`lexicon_stance` of each ``(examples, others)`` target: the mean over its mentions, the label
    by the neutral band, the cues of every mention once."""
    out = []
    for examples, others in targets:
        results = [lexicon_stance(s, a, b, config["lexicon"], config["window"], config["neutral_band"],
                                  config["domain_window"], others) for s, a, b in examples]
        value = float(np.mean([r[1] for r in results]))
        out.append((label_of(value, config["neutral_band"]), value,
                    list(dict.fromkeys(c for r in results for c in r[2]))))
    return out


def stances(method: str | None, targets, config: dict) -> list[tuple[str, float, list[str]]]:
    """Label, value and cues of each ``(examples, others)`` target by the stance ``method`` (None: the
    default), with the codebook's stance ``config`` (:func:`settings`): the one place that dispatches
    on the method, for scoring, :func:`score_target` and the evaluations alike."""
    method = method_name(method)
    if method == "lexicon":
        return lexicon_stances(targets, config)
    if method == "linear":
        return model_stances(load(), targets, config["lexicon"], config["domain_window"],
                             config["neutral_band"])
    from .transformer import load_transformer

    return transformer_stances(load_transformer(), targets, config["lexicon"], config["domain_window"],
                               config["neutral_band"])


def score_target(sentence: str, start: int, end: int, method: str | None = None, codebook=None,
                 ) -> tuple[str, float, list[str]]:
    """Label (negative, neutral, positive), value in [-1, 1] and cues for ``sentence[start:end]``."""
    if not (0 <= start < end <= len(sentence)):
        raise ValueError(f"target offsets {start}:{end} do not lie inside the sentence "
                         f"of {len(sentence)} characters")
    return stances(method, [([(sentence, start, end)], ())], settings(codebook))[0]


def model_cues(model, row, label: str, n: int = 3) -> list[str]:
    """The ``n`` features of one example's feature ``row`` (a 1-row sparse matrix from the model's
    ``features`` step) that pushed most toward ``label``, with their contributions."""
    features, classifier = model.named_steps["features"], model.named_steps["classifier"]
    row = row.tocsr()
    coef = classifier.coef_[list(classifier.classes_).index(label)]
    contributions = [(row.data[k] * coef[j], j) for k, j in enumerate(row.indices)]
    names = features.get_feature_names_out()
    top = sorted((c for c in contributions if c[0] > 0), reverse=True)[:n]
    return [f"{names[j]} {c:+.2f}" for c, j in top]


__all__ = ["DEFAULT_METHOD", "METHODS", "lexicon_stance", "lexicon_stances", "load", "method_name",
           "model_cues", "model_stance", "model_stances", "predict_values", "score_target", "settings",
           "stances", "transformer_stances"]
