"""Untrusted corpora and codebooks (issue 27), driven as a user would: the command line on files in a
temporary folder. Nothing is read outside the corpus, nothing from the data runs in the browser, no
command destroys its inputs, one run writes a folder at a time, hostile files fail fast with a message."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing.cli import main
from framing.outputs import MARKER, lock_path, output_lock

from .conftest import CORPUS, ROOT, _errors, _open

SECRET = "TOP-SECRET-LINE-OUTSIDE-THE-CORPUS"
TEXT = ("Russia accused the Taliban of attacks on the border. The Taliban denied it, officials in Kabul "
        "said on Monday.")
FAST = ["--extractors", "actors,attribution", "--quiet"]


def _corpus(folder: Path, rows: list[dict], texts: dict[str, str] | None = None) -> Path:
    """A corpus folder: ``metadata.csv`` from ``rows`` and ``text/<name>`` files from ``texts``."""
    (folder / "text").mkdir(parents=True, exist_ok=True)
    for name, text in (texts or {}).items():
        (folder / "text" / name).write_text(text, encoding="utf-8")
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _score(corpus: Path, out: Path, cache_dir: Path, *extra: str) -> int:
    return main(["score", str(corpus), "--out", str(out), "--cache-dir", str(cache_dir), *FAST, *extra])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# 1. paths named by data stay inside their root

def test_metadata_paths_leading_out_of_the_corpus_are_refused(tmp_path, cache_dir, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{SECRET} and more words to make an article\n", encoding="utf-8")
    corpus = _corpus(tmp_path / "corpus", [
        {"id": "good", "file": "text/good.txt", "outlet": "A"},
        {"id": "dots", "file": "../secret.txt", "outlet": "A"},
        {"id": "absolute", "file": str(secret), "outlet": "A"},
        {"id": "link", "file": "text/link.txt", "outlet": "A"},
    ], {"good.txt": TEXT})
    (corpus / "text" / "link.txt").symlink_to(secret)
    out = tmp_path / "scores"
    assert _score(corpus, out, cache_dir) == 1  # outputs written, some articles refused
    err = capsys.readouterr().err
    for row, name in ((3, "../secret.txt"), (4, str(secret)), (5, "text/link.txt")):
        assert f"metadata.csv row {row - 1} (line {row})" in err and f"file {name!r}" in err
    assert "leads outside the corpus folder" in err and "is an absolute path" in err
    assert "through a symlink" in err
    features = pd.read_parquet(out / "features.parquet")
    assert features.id.tolist() == ["good"]
    assert SECRET not in (out / "evidence.csv").read_text(encoding="utf-8")
    assert main(["report", str(out), "--corpus", str(corpus), "--out", str(tmp_path / "site")]) == 0
    assert all(SECRET.encode() not in data for data in _tree(tmp_path / "site").values())


def test_a_txt_folder_symlink_leading_out_is_refused(tmp_path, cache_dir, capsys):
    (tmp_path / "secret.txt").write_text(f"{SECRET} with enough words in it\n", encoding="utf-8")
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").symlink_to(tmp_path / "secret.txt")
    assert _score(folder, tmp_path / "out", cache_dir) == 1
    assert "b.txt: article 'b' skipped: refused:" in capsys.readouterr().err
    assert pd.read_parquet(tmp_path / "out" / "features.parquet").id.tolist() == ["a"]


def test_codebook_extends_and_gold_corpus_stay_in_their_folder(tmp_path, capsys):
    shutil.copy(ROOT / "framing" / "codebooks" / "base" / "base-en.yaml", tmp_path / "base.yaml")
    folder = tmp_path / "case"
    folder.mkdir()
    book = folder / "case.yaml"
    book.write_text("name: case\nversion: 1\nextends: ../base.yaml\nactors:\n  russia: {names: [Russia]}\n",
                    encoding="utf-8")
    assert main(["codebook", "check", str(book)]) == 2
    err = capsys.readouterr().err
    assert f"{book}: extends: refused: '../base.yaml' leads outside the codebook's folder" in err
    gold = folder / "gold.yaml"
    gold.write_text("corpus: ../../\narticles: []\n", encoding="utf-8")
    assert main(["validate", str(gold)]) == 2
    assert "corpus: refused: '../../' leads outside the gold file's folder" in capsys.readouterr().err


# 2. nothing from the data becomes markup; the browser runs none of it

HOSTILE_COLUMN = "x tabindex=1 autofocus onfocus=document.title=1337 y"


@pytest.fixture(scope="module")
def hostile_columns(tmp_path_factory, cache_dir):
    root = tmp_path_factory.mktemp("hostile-columns")
    corpus = _corpus(root / "corpus", [
        {"id": f"a{i}", "file": "text/a.txt" if i else "text/b.txt", HOSTILE_COLUMN: v,
         "q onmouseover=alert(1) z": v} for i, v in enumerate(["one", "two", "one"])
    ], {"a.txt": TEXT, "b.txt": TEXT.replace("Monday", "Tuesday")})
    assert _score(corpus, root / "scores", cache_dir) == 0
    assert main(["report", str(root / "scores"), "--corpus", str(corpus), "--out", str(root / "site")]) == 0
    return root / "site"


def _attribute_names(html: str) -> set[str]:
    """Every attribute name of every element, as a browser's parser reads them."""
    from html.parser import HTMLParser

    names: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names.update(name for name, _ in attrs)

    Collect().feed(html)
    return names


def test_metadata_column_names_never_become_attributes(hostile_columns):
    pages = [hostile_columns / "index.html", *sorted((hostile_columns / "articles").glob("*.html"))]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        names = _attribute_names(html)
        assert not [n for n in names if n.startswith("on")] and "autofocus" not in names, (page.name, names)
        assert not {"x", "q", "y", "z", "tabindex=1"} & names
    index = (hostile_columns / "index.html").read_text(encoding="utf-8")
    assert all(re.fullmatch(r"data-(filter|column|actors|g\d+)", n)
               for n in _attribute_names(index) if n.startswith("data-"))
    assert 'data-filter="g0"' in index and 'data-g0="one"' in index and 'data-filter="g1"' in index
    assert f'data-column="{HOSTILE_COLUMN}"' in index  # a value, quoted and escaped
    policy = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'self\';'
    assert all(policy in p.read_text(encoding="utf-8") for p in pages)


def test_hostile_column_names_run_nothing_in_the_browser(browser, hostile_columns):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select


    _open(browser, hostile_columns / "index.html")
    assert browser.title != "1337" and browser.execute_script("return document.title") != "1337"
    rows = browser.find_elements(By.CSS_SELECTOR, "#index-table tbody tr")
    assert all(r.get_attribute("onfocus") is None and r.get_attribute("autofocus") is None for r in rows)
    select = browser.find_element(By.CSS_SELECTOR, f'select[data-column="{HOSTILE_COLUMN}"]')
    Select(select).select_by_value("two")  # the filter still works, keyed by position
    assert [r.find_element(By.TAG_NAME, "a").text for r in rows if r.is_displayed()] == ["a1"]
    assert _errors(browser) == []


def test_the_policy_blocks_an_inline_script_that_escaped(browser, hostile_columns, tmp_path):
    # a page of the report with a script planted in it, as a missed escape would: the browser's
    # Content-Security-Policy refuses to run it, and the shipped script still runs

    site = tmp_path / "site"
    shutil.copytree(hostile_columns, site)
    page = site / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("<main>", "<main><script>document.title = 'pwned';</script>"
                                           "<img src=x onerror=\"document.title = 'pwned2'\">", 1),
                    encoding="utf-8")
    _open(browser, page)
    assert browser.execute_script("return document.title").startswith("framing report")
    assert browser.execute_script("return document.querySelectorAll('select[data-filter]').length") == 3


# 3. no command writes into, or replaces, its inputs or a folder it did not make

def test_no_output_replaces_or_writes_into_an_input(tmp_path, cache_dir, capsys, monkeypatch):
    corpus = _corpus(tmp_path / "corpus", [{"id": "a", "file": "text/a.txt"}], {"a.txt": TEXT})
    (corpus / "raw").mkdir()
    (corpus / "raw" / "a.txt").write_text("RAW " + TEXT, encoding="utf-8")
    scores = tmp_path / "scores"
    assert _score(corpus, scores, cache_dir) == 0
    before = {"corpus": _tree(corpus), "scores": _tree(scores)}
    monkeypatch.chdir(tmp_path)
    for out, why in ((scores, "is the input"), (corpus, "is the input"), (Path("."), "holds the input"),
                     (corpus / "text", "is the input")):
        assert main(["report", str(scores), "--corpus", str(corpus), "--out", str(out)]) == 2
        assert why in capsys.readouterr().err
    assert main(["clean", str(corpus / "raw"), "--rules", str(CORPUS / "cleaning.yaml"),
                 "--out", str(corpus / "raw")]) == 2
    assert "is the input" in capsys.readouterr().err
    assert main(["figures", str(scores), "--out", str(scores)]) == 2
    assert main(["score", str(corpus), "--out", str(corpus), *FAST]) == 2
    assert main(["score", str(corpus), "--out", str(ROOT / "framing" / "scores"), *FAST]) == 2
    assert "inside the installed framing package" in capsys.readouterr().err
    assert {"corpus": _tree(corpus), "scores": _tree(scores)} == before


def test_report_replaces_only_a_folder_an_earlier_report_wrote(tmp_path, cache_dir, capsys):
    corpus = _corpus(tmp_path / "corpus", [{"id": "a", "file": "text/a.txt"}], {"a.txt": TEXT})
    scores = tmp_path / "scores"
    assert _score(corpus, scores, cache_dir) == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("three years of work", encoding="utf-8")
    report = ["report", str(scores), "--corpus", str(corpus), "--out", str(mine)]
    assert main(report) == 2
    assert f"no {MARKER} saying 'report'" in capsys.readouterr().err
    assert (mine / "thesis.tex").read_text(encoding="utf-8") == "three years of work"
    site = tmp_path / "site"
    assert main(["report", str(scores), "--corpus", str(corpus), "--out", str(site)]) == 0
    assert main(["report", str(scores), "--corpus", str(corpus), "--out", str(site)]) == 0  # its own
    assert (site / MARKER).read_text(encoding="utf-8").startswith("framing report\n")
    assert main(["report", str(scores), "--corpus", str(corpus), "--out", str(scores), "--force"]) == 2
    assert main([*report, "--force"]) == 0 and not (mine / "thesis.tex").exists()


# 4. a run that scored nothing keeps the earlier results

def test_a_run_where_every_article_fails_keeps_the_earlier_results(tmp_path, cache_dir, capsys, monkeypatch):
    from framing.extract.attribution import Attributions

    corpus = _corpus(tmp_path / "corpus", [{"id": "a", "file": "text/a.txt"}], {"a.txt": TEXT})
    out = tmp_path / "scores"
    assert _score(corpus, out, cache_dir) == 0
    before = _tree(out)

    def broken(self, doc, article, context):
        raise RuntimeError("a broken extractor")

    monkeypatch.setattr(Attributions, "extract", broken)
    assert _score(corpus, out, cache_dir, "--no-result-cache") == 2
    err = capsys.readouterr().err
    assert "every article failed (article 'a': attribution: RuntimeError: a broken extractor)" in err
    assert f"the earlier results in {out} are kept" in err
    assert _tree(out) == before


# 5 and 8. one writer per folder; a dead run's leftovers go

def test_a_second_run_on_a_locked_folder_is_refused_naming_the_holder(tmp_path, cache_dir, capsys):
    corpus = _corpus(tmp_path / "corpus", [{"id": "a", "file": "text/a.txt"}], {"a.txt": TEXT})
    out = tmp_path / "scores"
    with output_lock(out, "score"):
        assert _score(corpus, out, cache_dir) == 2
        err = capsys.readouterr().err
        assert f"pid {os.getpid()} on host {socket.gethostname()}, framing score" in err
        assert f"delete {lock_path(out)}" in err
        assert _score(corpus, out, cache_dir, "--resume") == 2  # --resume takes the lock too
        assert main(["report", str(out), "--corpus", str(corpus), "--out", str(out)]) == 2
    assert not lock_path(out).exists()  # released and removed
    out.mkdir()
    stale = [out / ".features.csv.abc123.tmp", out / ".run.json.x.tmp"]
    for path in stale:
        path.write_text("half-written by a killed run", encoding="utf-8")
    (out / ".framing-partial").mkdir()
    (out / ".framing-partial" / ".part-000000.json.q.tmp").write_text("half", encoding="utf-8")
    assert _score(corpus, out, cache_dir) == 0
    assert not any(p.exists() for p in stale) and not (out / ".framing-partial").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [MARKER, "evidence.csv", "evidence.parquet", "features.csv", "features.parquet", "run.json",
         "actors.csv", "actors.parquet", "blame_pairs.csv", "blame_pairs.parquet", "voices.csv",
         "voices.parquet"])


def test_a_lock_left_by_a_killed_run_does_not_block(tmp_path, cache_dir):
    # the kernel releases a dead process's lock: its file, still there, is taken over
    corpus = _corpus(tmp_path / "corpus", [{"id": "a", "file": "text/a.txt"}], {"a.txt": TEXT})
    out = tmp_path / "scores"
    lock_path(out).write_text("pid 999999 on host gone, framing score\n", encoding="utf-8")
    assert _score(corpus, out, cache_dir) == 0
    assert not lock_path(out).exists()


@pytest.mark.slow
def test_workers_die_with_a_killed_parent(tmp_path):
    psutil = pytest.importorskip("psutil", reason="needs psutil (pip install 'framing[bench]')")
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("raw"))
    run = subprocess.Popen([sys.executable, "-m", "framing.cli", "score", str(corpus), "--out",
                            str(tmp_path / "out"), "--jobs", "2", "--batch-size", "1", "--no-cache",
                            "--quiet"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 300  # a bound for a busy machine, not a measure of speed
    workers = []
    while time.monotonic() < deadline and run.poll() is None:
        workers = [c for c in parent.children(recursive=True)
                   if "resource_tracker" not in " ".join(c.cmdline())]
        if len(workers) >= 2:
            break
        time.sleep(0.2)
    assert len(workers) >= 2, "the run finished or failed before its workers started"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    gone, alive = psutil.wait_procs(workers, timeout=60)
    assert alive == []


# 6. the report checks the corpus against the texts that were scored

def test_report_refuses_a_corpus_edited_since_scoring(tmp_path, cache_dir, capsys):
    corpus = _corpus(tmp_path / "corpus", [{"id": i, "file": f"text/{i}.txt"} for i in "ab"],
                     {"a.txt": TEXT, "b.txt": TEXT.replace("Monday", "Friday")})
    scores = tmp_path / "scores"
    assert _score(corpus, scores, cache_dir) == 0
    assert len(json.loads((scores / "run.json").read_text(encoding="utf-8"))["text_sha256"]) == 2
    (corpus / "text" / "b.txt").write_text("Officials said " + TEXT, encoding="utf-8")
    assert main(["report", str(scores), "--corpus", str(corpus), "--out", str(tmp_path / "site")]) == 2
    assert "1 articles of the corpus have other texts than when they were scored ('b')" in \
        capsys.readouterr().err
    assert not (tmp_path / "site").exists()


# 7. labels are text, short, and drawn in a font that has them

@pytest.mark.slow
def test_outlet_names_with_dollars_and_length_draw_as_text(tmp_path, climate_sample, capsys):
    from PIL import Image

    result, _ = climate_sample
    long_name = "The " + "Very " * 60 + "Long Gazette"
    names = ["Money $5 and $10 Daily", "Fox $\\notacommand{$ News", long_name]
    result.features["outlet"] = [names[i % 3] for i in range(len(result.features))]
    scores = tmp_path / "scores"
    result.write(scores)
    assert main(["figures", str(scores), "--codebook", "climate-2019", "--out", str(tmp_path / "fig")]) == 0
    for png in (tmp_path / "fig").glob("*.png"):
        with Image.open(png) as image:
            assert max(image.size) <= 4000, (png.name, image.size)
    table = pd.read_csv(tmp_path / "fig" / "tables" / "framing_by_outlet.csv")
    assert set(names) <= set(table.outlet)  # the tables keep the full names


def test_labels_are_drawn_as_written_and_shortened():
    import matplotlib.pyplot as plt

    from framing.plots.style import short_label, theme

    theme()
    fig, ax = plt.subplots()
    label = ax.text(0, 0, "Money $5 and $10 Daily")
    fig.canvas.draw()
    assert label.get_parse_math() is False  # "$5 and $" is no formula
    plt.close(fig)
    assert short_label("x" * 300) == "x" * 39 + "\u2026"
    assert short_label("Fox News\n2019-09-01") == "Fox News\n2019-09-01"


def test_a_missing_glyph_is_one_warning(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    from framing.plots import style

    monkeypatch.setattr(style, "_warned_glyphs", set())
    monkeypatch.setattr(style, "FALLBACK_FONTS", ())  # as on a machine without Noto
    style.theme()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for k in range(2):
            fig, ax = plt.subplots()
            ax.set_yticks([0, 1], labels=["\u4eba\u6c11\u65e5\u62a5", "\u65b0\u534e\u793e"])
            style.save_figure(fig, tmp_path / f"f{k}")
    ours = [w for w in caught if "no installed font can draw" in str(w.message)]
    assert len(ours) == 1 and not [w for w in caught if "missing from font" in str(w.message)]


def test_cjk_labels_use_an_installed_font(tmp_path):
    import matplotlib.pyplot as plt

    from framing.plots import style

    if "Noto Sans CJK JP" not in style.installed_fonts():
        pytest.skip("needs a CJK font (Debian: apt-get install fonts-noto-cjk)")
    style.theme()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_yticks([0], labels=["\u4eba\u6c11\u65e5\u62a5"])
        style.save_figure(fig, tmp_path / "cjk")
    assert not [w for w in caught if "font" in str(w.message)]


# 9. YAML with limits

def test_a_yaml_alias_bomb_fails_fast_with_a_message(tmp_path, capsys):
    lines = ["name: bomb", "version: 1", 'lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 8) + "]" for i in range(1, 10)]
    lines += ["actors:", "  russia: {names: [Russia]}"]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["codebook", "check", str(bomb)]) == 2
    assert "refused: with its aliases (*name) expanded, it has more than 1,000,000 nodes" in \
        capsys.readouterr().err
    rules = tmp_path / "rules.yaml"
    rules.write_text("\n".join(lines[2:-2]) + "\n", encoding="utf-8")
    assert main(["clean", str(CORPUS / "raw"), "--rules", str(rules), "--out", str(tmp_path / "c")]) == 2
    assert "refused: with its aliases" in capsys.readouterr().err


# 10. evaluate: messages, never tracebacks or a 0.0

def test_evaluate_checks_its_inputs_before_any_model(tmp_path, capsys, monkeypatch):
    import framing.parse

    def no_model(*args, **kwargs):
        raise AssertionError("a model was loaded before the input was checked")

    monkeypatch.setattr(framing.parse, "load_model", no_model)
    empty, blank, header = tmp_path / "empty.jsonl", tmp_path / "blank.jsonl", tmp_path / "header.csv"
    empty.write_text("", encoding="utf-8")
    blank.write_text("\n\n", encoding="utf-8")
    header.write_text("DOCUMENT_INDEX,TITLE,TARGET_ENTITY,DOCUMENT,MASKED_DOCUMENT,TRUE_SENTIMENT\n",
                      encoding="utf-8")
    (tmp_path / "polnear" / "dev" / "text").mkdir(parents=True)
    (tmp_path / "polnear" / "dev" / "attributions").mkdir()
    for args, message in (
            (["newsmtsc", str(empty)], f"{empty}: an empty file"),
            (["persent", str(empty)], f"{empty}: an empty file"),
            (["newsmtsc", str(blank)], "no NewsMTSC targets"),
            (["persent", str(header)], "no PerSenT rows"),
            (["newsmtsc", str(tmp_path / "nowhere.jsonl")], "nowhere.jsonl: no such file or folder"),
            (["polnear", str(tmp_path / "polnear")], "no annotation files"),
            (["polnear", str(tmp_path / "nowhere")], "nowhere/dev/text: no such file or folder"),
            (["frames", str(tmp_path / "nowhere")], "nowhere/metadata.csv: no such file or folder"),
    ):
        assert main(["evaluate", *args]) == 2, args
        assert message in capsys.readouterr().err
    assert main(["score", str(CORPUS), "--out", str(tmp_path / "o"), "--encoding", "nosuchenc"]) == 2
    assert "--encoding nosuchenc: not an encoding Python knows" in capsys.readouterr().err


# 11. junk is not scored as news; aliases that match too much are flagged

def test_articles_without_words_are_skipped_with_the_reason(tmp_path, cache_dir, capsys):
    ids = ("news", "emoji", "numbers")
    corpus = _corpus(tmp_path / "corpus", [{"id": i, "file": f"text/{i}.txt"} for i in ids],
                     {"news.txt": TEXT, "emoji.txt": "\U0001f600\U0001f525 \U0001f4a5\U0001f4a5 \U0001f680",
                      "numbers.txt": "2021 07 31 12:00 1,234 5.6 % 42"})
    assert main(["score", str(corpus), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir),
                 "--quiet"]) == 1
    err = capsys.readouterr().err
    for name in ("emoji", "numbers"):
        assert f"article {name!r} skipped: 0 words (runs of letters), fewer than the 3" in err
    features = pd.read_parquet(tmp_path / "out" / "features.parquet")
    assert features.id.tolist() == ["news"]


def test_codebook_check_warns_on_one_letter_and_stop_word_aliases(tmp_path, capsys):
    book = tmp_path / "c.yaml"
    book.write_text("name: c\nversion: 1\nextends: base-en\nactors:\n"
                    "  a_group: {names: [A], demonyms: [I]}\n"
                    "  may: {persons: [{name: Theresa May, short: [May]}]}\n"
                    "  who: {names: [WHO, World Health Organization]}\n", encoding="utf-8")
    assert main(["codebook", "check", str(book)]) == 0  # valid; warned
    err = capsys.readouterr().err
    assert "actors.a_group: the name 'A' is one character" in err
    assert "actors.a_group: the demonym 'I' is one character" in err
    assert "actors.may: the short_form 'May' is also a common English word ('may')" in err
    assert "WHO" not in err  # an acronym in capitals is no stop word
