"""A scikit-learn transformer from raw article texts to framing features.

>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.linear_model import LogisticRegression
>>> model = make_pipeline(FramingFeatures(), LogisticRegression())      # doctest: +SKIP

``FramingFeatures`` scores each text with :func:`framing.score` (through the parse cache) and returns
the numeric article features (descriptives, actor mentions, stance, blame, sourcing, wire; not the
labels ``wire_source`` and ``wire_cue``) in a fixed
column order; a stance that was never coded, and every feature of an empty text, is ``fill_value``
(one row per input text, always). ``set_output(transform="pandas")``
returns a DataFrame with the feature names as columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from .pipeline import DESCRIPTIVES, score


class FramingFeatures(TransformerMixin, BaseEstimator):
    """Turn article texts into the article feature matrix of a codebook.

    Parameters
    ----------
    codebook : a codebook path (or None for the bundled one).
    extractors : extractor names (None: all built-in ones).
    stance_method : ``transformer`` (default), ``linear`` or ``lexicon``.
    fill_value : the value of a feature that is missing for an article (a never-coded stance).
    use_cache : read and write the caches (parse, sentence vectors, results; :func:`framing.score`).
    """

    def __init__(self, codebook=None, extractors=None, stance_method: str = "transformer",
                 fill_value: float = 0.0, use_cache: bool = True):
        self.codebook = codebook
        self.extractors = extractors
        self.stance_method = stance_method
        self.fill_value = fill_value
        self.use_cache = use_cache

    def fit(self, X, y=None):
        """Set the feature names, as the extractors declare them; nothing is learned from ``X``."""
        from .codebook import load_codebook
        from .extract import DEFAULT_EXTRACTORS, build_extractors
        from .parse import load_model

        _texts(X)
        steps = build_extractors(self.extractors or DEFAULT_EXTRACTORS, load_codebook(self.codebook),
                                 load_model(), stance_method=self.stance_method)
        names = [*DESCRIPTIVES, *(n for step in steps for n in step.feature_names()
                                  if n not in step.text_features)]
        self.feature_names_out_ = np.asarray(names, dtype=object)
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        features = self._score(_texts(X))
        table = features.reindex(columns=list(self.feature_names_out_)).astype(float)
        return table.fillna(self.fill_value).to_numpy()

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self.feature_names_out_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True  # an iterable of texts, not a 2-D array
        tags.input_tags.two_d_array = False
        return tags

    def _score(self, texts: list[str]) -> pd.DataFrame:
        """One row per text, in order (an empty text is not scored: its row is empty)."""
        from .corpus import Article

        ids = [f"doc-{i}" for i in range(1, len(texts) + 1)]
        articles = [Article(i, t, origin=f"item {n}") for n, (i, t) in enumerate(zip(ids, texts), start=1)
                    if t.strip()]
        if not articles:
            return pd.DataFrame(index=ids)
        result = score(articles, codebook=self.codebook, extractors=self.extractors,
                       stance_method=self.stance_method, use_cache=self.use_cache, progress=False,
                       strict=True)
        return result.wide().set_index("id").reindex(ids)  # per-actor measures as columns


_FEATURE_STEMS = {"n", "mentions", "first", "stance", "blame", "denials", "blamer", "share"}


def feature_columns(features: pd.DataFrame) -> list[str]:
    """The numeric framing-feature columns of a scored features table, in table order."""
    return [c for c in features.columns if c in DESCRIPTIVES or
            (c != "id" and pd.api.types.is_numeric_dtype(features[c])
             and c.split("_")[0] in _FEATURE_STEMS)]


def _texts(X) -> list[str]:
    if isinstance(X, (str, bytes)):
        raise ValueError("FramingFeatures expects an iterable of article texts, got a single "
                         f"{type(X).__name__}; wrap it in a list: [text]")
    if isinstance(X, pd.DataFrame):
        if X.shape[1] != 1:
            raise ValueError("FramingFeatures takes one column of texts; select it first")
        X = X.iloc[:, 0]
    texts = list(X)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(f"item {i}: expected an article text (str), got {type(text).__name__}")
    return texts
