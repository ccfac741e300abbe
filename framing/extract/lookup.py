"""Which tokens of a ``Doc`` have a word of a set, read from one ``Doc.to_array``.

A rule that reads a few words (the reporting verbs, the blame lexicon's lemmas, the person pronouns)
need not build a spaCy ``Token`` for every word of the article to test it: :class:`Words` finds the
tokens whose value of an attribute is in the set from the ``Doc``'s array of that attribute, and the
rule then looks at those tokens only, in the order it would have met them. The test is the rule's own
first test (the same string, lower-cased when the rule lower-cases it), so the rule finds what a walk
over every token finds (``tests/test_lookup.py`` compares both on real articles).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

MEMO_SIZE = 200_000  # distinct values remembered by a lower-casing Words (then it starts again)


class Words:
    """``Words("LEMMA", {"say", "tell"}, lowercase=True).indices(doc)``: the indices, in order, of the
    tokens whose ``attr`` (``"LEMMA"``, ``"LOWER"``, ``"ORTH"``, ...) is one of ``words``, compared after
    ``str.lower`` when ``lowercase`` (for a rule that tests ``token.lemma_.lower()``)."""

    def __init__(self, attr: str, words: Collection[str], lowercase: bool = False):
        self.attr, self.words, self.lowercase = attr, frozenset(words), lowercase
        self._id: int | None = None  # spaCy's id of attr and the words' hashes, at the first Doc
        self._hashes: list[int] = []
        # with lower-casing, each distinct value's string is looked up once and remembered
        self._memo: dict[int, bool] = {}

    def indices(self, doc: Doc) -> list[int]:
        import numpy as np

        if not len(doc) or not self.words:
            return []
        if self._id is None:
            from spacy.attrs import IDS
            from spacy.strings import hash_string

            self._id, self._hashes = IDS[self.attr], [hash_string(w) for w in self.words]
        values = doc.to_array(self._id)
        if not self.lowercase:
            wanted = self._hashes
        else:
            memo, strings = self._memo, doc.vocab.strings
            if len(memo) > MEMO_SIZE:
                memo.clear()
            wanted = []
            for value in np.unique(values).tolist():
                hit = memo.get(value)
                if hit is None:
                    hit = memo[value] = strings[value].lower() in self.words
                if hit:
                    wanted.append(value)
            if not wanted:
                return []
        return np.flatnonzero(np.isin(values, np.asarray(wanted, dtype=values.dtype))).tolist()
