"""Attributed blame (docs/codebook.md section 2): who is presented as responsible for harm, by whom, how.

The blamed actor is found by its grammatical role, never by co-occurrence with a harm word:

- ``accusation``: the object of an accusation verb ("X accused the Taliban of ..."), the subject of
  its passive; the accuser (subject, or "by" agent) is the attributor. "X and Y accuse each other"
  codes each as blaming the other;
- ``responsibility``: the subject of "claimed/took/bore responsibility"; the agent of a decision that
  a copula names as the blame ("The blame is the hasty decision of the United States"); the subject
  of "is responsible for";
- ``causal``: the agent (possessor, compound, "of"/"by" phrase) of a decision or action noun that
  causes a harm: it is the subject of a causal verb ("the power vacuum that this withdrawal left"),
  the object of a causal connective ("following the U.S. withdrawal"), holds a harm noun in its
  phrase, or has a harmful purpose ("an action by Washington, the goal of which is to maximize the
  tension"); "this withdrawal" goes back to the agents of the same noun in the previous two sentences;
  an actor that is itself the subject of a causal verb with a harm;
- ``harmful_action``: the subject of a violent verb ("militants attacked the commissariat"), of a light
  verb with a violent object ("launched an offensive", "took control"), the agent of their passive,
  or the agent of a violent noun ("the Taliban attack", "invasion by Taliban");
- ``denial``: the subject of "denied responsibility" (recorded, weight 0);
- the codebook's dependency ``patterns`` (rules as data, base layer and case): each codes one of the
  kinds above, or a kind of its own that the codebook names and weighs (``weights``), so a new kind of
  blame is a codebook edit.

One sentence keeps one code per actor and attributor, the first kind in ``KINDS`` order, then the
codebook's own kinds in pattern order (a denial is kept beside it). A negated verb ("did not capture
a single one") and a conditional clause ("If the Taliban took ...") are not coded; a modal or hedge
word ("may", "reportedly") codes the
blame with ``hedged`` true. An actor that only suffers harm (object, victim) is never blamed.

The attributor is ``author``; or, when the cue lies inside an attribution's content, the codebook
actor of its speaker (``other`` when the speaker is no codebook actor); or the actor itself for a
self-claimed or self-denied responsibility. Lexicons and weights are the codebook's ``blame`` section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..codebook import Codebook
from ..corpus import Article
from ..evidence import Evidence, sentence_of, sentences_covering, text_of
from ..sections import BLAME_KINDS as KINDS
from ..sections import BLAME_LISTS as _LISTS
from . import Extractor, registry
from .actors import sentence_indices
from .attribution import holding
from .dependency import DependencyPatterns
from .lookup import Words

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc, Span, Token

_AGENT_DEPS = {"poss", "compound", "amod", "nmod"}
_ANAPHORIC_DETS = {"this", "that", "the", "such"}


@dataclass
class BlameCode:
    actor: str
    kind: str
    mention: Span
    cue: Span
    sentence: int
    attributor: str = "author"
    hedged: bool = False
    via: Any = None  # the attribution whose content holds the cue, if any


class BlameFinder:
    """Finds blame codes in a parsed ``Doc`` from its actor mentions and attributions."""

    def __init__(self, codebook: Codebook):
        spec = codebook.section("blame", needed_by="blame")
        self.weights = dict(spec["weights"])
        self.words = {key: {w.lower() for w in spec.get(key, [])} for key in _LISTS}
        self.connectives = [w.lower().split() for w in spec["causal_connectives"]]
        self.patterns = list(spec.get("patterns") or [])  # filled in by the section's validator
        # precedence within a sentence: the built-in kinds, then the codebook's own in pattern order
        own = [k for k in dict.fromkeys(p["kind"] for p in self.patterns) if k not in KINDS]
        self.kinds = list(KINDS) + own
        self._matcher = DependencyPatterns([p["pattern"] for p in self.patterns])
        self._verb_lemmas = set().union(*(self.words[k] for k in (  # the verbs a rule of _verb codes
            "denial_verbs", "accusation_verbs", "claim_verbs", "violent_verbs", "light_verbs",
            "causal_verbs")))
        self._noun_lemmas = set().union(*(self.words[k] for k in ("violent_nouns", "blame_nouns",
                                                                   "responsible_words", "decision_nouns")))
        self._rule_lemmas = Words("LEMMA", self._verb_lemmas | self._noun_lemmas, lowercase=True)

    def __call__(self, doc: Doc, mentions: list, attributions: list) -> list[BlameCode]:
        self.doc, self.sent_of = doc, sentence_indices(doc)
        self.mention_at = {i: m for m in mentions for i in range(m.span.start, m.span.end)}
        self.attributions = attributions
        codes: list[BlameCode] = []
        # the tokens a verb or noun rule reads (their lemma is in a rule's lexicon), in text order
        for i in self._rule_lemmas.indices(doc):
            token = doc[i]
            if token.pos_ in ("VERB", "AUX"):
                codes += self._verb(token)
            elif token.pos_ in ("NOUN", "PROPN", "ADJ"):
                codes += self._noun(token)
        codes += self._patterns(doc)
        # one code per sentence, actor and attributor: the strongest kind (a denial stands apart)
        unique: dict[tuple, BlameCode] = {}
        for code in codes:
            key = (code.sentence, code.actor, code.attributor, code.kind == "denial")
            if key not in unique or self.kinds.index(code.kind) < self.kinds.index(unique[key].kind):
                unique[key] = code
        return sorted(unique.values(), key=lambda c: (c.sentence, c.mention.start))

    # -- verbs -----------------------------------------------------------------------------------
    def _verb(self, verb: Token) -> list[BlameCode]:
        w, lemma = self.words, verb.lemma_.lower()
        if lemma not in self._verb_lemmas:
            return []  # no rule below codes this verb
        objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
        object_lemmas = {o.lemma_.lower() for o in objects}
        if lemma in w["denial_verbs"] and object_lemmas & w["responsibility_nouns"]:
            return [self._code(m.actor, "denial", m.span, verb, attributor=m.actor)
                    for m in self._actors_of(_subjects(verb))]
        if self._negated(verb) or self._conditional(verb):
            return []
        if lemma in w["accusation_verbs"]:
            return self._accusation(verb, objects)
        if lemma in w["claim_verbs"] and object_lemmas & w["responsibility_nouns"]:
            return [self._code(m.actor, "responsibility", m.span, verb, attributor=m.actor)
                    for m in self._actors_of(_subjects(verb))]
        violent = lemma in w["violent_verbs"] or (
            lemma in w["light_verbs"] and any(o.lemma_.lower() in w["violent_objects"]
                                              and not self._institutional(o) for o in objects))
        if violent:
            agents = _passive_agents(verb) if _is_passive(verb) else _subjects(verb)
            return [self._code(m.actor, "harmful_action", m.span, verb) for m in self._actors_of(agents)]
        if lemma in w["causal_verbs"]:
            codes = []
            subjects = _subjects(verb)
            if not subjects and verb.dep_ in ("acl", "relcl"):  # "this withdrawal left ..." (reduced)
                subjects = [verb.head]
            for subject in subjects:
                for m in self._decision_agents(subject):
                    codes.append(self._code(m.actor, "causal", m.span, verb))
                if self._harm_in(verb):
                    codes += [self._code(m.actor, "causal", m.span, verb)
                              for m in self._actors_of([subject])]
            return codes
        return []

    def _patterns(self, doc: Doc) -> list[BlameCode]:
        """Codes of the codebook's dependency patterns: the actors in the phrase of node ``blamed``."""
        if not self.patterns:
            return []
        codes = []
        for index, tokens in sorted(self._matcher(doc), key=lambda m: m[1]):
            spec = self.patterns[index]
            names = [node["RIGHT_ID"] for node in spec["pattern"]]
            cue, blamed = doc[tokens[names.index(spec["cue"])]], doc[tokens[names.index(spec["blamed"])]]
            verb = cue if cue.pos_ in ("VERB", "AUX") else cue.head
            if self._negated(verb) or self._conditional(verb):
                continue
            codes += [self._code(m.actor, spec["kind"], m.span, cue) for m in self._actors_of([blamed])]
        return codes

    def _complement_is_harm(self, word: Token, preps: tuple[str, ...]) -> bool:
        """For a duty word ("responsible for", "charged with"): False when its complement is a duty or
        solution ("responsible for addressing the emissions") or names no harm; True without one."""
        complements = [o for p in word.children if p.dep_ == "prep" and p.lower_ in preps
                       for o in p.children if o.dep_ in ("pobj", "pcomp")]
        if not complements:
            return True
        w = self.words
        harms = (w["harm_nouns"] | w["violent_nouns"] | w["violent_verbs"] | w["causal_verbs"]
                 | w["decision_nouns"])
        for c in complements:
            if c.lemma_.lower() in w["solution_verbs"]:
                return False
            if any(t.lemma_.lower() in harms for t in c.subtree):
                return True
        return False

    def _accusation(self, verb: Token, objects: list[Token]) -> list[BlameCode]:
        duty = verb.lemma_.lower() in self.words["duty_words"]
        if duty and not self._complement_is_harm(verb, ("with", "of", "for")):
            return []  # "charged with protecting the state's laws": a duty, not an accusation
        if _is_passive(verb):
            blamed = self._actors_of(_subjects(verb, passive=True))
            accusers = self._actors_of(_passive_agents(verb))
        else:
            blamed = self._actors_of(objects)
            blamed += self._actors_of([o for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"
                                       for o in c.children if c.dep_ == "pobj"])
            accusers = self._actors_of(_subjects(verb))
        if any(o.lower_ == "other" and any(c.lower_ in ("each", "one") for c in o.children)
               for o in objects):  # "X and Y accuse each other"
            return [self._code(b.actor, "accusation", b.span, verb, attributor=a.actor)
                    for b in accusers for a in accusers if a.actor != b.actor]
        attributor = accusers[0].actor if accusers else None
        return [self._code(m.actor, "accusation", m.span, verb, attributor=attributor) for m in blamed]

    # -- nouns -----------------------------------------------------------------------------------
    def _institutional(self, obj: Token) -> bool:
        """"take control of the House": a violent object whose "of" phrase is an institution, not a
        territory."""
        return any(t.lemma_.lower() in self.words["institution_nouns"] for p in obj.children
                   if p.dep_ == "prep" and p.lower_ == "of" for t in p.subtree)

    def _noun(self, noun: Token) -> list[BlameCode]:
        w, lemma = self.words, noun.lemma_.lower()
        if lemma not in self._noun_lemmas:  # no rule below reads this noun: skip the clause checks
            return []
        if self._negated(noun.head) or self._conditional(noun.head):
            return []
        if lemma in w["violent_nouns"]:
            return [self._code(m.actor, "harmful_action", m.span, noun) for m in self._agents(noun)]
        if lemma in w["blame_nouns"] and noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
            attrs = [c for c in noun.head.children if c.dep_ in ("attr", "acomp")]
            return [self._code(m.actor, "responsibility", m.span, noun)
                    for a in attrs for m in self._decision_agents(a, anaphora=False) or self._agents(a)]
        if lemma in w["responsible_words"] and noun.dep_ == "acomp":
            if lemma in w["duty_words"] and not self._complement_is_harm(noun, ("for",)):
                return []  # "responsible for addressing the emissions": a duty, not a blame
            return [self._code(m.actor, "responsibility", m.span, noun)
                    for m in self._actors_of(_subjects(noun.head))]
        if lemma in w["decision_nouns"] and self._causes_harm(noun):
            return [self._code(m.actor, "causal", m.span, noun) for m in self._decision_agents(noun)]
        return []

    def _causes_harm(self, noun: Token) -> bool:
        """A decision noun linked to a harm: object of a causal connective, or a harm in its phrase."""
        head = noun.head
        if noun.dep_ == "pobj":
            words = [t.lower_ for t in self.doc[max(head.i - 3, 0):head.i + 1]]
            if any(words[-len(c):] == c for c in self.connectives):
                return True
        phrase = [t for t in noun.subtree if t.i != noun.i]
        if any(t.lemma_.lower() in self.words["harm_nouns"] for t in phrase):
            return True
        sent = sentence_of(noun)
        for purpose in self.doc[noun.i + 1:min(noun.i + 8, sent.end)]:
            if purpose.lemma_.lower() in self.words["purpose_nouns"]:
                clause = purpose.head if purpose.dep_ in ("nsubj", "nsubjpass") else purpose
                if any(t.lemma_.lower() in self.words["harm_nouns"] | self.words["causal_verbs"]
                       for t in clause.subtree):
                    return True
        # "... is a well-thought-out act aimed at annoying Russia": the predicate of a copula
        if noun.dep_ == "nsubj" and head.lemma_ == "be":
            predicate = [t for c in head.children if c.dep_ in ("attr", "acomp") for t in c.subtree]
            return any(t.lemma_.lower() in self.words["causal_verbs"] | self.words["harm_nouns"]
                       for t in predicate)
        return False

    # -- who is the agent ------------------------------------------------------------------------
    def _agents(self, noun: Token) -> list:
        """Actors that are the agent of a noun: possessor, compound, "of"/"by"/"on the part of" phrase."""
        agents = [c for c in noun.children if c.dep_ in _AGENT_DEPS]
        for prep in (c for c in noun.children if c.dep_ == "prep"):
            if prep.lower_ in ("of", "by") and prep.i == noun.i + 1:  # "the advance of the Taliban"
                agents += [o for o in prep.children if o.dep_ == "pobj"]
            elif prep.lower_ == "on":  # "on the part of Taliban militants"
                agents += [o2 for o in prep.children if o.dep_ == "pobj" and o.lower_ == "part"
                           for p2 in o.children if p2.lower_ == "of"
                           for o2 in p2.children if o2.dep_ == "pobj"]
        if noun.dep_ == "compound" and noun.head.lower_ in ("part",):
            agents.append(noun.head)
        return self._actors_of(agents)

    def _decision_agents(self, noun: Token, anaphora: bool = True) -> list:
        """Agents of a decision noun; "this withdrawal" goes back to the same noun's recent agents."""
        if noun.lemma_.lower() not in self.words["decision_nouns"]:
            return []
        agents = self._agents(noun)
        if agents or not anaphora:
            return agents
        if not any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in noun.children):
            return []
        sentence = self.sent_of[noun.i]
        earlier = [t for t in self.doc[:noun.i] if t.lemma_ == noun.lemma_
                   and sentence - self.sent_of[t.i] <= 2]
        found = []
        for t in earlier:
            for m in self._agents(t):
                if m.actor not in {f.actor for f in found}:
                    found.append(m)
        return found

    def _actors_of(self, tokens) -> list:
        """Counted actor mentions in the noun phrases headed by ``tokens`` (and their conjuncts)."""
        out = []
        for token in tokens:
            for head in (token, *token.conjuncts):
                phrase = self.doc[head.left_edge.i:head.i + 1]
                for t in phrase:
                    m = self.mention_at.get(t.i)
                    if m is not None and m not in out:
                        out.append(m)
        return out

    # -- qualifiers ------------------------------------------------------------------------------
    def _negated(self, verb: Token) -> bool:
        return any(c.dep_ == "neg" for c in verb.children)

    def _conditional(self, verb: Token) -> bool:
        clause = verb
        for _ in range(4):
            if any(c.dep_ == "mark" and c.lower_ in self.words["conditionals"] for c in clause.children):
                return True
            if clause.head.i == clause.i:
                return False
            clause = clause.head
        return False

    def _hedged(self, cue: Token) -> bool:
        verb = cue if cue.pos_ in ("VERB", "AUX") else cue.head
        return any(c.lower_ in self.words["hedges"] for c in verb.children)

    def _harm_in(self, verb: Token) -> bool:
        return any(t.lemma_.lower() in self.words["harm_nouns"] for c in verb.children
                   if c.dep_ not in ("nsubj", "nsubjpass") for t in c.subtree)

    def _code(self, actor: str, kind: str, mention: Span, cue: Token, attributor: str | None = None,
              ) -> BlameCode:
        via = holding(self.attributions, cue.idx)
        if attributor is None:
            attributor = (via.actor or "other") if via is not None else "author"
        return BlameCode(actor, kind, mention, self.doc[cue.i:cue.i + 1], self.sent_of[cue.i],
                         attributor, self._hedged(cue), via)


def _subjects(verb: Token, passive: bool = False) -> list[Token]:
    deps = {"nsubjpass"} if passive else {"nsubj"}
    found = [c for c in verb.children if c.dep_ in deps]
    if not found and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        found = [c for c in verb.head.children if c.dep_ in deps]
    return found


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _passive_agents(verb: Token) -> list[Token]:
    return [o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]


@registry.register("blame")
class Blame(Extractor):
    """Evidence rows (family ``blame``) and features ``blame_score_<actor>``, ``blame_share_<actor>``."""

    name = "blame"
    family = "blame"
    requires = ("actors", "attribution")

    def __init__(self, codebook: Codebook, nlp=None, **options):
        super().__init__(codebook, nlp)
        self.finder = BlameFinder(codebook)

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        codes = self.finder(doc, context.get("mentions", []), context.get("attributions", []))
        return [self._row(doc, article, c) for c in codes]

    def _row(self, doc: Doc, article: Article, c: BlameCode) -> Evidence:
        lo = min(c.mention.start_char, c.cue.start_char)
        hi = max(c.mention.end_char, c.cue.end_char)
        s_start, s_end = sentences_covering(doc, lo, hi)
        via = c.via
        return Evidence(
            article_id=article.id, family="blame", actor=c.actor, label=c.kind,
            value=float(self.finder.weights[c.kind]), start=c.mention.start_char,
            end=c.mention.end_char, sentence_start=s_start, sentence_end=s_end,
            sentence=text_of(doc)[s_start:s_end], cue=c.cue.text,
            source=via.source if via is not None else "", source_type=via.source_type if via else "",
            origin=via.origin if via is not None else "", form=via.form if via is not None else "",
            sentence_index=c.sentence,
            extra={"attributor": c.attributor, "hedged": c.hedged, "cue_start": c.cue.start_char,
                   "cue_end": c.cue.end_char},
        )

    def feature_names(self) -> list[str]:
        actors = self.codebook.actor_ids
        # who blames whom is the blame_pairs table (framing.tidy), not |actors|^2 columns here
        return ([f"blame_score_{a}" for a in actors] + [f"blame_share_{a}" for a in actors]
                + [f"denials_{a}" for a in actors])

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, float]:
        actors = self.codebook.actor_ids
        scores = {a: sum(r.value for r in rows if r.actor == a) for a in actors}
        total = sum(scores.values())
        out: dict[str, float] = {f"blame_score_{a}": scores[a] for a in actors}
        out.update({f"blame_share_{a}": (scores[a] / total if total else 0.0) for a in actors})
        out.update({f"denials_{a}": sum(1 for r in rows if r.actor == a and r.label == "denial")
                    for a in actors})
        return out
