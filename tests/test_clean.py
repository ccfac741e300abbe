"""Cleaning: recorded rules, a log that maps every kept line back to the raw text, title kept once."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

import framing
from framing.corpus import clean_article
from framing.errors import CorpusError

from .conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def raw():
    return framing.load_corpus(CORPUS / "raw")


@pytest.fixture(scope="module")
def rules():
    return framing.load_rules(CORPUS / "cleaning.yaml")


def test_raw_copies_are_verbatim_seeds(raw):
    # raw/SHA256SUMS holds the checksums of the seed files as received (sha256sum format)
    sums = {}
    for line in (CORPUS / "raw" / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name] = digest
    assert sorted(sums) == sorted(a.meta["file"] for a in raw) and len(sums) == 5
    for article in raw:
        data = (CORPUS / "raw" / article.meta["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sums[article.meta["file"]], article.meta["file"]


def test_checksums_are_those_of_the_seeds_beside_the_repository():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds}: the project's seed folder is not beside this clone (the checksums in "
                    "corpus/afghanistan-2021/raw/SHA256SUMS are checked without it)")
    for line in (CORPUS / "raw" / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((seeds / name).read_bytes()).hexdigest() == digest, name


def test_committed_cleaned_corpus_regenerates_exactly(raw, rules, tmp_path):
    framing.clean_corpus(raw, rules, tmp_path)
    for name in ("metadata.csv", "cleaning_log.csv"):
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name
    for article in raw:
        rel = f"text/{article.id}.txt"
        assert (tmp_path / rel).read_bytes() == (CORPUS / rel).read_bytes(), rel


def test_page_chrome_removed_with_named_rules(raw, rules):
    log = pd.read_csv(CORPUS / "cleaning_log.csv", dtype=str, keep_default_na=False)
    removed = log[log.action == "removed"]
    by_text = dict(zip(removed.text, removed.rule))
    assert by_text["portavoz-rusia-dmitry- peskov"] == "image_file_name"
    assert by_text["Rate it"] == "site_widget"
    assert by_text["Сообщите об орфографической ошибке"] == "non_english_site_message"
    assert by_text["Monitoring Desk"] == "byline"
    assert by_text["MOSCOW: "] == "dateline"
    assert by_text["Date: 13 August 2021"] == "date_line"
    assert by_text["Your email address will not be published."] == "comment_form"
    text_001, _ = clean_article(raw["seed-001"], rules)
    title = "Russia won't leave its allies in Central Asia out in the cold"
    assert text_001.count(title) == 1 and text_001.startswith(title + "\n\n")
    assert "Add comment" not in text_001 and "Rate it" not in text_001
    assert text_001.endswith("the region as a whole.")
    text_003, _ = clean_article(raw["seed-003"], rules)
    assert "\n\nDozens of occupied settlements" in text_003


def test_log_maps_kept_lines_back_to_raw(raw, rules):
    for article in raw:
        text, records = clean_article(article, rules)
        for r in records:
            assert article.text[r.raw_start:r.raw_end] == r.text
            if r.action == "kept":
                assert text[r.clean_start:r.clean_end] == r.text


def test_bad_rules_name_the_key(tmp_path):
    (tmp_path / "r.yaml").write_text("remove:\n  - name: x\n    pattern: '(unclosed'\n")
    with pytest.raises(CorpusError, match=r"remove\[0\] \(x\): bad regular expression"):
        framing.load_rules(tmp_path / "r.yaml")
    (tmp_path / "r.yaml").write_text("remvoe: []\n")
    with pytest.raises(CorpusError, match="unknown key 'remvoe'"):
        framing.load_rules(tmp_path / "r.yaml")
