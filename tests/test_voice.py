"""Whose stance a row is (issue 29, item 1): the author's, or a quoted or cited source's, by the
attribution spans the package finds; per actor, stance in each voice; who says what about whom."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.tables import read_tidy
from framing.tidy import VOICE_COLUMNS


def test_reported_stance_is_the_sources_voice_on_the_seeds(scored):
    stance = scored.evidence[scored.evidence.family == "stance"]
    # seed-000: "The government in Kabul accused the Taliban of carrying out the attack ..."
    kabul = stance[(stance.article_id == "seed-000") & (stance.actor == "taliban")
                   & stance.sentence.str.startswith("The government in Kabul accused the Taliban")]
    assert len(kabul) == 1
    row = kabul.iloc[0]
    assert (row.voice, row.attributor, row.source, row.label) == ("source", "afghan_government",
                                                                  "government in Kabul", "negative")
    # seed-000: Peskov's quote about "our partners in the Collective Security Treaty Organisation"
    peskov = stance[(stance.article_id == "seed-000") & (stance.actor == "csto")]
    assert list(zip(peskov.voice, peskov.attributor, peskov.source)) == [
        ("source", "russia", "Dmitry Peskov")]
    # the title "Russia mobilises on Afghan borders" is the author's
    title = stance[(stance.article_id == "seed-000") & (stance.sentence_index == 0)
                   & (stance.actor == "russia")]
    assert list(zip(title.voice, title.attributor)) == [("author", "author")]
    assert set(stance.voice) == {"author", "source"} and (stance.voice == "source").sum() >= 10


def test_the_voice_rule_is_the_attribution_content(scored):
    ev = scored.evidence
    attributions = ev[ev.family == "attribution"]
    for row in ev[ev.family == "stance"].itertuples():
        holding = attributions[(attributions.article_id == row.article_id) & (attributions.start <= row.start)
                               & (row.start < attributions.end)]
        if holding.empty:
            assert (row.voice, row.attributor) == ("author", "author"), row
        else:
            assert row.voice == "source" and row.source in set(holding.source), row
            assert row.attributor in {*(a if a else "other" for a in holding.actor.fillna(""))}, row


def test_stance_per_voice_adds_up_and_who_says_what(scored, tmp_path):
    actors = scored.actors
    assert (actors.stance_author_n + actors.stance_sources_n == actors.stance_n).all()
    both = actors[(actors.stance_author_n > 0) & (actors.stance_sources_n > 0)]
    assert len(both) > 0
    pooled = (both.stance_author * both.stance_author_n + both.stance_sources * both.stance_sources_n) \
        / both.stance_n
    assert np.allclose(pooled, both.stance_mean)
    voices = scored.voices
    assert list(voices.columns) == VOICE_COLUMNS
    per_target = voices.groupby(["article_id", "target"]).n.sum()
    coded = actors[actors.stance_n > 0].set_index(["article_id", "actor"]).stance_n
    assert per_target.sort_index().tolist() == coded.sort_index().tolist()
    assert (voices.negative + voices.neutral + voices.positive == voices.n).all()
    kabul = voices[(voices.article_id == "seed-000") & (voices.speaker == "afghan_government")]
    assert list(zip(kabul.target, kabul.n, kabul.negative)) == [("taliban", 1, 1)]
    assert kabul.stance.iloc[0] == pytest.approx(-1.0, abs=0.05)
    scored.write(tmp_path)
    pd.testing.assert_frame_equal(read_tidy(tmp_path, "voices"), voices, check_dtype=False)
