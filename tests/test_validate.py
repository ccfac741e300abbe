"""framing validate: gold format, matching, and the agreement statistics computed by hand."""

from __future__ import annotations

import shutil

import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.validate import _alpha, _prf, _same_speaker, validate

from .conftest import CORPUS


def test_krippendorff_alpha_worked_by_hand():
    # Units (a,a), (a,b), (b,b), (b,b): coincidences o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n = 8,
    # n_a = 3, n_b = 5. D_o = 2/8, D_e = 2 * 3 * 5 / (8 * 7) = 30/56, alpha = 1 - D_o / D_e = 0.5333
    assert _alpha([("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]) == pytest.approx(1 - 0.25 / (30 / 56))
    assert _alpha([(1, 1), (0, 0), (-1, -1)], "ordinal") == pytest.approx(1.0)


def test_precision_recall_f1():
    p, r, f = _prf(2, 4, 5)
    assert (p, r) == (0.5, 0.4) and f == pytest.approx(2 * 0.5 * 0.4 / 0.9)


def test_speaker_names_match_when_one_contains_the_other():
    assert _same_speaker("Peskov", "Dmitry Peskov") and _same_speaker("the insurgents", "insurgents")
    assert not _same_speaker("Lavrov", "Dmitry Peskov")


def test_example_gold_runs_and_counts_the_gold_codes(capsys):
    assert main(["validate", str(CORPUS / "gold-example.yaml")]) == 0
    table = validate(CORPUS / "gold-example.yaml").set_index("variable")
    # counted in the file: 8 + 5 blame codes, 10 + 9 stance units, 13 attributions
    assert table.loc["blame", "n_gold"] == 13
    assert table.loc["stance", "n_gold"] == 19
    assert table.loc["attribution", "n_gold"] == 13
    for column in ("precision", "recall", "f1"):
        assert 0 <= table.loc["blame", column] <= 100
    assert -1 <= table.loc["attribution_form", "alpha"] <= 1
    # article-level stance: 7 + 6 coded pairs, the package's label and its peers in the same run
    peers = table.loc[["article_stance", "article_stance_mean_band", "article_stance_always_neutral"]]
    assert list(peers.n_gold) == [13, 13, 13] and list(peers.recall) == [100.0, 100.0, 100.0]
    # always neutral agrees on the three pairs coded 0 only (seed-000: nato, afghan_government, csto)
    assert table.loc["article_stance_always_neutral", "agreement"] == round(100 * 3 / 13, 1)


def test_unknown_sentence_is_named(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus", ignore=shutil.ignore_patterns("raw"))
    gold = tmp_path / "g.yaml"  # its corpus is named relative to it, inside its folder
    gold.write_text("corpus: corpus\narticles:\n  - id: seed-000\n    sentences:\n"
                    "      - text: Words that are nowhere in the article\n        blame: []\n")
    with pytest.raises(FramingError, match="no sentence of the article starts with"):
        validate(gold)
    gold.write_text("corpus: corpus\narticles:\n  - id: seed-000\n    stance: {taliban: -2}\n")
    with pytest.raises(FramingError, match=r"article seed-000: stance.taliban: expected -1, 0 or 1, got -2"):
        validate(gold)
    gold.write_text("corpus: corpus\narticles:\n  - id: seed-999\n")
    with pytest.raises(FramingError, match=r"articles \['seed-999'\] are not in the corpus"):
        validate(gold)
