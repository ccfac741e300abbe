"""FramingFeatures: the article features as a scikit-learn transformer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import framing


def test_transform_matches_score(corpus, cache_dir, monkeypatch, scored):
    monkeypatch.setenv("FRAMING_CACHE", str(cache_dir))
    texts = [a.text for a in corpus]
    transformer = framing.FramingFeatures().fit(texts)
    names = list(transformer.get_feature_names_out())
    assert names[:3] == ["n_characters", "n_words", "n_sentences"]
    assert "mentions_russia" in names and "blame_share_us" in names and "share_named" in names
    matrix = transformer.transform(texts)
    expected = scored.wide()[names].astype(float).fillna(0.0).to_numpy()
    assert matrix.shape == (5, len(names)) and np.array_equal(matrix, expected)


def test_in_a_pipeline_with_pandas_output(corpus, cache_dir, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(cache_dir))
    texts = pd.Series([a.text for a in corpus], name="text")
    pipe = make_pipeline(framing.FramingFeatures(), StandardScaler()).set_output(transform="pandas")
    out = pipe.fit_transform(texts.to_frame())
    assert isinstance(out, pd.DataFrame) and out.shape[0] == 5
    assert "stance_russia" in out.columns
