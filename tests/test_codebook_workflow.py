"""The codebook workflow of a new case (issue 30): suggest actors from the corpus, see which aliases hit."""

from __future__ import annotations

import yaml

import framing
from framing.cli import main
from framing.codebook_suggest import draft

from .conftest import CORPUS


def test_hits_counts_each_alias_with_examples_and_names_the_silent_ones(tmp_path, capsys):
    out = tmp_path / "hits.csv"
    assert main(["codebook", "hits", str(CORPUS), "--codebook", "afghanistan-2021", "--csv", str(out),
                 "--no-progress"]) == 0
    printed = capsys.readouterr().out
    import pandas as pd

    table = pd.read_csv(out).set_index(["actor", "alias"])
    # seed-000 alone: "Peskov" after "Kremlin spokesman Dmitry Peskov"; the Taliban named in every article
    assert table.loc[("russia", "Peskov")][["kind", "articles", "mentions"]].tolist() == ["short_form", 1, 1]
    assert table.loc[("taliban", "Taliban")].articles == 5
    assert "seed-000: So far, only alarming news is coming from there,\" Peskov said." in \
        table.loc[("russia", "Peskov")].examples
    # a place use is listed, not counted: "on the borders with ... Uzbekistan"
    assert (table.not_counted > 0).any()
    assert "aliases never matched:" in printed and "russia: person 'Alexander Lapin'" not in printed
    never = printed.split("aliases never matched:")[1]
    assert "nato: name 'North Atlantic Treaty Organization'" in never  # in the codebook, in no seed article


def test_suggest_drafts_actors_from_the_entities_with_surnames_grouped(tmp_path):
    found = {("PERSON", "Donald Trump"): {"a", "b"}, ("PERSON", "Donald J. Trump"): {"c"},
             ("PERSON", "Trump"): {"a", "d", "e"}, ("PERSON", "Donald Trump Jr."): {"f", "g"},
             ("PERSON", "Shreds Trump"): {"h"}, ("ORG", "Trump"): {"a", "b", "i"},
             ("NORP", "Democrats"): {"a", "b"}, ("GPE", "Ohio"): {"a"}}
    actors = {a["id"]: a for a in draft(found, 10, min_articles=2)}
    assert set(actors) == {"donald_trump", "donald_trump_jr", "democrats"}  # Ohio: 1 article
    trump = actors["donald_trump"]
    assert trump["persons"] == ["Donald Trump"] and trump["n"] == 5  # a b c + d e ("Trump" alone)
    assert "also written Donald J. Trump" in trump["note"] and "\"Trump\" alone in 3" in trump["note"]
    assert actors["donald_trump_jr"]["n"] == 2  # the son is not the father
    # from the CLI on the seeds: a YAML fragment that a codebook accepts as its actors
    out = tmp_path / "draft.yaml"
    assert main(["codebook", "suggest", str(CORPUS), "--out", str(out), "--no-progress"]) == 0
    drafted = yaml.safe_load(out.read_text(encoding="utf-8"))["actors"]
    assert drafted["taliban"]["names"] == ["Taliban"] and drafted["joe_biden"]["persons"] == ["Joe Biden"]
    book = {"name": "seeds-draft", "version": "0.1", "extends": "base-en", "actors": drafted}
    (tmp_path / "book.yaml").write_text(yaml.safe_dump(book), encoding="utf-8")
    assert framing.load_codebook(tmp_path / "book.yaml").actors["taliban"].kind == "organisation"
    again = ["codebook", "suggest", str(CORPUS), "--out", str(out), "--no-progress"]
    assert main(again) == 2  # an existing file is never overwritten
