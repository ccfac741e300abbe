"""Generic news frames and narrative roles: their evidence on the seed articles, the shipped models'
records, the entity-to-actor mapping, small training runs, and the dev benchmark of the roles."""

from __future__ import annotations

import json
import math
import re
import warnings

import numpy as np
import pytest
import yaml

from framing.codebook import codebook_file, load_codebook
from framing.errors import CodebookError
from framing.extract.roles import ROLES
from framing.frames import model_folder as frames_folder
from framing.roles import model_folder as roles_folder
from framing.roles.train import map_entity

from .conftest import CLIMATE

FRAMES = ("resolution", "conflict", "human_interest", "moral", "economic")


def test_every_frame_present_has_its_sentences(scored, corpus):
    features = scored.features.set_index("id")
    rows = scored.evidence[scored.evidence.family == "frame"]
    assert set(rows.label) <= set(FRAMES)
    for article_id, row in features.iterrows():
        text = corpus[article_id].text
        for frame in FRAMES:
            mine = rows[(rows.article_id == article_id) & (rows.label == frame)]
            assert len(mine) >= 1  # a present frame's sentences, or the top one of an absent frame
            assert mine.probability.astype(float).eq(row[f"frame_{frame}_p"]).all()
            assert row[f"frame_{frame}"] == float((mine.form == "present").any())
            assert (row[f"frame_{frame}_p"] >= 0.5) == bool(row[f"frame_{frame}"])
            for r in mine.itertuples():
                assert text[r.start : r.end] == r.sentence and r.cue.endswith(")")
    # seed-000 reports the Kabul government and the Taliban accusing each other: conflict
    assert features.loc["seed-000", "frame_conflict"] == 1.0
    top = rows[(rows.article_id == "seed-000") & (rows.label == "conflict")].sort_values("value").iloc[-1]
    assert "accuse" in top.sentence


def test_roles_on_the_seeds(scored):
    features = scored.wide().set_index("id")
    rows = scored.evidence[scored.evidence.family == "role"]
    book = load_codebook()
    for article_id, row in features.iterrows():
        for actor in book.actor_ids:
            mentioned = row[f"mentions_{actor}"] > 0
            for role in ROLES:
                p = row[f"role_{role}__{actor}"]
                mine = rows[(rows.article_id == article_id) & (rows.actor == actor) & (rows.label == role)]
                if not mentioned:  # an article that never names the actor does not cast it
                    assert p == 0 and row[f"role_{role}_present__{actor}"] == 0 and mine.empty
                    continue
                assert 0 < p < 1 and (mine.value == p).all() and len(mine) >= 1
                assert row[f"role_{role}_present__{actor}"] == float((mine.form == "present").any())
    # the Taliban, accused of the attack on the palace in seed-000, are cast as villain there
    assert features.loc["seed-000", "role_villain_present__taliban"] == 1.0
    villain = rows[(rows.article_id == "seed-000") & (rows.actor == "taliban") & (rows.label == "villain")]
    assert villain.cue.str.contains("blamed").any()


def test_shipped_models_record_what_they_were_trained_on():
    frames = json.loads((frames_folder() / "frames.json").read_text(encoding="utf-8"))
    stance = json.loads(
        (frames_folder().parent.parent / "stance" / "transformer" / "transformer.json").read_text(
            encoding="utf-8"
        )
    )
    assert frames["encoder"]["sha256"] == stance["files"]["encoder.onnx"]
    assert frames["trained_on"]["n_train"] == 258 and frames["trained_on"]["n_dev"] == 85
    assert set(frames["dev"]) == {*FRAMES, "mean"} and frames["thresholds"] == dict.fromkeys(FRAMES, 0.5)
    roles = json.loads((roles_folder() / "roles.json").read_text(encoding="utf-8"))
    assert roles["mapping"]["mapped"] > 0 and "longest matching alias" in roles["mapping"]["rule"]
    assert set(roles["dev"]) == set(ROLES) and set(roles["thresholds"]) == set(ROLES)
    assert roles["trained_on"]["files"]["roles"]["file"] == "roles.tsv"
    assert roles["stance_method"] == "transformer"  # the default: scoring gives it the values it learned on


def test_roles_warn_when_scored_with_another_stance_method():
    from framing.extract.roles import Roles

    book = load_codebook("climate-2019")
    with pytest.warns(UserWarning, match="trained on the stance values of the transformer method; scored "
                                         "with --stance-method lexicon"):
        Roles(book, stance_method="lexicon")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Roles(book, stance_method="transformer")


def test_entity_strings_map_to_actors_by_the_documented_rule():
    book = load_codebook("climate-2019")
    assert map_entity("the Trump administration's", book) == "trump_administration"
    assert map_entity("President Donald Trump", book) == "trump_administration"
    assert map_entity("Pruitt", book) == "epa"
    assert map_entity("the Environmental Protection Agency", book) == "epa"
    assert map_entity("\x99O'Rourke", book) == "democrats"
    assert map_entity("climate change", book) is None
    assert map_entity("wildlife", book) == "nature"
    assert map_entity("the Green New Deal", book) == "climate_policy"
    assert map_entity("greenhouse gas emissions", book) == "emissions"


def test_an_actor_kind_is_checked_against_the_fixed_list(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "name: c\nversion: 1\nextends: base-en\nactors: {x: {names: [X], kind: villain}}\n", encoding="utf-8"
    )
    with pytest.raises(CodebookError) as err:
        load_codebook(tmp_path / "c.yaml")
    assert "actors.x.kind: 'villain' is not a kind of actor; use one of person, government" in str(err.value)
    assert load_codebook("climate-2019").actors["emissions"].kind == "cause"
    assert load_codebook().actors["taliban"].kind == "armed_group"


def test_roles_read_the_actor_kind_and_name_it_in_the_cue(tmp_path):
    import framing

    text = (
        "Floods destroyed thousands of acres of crops in Iowa this spring. Farmers said they lost everything "
        "and families in the river towns cannot afford to rebuild. Scientists say the greenhouse gas "
        "emissions of the past century made such floods more likely."
    )
    result = framing.score([text], codebook="climate-2019", use_cache=False, progress=False)
    row = result.wide().iloc[0]
    # farmers and families suffer (the public: a victim); the emissions caused it (a cause: a villain)
    public = {role: row[f"role_{role}__public"] for role in ROLES}
    assert max(public, key=public.get) == "victim" and public["victim"] > 0.6
    assert row["role_villain__emissions"] > 0.4 > row["role_victim__emissions"]
    rows = result.evidence[(result.evidence.family == "role") & (result.evidence.actor == "public")]
    victim = rows[rows.label == "victim"].iloc[0]
    # the actor's own part of the decision is led by its kind, which raises the logit by more than 1
    kind = re.search(r"\| actor: kind_public \+(\d+\.\d\d)", victim.cue)
    assert kind and float(kind.group(1)) > 1.0
    villain = rows[rows.label == "villain"].iloc[0]
    assert "kind_public" not in villain.cue.replace("not kind_", "")  # another kind reads "not kind_..."
    # without its kind, the public is a far less likely victim: the prior is the kind's
    doc = yaml.safe_load(codebook_file("climate-2019").read_text(encoding="utf-8"))
    del doc["actors"]["public"]["kind"]
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    plain = framing.score([text], codebook=tmp_path / "c.yaml", use_cache=False, progress=False)
    assert plain.wide().iloc[0]["role_victim__public"] < public["victim"] - 0.3


def test_a_frames_section_is_validated(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "name: c\nversion: 1\nextends: base-en\nactors: {x: {names: [X]}}\n"
        "frames: {moral: {questions: [], definition: ''}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as err:
        load_codebook(tmp_path / "c.yaml")
    assert "frames.moral.definition: expected the frame's definition" in str(err.value)
    (tmp_path / "d.yaml").write_text(
        "name: d\nversion: 1\nextends: base-en\nactors: {x: {names: [X]}}\n"
        "frames: {moral: {examples: [The bishop called it a sin.]}}\n",
        encoding="utf-8",
    )
    book = load_codebook(tmp_path / "d.yaml")  # a case adds examples to the base's frames
    assert "The bishop called it a sin." in book.sections["frames"]["moral"]["examples"]
    assert len(book.sections["frames"]["moral"]["examples"]) == 4


def test_train_roles_on_a_few_articles(tmp_path):
    from framing.roles import RoleModel
    from framing.roles.train import export, train

    weights, meta, dev = train(CLIMATE, limit=8, progress=lambda *_: None)
    out = export(weights, meta, dev, tmp_path / "roles")
    model = RoleModel(out)
    recorded = json.loads((out / "roles.json").read_text(encoding="utf-8"))
    assert recorded["trained_on"]["limit"] == 8 and set(recorded["dev"]) == set(ROLES)
    item = next(iter(next(v for v in dev["features"].values() if v).values()))
    decision = model.decide(item)
    for role in ROLES:
        probability, shares, cue_of = decision[role]
        assert 0 < probability < 1 and len(shares) == len(item["sentences"])
        top = int(np.argmax(shares))
        if shares[top] > 0:  # the cue of the sentence that raised the logit most names what raised it
            assert re.match(r"[a-z_]+ \+\d\.\d\d", cue_of(top)), cue_of(top)
        # the shares are the sentences' exact parts of the logit
        z_article = (item["article"] - model.weights["mu_a"]) / model.weights["sd_a"]
        logit = shares.sum() + z_article @ model.weights[f"{role}_w_a"] + float(model.weights[f"{role}_b"])
        assert math.isclose(1 / (1 + math.exp(-logit)), probability, rel_tol=1e-4)


@pytest.mark.slow
def test_train_frames_on_a_few_articles(tmp_path):
    pytest.importorskip("torch", reason="training the frames head needs torch (pip install 'framing[train]')")
    from framing.frames import FrameModel
    from framing.frames.train import export, train

    weights, meta, data = train(CLIMATE, limit=6, epochs=20, eval_every=10, progress=lambda *_: None)
    out = export(weights, meta, data, tmp_path / "frames")
    model = FrameModel(out)
    example = data["dev"][0]
    decision = model.decide(model.embed(example["sentences"]))
    # the exported head gives what the training head gave on the same vectors
    import torch

    from framing.frames.train import _head

    head = _head(torch, 384, 5)
    head.load_state_dict(
        {
            "Q.weight": torch.from_numpy(weights["Q_W"]),
            "Q.bias": torch.from_numpy(weights["Q_b"]),
            "out": torch.from_numpy(weights["out_W"]),
            "bias": torch.from_numpy(weights["bias"]),
            "M.weight": torch.from_numpy(weights["M_W"]),
            "M.bias": torch.from_numpy(weights["M_b"]),
        }
    )
    with torch.no_grad():
        expected = torch.sigmoid(head(torch.from_numpy(example["vectors"]))).numpy()
    assert np.allclose([decision.probability[f] for f in model.frames], expected, atol=1e-5)
    assert all(abs(s.sum() - 1) < 1e-5 for s in decision.support.values())


def test_role_f1_intervals_resample_articles():
    from framing.evaluate.roles import f1_interval

    ids = [f"a{k}" for k in range(20)]
    gold = {(a, "x") for a in ids}
    assert f1_interval(ids, gold, gold) == (1.0, 1.0) and f1_interval(ids, gold, set()) == (0.0, 0.0)
    half = {(a, "x") for a in ids[:10]}  # F1 2/3 on the whole set; resamples move it both ways
    low, high = f1_interval(ids, gold, half)
    assert 0.3 < low < 2 / 3 < high < 0.9


def test_a_frames_head_with_one_shared_output_vector_still_decides():
    from framing.frames import FrameModel, head_numpy

    model = FrameModel()
    vectors = model.embed(["Farmers lost their crops to the drought.", "The senator blamed the oil industry.",
                           "A carbon tax would cost households $500 a year."])
    shared = {k: v for k, v in model.weights.items() if k != "out_W"}
    shared["out_w"] = model.weights["out_W"][1]  # a model trained before each frame had its own
    per_frame = {**model.weights, "out_W": np.tile(model.weights["out_W"][1], (5, 1))}
    old, old_support = head_numpy(vectors, shared)
    new, new_support = head_numpy(vectors, per_frame)
    assert np.allclose(old, new, atol=1e-6) and np.allclose(old_support, new_support)
    assert not np.allclose(head_numpy(vectors, model.weights)[0], old)  # the frames' own vectors differ
