"""The article-level stance method (issue 29, item 2): a voice-weighted mean of the stance rows less a
neutral offset, with shipped cut points, each row's weight in the value, and its fit."""

from __future__ import annotations

import json

import numpy as np
import pytest

from framing.stance.article import METHOD, ArticleModel, Row, contributions, fit, from_json, load

from .conftest import shared_data


def test_the_value_reads_the_author_and_the_sources_only_when_the_author_is_silent():
    model = ArticleModel(source_weight=0.0, offset=-0.07, cuts=(-0.3, 0.2))
    rows = [Row(-0.8), Row(-0.4), Row(0.6, "source")]
    assert list(model.weights(rows)) == [0.5, 0.5, 0.0]
    assert model.score(rows) == (pytest.approx(-0.53), "negative")  # (-0.8 - 0.4) / 2 + 0.07
    assert contributions(model, rows) == [pytest.approx(-0.4), pytest.approx(-0.2), 0.0]
    quoted = [Row(0.6, "source"), Row(0.2, "source")]
    assert list(model.weights(quoted)) == [0.5, 0.5]  # no author row: the sources speak for the article
    assert model.score(quoted) == (pytest.approx(0.47), "positive")
    assert model.score([Row(-0.07)]) == (0.0, "neutral")  # the offset: neutral reads 0
    assert model.value([Row(-1.0)]) == pytest.approx(-0.93) and \
        ArticleModel(0.0, 0.5, (0, 0)).value([Row(-0.9)]) == -1.0  # clipped
    half = ArticleModel(0.5, 0.0, (-0.3, 0.2))
    assert list(half.weights(rows)) == [0.4, 0.4, 0.2] and half.value(rows) == pytest.approx(-0.36)


def test_the_shipped_parameters_label_every_method_and_name_their_fit():
    for method in ("transformer", "linear", "lexicon"):
        model = load(method)
        assert model.meta["stance_method"] == method and "Bastan" in model.meta["citation"]
        low, high = model.cuts
        assert -1 < low < high < 1 and abs(model.offset) < 0.3 and 0 <= model.source_weight <= 1
        assert model.meta["n_articles"] > 500 and 0.3 < model.meta["cv_macro_f1"] <= 1
    model = load("transformer")
    assert model.score([Row(model.offset)]) == (0.0, "neutral")
    assert model.score([Row(-0.9), Row(-0.8)])[1] == "negative"
    assert model.score([Row(0.9), Row(0.8)])[1] == "positive"
    with pytest.raises(ValueError, match="no parameters for the stance method 'vader'"):
        load("vader")
    with pytest.raises(ValueError, match="framing train-article-stance"):
        from_json({"features": ["mean"], "coef": [[1.0]]})  # the previous (multinomial) model's file


def test_article_values_in_the_tables_and_weights_on_the_rows(scored):
    model, actors = load("transformer"), scored.actors
    coded = actors[actors.stance_n > 0]
    assert len(coded) > 20 and coded.stance.between(-1, 1).all() and coded.stance_mean.notna().all()
    assert actors[actors.stance_n == 0].stance.isna().all()
    assert list(coded.stance_label) == [model.label(v) for v in coded.stance]
    stance = scored.evidence[scored.evidence.family == "stance"].copy()
    stance["weight"] = stance.article_weight.astype(float)
    assert np.allclose(stance.groupby(["article_id", "actor"]).weight.sum(), 1.0)
    # a source's row weighs nothing where the author writes about the actor too
    authored = stance.groupby(["article_id", "actor"]).voice.transform(lambda v: (v == "author").any())
    assert (stance[authored & (stance.voice == "source")].weight == 0).all()
    # each value is the weighted mean of its rows' values less the offset
    terms = (stance.weight * stance.value.astype(float)).groupby([stance.article_id, stance.actor]).sum()
    values = coded.set_index(["article_id", "actor"]).stance
    assert np.allclose(values, np.clip(terms.loc[values.index] - model.offset, -1, 1))
    # seed-000: the Taliban, accused of the attack on the palace, read negative at article level
    taliban = actors[(actors.article_id == "seed-000") & (actors.actor == "taliban")].iloc[0]
    assert taliban.stance < model.cuts[0] and taliban.stance_label == "negative"


def test_the_rows_behind_an_article_value_come_first_by_their_term(scored):
    import framing

    rows = framing.stance_behind(scored, "seed-000", "taliban")
    assert len(rows) == 9 and list(rows.term.abs()) == sorted(rows.term.abs(), reverse=True)
    assert np.allclose(rows.term, rows.article_weight * rows.value)
    # the government's accusation in Kabul is a source's row: it weighs nothing, so it comes last
    last = rows.iloc[-1]
    assert (last.voice, last.attributor, last.article_weight) == ("source", "afghan_government", 0.0)
    assert last.sentence.startswith("The government in Kabul accused the Taliban")
    with pytest.raises(framing.OptionError, match="no stance rows of actor 'daesh' in article 'seed-004'"):
        framing.stance_behind(scored, "seed-004", "daesh")


def test_fit_chooses_the_source_weight_by_cross_validation_on_a_few_dozen_articles():
    rng = np.random.default_rng(0)
    articles, gold = [], []
    for label, centre in (("negative", -0.6), ("neutral", -0.1), ("positive", 0.4)):
        for _ in range(20):  # the author's rows carry the label; a quoted critic's rows do not
            rows = [Row(float(np.clip(rng.normal(centre, 0.2), -1, 1))) for i in range(3)]
            rows += [Row(float(rng.uniform(-1, 1)), "source")]
            articles.append(rows)
            gold.append(label)
    model, report = fit(articles, gold)
    assert model.source_weight == 0.0 and report["cv_macro_f1"] > 0.9
    assert report["cv_macro_f1_by_source_weight"]["0.0"] > report["cv_macro_f1_by_source_weight"]["1.0"]
    assert model.offset == pytest.approx(-0.1, abs=0.05) and model.cuts[0] < 0 < model.cuts[1]
    record = {"method": METHOD, "stance_methods": {"lexicon": model.to_json()}, "citation": "test"}
    again = from_json(json.loads(json.dumps(record)), "lexicon")
    assert (again.source_weight, again.offset, again.cuts) == (model.source_weight, model.offset, model.cuts)


def test_train_article_stance_on_persent_from_the_cli(tmp_path, capsys):
    from framing.cli import main

    path = shared_data("persent") / "dev.csv"  # no licence: read from a path, never copied
    out = tmp_path / "article.json"
    assert main(["train-article-stance", str(path), "--out", str(out), "--limit", "40",
                 "--method", "lexicon"]) == 0
    record = json.loads(out.read_text())
    assert record["trained_on"]["n_articles_fitted"] + record["trained_on"][
        "n_articles_without_a_stance_sentence"] == 40
    assert set(record["stance_methods"]) == {"lexicon"}
    assert "repeated 5-fold cross-validated macro F1" in capsys.readouterr().out
    model = from_json(record, "lexicon")  # loads back
    assert model.meta["n_articles"] == record["trained_on"]["n_articles_fitted"]


def test_stance_against_the_climate_coders_roles_from_the_cli(tmp_path, capsys):
    from framing.cli import main
    from framing.evaluate.stance_roles import pairs

    gold = {("a", "epa"): {"hero"}, ("a", "trump"): {"villain"}, ("b", "epa"): {"hero", "villain"},
            ("b", "farmers"): {"victim"}, ("c", "epa"): {"villain"}}
    splits = {"a": "dev", "b": "dev", "c": "train"}
    assert pairs(gold, splits, "dev", "hero") == {("a", "epa"): 1, ("a", "trump"): 0}  # b's epa is both
    assert pairs(gold, splits, "dev", "victim") == {("a", "trump"): 0, ("b", "epa"): 0, ("b", "farmers"): 1}
    out = tmp_path / "stance-roles.json"
    assert main(["evaluate", "stance-roles", "--stance-method", "lexicon", "--limit", "12",
                 "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    ours = [r for r in rows if r["method"] == "framing lexicon"]
    assert {r["measure"] for r in ours} == {"stance", "stance_mean", "stance_author", "stance_sources"}
    assert {r["contrast"] for r in rows} == {"hero-villain", "victim-villain"}
    assert {r["method"] for r in rows} >= {"TextBlob (the pair's stance sentences)",
                                           "VADER (the pair's stance sentences)"}
    counted = [r for r in ours if r["measure"] == "stance" and r["contrast"] == "hero-villain"]
    assert sum(r["n_pairs"] for r in counted) > 5
    measured = [r["auc"] for r in counted if not np.isnan(r["auc"])]  # NaN: a split with one role only
    assert measured and all(0 <= auc <= 1 for auc in measured)
    assert "framing lexicon" in capsys.readouterr().out
