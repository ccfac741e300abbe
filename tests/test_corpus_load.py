"""Loading: every format, every error named, nothing altered or silently dropped."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import framing
from framing.corpus import LanguageWarning, SkippedArticleWarning
from framing.errors import CorpusError

from .conftest import CORPUS


def test_bundled_corpus_has_the_five_seed_articles_with_metadata(corpus):
    assert corpus.ids == ["seed-000", "seed-001", "seed-002", "seed-003", "seed-004"]
    meta = corpus["seed-000"].meta
    assert meta["outlet"] == "Atalayar (English edition)"
    assert meta["outlet_country"] == "Spain"
    assert meta["date"] == "2021-07-21" and meta["date_precision"] == "day"
    assert meta["title"] == "Russia mobilises on Afghan borders"
    assert meta["raw_file"] == "000_f6e75a192d3132b3.txt"
    assert corpus["seed-003"].meta["relayed_source"] == "RIA Novosti"
    assert corpus["seed-003"].meta["outlet"].startswith("unknown")
    assert corpus["seed-001"].meta["date_precision"] == "inferred"
    for field in ("id", "outlet", "outlet_country", "date", "date_precision", "title", "url",
                  "language", "relayed_source", "raw_file", "notes"):
        assert field in pd.read_csv(CORPUS / "metadata.csv").columns


def test_folder_text_is_exactly_the_file(corpus):
    assert corpus["seed-002"].text == (CORPUS / "text" / "seed-002.txt").read_text(encoding="utf-8")


def test_csv_jsonl_parquet_tables(tmp_path):
    frame = pd.DataFrame({"doc": ["a", "b"], "body": ["Russia said so.\r\nNew line.", "NATO troops left."],
                          "outlet": ["X", "Y"]})
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_parquet(tmp_path / "t.parquet")
    with open(tmp_path / "t.jsonl", "w", encoding="utf-8") as f:
        for row in frame.to_dict("records"):
            f.write(json.dumps(row) + "\n")
    for name in ("t.csv", "t.jsonl", "t.parquet"):
        c = framing.load_corpus(tmp_path / name, id_column="doc", text_column="body")
        assert c.ids == ["a", "b"]
        assert c["a"].text == "Russia said so.\r\nNew line."  # line ends untouched
        assert c["b"].meta == {"outlet": "Y"}


def test_txt_folder_keeps_bytes_and_uses_stems_as_ids(tmp_path):
    (tmp_path / "one.txt").write_bytes(b"The Taliban advanced.\r\n\r\nKabul  fell.")
    (tmp_path / "two.txt").write_text("Moscow watched closely.", encoding="utf-8")
    c = framing.load_corpus(tmp_path)
    assert c.ids == ["one", "two"]
    assert c["one"].text == "The Taliban advanced.\r\n\r\nKabul  fell."


def test_html_folder_through_trafilatura(tmp_path):
    body = " ".join(["The Kremlin said that Russian troops will hold exercises with Tajikistan."] * 4)
    html = (f"<html><head><title>Drills on the border</title></head><body><nav>Home | News</nav>"
            f"<article><h1>Drills on the border</h1><p>{body}</p><p>{body}</p></article>"
            f"<footer>Copyright 2021</footer></body></html>")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    c = framing.load_corpus(tmp_path)
    assert c.ids == ["page"]
    assert "Russian troops will hold exercises" in c["page"].text
    assert "Home | News" not in c["page"].text
    assert c["page"].meta["title"] == "Drills on the border"


def test_empty_text_is_skipped_and_reported(tmp_path):
    (tmp_path / "t.csv").write_text("id,text\na,Russia moved tanks.\nb,   \n", encoding="utf-8")
    with pytest.warns(SkippedArticleWarning, match="row 2 \\(line 3\\): article 'b' skipped: empty text"):
        c = framing.load_corpus(tmp_path / "t.csv")
    assert c.ids == ["a"]
    assert [s.id for s in c.skipped] == ["b"] and c.skipped[0].reason == "empty text"
    with pytest.raises(CorpusError, match="row 2 \\(line 3\\): article 'b' skipped: empty text"):
        framing.load_corpus(tmp_path / "t.csv", on_error="raise")


def test_duplicate_id_names_both_rows(tmp_path):
    (tmp_path / "t.csv").write_text("id,text\na,One short article.\nb,Two short articles.\n"
                                    "a,Three short articles.\n", encoding="utf-8")
    where = r"row 3 \(line 4\): duplicate id 'a' \(first at .*row 1 \(line 2\)\)"
    with pytest.raises(CorpusError, match=where):
        framing.load_corpus(tmp_path / "t.csv")


def test_missing_column_says_which_and_how_to_fix(tmp_path):
    (tmp_path / "t.csv").write_text("id,body\na,One.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"missing required column 'text' \(columns: id, body\)"
                                          r".*--text-column"):
        framing.load_corpus(tmp_path / "t.csv")


def test_undecodable_bytes_name_the_file_and_offset(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"Russia \xff\xfe said.")
    (tmp_path / "good.txt").write_bytes(b"NATO troops left.")
    with pytest.warns(SkippedArticleWarning, match=r"bad.txt: article 'bad' skipped: undecodable "
                                                   r"bytes at byte 7"):
        c = framing.load_corpus(tmp_path)
    assert c.ids == ["good"] and c.skipped[0].id == "bad"
    assert framing.load_corpus(tmp_path, encoding="latin-1")["bad"].text == "Russia ÿþ said."


def test_unknown_format(tmp_path):
    (tmp_path / "t.xlsx").write_bytes(b"x")
    with pytest.raises(CorpusError, match=r"t.xlsx: unknown corpus format \(suffix '.xlsx'\)"):
        framing.load_corpus(tmp_path / "t.xlsx")
    with pytest.raises(CorpusError, match="unknown corpus format 'doc'"):
        framing.load_corpus(tmp_path / "t.xlsx", format="doc")
    with pytest.raises(CorpusError, match="no such file or folder"):
        framing.load_corpus(tmp_path / "missing.csv")


def test_non_english_text_warns_but_loads(tmp_path):
    russian = "Россия проведёт военные учения на границе с Афганистаном вместе с Таджикистаном. " * 5
    german = ("Die Regierung in Moskau hat angekündigt, dass sie gemeinsam mit den Nachbarn "
              "Übungen an der Grenze durchführen wird, weil die Lage sich verschlechtert. ") * 2
    (tmp_path / "ru.txt").write_text(russian, encoding="utf-8")
    (tmp_path / "de.txt").write_text(german, encoding="utf-8")
    with pytest.warns(LanguageWarning) as caught:
        c = framing.load_corpus(tmp_path)
    messages = " ".join(str(w.message) for w in caught)
    assert "'ru'" in messages and "Latin" in messages
    assert "'de'" in messages and "function words" in messages
    assert c.ids == ["de", "ru"]


def test_english_seed_articles_raise_no_language_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        framing.load_corpus(CORPUS)
