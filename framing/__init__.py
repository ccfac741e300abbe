"""framing: computational media-framing analysis with evidence for every score.

Quick start::

    import framing
    result = framing.score("corpus")          # the bundled corpus, the bundled codebook
    result.features                           # one row per article
    result.evidence                           # one row per coded span, with offsets and cue
    framing.score_to("export.parquet", "scores", jobs=2)   # any size: streamed to disk, resumable

The names below are imported when first used (``framing.score`` loads spaCy, scikit-learn and
TextBlob; ``import framing`` and ``framing --help`` do not).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    "Article": "corpus", "Corpus": "corpus", "clean_corpus": "corpus", "load_corpus": "corpus",
    "load_rules": "corpus",
    "Codebook": "codebook", "load_codebook": "codebook",
    "CodebookError": "errors", "CorpusError": "errors", "ExtractorError": "errors",
    "FramingError": "errors", "OptionError": "errors",
    "ScoreResult": "pipeline", "score": "pipeline",
    "score_to": "engine",
    "read_tables": "tables", "read_scores": "tables", "read_tidy": "tables",
    "evidence_behind": "compare", "stance_behind": "compare",
    "FramingFeatures": "transformer",
}

__all__ = [  # the keys of _EXPORTS (a test checks), written out for tools that read __all__
    "Article", "Codebook", "CodebookError", "Corpus", "CorpusError", "ExtractorError", "FramingError",
    "FramingFeatures", "OptionError", "ScoreResult", "__version__", "clean_corpus", "evidence_behind",
    "load_codebook", "load_corpus", "load_rules", "read_scores", "read_tables", "read_tidy", "score",
    "score_to", "stance_behind",
]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'framing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups do not come here again
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from .codebook import Codebook, load_codebook
    from .compare import evidence_behind, stance_behind
    from .corpus import Article, Corpus, clean_corpus, load_corpus, load_rules
    from .engine import score_to
    from .errors import CodebookError, CorpusError, ExtractorError, FramingError, OptionError
    from .pipeline import ScoreResult, score
    from .tables import read_scores, read_tables, read_tidy
    from .transformer import FramingFeatures
