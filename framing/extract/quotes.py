"""Find quotations in a text: double and single, straight and curly, robust to unbalanced marks.

Rules (applied paragraph by paragraph, so an unbalanced mark never swallows the rest of the article):

- double quotes: “ opens and ” closes; a straight " opens when it follows white space, the start
  or an opening bracket, and closes otherwise. A “ met inside an open quote right after a comma or full
  stop ("... opportunities, “the diplomat explained") is read as a misprinted closing mark;
- single quotes (‘ ’ and '): only outside double quotes, opening after white space or the start and
  before a letter or digit, closing after a non-space and before white space, punctuation or the end;
  an apostrophe inside a word ("Moscow’s", "won't") is never a quote mark;
- a quote still open at the end of its paragraph ends there (news prints a quotation over several
  paragraphs by opening each one and closing only the last).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH = re.compile(r"\n\s*\n")
# the marks each scan stops at (a scan jumps from one to the next: the rules read nothing in between)
_MARK = re.compile("[“\"‘']")
_DOUBLE = re.compile("[”\"“]")
_SINGLE = re.compile("[’']")
_OPEN_BEFORE = set(" \t\n([{—–-/") | {""}


@dataclass(frozen=True)
class Quote:
    """A quotation: ``start``/``end`` include the marks; ``closed`` is False when its paragraph ended it."""

    start: int
    end: int
    closed: bool = True

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, (self.end - 1 if self.closed else self.end)


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    begin = 0
    for match in [*_PARAGRAPH.finditer(text), None]:
        end = match.start() if match else len(text)
        quotes += _paragraph_quotes(text, begin, end)
        if match:
            begin = match.end()
    return quotes


def _paragraph_quotes(text: str, begin: int, end: int) -> list[Quote]:
    quotes = []
    i = begin
    while i < end:
        mark = _MARK.search(text, i, end)
        if mark is None:
            break
        i = mark.start()
        ch = text[i]
        before = text[i - 1] if i > begin else ""
        if ch == "“" or (ch == '"' and before in _OPEN_BEFORE):
            stop, closed = _find_double_close(text, i + 1, end)
            if _has_words(text[i + 1:stop]):
                quotes.append(Quote(i, stop + 1 if closed else stop, closed=closed))
            i = stop + 1 if closed else stop
            continue
        if ch in "‘'" and before in _OPEN_BEFORE and i + 1 < end and text[i + 1].isalnum():
            close = _find_single_close(text, i + 1, end)
            if close is not None and _has_words(text[i + 1:close]):
                quotes.append(Quote(i, close + 1))
                i = close + 1
                continue
        i += 1
    return quotes


def _find_double_close(text: str, i: int, end: int) -> tuple[int, bool]:
    """Where the quotation opened before ``i`` stops, and whether a closing mark stops it."""
    while i < end:
        mark = _DOUBLE.search(text, i, end)
        if mark is None:
            break
        i = mark.start()
        ch = text[i]
        if ch == "”" or ch == '"':
            return i, True
        if ch == "“":
            previous = text[i - 1] if i > 0 else ""
            previous2 = text[i - 2] if i > 1 else ""
            if previous in ",." or (previous == " " and previous2 in ",.!?"):
                return i, True  # a misprinted closing mark
            return i, False  # a new quotation opens here: the first one was never closed
    return end, False


def _find_single_close(text: str, i: int, end: int) -> int | None:
    while i < end:
        mark = _SINGLE.search(text, i, end)
        if mark is None:
            break
        i = mark.start()
        if not text[i - 1].isspace():
            after = text[i + 1] if i + 1 < end else ""
            if not after.isalnum():
                return i
        i += 1
    return None


def _has_words(fragment: str) -> bool:
    return any(c.isalnum() for c in fragment)
