"""Comparing groups of articles (issue 12): the climate case, groups with intervals, pooled and small
groups, figures whose size does not grow with the corpus, tables, and evidence behind a cell."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import framing
from framing.cli import main
from framing.compare import group
from framing.plots import stance_heatmap

from .conftest import CLIMATE, ROOT, shared_data
from .conftest import CLIMATE_SAMPLE as SAMPLE_IDS


def test_the_climate_corpus_is_complete_and_normalised():
    meta = pd.read_csv(CLIMATE / "metadata.csv", dtype=str, keep_default_na=False)
    assert len(meta) == 428 and meta.id.is_unique
    assert meta.outlet.nunique() == 36 and meta.outlet_upstream.nunique() == 63
    huffpost = meta[meta.outlet == "The Huffington Post"]
    assert set(huffpost.outlet_upstream) == {"The Huffington Post", "thehuffingtonpost"}
    assert len(huffpost) == 49
    assert set(meta.bias) == {"left", "left-center", "right", "questionable"}
    assert meta.split.value_counts().to_dict() == {"train": 258, "dev": 85, "heldout": 85}
    assert all((CLIMATE / f).is_file() for f in meta.file)
    assert "MIT License" in (CLIMATE / "LICENSE").read_text()
    assert "Frermann" in (CLIMATE / "README.md").read_text()


def test_the_climate_corpus_regenerates_from_the_release():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CLIMATE / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(shared_data("narrative-frames"))
    assert len(built) == 428 + 4
    for rel, data in built.items():
        assert (CLIMATE / rel).read_bytes() == data, rel


def test_the_climate_codebook_finds_its_actors(climate_sample):
    result, _ = climate_sample
    assert result.ok and len(result.features) == len(SAMPLE_IDS)
    assert result.wide()["mentions_trump_administration"].sum() > 0
    ev = result.evidence[result.evidence.family == "actor"]
    texts = {a.id: a.text for a in framing.load_corpus(CLIMATE) if a.id in SAMPLE_IDS}
    trump = ev[(ev.actor == "trump_administration") & (ev.label == "person")]
    found = {texts[r.article_id][r.start:r.end] for r in trump.itertuples()}
    assert "Donald Trump" in found and found <= {"Donald Trump", "Mike Pence", "Rick Perry", "Ryan Zinke",
                                                 "Mike Pompeo"}  # the codebook's persons, as written


@pytest.mark.slow
def test_figures_by_bias_and_outlet_with_the_codebook_of_the_scores(climate_sample, tmp_path, capsys):
    _, scores = climate_sample
    # no --codebook: the figures take climate-2019 from run.json (one drawing for both checks)
    assert main(["figures", str(scores), "--out", str(tmp_path / "f"), "--by", "bias,outlet",
                 "--max-groups", "4"]) == 0
    manifest = json.loads((tmp_path / "f" / "manifest.json").read_text())
    assert manifest["codebook"]["name"] == "climate-2019"
    names = {f["name"] for f in manifest["figures"]}
    assert {"stance_heatmap_by_bias", "stance_heatmap_by_outlet", "who_blames_whom"} <= names
    assert manifest["groupings"] == {"by": ["bias", "outlet"], "max_groups": 4, "min_size": 3}
    means = pd.read_csv(tmp_path / "f" / "tables" / "framing_by_outlet.csv")
    assert any(g.startswith("other (") for g in means.outlet)  # pooled beyond the 4 largest
    assert main(["figures", str(scores), "--codebook", "climate-2019", "--out", str(tmp_path / "g"),
                 "--by", "leaning"]) == 2
    assert "no column 'leaning' to group by; the metadata columns are:" in capsys.readouterr().err


def _replicated(features: pd.DataFrame, copies: int, outlets: int) -> pd.DataFrame:
    """Real scored rows, copied ``copies`` times over ``outlets`` outlets (for size checks)."""
    rows = pd.concat([features] * copies, ignore_index=True)
    rows["id"] = [f"a{i}" for i in range(len(rows))]
    rows["outlet"] = [f"outlet {i % outlets:02d}" for i in range(len(rows))]
    return rows


def test_grouping_pools_the_smallest_and_sets_small_groups_apart(scored):
    rows = _replicated(scored.wide(), 8, 20)  # 40 articles: 20 outlets of 2
    rows.loc[:9, "outlet"] = "big"  # 10 articles in one outlet: outlets 00-09 keep 1 article each
    grouped, grouping = group(rows, "outlet", max_groups=5, min_size=3)
    # kept: big and the four first outlets of 2 (10-13); pooled: 6 outlets of 2 and 10 of 1
    assert grouping.groups[0] == "big" and grouping.other == "other (16 outlet groups)"
    assert grouping.other in grouping.groups and grouping.small == tuple(grouping.groups[2:])
    assert "set apart" in grouping.caption() and "pooled" in grouping.caption()
    assert grouped["__group__"].value_counts()[grouping.other] == 22
    assert grouping.groups[2:] == ("outlet 10", "outlet 11", "outlet 12", "outlet 13")


def test_figure_size_does_not_grow_with_the_corpus(scored):
    book = framing.load_codebook()
    small = stance_heatmap(_replicated(scored.wide(), 4, 8), book)
    large = stance_heatmap(_replicated(scored.wide(), 200, 8), book)
    assert tuple(small.get_size_inches()) == tuple(large.get_size_inches())
    assert large.get_size_inches()[1] < 10


def test_evidence_behind_a_cell(scored):
    rows = framing.evidence_behind(scored, "Inforos (news agency)", by="outlet", actor="russia",
                                   family="stance")
    assert len(rows) and set(rows.article_id) == {"seed-001"} and set(rows.family) == {"stance"}
    assert (rows.outlet == "Inforos (news agency)").all()
    assert rows.start.is_monotonic_increasing
    with pytest.raises(framing.OptionError, match="no outlet group 'Pravda'; the groups are:"):
        framing.evidence_behind(scored, "Pravda")


def test_figures_refuse_another_codebook_than_the_scores_were_made_with(climate_sample, tmp_path, capsys):
    _, scores = climate_sample  # (that they take the scores' own: test_figures_by_bias_and_outlet_...)
    other = ["figures", str(scores), "--codebook", "afghanistan-2021", "--out", str(tmp_path / "g")]
    assert main(other) == 2
    assert "not the codebook these scores were made with (climate-2019 0.3.0, " in capsys.readouterr().err
    assert main([*other, "--allow-other-codebook"]) == 2  # told to: then its actors are not in the scores
    assert "these scores have no actors ['russia', 'nato'" in capsys.readouterr().err


def test_the_codebook_travels_with_the_scores(tmp_path, cache_dir, capsys):
    # a case's own codebook file: run.json records its path, name, version and SHA-256; figures and
    # report find it there, refuse it once edited, and never fall back to a bundled codebook
    book = tmp_path / "case.yaml"
    bundled = (ROOT / "framing" / "codebooks" / "afghanistan-2021.yaml").read_text(encoding="utf-8")
    book.write_text(bundled.replace("name: afghanistan-2021", "name: my-case", 1), encoding="utf-8")
    texts = ["Russia accused the Taliban of attacks on Monday.",
             "The Taliban denied it on Tuesday, officials said."]
    articles = [framing.Article(f"a{i}", t, {"outlet": o}) for i, (t, o) in enumerate(zip(texts, "AB"))]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": a.id, "text": a.text, "outlet": a.meta["outlet"]}) + "\n"
                              for a in articles), encoding="utf-8")
    framing.score(articles, codebook=book, cache_dir=cache_dir, progress=False).write(tmp_path / "scores")
    recorded = json.loads((tmp_path / "scores" / "run.json").read_text())["codebook"]
    assert recorded["path"] == str(book.resolve()) and recorded["name"] == "my-case"
    assert main(["figures", str(tmp_path / "scores"), "--out", str(tmp_path / "f")]) == 0
    manifest = json.loads((tmp_path / "f" / "manifest.json").read_text())
    assert manifest["codebook"] == {"name": "my-case", "version": "1.0.0", "sha256": recorded["sha256"]}
    book.write_text(book.read_text() + "# edited after scoring\n", encoding="utf-8")
    for command in (["figures", str(tmp_path / "scores"), "--out", str(tmp_path / "g")],
                    ["report", str(tmp_path / "scores"), "--corpus", str(corpus), "--out",
                     str(tmp_path / "r")]):
        assert main(command) == 2
        assert "these scores were made with the codebook my-case 1.0.0, " in capsys.readouterr().err
    assert not (tmp_path / "g").exists() and not (tmp_path / "r").exists()
