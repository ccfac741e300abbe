"""The article-level stance model (issue 29, item 2): features from the stance rows, a multinomial
model with shipped cut points, each row's weight in the article value, and its fit."""

from __future__ import annotations

import json

import numpy as np
import pytest

from framing.stance.article import FEATURES, Row, contributions, features, fit, from_json, load

from .conftest import shared_data


def test_features_read_voice_lead_and_coverage():
    rows = [Row(0, -0.8, "negative"), Row(1, -0.4, "negative"), Row(7, 0.6, "positive", "source")]
    x = dict(zip(FEATURES, features(rows, n_sentences=20)))
    assert x["mean"] == pytest.approx(-0.2)
    assert x["author_mean"] == pytest.approx(-0.6) and x["has_author"] == 1.0
    assert x["sources_mean"] == pytest.approx(0.6) and x["has_sources"] == 1.0
    assert x["lead_mean"] == pytest.approx(-0.6)  # sentences 0 and 1 are headline and lead
    assert x["share_negative"] == pytest.approx(2 / 3) and x["share_positive"] == pytest.approx(1 / 3)
    assert (x["min"], x["max"]) == (-0.8, 0.6) and x["share_of_sentences"] == pytest.approx(3 / 20)


def test_the_shipped_model_labels_with_its_cut_points_and_weighs_each_row():
    model = load()
    assert model.meta["stance_method"] == "transformer" and "Bastan" in model.meta["citation"]
    low, high = model.cuts
    assert low < 0 < high
    critical = [Row(0, -0.9, "negative"), Row(2, -0.8, "negative"), Row(5, -0.7, "negative")]
    praising = [Row(0, 0.9, "positive"), Row(2, 0.8, "positive"), Row(5, 0.7, "positive")]
    # a plainly neutral mention in the body reads 0 (the reference), whatever PerSenT's label balance
    assert model.score([Row(3, 0.0, "neutral")], 20) == (0.0, "neutral")
    assert model.score(praising, 20)[1] == "positive"
    value, label = model.score(critical, 20)
    assert -1 <= value < -0.3 and label == model.label(value)
    # the critical sentences each pull the value down; a praising one added pulls it up
    weights = contributions(model, [*critical, Row(9, 0.9, "positive")], 20)
    assert weights[-1] > 0 and all(w < 0 for w in weights[:3]) or weights[-1] > max(weights[:3])
    assert contributions(model, critical[:1], 20) == [pytest.approx(model.score(critical[:1], 20)[0])]


def test_article_values_in_the_tables_and_weights_on_the_rows(scored):
    model, actors = load(), scored.actors
    coded = actors[actors.stance_n > 0]
    assert coded.stance_article.between(-1, 1).all()
    assert actors[actors.stance_n == 0].stance_article.isna().all()
    assert list(coded.stance_article_label) == [model.label(v) for v in coded.stance_article]
    stance = scored.evidence[scored.evidence.family == "stance"]
    assert stance.article_weight.notna().all()
    single = coded[coded.stance_n == 1].merge(stance, left_on=["article_id", "actor"],
                                              right_on=["article_id", "actor"])
    assert len(single) and np.allclose(single.article_weight.astype(float), single.stance_article)
    # seed-000: the Taliban, accused of the attack on the palace, read negative at article level too
    taliban = actors[(actors.article_id == "seed-000") & (actors.actor == "taliban")].iloc[0]
    assert taliban.stance < 0 and taliban.stance_article < 0


def test_fit_chooses_by_cross_validation_on_a_few_dozen_articles():
    rng = np.random.default_rng(0)
    x, y = [], []
    for label, centre in (("negative", -0.6), ("neutral", -0.1), ("positive", 0.4)):
        for _ in range(20):
            rows = [Row(int(i), float(np.clip(rng.normal(centre, 0.3), -1, 1)), "neutral")
                    for i in rng.choice(30, size=rng.integers(1, 6), replace=False)]
            x.append(features(rows, 30))
            y.append(label)
    model, report = fit(np.vstack(x), y)
    assert report["n_articles"] == 60 and report["cv_macro_f1"] > 0.6
    assert set(report["cv_macro_f1_by_C"]) == {"0.01", "0.03", "0.1", "0.3", "1.0", "3.0"}
    again = from_json(json.loads(json.dumps(model.to_json())))
    assert again.cuts == model.cuts and again.score([Row(0, -0.9, "negative")], 30)[1] == "negative"


def test_train_article_stance_on_persent_from_the_cli(tmp_path, capsys):
    from framing.cli import main

    path = shared_data("persent") / "dev.csv"  # no licence: read from a path, never copied
    out = tmp_path / "article.json"
    assert main(["train-article-stance", str(path), "--out", str(out), "--limit", "40",
                 "--method", "lexicon"]) == 0
    record = json.loads(out.read_text())
    assert record["trained_on"]["n_articles_fitted"] + record["trained_on"][
        "n_articles_without_a_stance_sentence"] == 40
    assert 0 <= record["cv_macro_f1"] <= 1 and record["stance_method"] == "lexicon"
    assert "5-fold cross-validated macro F1" in capsys.readouterr().out
    from_json(record)  # loads back
