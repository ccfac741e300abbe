"""The records a corpus is made of."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One article: its id, its text exactly as given, and its metadata.

    Evidence offsets (``start``, ``end``) always index ``text``; loading never changes it.
    ``origin`` says where the article was read from (a file, or a file and row), for error messages.
    """

    id: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    origin: str = ""

    @property
    def digest(self) -> str:
        """SHA-256 of the id, the text and the metadata: what a resumed run compares to know that an
        article it scored before is unchanged."""
        record = json.dumps([self.id, self.text, self.meta], sort_keys=True, ensure_ascii=False,
                            default=str)
        return hashlib.sha256(record.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    """An article that was not loaded, and why. Skipped articles are reported, never dropped silently."""

    origin: str
    reason: str
    id: str | None = None

    def __str__(self) -> str:
        who = f"article {self.id!r} " if self.id else ""
        return f"{self.origin}: {who}skipped: {self.reason}"


@dataclass
class Corpus(Sequence[Article]):
    """The loaded articles in input order, with the ones that were skipped and why."""

    articles: list[Article]
    skipped: list[Skipped] = field(default_factory=list)
    path: str | None = None

    def __len__(self) -> int:
        return len(self.articles)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, str):
            for article in self.articles:
                if article.id == index:
                    return article
            raise KeyError(f"no article with id {index!r} in corpus {self.path or ''}".strip())
        return self.articles[index]

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    @property
    def ids(self) -> list[str]:
        return [a.id for a in self.articles]
