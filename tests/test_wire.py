"""Wire copy: agency credits found in the text (never in the metadata), near-identical stories across a
corpus, the codebook's base layer they come from, and comparisons that can leave the copy out."""

from __future__ import annotations

import hashlib
import random

import pandas as pd
import pytest

import framing
from framing.codebook import load_codebook, merge_layers
from framing.compare import VIEW, own_reporting
from framing.copies import find_copies
from framing.corpus import Article
from framing.errors import CodebookError, FramingError, OptionError
from framing.evaluate.wire import evaluate, read_labels
from framing.extract.wire import WireRules, decide

from .conftest import CORPUS, shared_data


@pytest.fixture(scope="module")
def rules():
    return WireRules(load_codebook().sections["wire"])


def code(rules, text):
    best, _ = decide(rules.find(text), rules, text)
    return (rules.labels[best.agency], best.kind, text[best.start:best.end]) if best else None


@pytest.mark.parametrize("text, agency, kind", [
    ("Trump urges supporters.\n\nWASHINGTON (AP) — The Latest on the race.", "AP", "dateline"),
    ("Clinton calls it genocide.\n\nDec 29 (Reuters) - Hillary Clinton said.", "Reuters", "dateline"),
    ("Stein removed.\n\nHEMPSTEAD, N.Y., Sept. 26 (UPI) — Green Party candidate.", "UPI", "dateline"),
    ("Sarandon not sure.\n\nNew York (AFP) – Oscar-winning actress Susan Sarandon.", "AFP", "dateline"),
    ("Storms hit the coast on Monday. AFP contributed to this report.", "AFP", "credit"),
    ("St. Paul votes.\n\nThe council voted.\n\n(Reporting by David Bailey; Editing by Cynthia Osterman.)",
     "Reuters", "credit"),
    ("Headline\nBy Reuters\nThe minister resigned on Monday.", "Reuters", "byline"),
    ("Is this so – figured out RIA Novosti.\n\nThe ministry said on Friday that drills begin.",
     "RIA Novosti", "relay"),
])
def test_agency_credits(rules, text, agency, kind):
    found = code(rules, text)
    assert found is not None and found[:2] == (agency, kind)


@pytest.mark.parametrize("text", [
    "The president spoke on Monday. (AP Photo/Evan Vucci) He left at noon.",
    "Sanders led by 2 points, according to the Associated Press. The race goes on.",  # one citation
    "Gates told the AP that he knew nothing. Manafort declined to comment.",
    "The AP-GfK poll found that voters were unhappy.",
    "Apple shares rose. Trade was light.",
])
def test_own_reporting_is_not_wire(rules, text):
    assert code(rules, text) is None


def test_skipping_the_rules_of_agencies_a_text_never_names_finds_every_match(rules):
    every_rule = WireRules(load_codebook().sections["wire"])  # find() without skipping a rule
    every_rule._named = lambda text, end: set(every_rule.named)

    texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "text").glob("*.txt"))]
    lead = "x" * (rules.lead - len("\nBy Reuters")) + "\nBy Reuters"
    texts += [
        "Drills began, according to TASS. The ministry later told Interfax the same, as TASS reported.",
        "WASHINGTON (AP) — The vote. An APPLE a day; the AP-style memo, ap news, Ria and Reutersville.",
        lead + "ville Gazette staff: the lead ends inside the word, and the byline rule sees its end there",
        "(Reporting by David Bailey; Editing by Cynthia Osterman.)",
    ]
    for text in texts:
        assert rules.find(text) == every_rule.find(text)
    assert code(rules, texts[-2]) == ("Reuters", "byline", "By Reuters")  # cut at the lead's end
    assert code(rules, texts[-4])[:2] == ("TASS", "citation")
    assert code(rules, texts[-3])[:2] == ("AP", "dateline")


def test_citations_count_by_sentence(rules):
    once = "The drills began, TASS reported. Tanks moved to the border."
    twice = once + " The crews repelled enemy fire, TASS reported."
    assert code(rules, once) is None
    assert code(rules, twice)[:2] == ("TASS", "citation")


def test_seed_relays_come_from_the_text_not_the_metadata(nlp):
    # the seeds' texts alone, without the hand-made metadata that names their relays
    corpus = framing.load_corpus(CORPUS)
    bare = [Article(a.id, a.text) for a in corpus]
    result = framing.score(bare, extractors=["wire"], progress=False, use_cache=False)
    features = result.features.set_index("id")
    assert dict(features.wire_source) == {"seed-000": "", "seed-001": "", "seed-002": "TASS",
                                         "seed-003": "RIA Novosti", "seed-004": ""}
    assert features.loc["seed-003", "wire_cue"] == "relay"
    assert features.loc["seed-002", "wire_cue"] == "citation"
    rows = result.evidence[result.evidence.family == "wire"]
    texts = {a.id: a.text for a in corpus}
    for row in rows.itertuples():  # every row points at its words
        assert texts[row.article_id][row.start:row.end] == row.cue
        assert texts[row.article_id][row.sentence_start:row.sentence_end] == row.sentence
    decided = rows[rows.value == 1]
    assert list(decided.cue) == ["the TASS news agency cited", "figured out RIA Novosti."]
    assert features.is_copy.tolist() == [0, 0, 0, 0, 0]


def test_a_case_extends_the_base_layer(tmp_path, rules):
    (tmp_path / "case.yaml").write_text(
        "name: case\nversion: 1\nextends: base-en\n"
        "actors:\n  russia: {label: Russia, names: [Russia]}\n"
        "wire:\n  agencies:\n    pajhwok: {label: Pajhwok, names: [Pajhwok Afghan News, Pajhwok]}\n",
        encoding="utf-8")
    book = load_codebook(tmp_path / "case.yaml")
    assert book.extends.startswith("base-en")
    own = WireRules(book.sections["wire"])
    text = "Headline\n\nKABUL (Pajhwok) — Fighting went on in Kunduz."
    assert code(own, text)[:2] == ("Pajhwok", "dateline")
    assert code(rules, text) is None  # the base layer alone does not know it
    assert code(own, "WASHINGTON (AP) — The Latest.")[:2] == ("AP", "dateline")  # the base's agencies stay
    # the codebook's identity covers the base layer too, not only the case file
    assert book.sha256 != hashlib.sha256((tmp_path / "case.yaml").read_bytes()).hexdigest()


def test_layer_merging_rules():
    base = {"a": [1, 2], "m": {"x": 1, "l": ["p"]}, "s": "base"}
    case = {"a": [2, 3], "m": {"l": ["q"], "y": 2}, "s": "case"}
    assert merge_layers(base, case) == {"a": [1, 2, 3], "m": {"x": 1, "l": ["p", "q"], "y": 2}, "s": "case"}


def test_extends_errors_name_the_file(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nversion: 1\nextends: b.yaml\nactors: {x: {names: [X]}}\n")
    (tmp_path / "b.yaml").write_text("name: b\nversion: 1\nextends: a.yaml\n")
    with pytest.raises(CodebookError, match="a cycle"):
        load_codebook(tmp_path / "a.yaml")
    (tmp_path / "c.yaml").write_text("name: c\nversion: 1\nextends: base-xx\nactors: {x: {names: [X]}}\n")
    with pytest.raises(CodebookError, match=r"c\.yaml: extends: 'base-xx' is neither a bundled base layer"):
        load_codebook(tmp_path / "c.yaml")
    (tmp_path / "d.yaml").write_text("name: d\nversion: 1\nextends: base-en\nactors: {x: {names: [X]}}\n"
                                     "wire: {patterns: {dateline: ['(no placeholder']}}\n")
    # indexed into the file the user wrote (its first pattern), not into the base layer's list before it
    with pytest.raises(CodebookError, match=r"wire\.patterns\.dateline\[0\]: expected a regular expression"):
        load_codebook(tmp_path / "d.yaml")


STORY = (CORPUS / "text" / "seed-000.txt").read_text(encoding="utf-8")  # about 1,100 words


def test_near_identical_stories_cluster_earliest_first():
    edited = STORY.replace("The situation in Afghanistan continues to unravel.", "Afghanistan unravels.")
    assert edited != STORY
    other = "A different story about climate policy in California and the governor's new plan. " * 5
    items = [("b", "2021-07-21", edited), ("a", "2021-07-20", STORY), ("c", "2021-07-19", other),
             ("d", "", STORY), ("e", "2021-07-22", "")]
    table = find_copies(items).set_index("id")
    assert table.loc["a", "story_cluster"] == "a" and table.loc["a", "is_copy"] == 0
    assert table.loc["b", "story_cluster"] == "a" and table.loc["b", "is_copy"] == 1
    assert table.loc["d", "story_cluster"] == "a" and table.loc["d", "is_copy"] == 1  # no date: after
    assert table.loc["a", "story_size"] == 3
    assert table.loc["c"].tolist() == ["c", 1, 0] and table.loc["e"].tolist() == ["e", 1, 0]
    shuffled = items[:]
    random.Random(3).shuffle(shuffled)
    assert find_copies(shuffled).set_index("id").sort_index().equals(table.sort_index())


def test_a_copy_names_the_passage_it_shares_with_the_first_article(tmp_path):
    from framing.copies import copy_evidence
    from framing.engine import score_to
    from framing.tables import read_tables

    edited = STORY.replace("The situation in Afghanistan continues to unravel.", "Afghanistan unravels.")
    items = [("b", "2021-07-21", edited), ("a", "2021-07-20", STORY), ("d", "", STORY)]
    table = find_copies(items)
    rows = {r.article_id: r for r in copy_evidence(table, items)}
    assert set(rows) == {"b", "d"}  # one row per copy, none for the first article
    assert rows["d"].value == 1.0 and (rows["d"].start, rows["d"].end) == (0, len(STORY.rstrip(". \n")))
    b = rows["b"]
    assert b.family == "copy" and b.label == "copy_of" and 0.8 < b.value < 1.0
    assert edited[b.start:b.end] == b.sentence and b.sentence in STORY and len(b.sentence) > 1000
    assert "Afghanistan unravels" not in b.sentence and b.cue.startswith("same 5-word sequences as a: ")
    with pytest.raises(FramingError, match="'a' was in the corpus's first pass but not in its second"):
        copy_evidence(table, items[:1])
    # both engines write the rows after the articles' own, and the report links is_copy to them
    texts = tmp_path / "corpus"
    texts.mkdir()
    for name, _, text in items:
        (texts / f"{name}.txt").write_text(text, encoding="utf-8")
    result = framing.score(texts, use_cache=False, progress=False)
    copy_rows = result.evidence[result.evidence.family == "copy"]
    assert sorted(copy_rows.article_id) == ["b", "d"] and copy_rows.index.min() > (
        result.evidence.family != "copy").sum() - 1
    score_to(texts, tmp_path / "out", use_cache=False, progress=False)
    _, evidence = read_tables(tmp_path / "out")
    assert evidence.equals(result.evidence)


def test_a_rescore_reads_the_copies_from_the_cache_until_an_article_changes(tmp_path, monkeypatch):
    import framing.engine
    from framing.engine import score_to

    edited = STORY.replace("The situation in Afghanistan continues to unravel.", "Afghanistan unravels.")
    texts = tmp_path / "corpus"
    texts.mkdir()
    for name, text in (("a", STORY), ("b", edited), ("c", "A different story about climate policy. " * 9)):
        (texts / f"{name}.txt").write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    score_to(texts, tmp_path / "first", cache_dir=cache, progress=False)
    assert len(list((cache / "copies").glob("*.json.z"))) == 1
    real = framing.engine.find_copies
    calls: list[int] = []

    def counted(items):
        calls.append(1)
        return real(items)

    monkeypatch.setattr(framing.engine, "find_copies", counted)
    score_to(texts, tmp_path / "again", cache_dir=cache, progress=False)
    assert calls == []  # the same articles: read from the cache, byte for byte the same tables
    for name in ("features.csv", "features.parquet", "evidence.csv", "evidence.parquet"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()
    features = pd.read_csv(tmp_path / "again" / "features.csv").set_index("id")
    assert features.loc["b", "story_cluster"] == "a" and features.loc["b", "is_copy"] == 1
    flood = "A new story about a flood in the north of the country. " * 9
    (texts / "b.txt").write_text(flood, encoding="utf-8")
    score_to(texts, tmp_path / "edited", cache_dir=cache, progress=False)
    assert calls == [1]  # one article changed: the copies are found again, and they changed
    features = pd.read_csv(tmp_path / "edited" / "features.csv").set_index("id")
    assert features.loc["b", "story_cluster"] == "b" and features["is_copy"].sum() == 0
    score_to(texts, tmp_path / "uncached", cache_dir=cache, progress=False, cache_results=False)
    assert calls == [1, 1]  # --no-result-cache recomputes the copies too


def test_own_reporting_view():
    features = pd.DataFrame({"id": ["a", "b", "c"], "is_wire": [1, 0, 0], "is_copy": [0, 1, 0]})
    out, _ = own_reporting(features, None, own=True)
    assert out["id"].tolist() == ["c"]
    assert out.attrs[VIEW].startswith("Own reporting only: 2 of 3 articles left out (1 agency copy, 1 copies")
    every, _ = own_reporting(features, None, own=False)
    assert len(every) == 3 and every.attrs[VIEW].startswith("All articles, agency copy and copies included")
    with pytest.raises(OptionError, match="all 1 articles are agency copy"):
        own_reporting(features.iloc[:1], None, own=True)
    with pytest.raises(OptionError, match="no is_wire or is_copy column"):
        own_reporting(features[["id"]], None, own=True)


def test_evaluate_wire_on_polnear_dev():
    table = evaluate(shared_data("polnear"), splits=("dev",)).set_index("method")
    ours = table.loc["framing wire rules"]
    assert ours["agency articles"] == 6 and ours["own reporting"] == 66
    assert ours["precision"] >= 0.95 and ours["recall"] >= 0.90
    peer = table.loc["peer: any agency name in the text"]
    assert peer["precision"] < ours["precision"]
    labels = read_labels(shared_data("polnear"), "dev")
    assert all(r["gold"] in {"", "ap", "afp", "upi", "reuters"} for r in labels)
