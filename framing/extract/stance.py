"""Stance toward actors (docs/codebook.md section 3): per sentence, per actor it mentions or refers to.

For every sentence and every codebook actor with a counted mention in it, one evidence row (family
``stance``): ``start``/``end`` the actor's first mention in the sentence, ``label`` negative, neutral
or positive, ``value`` in [-1, 1], ``cue`` the features or lexicon terms that drove it, ``form`` the
method (see :mod:`framing.stance`). With several mentions of the actor in the sentence, the value
is the mean over its mentions (the model's class probabilities are averaged). A domain term of the
codebook counts only for the actor mentioned nearest to it in the sentence.

Features: ``stance_<actor>`` (mean of the article's sentence values, missing when the actor is never
coded) and ``stance_n_<actor>`` (coded sentences).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.tokens import Doc

from ..codebook import Codebook, section_validator
from ..corpus import Article
from ..errors import CodebookError
from ..evidence import Evidence, evidence_for
from ..stance import method_name, settings, stances
from . import Extractor, registry


@section_validator("stance")
def _validate_stance(codebook: Codebook, value: Any, where: str) -> dict:
    if not isinstance(value, dict) or set(value) - {"window", "domain_window", "neutral_band", "lexicon"}:
        raise CodebookError(f"{where}: expected window, domain_window, neutral_band and lexicon")
    for key in ("window", "domain_window"):
        size = value.get(key, 8)
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise CodebookError(f"{where}.{key}: expected a whole number of words >= 1")
    band = value.get("neutral_band", 0.1)
    if not isinstance(band, (int, float)) or not 0 <= band < 1:
        raise CodebookError(f"{where}.neutral_band: expected a number in [0, 1)")
    lexicon = value.get("lexicon", {})
    if not isinstance(lexicon, dict):
        raise CodebookError(f"{where}.lexicon: expected a mapping of term to weight in [-1, 1]")
    for term, weight in lexicon.items():
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not -1 <= weight <= 1:
            raise CodebookError(f"{where}.lexicon.{term}: expected a weight in [-1, 1], got {weight!r}")
    return value


@registry.register("stance")
class Stance(Extractor):
    name = "stance"
    family = "stance"
    requires = ("actors",)

    def __init__(self, codebook: Codebook, nlp=None, stance_method: str | None = None, **options):
        super().__init__(codebook, nlp)
        self.method = method_name(stance_method)
        self.config = settings(codebook)
        stances(self.method, [], self.config)  # loads the method's model now: a broken install fails here

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        by_target: dict[tuple[int, str], list] = {}
        for m in context.get("mentions", []):
            by_target.setdefault((m.sentence_index, m.actor), []).append(m)
        in_sentence: dict[int, list] = {}
        for (sentence_index, actor), mentions in by_target.items():
            in_sentence.setdefault(sentence_index, []).extend((actor, m) for m in mentions)
        rows, targets = [], []
        for (sentence_index, actor), mentions in by_target.items():
            first = mentions[0]
            row = evidence_for(article.id, "stance", first.span, sentence_index, actor=actor,
                               label="", value=0.0, form=self.method)
            examples = [(row.sentence, m.span.start_char - row.sentence_start,
                         m.span.end_char - row.sentence_start) for m in mentions]
            others = tuple((m.span.start_char - row.sentence_start, m.span.end_char - row.sentence_start)
                           for a, m in in_sentence[sentence_index] if a != actor)
            rows.append(row)
            targets.append((examples, others))
        for row, (label, value, cues) in zip(rows, stances(self.method, targets, self.config)):
            row.label, row.value, row.cue = label, value, "; ".join(cues)
        return sorted(rows, key=lambda r: (r.sentence_index, r.start))

    def feature_names(self) -> list[str]:
        actors = self.codebook.actor_ids
        return [f"stance_{a}" for a in actors] + [f"stance_n_{a}" for a in actors]

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, float]:
        out: dict[str, float] = {}
        for a in self.codebook.actor_ids:
            values = [r.value for r in rows if r.actor == a]
            out[f"stance_{a}"] = float(np.mean(values)) if values else float("nan")
            out[f"stance_n_{a}"] = len(values)
        return out
