"""Blame on the seed articles, written out by hand sentence by sentence, and negative cases."""

from __future__ import annotations

import pytest

import framing
from framing.codebook import load_codebook
from framing.errors import CodebookError


@pytest.fixture(scope="module")
def blame(scored):
    ev = scored.evidence
    return ev[ev.family == "blame"]


def codes(blame, article_id):
    rows = blame[blame.article_id == article_id]
    return {(r.sentence_index, r.actor, r.label, r.attributor) for r in rows.itertuples()}


# (sentence index, blamed actor, kind, attributor), read off the text by hand.
EXPECTED = {
    "seed-000": {
        # The government in Kabul accused the Taliban of carrying out the attack ..., but the insurgents
        # denied responsibility.
        (4, "taliban", "accusation", "afghan_government"),
        (4, "taliban", "denial", "taliban"),
        # Daesh eventually claimed responsibility for the attack on the presidential palace.
        (5, "daesh", "responsibility", "daesh"),
        # Faced with the power vacuum that this withdrawal left ..., the Taliban launched an offensive.
        (21, "us", "causal", "author"),
        (21, "taliban", "harmful_action", "author"),
        # Both the Kabul government and the Taliban accuse each other of "wasting time" ...
        (26, "afghan_government", "accusation", "taliban"),
        (26, "taliban", "accusation", "afghan_government"),
    },
    "seed-001": {
        # ... accompanied by a powerful offensive on the part of Taliban militants ...
        (17, "taliban", "harmful_action", "author"),
    },
    "seed-002": {
        # Shoigu cautioned that Afghanistan was at risk ... following the U.S. withdrawal.
        (22, "us", "causal", "russia"),
    },
    "seed-003": {
        # The blame is the hasty decision of the United States to leave the Afghan army alone ...
        (3, "us", "responsibility", "author"),
        # ... behind the withdrawal of NATO troops lies a well-planned action by Washington, the goal
        # of which is to maximize the tension on the borders of Russia.
        (4, "us", "causal", "author"),
        # ... as a result of the Taliban attack on the Ukchuk border checkpoint ...
        (9, "taliban", "harmful_action", "author"),
        # And on June 22, militants attacked the Sherkhan-Bandar commissariat ...
        (10, "taliban", "harmful_action", "author"),
        # "The withdrawal of American troops ... is a well-thought-out act aimed at annoying Russia,"
        # the expert believes.  (a quoted Russian expert: attributor other)
        (41, "us", "causal", "other"),
        # According to the latest data, the Taliban seized about 60 counties ...
        (46, "taliban", "harmful_action", "other"),
    },
    "seed-004": {
        # ... as the Taliban gained control of much of northern Afghanistan ...
        (1, "taliban", "harmful_action", "author"),
    },
}


@pytest.mark.parametrize("article_id", sorted(EXPECTED))
def test_seed_blame(blame, article_id):
    found = codes(blame, article_id)
    missing = EXPECTED[article_id] - found
    assert not missing


def test_one_code_per_sentence_actor_and_attributor(blame):
    # "The blame is the hasty decision of the United States to leave ...": responsibility, not also causal
    assert codes(blame, "seed-003") & {(3, "us", "causal", "author")} == set()


def test_negated_and_conditional_actions_are_not_blame(blame):
    s003 = codes(blame, "seed-003")
    # "If the Taliban took at least one or two provincial centers ... they did not capture a single one"
    assert not {c for c in s003 if c[0] in (52, 53) and c[1] == "taliban"}
    # "If the Taliban occupy the entire northern border areas ..." (seed-001)
    assert not {c for c in codes(blame, "seed-001") if c[2] == "harmful_action" and c[0] == 22}


def test_blame_features_follow_the_codebook_weights(scored, blame):
    f = scored.wide().set_index("id")
    rows = blame[blame.article_id == "seed-003"]
    weights = {"accusation": 1.0, "responsibility": 1.0, "causal": 1.0, "harmful_action": 0.5,
               "denial": 0.0}
    us = sum(weights[k] for k in rows[rows.actor == "us"].label)
    assert f.loc["seed-003", "blame_score_us"] == us == 3.0
    total = sum(weights[k] for k in rows.label)
    assert f.loc["seed-003", "blame_share_us"] == pytest.approx(us / total)
    assert f.loc["seed-000", "denials_taliban"] == 1
    pairs = scored.blame_pairs.set_index(["article_id", "blamer", "blamed", "kind"]).n
    # s4 accused, s26 accuse each other
    assert pairs.loc[("seed-000", "afghan_government", "taliban", "accusation")] == 2
    assert not any(c.startswith("blamer_") for c in f.columns)  # who blames whom is the long table
    assert f.loc["seed-004", "blame_share_daesh"] == 0.0


def blame_rows(text):
    result = framing.score([text], use_cache=False, progress=False)
    ev = result.evidence
    return {(r.actor, r.label, r.attributor) for r in ev[ev.family == "blame"].itertuples()}


@pytest.mark.parametrize("text", [
    "The Taliban and Russia held talks in Doha on Tuesday.",                  # a neutral mention
    "Russia was attacked by nobody; the Taliban suffered heavy losses.",     # victims, not agents
    "The violence in Afghanistan worried the Taliban and the United States.",  # harm word nearby
    "The Taliban did not attack the city.",                                   # negated
])
def test_no_blame(text):
    assert blame_rows(text) == set()


def test_blame_of_an_actor_the_codebook_does_not_list():
    assert blame_rows("Pakistan accused India of shelling the border.") == set()


def test_passive_agent_and_accuser():
    assert ("taliban", "harmful_action", "author") in blame_rows(
        "The checkpoint was attacked by the Taliban on Monday.")
    assert ("us", "accusation", "russia") in blame_rows("Moscow blamed Washington for the chaos.")


# -- the base layer and rules as data (issue 14) --------------------------------------------------------

CLIMATE_SENTENCES = {
    # false alarms of the war rules on climate coverage: none is blame
    "Democrats will take control of the House in January.": [],
    "Kamala Harris was charged with protecting the state's laws.": [],
    "Congress is responsible for addressing the emission of greenhouse gasses.": [],
    # harms the war lists did not know, now coded by the base layer's and the case's patterns
    "The Trump administration rolled back the regulations on power plants.":
        [("trump_administration", "causal")],
    "The EPA dealt a blow to clean air protections.": [("epa", "causal")],
    "Congress failed to act on climate change.": [("congress", "causal")],
    "The Trump administration denied the science of climate change.": [("trump_administration", "causal")],
    # what still is blame
    "Congress is responsible for the deaths of thousands.": [("congress", "responsibility")],
    "Exxon was charged with polluting the river.": [("fossil_fuel_industry", "accusation")],
}


def test_climate_blame_from_the_base_layer():
    texts = list(CLIMATE_SENTENCES)
    result = framing.score(texts, codebook="climate-2019", extractors=["blame"], progress=False,
                           use_cache=False)
    rows = result.evidence[result.evidence.family == "blame"]
    for article_id, (text, expected) in zip(result.features.id, CLIMATE_SENTENCES.items()):
        found = [(r.actor, r.label) for r in rows[rows.article_id == article_id].itertuples()]
        assert found == expected, text


def test_seed_recall_rises_on_the_kinds_coders_found(scored):
    rows = scored.evidence[(scored.evidence.family == "blame") & (scored.evidence.article_id == "seed-003")]
    found = {(r.actor, r.label, r.cue) for r in rows.itertuples()}
    # "the Taliban is rapidly increasing the pace of the offensive"
    assert ("taliban", "harmful_action", "offensive") in found
    assert ("taliban", "harmful_action", "pressure") in found  # "the pressure of the radicals"
    # "the main purpose of such moves by the Taliban may be recruitment ..., terrorist sabotage ...":
    # a purpose that is a harm (a base-layer pattern), hedged by "may"
    rows = scored.evidence[(scored.evidence.family == "blame") & (scored.evidence.article_id == "seed-001")]
    [purpose] = [r for r in rows.itertuples() if r.cue == "purpose"]
    assert (purpose.actor, purpose.label, bool(purpose.hedged)) == ("taliban", "causal", True)


def test_a_new_kind_of_blame_is_a_codebook_edit(tmp_path):
    import yaml

    from framing.codebook import codebook_file

    doc = yaml.safe_load(codebook_file("climate-2019").read_text(encoding="utf-8"))
    doc["blame"]["patterns"].append({
        "kind": "causal", "cue": "verb", "blamed": "agent", "note": '"X blocked the treaty"',
        "pattern": [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "block"}},
                    {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "agent",
                     "RIGHT_ATTRS": {"DEP": "nsubj"}}]})
    (tmp_path / "edited.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    text = ["Republicans blocked the treaty on Tuesday."]
    before = framing.score(text, codebook="climate-2019", extractors=["blame"], progress=False,
                           use_cache=False)
    after = framing.score(text, codebook=tmp_path / "edited.yaml", extractors=["blame"], progress=False,
                          use_cache=False)
    assert (before.evidence.family == "blame").sum() == 0
    rows = after.evidence[after.evidence.family == "blame"]
    assert [(r.actor, r.label, r.cue) for r in rows.itertuples()] == [("republicans", "causal", "blocked")]
    # a kind of its own: named by the pattern, weighed in weights, kept after the built-in kinds
    doc["blame"]["patterns"][-1]["kind"] = "obstruction"
    weights = load_codebook("climate-2019").sections["blame"]["weights"]
    doc["blame"]["weights"] = {**weights, "obstruction": 0.5}
    (tmp_path / "kind.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    own = framing.score(text, codebook=tmp_path / "kind.yaml", progress=False, use_cache=False)
    rows = own.evidence[own.evidence.family == "blame"]
    assert [(r.actor, r.label, r.value) for r in rows.itertuples()] == [("republicans", "obstruction", 0.5)]
    assert own.wide().iloc[0]["blame_score_republicans"] == 0.5


def test_a_bad_pattern_is_named(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "name: c\nversion: 1\nextends: base-en\nactors: {x: {names: [X]}}\n"
        "blame:\n  patterns:\n    - {kind: causal, cue: verb, blamed: nobody, pattern: "
        "[{RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: block}}]}\n"
        "    - {kind: praise, cue: verb, blamed: verb, pattern: "
        "[{RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: x}}]}\n"
        "    - {kind: causal, cue: verb, blamed: verb, pattern: "
        "[{RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: {IN: $nolist}}}]}\n"
        "    - {kind: Bad Kind, cue: verb, blamed: verb, pattern: "
        "[{RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: x}}]}\n",
        encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(tmp_path / "c.yaml")
    text = str(err.value)
    # indexed into the file the user wrote, not into the base layer's seven patterns and then these
    assert "blame.patterns[0].blamed: 'nobody' is not a RIGHT_ID" in text
    assert "blame.weights: needs a number for each of ['accusation'" in text and "'praise'] (the" in text
    assert "blame.patterns[2]: '$nolist' names no word list" in text
    assert "blame.patterns[3].kind: 'Bad Kind': expected one of" in text


def test_patterns_run_only_where_they_can_match_and_match_as_spacys_matcher(nlp, corpus):
    # the base layer's and the case's patterns, plus two whose nodes the prefilter cannot check by
    # value (NOT_IN, a comparison): on every seed article, the matches of the full DependencyMatcher
    from spacy.matcher import DependencyMatcher

    from framing.extract.dependency import DependencyPatterns

    patterns = [p["pattern"] for p in load_codebook("afghanistan-2021").sections["blame"]["patterns"]]
    patterns += [
        [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"NOT_IN": ["be", "have"]}, "POS": "VERB"}},
         {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "agent", "RIGHT_ATTRS": {"DEP": "nsubj"}}],
        [{"RIGHT_ID": "noun", "RIGHT_ATTRS": {"LENGTH": {">=": 12}}}],
    ]
    full = DependencyMatcher(nlp.vocab)
    for i, pattern in enumerate(patterns):
        full.add(str(i), [pattern])
    filtered = DependencyPatterns(patterns)
    docs = list(nlp.pipe(article.text for article in corpus.articles))
    expected = [[(int(nlp.vocab.strings[key]), tokens) for key, tokens in full(doc)] for doc in docs]
    assert [filtered(doc) for doc in docs] == expected
    found = {i for matches in expected for i, _ in matches}
    assert {len(patterns) - 2, len(patterns) - 1} <= found  # the unchecked patterns match and are kept
    assert found & set(range(len(patterns) - 2))  # and some of the codebook's
    # "roll back" is in no seed article: the pattern is left out before matching
    assert all(0 not in filtered.possible(doc) for doc in docs)
    doc = nlp("The administration rolled back the rules.")
    assert 0 in filtered.possible(doc)
    assert [(i, [doc[t].text for t in tokens]) for i, tokens in filtered(doc) if i < len(patterns) - 2] \
        == [(0, ["rolled", "back", "administration"])]
    # its words in two sentences ("rolled" and a subject in one, "back" in the next): no tree holds
    # them all, so it is left out too, and spaCy's matcher finds nothing either
    apart = nlp("The administration rolled the dice. Then the rules came back.")
    assert {t.lemma_ for t in apart} >= {"roll", "back"} and 0 not in filtered.possible(apart)
    assert not [key for key, _ in full(apart) if key == nlp.vocab.strings["0"]]
