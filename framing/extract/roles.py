"""Narrative roles (docs/codebook.md section 7): how likely the article casts each actor as villain
(responsible for the problem or harm), hero (solves or could solve it) or victim (suffers from it).

The decision is learned (:mod:`framing.roles`), from features that are each traceable to words: for
every sentence that mentions the actor (its counted mentions), a row of sentence features
(:data:`SENTENCE_FEATURES`: the actor's blame codes in the sentence and their kinds, whether it blames
or speaks, its stance value, its grammatical cues from the base layer's ``roles`` word lists, and the
sentence's relevance to each generic frame, the frames model's query scores); the article's value of
each is the mean over those sentences; beside them, article features of the actor's salience
(:data:`ARTICLE_FEATURES`). One logistic regression per role. Because the model is linear in the
sentence means, each sentence's share of a decision is exact: the evidence rows are the sentences with
the largest shares.

Features: ``role_<role>__<actor>`` (probability; 0 when the article never mentions the actor) and
``role_<role>_present__<actor>`` (1 when the probability reaches the role's threshold, chosen on dev).
Evidence rows (family ``role``): for each mentioned actor and role, the sentences with the largest
positive share (up to two; ``label`` the role, ``value`` the probability, ``actor``; ``cue`` the
features that weighed most in that sentence; ``form`` ``present`` or ``absent``).
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from ..codebook import ACTOR_KINDS, Codebook
from ..corpus import Article
from ..evidence import Evidence, sentence_bounds, sentences, text_of
from ..stance import method_name
from . import Extractor, registry

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc

ROLES = ("villain", "hero", "victim")

BLAME_KINDS = ("accusation", "responsibility", "causal", "harmful_action")
SENTENCE_FEATURES = (
    "blamed",
    *(f"blamed_{k}" for k in BLAME_KINDS),
    "blames_other",
    "speaks",
    "stance",
    "stance_negative",
    "stance_positive",
    "subject_of_villain_verb",
    "subject_of_hero_verb",
    "subject_of_victim_verb",
    "object_of_harm_verb",
    "subject",
    "object",
    # the sentence's relevance to each generic frame (the frames model's query scores): resolution
    # sentences are where heroes act, human-interest sentences where victims suffer
    *(f"relevance_{f}" for f in ("resolution", "conflict", "human_interest", "moral", "economic")),
)
N_CUES = len(SENTENCE_FEATURES) - 5  # the features computed from words; the last five from the frames model
ARTICLE_FEATURES = (
    "log_mentions",
    "mention_share",
    "most_mentioned",
    "first_position",
    "in_first_sentence",
    "sentence_share",
    # the actor's kind in the codebook (one-hot; all 0 when the codebook does not say): the model's
    # prior that, say, an impersonal cause is a villain and the public a victim
    *(f"kind_{k}" for k in ACTOR_KINDS),
)


def featurize(
    doc: Doc, context: dict, lists: dict, frames=None, kinds: dict | None = None
) -> dict[str, dict]:
    """``{actor: {"sentences": [index...], "phi": array (n, len(SENTENCE_FEATURES)), "article": array
    (len(ARTICLE_FEATURES),)}}`` for every actor the article mentions. ``frames`` (a
    :class:`framing.frames.FrameModel`) gives the sentences' frame relevances (0 without it);
    ``kinds`` maps actor ids to their codebook kind (:data:`framing.codebook.ACTOR_KINDS`)."""
    kinds = kinds or {}
    mentions = [m for m in context.get("mentions", []) if m.counted]
    if not mentions:
        return {}
    rows = context.get("rows", {})
    spans = sentences(doc)[0]
    n_sentences = max(1, len(spans))
    text = text_of(doc)
    by_actor: dict[str, dict[int, list]] = {}
    for m in mentions:
        by_actor.setdefault(m.actor, {}).setdefault(m.sentence_index, []).append(m)
    counts = {a: sum(len(v) for v in s.values()) for a, s in by_actor.items()}
    total = sum(counts.values())
    top = max(counts.values())
    # the other extractors' rows, by (sentence, actor): read once, not once per actor and sentence
    blamed: dict[tuple, list] = {}
    blamers: set[tuple] = set()
    for b in rows.get("blame", []):
        if b.value > 0:
            blamed.setdefault((b.sentence_index, b.actor), []).append(b)
        if b.extra.get("attributor") != b.actor:
            blamers.add((b.sentence_index, b.extra.get("attributor")))
    stances: dict[tuple, list] = {}
    for row in rows.get("stance", []):
        stances.setdefault((row.sentence_index, row.actor), []).append(row.value)
    speakers = {(a.sentence_index, a.actor) for a in rows.get("attribution", [])}
    needed = sorted({i for s in by_actor.values() for i in s})
    vectors = {}
    if frames is not None and needed:
        from ..frames import vectors_for

        vectors = vectors_for(doc, context, frames.encoder, needed, frames.max_tokens)
    out = {}
    for actor, by_sentence in by_actor.items():
        indices = sorted(by_sentence)
        phi = np.zeros((len(indices), len(SENTENCE_FEATURES)), dtype=np.float32)
        for r, i in enumerate(indices):
            f = dict.fromkeys(SENTENCE_FEATURES, 0.0)
            for b in blamed.get((i, actor), []):
                f["blamed"] += b.value
                if b.label in BLAME_KINDS:
                    f[f"blamed_{b.label}"] += 1
            f["blames_other"] = float((i, actor) in blamers)
            f["speaks"] = float((i, actor) in speakers)
            values = stances.get((i, actor))
            if values:
                f["stance"] = float(np.mean(values))
                f["stance_negative"] = float(f["stance"] < -0.1)
                f["stance_positive"] = float(f["stance"] > 0.1)
            for m in by_sentence[i]:
                root = m.span.root
                head = root.head
                lemma = head.lemma_.lower()
                if root.dep_ in ("nsubj", "nsubjpass", "csubj"):
                    f["subject"] = 1.0
                    passive = root.dep_ == "nsubjpass"
                    if not passive:
                        f["subject_of_villain_verb"] = max(
                            f["subject_of_villain_verb"], float(lemma in lists["villain_verbs"])
                        )
                        f["subject_of_hero_verb"] = max(
                            f["subject_of_hero_verb"], float(lemma in lists["hero_verbs"])
                        )
                        f["subject_of_victim_verb"] = max(
                            f["subject_of_victim_verb"], float(lemma in lists["victim_verbs"])
                        )
                    elif lemma in lists["harm_verbs"]:
                        f["object_of_harm_verb"] = 1.0
                elif root.dep_ in ("dobj", "obj", "pobj", "dative"):
                    f["object"] = 1.0
                    verb = head.head if root.dep_ == "pobj" else head
                    if verb.lemma_.lower() in lists["harm_verbs"]:
                        f["object_of_harm_verb"] = 1.0
            phi[r, :N_CUES] = [f[k] for k in SENTENCE_FEATURES[:N_CUES]]
        first = min(m.span.start_char for s in by_sentence.values() for m in s)
        article = np.array(
            [
                math.log1p(counts[actor]),
                counts[actor] / total,
                float(counts[actor] == top),
                first / max(1, len(text)),
                float(0 in by_sentence),
                len(indices) / n_sentences,
                *(float(kinds.get(actor) == k) for k in ACTOR_KINDS),
            ],
            dtype=np.float32,
        )
        if vectors:
            phi[:, N_CUES:] = frames.relevance(np.stack([vectors[i] for i in indices]))
        out[actor] = {"sentences": indices, "phi": phi, "article": article}
    return out


def actor_kinds(codebook: Codebook) -> dict[str, str | None]:
    """``{actor id: kind}`` of the codebook's actors."""
    return {a.id: a.kind for a in codebook.actors.values()}


@registry.register("roles")
class Roles(Extractor):
    name = "roles"
    family = "role"
    reads_sentence_vectors = True
    requires = ("actors", "attribution", "blame", "stance")

    def __init__(self, codebook: Codebook, nlp=None, **options):
        from ..codebook import base_section
        from ..roles import load

        super().__init__(codebook, nlp)
        self.lists = codebook.sections.get("roles") or base_section("roles")
        self.model = load()
        trained_with = self.model.metadata.get("stance_method", "linear")  # before it was recorded: linear
        scoring_with = method_name(options.get("stance_method"))
        if trained_with != scoring_with:
            warnings.warn(f"the roles model was trained on the stance values of the {trained_with} method; "
                          f"scored with --stance-method {scoring_with}, its stance features read other "
                          "values, so its roles are not the ones its dev scores describe", stacklevel=2)

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        features = featurize(doc, context, self.lists, self.model.frames, actor_kinds(self.codebook))
        text = text_of(doc)
        spans = sentences(doc)[0]
        rows = []
        for actor in self.codebook.actor_ids:
            if actor not in features:
                continue
            decision = self.model.decide(features[actor])
            for role in ROLES:
                probability, shares, cue_of = decision[role]
                present = probability >= self.model.thresholds[role]
                order = sorted(range(len(shares)), key=lambda k: (-shares[k], k))
                picked = [k for k in order[:2] if shares[k] > 0] or order[:1]
                for k in picked if present else picked[:1]:
                    i = features[actor]["sentences"][k]
                    a, b = sentence_bounds(spans[i])
                    rows.append(
                        Evidence(
                            article_id=article.id,
                            family="role",
                            actor=actor,
                            label=role,
                            value=round(float(probability), 4),
                            start=a,
                            end=b,
                            sentence_start=a,
                            sentence_end=b,
                            sentence=text[a:b],
                            cue=cue_of(k),
                            form="present" if present else "absent",
                            sentence_index=i,
                            extra={"share": round(float(shares[k]), 4)},
                        )
                    )
        return rows

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, float]:
        out: dict[str, float] = {}
        for actor in self.codebook.actor_ids:
            for role in ROLES:
                mine = [r for r in rows if r.actor == actor and r.label == role]
                out[f"role_{role}__{actor}"] = mine[0].value if mine else 0.0
                out[f"role_{role}_present__{actor}"] = float(any(r.form == "present" for r in mine))
        return out

    def feature_names(self) -> list[str]:
        return [
            f"role_{role}{kind}__{actor}"
            for actor in self.codebook.actor_ids
            for role in ROLES
            for kind in ("", "_present")
        ]
