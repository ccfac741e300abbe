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
    (lambda d: d.setdefault("lexicons", {}).update(weights={"a": "high"}),
     r"lexicons.weights.a: expected a number"),
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


def test_check_lists_every_clash_and_points_into_the_file_the_user_wrote(tmp_path, capsys):
    (tmp_path / "c.yaml").write_text(
        "name: c\nversion: '1'\nextends: base-en\n"
        "actors:\n  a: {names: [Alpha, Beta]}\n  b: {names: [Beta, Gamma]}\n  c: {names: [Gamma]}\n"
        "  d: {persons: [Ann Lee]}\n  e: {persons: [Bo Lee]}\n"  # a shared surname is no clash
        "blame:\n  harm_nouns: [flood, cover-up, 3]\n", encoding="utf-8")
    from framing.cli import main

    assert main(["codebook", "check", str(tmp_path / "c.yaml")]) == 2
    err = capsys.readouterr().err
    assert "alias 'Beta' belongs to both actors 'a' and 'b'" in err
    assert "alias 'Gamma' belongs to both actors 'b' and 'c'" in err and "'Lee'" not in err
    # the second and third entries of the user's list, not of the base layer's list merged before them
    assert "blame.harm_nouns[1]: 'cover-up' is not one word (the tokenizer splits it)" in err
    assert "blame.harm_nouns[2]: expected a word, got 3" in err
    assert "4 problem(s)" in err


def test_check_reads_no_model_and_imports_no_spacy_for_a_codebook_without_patterns_of_its_own():
    import subprocess
    import sys

    code = ("import sys; from framing.cli import main; "
            "code = main(['codebook', 'check', 'afghanistan-2021']); "
            "print(code, 'spacy' in sys.modules, 'framing.extract' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[-3:] == ["0", "False", "False"]  # validated without the extractors or spaCy
