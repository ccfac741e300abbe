"""Extractors: one module per measure. Each takes a parsed ``Doc`` and yields evidence rows.

An extractor is a class registered in :data:`registry` under a name, built with the codebook::

    @registry.register("actors")
    class ActorMentions(Extractor): ...

``extract(doc, article, context)`` returns :class:`~framing.evidence.Evidence` rows; ``context`` is a
dict shared by the extractors of one article (the actor extractor leaves its mentions there under
``"mentions"`` for the extractors that need targets). ``features(rows, doc, article)`` turns the rows
into article features; ``feature_names()`` lists them in a fixed order, so every run has the same
columns. A new extractor plugs in by registering itself (also through the ``framing_extractors``
entry-point group) and being named in ``score(..., extractors=[...])``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import catalogue

from ..codebook import Codebook
from ..corpus import Article
from ..errors import OptionError
from ..evidence import Evidence

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc

registry = catalogue.create("framing", "extractors", entry_points=True)


class Extractor:
    """Base class: a named step from a parsed article to evidence rows and article features."""

    name: str = ""
    family: str = ""
    requires: tuple[str, ...] = ()
    text_features: tuple[str, ...] = ()  # features whose values are labels, not numbers
    # reads the stance encoder's sentence vectors (framing.frames.vectors_for): the scorer then keeps
    # them in the sentence-vector cache (framing.vector_cache)
    reads_sentence_vectors: bool = False
    # scores with the transformer stance model: its fingerprint (TransformerStance.fingerprint); the
    # scorer then keeps the head's outputs per target in the stance-head cache (framing.vector_cache)
    stance_heads: str | None = None

    def __init__(self, codebook: Codebook, nlp=None, **options):
        self.codebook = codebook
        self.nlp = nlp

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        raise NotImplementedError

    def prepare(self, docs: list[Doc], contexts: list[dict[str, Any]]) -> None:
        """Optional: work shared by a window of articles, done before each is extracted (``contexts``:
        their extraction contexts, in order; the frames extractor encodes the window's sentences
        together). Nothing by default."""

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, float]:
        return {}

    def feature_names(self) -> list[str]:
        return []


def build_extractors(names, codebook: Codebook, nlp, **options) -> list[Extractor]:
    """Instantiate the named extractors, adding what they require first, in dependency order.

    ``options`` (such as ``stance_method``) are passed to every extractor; each takes what it knows.
    """
    return [registry.get(name)(codebook, nlp, **options) for name in extractor_order(names)]


def extractor_order(names) -> list[str]:
    """The named extractors and those they require, each after what it requires."""
    ordered: list[str] = []

    def add(name: str) -> None:
        if name in ordered:
            return
        try:
            cls = registry.get(name)
        except catalogue.RegistryError as err:
            known = ", ".join(sorted(registry.get_all()))
            raise OptionError(f"unknown extractor {name!r}; known: {known}") from err
        for required in cls.requires:
            add(required)
        ordered.append(name)

    for name in names:
        add(name)
    return ordered


from . import actors, attribution, blame, frames, roles, stance, wire  # noqa: E402,F401  (registers the built-ins)

DEFAULT_EXTRACTORS = ("actors", "attribution", "blame", "stance", "frames", "roles", "wire")
