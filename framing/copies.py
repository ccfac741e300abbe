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

Evidence (family ``copy``, one row per copy, added after the articles' own rows): the longest passage
the copy shares with its cluster's first article, as a run of 5-word sequences found in both
(``start``/``end`` and ``sentence`` are the passage; ``label`` ``copy_of``; ``value`` the exact
Jaccard similarity of the two articles' 5-word sequences; ``cue`` names the first article and the
passage's length). :func:`copy_evidence` takes a second pass over the corpus that keeps only the texts
of clustered articles.

The pass streams the corpus once and holds only the signatures (``NUM_PERM`` 64-bit numbers per article:
100,000 articles take about 100 MB); benchmarks/README.md has its time and memory at 100,000 articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .errors import FramingError
from .evidence import Evidence

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
    return story_table(ids, [ids[j] for j in leader], sizes, [int(j != i) for i, j in enumerate(leader)])


def story_table(ids, clusters, sizes, is_copy) -> pd.DataFrame:
    """The frame :func:`find_copies` returns (``id`` and :data:`COLUMNS`, typed), from its columns."""
    return pd.DataFrame({
        "id": pd.array(ids, dtype="string"),
        "story_cluster": pd.array(clusters, dtype="string"),
        "story_size": np.asarray(sizes, dtype="int64"),
        "is_copy": np.asarray(is_copy, dtype="int64"),
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


def copy_evidence(table: pd.DataFrame, items: Iterable[tuple[str, str, str]],
                  shingle: int = SHINGLE) -> list[Evidence]:
    """One ``copy`` row per copy of ``table`` (:func:`find_copies`'s), in the table's order; ``items``
    streams the corpus's ``(id, date, text)`` again (only the texts of copies and their clusters' first
    articles are kept)."""
    copies = table[table["is_copy"] == 1]
    if copies.empty:
        return []
    needed = set(copies["id"].astype(str)) | set(copies["story_cluster"].astype(str))
    texts = {str(i): text for i, _, text in items if str(i) in needed}
    missing = sorted(needed - set(texts))
    if missing:
        raise FramingError(f"article {missing[0]!r} was in the corpus's first pass but not in its second "
                           "(the corpus changed while it was scored); score it again")
    return [_shared_passage(str(c), texts[str(c)], str(first), texts[str(first)], shingle)
            for c, first in zip(copies["id"], copies["story_cluster"])]


def _shared_passage(article_id: str, text: str, first: str, first_text: str, size: int) -> Evidence:
    """The longest run of the copy's consecutive word ``size``-grams that the first article also has:
    linear in the two texts' lengths."""
    mine, theirs = shingles(text, size), shingles(first_text, size)
    jaccard = len(mine & theirs) / len(mine | theirs) if mine | theirs else 1.0
    words = list(_WORD.finditer(text))
    n = max(1, len(words) - size + 1) if words else 0
    best, run_start, best_span = 0, 0, (0, 0)
    for i in range(n):
        gram = " ".join(w.group().lower() for w in words[i:i + size]).encode("utf-8")
        if gram in theirs:
            if i == 0 or run_start < 0:
                run_start = i
            length = i - run_start + 1
            if length > best:
                best, best_span = length, (run_start, min(i + size, len(words)) - 1)
        else:
            run_start = -1
    start = words[best_span[0]].start() if best else 0
    end = words[best_span[1]].end() if best else 0
    n_words = best_span[1] - best_span[0] + 1 if best else 0
    return Evidence(article_id=article_id, family="copy", actor="", label="copy_of",
                    value=round(jaccard, 4), start=start, end=end, sentence_start=start,
                    sentence_end=end, sentence=text[start:end],
                    cue=f"same {size}-word sequences as {first}: {jaccard:.0%} of both; "
                        f"longest shared passage {n_words} words")
