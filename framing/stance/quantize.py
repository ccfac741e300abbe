"""The encoder's int8 form with activations quantised per token (issue 31): batchable, with values
independent of the batch (needs the ``onnx`` package, in the train extra; used when a model is exported,
never when one is scored).

onnxruntime's ``quantize_dynamic`` gives int8 weights and quantises a MatMul's input activations with one
scale for the whole tensor, computed at each call: a sentence encoded in a batch gets a scale that depends
on its neighbours (issue 31 measured 5 % of dev labels changed by batching). :func:`per_token` rewrites
such a graph so that every token's activations get their own scale (symmetric, 7 bits: values in
[-63, 63], stored as uint8 with zero point 64, so no int16 saturation on machines without VNNI), the
integer product is taken with the same int8 weights, and the token's and the weight's scales are applied
in two Muls. A token's states then depend only on the sentence's own tokens (the attention mask keeps a
padding token out), the same alone and in any batch (tests/test_transformer_stance.py asserts it).

The two Muls are on purpose: onnxruntime's graph optimiser fuses MatMulInteger -> Cast -> Mul into
``MatMulIntegerToFloat``, which reads one activation scale per tensor; with one Mul of both scales the
fused graph is silently wrong (cosine 0.70 to the float encoder). The rewrite is deterministic: the same
input graph gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def load_graph(src: Path):
    import onnx

    model = onnx.load(str(src))
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    return model, graph, producer, consumers, {i.name: i for i in graph.initializer}


def scaled_output(node, producer, consumers):
    """The Cast and the Mul that turn a MatMulInteger's int32 output into float, and the node giving the
    product of the two scales (quantize_dynamic's pattern)."""
    cast = consumers[node.output[0]][0]
    mul = consumers[cast.output[0]][0]
    return cast, mul, producer[mul.input[1]]


def per_token(src: str | Path, dst: str | Path, transposed: bool = False) -> None:
    """Rewrite the dynamically quantised encoder ``src`` into the per-token form at ``dst`` (see the
    module docstring). ``transposed``: compute ``W^T x^T`` so that onnxruntime's fused
    ``MatMulIntegerToFloat`` applies the per-token scales as per-column scales (measured in
    ``benchmarks/encoder_variants.py``, not shipped)."""
    import onnx
    from onnx import helper, numpy_helper

    model, graph, producer, consumers, inits = load_graph(Path(src))
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
            cast, mul, scales = scaled_output(n, producer, consumers)
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


__all__ = ["load_graph", "per_token", "scaled_output"]
