"""A cheap check that a text is English, so that non-English input gets a warning, not silent scores."""

from __future__ import annotations

import re

# The most frequent English function words: in English news prose they make up 30-45 % of words.
_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for on with as was by it are at from be this have has not but or an "
    "will which its their they said he she his her were been would also after who more than".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_NOT_LATIN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F]")  # a letter outside the Latin ranges

MIN_WORDS = 20  # fewer words than this: too short to tell the language
# fewer words than this (runs of letters; digits, emoji and punctuation are not words): not scored,
# listed as skipped. Nothing can be coded from a text with no words, yet a model would still give it a
# frame or a role.
MIN_ARTICLE_WORDS = 3
MIN_FUNCTION_SHARE = 0.12
MIN_LATIN_SHARE = 0.5


def too_few_words(text: str) -> str | None:
    """Why ``text`` is too short to score (fewer than :data:`MIN_ARTICLE_WORDS` words), or None."""
    n = 0
    for _ in _WORD.finditer(text):
        n += 1
        if n >= MIN_ARTICLE_WORDS:
            return None
    return (f"{n} word{'s' if n != 1 else ''} (runs of letters), fewer than the {MIN_ARTICLE_WORDS} an "
            "article needs to be scored: no frame, role or stance is coded from it")


def english_problem(text: str) -> str | None:
    """Return why ``text`` does not look like English, or None when it does (or is too short to tell)."""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return None
    letters = sum(map(len, words))
    # the letters outside the Latin ranges are few in English: count those, not the Latin ones
    latin = letters - len(_NOT_LATIN.findall(text)) if not text.isascii() else letters
    if letters and latin / letters < MIN_LATIN_SHARE:
        return f"only {latin / letters:.0%} of its letters are Latin"
    share = sum(map(_FUNCTION_WORDS.__contains__, map(str.lower, words))) / len(words)
    if share < MIN_FUNCTION_SHARE:
        return f"only {share:.0%} of its words are common English function words"
    return None
