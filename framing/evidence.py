"""The evidence contract: one row per coded span, the same columns for every extractor.

Every score framing reports is a function of evidence rows, and every row points at the words that
produced it: ``start``/``end`` index the article's text (``text[start:end]`` is the coded span), and
``sentence_start``/``sentence_end`` the sentence that holds it (``sentence`` is that slice).

Columns (extractors may add columns after these, never remove or redefine them):

- ``article_id``: the article's id;
- ``family``: ``actor``, ``stance``, ``blame`` or ``attribution``;
- ``actor``: the codebook actor id the row is about (empty where none);
- ``label``: the code (for ``actor`` rows, the kind of mention: name, demonym, person, short_form,
  description, reference, or place for a place-only mention that is not counted);
- ``value``: the number the row contributes (1 for a counted mention, 0 for a place);
- ``start``, ``end``: character offsets of the coded span in the article's text;
- ``sentence_start``, ``sentence_end``, ``sentence``: the sentence's offsets and text;
- ``cue``: the words or codebook entry that triggered the code;
- ``source``, ``source_type``, ``origin``, ``form``: who speaks (attribution and blame rows);
- ``sentence_index``: the sentence's position in the article, from 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc, Span, Token


EVIDENCE_COLUMNS = [
    "article_id", "family", "actor", "label", "value", "start", "end", "sentence_start",
    "sentence_end", "sentence", "cue", "source", "source_type", "origin", "form", "sentence_index",
]
FAMILIES = ("actor", "stance", "blame", "attribution")


@dataclass
class Evidence:
    article_id: str
    family: str
    actor: str
    label: str
    value: float
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    sentence: str
    cue: str = ""
    source: str = ""
    source_type: str = ""
    origin: str = ""
    form: str = ""
    sentence_index: int = -1
    extra: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        row = {c: getattr(self, c) for c in EVIDENCE_COLUMNS}
        row.update(self.extra)
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any], **given: Any) -> Evidence:
        """The evidence of a row :meth:`as_row` gave (its columns beyond the contract's go to ``extra``);
        ``given`` sets columns the row leaves out (the result cache stores rows without ``article_id``)."""
        row = {**row, **given}
        return cls(**{c: row.pop(c) for c in EVIDENCE_COLUMNS}, extra=row)


_SENTENCES = ("framing", "sentences")  # keys of what is cached in ``doc.user_data``
_TEXT = ("framing", "text")
_CHAR_BOUNDS = ("framing", "nonspace")


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per ``Doc`` (spaCy joins every token's text on each call)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def keep_text(doc: Doc, text: str) -> Doc:
    """``doc``, with ``text`` (which must equal ``doc.text``) as what :func:`text_of` gives."""
    doc.user_data[_TEXT] = text
    return doc


def sentences(doc: Doc) -> tuple[list[Span], list[int]]:
    """The sentences of ``doc`` and the sentence index of every token, computed once per ``Doc``.

    spaCy's ``doc.sents`` and ``token.sent`` walk the whole document on every call; the extractors
    ask for a token's sentence thousands of times per article, so they ask here instead. Only token
    offsets are cached (``Span``s in ``doc.user_data`` would make a reference cycle that keeps every
    parsed ``Doc`` in memory until the garbage collector's next full pass).
    """
    bounds, index = sentence_table(doc)
    return [doc[start:end] for start, end in bounds], index


def sentence_table(doc: Doc) -> tuple[list[tuple[int, int]], list[int]]:
    """The token bounds of each sentence and the sentence index of each token (cached per ``Doc``)."""
    cached = doc.user_data.get(_SENTENCES)
    if cached is None or len(cached[1]) != len(doc):
        bounds = [(sent.start, sent.end) for sent in doc.sents]
        index = [0] * len(doc)
        for s, (start, end) in enumerate(bounds):
            index[start:end] = [s] * (end - start)
        cached = doc.user_data[_SENTENCES] = (bounds, index)
    return cached


def sentence_of(token: Token) -> Span:
    """The sentence that holds ``token`` (``token.sent``, from the per-``Doc`` cache)."""
    bounds, index = sentence_table(token.doc)
    start, end = bounds[index[token.i]]
    return token.doc[start:end]


def sentence_bounds(sent: Span) -> tuple[int, int]:
    """Character offsets of ``sent`` without its leading and trailing white space (read from a
    per-``Doc`` table: a long sentence with many coded spans is not walked once per span)."""
    doc = sent.doc
    table = doc.user_data.get(_CHAR_BOUNDS)
    if table is None or len(table[0]) != len(doc):
        table = doc.user_data[_CHAR_BOUNDS] = _nonspace_bounds(doc)
    first, last = table[0][sent.start], table[1][sent.end - 1]
    if first < 0 or first >= sent.end or last < 0 or last < sent.start:
        return sent.start_char, sent.start_char
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _nonspace_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """For each token: the next non-space token at or after it, and the last one at or before it (-1:
    none), from one read of the tokens' white-space flags."""
    import numpy as np
    from spacy.attrs import IS_SPACE

    n = len(doc)
    if not n:
        return [], []
    space = doc.to_array(IS_SPACE).astype(bool)
    index = np.arange(n)
    before = np.maximum.accumulate(np.where(space, -1, index))
    after = np.minimum.accumulate(np.where(space, n, index)[::-1])[::-1]
    return np.where(after == n, -1, after).tolist(), before.tolist()


def sentences_covering(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Bounds of the run of whole sentences that holds the characters ``start:end`` (a span may cross
    a sentence boundary; the bounds never cut into ``start:end``)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    first, last = (span[0], span[-1]) if span is not None and len(span) else (doc[0], doc[-1])
    return min(sentence_bounds(sentence_of(first))[0], start), max(sentence_bounds(sentence_of(last))[1], end)


def evidence_for(article_id: str, family: str, span: Span, sentence_index: int, **fields) -> Evidence:
    """An evidence row for ``span``, with the bounds and text of the sentence(s) that hold it."""
    doc = span.doc
    s_start, s_end = sentences_covering(doc, span.start_char, span.end_char)
    return Evidence(
        article_id=article_id,
        family=family,
        start=span.start_char,
        end=span.end_char,
        sentence_start=s_start,
        sentence_end=s_end,
        sentence=text_of(doc)[s_start:s_end],
        sentence_index=sentence_index,
        **fields,
    )
