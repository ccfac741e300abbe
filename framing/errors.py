"""Exceptions raised by framing. Every message names the file, row or field at fault and what to do."""

from __future__ import annotations


class FramingError(Exception):
    """Base class of every error framing raises on purpose."""


class CorpusError(FramingError, ValueError):
    """A corpus cannot be read: unknown format, missing column, duplicate id, bad article."""


class CodebookError(FramingError, ValueError):
    """A codebook file is invalid; the message names the key and why. ``problems`` lists every
    problem found (validation goes on after the first, so that all are reported at once)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems) if problems else [message]
        super().__init__(message)

    @classmethod
    def of(cls, problems: list[str]) -> CodebookError:
        if len(problems) == 1:
            return cls(problems[0])
        return cls(f"{len(problems)} problems:\n" + "\n".join(f"  {p}" for p in problems), problems)

    def __reduce__(self):
        return (type(self), (self.args[0], self.problems))


class OptionError(FramingError, ValueError):
    """An argument or option has a value framing cannot use (an unknown extractor, an output path
    that is a file); the message names the option and the value."""


class ExtractorError(FramingError, RuntimeError):
    """An extractor failed on one article; carries the article id."""

    def __init__(self, article_id: str, extractor: str, cause: BaseException):
        self.article_id = article_id
        self.extractor = extractor
        self.cause = cause
        super().__init__(
            f"article {article_id!r}: extractor {extractor!r} failed: "
            f"{type(cause).__name__}: {cause}"
        )

    def __reduce__(self):  # raised in a worker process, re-raised in the main one
        return (type(self), (self.article_id, self.extractor, self.cause))
