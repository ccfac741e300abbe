"""Near-identical stories across a corpus: MinHash signatures and locality-sensitive hashing.

An outlet that republishes agency copy or another outlet's story publishes (nearly) the same words. Each
article is reduced to the set of its word ``SHINGLE``-grams (lower-cased ``\\w+`` words), and to a MinHash
signature of ``NUM_PERM`` permutations (datasketch, fixed seed); locality-sensitive hashing
(``MinHashLSH``) proposes pairs whose estimated Jaccard similarity may reach ``THRESHOLD``, and a pair is
kept when the signatures' estimate does. A story cluster is a connected group of kept pairs.

Features (one row per article, the same for any order or batching of the corpus):

- ``story_cluster``: the id of the cluster's first article (the earliest ``date``, then the smallest
  id; an article without a date comes after those with one); an article with no near-duplicate is its
  own cluster;
- ``story_size``: the number of articles in the cluster;
- ``is_copy``: 1 when the article is not the first of its cluster, else 0.

The pass streams the corpus once and holds only the signatures (``NUM_PERM`` 64-bit numbers per article:
100,000 articles take about 100 MB); benchmarks/README.md has its time and memory at 100,000 articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

SHINGLE = 5  # words per shingle
NUM_PERM = 128  # MinHash permutations
THRESHOLD = 0.8  # estimated Jaccard similarity of the shingle sets
SEED = 1
SCHEME = "affine32"  # datasketch's permutation scheme, named so that a new default cannot change results
COLUMNS = ["story_cluster", "story_size", "is_copy"]
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The set of the text's word ``size``-grams (lower case), as UTF-8 bytes; a text of fewer words
    than ``size`` is one shingle of all its words."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


class _Clusters:
    """Union-find over article positions."""

    def __init__(self):
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_copies(articles: Iterable[tuple[str, str, str]], threshold: float = THRESHOLD,
                num_perm: int = NUM_PERM, shingle: int = SHINGLE) -> pd.DataFrame:
    """Story clusters of ``(id, date, text)`` items: a frame with ``id`` and :data:`COLUMNS`.

    ``date`` is an ISO date (or any string that sorts in time order; '' when unknown)."""
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    template = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    clusters = _Clusters()
    ids: list[str] = []
    dates: list[str] = []
    signatures: list[LeanMinHash] = []
    for article_id, date, text in articles:
        mh = MinHash(num_perm=num_perm, seed=SEED, permutations=template.permutations, scheme=SCHEME)
        grams = shingles(text, shingle)
        if grams:
            mh.update_batch(list(grams))
        lean = LeanMinHash(mh)
        index = clusters.add()
        ids.append(str(article_id))
        dates.append(str(date or ""))
        signatures.append(lean)
        if not grams:
            continue  # an empty text is a story of its own
        for other in lsh.query(lean):
            if lean.jaccard(signatures[other]) >= threshold:
                clusters.union(index, other)
        lsh.insert(index, lean, check_duplication=False)
    return _table(ids, dates, clusters)


def _table(ids: list[str], dates: list[str], clusters: _Clusters) -> pd.DataFrame:
    roots = np.array([clusters.find(i) for i in range(len(ids))], dtype=np.int64)
    order = sorted(range(len(ids)), key=lambda i: (dates[i] == "", dates[i], ids[i]))
    first: dict[int, int] = {}
    for i in order:
        first.setdefault(int(roots[i]), i)
    sizes = pd.Series(roots).map(pd.Series(roots).value_counts()).to_numpy()
    leader = [first[int(r)] for r in roots]
    return pd.DataFrame({
        "id": pd.array(ids, dtype="string"),
        "story_cluster": pd.array([ids[j] for j in leader], dtype="string"),
        "story_size": sizes.astype("int64"),
        "is_copy": np.array([int(j != i) for i, j in enumerate(leader)], dtype="int64"),
    })


def add_copies(features: pd.DataFrame, copies: pd.DataFrame) -> pd.DataFrame:
    """``features`` with the :data:`COLUMNS` of ``copies`` matched by id (after the other columns)."""
    found = copies.set_index("id").reindex(features["id"].astype("string"))
    out = features.copy()
    for column in COLUMNS:
        out[column] = found[column].to_numpy()
    out["story_cluster"] = out["story_cluster"].astype("string")
    out["story_size"] = out["story_size"].astype("int64")
    out["is_copy"] = out["is_copy"].astype("int64")
    return out
