"""The HTML evidence report: built from real scores, opened in a real browser (Debian's chromium,
driven by Selenium through chromium-driver), checked for what a coder relies on."""

from __future__ import annotations

import hashlib
import os
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.corpus import Article
from framing.report import build_report
from framing.report.pages import page_name

from .conftest import CLIMATE, CORPUS, _errors, _open

GOLD = CORPUS / "gold-example.yaml"
SCREENSHOTS = os.environ.get("FRAMING_SCREENSHOTS")  # a folder to keep the tests' screenshots in


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def seed_site(scored, tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    scored.write(root / "scores")
    build_report(root / "scores", CORPUS, root / "site", gold=GOLD)
    return root


@pytest.fixture(scope="module")
def climate_site(cache_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("climate-report")
    corpus = framing.load_corpus(CLIMATE)
    # twelve articles of three outlets: enough for filters, quick to score
    picked = [a for a in corpus if a.meta["outlet"] in ("Breitbart", "The Guardian", "Fox News")][:12]
    framing.score(picked, codebook="climate-2019", cache_dir=cache_dir, progress=False).write(root / "scores")
    build_report(root / "scores", CLIMATE, root / "site", page_size=5)
    return root


@pytest.fixture(scope="module")
def hostile_site(cache_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-report")
    text = ("Russia accused the Taliban of attacks. <script>window.__pwned = 1;</script> "
            "<img src=x onerror=\"window.__pwned = 2\"> The Taliban denied it, Reuters reported.")
    articles = [Article("x<y", text, {"outlet": "<b>bold</b>"})]
    framing.score(articles, cache_dir=cache_dir, progress=False).write(root / "scores")
    corpus = root / "corpus.jsonl"
    corpus.write_text(pd.DataFrame([{"id": "x<y", "text": text, "outlet": "<b>bold</b>"}]).to_json(
        orient="records", lines=True, force_ascii=False), encoding="utf-8")
    build_report(root / "scores", corpus, root / "site")
    return root


def test_same_scores_same_bytes(seed_site, tmp_path):
    build_report(seed_site / "scores", CORPUS, tmp_path / "again", gold=GOLD)
    assert _digest(seed_site / "site") == _digest(tmp_path / "again")
    assert (tmp_path / "again" / "assets" / "report.js").is_file()  # shipped, not fetched
    html = (tmp_path / "again" / "articles" / "seed-000.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html.replace(
        "https://atalayar.com", "")  # only the article's own url, as metadata text


def test_article_text_is_escaped(hostile_site):
    html = (hostile_site / "site" / "articles" / page_name("x<y")).read_text(encoding="utf-8")
    assert "<script>window" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    shown = unescape(re.sub(r"<[^>]+>", "", html))  # the text a reader sees
    assert "<script>window.__pwned = 1;</script> <img src=x onerror" in shown
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_bad_corpus_is_named(seed_site, tmp_path):
    with pytest.raises(framing.FramingError, match="scored articles are not in the corpus"):
        build_report(seed_site / "scores", CLIMATE, tmp_path / "site")
    assert not (tmp_path / "site").exists()


# -- in the browser -----------------------------------------------------------------------------------

def _shot(browser, name: str, tmp_path: Path) -> None:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(folder / f"{name}.png"))


@pytest.mark.parametrize("article_id", ["seed-000", "seed-002", "seed-003"])
def test_article_page_in_the_browser(browser, seed_site, scored, article_id, tmp_path):
    from selenium.webdriver.common.by import By

    _open(browser, seed_site / "site" / "articles" / f"{article_id}.html")
    assert _errors(browser) == []
    rows = scored.evidence[scored.evidence.article_id == article_id]
    table = browser.find_elements(By.CSS_SELECTOR, "#rows-table tbody tr")
    assert len(table) == len(rows)
    spans = browser.find_elements(By.CSS_SELECTOR, "#text .ev")
    highlighted = {k for s in spans for k in s.get_attribute("data-rows").split()}
    assert highlighted == {str(k) for k in range(len(rows))}  # every row has its highlight, no other
    # clicking a blame span shows its cue in the panel
    blame = next(s for s in spans if "blame" in s.get_attribute("data-families").split()) \
        if (rows.family == "blame").any() else spans[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", blame)
    blame.click()
    shown = browser.find_element(By.ID, "detail-body").text
    first = rows.sort_values(["start", "end", "family"], kind="stable").reset_index(drop=True).iloc[
        int(blame.get_attribute("data-rows").split()[0])]
    assert first.cue and str(first.cue) in shown
    _shot(browser, f"article-{article_id}", tmp_path)
    assert _errors(browser) == []


def test_gold_marks_in_the_browser(browser, seed_site, tmp_path):
    from selenium.webdriver.common.by import By

    _open(browser, seed_site / "site" / "articles" / "seed-000.html")
    marks = browser.find_elements(By.CSS_SELECTOR, "#text .gold-agree, #text .gold-disagree")
    gold_rows = browser.find_elements(By.CSS_SELECTOR, "table.gold tbody tr")
    assert len(marks) >= 6 and len(gold_rows) >= 6  # six coded sentences, their attributions
    assert any("disagree" in m.get_attribute("class") for m in marks)  # the example disagrees somewhere
    kremlin = next(m for m in marks if "The Kremlin has announced" in m.text)
    assert "agree" in kremlin.get_attribute("class")
    _shot(browser, "article-seed-000-gold", tmp_path)


def test_feature_link_shows_its_rows(browser, seed_site, scored):
    from selenium.webdriver.common.by import By

    _open(browser, seed_site / "site" / "articles" / "seed-000.html")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.feature-link")
                if a.get_attribute("data-family") == "stance" and a.get_attribute("data-actor") == "taliban")
    browser.execute_script("arguments[0].click();", link)
    visible = [tr for tr in browser.find_elements(By.CSS_SELECTOR, "#rows-table tbody tr")
               if tr.is_displayed()]
    ev = scored.evidence
    assert len(visible) == int(((ev.article_id == "seed-000") & (ev.family == "stance")
                                & (ev.actor == "taliban")).sum()) > 0
    assert all(tr.get_attribute("data-family") == "stance" for tr in visible)


def test_index_filters_in_the_browser(browser, climate_site, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    features, _ = framing.read_scores(climate_site / "scores")  # with mentions_<actor> columns
    _open(browser, climate_site / "site" / "index.html")
    assert _errors(browser) == []
    page = features.iloc[:5]
    rows = browser.find_elements(By.CSS_SELECTOR, "#index-table tbody tr")
    assert len(rows) == 5
    outlet = page["outlet"].iloc[0]
    select = browser.find_element(By.CSS_SELECTOR, 'select[data-column="outlet"]')
    key = select.get_attribute("data-filter")  # a position (g0, g1, ...), never a column's name
    assert re.fullmatch(r"g\d+", key)
    Select(select).select_by_value(outlet)
    shown = [r for r in rows if r.is_displayed()]
    assert len(shown) == int((page["outlet"] == outlet).sum())
    assert {r.get_attribute(f"data-{key}") for r in shown} == {outlet}
    Select(select).select_by_value("")
    Select(browser.find_element(By.CSS_SELECTOR, 'select[data-filter="actors"]')).select_by_value("epa")
    shown = [r.find_element(By.TAG_NAME, "a").text for r in rows if r.is_displayed()]
    assert shown == [i for i, m in zip(page["id"], page["mentions_epa"]) if m > 0]
    Select(browser.find_element(By.CSS_SELECTOR, 'select[data-filter="actors"]')).select_by_value("")
    # by actor attribute: the articles that mention any actor of that stakeholder group
    book = framing.load_codebook("climate-2019")
    stakeholder = browser.find_element(By.CSS_SELECTOR, 'select[data-column="stakeholder"]')
    assert stakeholder.get_attribute("data-filter") == "a0"
    Select(stakeholder).select_by_value("industry_emissions")
    shown = [r.find_element(By.TAG_NAME, "a").text for r in rows if r.is_displayed()]
    industry = book.actors_with("stakeholder", "industry_emissions")
    assert shown == [i for _, r in page.iterrows() if any(r[f"mentions_{a}"] > 0 for a in industry)
                     for i in [r["id"]]]
    assert len(browser.find_elements(By.CSS_SELECTOR, "nav.pages a")) == 3  # 12 articles, 5 a page
    _shot(browser, "index-climate", tmp_path)
    assert _errors(browser) == []


def test_an_article_page_lists_the_features_it_has(seed_site, scored):
    html = (seed_site / "site" / "articles" / "seed-000.html").read_text(encoding="utf-8")
    row = scored.wide().set_index("id").loc["seed-000"]
    assert "<td>denials_csto</td>" not in html and row["denials_csto"] == 0  # a zero
    assert f"<td>n_words</td><td>{int(row['n_words'])}</td>" in html
    # every feature is either a row of the table or counted among the quiet ones, none twice
    quiet = re.search(r"<summary>([\d,]+) more features are 0 or missing", html).group(1)
    quiet = int(quiet.replace(",", ""))
    table = html.split('<table class="features">', 1)[1].split("</table>", 1)[0]
    meta = set(framing.load_corpus(CORPUS)["seed-000"].meta)
    assert table.count("<tr><td>") + quiet == len([c for c in row.index if c not in meta])
    assert quiet > 20  # many of a codebook's per-actor features are 0 in one article
    # the rows table says whose voice a stance row is in and its weight in the article value
    kabul = re.search(r'<tr id="row-\d+"[^>]*data-family="stance" data-actor="taliban">(?:(?!</tr>).)*'
                      r'<td data-c="source">government in Kabul</td>(?:(?!</tr>).)*</tr>', html)
    assert kabul and '<td data-c="voice">source</td>' in kabul.group(0)
    assert '<td data-c="attributor">afghan_government</td>' in kabul.group(0)
    # a source's row, and the author writes about the Taliban too: it weighs nothing in the article value
    assert '<td data-c="article_weight">0</td>' in kabul.group(0)


def test_injected_script_does_not_run(browser, hostile_site):
    from selenium.webdriver.common.by import By

    _open(browser, hostile_site / "site" / "articles" / page_name("x<y"))
    assert browser.execute_script("return window.__pwned === undefined;")
    assert "<script>window.__pwned = 1;</script>" in browser.find_element(By.ID, "text").text
    _open(browser, hostile_site / "site" / "index.html")
    assert browser.execute_script("return window.__pwned === undefined;")
    assert _errors(browser) == []
