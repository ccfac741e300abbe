"""Streaming, resuming, --jobs and the Dask engine (issue 6): the tables never depend on how the corpus
was cut, run or interrupted. The reference is the in-memory ``framing.score`` of the seed articles."""

from __future__ import annotations

import json
import pickle
import shutil
import warnings

import pandas as pd
import pytest

from framing.cli import main
from framing.corpus import iter_corpus
from framing.corpus.partitions import plan_partitions, read_partition
from framing.engine import parts, score_to
from framing.errors import CorpusError, ExtractorError, FramingError
from framing.pipeline import Scorer

from .conftest import CORPUS, interrupt_after

FILES = ("features.csv", "features.parquet", "evidence.csv", "evidence.parquet", "actors.csv",
         "actors.parquet", "blame_pairs.csv", "blame_pairs.parquet", "voices.csv", "voices.parquet",
         "run.json")


@pytest.fixture(scope="module")
def reference(scored, tmp_path_factory):
    """The bytes ``ScoreResult.write`` gives for the in-memory score of the bundled corpus."""
    out = tmp_path_factory.mktemp("reference")
    scored.write(out)
    return {name: (out / name).read_bytes() for name in FILES}


def files(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


@pytest.fixture(scope="module")
def seeds_as_tables(corpus, tmp_path_factory):
    """The seed articles as a JSON Lines file (with a blank line) and a Parquet file (row groups of 2)."""
    folder = tmp_path_factory.mktemp("tables")
    rows = [{"id": a.id, "text": a.text, "outlet": a.meta["outlet"]} for a in corpus]
    lines = [json.dumps(r) for r in rows]
    lines.insert(2, "")
    (folder / "seeds.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pd.DataFrame(rows).to_parquet(folder / "seeds.parquet", row_group_size=2)
    return folder


def test_streamed_batches_give_the_in_memory_bytes(reference, cache_dir, tmp_path):
    summary = score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False)
    assert files(tmp_path) == reference
    assert summary.run["n_scored"] == 5 and summary.ok
    assert not (tmp_path / parts.PARTIAL).exists()  # the parts are removed once assembled


@pytest.mark.slow
def test_two_jobs_give_the_bytes_of_one(reference, cache_dir, tmp_path):
    score_to(CORPUS, tmp_path, batch_size=1, jobs=2, cache_dir=cache_dir, progress=False)
    assert files(tmp_path) == reference


def test_resume_scores_only_the_unfinished_batches(reference, cache_dir, tmp_path, monkeypatch):
    real_write = parts.PartialRun.write

    def killed_after_two(self, index, part):
        if len(self.done) == 2:
            raise KeyboardInterrupt
        real_write(self, index, part)

    monkeypatch.setattr(parts.PartialRun, "write", killed_after_two)
    with pytest.raises(KeyboardInterrupt):
        score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False)
    assert not (tmp_path / "features.csv").exists()  # nothing final is half-written
    kept = sorted(p.name for p in (tmp_path / parts.PARTIAL).glob("part-*.json"))
    assert kept == ["part-000000.json", "part-000001.json"]

    monkeypatch.setattr(parts.PartialRun, "write", real_write)
    scored_ids = []
    real_begin = Scorer._begin  # where each batch handed to the scorer starts

    def counting(self, tag, articles, skipped=()):
        scored_ids.extend(a.id for a in articles)
        return real_begin(self, tag, articles, skipped)

    monkeypatch.setattr(Scorer, "_begin", counting)
    summary = score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False, resume=True)
    assert scored_ids == ["seed-004"]  # batches 0 and 1 (four articles) came from the parts
    assert summary.resumed_parts == 2
    assert files(tmp_path) == reference


def test_a_part_without_its_record_is_scored_again(reference, cache_dir, tmp_path, monkeypatch):
    real_write = parts.PartialRun.write

    def killed_while_writing_the_second(self, index, part):
        if index == 1:  # its tables are half there, its record (written last) is not
            (self.dir / "part-000001.features.arrow").write_bytes(b"killed while writing")
            raise KeyboardInterrupt
        real_write(self, index, part)

    monkeypatch.setattr(parts.PartialRun, "write", killed_while_writing_the_second)
    with pytest.raises(KeyboardInterrupt):
        score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False)
    monkeypatch.setattr(parts.PartialRun, "write", real_write)
    summary = score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False, resume=True)
    assert summary.resumed_parts == 1
    assert files(tmp_path) == reference


def test_resume_refuses_other_settings_and_a_changed_corpus(cache_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(parts.PartialRun, "assemble", lambda self, scorer, copies=None: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False)
    with pytest.raises(FramingError,
                       match=r"cannot resume: .*stance_method: 'transformer' then, 'lexicon' now"):
        score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False, resume=True,
                 stance_method="lexicon")
    record = tmp_path / parts.PARTIAL / "part-000001.json"
    changed = json.loads(record.read_text())
    changed["ids"] = ["seed-002", "seed-999"]
    record.write_text(json.dumps(changed))
    with pytest.raises(FramingError, match=r"part-000001.json: cannot resume: .*the corpus has changed"):
        score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False, resume=True)
    record.write_text(json.dumps({**changed, "ids": ["seed-002", "seed-003"]}))
    shorter = tmp_path / "shorter"  # the first four seed articles only: the third batch is gone
    shorter.mkdir()
    meta = (CORPUS / "metadata.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (shorter / "metadata.csv").write_text("".join(meta[:5]), encoding="utf-8")
    shutil.copytree(CORPUS / "text", shorter / "text")  # a copy: a symlink out of the corpus is refused
    settings = json.loads((tmp_path / parts.PARTIAL / "settings.json").read_text())
    settings["corpus"] = str(shorter.resolve())
    (tmp_path / parts.PARTIAL / "settings.json").write_text(json.dumps(settings))
    with pytest.raises(FramingError, match=r"part-000002.json: cannot resume: .*more batches"):
        score_to(shorter, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False, resume=True)


def test_resume_refuses_the_parts_of_a_framing_that_wrote_them_as_parquet(cache_dir, tmp_path, monkeypatch):
    # an interrupted run of a framing before the parts were Arrow files: its settings have no
    # part_format, and its parts would not be found at assembly: refused by name, not a missing file
    monkeypatch.setattr(parts.PartialRun, "assemble", lambda self, scorer, copies=None: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False)
    recorded = tmp_path / parts.PARTIAL / "settings.json"
    settings = json.loads(recorded.read_text())
    assert settings["part_format"] == "arrow"
    assert sorted(p.name for p in (tmp_path / parts.PARTIAL).glob("part-000000.*")) == [
        "part-000000.evidence.arrow", "part-000000.features.arrow", "part-000000.json"]
    del settings["part_format"]
    recorded.write_text(json.dumps(settings))
    with pytest.raises(FramingError, match=r"cannot resume: .*part_format: None then, 'arrow' now"):
        score_to(CORPUS, tmp_path, batch_size=2, cache_dir=cache_dir, progress=False, resume=True)


def test_without_resume_an_unfinished_run_is_discarded_with_a_warning(cache_dir, tmp_path):
    (tmp_path / parts.PARTIAL).mkdir()
    (tmp_path / parts.PARTIAL / "part-000000.json").write_text("{}")
    with pytest.warns(UserWarning, match="discarding the parts of an unfinished earlier run"):
        score_to(CORPUS, tmp_path, batch_size=5, cache_dir=cache_dir, progress=False)
    assert not (tmp_path / parts.PARTIAL).exists()


def test_cli_resume_and_scale_options(reference, cache_dir, tmp_path, capsys):
    args = ["score", str(CORPUS), "--out", str(tmp_path), "--cache-dir", str(cache_dir), "--quiet"]
    assert main([*args, "--batch-size", "3", "--jobs", "1", "--resume"]) == 0
    assert files(tmp_path) == reference
    assert main([*args, "--scheduler", "tcp://nowhere:8786"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*args, "--jobs", "0"])


def test_corpus_is_read_as_a_stream(tmp_path):
    lines = [json.dumps({"id": "a", "text": "Russia moved tanks."}),
             json.dumps({"id": "b", "text": "NATO left."}), "{not json"]
    (tmp_path / "t.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stream = iter_corpus(tmp_path / "t.jsonl")
    assert [next(stream).id, next(stream).id] == ["a", "b"]  # read before the bad line is reached
    with pytest.raises(CorpusError, match=r"t.jsonl line 3: not valid JSON"):
        next(stream)


def test_partitions_read_the_articles_the_whole_file_gives(seeds_as_tables, corpus):
    for name in ("seeds.jsonl", "seeds.parquet"):
        path = seeds_as_tables / name
        fmt = name.split(".")[1]
        whole = list(iter_corpus(path))
        planned = plan_partitions(path, fmt, rows=2)
        assert len(planned) == 3  # 5 rows in twos; the JSON Lines file has 6 lines, one blank
        pieces = [a for p in planned for a in read_partition(p)]
        assert [(a.id, a.text, a.meta, a.origin) for a in pieces] == \
               [(a.id, a.text, a.meta, a.origin) for a in whole]
        assert [a.id for a in whole] == corpus.ids
    assert whole[4].origin.endswith("seeds.parquet row 5")
    assert list(iter_corpus(seeds_as_tables / "seeds.jsonl"))[2].origin.endswith("line 4")


@pytest.mark.slow
def test_dask_two_workers_give_the_local_bytes(seeds_as_tables, cache_dir, tmp_path):
    for name in ("seeds.jsonl", "seeds.parquet"):
        local, cluster = tmp_path / f"local-{name}", tmp_path / f"dask-{name}"
        score_to(seeds_as_tables / name, local, batch_size=5, cache_dir=cache_dir, progress=False)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the seeds are English: no warning comes back from a worker
            score_to(seeds_as_tables / name, cluster, engine="dask", jobs=2, batch_size=2,
                     cache_dir=cache_dir, progress=False)
        assert files(cluster) == files(local)
        features = pd.read_parquet(cluster / "features.parquet")
        assert list(features.id) == ["seed-000", "seed-001", "seed-002", "seed-003", "seed-004"]


@pytest.mark.slow
def test_dask_run_resumes_after_an_interruption(seeds_as_tables, cache_dir, tmp_path, monkeypatch):
    source = seeds_as_tables / "seeds.parquet"
    score_to(source, tmp_path / "local", batch_size=5, cache_dir=cache_dir, progress=False)
    resume = interrupt_after(monkeypatch, 1)
    with pytest.raises(KeyboardInterrupt):
        score_to(source, tmp_path / "dask", engine="dask", jobs=1, batch_size=2, cache_dir=cache_dir,
                 progress=False)
    resume()
    summary = score_to(source, tmp_path / "dask", engine="dask", jobs=1, batch_size=2, cache_dir=cache_dir,
                       progress=False, resume=True)
    assert summary.resumed_parts == 1
    assert files(tmp_path / "dask") == files(tmp_path / "local")


def test_dask_refuses_a_folder_corpus(cache_dir, tmp_path):
    with pytest.raises(CorpusError, match="the dask engine reads a Parquet or JSON Lines corpus"):
        score_to(CORPUS, tmp_path, engine="dask", cache_dir=cache_dir, progress=False)
    assert not tmp_path.joinpath(parts.PARTIAL).exists()


@pytest.mark.slow
def test_dask_reports_duplicate_ids_across_partitions(tmp_path, cache_dir):
    rows = [{"id": "a", "text": "Russia moved tanks to the border."},
            {"id": "b", "text": "NATO left Afghanistan."}, {"id": "a", "text": "The Taliban advanced."}]
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"duplicate id 'a' \(parts 0 and 1\)"):
        score_to(tmp_path / "t.jsonl", tmp_path / "out", engine="dask", jobs=1, batch_size=2,
                 cache_dir=cache_dir, progress=False)
    assert not (tmp_path / "out" / "features.csv").exists()


def test_an_extractor_error_crosses_process_boundaries():
    err = ExtractorError("seed-001", "blame", ValueError("bad parse"))
    again = pickle.loads(pickle.dumps(err))  # raised in a worker, re-raised in the main process
    assert (again.article_id, again.extractor, str(again)) == ("seed-001", "blame", str(err))


def test_interrupted_cli_run_says_how_to_resume(cache_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(parts.PartialRun, "write", lambda self, index, part: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    assert main(["score", str(CORPUS), "--out", str(tmp_path), "--cache-dir", str(cache_dir),
                 "--quiet"]) == 130
    assert "run the same command with --resume" in capsys.readouterr().err


def test_progress_has_a_total_moves_per_article_and_names_the_phases(tmp_path, cache_dir, capsys):
    assert main(["score", str(CORPUS), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir),
                 "--batch-size", "64"]) == 0
    err = capsys.readouterr().err
    assert "0/5 [" in err and "5/5 [" in err  # the total, read from metadata.csv before scoring
    assert f"assembling the tables from 1 parts and writing them to {tmp_path / 'out'}" in err
    # one batch of five, yet the bar moves per article, in this process and from worker processes
    from framing.corpus import load_corpus
    from framing.engine.local import run_local
    from framing.pipeline import Settings

    articles = list(load_corpus(CORPUS))
    settings = Settings.make(cache_dir=cache_dir)
    ticks: list[int] = []
    run_local([(0, articles, [])], settings, 1, lambda i, part: ticks.append(-1),
              on_article=lambda: ticks.append(1))
    assert ticks == [1, 1, 1, 1, 1, -1]  # each article as it is handled, then the batch
    relayed: list[int] = []
    run_local([(0, articles, [])], settings, 2, lambda i, part: None, on_article=lambda: relayed.append(1))
    assert len(relayed) == 5
