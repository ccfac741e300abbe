"""Attributions (docs/codebook.md section 4): who is quoted or cited, in what form, of what type and origin.

Forms, found with the dependency parse and the quotations of :mod:`framing.extract.quotes`:

- ``direct``: a quotation whose speaker is the subject of a reporting verb outside it in the sentence
  that ends or starts it ("“...,” Peskov said"; "said Vladimir Zainetdinov"); a quotation with no
  such verb that follows a sentence with an attribution continues that speaker (one attribution);
- ``partial``: a quotation inside reported speech, i.e. not opening its sentence and not set off by a
  comma, colon or dash ("told the media that the situation is "very alarming"");
- ``indirect``: a reporting verb (codebook ``sourcing.reporting_verbs``) with a subject and a clausal
  complement, no quotation ("the Defence Ministry said troops will ..."), or a speech act
  (``sourcing.speech_act_verbs``: "reported several attempts", "called the plan a failure") with a
  subject and an object; including report nouns
  ("recent reports by Bloomberg and Reuters say ...": one attribution per reporter);
- ``according_to``: "according to X", "X cited Y as saying" (the source is Y; X is kept in ``via``),
  "as reported by X".

One sentence may hold several attributions; the same speaker twice in one sentence counts once, with
the strongest form (direct > partial > indirect > according_to). A quoted speaker whose reporting verb
lies inside another quotation is not an attribution. The speaker is resolved to a canonical name:
a surname to the full name used earlier, "he"/"she" to the most recent named person who spoke, and
the codebook's ``sourcing.anaphors`` ("the expert", "the diplomat", "the statement") to the most
recent speaker of that type; a pronoun or anaphor that cannot be resolved is not coded ("when in
doubt, do not code"). Source type and origin come from the codebook's ``sourcing`` section (named
sources, title words, anonymous sources) and from the actor mentions inside the speaker's words.

Evidence rows (family ``attribution``): ``start``/``end`` the content span; added columns
``source_start``, ``source_end``, ``cue_start``, ``cue_end`` (empty where the text has none),
``speaker_text``, ``named`` and ``via``; ``actor`` is the codebook actor the source belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..codebook import Codebook
from ..corpus import Article
from ..evidence import Evidence, sentence_bounds, sentence_of, sentences_covering, text_of
from . import Extractor, registry
from .actors import sentence_indices
from .lookup import Words
from .quotes import Quote, find_quotes

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc, Span, Token

FORMS = ("direct", "partial", "indirect", "according_to")
_STRENGTH = {form: rank for rank, form in enumerate(reversed(FORMS))}
_SUBJECTS = {"nsubj"}  # a passive subject ("much is believed to") is not a speaker
_OBJECT_REPORTS = {"report", "announce", "reveal", "confirm", "note"}  # "reported several attempts"
_COMPLEMENTS = {"ccomp", "xcomp", "parataxis"}
_PRONOUNS = {"he", "she", "him", "her"}
_UNRESOLVED = {"they", "it", "we", "i", "you", "this", "that", "one", "who", "which"}
_SET_OFF = {",", ":", "—", "–", "-", "(", ""}
_DETERMINERS = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


@dataclass
class Attribution:
    form: str
    content: tuple[int, int]
    speaker: Span | None
    cue: Span | None
    sentence: int
    via: str = ""
    source: str = ""
    source_type: str = ""
    origin: str = ""
    actor: str = ""
    named: bool = False
    extra_sentences: tuple[int, ...] = field(default_factory=tuple)


class AttributionFinder:
    """Finds attributions in a parsed ``Doc`` by the codebook's ``sourcing`` section."""

    def __init__(self, codebook: Codebook):
        spec = codebook.section("sourcing", needed_by="attribution")
        self.spec = spec
        self.object_verbs = {v.lower() for v in spec["speech_act_verbs"]} | _OBJECT_REPORTS
        self.verbs = {v.lower() for v in spec["reporting_verbs"]} | self.object_verbs
        self.report_nouns = {v.lower() for v in spec["report_nouns"]}
        self.sources = [(name, entry, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)"))
                        for name, entry in sorted(((k.lower(), v) for k, v in spec["sources"].items()),
                                                  key=lambda kv: -len(kv[0]))]
        # one search per kind: a speaker's words name one of its titles (any case, whole words)
        self.titles = [(kind, _phrases_pattern(phrases))
                       for kind, phrases in spec["titles"].items() if phrases]
        self.anonymous = {p.lower() for p in spec["anonymous"]}
        self.full_names = {short: person.name for actor in codebook.actors.values()
                           for person in actor.persons for short in (person.name, *person.short)}
        self.anaphors = {p.lower(): ("any" if k == "any" else [k] if isinstance(k, str) else list(k))
                         for p, k in spec["anaphors"].items()}
        # the tokens _indirect and _according_to can start from (their own first tests)
        self._cue_lemmas = Words("LEMMA", self.verbs | {"cite", "report"}, lowercase=True)
        self._according = Words("LOWER", ["according"])

    # -- finding ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc, mentions: list) -> list[Attribution]:
        sent_of = sentence_indices(doc)
        quotes = find_quotes(text_of(doc))
        in_quote = _quote_index(doc, quotes)
        found: list[Attribution] = []
        used_cues: set[int] = set()
        by_sentence: dict[int, list[Attribution]] = {}
        pending: list[tuple[Quote, Token, Token]] = []
        for quote in quotes:
            first = _token_at(doc, quote.start)
            last = _token_at(doc, max(quote.start, quote.end - 1))
            if first is None or last is None:
                continue
            verb = self._verb_for_quote(doc, first, last, in_quote)
            if verb is None:
                pending.append((quote, first, last))
                continue
            form = "direct" if self._set_off(doc, quote, first) else "partial"
            used_cues.add(verb.i)
            found.append(Attribution(form, (quote.start, quote.end), _speaker_span(_subject(verb), in_quote),
                                     _cue_span(verb), sent_of[verb.i],
                                     extra_sentences=(sent_of[first.i], sent_of[last.i])))

        # the tokens the two rules below can start from (their own first tests), in text order
        starts = {*self._cue_lemmas.indices(doc), *self._according.indices(doc)}
        for i in sorted(starts):
            if i in used_cues or in_quote[i] is not None:
                continue
            token = doc[i]
            found += self._indirect(doc, token, in_quote, sent_of)
            found += self._according_to(doc, token, in_quote, sent_of)

        # A quotation with no reporting verb of its own, set off as a whole, right after a sentence
        # with an attribution, continues that speaker ("According to X, ...". "<quote>").
        for quote, first, last in pending:
            previous = [a for a in found if a.speaker is not None
                        and max((a.sentence, *a.extra_sentences)) == sent_of[first.i] - 1]
            inner = text_of(doc)[quote.start:quote.end]
            is_sentence = len(inner.split()) >= 5 and any(p in inner for p in ".!?,")
            if previous and is_sentence and self._set_off(doc, quote, first):  # not a heading
                lead = previous[-1]
                found.append(Attribution("direct", (quote.start, quote.end), lead.speaker, None,
                                         lead.sentence, via=lead.via,
                                         extra_sentences=(sent_of[first.i], sent_of[last.i])))

        found.sort(key=lambda a: (a.sentence, a.content[0]))
        resolved = self._resolve(doc, found, mentions)
        for a in resolved:
            by_sentence.setdefault(a.sentence, []).append(a)
        return _strongest_per_speaker(by_sentence)

    def _verb_for_quote(self, doc, first: Token, last: Token, in_quote) -> Token | None:
        """The reporting verb outside quotations nearest the quote, after it or before it."""
        after = [t for t in doc[last.i + 1:sentence_of(last).end] if self._is_cue(t, in_quote)]
        before = [t for t in doc[sentence_of(first).start:first.i] if self._is_cue(t, in_quote)]
        for verb in (after[:1] + before[::-1][:1]):
            return verb
        return None

    def _is_cue(self, token: Token, in_quote) -> bool:
        return (token.lemma_.lower() in self.verbs and token.pos_ in ("VERB", "AUX")
                and in_quote[token.i] is None and _subject(token) is not None)

    def _set_off(self, doc, quote: Quote, first: Token) -> bool:
        """A quotation that opens its sentence or is set off by punctuation is direct, else partial."""
        before = text_of(doc)[:quote.start].rstrip(" \t")
        previous = before[-1:] if before else ""
        return previous in _SET_OFF or previous == "\n" or first.i == sentence_of(first).start or \
            text_of(doc)[quote.start - 1:quote.start] == "\n"

    def _indirect(self, doc, token: Token, in_quote, sent_of) -> list[Attribution]:
        if token.lemma_.lower() not in self.verbs or token.pos_ not in ("VERB", "AUX"):
            return []
        complement = next((c for c in token.children if c.dep_ in _COMPLEMENTS
                           and c.pos_ in ("VERB", "AUX", "ADJ", "NOUN")), None)
        if complement is None:  # "TASS reported." after the clause it reports
            head = token.head
            if token.dep_ == "parataxis" and head.pos_ in ("VERB", "AUX"):
                complement = head
            elif token.lemma_.lower() in self.object_verbs:  # "reported several attempts to cross"
                complement = next((c for c in token.children if c.dep_ in ("dobj", "obj", "oprd")
                                   and c.pos_ in ("NOUN", "PROPN", "PRON")), None)
        subject = _subject(token)
        if complement is None or subject is None:
            return []
        content = _content_span(complement, token)
        if content is None:
            return []
        speakers = [subject]
        if subject.lemma_.lower() in self.report_nouns or subject.lower_ in self.report_nouns:
            by = [c for c in subject.children if c.dep_ == "prep" and c.lower_ == "by"]
            objects = [o for p in by for o in p.children if o.dep_ == "pobj"]
            if objects:
                speakers = [o for obj in objects for o in [obj, *_conjuncts(obj)]]
        out = []
        for s in speakers:
            speaker = _speaker_span(s, in_quote, narrow=len(speakers) > 1)
            if speaker is not None and content[0] < speaker.end_char and speaker.start_char < content[1]:
                continue  # the parse put the speaker inside the content: not a usable attribution
            out.append(Attribution("indirect", content, speaker, _cue_span(token), sent_of[token.i]))
        return out

    def _according_to(self, doc, token: Token, in_quote, sent_of) -> list[Attribution]:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            to = doc[token.i + 1]
            objects = [c for c in to.children if c.dep_ == "pobj"] or \
                      [c for c in token.children if c.dep_ == "pobj"]
            if not objects:
                return []
            speaker = _speaker_span(objects[0], in_quote)
            content = _rest_of_sentence(sentence_of(token), token.i, speaker.end if speaker else to.i + 1)
            return [Attribution("according_to", content, speaker, doc[token.i:token.i + 2],
                                sent_of[token.i])] if content else []
        if token.lemma_.lower() == "cite":
            as_saying = any(c.lower_ == "as" for c in token.children)
            objects = [c for c in token.children if c.dep_ in ("dobj", "obj")]
            if as_saying and objects:
                via = _speaker_span(_subject(token), in_quote) if _subject(token) is not None else None
                content = sentence_bounds(sentence_of(token))
                complement = next((c for c in token.children if c.dep_ == "ccomp"), None) or \
                    (token.head if token.dep_ in ("parataxis", "ccomp") else None)
                if complement is not None:
                    content = _content_span(complement, token) or content
                return [Attribution("according_to", content, _speaker_span(objects[0], in_quote),
                                    _cue_span(token), sent_of[token.i], via=via.text if via else "")]
        if token.lemma_.lower() == "report" and token.i > 0 and doc[token.i - 1].lower_ == "as":
            by = [c for c in token.children if c.dep_ == "agent" or c.lower_ == "by"]
            objects = [o for p in by for o in p.children if o.dep_ == "pobj"]
            if objects:
                content = _rest_of_sentence(sentence_of(token), token.i - 1, objects[0].right_edge.i + 1)
                return [Attribution("according_to", content, _speaker_span(objects[0], in_quote),
                                    doc[token.i - 1:token.i + 1], sent_of[token.i])] if content else []
        return []

    # -- speakers --------------------------------------------------------------------------------
    def _resolve(self, doc, found: list[Attribution], mentions: list) -> list[Attribution]:
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        kept: list[Attribution] = []
        known: dict[str, tuple[str, str, str, bool]] = {}  # canonical -> (type, origin, actor, named)
        for a in found:
            if a.speaker is None:
                continue
            text = a.speaker.text.strip()
            head = a.speaker.root
            if head.lower_ in _PRONOUNS and len(a.speaker) == 1:
                name = self._pronoun_antecedent(a, kept, persons)
                if name is None:
                    continue  # unresolved: not coded
                a.source = name
                context = _title_context(doc, name, persons)
                classified = known.get(name.lower()) or \
                    (self._classify(context, mentions) if context is not None else
                     ("other", "unknown", "", True))
            elif text.lower() in self.anaphors:
                kinds = self.anaphors[text.lower()]
                antecedent = next((k for k in reversed(kept) if kinds == "any" or k.source_type in kinds),
                                  None)
                if antecedent is None:
                    continue  # unresolved: not coded
                a.source = antecedent.source
                classified = known[antecedent.source.lower()]
            elif head.lower_ in _UNRESOLVED and len(a.speaker) == 1:
                continue  # unresolved: not coded
            else:
                person = self._codebook_person(a.speaker, mentions) or _person_name(a.speaker, persons)
                a.source = person or _DETERMINERS.sub("", text)
                classified = self._classify(a.speaker, mentions)
                context = _title_context(doc, person, persons) if person else None
                if classified[0] == "other" and context is not None:
                    classified = self._classify(context, mentions)
            key = a.source.lower()
            if key not in known or (known[key][0] == "other" and classified[0] != "other"):
                known[key] = classified
            a.source_type, a.origin, a.actor, a.named = known[key]
            kept.append(a)
        return kept

    def _codebook_person(self, speaker: Span, mentions: list) -> str | None:
        """The full name of a codebook person named in the speaker's words ("Peskov" -> "Dmitry Peskov")."""
        for m in mentions:
            if m.kind in ("person", "short_form") and speaker.start <= m.span.start < speaker.end:
                return self.full_names.get(m.cue.split("; ")[-1], None) or m.cue.split("; ")[-1]
        return None

    @staticmethod
    def _pronoun_antecedent(a: Attribution, kept: list[Attribution], persons: list[Span]) -> str | None:
        """"he"/"she": a person who spoke in this or the previous sentence, else the last person subject."""
        for k in reversed(kept):
            if k.sentence >= a.sentence - 1 and k.speaker is not None and _is_person(k.speaker):
                return k.source
        earlier = [e for e in persons if e.end <= a.speaker.start]
        subjects = [e for e in earlier if e.root.dep_ == "nsubj"]
        chosen = subjects[-1] if subjects else (earlier[-1] if earlier else None)
        return _person_name(chosen, persons) if chosen is not None else None

    def _classify(self, speaker: Span, mentions: list) -> tuple[str, str, str, bool]:
        """(source_type, origin, actor, named) of a speaker, by the codebook's sourcing section."""
        spec = self.spec
        text = speaker.text  # spaCy joins the tokens' texts on every call
        lowered = text.lower()
        bare = _DETERMINERS.sub("", text.strip()).lower()
        inside = [m for m in mentions if m.span.start >= speaker.start and m.span.end <= speaker.end]
        actor = inside[0].actor if inside else ""
        origin = spec["actor_origins"].get(actor, "unknown") if actor else "unknown"
        for name, entry, pattern in self.sources:
            if name in lowered and pattern.search(lowered):
                return entry["type"], entry["origin"], actor, True
        if bare in self.anonymous or (speaker.root.lower_ in self.anonymous and not _is_named(speaker)):
            return "anonymous", origin, actor, False
        if actor in spec["actor_types"]:
            return spec["actor_types"][actor], origin, actor, True
        for kind, pattern in self.titles:
            if pattern.search(text):
                return kind, origin, actor, True
        if speaker.root.ent_type_ == "GPE":  # a state speaking ("Russia said")
            return "government", origin, actor, True
        named = _is_named(speaker) or bool(actor)
        return ("other" if named else "anonymous"), origin, actor, named


def _phrases_pattern(phrases: list[str]) -> re.Pattern:
    """Any of ``phrases`` as whole words, in any case (a match wherever one phrase alone matches)."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, phrases))})(?!\w)", re.IGNORECASE)


def _copy_source(target: Attribution, source: Attribution) -> None:
    target.source, target.source_type, target.origin = source.source, source.source_type, source.origin
    target.actor, target.named = source.actor, source.named


def _is_person(span: Span | None) -> bool:
    return span is not None and any(t.ent_type_ == "PERSON" for t in span)


def _is_named(span: Span) -> bool:
    return any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.pos_ == "PROPN" for t in span)


def _person_name(speaker: Span, persons: list[Span]) -> str | None:
    """The person a speaker's words name, a surname expanded to a full name used earlier; else None."""
    named = [e for e in persons if e.start >= speaker.start and e.end <= speaker.end]
    name = max(named, key=len).text if named else speaker.text.strip()
    earlier = [e for e in persons if e.end <= speaker.end]
    for e in reversed(earlier):
        if e.text.endswith(" " + name):
            return e.text
    if named or any(e.text == name for e in earlier):
        return name
    return None


def _title_context(doc: Doc, name: str, persons: list[Span]) -> Span | None:
    """The words before a person's first full mention ("Russian Defense Minister Sergei Shoigu")."""
    first = next((e for e in persons if e.text == name), None) or \
        next((e for e in persons if e.text.endswith(name)), None)
    if first is None:
        return None
    return doc[first.root.left_edge.i:first.end]


def _subject(verb: Token) -> Token | None:
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subject is None and verb.dep_ in ("advcl", "conj", "xcomp"):
        # "..., adding that ..." and "noted ... and stressed that ...": the subject of the governing verb
        subject = next((c for c in verb.head.children if c.dep_ in _SUBJECTS), None)
    if subject is not None and subject.pos_ == "PRON" and subject.lower_ in ("that", "which", "who", "it"):
        return None if subject.lower_ != "it" else subject
    return subject


def _speaker_span(token: Token | None, in_quote, narrow: bool = False) -> Span | None:
    """The words naming the speaker: the subject's subtree, without quotations, clauses or punctuation."""
    if token is None:
        return None
    doc = token.doc
    if narrow:  # one of several coordinated speakers: its own words only
        left = token.left_edge.i
        tokens = [t for t in doc[left:token.i + 1] if t.dep_ not in ("cc",) and not t.is_punct]
        start = tokens[0].i if tokens else token.i
        return doc[start:token.i + 1]
    keep = [t for t in token.subtree
            if in_quote[t.i] is None and not any(a.dep_ in ("relcl", "acl") and a.i != token.i
                                                 for a in _ancestors_until(t, token))]
    if not keep:
        return doc[token.i:token.i + 1]
    start, end = keep[0].i, keep[-1].i + 1
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end]


def _ancestors_until(token: Token, top: Token):
    while token.i != top.i and token.head.i != token.i:
        yield token
        token = token.head


def _conjuncts(token: Token) -> list[Token]:
    """The conjuncts below ``token`` in its coordination ("said and added": "added"), in text order.
    (Read from the chain, not by walking the subtree: a long coordination made that quadratic.)"""
    conjuncts = token.conjuncts
    chain = {token.i, *(x.i for x in conjuncts)}
    lo, hi = token.left_edge.i, token.right_edge.i
    return sorted((c for c in conjuncts if c.dep_ == "conj" and c.head.i in chain and lo <= c.i <= hi),
                  key=lambda c: c.i)


def _cue_span(verb: Token) -> Span:
    """The reporting verb with its auxiliaries, negation and particle ("has reported", "pointed out")."""
    doc = verb.doc
    parts = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt")]
    start, end = min(t.i for t in parts), max(t.i for t in parts) + 1
    return doc[start:end]


def _content_span(complement: Token, cue: Token) -> tuple[int, int] | None:
    """Character span of a clausal complement's subtree (not crossing the cue), trimmed of white space
    and punctuation. The subtree is read from its edges (spaCy's parses are projective), so a long
    chain of reported clauses is not walked once per clause."""
    doc = complement.doc
    lo, hi = complement.left_edge.i, complement.right_edge.i
    if complement.i > cue.i:
        lo = max(lo, cue.i + 1)
    else:
        hi = min(hi, cue.i - 1)
    while lo <= hi and (doc[hi].is_space or (doc[hi].is_punct and doc[hi].text not in ("”", '"', "’", "'"))):
        hi -= 1
    while lo <= hi and (doc[lo].is_space or (doc[lo].is_punct and doc[lo].text not in ("“", '"', "‘", "'"))):
        lo += 1
    if lo > hi:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _rest_of_sentence(sent: Span, phrase_start: int, phrase_end: int) -> tuple[int, int] | None:
    """The sentence without the attributing phrase at ``phrase_start:phrase_end`` (token indices)."""
    doc = sent.doc
    before = [t for t in doc[sent.start:phrase_start] if not t.is_space]
    after = [t for t in doc[phrase_end:sent.end] if not t.is_space]
    part = after if len(after) >= len(before) else before
    while part and part[0].is_punct:
        part = part[1:]
    while part and part[-1].is_punct and part[-1].text not in ("”", '"'):
        part = part[:-1]
    if not part:
        return None
    return part[0].idx, part[-1].idx + len(part[-1].text)


def _quote_index(doc: Doc, quotes: list[Quote]) -> list[int | None]:
    """For each token, the index of the quotation it lies in, or None."""
    index: list[int | None] = [None] * len(doc)
    for q, quote in enumerate(quotes):
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                index[i] = q
    return index


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def holding(attributions: list[Attribution], offset: int) -> Attribution | None:
    """The first attribution whose content holds the character ``offset``: whose words they are (the
    rule of blame's attributor and stance's voice; None: the author's)."""
    return next((a for a in attributions if a.content[0] <= offset < a.content[1]), None)


def _strongest_per_speaker(by_sentence: dict[int, list[Attribution]]) -> list[Attribution]:
    out = []
    for sentence in sorted(by_sentence):
        best: dict[str, Attribution] = {}
        for a in by_sentence[sentence]:
            key = a.source.lower()
            if key not in best or _STRENGTH[a.form] > _STRENGTH[best[key].form]:
                best[key] = a
        out += sorted(best.values(), key=lambda a: a.content[0])
    return out


@registry.register("attribution")
class Attributions(Extractor):
    """Evidence rows (family ``attribution``) and the sourcing features of codebook section 5."""

    name = "attribution"
    family = "attribution"
    requires = ("actors",)

    def __init__(self, codebook: Codebook, nlp=None, **options):
        super().__init__(codebook, nlp)
        self.finder = AttributionFinder(codebook)
        spec = codebook.section("sourcing", needed_by="attribution")
        self.types = list(spec["source_types"])
        self.origins = list(spec["origins"])

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        attributions = self.finder(doc, context.get("mentions", []))
        context["attributions"] = attributions
        return [self._row(doc, article, a) for a in attributions]

    def _row(self, doc: Doc, article: Article, a: Attribution) -> Evidence:
        start, end = a.content
        lo, hi = start, end
        for span in (a.speaker, a.cue):
            if span is not None:
                lo, hi = min(lo, span.start_char), max(hi, span.end_char)
        s_start, s_end = sentences_covering(doc, lo, hi)
        return Evidence(
            article_id=article.id, family="attribution", actor=a.actor, label=a.form, value=1.0,
            start=start, end=end, sentence_start=s_start, sentence_end=s_end,
            sentence=text_of(doc)[s_start:s_end], cue=a.cue.text if a.cue is not None else "",
            source=a.source, source_type=a.source_type, origin=a.origin, form=a.form,
            sentence_index=a.sentence,
            extra={
                "source_start": a.speaker.start_char if a.speaker is not None else None,
                "source_end": a.speaker.end_char if a.speaker is not None else None,
                "cue_start": a.cue.start_char if a.cue is not None else None,
                "cue_end": a.cue.end_char if a.cue is not None else None,
                "speaker_text": a.speaker.text if a.speaker is not None else "",
                "named": a.named,
                "via": a.via,
            },
        )

    def feature_names(self) -> list[str]:
        return (["n_attributions", "n_sources"] + [f"share_form_{f}" for f in FORMS]
                + [f"share_type_{t}" for t in self.types] + [f"share_origin_{o}" for o in self.origins]
                + ["share_named"])

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, float]:
        n = len(rows)
        out: dict[str, float] = {"n_attributions": n,
                                 "n_sources": len({r.source.lower() for r in rows})}

        def share(values, key):
            return (sum(1 for v in values if v == key) / n) if n else 0.0

        out.update({f"share_form_{f}": share([r.form for r in rows], f) for f in FORMS})
        out.update({f"share_type_{t}": share([r.source_type for r in rows], t) for t in self.types})
        out.update({f"share_origin_{o}": share([r.origin for r in rows], o) for o in self.origins})
        out["share_named"] = share([r.extra["named"] for r in rows], True)
        return out
