"""Stance: seed sentences with a clear polarity, neutral facts, mixed sentences; the shipped model."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

import framing
from framing.errors import FramingError
from framing.stance import score_target
from framing.stance.article import load as article_model
from framing.stance.model import REBUILD_TOLERANCE, load, metadata, model_path, read_newsmtsc, train

from .conftest import FIXTURES, shared_data

SAMPLE = FIXTURES / "newsmtsc"  # the first lines of NewsMTSC (MIT), vendored with its notice
TITLE = "Russia won't leave its allies in Central Asia out in the cold"
LAVROV = ("He also noted that US and NATO troops have been deployed in the republic for decades but "
          'they "have not achieved any visible results in terms of stabilization".')
MIXED = "Russia bravely protected its loyal allies, while the Taliban brutally attacked innocent civilians."
FACT = "Turkmenistan shares an 800-kilometer border with Afghanistan."


def target(sentence, words):
    start = sentence.index(words)
    return sentence, start, start + len(words)


@pytest.mark.parametrize("method", ["transformer", "linear", "lexicon"])
def test_title_is_favourable_to_russia(method):
    label, value, cues = score_target(*target(TITLE, "Russia"), method=method)
    assert label == "positive" and value > 0
    assert cues


def test_lexicon_cue_is_the_domain_term():
    _, value, cues = score_target(*target(TITLE, "Russia"), method="lexicon")
    assert "won't leave its allies ... out in the cold +0.80" in cues and "allies +0.20" not in cues
    assert value == pytest.approx(0.8)  # TextBlob finds no polarity in the window; the phrase wins


@pytest.mark.parametrize("method", ["linear", "lexicon"])
def test_failure_is_unfavourable_to_us_and_nato(method):
    for actor in ("US", "NATO"):
        label, value, _ = score_target(*target(LAVROV, actor), method=method)
        assert label == "negative" and value < 0, (actor, method)


def test_one_sentence_favourable_to_one_actor_and_unfavourable_to_another():
    # the model only: the lexicon method scores every target in a window alike (README, "Limits").
    # The model retrained with a machine-independent vocabulary labels Russia here neutral with a
    # positive value (+0.18); the sign, and the gap between the two targets, are what is asserted.
    russia = score_target(*target(MIXED, "Russia"), method="linear")
    taliban = score_target(*target(MIXED, "Taliban"), method="linear")
    assert russia[1] > 0 and russia[0] in ("neutral", "positive")
    assert taliban[0] == "negative" and russia[1] - taliban[1] > 0.4


@pytest.mark.parametrize("method", ["transformer", "linear", "lexicon"])
def test_factual_sentence_is_neutral(method):
    label, value, _ = score_target(*target(FACT, "Turkmenistan"), method=method)
    assert label == "neutral" and abs(value) < 0.5


def test_the_default_is_the_transformer_and_model_is_the_linear_models_old_name():
    from framing.pipeline import Settings

    sentence, start, end = target(TITLE, "Russia")
    assert score_target(sentence, start, end) == score_target(sentence, start, end, method="transformer")
    assert score_target(sentence, start, end, method="model") == score_target(sentence, start, end,
                                                                              method="linear")
    assert Settings.make(stance_method="model").stance_method == "linear"  # one cache key for both names
    assert Settings.make().stance_method == "transformer"


def test_bad_offsets_and_method_are_named():
    with pytest.raises(ValueError, match="do not lie inside"):
        score_target("Russia.", 3, 30)
    with pytest.raises(ValueError, match="unknown stance method 'vibes'"):
        score_target("Russia.", 0, 6, method="vibes")


@pytest.mark.parametrize("method", ["linear", "lexicon"])
def test_pipeline_stance_rows_and_features(corpus, cache_dir, method):
    result = framing.score(corpus, cache_dir=cache_dir, progress=False, stance_method=method)
    ev = result.evidence[result.evidence.family == "stance"]
    assert set(ev.form) == {method}
    title = ev[(ev.article_id == "seed-001") & (ev.sentence_index == 0) & (ev.actor == "russia")]
    assert list(title.label) == ["positive"]
    for row in ev.itertuples():
        assert -1 <= row.value <= 1 and row.label in ("negative", "neutral", "positive")
    f = result.wide().set_index("id")
    russia = ev[(ev.article_id == "seed-002") & (ev.actor == "russia")]
    assert f.loc["seed-002", "stance_mean_russia"] == pytest.approx(russia.value.mean())
    # the article value: a source's row weighs this method's source weight, the offset is subtracted
    model = article_model(method)
    assert 0 < (russia.voice == "source").sum() < len(russia)
    w = np.where(russia.voice == "source", model.source_weight, 1.0)
    value = np.clip((w * russia.value).sum() / w.sum() - model.offset, -1, 1)
    assert f.loc["seed-002", "stance_russia"] == pytest.approx(value) != pytest.approx(russia.value.mean())
    assert f.loc["seed-002", "stance_n_russia"] == len(russia)
    assert np.isnan(f.loc["seed-004", "stance_us"]) and f.loc["seed-004", "stance_n_us"] == 0


def test_shipped_model_is_small_and_documents_its_training():
    assert model_path().stat().st_size < 8_000_000
    meta = metadata()
    assert meta["dev"]["dev_rw"]["macro_f1"] > 61  # the TF-IDF + logistic regression baseline's top
    assert set(meta["params"]) == {"C", "window"}
    assert meta["trained_on"]["train"]["file"] == "train.jsonl" and meta["n_train"] == 8739


def test_shipped_model_names_the_data_it_was_trained_on():
    train_file = shared_data("newsmtsc") / "train.jsonl"
    assert metadata()["trained_on"]["train"]["sha256"] == hashlib.sha256(train_file.read_bytes()).hexdigest()


@pytest.mark.slow
def test_rebuild_with_the_recorded_parameters_reproduces_the_shipped_model():
    """What a rebuild reproduces on any machine (docs/reproducibility.md): the dev scores within
    REBUILD_F1 points, the dev labels for all but REBUILD_FLIPS of the targets, and coefficients within
    REBUILD_COEF. Bit-identical coefficients are not promised: lbfgs stops at a tolerance, and where
    it stops depends on the CPU's floating-point kernels."""
    data = shared_data("newsmtsc")
    shipped, meta = load(), metadata()
    rebuilt, rebuilt_meta = train(data, grid=[meta["params"]],
                                  lexicon=shipped.named_steps["features"].lexicon)
    a = shipped.named_steps["classifier"].coef_
    b = rebuilt.named_steps["classifier"].coef_
    names = shipped.named_steps["features"].get_feature_names_out()
    assert list(rebuilt.named_steps["features"].get_feature_names_out()) == list(names)
    assert a.shape == b.shape and np.abs(a - b).max() <= REBUILD_TOLERANCE["coef"]
    for name in ("dev_rw", "dev_mt"):
        change = abs(rebuilt_meta["dev"][name]["macro_f1"] - meta["dev"][name]["macro_f1"])
        assert change <= REBUILD_TOLERANCE["macro_f1"], (name, change)
        examples, _ = read_newsmtsc(data / f"{name}.jsonl")
        flips = np.mean(shipped.predict(examples) != rebuilt.predict(examples))
        assert flips <= REBUILD_TOLERANCE["labels"], (name, flips)


def test_rebuild_on_a_small_sample_is_deterministic(tmp_path):
    grid = [{"C": 0.5, "window": 6}]
    first, meta1 = train(SAMPLE, grid=grid)
    second, meta2 = train(SAMPLE, grid=grid)
    assert np.array_equal(first.named_steps["classifier"].coef_, second.named_steps["classifier"].coef_)
    assert meta1["dev"] == meta2["dev"] and meta1["n_train"] == len(read_newsmtsc(SAMPLE / "train.jsonl")[1])
    assert meta1["n_train"] > 300  # 300 sentences, some with several targets
    examples, _ = read_newsmtsc(SAMPLE / "dev_rw.jsonl")
    framing.stance.model.save(first, meta1, tmp_path / "m.skops")
    reloaded = load(str(tmp_path / "m.skops"))
    assert list(reloaded.predict(examples[:50])) == list(first.predict(examples[:50]))


class Untrusted:
    pass


def test_loading_refuses_unknown_types(tmp_path):
    path = tmp_path / "evil.skops"
    sio.dump({"x": Untrusted()}, path)
    with pytest.raises(FramingError, match="refuses to load types it does not know"):
        load(str(path))


def test_evaluate_newsmtsc_cli_on_the_sample(capsys):
    from framing.cli import main

    assert main(["evaluate", "newsmtsc", str(SAMPLE / "dev_rw.jsonl")]) == 0
    out = capsys.readouterr().out
    for method in ("framing transformer", "framing linear", "framing lexicon", "TextBlob (whole sentence)",
                   "VADER (whole sentence)"):
        assert method in out
    n_targets = len(read_newsmtsc(SAMPLE / "dev_rw.jsonl")[1])
    assert all(line.split()[-1] == str(n_targets) for line in out.splitlines()[1:])


def test_evaluate_newsmtsc_cli_gives_the_recorded_dev_score(capsys):
    from framing.cli import main

    assert main(["evaluate", "newsmtsc", str(shared_data("newsmtsc") / "dev_rw.jsonl")]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.strip().startswith("framing linear"))
    assert f"{metadata()['dev']['dev_rw']['macro_f1']:.1f}" in line  # the same score as at training


def test_missing_data_dir_is_named(tmp_path):
    with pytest.raises(FramingError, match="train.jsonl"):
        train(Path(tmp_path))


def test_domain_term_counts_for_the_nearest_target_only():
    from framing.stance.lexicon import domain_adjustment

    lexicon = {"hasty": -0.6}
    s = "The blame is the hasty decision of the United States to leave the Afghan army alone."
    us, army = target(s, "United States")[1:], target(s, "Afghan army")[1:]
    assert domain_adjustment(s, *us, lexicon, 20, others=(army,)) == (-0.6, ["hasty -0.60"])
    assert domain_adjustment(s, *army, lexicon, 20, others=(us,)) == (0.0, [])
    # alone in its sentence, a target takes every term in its window
    assert domain_adjustment(s, *army, lexicon, 20)[0] == -0.6


PERSENT_ROWS = [
    ("1", "Maria Lopez won the prize. Critics praised Lopez for her brilliant and generous work.",
     "Maria Lopez", "Positive"),
    ("2", "The court convicted John Smith of fraud. Smith lied to investors and stole their savings.",
     "John Smith", "Negative"),
    ("3", "Ann Lee lives in Boston. The weather there was mild on Tuesday.", "Ann Lee", "Neutral"),
]


def _persent(tmp_path):
    import csv

    path = tmp_path / "dev.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["DOCUMENT_INDEX", "TITLE", "TARGET_ENTITY", "DOCUMENT", "MASKED_DOCUMENT",
                         "TRUE_SENTIMENT"])
        for i, text, target, label in PERSENT_ROWS:
            writer.writerow([i, "", target, text, "", label])
    return path


def test_persent_mentions_and_article_level_scores(tmp_path, capsys):
    from framing.cli import main
    from framing.evaluate.persent import mentions, read_persent

    path = _persent(tmp_path)
    assert [a["label"] for a in read_persent(path)] == ["positive", "negative", "neutral"]
    s = "Critics praised Lopez, and Maria Lopez thanked them."
    assert [s[a:b] for a, b in mentions(s, "Maria Lopez")] == ["Lopez", "Maria Lopez"]
    assert main(["evaluate", "persent", str(path), "--stance-method", "lexicon"]) == 0
    out = capsys.readouterr().out
    assert "framing lexicon" in out and "VADER (sentences mentioning the target)" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("framing lexicon"))
    assert line.split()[-2:] == ["3", "3"]  # 3 articles, each with a mention


def test_the_article_method_is_cross_validated_on_articles_it_was_not_fitted_on():
    from framing.stance.article import Row, cross_validated

    # neutral articles that score mildly negative, as PerSenT's do with the NewsMTSC models
    means = [-0.7, -0.6, -0.2, -0.25, -0.15, 0.3, 0.4, 0.2]
    gold = ["negative"] * 2 + ["neutral"] * 3 + ["positive"] * 3
    articles = [[Row(m)] for m in means]
    assert np.isnan(cross_validated(articles, gold))  # fewer articles per label than folds
    assert cross_validated(articles * 5, gold * 5) == 1.0
    # a quoted critic's rows mislead only a method that reads the sources too
    quoted = [[Row(m), Row(-m, "source"), Row(-m, "source")]
              for m in means]
    assert cross_validated(quoted * 5, gold * 5, source_weight=0.0) == 1.0
    assert cross_validated(quoted * 5, gold * 5, source_weight=1.0) < 0.6


def test_persent_dev_runs_from_the_cli(capsys):
    from framing.cli import main

    path = shared_data("persent") / "dev.csv"  # no licence: read from a path, never copied
    assert main(["evaluate", "persent", str(path), "--stance-method", "model", "--limit", "20"]) == 0
    out = capsys.readouterr().out
    assert "framing linear" in out  # "model": the linear model's old name
    for labelling in ("shipped", "mean, band"):
        assert re.search(rf"framing linear +{labelling} +\d+\.\d", out), labelling
    assert re.search(r"framing linear +5-fold +NaN", out)  # 20 articles: fewer negatives than folds
