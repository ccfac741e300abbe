"""The pipeline: evidence that slices the text, features with metadata, failures reported, atomic output."""

from __future__ import annotations

import threading

import pandas as pd
import pyarrow.parquet as pq
import pytest

import framing
from framing.evidence import EVIDENCE_COLUMNS
from framing.extract import Extractor, registry
from framing.parse import ParseCache, parse


def test_evidence_offsets_slice_the_cleaned_text(scored, corpus):
    ev = scored.evidence
    assert list(ev.columns[: len(EVIDENCE_COLUMNS)]) == EVIDENCE_COLUMNS
    assert len(ev) > 250
    for row in ev.itertuples():
        text = corpus[row.article_id].text
        assert text[row.sentence_start:row.sentence_end] == row.sentence
        assert row.sentence_start <= row.start < row.end <= row.sentence_end
        assert text[row.start:row.end].strip() == text[row.start:row.end] != ""


def test_features_carry_metadata_and_descriptives(scored):
    f = scored.features.set_index("id")
    assert f.loc["seed-004", "outlet"] == "Warsaw Institute (Russia Monitor)"
    assert f.loc["seed-000", "date"] == "2021-07-21"
    assert f.loc["seed-004", "n_sentences"] == 16  # the cleaned text's 16 sentences, headline included
    assert (f["n_words"] > 300).all()
    assert scored.ok and scored.run["n_scored"] == 5


def test_headline_and_subtitle_are_sentences_of_their_own(scored):
    ev = scored.evidence
    first = ev[(ev.article_id == "seed-001") & (ev.sentence_index == 0)]
    assert set(first.sentence) == {"Russia won't leave its allies in Central Asia out in the cold"}
    second = ev[(ev.article_id == "seed-001") & (ev.sentence_index == 1)]
    assert set(second.sentence) == {"Moscow is ready to support the countries in the region amid the "
                                    "sticky situation in Afghanistan"}


def test_write_produces_all_tables_and_reads_back(scored, tmp_path):
    scored.write(tmp_path)
    for name in ("features.csv", "features.parquet", "evidence.csv", "evidence.parquet", "run.json"):
        assert (tmp_path / name).is_file()
    features, evidence = framing.read_tables(tmp_path)
    pd.testing.assert_frame_equal(evidence, scored.evidence)
    csv = pd.read_csv(tmp_path / "evidence.csv")
    assert list(csv.start) == list(scored.evidence.start)


def test_failed_write_leaves_earlier_outputs_intact(scored, tmp_path, monkeypatch):
    scored.write(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", broken)  # the evidence table fails mid-way
    smaller = framing.ScoreResult(scored.features.head(1), scored.evidence.head(3), run=scored.run)
    with pytest.raises(OSError, match="disk full"):
        smaller.write(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@registry.register("exploding")
class Exploding(Extractor):
    name = "exploding"
    requires = ("actors",)

    def extract(self, doc, article, context):
        if "NATO" in article.text:
            raise ValueError("cannot handle NATO")
        return []


def test_failing_article_is_reported_and_the_run_goes_on():
    texts = ["Russia moved tanks.", "NATO left Afghanistan.", "The Taliban advanced."]
    result = framing.score(texts, extractors=["exploding"], use_cache=False, progress=False)
    assert list(result.features.id) == ["doc-1", "doc-3"]
    assert [str(f) for f in result.failures] == [
        "article 'doc-2': exploding failed: ValueError: cannot handle NATO"]
    assert not result.ok
    with pytest.raises(framing.ExtractorError, match="article 'doc-2'"):
        framing.score(texts, extractors=["exploding"], use_cache=False, progress=False, strict=True)


@registry.register("unprepared")
class Unprepared(Extractor):
    name = "unprepared"

    def prepare(self, docs, contexts):
        raise MemoryError(f"no room for {len(docs)} articles")

    def extract(self, doc, article, context):
        return []


def test_a_failing_prepare_fails_its_window_by_name(monkeypatch):
    import framing.pipeline

    monkeypatch.setattr(framing.pipeline, "PREPARE_WINDOW", 2)
    texts = ["Russia moved tanks.", "NATO left Afghanistan.", "The Taliban advanced."]
    result = framing.score(texts, extractors=["unprepared"], use_cache=False, progress=False)
    assert len(result.features) == 0 and not result.ok
    assert [str(f) for f in result.failures] == [
        f"article '{a}': unprepared failed: MemoryError: no room for {n} articles (preparing a window of {n} "
        "articles)" for a, n in (("doc-1", 2), ("doc-2", 2), ("doc-3", 1))]
    with pytest.raises(framing.ExtractorError, match="article 'doc-1'.*unprepared"):
        framing.score(texts, extractors=["unprepared"], use_cache=False, progress=False, strict=True)


@registry.register("ordered")
class Ordered(Extractor):
    """Records which thread prepares each window, and whether an article's window was prepared
    before the article is extracted."""

    name = "ordered"
    log: list[tuple[str, str, str, bool]] = []

    def prepare(self, docs, contexts):
        for doc, context in zip(docs, contexts):
            context["prepared_in"] = threading.current_thread().name
            Ordered.log.append(("prepare", doc.text, context["prepared_in"], True))

    def extract(self, doc, article, context):
        Ordered.log.append(("extract", doc.text, threading.current_thread().name, "prepared_in" in context))
        return []


def test_windows_are_prepared_in_a_second_thread_and_extracted_in_order_once_prepared(monkeypatch, tmp_path):
    import framing.pipeline

    monkeypatch.setattr(framing.pipeline, "PREPARE_WINDOW", 2)
    texts = ["Russia moved tanks.", "NATO left Afghanistan.", "The Taliban advanced.",
             "Daesh attacked the border post.", "The government in Kabul fell."]
    Ordered.log = []
    result = framing.score(texts, extractors=["ordered"], use_cache=False, progress=False)
    assert not result.failures and len(result.features) == 5
    extracted = [(text, thread, ready) for step, text, thread, ready in Ordered.log if step == "extract"]
    assert extracted == [(t, threading.main_thread().name, True) for t in texts]
    prepared = [(text, thread) for step, text, thread, _ in Ordered.log if step == "prepare"]
    assert [t for t, _ in prepared] == texts
    assert all(thread.startswith("framing-prepare") for _, thread in prepared)
    # batches of 3 articles (windows of 2 and 1) through the engine: the thread spans the batches, and
    # each part holds its own articles, in order
    from framing.engine import parts as engine_parts
    from framing.engine import score_to

    written: list[list[str]] = []
    real_write = engine_parts.PartialRun.write
    monkeypatch.setattr(engine_parts.PartialRun, "write",
                        lambda self, index, part: (written.append(part.ids), real_write(self, index, part)))
    Ordered.log = []
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k, text in enumerate(texts):
        (corpus / f"{k}.txt").write_text(text, encoding="utf-8")
    score_to(corpus, tmp_path / "out", extractors=["ordered"], use_cache=False, progress=False, batch_size=3)
    assert written == [["0", "1", "2"], ["3", "4"]]
    extracted = [(t, ready) for step, t, _, ready in Ordered.log if step == "extract"]
    assert extracted == [(t, True) for t in texts]


def test_unknown_extractor_is_named():
    with pytest.raises(ValueError, match="unknown extractor 'stnace'"):
        framing.score(["Russia moved tanks."], extractors=["stnace"], use_cache=False, progress=False)


def test_parse_cache_returns_the_same_parse(nlp, tmp_path, corpus):
    cache = ParseCache(tmp_path, nlp)
    text = corpus["seed-004"].text
    [fresh] = list(parse([text], nlp, cache=cache))
    assert cache.get(text) is not None
    [cached] = list(parse([text], nlp, cache=cache))
    assert [(t.text, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in cached] == \
           [(t.text, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in fresh]
    assert len(list(tmp_path.rglob("*.spacy"))) == 1


def test_rescoring_uses_the_cache_and_gives_identical_tables(corpus, cache_dir, scored, monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again although the cache holds every article")

    nlp = framing.parse.load_model()
    monkeypatch.setattr(nlp, "pipe", no_parsing)
    again = framing.score(corpus, cache_dir=cache_dir, progress=False, cache_results=False)  # extracts again
    pd.testing.assert_frame_equal(again.evidence, scored.evidence)
    pd.testing.assert_frame_equal(again.features, scored.features)


def test_articles_evidence_columns_join_into_the_frame_of_all_their_rows(scored):
    # the result cache stores each article's rows by column; a part joins the articles' columns, and
    # an added column that one article lacks is missing in its rows and typed over all of them
    from framing.evidence import Evidence
    from framing.tables import columns_frame, evidence_columns, evidence_frame, joined_columns

    frame = scored.evidence
    first, second = frame.article_id.unique()[:2]

    def rows(article, family):
        records = frame[(frame.article_id == article) & (frame.family == family)].to_dict("records")
        return [Evidence.from_row({k: v for k, v in r.items() if v is not None and not pd.isna(v)})
                for r in records]

    mentions, citations = rows(first, "actor"), rows(second, "attribution")
    a, b = evidence_columns(mentions), evidence_columns(citations)
    assert "cue_start" not in a and "grammar" in a
    assert "cue_start" in b and "grammar" not in b
    joined = columns_frame(joined_columns([a, b]))
    pd.testing.assert_frame_equal(joined, evidence_frame(mentions + citations))
    assert str(joined.cue_start.dtype) == "Int64" and str(joined.named.dtype) == "boolean"
    assert joined.cue_start[:len(mentions)].isna().all()
    cited = frame[(frame.article_id == second) & (frame.family == "attribution")]
    assert joined.cue_start[len(mentions):].tolist() == cited.cue_start.tolist()
    assert joined.article_id.tolist() == [first] * len(mentions) + [second] * len(citations)
    assert len(mentions) > 10 and len(citations) > 2


@pytest.mark.slow
def test_a_window_encoded_together_gives_the_tables_of_articles_encoded_alone(corpus, scored, tmp_path,
                                                                            monkeypatch):
    import framing.frames
    from framing.extract.frames import Frames

    windows: list[int] = []
    real = framing.frames.prepare_states
    monkeypatch.setattr(framing.frames, "prepare_states",
                        lambda docs, contexts, *a: windows.append(len(docs)) or real(docs, contexts, *a))
    together = framing.score(corpus, cache_dir=tmp_path / "a", progress=False, cache_results=False)
    assert windows == [5]  # the five articles' sentences were encoded in one pool
    monkeypatch.setattr(Frames, "prepare", lambda self, docs, contexts: None)
    alone = framing.score(corpus, cache_dir=tmp_path / "b", progress=False, cache_results=False)
    assert windows == [5]  # not prepared: each article's heads encoded its sentences
    for result in (together, alone):
        pd.testing.assert_frame_equal(result.evidence, scored.evidence)
        pd.testing.assert_frame_equal(result.features, scored.features)


def test_rescoring_after_a_codebook_edit_reads_the_sentence_vectors(nlp, corpus, cache_dir, scored,
                                                                     monkeypatch):
    import framing.frames
    import framing.stance.transformer
    from framing.vector_cache import VectorCache

    model = framing.frames.load()
    vectors = VectorCache(cache_dir, ParseCache(cache_dir, nlp), model.metadata["encoder"]["sha256"],
                          model.max_tokens)
    assert all(len(vectors.get(a.text)) >= 10 for a in corpus)  # scoring stored every article's vectors
    encoded: list[str] = []
    real = framing.frames.sentence_vectors

    def counting(encoder, texts, *args):
        encoded.extend(texts)
        return real(encoder, texts, *args)

    monkeypatch.setattr(framing.frames, "sentence_vectors", counting)
    stance_encoded: list = []
    real_states = framing.stance.transformer.token_states
    monkeypatch.setattr(framing.stance.transformer, "token_states",
                        lambda session, pieces: stance_encoded.extend(pieces) or real_states(session, pieces))
    again = framing.score(corpus, cache_dir=cache_dir, progress=False, cache_results=False)  # extracts again
    pd.testing.assert_frame_equal(again.features, scored.features)
    pd.testing.assert_frame_equal(again.evidence, scored.evidence)
    # only the codebook's frame texts (definitions, questions) were encoded, no sentence of an article
    assert encoded and not [t for t in encoded for a in corpus if t in a.text]
    # and the stance head read every target's outputs from the stance-head cache
    assert stance_encoded == [] and (scored.evidence.family == "stance").sum() > 20


def test_a_damaged_sentence_vector_entry_names_its_file(nlp, tmp_path):
    import numpy as np

    from framing.errors import FramingError
    from framing.vector_cache import VectorCache

    cache = VectorCache(tmp_path, ParseCache(tmp_path, nlp), "ab" * 32, 128)
    cache.put("Some text. More text.", {0: np.ones(384, np.float32), 1: np.zeros(384, np.float32)})
    assert sorted(cache.get("Some text. More text.")) == [0, 1]
    assert cache.get("Other text.") == {}
    [path] = list(tmp_path.rglob("*.npz"))
    path.write_bytes(b"not a numpy file")
    with pytest.raises(FramingError, match=f"{path.name}.*delete the folder"):
        cache.get("Some text. More text.")


def test_a_damaged_stance_head_entry_names_its_file(nlp, tmp_path):
    import numpy as np

    from framing.errors import FramingError
    from framing.vector_cache import HeadCache

    cache = HeadCache(tmp_path, ParseCache(tmp_path, nlp), "cd" * 32)
    outputs = {b"a" * 32: (np.array([0.5, -1.0, 2.0]), np.arange(12.0).reshape(4, 3)),
               b"b" * 32: (np.array([1.5, 0.0, -2.0]), np.arange(6.0).reshape(2, 3))}
    cache.put("Some text.", outputs)
    found = cache.get("Some text.")
    assert sorted(found) == [b"a" * 32, b"b" * 32] and cache.get("Other text.") == {}
    for key, (logits, shares) in outputs.items():
        assert found[key][0].tobytes() == logits.tobytes() and found[key][1].tobytes() == shares.tobytes()
    [path] = list(tmp_path.rglob("*.npz"))
    np.savez(path, keys=np.zeros((2, 32), np.uint8), logits=np.zeros((2, 3)), pieces=np.array([4, 2]),
             shares=np.zeros((5, 3)))  # one row of contributions short
    with pytest.raises(FramingError, match=f"{path.name}: stance-head cache entry.*delete the folder"):
        cache.get("Some text.")


def test_result_cache_rescores_without_model_or_extractors(corpus, cache_dir, scored, monkeypatch):
    def unavailable(*args, **kwargs):
        raise AssertionError("loaded the model or extracted although every score is cached")

    monkeypatch.setattr(framing.pipeline, "load_model", unavailable)
    monkeypatch.setattr(framing.pipeline.Scorer, "_extract", unavailable)
    again = framing.score(corpus, cache_dir=cache_dir, progress=False)
    pd.testing.assert_frame_equal(again.evidence, scored.evidence)
    pd.testing.assert_frame_equal(again.features, scored.features)
    assert again.run == scored.run


def test_result_cache_misses_after_a_codebook_or_extractor_change(corpus, cache_dir, tmp_path, monkeypatch):
    from framing.codebook import default_codebook_path
    from framing.extract.stance import Stance

    extracted = []
    real = framing.pipeline.Scorer._extract

    def counting(self, doc, article, *context):
        extracted.append(article.id)
        return real(self, doc, article, *context)

    monkeypatch.setattr(framing.pipeline.Scorer, "_extract", counting)
    two = [corpus["seed-000"], corpus["seed-003"]]
    framing.score(two, cache_dir=cache_dir, progress=False)
    assert extracted == []  # the session's first score cached them
    edited = default_codebook_path().read_text(encoding="utf-8").replace(
        "lexicon:", "lexicon:\n    steadfast partner: 0.5", 1)
    (tmp_path / "edited.yaml").write_text(edited, encoding="utf-8")
    framing.score(two, codebook=tmp_path / "edited.yaml", cache_dir=cache_dir, progress=False)
    assert extracted == ["seed-000", "seed-003"]
    changed = f"{getattr(Stance, 'version', 1)}-changed"  # a declared code change
    monkeypatch.setattr(Stance, "version", changed, raising=False)
    framing.score(two, cache_dir=cache_dir, progress=False)
    assert extracted == ["seed-000", "seed-003"] * 2


def test_a_damaged_cache_entry_names_itself_and_the_folder_to_delete(tmp_path):
    from framing.errors import FramingError
    from framing.result_cache import CopiesCache, ResultCache

    results = ResultCache(tmp_path, {"codebook_sha256": "x"}, "model", [])
    assert results.get("a", "Russia moved tanks.") is None  # nothing stored: scored afresh
    path = results._path("Russia moved tanks.")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not zlib")
    with pytest.raises(FramingError, match=rf"{path}: unreadable result cache entry .*delete the folder "
                                           rf"{tmp_path / 'results'} and run again"):
        results.get("a", "Russia moved tanks.")
    copies = CopiesCache(tmp_path)
    key = CopiesCache.key([("a", "digest-a"), ("b", "digest-b")])
    assert key != CopiesCache.key([("b", "digest-b"), ("a", "digest-a")])  # corpus order is in the key
    assert copies.get(key) is None
    copies._path(key).parent.mkdir(parents=True)
    copies._path(key).write_bytes(b"\x78\x9c broken")
    with pytest.raises(FramingError, match="unreadable near-duplicate cache entry"):
        copies.get(key)
