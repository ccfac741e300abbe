"""YAML read with limits: codebooks, cleaning rules and gold files are untrusted input.

PyYAML's safe loader builds no objects of its own, but it follows anchors and aliases, so a file of a
few hundred bytes can stand for billions of nodes ("billion laughs"): harmless while loading (aliases
share one object), ruinous for whatever walks the result (validation, merging, hashing). :func:`load`
refuses a file over :data:`MAX_BYTES` or whose nodes, with every alias expanded, exceed
:data:`MAX_NODES`, before anything is built from it, so a hostile file fails in milliseconds.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_BYTES = 20_000_000  # the bundled codebooks are under 100 kB
MAX_NODES = 1_000_000  # nodes once every alias is expanded


class YamlLimitError(ValueError):
    """A YAML file is larger than framing reads, or expands to too many nodes."""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _expanded(root: yaml.Node) -> int:
    """Nodes under ``root`` with aliases expanded (capped at ``MAX_NODES + 1``). Depth first with an
    explicit stack (no recursion limit), each node sized once, so the count costs the size of the
    file, not of its expansion."""
    sizes: dict[int, int] = {}
    state: dict[int, int] = {}  # 1: its children are being sized, 2: sized
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, after = stack.pop()
        key = id(node)
        if after:
            sizes[key] = min(MAX_NODES + 1, 1 + sum(sizes[id(c)] for c in _children(node)))
            state[key] = 2
            continue
        if state.get(key) == 2:
            continue
        state[key] = 1
        stack.append((node, True))
        for child in _children(node):
            if state.get(id(child)) == 1:
                raise YamlLimitError("an alias refers to a node that contains it (a recursive structure); "
                                     "write the structure out")
            if id(child) not in state:
                stack.append((child, False))
    return sizes[id(root)]


def load(data: bytes | str) -> Any:
    """The YAML document in ``data`` as Python objects (safe loader), within the limits above; raise
    :class:`YamlLimitError` (what limit and what to do) or :class:`yaml.YAMLError` (where it is not YAML)."""
    if len(data) > MAX_BYTES:
        raise YamlLimitError(f"{len(data):,} bytes, more than the {MAX_BYTES:,} framing reads from a "
                             "YAML file")
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(data)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded(node)
        if size > MAX_NODES:
            raise YamlLimitError(f"with its aliases (*name) expanded, it has more than {MAX_NODES:,} "
                                 "nodes; write the lists out instead of nesting aliases")
        return loader.construct_document(node)
    finally:
        loader.dispose()


__all__ = ["MAX_BYTES", "MAX_NODES", "YamlLimitError", "load"]
