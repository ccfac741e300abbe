"""The codebook is data: the bundled one loads, and every invalid key is named."""

from __future__ import annotations

import copy

import pytest
import yaml

import framing
from framing.codebook import default_codebook_path, parse_codebook
from framing.errors import CodebookError


@pytest.fixture(scope="module")
def doc():
    return yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))


def test_bundled_codebook_has_the_case_actors():
    book = framing.load_codebook()
    assert book.name == "afghanistan-2021"
    assert book.actor_ids == ["russia", "us", "nato", "taliban", "daesh", "afghan_government",
                              "csto", "central_asia"]
    assert "Kremlin" in book.actors["russia"].names
    assert book.actors["russia"].persons[2].name == "Dmitry Peskov"
    assert len(book.sha256) == 64


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["actors"]["russia"].update(nmes=["x"]), r"actors.russia: unknown key 'nmes'"),
    (lambda d: d["actors"]["russia"].update(color="red"), r"actors.russia.color: expected a colour"),
    (lambda d: d["actors"]["us"]["names"].append("Moscow"),
     r"alias 'Moscow' belongs to both actors 'russia' and 'us'"),
    (lambda d: d["references"][0].update(candidates=["taleban"]),
     r"references\[0\].candidates: 'taleban' is not an actor id"),
    (lambda d: d["actors"]["russia"]["names"].append(""), r"actors.russia.names\[4\]: expected a "
                                                          r"non-empty string"),
    (lambda d: d.update(actrs={}), r"unknown top-level key 'actrs'"),
    (lambda d: d.pop("version"), r"missing required key 'version'"),
    (lambda d: d["lexicons"].update(weights={"a": "high"}), r"lexicons.weights.a: expected a number"),
    (lambda d: d["actors"].update({"Bad Id": {"names": ["X"]}}), r"actor ids must be lower-case"),
])
def test_invalid_codebooks_name_the_key(doc, edit, message):
    bad = copy.deepcopy(doc)
    edit(bad)
    with pytest.raises(CodebookError, match=message):
        parse_codebook(bad, where="cb.yaml")


def test_yaml_syntax_error_names_the_file(tmp_path):
    (tmp_path / "cb.yaml").write_text("name: x\nactors: [\n")
    with pytest.raises(CodebookError, match=r"cb.yaml: not valid YAML"):
        framing.load_codebook(tmp_path / "cb.yaml")


def test_a_copied_codebook_scores_a_new_case(tmp_path, doc):
    new = {"name": "sahel-2023", "version": "0.1", "extends": "base-en", "actors": {
        "france": {"label": "France", "names": ["France", "Paris"], "demonyms": ["French"]},
        "wagner": {"label": "Wagner", "names": ["Wagner Group", "Wagner"]}},
        "lexicons": doc["lexicons"],
        "sourcing": {**doc["sourcing"], "actor_types": {}, "actor_origins": {"france": "west"}},
        "blame": doc["blame"]}
    (tmp_path / "sahel.yaml").write_text(yaml.safe_dump(new), encoding="utf-8")
    result = framing.score(["Paris said the Wagner Group moved in Mali. French troops left."],
                           codebook=tmp_path / "sahel.yaml", use_cache=False, progress=False)
    assert result.wide().loc[0, "mentions_france"] == 2
    assert result.wide().loc[0, "mentions_wagner"] == 1
    assert "mentions_russia" not in result.wide().columns
    [row] = result.evidence[result.evidence.family == "attribution"].itertuples()
    assert (row.source, row.origin, row.form) == ("Paris", "west", "indirect")


def test_a_codebook_built_in_python_is_identified_by_its_contents():
    doc = {"name": "x", "version": "1", "actors": {"russia": {"names": ["Russia"]}}}
    same = {"version": "1", "actors": {"russia": {"names": ["Russia"]}}, "name": "x"}
    other = {"name": "x", "version": "1", "actors": {"russia": {"names": ["Russia", "Moscow"]}}}
    assert parse_codebook(doc).sha256 == parse_codebook(same).sha256  # keys in any order
    assert parse_codebook(doc).sha256 != parse_codebook(other).sha256
    assert len(parse_codebook(doc).sha256) == 64
