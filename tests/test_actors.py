"""Actor mentions on the seed articles, checked by hand against the text."""

from __future__ import annotations

import pytest

import framing

from .conftest import span_text


def rows(mentions, corpus, article_id, text):
    """The actor rows of one article whose span is exactly ``text``."""
    found = mentions[mentions.article_id == article_id]
    return [r for r in found.itertuples() if span_text(corpus, r) == text]


def test_title_and_name_in_one_noun_phrase_are_one_mention(mentions, corpus):
    [row] = rows(mentions, corpus, "seed-000", "Kremlin spokesman Dmitry Peskov")
    assert (row.actor, row.label, row.value) == ("russia", "person", 1.0)
    [row] = rows(mentions, corpus, "seed-001", "Russian Foreign Minister Sergei Lavrov")
    assert row.actor == "russia"


def test_short_form_after_full_name(mentions, corpus):
    [row] = rows(mentions, corpus, "seed-000", "Peskov")
    assert (row.actor, row.label) == ("russia", "short_form")
    assert row.sentence.endswith("Peskov said.")


def test_short_form_before_full_name_is_not_counted():
    result = framing.score(["Peskov spoke first. Then Dmitry Peskov spoke. Peskov left."],
                           use_cache=False, progress=False)
    ev = result.evidence[result.evidence.family == "actor"]
    assert list(zip(ev.label, ev.start)) == [("person", 25), ("short_form", 46)]


def test_anaphoric_references_resolve_to_the_antecedent(mentions, corpus):
    [row] = rows(mentions, corpus, "seed-000", "the insurgents")
    assert (row.actor, row.label) == ("taliban", "reference")
    assert row.cue.startswith("the insurgents -> Taliban [")
    [row] = rows(mentions, corpus, "seed-000", "This terrorist group")
    assert row.actor == "daesh" and "-> Daesh" in row.cue
    [row] = rows(mentions, corpus, "seed-003", "the organization")[:1]
    assert row.actor == "csto" and "-> CSTO" in row.cue


def test_a_persons_pronouns_resolve_to_the_person_named_just_before(mentions, corpus):
    he = [r for r in rows(mentions, corpus, "seed-002", "he") if r.label == "pronoun"]
    # "Shoigu also visited Uzbekistan, where he announced ..."; '"... to different countries," he said'
    assert [(r.actor, r.value) for r in he] == [("russia", 1.0), ("russia", 1.0)]
    assert he[0].sentence.startswith("Shoigu also visited Uzbekistan, where he announced")
    assert he[0].cue.startswith("he -> Shoigu [")
    [she] = rows(mentions, corpus, "seed-003", "she")
    assert (she.actor, she.label) == ("russia", "pronoun") and "-> Maria Zakharova [" in she.cue
    # another person named in between (Putin is no codebook person in this text): left unresolved
    result = framing.score(["Joe Biden met Putin. He said nothing. Joe Biden left. Then he spoke."],
                           use_cache=False, progress=False, extractors=["actors"])
    ev = result.evidence
    assert list(zip(ev.label, ev.start)) == [("person", 0), ("person", 38), ("pronoun", 59)]
    # two persons of one actor in reach: the pronoun is that actor's, and the cue names both
    from framing.corpus import load_corpus

    from .conftest import CLIMATE

    article = load_corpus(CLIMATE)["nfc-0004"]
    result = framing.score([article], codebook="climate-2019", use_cache=False, progress=False,
                           extractors=["actors"])
    ev = result.evidence.set_index("start")
    assert article.text[2318:2321] == "she" and ev.loc[2318, "actor"] == "democrats"
    assert ev.loc[2318, "cue"] == "she -> O'Rourke [2301:2309]; or Ocasio-Cortez [2274:2287] (the same actor)"


def test_places_are_recorded_but_not_counted(mentions, corpus):
    tajik = rows(mentions, corpus, "seed-001", "Tajik")  # "the Tajik-Afghan border", "Tajik territories"
    assert tajik and all(r.label == "place" and r.value == 0.0 for r in tajik)
    [row] = rows(mentions, corpus, "seed-000", "Collective Security Treaty Organisation")
    assert (row.actor, row.label, row.value) == ("csto", "name", 1.0)  # "partners in the CSTO"
    stationed = [r for r in rows(mentions, corpus, "seed-000", "Tajikistan")
                 if "stationed in Tajikistan" in r.sentence]
    assert [r.label for r in stationed] == ["place"]


def test_case_sensitive_names_and_possessives():
    result = framing.score(["Tell us what the US wants. Moscow’s allies agreed."],
                           use_cache=False, progress=False)
    ev = result.evidence[result.evidence.family == "actor"].reset_index(drop=True)
    assert list(zip(ev.actor, ev.start, ev.end)) == [("us", 17, 19), ("russia", 27, 33)]
    assert ev.loc[1, "grammar"] == "poss"


def test_hand_counted_mentions_in_seed_004(scored):
    # Counted by reading the cleaned text of seed-004 (Warsaw Institute), sentence by sentence:
    # Russia: Russia (title), Russia, Moscow's, the Russians, Russian military command, Russian
    # forces, Russian-Uzbek, Russian Defense Minister Sergei Shoigu, Russian forces, Moscow, Russia,
    # Russia's special envoy, Zamir Kabulov = 13.
    # Taliban: title, the Taliban gained, with the Taliban, with the Taliban, Baradar (full name),
    # the Taliban's office, Baradar, a Taliban delegation = 8.
    # Central Asian states: Tajikistan, Uzbekistan, Central Asian allies, Uzbek (drills), Central
    # Asian allies, Turkmenistan, Uzbekistan, Turkmen ... Vepa Hajiev, Uzbek envoy, Ismatulla
    # Irgashev, Hajiev, Turkmenistan's missions, Turkmenistan shares = 13 ("Uzbekistan's border" and
    # "in Central Asia" are places).
    row = scored.wide().set_index("id").loc["seed-004"]
    assert row["mentions_russia"] == 13
    assert row["mentions_taliban"] == 8
    assert row["mentions_central_asia"] == 13
    assert row["mentions_us"] == 0 and row["mentions_daesh"] == 0
    assert row["mentions_per_1000_russia"] == pytest.approx(1000 * 13 / row["n_words"])
    assert row["first_mention_russia"] == 0.0
    assert row["first_mention_taliban"] == pytest.approx(41 / row["n_characters"])


US_PERSONS = {"name": "us-persons", "version": "0.1", "extends": "base-en", "actors": {
    "trump": {"persons": ["Donald Trump"]},
    "romney": {"persons": ["Mitt Romney"]},
    "mueller": {"persons": ["Robert Mueller"]},
    "hillary_clinton": {"persons": ["Hillary Clinton"]},
    "bill_clinton": {"persons": ["Bill Clinton"]},
    "may": {"persons": ["Theresa May"]},
    "xi": {"persons": [{"name": "Xi Jinping", "short": ["Xi"]}]},
    "fox_news": {"names": ["Fox News", "Fox"]},
    "fox_family": {"persons": ["Megan Fox"]},
}}


@pytest.fixture(scope="module")
def us_persons(tmp_path_factory):
    import yaml

    path = tmp_path_factory.mktemp("us") / "us.yaml"
    path.write_text(yaml.safe_dump(US_PERSONS), encoding="utf-8")
    return framing.load_codebook(path)


def _found(book, text):
    result = framing.score([text], codebook=book, use_cache=False, progress=False, extractors=["actors"])
    ev = result.evidence
    return [(text[r.start:r.end], r.actor, r.label, r.value) for r in ev.itertuples()]


def test_person_names_as_the_news_writes_them(us_persons):
    book = us_persons
    persons = {p.name: p for a in book.actors.values() for p in a.persons}
    assert persons["Donald Trump"].short == ("Trump",) and persons["Donald Trump"].derived
    assert persons["Theresa May"].short == ()  # "May" is a stop word: no surname short form
    assert persons["Xi Jinping"].short == ("Xi",)  # a declared short form replaces the surname
    assert persons["Megan Fox"].short == ()  # "Fox" is another actor's name: the name the user wrote wins
    # a middle initial, then the surname and a possessive
    assert _found(book, "Donald J. Trump spoke on Monday. Trump's aides were silent.") == [
        ("Donald J. Trump", "trump", "person", 1.0), ("Trump", "trump", "short_form", 1.0)]
    # a title opens the surname with no full name before it; without a title it does not count
    assert _found(book, "Romney voted. Later Mr. Romney spoke, and Sen. Romney left.") == [
        ("Romney", "romney", "short_form", 1.0), ("Romney", "romney", "short_form", 1.0)]
    # middle initial and a generation suffix of the same person; another generation is someone else
    assert _found(book, "Robert S. Mueller III filed the report. Mueller declined to comment.") == [
        ("Robert S. Mueller III", "mueller", "person", 1.0), ("Mueller", "mueller", "short_form", 1.0)]
    assert _found(book, "Donald Trump Jr. tweeted. Trump was asleep.") == []


def test_a_shared_surname_goes_to_the_full_name_named_nearest_before_it(us_persons):
    found = _found(us_persons, "Clinton was quiet. Hillary Clinton met Bill Clinton on Monday. Clinton said "
                               "he was tired. Later Hillary Clinton spoke and Clinton left.")
    # before any full name: recorded for both candidates, counted for neither
    assert sorted(found[:2]) == [("Clinton", "bill_clinton", "ambiguous", 0.0),
                                 ("Clinton", "hillary_clinton", "ambiguous", 0.0)]
    assert found[2:] == [
        ("Hillary Clinton", "hillary_clinton", "person", 1.0),
        ("Bill Clinton", "bill_clinton", "person", 1.0),
        ("Clinton", "bill_clinton", "short_form", 1.0), ("he", "bill_clinton", "pronoun", 1.0),
        ("Hillary Clinton", "hillary_clinton", "person", 1.0),
        ("Clinton", "hillary_clinton", "short_form", 1.0)]
    # a title does not choose between two persons: with no full name before, it stays ambiguous
    assert [r[2] for r in _found(us_persons, "President Clinton signed it.")] == ["ambiguous", "ambiguous"]


def test_an_organisations_short_forms_and_acronym_count_after_its_name(tmp_path):
    import yaml

    doc = {"name": "orgs", "version": "0.1", "extends": "base-en", "actors": {
        "epa": {"names": ["Environmental Protection Agency"], "short": ["the agency"]},
        "nyt": {"names": ["The New York Times"], "short": ["the Times"]}}}
    path = tmp_path / "orgs.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    book = framing.load_codebook(path)
    text = ("The agency said nothing. The Environmental Protection Agency (EPA) moved on Monday. The "
            "agency and the EPA agreed, the Times wrote.")
    # before the name: not a mention; after it: "The agency" (at a sentence start), "the agency", and
    # the acronym the article defined; "the Times" never follows its name here
    assert _found(book, text) == [
        ("Environmental Protection Agency", "epa", "name", 1.0), ("The agency", "epa", "short_form", 1.0),
        ("EPA", "epa", "short_form", 1.0)]
    result = framing.score([text], codebook=book, use_cache=False, progress=False, extractors=["actors"])
    [acronym] = [r for r in result.evidence.itertuples() if r.cue.startswith("EPA")]
    assert acronym.cue == "EPA (Environmental Protection Agency)"
