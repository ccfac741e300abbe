"""The tidy tables (issue 28, item 1): one row per (article, actor) the article codes and one per
(article, blamer, blamed, kind), checked against the features and evidence rows of the seed articles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.tables import read_tidy
from framing.tidy import ACTOR_COLUMNS, BLAME_PAIR_COLUMNS, wide


def test_one_row_per_coded_pair_with_the_features_values(scored):
    actors, features, evidence = scored.actors, scored.features.set_index("id"), scored.evidence
    assert list(actors.columns) == ACTOR_COLUMNS
    assert not actors.duplicated(["article_id", "actor"]).any()
    book_actors = ["russia", "us", "nato", "taliban", "daesh", "afghan_government", "csto", "central_asia"]
    for article in features.index:
        for actor in book_actors:
            coded = features.loc[article, f"mentions_{actor}"] > 0 \
                or features.loc[article, f"stance_n_{actor}"] > 0
            mine = evidence[(evidence.article_id == article) & (evidence.actor == actor)]
            speaks = (mine.family == "attribution").sum()
            blamed = ((mine.family == "blame") & (mine.value > 0)).sum()
            row = actors[(actors.article_id == article) & (actors.actor == actor)]
            assert len(row) == int(coded or speaks > 0 or blamed > 0), (article, actor)
            if len(row):
                row = row.iloc[0]
                for measure in ("mentions", "mentions_per_1000", "stance", "stance_n", "blame_share"):
                    expected = features.loc[article, f"{measure}_{actor}"]
                    assert row[measure] == pytest.approx(expected, nan_ok=True), (article, actor, measure)
                assert row.speaks_n == speaks and row.blamed_n == blamed
                assert row.speaks_n == row.speaks_direct + row.speaks_partial + row.speaks_indirect \
                    + row.speaks_according_to
    # the seeds' Kremlin spokesman: Russia speaks in every article that quotes Dmitry Peskov
    assert actors[(actors.actor == "russia")].speaks_n.sum() > 0


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
    view = wide(scored.actors, ["taliban", "russia"], ["stance", "mentions"])
    assert list(view.columns) == ["article_id", "stance_taliban", "mentions_taliban", "stance_russia",
                                  "mentions_russia"]
    features = scored.features.set_index("id")
    for _, row in view.iterrows():
        for actor in ("taliban", "russia"):
            expected = features.loc[row.article_id, f"mentions_{actor}"]
            shown = row[f"mentions_{actor}"]
            assert shown == expected or (np.isnan(shown) and expected == 0)
    with pytest.raises(ValueError, match="unknown measures"):
        wide(scored.actors, ["taliban"], ["tone"])


def test_written_beside_features_and_read_back(scored, tmp_path):
    scored.write(tmp_path)
    for name, expected in (("actors", scored.actors), ("blame_pairs", scored.blame_pairs)):
        pd.testing.assert_frame_equal(read_tidy(tmp_path, name), expected, check_dtype=False)
        csv = pd.read_csv(tmp_path / f"{name}.csv")
        assert len(csv) == len(expected) and list(csv.columns) == list(expected.columns)
    assert not any(c.startswith("blamer_") for c in scored.features.columns)
