"""Corpus: the articles to score: records (``article``), loading (``load``), cleaning (``clean``)."""

from .article import Article, Corpus, Skipped
from .clean import CleaningRules, clean_article, clean_corpus, load_rules
from .load import LanguageWarning, SkippedArticleWarning, as_corpus, iter_corpus, load_corpus

__all__ = [
    "Article", "Corpus", "Skipped", "CleaningRules", "LanguageWarning", "SkippedArticleWarning",
    "as_corpus", "clean_article", "clean_corpus", "iter_corpus", "load_corpus", "load_rules",
]
