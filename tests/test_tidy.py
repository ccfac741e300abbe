"""The tidy tables (issue 28, item 1): one row per (article, actor) the article codes and one per
(article, blamer, blamed, kind), checked against the features and evidence rows of the seed articles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.errors import FramingError
from framing.stance.article import load as article_model
from framing.tables import read_scores, read_tidy
from framing.tidy import ACTOR_COLUMNS, BLAME_PAIR_COLUMNS, wide


def test_one_row_per_coded_pair_with_the_values_of_its_evidence(scored):
    actors, evidence = scored.actors, scored.evidence
    assert list(actors.columns) == ACTOR_COLUMNS
    assert not actors.duplicated(["article_id", "actor"]).any()
    # features holds article-level measures only: no column per actor
    assert not [c for c in scored.features.columns
                if c.startswith(("mentions_", "first_mention_", "stance_", "blame_", "denials_", "role_"))]
    assert {"n_words", "frame_conflict", "share_named", "is_wire"} <= set(scored.features.columns)
    model = article_model("transformer")
    book_actors = ["russia", "us", "nato", "taliban", "daesh", "afghan_government", "csto", "central_asia"]
    for article in scored.features["id"]:
        for actor in book_actors:
            mine = evidence[(evidence.article_id == article) & (evidence.actor == actor)]
            mentions = mine[mine.family == "actor"].value.sum()  # a place is kept with value 0
            stance = mine[mine.family == "stance"]
            speaks = (mine.family == "attribution").sum()
            blamed = ((mine.family == "blame") & (mine.value > 0)).sum()
            row = actors[(actors.article_id == article) & (actors.actor == actor)]
            coded = mentions > 0 or len(stance) > 0 or speaks > 0 or blamed > 0
            assert len(row) == int(coded), (article, actor)
            if len(row):
                row = row.iloc[0]
                assert row.mentions == mentions and row.stance_n == len(stance)
                if len(stance):
                    assert row.stance_mean == pytest.approx(stance.value.mean())
                    weights = stance.article_weight.astype(float)  # its rows' shares of the article value
                    assert row.stance == pytest.approx(
                        np.clip((weights * stance.value).sum() - model.offset, -1, 1))
                    low, high = model.cuts
                    assert row.stance_label == ("negative" if row.stance < low
                                                else "positive" if row.stance > high else "neutral")
                else:
                    assert np.isnan(row.stance) and pd.isna(row.stance_label)
                assert row.speaks_n == speaks and row.blamed_n == blamed
                assert row.speaks_n == row.speaks_direct + row.speaks_partial + row.speaks_indirect \
                    + row.speaks_according_to
    # the seeds' Kremlin spokesman: Russia speaks in every article that quotes Dmitry Peskov
    assert actors[(actors.actor == "russia")].speaks_n.sum() > 0
    # hand-counted (tests/test_actors.py): seed-004 mentions Russia 13 times, never the US
    seed4 = actors[actors.article_id == "seed-004"].set_index("actor")
    assert seed4.loc["russia", "mentions"] == 13 and "daesh" not in seed4.index


def test_blame_pairs_count_every_blame_code(scored):
    pairs, evidence = scored.blame_pairs, scored.evidence
    assert list(pairs.columns) == BLAME_PAIR_COLUMNS
    blame = evidence[(evidence.family == "blame") & (evidence.value > 0)]
    assert pairs.n.sum() == len(blame) > 0
    # the authors' own blame and their sources' are apart
    assert {"author", "afghan_government"} <= set(pairs.blamer)
    actors = scored.actors.set_index(["article_id", "actor"])
    for (article, blamer), n in pairs.groupby(["article_id", "blamer"]).n.sum().items():
        if blamer not in ("author", "other"):
            assert actors.loc[(article, blamer), "blames_n"] == n


def test_wide_view_of_the_actors_a_user_names(scored):
    view = wide(scored.actors, ["taliban", "russia"], ["stance", "mentions", "role_hero"])
    assert list(view.columns) == ["article_id", "stance_taliban", "mentions_taliban", "role_hero__taliban",
                                  "stance_russia", "mentions_russia", "role_hero__russia"]
    assert len(view) == len(set(scored.actors.article_id))
    # every article, with the values of a pair not coded: 0 mentions, a missing stance
    full = scored.wide(["russia", "us"], ["mentions", "stance", "stance_n"])
    assert list(full.columns) == [*scored.features.columns, "mentions_russia", "mentions_us", "stance_russia",
                                  "stance_us", "stance_n_russia", "stance_n_us"]
    seed4 = full.set_index("id").loc["seed-004"]
    assert seed4.mentions_russia == 13 and seed4.mentions_us == 0 and seed4.stance_n_us == 0
    assert np.isnan(seed4.stance_us)
    with pytest.raises(ValueError, match="unknown measures"):
        wide(scored.actors, ["taliban"], ["tone"])


def test_written_beside_features_and_read_back(scored, tmp_path):
    scored.write(tmp_path)
    for name, expected in (("actors", scored.actors), ("blame_pairs", scored.blame_pairs)):
        pd.testing.assert_frame_equal(read_tidy(tmp_path, name), expected, check_dtype=False)
        csv = pd.read_csv(tmp_path / f"{name}.csv")
        assert len(csv) == len(expected) and list(csv.columns) == list(expected.columns)
    assert not any(c.startswith("blamer_") for c in scored.features.columns)
    # the wide view read back from the folder is the one in memory
    features, _ = read_scores(tmp_path, ["taliban", "csto"])
    pd.testing.assert_frame_equal(features, scored.wide(["taliban", "csto"]), check_dtype=False)
    with pytest.raises(FramingError, match="no actors \\['hamas'\\]"):
        read_scores(tmp_path, ["hamas"])
