"""Batchable forms of the shipped sentence encoder, measured against it (issue 31, item 1).

    python benchmarks/encoder_variants.py [--data ../shared/data] [--sentences 3000] [--work DIR]

Builds, from the shipped ``framing/stance/transformer/encoder.onnx`` (int8 weights, activations
quantised per call: "dynamic"), three variants with the same weights, by rewriting the ONNX graph
(needs the ``onnx`` package, in the train extra):

- ``fp32``: the int8 weights dequantised exactly, every MatMul in float;
- ``per_token``: activations quantised per token (per row) to 7 bits (zero point 64: no int16
  saturation on AVX2 machines without VNNI), ``MatMulInteger`` then the two scales;
- ``per_token_t``: the same quantisation, computed transposed (``W^T x^T``) so that onnxruntime's fused
  ``MatMulIntegerToFloat`` applies the per-token scales as its per-column scales (weights shifted to
  uint8 with zero point 128, activations int8 in [-63, 63]).

Then it encodes PolNeAR train sentences (split at full stops, three words or more, at most 128 word
pieces) with each form, one call per sentence and in batches (sorted by length, padded to a multiple
of 8, 64 per batch), on 2 threads, and prints the seconds, whether a sentence's states are the same
alone and batched (the largest difference), and the cosine of each sentence's mean vector to fp32's.
Nothing here is shipped; the numbers are in benchmarks/README.md ("Scoring at the machine's limit").
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ENCODER = ROOT / "framing" / "stance" / "transformer"


def _graph(src: Path):
    import onnx

    model = onnx.load(str(src))
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    return model, graph, producer, consumers, {i.name: i for i in graph.initializer}


def _scaled_output(node, producer, consumers):
    """The Cast and the two Muls that turn a MatMulInteger's int32 output into float, and the weight
    scale (quantize_dynamic's pattern)."""
    cast = consumers[node.output[0]][0]
    mul = consumers[cast.output[0]][0]
    scales = producer[mul.input[1]]
    return cast, mul, scales


def dequantized(src: Path, dst: Path) -> None:
    """``fp32``: MatMul(x, (W_q - zp) * scale) in place of each quantised MatMul."""
    import onnx
    from onnx import helper, numpy_helper

    model, graph, producer, consumers, inits = _graph(src)
    drop, new = set(), {}
    for n in graph.node:
        if n.op_type != "MatMulInteger":
            continue
        a_q, w_q, _, w_zp = n.input
        x = producer[a_q].input[0]
        cast, mul, scales = _scaled_output(n, producer, consumers)
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


def per_token(src: Path, dst: Path, transposed: bool) -> None:
    """``per_token`` / ``per_token_t`` (see the module docstring)."""
    import onnx
    from onnx import helper, numpy_helper

    model, graph, producer, consumers, inits = _graph(src)
    extra = []

    def const(name, value):
        extra.append(numpy_helper.from_array(np.asarray(value), name))

    const("pt_eps", np.float32(1e-8))
    const("pt_lim", np.float32(63.0))
    const("pt_1d", np.array([-1], np.int64))
    const("pt_0", np.array([0], np.int64))
    const("pt_2", np.array([2], np.int64))
    const("pt_zp_act", np.int8(0) if transposed else np.uint8(64))
    const("pt_zp_w", np.uint8(128))
    nodes, skip, info = [], set(), {}
    for n in graph.node:
        if n.op_type == "DynamicQuantizeLinear":
            x, (q, s, _), p = n.input[0], n.output, n.name
            first = next(c for c in consumers[q] if c.op_type == "MatMulInteger")
            const(p + "/2d", np.array([-1, inits[first.input[1]].dims[0]], np.int64))
            nodes += [
                helper.make_node("ReduceMax", [x], [p + "/max"], keepdims=1, axes=[-1]),
                helper.make_node("ReduceMin", [x], [p + "/min"], keepdims=1, axes=[-1]),
                helper.make_node("Neg", [p + "/min"], [p + "/-min"]),
                helper.make_node("Max", [p + "/max", p + "/-min", "pt_eps"], [p + "/absmax"]),
                helper.make_node("Div", [p + "/absmax", "pt_lim"], [s]),  # B x S x 1
                helper.make_node("Reshape", [s, "pt_1d"], [p + "/s1"]),  # T
                helper.make_node("Reshape", [x, p + "/2d"], [p + "/x2"]),  # T x K
                helper.make_node("Shape", [p + "/s1"], [p + "/n"]),
                helper.make_node("Expand", ["pt_zp_act", p + "/n"], [p + "/z1"]),
                helper.make_node("QuantizeLinear", [p + "/x2", p + "/s1", p + "/z1"], [p + "/q2"], axis=0),
                helper.make_node("Shape", [x], [p + "/shape"]),
            ]
            if transposed:
                nodes += [helper.make_node("Transpose", [p + "/q2"], [p + "/qT"], perm=[1, 0]),
                          helper.make_node("Slice", [p + "/shape", "pt_0", "pt_2"], [p + "/BS"])]
            else:
                nodes.append(helper.make_node("Reshape", [p + "/q2", p + "/shape"], [q]))
            info[q] = p
            continue
        if n.op_type == "MatMulInteger":
            a_q, w_q, _, w_zp = n.input
            p0, p = info[a_q], n.name
            cast, mul, scales = _scaled_output(n, producer, consumers)
            skip.update({id(cast), id(mul), id(scales)})
            if transposed:
                w = numpy_helper.to_array(inits[w_q])
                const(p + "/WT", np.ascontiguousarray((w.T.astype(np.int16) + 128).astype(np.uint8)))
                const(p + "/N", np.array([w.shape[1]], np.int64))
                nodes += [
                    helper.make_node("MatMulIntegerToFloat",
                                     [p + "/WT", p0 + "/qT", scales.input[1], p0 + "/s1", "pt_zp_w",
                                      "pt_zp_act"],
                                     [p + "/oT"], domain="com.microsoft"),
                    helper.make_node("Transpose", [p + "/oT"], [p + "/o2"], perm=[1, 0]),
                    helper.make_node("Concat", [p0 + "/BS", p + "/N"], [p + "/oshape"], axis=0),
                    helper.make_node("Reshape", [p + "/o2", p + "/oshape"], [mul.output[0]]),
                ]
            else:  # the scales applied in two steps: one Mul of both is fused with a per-tensor scale
                nodes += [
                    helper.make_node("MatMulInteger", [a_q, w_q, "pt_zp_act", w_zp], [n.output[0]]),
                    helper.make_node("Cast", [n.output[0]], [p + "/f"], to=onnx.TensorProto.FLOAT),
                    helper.make_node("Mul", [p + "/f", scales.input[1]], [p + "/fw"]),
                    helper.make_node("Mul", [p + "/fw", scales.input[0]], [mul.output[0]]),
                ]
            continue
        nodes.append(n)
    nodes = [n for n in nodes if id(n) not in skip]
    used = {i for n in nodes for i in n.input}
    keep = [i for i in graph.initializer if i.name in used] + [e for e in extra if e.name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(keep)
    if transposed and not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
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
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    src = ENCODER / "encoder.onnx"
    dequantized(src, work / "fp32.onnx")
    per_token(src, work / "per_token.onnx", transposed=False)
    per_token(src, work / "per_token_t.onnx", transposed=True)
    ids = sentences(Path(args.data), args.sentences, load_tokenizer(str(ENCODER / "tokenizer.json")))
    print(f"{len(ids)} sentences, {np.mean([len(i) for i in ids]):.1f} word pieces on average")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 2, 1
    forms = {"shipped (dynamic)": src, "fp32": work / "fp32.onnx", "per_token": work / "per_token.onnx",
             "per_token_t": work / "per_token_t.onnx"}
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
