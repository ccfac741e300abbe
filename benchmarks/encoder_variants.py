"""Batchable forms of the shipped sentence encoder, measured against it (issue 31, item 1).

    python benchmarks/encoder_variants.py [--data ../shared/data] [--sentences 3000] [--work DIR]

Builds, from the encoder shipped before issue 31 (int8 weights, activations quantised per call:
"dynamic"; read from git history, commit 36f7883b3f3e, or ``--dynamic PATH``), three variants with the
same weights, by rewriting the ONNX graph (needs the ``onnx`` package, in the train extra):

- ``fp32``: the int8 weights dequantised exactly, every MatMul in float;
- ``per_token``: activations quantised per token (per row) to 7 bits (zero point 64: no int16
  saturation on AVX2 machines without VNNI), ``MatMulInteger`` then the two scales: the shipped
  encoder since issue 31 (:mod:`framing.stance.quantize`; the run checks it is the shipped file);
- ``per_token_t``: the same quantisation, computed transposed (``W^T x^T``) so that onnxruntime's fused
  ``MatMulIntegerToFloat`` applies the per-token scales as its per-column scales (weights shifted to
  uint8 with zero point 128, activations int8 in [-63, 63]).

Then it encodes PolNeAR train sentences (split at full stops, three words or more, at most 128 word
pieces) with each form, one call per sentence and in batches (sorted by length, padded to a multiple
of 8, 64 per batch), on 2 threads, and prints the seconds, whether a sentence's states are the same
alone and batched (the largest difference), and the cosine of each sentence's mean vector to fp32's.
The numbers are in benchmarks/README.md ("Scoring at the machine's limit").
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import time
from pathlib import Path

import numpy as np

from framing.stance.quantize import load_graph, per_token, scaled_output

ROOT = Path(__file__).resolve().parent.parent
ENCODER = ROOT / "framing" / "stance" / "transformer"
# the last commit whose encoder quantised its activations per call
DYNAMIC_COMMIT = "36f7883b3f3e361e9389514e2216bbd0e6e5a688"


def dequantized(src: Path, dst: Path) -> None:
    """``fp32``: MatMul(x, (W_q - zp) * scale) in place of each quantised MatMul."""
    import onnx
    from onnx import helper, numpy_helper

    model, graph, producer, consumers, inits = load_graph(src)
    drop, new = set(), {}
    for n in graph.node:
        if n.op_type != "MatMulInteger":
            continue
        a_q, w_q, _, w_zp = n.input
        x = producer[a_q].input[0]
        cast, mul, scales = scaled_output(n, producer, consumers)
        w = ((numpy_helper.to_array(inits[w_q]).astype(np.float32)
              - numpy_helper.to_array(inits[w_zp]).astype(np.float32))
             * numpy_helper.to_array(inits[scales.input[1]]).astype(np.float32))
        name = w_q + "_fp32"
        new[id(n)] = (helper.make_node("MatMul", [x, name], [mul.output[0]]),
                      numpy_helper.from_array(w, name))
        drop.update({id(cast), id(mul), id(scales)})
    nodes = [new[id(n)][0] if id(n) in new else n for n in graph.node if id(n) not in drop]
    nodes = [n for n in nodes if n.op_type != "DynamicQuantizeLinear"]
    used = {i for n in nodes for i in n.input}
    keep = [i for i in graph.initializer if i.name in used] + [w for _, w in new.values()]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(keep)
    onnx.save(model, str(dst))


def sentences(data: Path, n: int, tokenizer) -> list[list[int]]:
    out = []
    for path in sorted((data / "polnear" / "train" / "text").iterdir()):
        for s in path.read_text(encoding="utf-8").replace("\n", " ").split(". "):
            if len(s.split()) >= 3:
                ids = tokenizer.encode(s).ids
                out.append(ids if len(ids) <= 128 else [*ids[:127], ids[-1]])
                if len(out) == n:
                    return out
    return out


def run(session, ids: list[list[int]], batched: bool) -> tuple[float, list[np.ndarray]]:
    start, out = time.perf_counter(), [None] * len(ids)
    if not batched:
        for k, i in enumerate(ids):
            a = np.asarray([i], dtype=np.int64)
            out[k] = session.run(["states"], {"input_ids": a, "attention_mask": np.ones_like(a)})[0][0]
        return time.perf_counter() - start, out
    groups: dict[int, list[int]] = {}
    for k in sorted(range(len(ids)), key=lambda k: len(ids[k])):
        groups.setdefault(-(-len(ids[k]) // 8) * 8, []).append(k)
    for length, ks in groups.items():
        for j in range(0, len(ks), 64):
            chunk = ks[j:j + 64]
            a = np.zeros((len(chunk), length), dtype=np.int64)
            m = np.zeros_like(a)
            for r, k in enumerate(chunk):
                a[r, :len(ids[k])], m[r, :len(ids[k])] = ids[k], 1
            states = session.run(["states"], {"input_ids": a, "attention_mask": m})[0]
            for r, k in enumerate(chunk):
                out[k] = states[r, :len(ids[k])]
    return time.perf_counter() - start, out


def main(argv: list[str] | None = None) -> int:
    import onnxruntime

    from framing.stance.encoding import load_tokenizer

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--work", default=str(ROOT / ".cache" / "encoder-variants"))
    parser.add_argument("--dynamic", help="the per-call encoder (default: from git history)")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    src = Path(args.dynamic) if args.dynamic else work / "dynamic.onnx"
    if not args.dynamic:
        src.write_bytes(subprocess.run(["git", "-C", str(ROOT), "show",
                                        f"{DYNAMIC_COMMIT}:framing/stance/transformer/encoder.onnx"],
                                       check=True, capture_output=True).stdout)
    dequantized(src, work / "fp32.onnx")
    per_token(src, work / "per_token.onnx", transposed=False)
    per_token(src, work / "per_token_t.onnx", transposed=True)
    shipped = hashlib.sha256((ENCODER / "encoder.onnx").read_bytes()).hexdigest()
    rewritten = hashlib.sha256((work / "per_token.onnx").read_bytes()).hexdigest()
    print(f"per_token {'is' if shipped == rewritten else 'is NOT'} the shipped encoder.onnx")
    ids = sentences(Path(args.data), args.sentences, load_tokenizer(str(ENCODER / "tokenizer.json")))
    print(f"{len(ids)} sentences, {np.mean([len(i) for i in ids]):.1f} word pieces on average")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 2, 1
    forms = {"dynamic (before)": src, "fp32": work / "fp32.onnx",
             "per_token (shipped)": work / "per_token.onnx", "per_token_t": work / "per_token_t.onnx"}
    results = {}
    for name, path in forms.items():
        session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        one, alone = run(session, ids, batched=False)
        many, batched = run(session, ids, batched=True)
        results[name] = (one, many, max(float(np.abs(a - b).max()) for a, b in zip(alone, batched)), alone)

    def unit(states):
        v = np.stack([s.mean(axis=0) for s in states])
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    reference = unit(results["fp32"][3])
    print("| encoder | one call per sentence | batched | largest difference alone/batched | cosine to fp32 |")
    print("|---|---|---|---|---|")
    for name, (one, many, diff, alone) in results.items():
        cosine = float(np.mean(np.sum(unit(alone) * reference, axis=1)))
        print(f"| {name} | {one:.1f} s | {many:.1f} s | {diff:.3g} | {cosine:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
