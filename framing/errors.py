"""Exceptions raised by framing. Every message names the file, row or field at fault and what to do."""


class FramingError(Exception):
    """Base class of every error framing raises on purpose."""


class CorpusError(FramingError, ValueError):
    """A corpus cannot be read: unknown format, missing column, duplicate id, bad article."""


class CodebookError(FramingError, ValueError):
    """A codebook file is invalid; the message names the key and why."""


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
