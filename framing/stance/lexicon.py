"""The transparent stance baseline, and the codebook's domain terms that both methods use.

``lexicon_stance``: TextBlob polarity of the words around the target (``window`` each side, the
target left out) plus the codebook's domain terms near it, clipped to [-1, 1]; neutral inside the
codebook's ``neutral_band``. ``domain_adjustment``: the summed weights of the domain terms that lie
within ``domain_window`` words of the target or contain it.
"""

from __future__ import annotations

from .context import clip, domain_matches, windows

NEAREST_TOLERANCE = 20  # characters: "US and NATO troops ... failed" counts for both


def domain_adjustment(sentence: str, start: int, end: int, lexicon: dict[str, float],
                      domain_window: int = 20, others: tuple[tuple[int, int], ...] = (),
                      ) -> tuple[float, list[str]]:
    """Summed weight and cues of the domain terms within ``domain_window`` words of the target.

    ``others`` are the other targets of the sentence: a term counts only for the target(s) nearest to
    it (within ``NEAREST_TOLERANCE`` characters of the nearest), so that in "Russia protects its allies
    while the Taliban attacks" each actor gets its own words.
    """
    if not lexicon:
        return 0.0, []
    sentence, start, end, offset = clip(sentence, start, end)
    others = tuple((a - offset, b - offset) for a, b in others
                   if a - offset < len(sentence) and b - offset > 0)
    w = windows(sentence, start, end, domain_window)
    total, cues = 0.0, []
    for term, weight, s, e in domain_matches(sentence, lexicon):
        if not ((w["left_start"] <= s and e <= w["right_end"]) or (s <= start and end <= e)):
            continue
        mine = _distance((s, e), (start, end))
        if others and mine > min(_distance((s, e), o) for o in others) + NEAREST_TOLERANCE:
            continue
        total += weight
        cues.append(f"{term} {weight:+.2f}")
    return total, cues


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, a[0] - b[1], b[0] - a[1])


def label_of(value: float, neutral_band: float) -> str:
    return "neutral" if abs(value) < neutral_band else ("positive" if value > 0 else "negative")


def lexicon_stance(sentence: str, start: int, end: int, lexicon: dict[str, float], window: int = 8,
                   neutral_band: float = 0.1, domain_window: int = 20,
                   others: tuple[tuple[int, int], ...] = ()) -> tuple[str, float, list[str]]:
    """Label, value and cues (TextBlob's polarity, the domain terms) for ``sentence[start:end]``."""
    w = windows(*clip(sentence, start, end)[:3], window)
    context = f"{w['left']} {w['right']}".strip()
    polarity = _polarity(context) if context else 0.0
    adjustment, terms = domain_adjustment(sentence, start, end, lexicon, domain_window, others)
    value = max(-1.0, min(1.0, polarity + adjustment))
    cues = ([f"textblob {polarity:+.2f}"] if polarity else []) + terms
    return label_of(value, neutral_band), value, cues


def _polarity(text: str) -> float:
    """TextBlob's polarity of ``text`` (TextBlob, and the NLTK it loads, imported on first use: scoring
    with the other methods, or from the result cache, never pays for them)."""
    from textblob import TextBlob

    return TextBlob(text).sentiment.polarity
