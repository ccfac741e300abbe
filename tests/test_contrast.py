"""Actor attributes in the codebook and contrasts between groups of actors (issue 28, items 2 and 3):
values worked by hand on small tables, and the command line on the climate case's scores."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.codebook import load_codebook, parse_codebook
from framing.contrast import compare_contrast, parse_contrast, pooled
from framing.errors import CodebookError, OptionError

PARTY = {"name": "us-politics", "version": "1", "extends": "base-en",
         "attributes": {"party": ["democrat", "republican", "independent"]},
         "actors": {"obama": {"names": ["Barack Obama"], "party": "democrat"},
                    "pelosi": {"names": ["Nancy Pelosi"], "party": "democrat"},
                    "mcconnell": {"names": ["Mitch McConnell"], "party": "republican"},
                    "fbi": {"names": ["FBI"]}}}


def test_actor_attributes_are_declared_and_validated():
    book = parse_codebook(PARTY)
    assert book.attributes == {"party": ("democrat", "republican", "independent")}
    assert book.actors_with("party", "democrat") == ["obama", "pelosi"]
    assert book.actors_with("party", "independent") == [] and book.actors["fbi"].attribute("party") is None
    with pytest.raises(CodebookError, match="attribute 'party' has no value 'green'"):
        book.actors_with("party", "green")
    with pytest.raises(CodebookError, match=r"no actor attribute 'state' \(declared: party\)"):
        book.actors_with("state", "ohio")
    bad = json.loads(json.dumps(PARTY))
    bad["actors"]["obama"]["party"] = "green"
    bad["actors"]["fbi"]["state"] = "dc"
    with pytest.raises(CodebookError) as err:
        parse_codebook(bad)
    assert "actors.obama.party: 'green' is not a value of the attribute 'party'; use one of democrat, " \
           "republican, independent" in str(err.value)
    assert "actors.fbi: unknown key 'state'" in str(err.value) and "declare an attribute" in str(err.value)
    for attributes, message in (({"Party": ["a"]}, "attribute names are lower-case identifiers"),
                                ({"names": ["a"]}, "'names' is an actor key already"),
                                ({"party": []}, "an empty list"),
                                ({"party": ["a", "a"]}, "values listed twice: a")):
        with pytest.raises(CodebookError, match=message):
            parse_codebook({**PARTY, "attributes": attributes, "actors": {"fbi": {"names": ["FBI"]}}})
    assert load_codebook("afghanistan-2021").attributes == {}  # the base layer declares none


def test_contrast_expressions_are_read_or_refused_with_the_place():
    terms = parse_contrast("stance[party=democrat] - 0.5*stance[ party = republican ] + mentions[fbi]")
    assert [(t.coefficient, t.measure, t.selector) for t in terms] == [
        (1.0, "stance", "party=democrat"), (-0.5, "stance", "party = republican"), (1.0, "mentions", "fbi")]
    with pytest.raises(OptionError, match="unknown measure 'tone'"):
        parse_contrast("tone[party=democrat]")
    with pytest.raises(OptionError, match="cannot read it from position 23"):
        parse_contrast("stance[party=democrat] stance[fbi]")
    book = parse_codebook(PARTY)
    with pytest.raises(OptionError, match="not an actor id of codebook 'us-politics'"):
        compare_contrast(pd.DataFrame({"outlet": ["a"]}), book, "stance[biden]")


def _table() -> pd.DataFrame:
    # two outlets, three articles each; stance sentences (n) and values per actor
    return pd.DataFrame({
        "outlet": ["L", "L", "L", "R", "R", "R"],
        "stance_obama": [0.5, np.nan, 0.2, -0.4, -0.2, np.nan],
        "stance_n_obama": [2, 0, 1, 1, 3, 0],
        "stance_pelosi": [0.1, 0.3, np.nan, np.nan, -0.6, np.nan],
        "stance_n_pelosi": [2, 1, 0, 0, 1, 0],
        "stance_mcconnell": [-0.3, -0.5, np.nan, 0.4, 0.2, 0.6],
        "stance_n_mcconnell": [1, 1, 0, 2, 1, 1],
        "mentions_obama": [2, 0, 1, 1, 3, 0], "mentions_pelosi": [2, 1, 0, 0, 1, 0],
        "mentions_mcconnell": [1, 1, 0, 2, 1, 1],
    })


def test_pooled_stance_weights_each_actor_by_its_sentences():
    features, book = _table(), parse_codebook(PARTY)
    democrats = pooled(features, "stance", book.actors_with("party", "democrat"))
    # article 1: (0.5*2 + 0.1*2) / 4 = 0.3; article 2: pelosi only, 0.3; article 3: obama only, 0.2;
    # article 5: (-0.2*3 + -0.6*1) / 4 = -0.3; article 6: no democrat sentence
    assert democrats == pytest.approx([0.3, 0.3, 0.2, -0.4, -0.3, np.nan], nan_ok=True)
    assert pooled(features, "mentions", ["obama", "pelosi"]).tolist() == [4, 1, 1, 1, 4, 0]


def test_contrast_by_outlet_worked_by_hand():
    features, book = _table(), parse_codebook(PARTY)
    contrast = "stance[party=democrat] - stance[party=republican]"
    groups, pairs, note = compare_contrast(features, book, contrast, by="outlet", min_size=2, n_bootstrap=500,
                                           n_permutations=199)
    by_group = groups.set_index("group")
    # L: democrats mean(0.3, 0.3, 0.2) = 0.2667, republicans mean(-0.3, -0.5) = -0.4 -> 0.6667
    # R: democrats mean(-0.4, -0.3) = -0.35, republicans mean(0.4, 0.2, 0.6) = 0.4 -> -0.75
    assert by_group.loc["L", "estimate"] == pytest.approx(0.8 / 3 + 0.4)
    assert by_group.loc["R", "estimate"] == pytest.approx(-0.75)
    assert by_group.loc["L", "n stance[party=democrat]"] == 3
    assert by_group.loc["R", "n stance[party=republican]"] == 3
    assert by_group.loc["L", "ci_low"] <= by_group.loc["L", "estimate"] <= by_group.loc["L", "ci_high"]
    assert pairs.difference.iloc[0] == pytest.approx(0.8 / 3 + 0.4 + 0.75)
    # six articles: every permutation's split is one of 20; p is at least 1/200 and at most 1
    assert 1 / 200 <= pairs.p_value.iloc[0] <= 1 and pairs.p_adjusted.iloc[0] == pairs.p_value.iloc[0]
    assert "Benjamini-Hochberg-corrected over all 1 tested pairs (the family)" in note
    again = compare_contrast(features, book, contrast, by="outlet", min_size=2, n_bootstrap=500,
                             n_permutations=199)
    assert again[0].equals(groups) and again[1].equals(pairs)  # seeded: the same numbers every run
    small = compare_contrast(features, book, "stance[party=democrat]", by="outlet", min_size=3)[0]
    assert small.set_index("group").loc["R", "note"].startswith("fewer than 3 articles")


def test_correction_spans_every_pair():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(1)
    n = 20
    features = pd.DataFrame({"outlet": np.repeat(["A", "B", "C"], n),
                             "stance_obama": np.concatenate([rng.normal(m, 0.3, n)
                                                             for m in (0.5, 0.4, -0.5)]),
                             "stance_n_obama": 1})
    book = parse_codebook(PARTY)
    _, pairs, _ = compare_contrast(features, book, "stance[obama]", n_permutations=499)
    expected = multipletests(pairs.p_value, method="fdr_bh")[1]
    assert pairs.p_adjusted.tolist() == pytest.approx(expected.tolist())
    assert pairs.set_index(["group_a", "group_b"]).significant.to_dict() == {
        ("A", "B"): False, ("A", "C"): True, ("B", "C"): True}
    _, holm, _ = compare_contrast(features, book, "stance[obama]", n_permutations=499, correction="holm")
    assert (holm.p_adjusted >= pairs.p_adjusted - 1e-12).all()


def test_compare_on_the_climate_case_from_the_command_line(climate_sample, tmp_path, capsys):
    _, scores = climate_sample
    contrast = "stance[stakeholder=industry_emissions] - stance[stakeholder=activists]"
    out = tmp_path / "contrast.json"
    assert main(["compare", str(scores), "--by", "bias", "--contrast", contrast, "--min-size", "2",
                 "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Benjamini-Hochberg-corrected over all" in printed and "n stance[stakeholder=activists]" in printed
    record = json.loads(out.read_text())
    assert record["contrast"] == contrast and {g["group"] for g in record["groups"]} == {
        "left", "left-center", "right", "questionable"}
    assert main(["compare", str(scores), "--contrast", "stance[stakeholder=oil]"]) == 2
    assert "attribute 'stakeholder' has no value 'oil'" in capsys.readouterr().err


@pytest.mark.slow
def test_figures_draw_a_few_actors_and_actor_groups_within_4000_px(climate_sample, tmp_path, capsys):
    from PIL import Image

    _, scores = climate_sample
    out = tmp_path / "fig"
    assert main(["figures", str(scores), "--by", "bias", "--out", str(out), "--max-actors", "3",
                 "--actors-by", "stakeholder"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    actors = pd.read_parquet(scores / "actors.parquet")
    book = load_codebook("climate-2019")
    coded = {a: int(((actors.actor == a) & (actors.mentions > 0)).sum()) for a in book.actor_ids}
    top = sorted(book.actor_ids, key=lambda a: (-coded[a], book.actor_ids.index(a)))[:3]
    assert manifest["actors"]["drawn"] == [a for a in book.actor_ids if a in top]
    assert manifest["actors"]["note"].startswith("Per-actor figures draw 3 of 21 actors (coded in the most "
                                                 "articles); not drawn: ")
    assert "actor_groups_stakeholder_by_bias" in {f["name"] for f in manifest["figures"]}
    for png in out.glob("*.png"):
        with Image.open(png) as image:
            assert max(image.size) <= 4000, png.name
    tables = pd.read_csv(out / "tables" / "framing_by_bias.csv")
    assert len(set(tables.label) & {a.label for a in book.actors.values()}) == 21  # the means keep all
    tests = pd.read_csv(out / "tables" / "differences_by_bias.csv")  # the tests: the 3 drawn actors
    drawn = {book.actors[a].label for a in manifest["actors"]["drawn"]}
    assert set(tests[tests.measure == "Stance (-1 to +1)"].label) == drawn
    assert {"Sources by type (share)", "Frames (share of articles)"} <= set(tests.measure)
    note = (out / "tables" / "differences_by_bias.tex").read_text()
    assert "Per-actor measures are tested for the 3 actors the figures draw; the 18 others are in" in note
    for option, message in ((["--actors", "epa,oil"], "--actors: oil not actor ids of codebook"),
                            (["--actors-by", "party"], "declares no such actor attribute (declared: "
                                                       "stakeholder)")):
        assert main(["figures", str(scores), "--out", str(tmp_path / "g"), *option]) == 2
        assert message in capsys.readouterr().err


def test_a_huge_figure_is_saved_within_4000_px(tmp_path):
    import matplotlib.pyplot as plt
    from PIL import Image

    from framing.plots.style import save_figure

    fig, ax = plt.subplots(figsize=(60, 12))
    ax.plot([0, 1], [0, 1])
    save_figure(fig, tmp_path / "huge")
    with Image.open(tmp_path / "huge.png") as image:
        assert max(image.size) <= 4000 and image.size[0] > 3000
