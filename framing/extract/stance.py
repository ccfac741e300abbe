"""Stance toward actors (docs/codebook.md section 3): per sentence, per actor it mentions or refers to.

For every sentence and every codebook actor with a counted mention in it, one evidence row (family
``stance``): ``start``/``end`` the actor's first mention in the sentence, ``label`` negative, neutral
or positive, ``value`` in [-1, 1], ``cue`` the features or lexicon terms that drove it, ``form`` the
method (see :mod:`framing.stance`). With several mentions of the actor in the sentence, the value
is the mean over its mentions (the model's class probabilities are averaged). A domain term of the
codebook counts only for the actor mentioned nearest to it in the sentence.

Voice (whose stance a row is): a row whose mention of the actor lies inside the content of an
attribution found by the ``attribution`` extractor ("The senator said *the president was reckless*")
is in that source's voice: ``voice`` ``source``, ``attributor`` the speaker's codebook actor (``other``
when the speaker is no codebook actor), ``source``, ``source_type``, ``origin`` the speaker's, as
blame rows carry them; every other row is in the author's voice (``voice`` ``author``, ``attributor``
``author``). The rule is blame's: the first attribution whose content holds the mention.

Features: ``stance_<actor>``, the article value (:mod:`framing.stance.article`: the mean of the
actor's sentence values in the author's voice, the sources' only when the author never writes about
the actor, less the shipped offset that puts a coder's neutral article near 0; missing when the actor
is never coded), and ``stance_n_<actor>`` (coded sentences); ``stance_mean_<actor>``, the plain mean of
every sentence value (the value before issue 29, kept for comparison); the mean and count in the
author's voice only (``stance_author_<actor>``, ``stance_author_n_<actor>``) and in sources' voices only
(``stance_sources_<actor>``, ``stance_sources_n_<actor>``). Each row's ``article_weight`` is its share of
the article value's mean (0 for a source's row the value leaves out), so the rows that drove it are
named with their voice and weight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..codebook import Codebook
from ..corpus import Article
from ..evidence import Evidence, evidence_for
from ..stance import method_name, settings, stances
from ..stance.article import Row as ArticleRow
from ..stance.article import load as article_model
from . import Extractor, registry
from .attribution import holding

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc


@registry.register("stance")
class Stance(Extractor):
    name = "stance"
    family = "stance"
    requires = ("actors", "attribution")  # attribution: whose voice a row is in
    version = 4  # 2: voice; 3: the article model's value and weights; 4: the voice-weighted mean

    def __init__(self, codebook: Codebook, nlp=None, stance_method: str | None = None, **options):
        super().__init__(codebook, nlp)
        self.method = method_name(stance_method)
        self.config = settings(codebook)
        stances(self.method, [], self.config)  # loads the method's model now: a broken install fails here
        if self.method == "transformer":
            from ..stance.transformer import load_transformer

            self.stance_heads = load_transformer().fingerprint

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        by_target: dict[tuple[int, str], list] = {}
        for m in context.get("mentions", []):
            by_target.setdefault((m.sentence_index, m.actor), []).append(m)
        in_sentence: dict[int, list] = {}
        for (sentence_index, actor), mentions in by_target.items():
            in_sentence.setdefault(sentence_index, []).extend((actor, m) for m in mentions)
        attributions = context.get("attributions", [])
        rows, targets = [], []
        for (sentence_index, actor), mentions in by_target.items():
            first = mentions[0]
            via = holding(attributions, first.span.start_char)
            if via is None:
                voice, speaker = {"voice": "author", "attributor": "author"}, {}
            else:
                voice = {"voice": "source", "attributor": via.actor or "other"}
                speaker = {"source": via.source, "source_type": via.source_type, "origin": via.origin}
            row = evidence_for(article.id, "stance", first.span, sentence_index, actor=actor,
                               label="", value=0.0, form=self.method, extra=voice, **speaker)
            examples = [(row.sentence, m.span.start_char - row.sentence_start,
                         m.span.end_char - row.sentence_start) for m in mentions]
            others = tuple((m.span.start_char - row.sentence_start, m.span.end_char - row.sentence_start)
                           for a, m in in_sentence[sentence_index] if a != actor)
            rows.append(row)
            targets.append((examples, others))
        for row, (label, value, cues) in zip(rows, stances(self.method, targets, self.config)):
            row.label, row.value, row.cue = label, value, "; ".join(cues)
        rows.sort(key=lambda r: (r.sentence_index, r.start))
        model = article_model(self.method)
        for mine in _by_actor(rows).values():  # each row's share of its actor's article value
            for row, weight in zip(mine, model.weights(_article_rows(mine))):
                row.extra["article_weight"] = float(weight)
        return rows

    def feature_names(self) -> list[str]:
        actors = self.codebook.actor_ids
        return [f"{prefix}{a}" for prefix in ("stance_", "stance_n_", "stance_mean_", "stance_author_",
                                              "stance_author_n_", "stance_sources_", "stance_sources_n_")
                for a in actors]

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, float]:
        out: dict[str, float] = {}
        by_actor, model = _by_actor(rows), article_model(self.method)
        for a in self.codebook.actor_ids:
            mine = by_actor.get(a, [])
            # the rows' weights were set in extract: the value is their weighted mean, shifted
            out[f"stance_{a}"] = model.shifted(sum(r.extra["article_weight"] * r.value for r in mine)) \
                if mine else float("nan")
            out[f"stance_n_{a}"] = len(mine)
            out[f"stance_mean_{a}"] = float(np.mean([r.value for r in mine])) if mine else float("nan")
            for prefix, voice in (("stance_author_", "author"), ("stance_sources_", "source")):
                values = [r.value for r in mine if r.extra.get("voice") == voice]
                out[f"{prefix}{a}"] = float(np.mean(values)) if values else float("nan")
                out[f"{prefix}n_{a}"] = len(values)
        return out


def _by_actor(rows: list[Evidence]) -> dict[str, list[Evidence]]:
    by_actor: dict[str, list[Evidence]] = {}
    for row in rows:
        by_actor.setdefault(row.actor, []).append(row)
    return by_actor


def _article_rows(rows: list[Evidence]) -> list[ArticleRow]:
    return [ArticleRow(r.value, r.extra.get("voice", "author")) for r in rows]

