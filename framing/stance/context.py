"""The words around a stance target, read from text alone (no model, fast to import): its left and right
windows, the part of its sentence it looks at, and the codebook's domain terms.

An example is ``(sentence, start, end)``: the target is ``sentence[start:end]``. A target sees at
most ``CONTEXT_CHARACTERS`` characters of its sentence on each side (:func:`clip`), so the cost of a
target does not grow with its sentence: a text with no full stop is one long "sentence", and scoring
each of its many mentions against all of it made the cost grow with the square of its length.
"""

from __future__ import annotations

import re
from functools import lru_cache

TOKEN = re.compile(r"\w+(?:[’']\w+)*|[^\w\s]")
MASK = "TARGET"
CONTEXT_CHARACTERS = 500  # of the sentence on each side of a target (few news sentences are longer)


@lru_cache(maxsize=32)
def _compiled(terms: tuple[tuple[str, float], ...]) -> tuple[list[tuple[str, float, re.Pattern]], re.Pattern]:
    """The terms' patterns, longest term first, and one pattern that matches wherever any of them does
    (a sentence without a hit is left after one scan rather than one per term)."""
    out, bodies = [], []
    for term, weight in sorted(terms, key=lambda t: -len(t[0])):
        parts = [re.escape(p.strip()) for p in term.split("...")]
        body = r"(?:\W+\w+){0,6}?\W+".join(parts)  # "..." is a gap of up to six words
        out.append((term, float(weight), re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)))
        bodies.append(body)
    any_term = re.compile(rf"(?<!\w)(?:{'|'.join(bodies)})(?!\w)" if bodies else r"(?!)", re.IGNORECASE)
    return out, any_term


def domain_matches(text: str, lexicon: dict[str, float]) -> list[tuple[str, float, int, int]]:
    """(term, weight, start, end) of every domain-lexicon term in ``text``, longest first per place."""
    patterns, any_term = _compiled(tuple(sorted(lexicon.items())))
    if not any_term.search(text):
        return []
    found = []
    taken: list[tuple[int, int]] = []
    for term, weight, pattern in patterns:
        for m in pattern.finditer(text):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                found.append((term, weight, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f[2])


def clip(sentence: str, start: int, end: int, context: int = CONTEXT_CHARACTERS) -> tuple[str, int, int, int]:
    """The part of ``sentence`` a target looks at: up to ``context`` characters on each side of
    ``sentence[start:end]``, cut at white space. Returns ``(text, start, end, offset)`` with the
    target's offsets in ``text`` and ``offset`` the position of ``text`` in ``sentence``."""
    lo, hi = max(0, start - context), min(len(sentence), end + context)
    if lo > 0:
        space = sentence.find(" ", lo, start)
        lo = space + 1 if space >= 0 else start
    if hi < len(sentence):
        space = sentence.rfind(" ", end, hi)
        hi = space if space >= 0 else end
    if lo == 0 and hi == len(sentence):
        return sentence, start, end, 0
    return sentence[lo:hi], start - lo, end - lo, lo


def windows(sentence: str, start: int, end: int, window: int) -> dict[str, str]:
    """The three views of one example, and the character bounds of the two windows."""
    left_tokens = list(TOKEN.finditer(sentence[:start]))[-window:] if window else []
    right_tokens = list(TOKEN.finditer(sentence, end))[:window] if window else []
    return {
        "masked": f"{sentence[:start]} {MASK} {sentence[end:]}",
        "left": " ".join(m.group() for m in left_tokens),
        "right": " ".join(m.group() for m in right_tokens),
        "left_start": left_tokens[0].start() if left_tokens else start,
        "right_end": right_tokens[-1].end() if right_tokens else end,
    }
