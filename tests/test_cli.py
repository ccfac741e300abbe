"""The command line as a user runs it: score, clean, figures, info; exit codes and messages."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest

from framing.cli import main

from .conftest import CORPUS, ROOT


def test_score_writes_both_tables(tmp_path, cache_dir, capsys):
    out = tmp_path / "out"
    assert main(["score", str(CORPUS), "--out", str(out), "--cache-dir", str(cache_dir),
                 "--quiet"]) == 0
    ev = pd.read_parquet(out / "evidence.parquet")
    text = (CORPUS / "text" / "seed-000.txt").read_text(encoding="utf-8")
    for row in ev[ev.article_id == "seed-000"].itertuples():
        assert text[row.start:row.end] == text[row.start:row.end].strip() != ""
    run = json.loads((out / "run.json").read_text())
    assert run["codebook"]["name"] == "afghanistan-2021" and run["n_scored"] == 5


def test_bad_input_exits_2_with_the_file_named(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("id,body\na,x\n", encoding="utf-8")
    assert main(["score", str(tmp_path / "t.csv"), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "t.csv: missing required column 'text'" in err
    assert not (tmp_path / "o").exists()


def test_skipped_article_exits_1_after_writing(tmp_path, cache_dir, capsys):
    (tmp_path / "t.csv").write_text("id,text\na,Russia moved tanks.\nb,\n", encoding="utf-8")
    code = main(["score", str(tmp_path / "t.csv"), "--out", str(tmp_path / "o"), "--quiet",
                 "--cache-dir", str(cache_dir)])
    assert code == 1
    assert "article 'b' skipped: empty text" in capsys.readouterr().err
    assert list(pd.read_csv(tmp_path / "o" / "features.csv").id) == ["a"]


def test_clean_then_score_a_new_corpus(tmp_path, cache_dir):
    assert main(["clean", str(CORPUS / "raw"), "--rules", str(CORPUS / "cleaning.yaml"),
                 "--out", str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "text" / "seed-001.txt").read_bytes() == \
        (CORPUS / "text" / "seed-001.txt").read_bytes()


@pytest.mark.slow
def test_figures_are_byte_identical_when_drawn_twice(scored, tmp_path):
    scored.write(tmp_path / "scores")
    hashes = []
    for run in ("a", "b"):
        assert main(["figures", str(tmp_path / "scores"), "--out", str(tmp_path / run)]) == 0
        hashes.append({p.relative_to(tmp_path / run).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                       for p in sorted((tmp_path / run).rglob("*")) if p.is_file()})
    assert hashes[0] == hashes[1]
    names = ("actor_salience_by_outlet", "stance_heatmap_by_outlet", "blame_shares_by_outlet",
             "who_blames_whom", "sourcing_composition_by_outlet", "framing_map_by_outlet", "evidence_view",
             "wire_shares_by_outlet", "frame_prevalence_by_outlet", "role_shares_by_outlet")
    tables = {f"tables/{t}_by_outlet.{ext}" for t in ("framing", "differences") for ext in ("csv", "tex")}
    expected = {f"{n}.{ext}" for n in names for ext in ("pdf", "png")} | tables
    expected |= {"manifest.json", ".framing-output"}
    assert expected == set(hashes[0])


def test_info_and_console_script(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "framing   0.1.0" in out and "afghanistan-2021 1.0.0" in out and "core_web_sm" in out
    assert "stance    transformer by default (sentence-transformers/all-MiniLM-L6-v2 fine-tuned on " in out
    from framing.stance.transformer import encoder_sha256

    assert f"int8 encoder.onnx sha256 {encoder_sha256()});" in out  # recorded; loading checks the file
    assert "onnxruntime" in out and "tokenizers" in out
    # the codebook's identity printed to cite is the one run.json records (file and base layer)
    from framing.codebook import load_codebook

    assert f"extends base-en 0.1.0; sha256 {load_codebook().sha256};" in out
    done = subprocess.run([sys.executable, "-m", "framing", "--version"], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "framing 0.1.0"


def test_group_tables_for_papers(scored, tmp_path):
    import framing
    from framing.compare import group
    from framing.plots.tables import write_group_tables

    grouped, grouping = group(scored.wide(), "outlet")
    paths = write_group_tables(grouped, grouping, framing.load_codebook(), tmp_path)
    means = pd.read_csv(tmp_path / "framing_by_outlet.csv")
    warsaw = means[(means.outlet == "Warsaw Institute (Russia Monitor)")
                   & (means.measure == "Mentions per 1,000 words") & (means.label == "Russia")]
    assert list(warsaw.n_articles) == [1] and warsaw["mean"].iloc[0] == pytest.approx(
        scored.wide().set_index("id").loc["seed-004", "mentions_per_1000_russia"], abs=1e-4)
    assert means.ci_low.isna().all()  # one article per outlet: no interval
    tex = (tmp_path / "framing_by_outlet.tex").read_text()
    assert "\\toprule" in tex and "Mentions per 1,000 words & Russia" in tex
    assert "mentions\\_per" not in tex and "-0.00" not in tex and "($n=1$)" in tex
    assert "One article per outlet" in tex
    assert "Benjamini-Hochberg-corrected over all the tests in the table" in tex
    tests = (tmp_path / "differences_by_outlet.tex").read_text()
    assert "No difference between groups is significant" in tests
    assert len(paths) == 4


def test_every_default_stance_method_is_the_packages():
    """The command line and the entry points write the stance methods out (so that the command line
    starts without importing the models); they must name the same methods and default as
    ``framing.stance``."""
    import argparse
    import inspect

    import framing
    from framing import cli, engine, validate
    from framing.evaluate import newsmtsc, persent
    from framing.stance import DEFAULT_METHOD, METHODS

    assert cli.STANCE_METHODS == METHODS
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    defaults = {}
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if action.dest == "stance_method":
                assert set(action.choices) >= set(METHODS), name
                defaults[name] = action.default
    assert {"score", "validate", "methods"} <= set(defaults)
    assert {d for d in defaults.values() if d != "all"} == {DEFAULT_METHOD}  # "all": the benchmarks
    for function in (engine.score_to, validate.validate, framing.score, framing.FramingFeatures.__init__):
        assert inspect.signature(function).parameters["stance_method"].default == DEFAULT_METHOD, function
    for function in (newsmtsc.evaluate, persent.evaluate):
        assert inspect.signature(function).parameters["methods"].default == METHODS, function
