"""Actor mentions: where the text names or refers to each codebook actor.

A mention is found by, in order of precedence (the longest match wins where they overlap):

1. the codebook's names, demonyms, person names and descriptions (``PhraseMatcher`` on exact tokens,
   so "US" is not "us"; possessives such as "Russia's" match because spaCy splits off "'s"); a
   lower-case alias ("environmental groups") also matches with a capital first letter, but only at
   the start of a sentence (after opening punctuation), never inside one ("National Wildlife
   Federation" is a name of its own, not the alias "wildlife federation");
2. a person's full name with up to two middle names or initials and a suffix ("Donald J. Trump" for
   the codebook's "Donald Trump", "Robert S. Mueller III" for "Robert Mueller"; spaCy ``Matcher``
   patterns from the name's first and last words); a "Jr." or "Sr." the codebook's name lacks makes
   it another person, and a name the codebook lists itself ("Donald Trump Jr." as a person of its own)
   wins over another person's variant;
3. short forms of a person (the surname unless the codebook declares others: ``Person``), counted
   after a full-name variant of the person earlier in the article, or right after a title of the base
   layer's ``lexicons.person_titles`` ("Mr. Romney", "Sen. McConnell", "President Obama") with no full
   name before; a short form that several persons share ("Clinton") goes to the person whose full name
   came nearest before it, and with none (even after a title) is recorded as ``ambiguous`` for each
   candidate actor (value 0, not counted; the cue names the candidates);
4. the codebook's anaphoric references ("the insurgents", "this terrorist group"), resolved to the most
   recent mention (not a person's name) of a candidate actor within the reference's window of
   sentences; a reference with no such antecedent is not a mention;
5. a person's pronouns (the codebook's ``lexicons.person_pronouns``: he, him, his, she, her, ...),
   resolved by :func:`person_pronouns` to the nearest preceding named codebook person in the same or
   the previous sentence, unless another actor's person or another person (a spaCy PERSON entity that
   is no codebook person) is named from that person's sentence on: "Lavrov spoke. He said ..." is
   Lavrov's actor, "Putin met Biden. He said ..." resolves nothing when they are different actors. A
   resolved pronoun is a counted mention of kind ``pronoun`` whose cue names its antecedent.

Two mentions of the same actor in one noun phrase ("Kremlin spokesman Dmitry Peskov") are merged into
one. A name, demonym or description used only as a place (object of a locative preposition such as
"in", or modifier of a place noun such as "border", or "the border with X") is kept as evidence with
label ``place`` and value 0, and is not counted (docs/codebook.md section 6); a name or description
that spaCy tags as an ORG or PERSON entity ("partners in the CSTO") is never a place.

Features per actor: ``mentions_<actor>``, ``mentions_per_1000_<actor>`` (per 1,000 words) and
``first_mention_<actor>`` (character offset of the first counted mention divided by the text's
length, 0 = the start; missing when the actor is not mentioned).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..codebook import SUFFIXES, Codebook, actor_aliases, name_words
from ..corpus import Article
from ..evidence import Evidence, evidence_for, sentence_table, text_of
from . import Extractor, registry
from .lookup import Words

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc, Span, Token

KINDS = ("name", "demonym", "person", "short_form", "description", "reference", "pronoun", "ambiguous")
_SPECIFICITY = {"person": 5, "short_form": 4, "description": 3, "name": 2, "demonym": 1,
                "reference": 0, "pronoun": 0, "ambiguous": 0}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")  # "EPA", "NOAA", "G20"
GENERATIONS = {"Jr", "Sr"}  # suffixes that name another person of the same name (father, son)
MIDDLE = {"TEXT": {"REGEX": r"^(?:[A-Z]\.?|[A-Z][a-z]+\.?)$"}, "OP": "{0,2}"}  # "J.", "S", "Walker"
PRONOUN_WINDOW = 1  # a pronoun refers to a person named in its own or the previous sentence
_NEVER_PLACE = {"ORG", "PERSON"}  # entity types of an organisation or a person: never a place
_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "punct", "case", "npadvmod", "nummod"}


@dataclass(frozen=True)
class Mention:
    """One reference to an actor: its tokens, how it was found, and whether it counts."""

    actor: str
    kind: str
    span: Span
    cue: str
    sentence_index: int
    counted: bool = True
    antecedent: Mention | None = None
    also: tuple[Mention, ...] = ()  # a pronoun's other candidates: persons of the same actor in reach
    person: str = ""  # the codebook person a person or short-form mention names (its full name)
    alias: str = ""  # the codebook alias that matched (a name, a person's full name, a short form)

    @property
    def start_char(self) -> int:
        return self.span.start_char


def sentence_indices(doc: Doc) -> list[int]:
    """The sentence index of every token."""
    return sentence_table(doc)[1]


class ActorFinder:
    """Finds a codebook's actor mentions in parsed ``Doc``s (build once, call per doc)."""

    def __init__(self, codebook: Codebook, nlp):
        from spacy.matcher import Matcher, PhraseMatcher

        self.codebook = codebook
        self.aliases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.references = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._alias_info: dict[int, tuple[str, str, str]] = {}
        self._capitalised: set[int] = set()  # keys of a lower-case phrase's sentence-start variant
        self.variants = Matcher(nlp.vocab)  # a person's full name with middle names, initials, suffix
        self._variant_words: list[frozenset[int]] = []  # each variant pattern's required ORTH values
        self.shorts = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._owners: dict[int, tuple[str, list[tuple[str, str]]]] = {}  # short form -> (phrase, persons)
        for actor in codebook.actors.values():
            for kind, phrase in actor_aliases(actor):
                if kind == "short_form":
                    continue
                for variant in _variants(phrase):
                    key = f"{actor.id}\t{kind}\t{variant}"
                    self.aliases.add(key, [nlp.make_doc(variant)])
                    self._alias_info[nlp.vocab.strings[key]] = (actor.id, kind, phrase)
                    if variant != phrase:
                        self._capitalised.add(nlp.vocab.strings[key])
            for person in actor.persons:
                pattern = _name_pattern(person.name, nlp)
                if pattern:
                    key = f"{actor.id}\tperson\t{person.name}"
                    self.variants.add(key, [pattern])
                    self._variant_words.append(frozenset(  # the words a match needs (not optional)
                        nlp.vocab.strings.add(node["ORTH"]) for node in pattern
                        if isinstance(node.get("ORTH"), str) and "OP" not in node))
                    self._alias_info[nlp.vocab.strings[key]] = (actor.id, "person", person.name)
                for short in person.short:
                    self._add_short(short, actor.id, person.name, nlp)
            for short in actor.short:  # the actor's own ("the agency"): after one of its names
                self._add_short(short, actor.id, f"@{actor.id}", nlp)
        self._reference_of: dict[int, int] = {}
        for r, reference in enumerate(codebook.references):
            for phrase in reference.phrases:
                for variant in _variants(phrase):
                    key = f"reference\t{r}\t{variant}"
                    self.references.add(key, [nlp.make_doc(variant)])
                    self._reference_of[nlp.vocab.strings[key]] = r
                    if variant != phrase:
                        self._capitalised.add(nlp.vocab.strings[key])
        pronouns = codebook.lexicons.get("person_pronouns", ())
        self.pronouns = Words("LOWER", {w.lower() for w in pronouns})  # a person's, for person_pronouns
        self.titles = set(codebook.lexicons.get("person_titles", ()))
        self.locative = {w.lower() for w in codebook.lexicon("locative_prepositions")}
        self.place_nouns = {w.lower() for w in codebook.lexicon("place_nouns")}

    def __call__(self, doc: Doc, merge: bool = True) -> list[Mention]:
        """The mentions of ``doc`` in text order; ``merge``: one mention per noun phrase and actor
        (as scoring counts them), else every alias match (``framing codebook hits``)."""
        from spacy.tokens import Span
        from spacy.util import filter_spans

        sent_of = sentence_indices(doc)
        bounds = sentence_table(doc)[0]
        candidates = [Span(doc, s, e, label=k) for k, s, e in self.aliases(doc)
                      if k not in self._capitalised or _opens_sentence(doc, s, bounds[sent_of[s]][0])]
        if len(self.variants) and self._may_name_a_person(doc):  # after the exact names: they win a tie
            candidates += [Span(doc, s, e, label=k if self._same_generation(k, doc[e - 1].text) else "other")
                           for k, s, e in self.variants(doc)]
        if len(self.shorts):
            candidates += [Span(doc, s, e, label=k) for k, s, e in self.shorts(doc)
                           if k not in self._capitalised or _opens_sentence(doc, s, bounds[sent_of[s]][0])]
        candidates += [Span(doc, s, e, label=k) for k, s, e in self.references(doc)
                       if k not in self._capitalised or _opens_sentence(doc, s, bounds[sent_of[s]][0])]
        spans = sorted(filter_spans(candidates), key=lambda sp: sp.start)
        mentions: list[Mention] = []
        named_at: dict[str, int] = {}  # person -> token of its latest full-name mention
        for span in spans:
            sentence = sent_of[span.start]
            if span.label_ == "other":  # "Donald Trump Jr." for the codebook's Donald Trump: neither
                continue
            if span.label in self._owners:
                mentions += self._short_form(span, sentence, named_at)
            elif span.label in self._alias_info:
                actor, kind, phrase = self._alias_info[span.label]
                if kind == "person":
                    named_at[phrase] = span.start
                mention = Mention(actor, kind, span, phrase, sentence,
                                  person=phrase if kind == "person" else "", alias=phrase)
                never_place = kind != "demonym" and span.root.ent_type_ in _NEVER_PLACE
                if kind in ("name", "demonym", "description") and not never_place \
                        and self._is_place(span.root):
                    mention = replace(mention, kind="place", counted=False)
                if mention.counted and kind in ("name", "description"):
                    named_at[f"@{actor}"] = span.start  # opens the actor's own short forms
                mentions.append(mention)
            else:
                reference = self.codebook.references[self._reference_of[span.label]]
                antecedent = next(
                    (m for m in reversed(mentions)
                     if m.counted and m.actor in reference.candidates
                     and m.kind not in ("person", "short_form")
                     and sentence - m.sentence_index <= reference.window),
                    None,
                )
                if antecedent is not None:
                    mentions.append(Mention(antecedent.actor, "reference", span, span.text,
                                            sentence, antecedent=antecedent))
        acronyms = self._acronyms(doc, mentions, spans, sent_of)
        if acronyms:
            mentions = sorted(mentions + acronyms, key=lambda m: m.span.start)
        if self.pronouns.words:
            named = [m for m in mentions if m.counted and m.person]  # persons' names and short forms
            spans = [(m.span.start, m.span.end, m.actor) for m in named]
            starts = [b[0] for b in bounds]
            resolved = [Mention(named[k].actor, "pronoun", doc[i:i + 1], doc[i].text, sent_of[i],
                                antecedent=named[k], also=self._also(named, spans, k, sent_of, starts))
                        for i, k in person_pronouns(doc, spans, self.pronouns, sent_of, starts)]
            mentions = sorted(mentions + resolved, key=lambda m: m.span.start)
        return _merge_in_phrase(mentions, doc) if merge else mentions

    def _may_name_a_person(self, doc: Doc) -> bool:
        """Whether ``doc`` has every word some variant pattern needs (the person's first and last
        name): without, the variants' ``Matcher`` finds nothing, so it is not run."""
        import numpy as np
        from spacy.attrs import ORTH

        present = set(np.unique(doc.to_array(ORTH)).tolist()) if len(doc) else set()
        return any(words <= present for words in self._variant_words)

    def _add_short(self, short: str, actor: str, owner: str, nlp) -> None:
        """Register a short form of ``owner`` (a person's full name, or "@actor" for the actor's own);
        a lower-case one ("the agency") also with a capital at a sentence start."""
        for variant in _variants(short):
            key = nlp.vocab.strings.add(f"short\t{variant}")
            if key not in self._owners:
                self.shorts.add(f"short\t{variant}", [nlp.make_doc(variant)])
                self._owners[key] = (short, [])
                if variant != short:
                    self._capitalised.add(key)
            self._owners[key][1].append((actor, owner))

    def _same_generation(self, key: int, last: str) -> bool:
        """Whether a variant ending in ``last`` can be the person of ``key``: a "Jr." or "Sr." in the
        text must be the one of the codebook's name ("Donald Trump Jr." is not Donald Trump; "Robert S.
        Mueller III" is Robert Mueller)."""
        if last.rstrip(".") not in GENERATIONS:
            return True
        name = self._alias_info[key][2].split()
        return name[-1].rstrip(".") == last.rstrip(".")

    def _short_form(self, span: Span, sentence: int, named_at: dict[str, int]) -> list[Mention]:
        """The mention a short form makes (see the module docstring): the person named nearest before
        it among those who share it; after a title, its only actor; else ``ambiguous`` rows for each
        candidate actor when several share it, or nothing."""
        phrase, owners = self._owners[span.label]
        named = [(named_at[person], actor, person) for actor, person in owners if person in named_at]
        if named:
            _, actor, person = max(named)
            person = "" if person.startswith("@") else person  # "@epa": the actor's own short form
            return [Mention(actor, "short_form", span, phrase, sentence, person=person, alias=phrase)]
        actors = list(dict.fromkeys(actor for actor, _ in owners))
        title = span.doc[span.start - 1].text if span.start else ""
        if title in self.titles and len(actors) == 1 and not owners[0][1].startswith("@"):
            return [Mention(actors[0], "short_form", span, f"{title} {phrase}", sentence,
                            person=owners[0][1], alias=phrase)]
        if len(actors) == 1:
            return []
        cue = f"{phrase}: one of {', '.join(person for _, person in owners)}; no full name before it"
        return [Mention(actor, "ambiguous", span, cue, sentence, counted=False, alias=phrase)
                for actor in actors]

    def _acronyms(self, doc: Doc, mentions: list[Mention], spans: list[Span],
                  sent_of: list[int]) -> list[Mention]:
        """An acronym in parentheses right after a counted name or description ("the Environmental
        Protection Agency (EPA)") stands for its actor in the rest of the article, where no alias covers
        it: one ``short_form`` mention per later use, its cue naming the expansion."""
        covered = {i for span in spans for i in range(span.start, span.end)}
        defined: dict[str, Mention] = {}
        out = []
        for m in mentions:
            end = m.span.end
            if m.counted and m.kind in ("name", "description") and end + 2 < len(doc) \
                    and doc[end].text == "(" and doc[end + 2].text == ")" \
                    and _ACRONYM.match(doc[end + 1].text):
                defined.setdefault(doc[end + 1].text, m)
        if not defined:
            return out
        for token in doc:
            m = defined.get(token.text)
            if m is not None and token.i > m.span.end + 1 and token.i not in covered:
                out.append(Mention(m.actor, "short_form", doc[token.i:token.i + 1],
                                   f"{token.text} ({m.span.text})", sent_of[token.i], alias=token.text))
        return out

    def _also(self, named: list[Mention], spans: list[tuple], k: int, sent_of: list[int],
              starts: list[int]) -> tuple[Mention, ...]:
        """Other persons of the antecedent's actor named from its sentence's start to the pronoun:
        the pronoun is that actor's either way, but the cue says it could be one of them."""
        region = starts[sent_of[named[k].span.start]]
        seen: dict[str, Mention] = {}
        for m in named[bisect_left(spans, (region,)):k]:
            if m.person != named[k].person:
                seen[m.person] = m
        return tuple(seen.values())

    def _is_place(self, token: Token) -> bool:
        while token.dep_ == "conj" and token.head.i != token.i:
            token = token.head
        if token.dep_ == "pobj":
            prep = token.head.lower_
            if prep in self.locative:
                return True
            if prep in ("of", "with") and token.head.head.lower_ in self.place_nouns:
                return True
        head = token
        while head.dep_ in _MODIFIER_DEPS and head.head.i != head.i:
            head = head.head
        return head.i != token.i and head.lower_ in self.place_nouns


def person_pronouns(doc: Doc, named: list[tuple[int, int, str]], pronouns: Words, sent_of: list[int],
                    sentence_starts: list[int], window: int = PRONOUN_WINDOW) -> list[tuple[int, int]]:
    """``(token index, k)`` for every pronoun token that refers to the named person mention
    ``named[k]`` (``(start, end, key)`` token spans in text order; ``key`` the actor; a pronoun is a
    token of ``pronouns`` that spaCy tags PRON, so "he" split off a word is not one): the nearest
    preceding one, at most ``window`` sentences back, when from the start of its sentence to the
    pronoun no other actor's person and no other person (a spaCy PERSON entity that overlaps no named
    span) is named. "Putin met Joe Biden. He said ..." resolves nothing when Putin is not a codebook
    person (or is another actor's): either could be meant. ``pronouns`` is a :class:`Words` of the
    lower-case forms, built once by the caller."""
    if not named:
        return []
    covered = {t for a, b, _ in named for t in range(a, b)}
    others = [e.start for e in doc.ents
              if e.label_ == "PERSON" and not covered.intersection(range(e.start, e.end))]
    starts = [a for a, _, _ in named]  # in text order, as ``others``: each check is a bisection
    out = []
    k = -1
    for i in pronouns.indices(doc):  # the pronouns' tokens, in text order
        while k + 1 < len(named) and named[k + 1][1] <= i:
            k += 1
        token = doc[i]
        if k < 0 or token.lower_ not in pronouns.words or token.pos_ != "PRON":
            continue
        start, _, key = named[k]
        if sent_of[token.i] - sent_of[start] > window:
            continue
        region = sentence_starts[sent_of[start]]
        if bisect_left(others, region) < bisect_left(others, token.i):
            continue  # another person is named between the region's start and the pronoun
        if any(other != key for _, _, other in named[bisect_left(starts, region):k + 1]):
            continue
        out.append((token.i, k))
    return out


def _opens_sentence(doc: Doc, i: int, first: int) -> bool:
    """True when token ``i`` is the first word of its sentence (which starts at token ``first``):
    only white space and punctuation (an opening quotation mark, a dash) come before it."""
    return all(t.is_space or t.is_punct for t in doc[first:i])


def _name_pattern(name: str, nlp) -> list[dict] | None:
    """A ``Matcher`` pattern for a full name's variants: its first word, up to two middle names or
    initials, its last word (before a suffix), an optional suffix; None for a one-word name."""
    words = name_words(name)
    if len(words) < 2:
        return None
    first = [{"ORTH": t.text} for t in nlp.make_doc(words[0])]
    last = [{"ORTH": t.text} for t in nlp.make_doc(words[-1])]
    return [*first, MIDDLE, *last, {"ORTH": {"IN": list(SUFFIXES)}, "OP": "?"}]


def _variants(phrase: str) -> list[str]:
    """The phrase, and with a capital first letter (for a sentence start) when it is lower-case."""
    if phrase[:1].islower():
        return [phrase, phrase[0].upper() + phrase[1:]]
    return [phrase]


def _merge_in_phrase(mentions: list[Mention], doc: Doc) -> list[Mention]:
    """Merge consecutive counted mentions of one actor in one noun chunk and sentence, not coordinated."""
    chunk_of: dict[int, int] | None = None  # token -> noun chunk, found once a pair may merge (rare)
    merged: list[Mention] = []
    for mention in mentions:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.counted and mention.counted
            and previous.actor == mention.actor
            and previous.sentence_index == mention.sentence_index
        ):
            if chunk_of is None:
                chunk_of = _noun_chunk_index(doc)
            between = doc[previous.span.end:mention.span.start]
            if chunk_of.get(previous.span.start, -1) == chunk_of.get(mention.span.start, -2) \
                    and not any(t.dep_ == "cc" or t.text in (",", ";") for t in between):
                best = max(previous, mention, key=lambda m: _SPECIFICITY[m.kind])
                merged[-1] = replace(best, span=doc[previous.span.start:mention.span.end],
                                     cue=f"{previous.cue}; {mention.cue}")
                continue
        merged.append(mention)
    return merged


def _noun_chunk_index(doc: Doc) -> dict[int, int]:
    """The index of the noun chunk of each token in one (spaCy walks the whole ``Doc`` to find them)."""
    chunk_of: dict[int, int] = {}
    for c, chunk in enumerate(doc.noun_chunks):
        for i in range(chunk.start, chunk.end):
            chunk_of[i] = c
    return chunk_of


@registry.register("actors")
class ActorMentions(Extractor):
    """Evidence rows (family ``actor``) for every mention, and per-actor mention features."""

    name = "actors"
    family = "actor"

    def __init__(self, codebook: Codebook, nlp, **options):
        super().__init__(codebook, nlp)
        self.finder = ActorFinder(codebook, nlp)

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        mentions = self.finder(doc)
        context["mentions"] = [m for m in mentions if m.counted]
        rows = []
        for m in mentions:
            cue = m.cue
            if m.antecedent is not None:
                cue = (f"{m.cue} -> {m.antecedent.span.text} "
                       f"[{m.antecedent.span.start_char}:{m.antecedent.span.end_char}]")
                if m.also:
                    cue += "; or " + ", ".join(f"{a.span.text} [{a.span.start_char}:{a.span.end_char}]"
                                               for a in m.also) + " (the same actor)"
            row = evidence_for(article.id, "actor", m.span, m.sentence_index, actor=m.actor,
                               label=m.kind, value=1.0 if m.counted else 0.0, cue=cue)
            row.extra["grammar"] = m.span.root.dep_
            rows.append(row)
        return rows

    def feature_names(self) -> list[str]:
        names = []
        for prefix in ("mentions_", "mentions_per_1000_", "first_mention_"):
            names += [prefix + a for a in self.codebook.actor_ids]
        return names

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, float]:
        n_words = count_words(doc)
        out: dict[str, float] = {}
        for actor in self.codebook.actor_ids:
            counted = [r for r in rows if r.actor == actor and r.value > 0]
            out[f"mentions_{actor}"] = len(counted)
            out[f"mentions_per_1000_{actor}"] = 1000 * len(counted) / n_words if n_words else 0.0
            first = min((r.start for r in counted), default=None)
            out[f"first_mention_{actor}"] = (first / len(text_of(doc))) if first is not None else float("nan")
        return out


_N_WORDS = ("framing", "n_words")  # the count_words cache key in ``doc.user_data``


def count_words(doc: Doc) -> int:
    """Words are tokens that are neither punctuation nor white space (counted once per ``Doc``, from
    spaCy's token flags as one array)."""
    cached = doc.user_data.get(_N_WORDS)
    if cached is None or cached[0] != len(doc):  # (tokens, words): a retokenised Doc counts again
        from spacy.attrs import IS_PUNCT, IS_SPACE

        flags = doc.to_array([IS_PUNCT, IS_SPACE]).reshape(len(doc), 2)
        cached = doc.user_data[_N_WORDS] = (len(doc), int((flags == 0).all(axis=1).sum()))
    return cached[1]
