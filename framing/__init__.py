"""framing: computational media-framing analysis with evidence for every score.

Quick start::

    import framing
    result = framing.score("corpus")          # the bundled corpus, the bundled codebook
    result.features                           # one row per article
    result.evidence                           # one row per coded span, with offsets and cue
    framing.score_to("export.parquet", "scores", jobs=2)   # any size: streamed to disk, resumable
"""

__version__ = "0.1.0"

from .codebook import Codebook, load_codebook  # noqa: E402
from .corpus import Article, Corpus, clean_corpus, load_corpus, load_rules  # noqa: E402
from .engine import score_to  # noqa: E402
from .errors import CodebookError, CorpusError, ExtractorError, FramingError  # noqa: E402
from .pipeline import ScoreResult, score  # noqa: E402
from .tables import read_tables  # noqa: E402
from .transformer import FramingFeatures  # noqa: E402

__all__ = [
    "Article", "Codebook", "FramingFeatures", "CodebookError", "Corpus", "CorpusError", "ExtractorError",
    "FramingError", "ScoreResult", "__version__", "clean_corpus", "load_codebook", "load_corpus",
    "load_rules", "read_tables", "score", "score_to",
]
