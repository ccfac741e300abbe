"""Codebook dependency patterns (spaCy's ``DependencyMatcher``), run on a ``Doc`` only when they can match.

spaCy's ``DependencyMatcher`` runs a token ``Matcher`` with every node of every pattern over the whole
``Doc``, although most patterns need words that most articles do not have ("roll back", "the purpose
of ... by"): with the base layer's blame patterns that was most of the blame extractor's time on
PolNeAR (2.2 of 3.1 s over 300 articles, 1.71 s of it the matcher). :class:`DependencyPatterns` first
reads the values a ``Doc`` has (one ``Doc.to_array``) and runs a matcher of only the patterns whose
every node finds, for each attribute it requires by value (``LEMMA``, ``LOWER``, ``ORTH``, ``TAG``,
``POS``, ``DEP`` as one value or an ``IN`` list), a token with such a value, all in one sentence (a
match is one dependency tree, and the order operators look within the sentence). That is necessary
for a match, so the matches are the full matcher's, in its order (``tests/test_blame.py`` checks this on
real articles): on PolNeAR 300, the matcher ran on 134 articles with the values in the article, and on
31 with them in one sentence.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc

_CHECKED = ("LEMMA", "LOWER", "ORTH", "TAG", "POS", "DEP")


def _required(value) -> list[str] | None:
    """The values one attribute of a node allows, when given as a string or an ``IN`` list of strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list) \
            and all(isinstance(v, str) for v in value["IN"]):
        return value["IN"]
    return None  # any other predicate (NOT_IN, REGEX, comparisons, ...): not checked in advance


class DependencyPatterns:
    """``patterns`` (a list of ``DependencyMatcher`` patterns, each a list of nodes); calling it on a
    ``Doc`` gives ``(pattern index, token indices)`` for every match, in the order of a
    ``DependencyMatcher`` that holds all of them (keys ``"0"``, ``"1"``, ...)."""

    def __init__(self, patterns: list[list[dict]], matchers: int = 64):
        self.patterns = patterns
        self._vocab = None
        self._needs: list[list[tuple[int, frozenset[int], np.ndarray]]] = []
        self._matchers: OrderedDict[tuple[int, ...], object] = OrderedDict()
        self._max_matchers = matchers

    def _prepare(self, vocab) -> None:
        """Each pattern's requirements as (column of ``_CHECKED``, allowed value ids, the same as an
        array) in ``vocab``."""
        import numpy as np

        strings = vocab.strings
        self._needs = []
        for pattern in self.patterns:
            needs = []
            for node in pattern:
                attrs = {str(k).upper(): v for k, v in (node.get("RIGHT_ATTRS") or {}).items()}
                for column, attribute in enumerate(_CHECKED):
                    allowed = _required(attrs.get(attribute)) if attribute in attrs else None
                    if allowed is not None:
                        ids = frozenset(strings[v] for v in allowed)
                        needs.append((column, ids, np.fromiter(ids, dtype=np.uint64, count=len(ids))))
            self._needs.append(needs)
        self._vocab, self._matchers = vocab, OrderedDict()

    def possible(self, doc: Doc) -> tuple[int, ...]:
        """The indices of the patterns that one sentence of ``doc`` has the values for."""
        import numpy as np
        from spacy.attrs import IDS

        from ..evidence import sentence_table

        if self._vocab is not doc.vocab:
            self._prepare(doc.vocab)
        if not len(doc):
            return ()
        table = doc.to_array([IDS[a] for a in _CHECKED])
        present = [set(np.unique(table[:, k]).tolist()) for k in range(len(_CHECKED))]
        which = [i for i, needs in enumerate(self._needs)
                 if all(not allowed.isdisjoint(present[column]) for column, allowed, _ in needs)]
        if not which:
            return ()
        # a match is one dependency tree, so within one sentence: some sentence must have every value
        starts = np.asarray([start for start, _ in sentence_table(doc)[0]])
        out = []
        for i in which:
            shared = np.ones(len(starts), dtype=bool)
            for column, _, allowed in self._needs[i]:
                shared &= np.maximum.reduceat(np.isin(table[:, column], allowed), starts)
                if not shared.any():
                    break
            else:
                out.append(i)
        return tuple(out)

    def __call__(self, doc: Doc) -> list[tuple[int, list[int]]]:
        which = self.possible(doc)
        if not which:
            return []
        matcher = self._matchers.get(which)
        if matcher is None:
            from spacy.matcher import DependencyMatcher

            matcher = DependencyMatcher(doc.vocab)
            for i in which:
                matcher.add(str(i), [self.patterns[i]])
            self._matchers[which] = matcher
            if len(self._matchers) > self._max_matchers:
                self._matchers.popitem(last=False)
        else:
            self._matchers.move_to_end(which)
        strings = doc.vocab.strings
        return [(int(strings[match_id]), tokens) for match_id, tokens in matcher(doc)]
