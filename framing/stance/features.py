"""Target-aware features for stance: the sentence with the target masked, its left and right context
windows, lexicon scores (TextBlob, VADER) of each view, and the codebook's domain terms near the target.

An example is ``(sentence, start, end)``: the target is ``sentence[start:end]``; its windows, the part
of the sentence it sees and the domain terms are :mod:`framing.stance.context`'s.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from textblob import TextBlob

from .context import clip, domain_matches, windows

VIEWS = ("masked", "left", "right")
LEXICON_FEATURES = ["polarity_masked", "subjectivity_masked", "polarity_left", "polarity_right",
                    "vader_masked", "vader_left", "vader_right",
                    "domain_left", "domain_right", "domain_sentence"]


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _as_examples(X) -> list[tuple[str, int, int]]:
    if hasattr(X, "itertuples"):  # a DataFrame with sentence, start, end columns
        return [(r.sentence, int(r.start), int(r.end)) for r in X.itertuples()]
    return [(s, int(a), int(b)) for s, a, b in X]


class TargetFeatures(TransformerMixin, BaseEstimator):
    """Turn ``(sentence, start, end)`` examples into a sparse feature matrix.

    Parameters
    ----------
    window : words on each side of the target in the left and right views.
    lexicon : domain terms and weights (the codebook's ``stance.lexicon``).
    max_features : vocabulary size of each view's TF-IDF (word 1- and 2-grams).
    min_df : minimum document frequency of an n-gram.
    """

    def __init__(self, window: int = 8, lexicon: dict | None = None, max_features: int = 8000,
                 min_df: int = 2):
        self.window = window
        self.lexicon = lexicon
        self.max_features = max_features
        self.min_df = min_df

    def _views(self, X) -> tuple[dict[str, list[str]], np.ndarray]:
        lexicon = self.lexicon or {}
        texts: dict[str, list[str]] = {v: [] for v in VIEWS}
        dense = []
        for example in _as_examples(X):
            sentence, start, end, _ = clip(*example)
            w = windows(sentence, start, end, self.window)
            for view in VIEWS:
                texts[view].append(w[view])
            masked = TextBlob(w["masked"]).sentiment
            matches = domain_matches(sentence, lexicon) if lexicon else []
            left = sum(wt for _, wt, s, e in matches if w["left_start"] <= s and e <= start)
            right = sum(wt for _, wt, s, e in matches if end <= s and e <= w["right_end"])
            vader = [_vader().polarity_scores(w[view])["compound"] for view in VIEWS]
            dense.append([masked.polarity, masked.subjectivity,
                          TextBlob(w["left"]).sentiment.polarity, TextBlob(w["right"]).sentiment.polarity,
                          *vader, left, right, sum(wt for _, wt, _, _ in matches)])
        return texts, np.asarray(dense, dtype=float).reshape(-1, len(LEXICON_FEATURES))

    def fit(self, X, y=None):
        texts, _ = self._views(X)
        self.vectorizers_ = {}
        for view in VIEWS:
            vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True,
                                         token_pattern=r"(?u)\b\w+\b",
                                         vocabulary=self._vocabulary(texts[view]))
            vectorizer.fit(texts[view])
            self.vectorizers_[view] = vectorizer
        self.n_features_in_ = 3
        return self

    def _vocabulary(self, texts: list[str]) -> list[str]:
        """The ``max_features`` most frequent n-grams with ``min_df``, ties broken by the n-gram.

        scikit-learn's own ``max_features`` cut sorts with an unstable argsort whose tie order depends
        on the CPU's sorting kernel, so the same data gave another vocabulary on another machine;
        a lexicographic sort on (frequency, n-gram) gives the same one everywhere."""
        counter = CountVectorizer(ngram_range=(1, 2), min_df=self.min_df, lowercase=True,
                                  token_pattern=r"(?u)\b\w+\b")
        counts = counter.fit_transform(texts)
        terms = counter.get_feature_names_out()
        frequency = np.asarray(counts.sum(axis=0)).ravel()
        order = np.lexsort((terms, -frequency))[:self.max_features]
        return sorted(terms[order].tolist())

    def transform(self, X):
        texts, dense = self._views(X)
        blocks = [self.vectorizers_[v].transform(texts[v]) for v in VIEWS]
        return sp.hstack([*blocks, sp.csr_matrix(dense)], format="csr")

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        # fixed once fitted; built once (about 24,000 names), not for every stance cue
        if getattr(self, "_names_for", None) is not self.vectorizers_:
            names = [f"{view}:{n}" for view in VIEWS
                     for n in self.vectorizers_[view].get_feature_names_out()]
            self._names = np.asarray(names + [f"lexicon:{n}" for n in LEXICON_FEATURES], dtype=object)
            self._names_for = self.vectorizers_
        return self._names
