"""framing.extract.lookup: the tokens of a Doc that have a word of a set, without a Token per word, and
the rules that start from them find what a walk over every token finds."""

from __future__ import annotations

import pandas as pd
import pytest

import framing
from framing.evidence import sentence_bounds, sentences
from framing.extract import lookup
from framing.extract.actors import ActorFinder
from framing.extract.lookup import Words
from framing.parse import parse

ATTRIBUTES = {"LEMMA": "lemma_", "LOWER": "lower_", "ORTH": "orth_"}


def walked(doc, attr: str, words, lowercase: bool = False) -> list[int]:
    """What a rule that tests every token finds (the reference)."""
    words = set(words)
    name = ATTRIBUTES[attr]
    return [t.i for t in doc if (getattr(t, name).lower() if lowercase else getattr(t, name)) in words]


@pytest.fixture(scope="module")
def docs(corpus, nlp, cache_dir):
    return list(parse([a.text for a in corpus], nlp, cache=framing.parse.ParseCache(cache_dir, nlp)))


def test_words_finds_the_tokens_a_walk_finds(docs):
    cases = [
        ("LEMMA", {"say", "tell", "accuse", "attack", "according"}, True),
        ("LEMMA", {"russia", "taliban"}, True),  # proper nouns keep their capital in the lemma
        ("LEMMA", {"russia", "taliban"}, False),
        ("LOWER", {"he", "she", "his", "her", "according"}, False),
        ("ORTH", {"US", "Russia", "Taliban"}, False),  # "US" is not "us"
    ]
    for attr, words, lowercase in cases:
        finder = Words(attr, words, lowercase=lowercase)
        for doc in docs:
            assert finder.indices(doc) == walked(doc, attr, words, lowercase), (attr, words, lowercase)
    # real hits, so the comparison above compares something
    russia = Words("LEMMA", {"russia"}, lowercase=True)
    assert sum(len(russia.indices(doc)) for doc in docs) > 10
    assert sum(len(Words("LEMMA", {"russia"}).indices(doc)) for doc in docs) == 0
    assert all(docs[0][i].lower_ == "said" or docs[0][i].lemma_ == "say"
               for i in Words("LEMMA", {"say"}, lowercase=True).indices(docs[0]))


def test_words_memo_starts_again_when_full(docs, monkeypatch):
    monkeypatch.setattr(lookup, "MEMO_SIZE", 5)
    finder = Words("LEMMA", {"say", "russia"}, lowercase=True)
    for doc in docs:
        assert finder.indices(doc) == walked(doc, "LEMMA", {"say", "russia"}, lowercase=True)
        assert len(finder._memo) <= len(set(t.lemma for t in doc))  # cleared, then this Doc's values


def test_words_of_an_empty_set_or_doc(docs, nlp):
    assert Words("LEMMA", set(), lowercase=True).indices(docs[0]) == []
    assert Words("LOWER", {"he"}).indices(nlp.make_doc("")) == []


def test_sentence_bounds_leave_out_white_space(docs):
    checked = 0
    for doc in docs:
        for sent in sentences(doc)[0]:
            words = [t for t in sent if not t.is_space]
            expected = (words[0].idx, words[-1].idx + len(words[-1].text)) if words else \
                (sent.start_char, sent.start_char)
            assert sentence_bounds(sent) == expected
            checked += len(words) < len(sent)  # a sentence with white-space tokens ("\n\n")
    assert checked >= 10


def test_rules_find_what_a_walk_over_every_token_finds(corpus, cache_dir, monkeypatch):
    """Attribution, blame and the actors' pronouns start from Words' tokens; each rule keeps its own
    first test, so with Words giving every token (the walk they made before), and the persons' name
    variants matched on every Doc, the seed articles' evidence is the same, row for row."""
    kept = framing.score(corpus, extractors=["actors", "attribution", "blame"], cache_dir=cache_dir,
                         cache_results=False, progress=False).evidence
    monkeypatch.setattr(Words, "indices", lambda self, doc: list(range(len(doc))))
    monkeypatch.setattr(ActorFinder, "_may_name_a_person", lambda self, doc: True)  # the Matcher always
    walking = framing.score(corpus, extractors=["actors", "attribution", "blame"], cache_dir=cache_dir,
                            cache_results=False, progress=False).evidence
    pd.testing.assert_frame_equal(kept, walking)
    # what the seed articles have (so the comparison compares rows of each rule)
    assert (kept[kept.family == "actor"].label == "pronoun").sum() == 7
    assert set(kept[kept.family == "attribution"].form) == {"according_to", "direct", "indirect", "partial"}
    assert (kept.family == "blame").sum() == 25


def test_a_doc_without_a_persons_words_skips_the_name_variants(corpus, nlp):
    from framing.extract.actors import ActorFinder

    finder = ActorFinder(framing.load_codebook(), nlp)
    named = nlp("Russian President Vladimir V. Putin met the envoy in Moscow.")
    unnamed = nlp("The envoy met officials in Moscow and in Dushanbe on Tuesday.")
    assert finder._may_name_a_person(named)
    assert not finder._may_name_a_person(unnamed)
    assert [m.kind for m in finder(named) if m.actor == "russia"].count("person") == 1  # the variant


def test_one_search_per_title_kind_finds_what_each_title_finds(corpus, nlp):
    from framing.extract.attribution import AttributionFinder, _phrases_pattern

    finder = AttributionFinder(framing.load_codebook())
    spec = finder.spec["titles"]
    texts = [s.text for a in corpus for s in nlp(a.text).sents]
    texts += ["a Kremlin spokesman", "the SPOKESWOMAN", "spokesmanship", "deputy foreign minister",
              "Sen. Smith", "the senators", "ex-minister", "minister's aide"]
    found = 0
    for kind, phrases in spec.items():
        whole = _phrases_pattern(phrases)
        for text in texts:
            alone = any(_phrases_pattern([p]).search(text) for p in phrases)
            assert bool(whole.search(text)) == alone, (kind, text)
            found += alone
    assert found > 20
