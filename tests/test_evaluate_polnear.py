"""framing evaluate polnear: reading brat standoff, span scores, and a run on the real dev split."""

from __future__ import annotations

import pytest

from framing.cli import main
from framing.evaluate.polnear import evaluate, read_split
from framing.evaluate.spans import Counts

from .conftest import shared_data

TEXT = ("Dmitry Peskov said that the situation is alarming. The weather was fine.\n\n"
        "“We are watching,” the minister said.")
ANN = """T1\tSource 0 13\tDmitry Peskov
T2\tCue 14 18\tsaid
T3\tContent 19 49\tthat the situation is alarming
T4\tAttribution 14 18\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 74 92\t“We are watching,”
T6\tSource 93 96;97 105\tthe minister
T7\tCue 106 110\tsaid
"""


@pytest.fixture()
def tiny(tmp_path):
    for split in ("dev",):
        (tmp_path / split / "text").mkdir(parents=True)
        (tmp_path / split / "attributions").mkdir()
        (tmp_path / split / "text" / "doc.txt").write_text(TEXT, encoding="utf-8")
        (tmp_path / split / "attributions" / "doc_aaaa.ann").write_text(ANN, encoding="utf-8")
        (tmp_path / split / "attributions" / "doc_zzzz.ann").write_text("", encoding="utf-8")
    return tmp_path


def test_read_split_takes_the_first_annotator_and_span_extents(tiny):
    [doc] = read_split(tiny, "dev")
    assert doc.gold["source"] == [(0, 13), (93, 105)]  # discontinuous: first to last character
    assert doc.gold["cue"] == [(14, 18), (106, 110)]
    assert TEXT[74:92] == "“We are watching,”" and TEXT[19:49] == "that the situation is alarming"


def test_counts_exact_and_overlap():
    c = Counts()
    c.add([(0, 5), (10, 20)], [(0, 5), (12, 18), (30, 40)], "exact")
    assert (c.tp_pred, c.n_pred, c.n_gold) == (1, 2, 3)
    assert c.precision == 0.5 and c.recall == pytest.approx(1 / 3)
    o = Counts()
    o.add([(0, 5), (10, 20)], [(0, 5), (12, 18), (30, 40)], "overlap")
    assert o.precision == 1.0 and o.recall == pytest.approx(2 / 3) and o.f1 == pytest.approx(0.8)


def test_evaluate_tiny_split(tiny):
    table = evaluate(tiny, "dev").set_index(["system", "role", "match"])
    # framing finds Peskov's indirect attribution; "the minister" has no antecedent and is not coded
    row = table.loc[("framing", "source", "exact")]
    assert (row.precision, row.recall, row.n_predicted, row.n_gold) == (100.0, 50.0, 1, 2)
    assert table.loc[("framing", "cue", "exact")].recall == 50.0
    assert table.loc[("textacy direct_quotations", "content", "exact")].n_predicted == 1


def test_dev_split_runs_from_the_cli(capsys, tmp_path):
    polnear = shared_data("polnear")  # no licence: read from a path, never copied here
    out = tmp_path / "scores.json"
    assert main(["evaluate", "polnear", str(polnear), "--split", "dev", "--limit", "5",
                 "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "framing" in printed and "textacy direct_quotations" in printed
    assert out.read_text().count('"role"') == 12


def test_bad_folder_is_named(tmp_path):
    assert main(["evaluate", "polnear", str(tmp_path), "--split", "dev"]) == 2
